using System.Globalization;

namespace LlmSuite.Engine.Serving;

/// <summary>Parses memory sizes for options such as --kv-cache-memory: "1073741824", "512MiB", "4GiB", "2GB", "1.5G", "800M".</summary>
public static class ByteSize
{
    /// <summary>Bytes of <paramref name="text"/>; binary units (KiB/MiB/GiB/TiB, K/M/G/T) are powers of 1024, decimal ones (KB/MB/GB/TB) of 1000.</summary>
    public static long Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim();
        int split = 0;
        while (split < t.Length && (char.IsDigit(t[split]) || t[split] == '.'))
        {
            split++;
        }
        string unit = t[split..].Trim().ToUpperInvariant();
        double multiplier = unit switch
        {
            "" or "B" => 1,
            "K" or "KIB" => 1L << 10,
            "M" or "MIB" => 1L << 20,
            "G" or "GIB" => 1L << 30,
            "T" or "TIB" => 1L << 40,
            "KB" => 1e3,
            "MB" => 1e6,
            "GB" => 1e9,
            "TB" => 1e12,
            _ => throw new FormatException($"'{text}': unknown unit '{t[split..]}' (use B, KiB, MiB, GiB, TiB, KB, MB, GB or TB)"),
        };
        if (split == 0 || !double.TryParse(t[..split], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value) || value <= 0)
        {
            throw new FormatException($"'{text}' is not a positive size such as 4GiB or 512MiB");
        }
        return (long)(value * multiplier);
    }
}
