using System.Text;

namespace LlmSuite.Engine.Tokenizers;

/// <summary>
/// How ids turn back into text (HF "decoder"), reduced to bytes per token: ByteLevel maps characters back through
/// the GPT-2 map; Replace/Metaspace turn ▁ into spaces; ByteFallback turns &lt;0xNN&gt; into a byte; Strip/Metaspace
/// remove leading spaces of the whole output. Added tokens decode to their content as is.
/// </summary>
internal sealed class DecoderSpec
{
    public bool ByteLevel { get; set; }

    public bool ByteFallback { get; set; }

    public List<(string From, string To)> Replacements { get; } = [];

    /// <summary>How many leading spaces of the whole output are removed.</summary>
    public int StripLeadingSpaces { get; set; }

    /// <summary>The bytes a vocabulary token decodes to.</summary>
    public byte[] TokenBytes(string token)
    {
        if (ByteLevel)
        {
            var direct = new byte[token.Length];
            var allMapped = true;
            for (var i = 0; i < token.Length && allMapped; i++)
            {
                allMapped = ByteLevelMap.TryGetByte(token[i], out direct[i]);
            }
            if (allMapped)
            {
                return direct;
            }
            var bytes = new List<byte>(token.Length);
            Span<byte> utf8 = stackalloc byte[4];
            foreach (var rune in token.EnumerateRunes())
            {
                if (rune.Value < ByteLevelMap.CharToByte.Length && ByteLevelMap.CharToByte[rune.Value] >= 0)
                {
                    bytes.Add((byte)ByteLevelMap.CharToByte[rune.Value]);
                }
                else
                {
                    var n = rune.EncodeToUtf8(utf8);
                    for (var k = 0; k < n; k++)
                    {
                        bytes.Add(utf8[k]);
                    }
                }
            }
            return [.. bytes];
        }
        if (ByteFallback && token.Length == 6 && token.StartsWith("<0x", StringComparison.Ordinal) && token[5] == '>'
            && byte.TryParse(token.AsSpan(3, 2), System.Globalization.NumberStyles.HexNumber, null, out var value))
        {
            return [value];
        }
        var text = token;
        foreach (var (from, to) in Replacements)
        {
            text = text.Replace(from, to, StringComparison.Ordinal);
        }
        return Encoding.UTF8.GetBytes(text);
    }
}
