using System.Text.Json;

namespace LlmSuite.Engine.Tokenizers;

/// <summary>
/// One streaming pass over tokenizer.json with <see cref="Utf8JsonReader"/>: the large parts (model.vocab and
/// model.merges, e.g. 151k + 151k entries for Qwen3) go straight into dictionaries without a DOM; everything else
/// is kept as small <see cref="JsonElement"/>s for <see cref="TokenizerJsonReader"/>.
/// </summary>
internal sealed class TokenizerJsonScanner
{
    public Dictionary<string, JsonElement> Root { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, JsonElement> Model { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, int>? Vocab { get; private set; }

    /// <summary>Merges in file order as (left, right) strings, when they came before the vocabulary.</summary>
    public List<(string Left, string Right)>? Merges { get; private set; }

    /// <summary>Merges in file order as (left id, right id), when the vocabulary came first (the usual order).</summary>
    public List<(int Left, int Right)>? MergeIds { get; private set; }

    public static TokenizerJsonScanner Scan(ReadOnlySpan<byte> utf8)
    {
        var scanner = new TokenizerJsonScanner();
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { AllowTrailingCommas = true, MaxDepth = 256 });
        Expect(ref reader, JsonTokenType.StartObject, "tokenizer.json must be a JSON object");
        while (Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            Read(ref reader);
            if (name == "model" && reader.TokenType == JsonTokenType.StartObject)
            {
                scanner.ScanModel(ref reader);
            }
            else
            {
                scanner.Root[name] = JsonElement.ParseValue(ref reader);
            }
        }
        return scanner;
    }

    private void ScanModel(ref Utf8JsonReader reader)
    {
        while (Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            Read(ref reader);
            if (name == "vocab" && reader.TokenType == JsonTokenType.StartObject)
            {
                Vocab = ReadVocab(ref reader);
            }
            else if (name == "merges" && reader.TokenType == JsonTokenType.StartArray && Vocab is not null)
            {
                MergeIds = ReadMergeIds(ref reader, Vocab);
            }
            else if (name == "merges" && reader.TokenType == JsonTokenType.StartArray)
            {
                Merges = ReadMerges(ref reader);
            }
            else
            {
                Model[name] = JsonElement.ParseValue(ref reader);
            }
        }
    }

    private static Dictionary<string, int> ReadVocab(ref Utf8JsonReader reader)
    {
        var vocab = new Dictionary<string, int>(1 << 16, StringComparer.Ordinal);
        while (Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            var token = reader.GetString()!;
            Read(ref reader);
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var id) || id < 0)
            {
                throw new FormatException($"Vocabulary entry '{token}' must map to a non-negative integer id.");
            }
            vocab[token] = id;
        }
        return vocab;
    }

    private static List<(string, string)> ReadMerges(ref Utf8JsonReader reader)
    {
        var merges = new List<(string, string)>(1 << 16);
        while (Read(ref reader) && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                var text = reader.GetString()!;
                var space = text.IndexOf(' ', 1);
                if (space < 0)
                {
                    throw new FormatException($"Merge '{text}' must be two tokens separated by a space.");
                }
                merges.Add((text[..space], text[(space + 1)..]));
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                Read(ref reader);
                var left = reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new FormatException("Merge parts must be strings.");
                Read(ref reader);
                var right = reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new FormatException("Merge parts must be strings.");
                Read(ref reader);
                if (reader.TokenType != JsonTokenType.EndArray)
                {
                    throw new FormatException("Each merge array must have exactly two strings.");
                }
                merges.Add((left, right));
            }
            else
            {
                throw new FormatException("Each merge must be \"a b\" or [\"a\", \"b\"].");
            }
        }
        return merges;
    }

    /// <summary>Reads merges straight into vocabulary ids (no string per merge).</summary>
    private static List<(int, int)> ReadMergeIds(ref Utf8JsonReader reader, Dictionary<string, int> vocab)
    {
        var lookup = vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        var merges = new List<(int, int)>(1 << 16);
        var buffer = new char[1024];
        int Resolve(ReadOnlySpan<char> token)
        {
            return lookup.TryGetValue(token, out var id)
                ? id
                : throw new FormatException($"Merge part '{token.ToString()}' is not in the vocabulary.");
        }
        ReadOnlySpan<char> Text(ref Utf8JsonReader r, ref char[] chars)
        {
            var max = r.HasValueSequence ? (int)r.ValueSequence.Length : r.ValueSpan.Length;
            if (chars.Length < max)
            {
                chars = new char[max * 2];
            }
            return chars.AsSpan(0, r.CopyString(chars));
        }
        while (Read(ref reader) && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                var text = Text(ref reader, ref buffer);
                var space = text.Length > 1 ? text[1..].IndexOf(' ') + 1 : 0;
                if (space <= 0)
                {
                    throw new FormatException($"Merge '{text.ToString()}' must be two tokens separated by a space.");
                }
                merges.Add((Resolve(text[..space]), Resolve(text[(space + 1)..])));
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                Read(ref reader);
                var left = reader.TokenType == JsonTokenType.String ? Resolve(Text(ref reader, ref buffer)) : throw new FormatException("Merge parts must be strings.");
                Read(ref reader);
                var right = reader.TokenType == JsonTokenType.String ? Resolve(Text(ref reader, ref buffer)) : throw new FormatException("Merge parts must be strings.");
                Read(ref reader);
                if (reader.TokenType != JsonTokenType.EndArray)
                {
                    throw new FormatException("Each merge array must have exactly two strings.");
                }
                merges.Add((left, right));
            }
            else
            {
                throw new FormatException("Each merge must be \"a b\" or [\"a\", \"b\"].");
            }
        }
        return merges;
    }

    private static bool Read(ref Utf8JsonReader reader)
    {
        try
        {
            if (!reader.Read())
            {
                throw new FormatException("tokenizer.json ends unexpectedly.");
            }
            return true;
        }
        catch (JsonException e)
        {
            throw new FormatException($"tokenizer.json is not valid JSON: {e.Message}", e);
        }
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string message)
    {
        Read(ref reader);
        if (reader.TokenType != type)
        {
            throw new FormatException(message + ".");
        }
    }
}
