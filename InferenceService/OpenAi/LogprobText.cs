using System.Globalization;
using System.Text;
using LlmSuite.Engine.Tokenizers;

namespace LlmSuite.InferenceService.OpenAi;

/// <summary>How a token is shown in logprobs: its decoded text, or <c>token_id:N</c> with vLLM's return_tokens_as_token_ids.</summary>
public static class LogprobText
{
    /// <summary>The token's text.</summary>
    public static string Of(Tokenizer tokenizer, int id, bool asTokenIds) =>
        asTokenIds ? "token_id:" + id.ToString(CultureInfo.InvariantCulture) : tokenizer.Decode([id]);

    /// <summary>UTF-8 bytes of the token text (OpenAI's bytes field).</summary>
    public static int[] Bytes(string text) => [.. Encoding.UTF8.GetBytes(text).Select(b => (int)b)];
}
