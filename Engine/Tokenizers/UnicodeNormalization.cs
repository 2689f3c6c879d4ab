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
        if (Ascii.IsValid(text))
        {
            return null;
        }
        var tables = Data.Value;
        var compat = form is NormalizationForm.FormKC or NormalizationForm.FormKD;
        var compose = form is NormalizationForm.FormC or NormalizationForm.FormKC;
        if (IsQuickYes(text, tables, compat, compose))
        {
            return null;
        }
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
            if (cp < 0x10000)
            {
                builder.Append((char)cp);
            }
            else
            {
                builder.Append((char)(0xD7C0 + (cp >> 10))).Append((char)(0xDC00 | (cp & 0x3FF)));
            }
        }
        var result = builder.ToString();
        return text.SequenceEqual(result) ? null : result;
    }

    /// <summary>
    /// True when no character can change under the form: none decomposes (for the form), none is a combining mark,
    /// and (when composing) none can be the second half of a composition. Then the text is already normalized.
    /// </summary>
    private static bool IsQuickYes(ReadOnlySpan<char> text, Tables tables, bool compat, bool compose)
    {
        var mask = (byte)((compose, compat) switch
        {
            (false, false) => Tables.CanonicalFlag | Tables.MarkFlag,
            (false, true) => Tables.CompatFlag | Tables.MarkFlag,
            (true, false) => Tables.NfcChangeFlag | Tables.MarkFlag | Tables.SecondFlag,
            (true, true) => Tables.NfkcChangeFlag | Tables.MarkFlag | Tables.SecondFlag,
        });
        foreach (var rune in text.EnumerateRunes())
        {
            var cp = rune.Value;
            if (cp < 0x80)
            {
                continue;
            }
            var flags = cp < 0x10000 ? tables.BmpFlags[cp] : tables.AstralFlags.GetValueOrDefault(cp);
            if ((flags & mask) != 0)
            {
                return false;
            }
        }
        return true;
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
        Dictionary<long, int> Compositions)
    {
        public const byte CanonicalFlag = 1, CompatFlag = 2, MarkFlag = 4, SecondFlag = 8, NfcChangeFlag = 16, NfkcChangeFlag = 32;

        /// <summary>Per BMP code point: which normalization steps could change it. [65536]</summary>
        public byte[] BmpFlags { get; } = new byte[0x10000];

        public Dictionary<int, byte> AstralFlags { get; } = [];

        public void Flag(int cp, byte flag)
        {
            if (cp < 0x10000)
            {
                BmpFlags[cp] |= flag;
            }
            else
            {
                AstralFlags[cp] = (byte)(AstralFlags.GetValueOrDefault(cp) | flag);
            }
        }
    }

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
        var tables = new Tables(ccc, ReadDecompositions(UnicodeNormalizationData.CanonicalDecompositions),
            ReadDecompositions(UnicodeNormalizationData.CompatibilityDecompositions), compositions);
        foreach (var (cp, decomposition) in tables.Canonical)
        {
            tables.Flag(cp, Tables.CanonicalFlag | Tables.CompatFlag);
            var recomposed = new List<int>(decomposition);
            Reorder(recomposed, tables);
            Compose(recomposed, tables);
            if (recomposed.Count != 1 || recomposed[0] != cp)
            {
                tables.Flag(cp, Tables.NfcChangeFlag | Tables.NfkcChangeFlag); // never appears in NFC (exclusions, singletons)
            }
        }
        foreach (var cp in tables.Compatibility.Keys)
        {
            tables.Flag(cp, Tables.CompatFlag | Tables.NfkcChangeFlag);
        }
        foreach (var cp in ccc.Keys)
        {
            tables.Flag(cp, Tables.MarkFlag);
        }
        for (var i = 0; i < triples.Length; i += 3)
        {
            tables.Flag(triples[i + 1], Tables.SecondFlag);
        }
        for (var cp = SBase; cp < SBase + SCount; cp++)
        {
            tables.Flag(cp, Tables.CanonicalFlag | Tables.CompatFlag); // Hangul syllables decompose (NFD/NFKD)
        }
        for (var cp = VBase; cp < VBase + VCount; cp++)
        {
            tables.Flag(cp, Tables.SecondFlag);
        }
        for (var cp = TBase + 1; cp < TBase + TCount; cp++)
        {
            tables.Flag(cp, Tables.SecondFlag);
        }
        return tables;
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
