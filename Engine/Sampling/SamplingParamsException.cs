namespace LlmSuite.Engine.Sampling;

/// <summary>
/// A sampling parameter is out of range. <see cref="ArgumentException.ParamName"/> is the parameter's name exactly as
/// the OpenAI API spells it (<c>temperature</c>, <c>top_p</c>, <c>logit_bias</c>, ...), so the HTTP layer can return
/// OpenAI's error JSON (<c>{"error": {"param": ..., "message": ...}}</c>) without translating names.
/// </summary>
public sealed class SamplingParamsException(string parameter, string message) : ArgumentException(message, parameter);
