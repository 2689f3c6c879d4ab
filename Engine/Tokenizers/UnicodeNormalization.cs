using System.Text;

namespace LlmSuite.Engine.Tokenizers;

/// <summary>
/// Unicode normalization (NFC, NFD, NFKC, NFKD) from generated tables (<see cref="UnicodeNormalizationData"/>):
/// full decomposition, canonical ordering, canonical composition, algorithmic Hangul. Needed because
/// string.Normalize does nothing under InvariantGlobalization.
/// </summary>
internal static class UnicodeNormalization
{
    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    private const int LCount = 19, VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = LCount * NCount;

    private static readonly Lazy<Tables> Data = new(BuildTables);

    /// <summary>Returns the normalized text, or null when it is already normalized.</summary>
    public static string? Normalize(ReadOnlySpan<char> text, NormalizationForm form)
    {
        // Fast paths: below U+0300 nothing composes or reorders; ASCII never decomposes.
        if (form == NormalizationForm.FormC ? !text.ContainsAnyExceptInRange('\0', '\u02FF') : Ascii.IsValid(text))
        {
            return null;
        }
        var tables = Data.Value;
        var compat = form is NormalizationForm.FormKC or NormalizationForm.FormKD;
        var compose = form is NormalizationForm.FormC or NormalizationForm.FormKC;
        var buffer = new List<int>(text.Length + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            Decompose(rune.Value, compat, tables, buffer);
        }
        Reorder(buffer, tables);
        if (compose)
        {
            Compose(buffer, tables);
        }
        var builder = new StringBuilder(buffer.Count + 4);
        foreach (var cp in buffer)
        {
            builder.Append(char.ConvertFromUtf32(cp));
        }
        var result = builder.ToString();
        return text.SequenceEqual(result) ? null : result;
    }

    private static void Decompose(int cp, bool compat, Tables tables, List<int> output)
    {
        if (cp >= SBase && cp < SBase + SCount)
        {
            var s = cp - SBase;
            output.Add(LBase + s / NCount);
            output.Add(VBase + s % NCount / TCount);
            if (s % TCount != 0)
            {
                output.Add(TBase + s % TCount);
            }
            return;
        }
        if ((compat && tables.Compatibility.TryGetValue(cp, out var sequence)) || tables.Canonical.TryGetValue(cp, out sequence))
        {
            output.AddRange(sequence);
            return;
        }
        output.Add(cp);
    }

    /// <summary>Canonical ordering: stable sort of each run of non-starters by combining class.</summary>
    private static void Reorder(List<int> cps, Tables tables)
    {
        for (var i = 1; i < cps.Count; i++)
        {
            var ccc = Ccc(cps[i], tables);
            if (ccc == 0)
            {
                continue;
            }
            var j = i;
            var cp = cps[i];
            while (j > 0 && Ccc(cps[j - 1], tables) > ccc)
            {
                cps[j] = cps[j - 1];
                j--;
            }
            cps[j] = cp;
        }
    }

    /// <summary>Canonical composition (UAX #15): a character joins the last starter unless blocked.</summary>
    private static void Compose(List<int> cps, Tables tables)
    {
        if (cps.Count == 0)
        {
            return;
        }
        var starter = 0;
        var lastClass = Ccc(cps[0], tables) == 0 ? 0 : 256; // text starting with a mark has no starter yet
        var write = 1;
        for (var read = 1; read < cps.Count; read++)
        {
            var cp = cps[read];
            var ccc = Ccc(cp, tables);
            if ((lastClass < ccc || lastClass == 0) && TryCompose(cps[starter], cp, tables, out var composite))
            {
                cps[starter] = composite;
                continue;
            }
            if (ccc == 0)
            {
                starter = write;
            }
            lastClass = ccc;
            cps[write++] = cp;
        }
        cps.RemoveRange(write, cps.Count - write);
    }

    private static bool TryCompose(int first, int second, Tables tables, out int composite)
    {
        if (first >= LBase && first < LBase + LCount && second >= VBase && second < VBase + VCount)
        {
            composite = SBase + ((first - LBase) * VCount + (second - VBase)) * TCount;
            return true;
        }
        if (first >= SBase && first < SBase + SCount && (first - SBase) % TCount == 0 && second > TBase && second < TBase + TCount)
        {
            composite = first + (second - TBase);
            return true;
        }
        return tables.Compositions.TryGetValue(((long)first << 21) | (uint)second, out composite);
    }

    private static int Ccc(int cp, Tables tables) => cp < 0x300 ? 0 : tables.CombiningClass.GetValueOrDefault(cp);

    private sealed record Tables(
        Dictionary<int, int> CombiningClass,
        Dictionary<int, int[]> Canonical,
        Dictionary<int, int[]> Compatibility,
        Dictionary<long, int> Compositions);

    private static Tables BuildTables()
    {
        var ccc = new Dictionary<int, int>();
        var pairs = UnicodeNormalizationData.CombiningClasses;
        for (var i = 0; i < pairs.Length; i += 2)
        {
            ccc[pairs[i]] = pairs[i + 1];
        }
        var compositions = new Dictionary<long, int>();
        var triples = UnicodeNormalizationData.Compositions;
        for (var i = 0; i < triples.Length; i += 3)
        {
            compositions[((long)triples[i] << 21) | (uint)triples[i + 1]] = triples[i + 2];
        }
        return new Tables(ccc, ReadDecompositions(UnicodeNormalizationData.CanonicalDecompositions),
            ReadDecompositions(UnicodeNormalizationData.CompatibilityDecompositions), compositions);
    }

    private static Dictionary<int, int[]> ReadDecompositions(ReadOnlySpan<int> data)
    {
        var map = new Dictionary<int, int[]>();
        for (var i = 0; i < data.Length;)
        {
            var cp = data[i];
            var length = data[i + 1];
            map[cp] = data.Slice(i + 2, length).ToArray();
            i += 2 + length;
        }
        return map;
    }
}
