using System.Text;

namespace LlmSuite.Engine.Sampling;

/// <summary>
/// Incremental stop-string matcher over streamed text. <see cref="Push"/> returns the text safe to emit now: it holds
/// back only the longest suffix that could still be the start of a stop string (at most longest stop length - 1
/// chars; nothing when the stop string is included in the output, since then everything before it is emitted anyway).
/// When a stop string completes, the text before it is emitted (plus the stop string itself when
/// <c>includeStopInOutput</c>) and the matcher is finished.
/// </summary>
/// <remarks>
/// With several stop strings the one that completes first in the text wins (smallest end position; on a tie the one
/// starting earlier, i.e. the longer). That is what a char-by-char stream would see, so the result does not depend on
/// how the text was split into deltas. (vLLM checks stops in list order per delta, which can depend on the split.)
/// Matching is ordinal over UTF-16 code units; a held-back suffix never splits a surrogate pair from a valid stop.
/// </remarks>
public sealed class StopStringMatcher
{
    private readonly string[] _stops;
    private readonly bool _includeStop;
    private readonly int _maxHold;
    private readonly StringBuilder _pending = new();
    private string _emittedTail = "";          // last (longest stop - 1) chars already emitted
    private string? _matched;

    /// <summary>Creates a matcher; <paramref name="stops"/> must not contain null or empty strings.</summary>
    public StopStringMatcher(IReadOnlyList<string> stops, bool includeStopInOutput = false)
    {
        ArgumentNullException.ThrowIfNull(stops);
        _stops = [.. stops];
        for (var i = 0; i < _stops.Length; i++)
        {
            if (string.IsNullOrEmpty(_stops[i]))
                throw new SamplingParamsException("stop", $"stop[{i}] is empty; stop strings must contain at least one character.");
        }
        _includeStop = includeStopInOutput;
        _maxHold = _stops.Length == 0 ? 0 : _stops.Max(s => s.Length) - 1;
    }

    /// <summary>True once a stop string matched; further pushes emit nothing.</summary>
    public bool IsStopped => _matched is not null;

    /// <summary>
    /// Feeds the next decoded text delta. With <paramref name="matchStops"/> false (vLLM: while the output has at most
    /// min_tokens tokens) no stop can complete in this delta; the text is still held back and remembered, so a stop
    /// that begins here and completes in a later delta is found then. A stop matches only if it ends inside the newest
    /// delta, like vLLM's window of the new text plus (stop length - 1) chars before it.
    /// </summary>
    public StopMatch Push(string delta, bool matchStops = true)
    {
        ArgumentNullException.ThrowIfNull(delta);
        if (_matched is not null)
            return new StopMatch(string.Empty, true, _matched);
        if (_stops.Length == 0)
            return new StopMatch(delta, false, null);

        // Search the emitted tail too: with include_stop_str nothing is held back, so a stop may straddle deltas.
        var contextLength = _emittedTail.Length;
        var text = string.Concat(_emittedTail, _pending.ToString(), delta);
        var bestEnd = int.MaxValue;
        var bestStart = 0;
        string? best = null;
        foreach (var stop in _stops)
        {
            if (!matchStops)
                break;
            var start = text.IndexOf(stop, Math.Max(0, text.Length - delta.Length - stop.Length + 1), StringComparison.Ordinal);
            if (start < 0)
                continue;
            var end = start + stop.Length;
            if (end < bestEnd || (end == bestEnd && start < bestStart))
            {
                (bestEnd, bestStart, best) = (end, start, stop);
            }
        }
        if (best is not null)
        {
            _matched = best;
            _pending.Clear();
            var cut = Math.Max(contextLength, _includeStop ? bestEnd : bestStart);
            return new StopMatch(text[contextLength..cut], true, best);
        }

        var hold = _includeStop ? 0 : Math.Min(HeldBackLength(text), text.Length - contextLength);
        var emitEnd = text.Length - hold;
        _pending.Clear();
        _pending.Append(text, emitEnd, hold);
        _emittedTail = text[Math.Max(0, emitEnd - _maxHold)..emitEnd];
        return new StopMatch(text[contextLength..emitEnd], false, null);
    }

    /// <summary>At the end of generation (no stop matched): releases the held-back text.</summary>
    public string Flush()
    {
        var rest = _pending.ToString();
        _pending.Clear();
        return rest;
    }

    /// <summary>Length of the longest suffix of <paramref name="text"/> that is a proper prefix of some stop string.</summary>
    private int HeldBackLength(string text)
    {
        for (var length = Math.Min(_maxHold, text.Length); length > 0; length--)
        {
            var suffix = text.AsSpan(text.Length - length);
            foreach (var stop in _stops)
            {
                if (stop.Length > length && stop.AsSpan().StartsWith(suffix, StringComparison.Ordinal))
                    return length;
            }
        }
        return 0;
    }
}
