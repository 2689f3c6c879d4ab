namespace LlmSuite.Engine.Sampling;

/// <summary>
/// Result of <see cref="StopStringMatcher.Push"/>: the text that may be streamed to the client now, whether a stop
/// string completed (generation must end), and which one.
/// </summary>
public readonly record struct StopMatch(string Emit, bool Stopped, string? MatchedStop);
