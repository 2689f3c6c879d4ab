using System.Text.RegularExpressions;

namespace LlmSuite.Engine.Tokenizers;

/// <summary>
/// Source-generated regexes for the well-known split patterns: no construction cost at load time and the fastest
/// matcher .NET has. Other patterns fall back to <see cref="RegexOptions.Compiled"/>.
/// </summary>
internal static partial class KnownRegexes
{
    public static Regex? TryGet(string pattern) => pattern switch
    {
        PreTokenizerPatterns.Gpt2 => Gpt2(),
        PreTokenizerPatterns.Cl100k => Cl100k(),
        PreTokenizerPatterns.Qwen2 => Qwen2(),
        PreTokenizerPatterns.O200k => O200k(),
        _ => null,
    };

    [GeneratedRegex(PreTokenizerPatterns.Gpt2, RegexOptions.CultureInvariant)]
    private static partial Regex Gpt2();

    [GeneratedRegex(PreTokenizerPatterns.Cl100k, RegexOptions.CultureInvariant)]
    private static partial Regex Cl100k();

    [GeneratedRegex(PreTokenizerPatterns.Qwen2, RegexOptions.CultureInvariant)]
    private static partial Regex Qwen2();

    [GeneratedRegex(PreTokenizerPatterns.O200k, RegexOptions.CultureInvariant)]
    private static partial Regex O200k();
}
