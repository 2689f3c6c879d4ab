namespace LlmSuite.Engine.Tokenizers;

/// <summary>
/// GPT-2's reversible byte-to-unicode map: printable Latin-1 bytes map to themselves, the other 68 bytes map to
/// U+0100.. in order, so every byte sequence becomes a string of visible characters (space becomes 'Ġ').
/// </summary>
internal static class ByteLevelMap
{
    /// <summary>Character for each byte value. [256]</summary>
    public static readonly char[] ByteToChar = BuildByteToChar();

    /// <summary>Byte for each mapped character, -1 when the character is not in the map. [324]</summary>
    public static readonly short[] CharToByte = BuildCharToByte();

    public static bool TryGetByte(char c, out byte value)
    {
        if (c < CharToByte.Length && CharToByte[c] >= 0)
        {
            value = (byte)CharToByte[c];
            return true;
        }
        value = 0;
        return false;
    }

    /// <summary>Maps raw bytes to their byte-level characters.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        return string.Create(bytes.Length, bytes.ToArray(), static (chars, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                chars[i] = ByteToChar[source[i]];
            }
        });
    }

    private static bool IsPrintable(int b) => b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;

    private static char[] BuildByteToChar()
    {
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            map[b] = IsPrintable(b) ? (char)b : (char)next++;
        }
        return map;
    }

    private static short[] BuildCharToByte()
    {
        var reverse = new short[324];
        Array.Fill(reverse, (short)-1);
        var forward = BuildByteToChar();
        for (var b = 0; b < 256; b++)
        {
            reverse[forward[b]] = (short)b;
        }
        return reverse;
    }
}
