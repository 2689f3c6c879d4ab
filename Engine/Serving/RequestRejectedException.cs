namespace LlmSuite.Engine.Serving;

/// <summary>A request the engine can never serve (prompt longer than the context or the whole KV cache, bad parameters).</summary>
public sealed class RequestRejectedException(string message) : ArgumentException(message);
