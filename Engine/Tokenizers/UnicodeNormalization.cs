using System.Text;

namespace LlmSuite.Engine.Tokenizers;

/// <summary>Unicode normalization forms used by tokenizer normalizers.</summary>
internal static class UnicodeNormalization
{
    /// <summary>Returns the normalized text, or null when it is already normalized.</summary>
    public static string? Normalize(ReadOnlySpan<char> text, NormalizationForm form)
    {
        if (Ascii.IsValid(text))
        {
            return null;
        }
        var source = text.ToString();
        var result = source.Normalize(form);
        return result == source ? null : result;
    }
}
