using System.Text;
using System.Text.RegularExpressions;

namespace LlmSuite.Engine.Tokenizers;

/// <summary>
/// A text normalizer (HF tokenizers' "normalizer"). Returns the normalized text, or null when the text is unchanged.
/// </summary>
internal abstract class Normalizer
{
    public abstract string? Apply(ReadOnlySpan<char> text);
}

/// <summary>Unicode normalization (NFC, NFD, NFKC, NFKD), with our own tables (works in invariant globalization mode).</summary>
internal sealed class UnicodeNormalizer(NormalizationForm form) : Normalizer
{
    public override string? Apply(ReadOnlySpan<char> text) => UnicodeNormalization.Normalize(text, form);
}

/// <summary>Lowercases with invariant culture rules.</summary>
internal sealed class LowercaseNormalizer : Normalizer
{
    public override string? Apply(ReadOnlySpan<char> text)
    {
        var buffer = new char[text.Length];
        text.ToLowerInvariant(buffer);
        return text.SequenceEqual(buffer) ? null : new string(buffer);
    }
}

/// <summary>Prepends a string to non-empty text (SentencePiece's dummy prefix "▁").</summary>
internal sealed class PrependNormalizer(string prefix) : Normalizer
{
    public override string? Apply(ReadOnlySpan<char> text) => text.IsEmpty ? null : string.Concat(prefix, text);
}

/// <summary>Replaces every occurrence of a literal string or a regex with content.</summary>
internal sealed class ReplaceNormalizer : Normalizer
{
    private readonly string? _literal;
    private readonly Regex? _regex;
    private readonly string _content;

    public ReplaceNormalizer(string? literal, string? regex, string content)
    {
        _literal = literal;
        _regex = regex is null ? null : new Regex(regex, RegexOptions.CultureInvariant | RegexOptions.Compiled);
        _content = content;
    }

    public override string? Apply(ReadOnlySpan<char> text)
    {
        if (_literal is not null)
        {
            return _literal.Length == 0 || text.IndexOf(_literal, StringComparison.Ordinal) < 0
                ? null
                : text.ToString().Replace(_literal, _content, StringComparison.Ordinal);
        }
        var source = text.ToString();
        var result = _regex!.Replace(source, _content.Replace("$", "$$", StringComparison.Ordinal));
        return ReferenceEquals(result, source) || result == source ? null : result;
    }
}

/// <summary>Strips whitespace on the left and/or right.</summary>
internal sealed class StripNormalizer(bool left, bool right) : Normalizer
{
    public override string? Apply(ReadOnlySpan<char> text)
    {
        var trimmed = left ? text.TrimStart() : text;
        trimmed = right ? trimmed.TrimEnd() : trimmed;
        return trimmed.Length == text.Length ? null : trimmed.ToString();
    }
}

/// <summary>Removes combining marks (HF StripAccents; meant to follow NFD).</summary>
internal sealed class StripAccentsNormalizer : Normalizer
{
    public override string? Apply(ReadOnlySpan<char> text)
    {
        var builder = new StringBuilder(text.Length);
        var changed = false;
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) == System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                changed = true;
                continue;
            }
            builder.Append(rune.ToString());
        }
        return changed ? builder.ToString() : null;
    }
}

/// <summary>Applies normalizers in order.</summary>
internal sealed class SequenceNormalizer(IReadOnlyList<Normalizer> normalizers) : Normalizer
{
    public override string? Apply(ReadOnlySpan<char> text)
    {
        string? current = null;
        foreach (var normalizer in normalizers)
        {
            var result = normalizer.Apply(current is null ? text : current.AsSpan());
            if (result is not null)
            {
                current = result;
            }
        }
        return current;
    }
}
