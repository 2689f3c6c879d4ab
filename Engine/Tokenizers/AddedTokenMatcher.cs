using System.Buffers;

namespace LlmSuite.Engine.Tokenizers;

/// <summary>Finds added tokens in text: leftmost match first, longest token at that position, with HF's flags.</summary>
internal sealed class AddedTokenMatcher
{
    private readonly Dictionary<char, AddedToken[]> _byFirstChar;
    private readonly SearchValues<char> _firstChars;

    public AddedTokenMatcher(IEnumerable<AddedToken> tokens)
    {
        _byFirstChar = tokens
            .Where(t => t.Content.Length > 0)
            .GroupBy(t => t.Content[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Content.Length).ThenBy(t => t.Id).ToArray());
        _firstChars = SearchValues.Create(_byFirstChar.Keys.ToArray());
        IsEmpty = _byFirstChar.Count == 0;
    }

    public bool IsEmpty { get; }

    /// <summary>
    /// Finds the first added token at or after <paramref name="from"/>. start/end include stripped whitespace,
    /// never reaching before <paramref name="from"/>.
    /// </summary>
    public bool TryFindNext(ReadOnlySpan<char> text, int from, out int start, out int end, out AddedToken? token)
    {
        var i = from;
        while (!IsEmpty && i < text.Length)
        {
            var offset = text[i..].IndexOfAny(_firstChars);
            if (offset < 0)
            {
                break;
            }
            var position = i + offset;
            foreach (var candidate in _byFirstChar[text[position]])
            {
                if (!text[position..].StartsWith(candidate.Content, StringComparison.Ordinal))
                {
                    continue;
                }
                var matchEnd = position + candidate.Content.Length;
                if (candidate.SingleWord && !IsWordBoundary(text, position, matchEnd))
                {
                    continue;
                }
                start = position;
                end = matchEnd;
                if (candidate.LStrip)
                {
                    while (start > from && char.IsWhiteSpace(text[start - 1]))
                    {
                        start--;
                    }
                }
                if (candidate.RStrip)
                {
                    while (end < text.Length && char.IsWhiteSpace(text[end]))
                    {
                        end++;
                    }
                }
                token = candidate;
                return true;
            }
            i = position + 1;
        }
        start = end = -1;
        token = null;
        return false;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static bool IsWordBoundary(ReadOnlySpan<char> text, int start, int end)
    {
        var leftOk = start == 0 || !IsWordChar(text[start - 1]) || !IsWordChar(text[start]);
        var rightOk = end >= text.Length || !IsWordChar(text[end]) || !IsWordChar(text[end - 1]);
        return leftOk && rightOk;
    }
}
