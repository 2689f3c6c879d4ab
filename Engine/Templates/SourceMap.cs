namespace LlmSuite.Engine.Templates;

/// <summary>Maps a source offset to a 1-based (line, column).</summary>
internal readonly struct SourceMap(List<int> lineStarts)
{
    public (int Line, int Column) Locate(int pos)
    {
        var idx = lineStarts.BinarySearch(pos);
        if (idx < 0)
        {
            idx = ~idx - 1;
        }

        return (idx + 1, pos - lineStarts[idx] + 1);
    }
}

internal static class CharExtensions
{
    /// <summary>Like <see cref="char.ConvertFromUtf32"/> but lone surrogates become a single UTF-16 unit.</summary>
    public static string ConvertFromUtf32IfValid(int cp)
        => cp is >= 0xD800 and <= 0xDFFF ? ((char)cp).ToString() : char.ConvertFromUtf32(cp);
}
