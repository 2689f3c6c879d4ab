using System.Text;

namespace LlmSuite.Engine.Tokenizers;

public sealed partial class Tokenizer
{
    /// <summary>
    /// Loads a tiktoken ".tiktoken" file (lines "base64(token bytes) rank") as a byte-level BPE: merges are implied by
    /// ranks (two adjacent parts merge when their concatenation is a token; lowest rank first), and a pre-token that
    /// is itself a token encodes to it directly, as in tiktoken.
    /// </summary>
    /// <param name="path">The .tiktoken file.</param>
    /// <param name="pattern">The split regex (see <see cref="PreTokenizerPatterns"/>).</param>
    /// <param name="specialTokens">Special tokens (content -> id), matched in text like HF added tokens.</param>
    public static Tokenizer FromTiktoken(string path, string pattern, IReadOnlyDictionary<string, int>? specialTokens = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(pattern);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"tiktoken file '{path}' does not exist.", path);
        }
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        var tokens = new List<(string Text, int Rank)>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }
            var space = line.IndexOf(' ');
            byte[] bytes;
            try
            {
                bytes = space > 0 ? Convert.FromBase64String(line[..space]) : throw new FormatException("missing rank");
            }
            catch (FormatException e)
            {
                throw new FormatException($"{path}:{lineNumber}: expected 'base64 rank': {e.Message}", e);
            }
            if (!int.TryParse(line.AsSpan(space + 1), out var rank) || rank < 0)
            {
                throw new FormatException($"{path}:{lineNumber}: rank is not a non-negative integer.");
            }
            var text = ByteLevelMap.Encode(bytes);
            vocab[text] = rank;
            tokens.Add((text, rank));
        }
        var merges = MergesFromRanks(vocab, tokens.Select(t => (t.Text, (long)t.Rank)));
        var model = new BpeModel(vocab, merges, new BpeOptions { ByteLevel = true, IgnoreMerges = true });
        var added = (specialTokens ?? new Dictionary<string, int>())
            .Select(p => new AddedToken(p.Value, p.Key, Special: true)).ToList();
        return new Tokenizer(new TokenizerParts
        {
            Model = model,
            PreTokenizer = new SequencePreTokenizer([
                new SplitPreTokenizer(new RegexSplitter(pattern), SplitBehavior.Isolated, invert: false),
                new ByteLevelPreTokenizer(addPrefixSpace: false, useRegex: false)]),
            Decoder = new DecoderSpec { ByteLevel = true },
            AddedTokens = added,
            EosTokenId = specialTokens is not null && specialTokens.TryGetValue("<|endoftext|>", out var eot) ? eot : null,
        });
    }

    /// <summary>
    /// Derives a merge table from token priorities: every split of a token into two tokens is a merge whose rank is
    /// the token's priority (lower merges first).
    /// </summary>
    internal static Dictionary<long, long> MergesFromRanks(Dictionary<string, int> vocab, IEnumerable<(string Text, long Rank)> tokens)
    {
        var lookup = vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        var merges = new Dictionary<long, long>();
        foreach (var (text, rank) in tokens)
        {
            var id = vocab[text];
            for (var i = 1; i < text.Length; i++)
            {
                if (char.IsLowSurrogate(text[i]) && char.IsHighSurrogate(text[i - 1]))
                {
                    continue; // never split a surrogate pair
                }
                if (lookup.TryGetValue(text.AsSpan(0, i), out var left) && lookup.TryGetValue(text.AsSpan(i), out var right))
                {
                    var key = BpeModel.PairKey(left, right);
                    if (!merges.TryGetValue(key, out var existing) || (existing >> 32) > rank)
                    {
                        merges[key] = (rank << 32) | (uint)id;
                    }
                }
            }
        }
        return merges;
    }
}

/// <summary>Regexes and special tokens of OpenAI's tiktoken encodings.</summary>
public static class TiktokenEncodings
{
    /// <summary>The split regex of an encoding (r50k_base, p50k_base, p50k_edit, cl100k_base, o200k_base).</summary>
    public static string Pattern(string encodingName) => encodingName switch
    {
        "r50k_base" or "p50k_base" or "p50k_edit" or "gpt2" => PreTokenizerPatterns.Gpt2,
        "cl100k_base" => PreTokenizerPatterns.Cl100k,
        "o200k_base" => PreTokenizerPatterns.O200k,
        _ => throw new NotSupportedException($"tiktoken encoding '{encodingName}' is not known."),
    };

    /// <summary>The special tokens of an encoding.</summary>
    public static IReadOnlyDictionary<string, int> SpecialTokens(string encodingName) => encodingName switch
    {
        "r50k_base" or "p50k_base" or "gpt2" => new Dictionary<string, int> { ["<|endoftext|>"] = 50256 },
        "p50k_edit" => new Dictionary<string, int>
        {
            ["<|endoftext|>"] = 50256, ["<|fim_prefix|>"] = 50281, ["<|fim_middle|>"] = 50282, ["<|fim_suffix|>"] = 50283,
        },
        "cl100k_base" => new Dictionary<string, int>
        {
            ["<|endoftext|>"] = 100257, ["<|fim_prefix|>"] = 100258, ["<|fim_middle|>"] = 100259,
            ["<|fim_suffix|>"] = 100260, ["<|endofprompt|>"] = 100276,
        },
        "o200k_base" => new Dictionary<string, int> { ["<|endoftext|>"] = 199999, ["<|endofprompt|>"] = 200018 },
        _ => throw new NotSupportedException($"tiktoken encoding '{encodingName}' is not known."),
    };
}
