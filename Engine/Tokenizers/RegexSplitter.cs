using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace LlmSuite.Engine.Tokenizers;

/// <summary>
/// Finds the matches of a pre-tokenizer regex with the semantics of the Rust regex engines HF and tiktoken use.
/// .NET regexes see UTF-16 code units, so a supplementary character (emoji, 𝐀, CJK ext-B) would be two
/// "non-letters"; before matching, each such pair is replaced by one BMP stand-in of the same Unicode general
/// category, and match positions are mapped back.
/// </summary>
internal sealed class RegexSplitter
{
    private static readonly ConcurrentDictionary<string, Regex> Compiled = new(StringComparer.Ordinal);

    private readonly Regex _regex;

    public RegexSplitter(string pattern)
    {
        _regex = KnownRegexes.TryGet(pattern) ?? Compiled.GetOrAdd(pattern, static p =>
        {
            try
            {
                return new Regex(p, RegexOptions.Compiled | RegexOptions.CultureInvariant);
            }
            catch (ArgumentException e)
            {
                throw new NotSupportedException($"The pre-tokenizer regex '{p}' is not supported by .NET: {e.Message}", e);
            }
        });
    }

    /// <summary>Creates a splitter for a literal pattern.</summary>
    public static RegexSplitter ForLiteral(string literal) => new(Regex.Escape(literal));

    /// <summary>The matches of the pattern inside text[range] as absolute ranges, in order.</summary>
    public List<Piece> Matches(ReadOnlySpan<char> text, Piece range)
    {
        var result = t_matches ??= new List<Piece>();
        result.Clear();
        var slice = text.Slice(range.Start, range.Length);
        if (slice.IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            foreach (var match in _regex.EnumerateMatches(slice))
            {
                if (match.Length > 0)
                {
                    result.Add(new Piece(range.Start + match.Index, match.Length));
                }
            }
            return result;
        }
        var substituted = ArrayPool<char>.Shared.Rent(slice.Length);
        var origin = ArrayPool<int>.Shared.Rent(slice.Length + 1); // substituted index -> index in slice
        try
        {
            var count = 0;
            for (var i = 0; i < slice.Length;)
            {
                origin[count] = i;
                if (char.IsHighSurrogate(slice[i]) && i + 1 < slice.Length && char.IsLowSurrogate(slice[i + 1]))
                {
                    substituted[count++] = StandIn(Rune.GetUnicodeCategory(new Rune(slice[i], slice[i + 1])));
                    i += 2;
                }
                else
                {
                    substituted[count++] = slice[i];
                    i++;
                }
            }
            origin[count] = slice.Length;
            foreach (var match in _regex.EnumerateMatches(substituted.AsSpan(0, count)))
            {
                if (match.Length > 0)
                {
                    var start = origin[match.Index];
                    var end = origin[match.Index + match.Length];
                    result.Add(new Piece(range.Start + start, end - start));
                }
            }
            return result;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(substituted);
            ArrayPool<int>.Shared.Return(origin);
        }
    }

    [ThreadStatic]
    private static List<Piece>? t_matches;

    /// <summary>A BMP character of the given general category that none of the known patterns names literally.</summary>
    internal static char StandIn(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter => '\u00C0',
        UnicodeCategory.LowercaseLetter => '\u00E0',
        UnicodeCategory.TitlecaseLetter => '\u01C5',
        UnicodeCategory.ModifierLetter => '\u02B0',
        UnicodeCategory.OtherLetter => '\u05D0',
        UnicodeCategory.NonSpacingMark => '\u0300',
        UnicodeCategory.SpacingCombiningMark => '\u0903',
        UnicodeCategory.EnclosingMark => '\u20DD',
        UnicodeCategory.DecimalDigitNumber => '\u0660',
        UnicodeCategory.LetterNumber => '\u2160',
        UnicodeCategory.OtherNumber => '\u00B2',
        UnicodeCategory.ConnectorPunctuation => '\u203F',
        UnicodeCategory.DashPunctuation => '\u2010',
        UnicodeCategory.OpenPunctuation => '\u2045',
        UnicodeCategory.ClosePunctuation => '\u2046',
        UnicodeCategory.InitialQuotePunctuation => '\u00AB',
        UnicodeCategory.FinalQuotePunctuation => '\u00BB',
        UnicodeCategory.OtherPunctuation => '\u00A1',
        UnicodeCategory.MathSymbol => '\u00AC',
        UnicodeCategory.CurrencySymbol => '\u00A2',
        UnicodeCategory.ModifierSymbol => '\u00AF',
        UnicodeCategory.OtherSymbol => '\u00A9',
        UnicodeCategory.Format => '\u00AD',
        UnicodeCategory.PrivateUse => '\uE000',
        _ => '\u0378', // unassigned
    };
}
