namespace LlmSuite.Engine.Sampling.Constraints;

/// <summary>What the generated text of a request must be (Ollama <c>format</c>, OpenAI <c>response_format</c>).</summary>
public enum OutputConstraint
{
    /// <summary>Free text.</summary>
    None,

    /// <summary>One syntactically valid JSON object, then end of sequence (JSON mode).</summary>
    JsonObject,
}
