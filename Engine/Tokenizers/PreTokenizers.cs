using System.Text;

namespace LlmSuite.Engine.Tokenizers;

/// <summary>
/// A pre-tokenizer (HF "pre_tokenizer"): optionally rewrites a segment of text (Metaspace, ByteLevel's prefix
/// space), then splits ranges of it into pre-tokens that the model encodes independently.
/// </summary>
internal abstract class PreTokenizer
{
    /// <summary>Rewrites the whole segment before splitting, or returns null. isFirst: the segment starts the input.</summary>
    public virtual string? Rewrite(ReadOnlySpan<char> text, bool isFirst) => null;

    /// <summary>Splits text[range] and appends the pieces (absolute ranges into text) to output.</summary>
    public abstract void Split(ReadOnlySpan<char> text, Piece range, List<Piece> output);

    /// <summary>Whether the model must see UTF-8 bytes through the GPT-2 byte map.</summary>
    public virtual bool IsByteLevel => false;
}

/// <summary>A range of the text being tokenized.</summary>
internal readonly record struct Piece(int Start, int Length)
{
    public int End => Start + Length;
}

/// <summary>How a split pattern's matches are kept (HF SplitDelimiterBehavior).</summary>
internal enum SplitBehavior
{
    Removed,
    Isolated,
    MergedWithPrevious,
    MergedWithNext,
    Contiguous,
}

/// <summary>HF "Split": a regex or literal pattern with a delimiter behavior, optionally inverted.</summary>
internal sealed class SplitPreTokenizer(RegexSplitter splitter, SplitBehavior behavior, bool invert) : PreTokenizer
{
    public override void Split(ReadOnlySpan<char> text, Piece range, List<Piece> output)
    {
        var first = output.Count;
        var position = range.Start;
        var pendingMerge = -1; // start of a delimiter to merge into the next piece
        var lastWasDelimiter = false;
        foreach (var match in splitter.Matches(text, range))
        {
            if (match.Start > position)
            {
                Emit(new Piece(position, match.Start - position), invert);
            }
            Emit(match, !invert);
            position = match.End;
        }
        if (position < range.End)
        {
            Emit(new Piece(position, range.End - position), invert);
        }
        if (pendingMerge >= 0)
        {
            output.Add(new Piece(pendingMerge, range.End - pendingMerge));
        }

        void Emit(Piece piece, bool isDelimiter)
        {
            if (piece.Length == 0)
            {
                return;
            }
            if (pendingMerge >= 0)
            {
                piece = new Piece(pendingMerge, piece.End - pendingMerge);
                pendingMerge = -1;
                if (isDelimiter && behavior == SplitBehavior.MergedWithNext)
                {
                    pendingMerge = piece.Start;
                    lastWasDelimiter = true;
                    return;
                }
                output.Add(piece);
                lastWasDelimiter = isDelimiter;
                return;
            }
            if (!isDelimiter)
            {
                output.Add(piece);
                lastWasDelimiter = false;
                return;
            }
            switch (behavior)
            {
                case SplitBehavior.Removed:
                    break;
                case SplitBehavior.Isolated:
                    output.Add(piece);
                    break;
                case SplitBehavior.MergedWithPrevious:
                    if (output.Count > first && !lastWasDelimiter)
                    {
                        var previous = output[^1];
                        output[^1] = new Piece(previous.Start, piece.End - previous.Start);
                    }
                    else
                    {
                        output.Add(piece);
                    }
                    break;
                case SplitBehavior.MergedWithNext:
                    pendingMerge = piece.Start;
                    break;
                case SplitBehavior.Contiguous:
                    if (output.Count > first && lastWasDelimiter && output[^1].End == piece.Start)
                    {
                        var previous = output[^1];
                        output[^1] = new Piece(previous.Start, piece.End - previous.Start);
                    }
                    else
                    {
                        output.Add(piece);
                    }
                    break;
            }
            lastWasDelimiter = true;
        }
    }
}

/// <summary>HF "ByteLevel": optional prefix space, optional GPT-2 regex split; the model then works on bytes.</summary>
internal sealed class ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex) : PreTokenizer
{
    private static readonly RegexSplitter Gpt2 = new(PreTokenizerPatterns.Gpt2);

    public override bool IsByteLevel => true;

    public override string? Rewrite(ReadOnlySpan<char> text, bool isFirst)
    {
        return addPrefixSpace && !text.IsEmpty && text[0] != ' ' ? string.Concat(" ", text) : null;
    }

    public override void Split(ReadOnlySpan<char> text, Piece range, List<Piece> output)
    {
        if (!useRegex)
        {
            output.Add(range);
            return;
        }
        foreach (var match in Gpt2.Matches(text, range))
        {
            output.Add(match);
        }
    }
}

/// <summary>HF "Metaspace": spaces become the replacement char (▁), a prefix is added, and text splits before each ▁.</summary>
internal sealed class MetaspacePreTokenizer(char replacement, string prependScheme, bool split) : PreTokenizer
{
    public override string? Rewrite(ReadOnlySpan<char> text, bool isFirst)
    {
        var replaced = text.ToString().Replace(' ', replacement);
        var prepend = prependScheme == "always" || (prependScheme == "first" && isFirst);
        if (prepend && !text.IsEmpty && replaced[0] != replacement)
        {
            replaced = replacement + replaced;
        }
        return replaced;
    }

    public override void Split(ReadOnlySpan<char> text, Piece range, List<Piece> output)
    {
        if (!split)
        {
            output.Add(range);
            return;
        }
        var start = range.Start;
        for (var i = range.Start + 1; i < range.End; i++)
        {
            if (text[i] == replacement)
            {
                output.Add(new Piece(start, i - start));
                start = i;
            }
        }
        output.Add(new Piece(start, range.End - start));
    }
}

/// <summary>HF "Digits": isolates runs of digits (or single digits when individual).</summary>
internal sealed class DigitsPreTokenizer(bool individualDigits) : PreTokenizer
{
    public override void Split(ReadOnlySpan<char> text, Piece range, List<Piece> output)
    {
        var start = range.Start;
        for (var i = range.Start; i < range.End; i++)
        {
            if (!char.IsDigit(text[i]))
            {
                continue;
            }
            if (i > start)
            {
                output.Add(new Piece(start, i - start));
            }
            var end = i + 1;
            if (!individualDigits)
            {
                while (end < range.End && char.IsDigit(text[end]))
                {
                    end++;
                }
            }
            output.Add(new Piece(i, end - i));
            start = end;
            i = end - 1;
        }
        if (start < range.End)
        {
            output.Add(new Piece(start, range.End - start));
        }
    }
}

/// <summary>HF "Sequence": rewrites in order, then each pre-tokenizer splits the pieces of the previous one.</summary>
internal sealed class SequencePreTokenizer(IReadOnlyList<PreTokenizer> steps) : PreTokenizer
{
    [ThreadStatic]
    private static List<Piece>? t_scratch;

    [ThreadStatic]
    private static List<Piece>? t_next;

    public override bool IsByteLevel => steps.Any(s => s.IsByteLevel);

    public override string? Rewrite(ReadOnlySpan<char> text, bool isFirst)
    {
        string? current = null;
        foreach (var step in steps)
        {
            var result = step.Rewrite(current is null ? text : current.AsSpan(), isFirst);
            if (result is not null)
            {
                current = result;
            }
        }
        return current;
    }

    public override void Split(ReadOnlySpan<char> text, Piece range, List<Piece> output)
    {
        var current = t_scratch ?? new List<Piece>();
        var next = t_next ?? new List<Piece>();
        t_scratch = t_next = null;
        try
        {
            current.Clear();
            current.Add(range);
            for (var s = 0; s < steps.Count; s++)
            {
                var target = s == steps.Count - 1 ? output : next;
                if (target == next)
                {
                    next.Clear();
                }
                foreach (var piece in current)
                {
                    steps[s].Split(text, piece, target);
                }
                if (target == next)
                {
                    (current, next) = (next, current);
                }
            }
        }
        finally
        {
            t_scratch = current;
            t_next = next;
        }
    }
}

/// <summary>
/// For SentencePiece-style models without a pre-tokenizer: splits before each ▁ that follows another character.
/// Used only when no vocabulary token contains such a boundary, so it cannot change the result; it lets long texts
/// be encoded word by word (with the cache) instead of as one huge symbol sequence.
/// </summary>
internal sealed class MetaspaceBoundarySplitter : PreTokenizer
{
    private const char Metaspace = '\u2581';

    /// <summary>Whether splitting is exact for this vocabulary (no token has ▁ right after a non-▁ character).</summary>
    public static bool IsExactFor(IEnumerable<string> vocabulary)
    {
        foreach (var token in vocabulary)
        {
            for (var i = token.IndexOf(Metaspace, 1); i > 0; i = token.IndexOf(Metaspace, i + 1))
            {
                if (token[i - 1] != Metaspace)
                {
                    return false;
                }
            }
        }
        return true;
    }

    public override void Split(ReadOnlySpan<char> text, Piece range, List<Piece> output)
    {
        var start = range.Start;
        for (var i = range.Start + 1; i < range.End; i++)
        {
            if (text[i] == Metaspace && text[i - 1] != Metaspace)
            {
                output.Add(new Piece(start, i - start));
                start = i;
            }
        }
        output.Add(new Piece(start, range.End - start));
    }
}
