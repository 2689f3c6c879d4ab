using System.Text.Json.Nodes;

namespace LlmSuite.Engine.Tests.Tokenizers;

/// <summary>Small hand-written tokenizer.json documents for unit tests.</summary>
internal static class TinyTokenizers
{
    /// <summary>A byte-level BPE: the 256 byte symbols plus merges for "he", "ll", "hell", "hello", "Ġw", "Ġwo".</summary>
    public static JsonObject ByteLevel(bool mergesAsArrays = false, JsonArray? addedTokens = null)
    {
        var vocab = new JsonObject();
        var id = 0;
        foreach (var c in ByteChars())
        {
            vocab[c.ToString()] = id++;
        }
        string[][] merges = [["h", "e"], ["l", "l"], ["he", "ll"], ["hell", "o"], ["Ġ", "w"], ["Ġw", "o"]];
        var mergeArray = new JsonArray();
        foreach (var m in merges)
        {
            vocab[m[0] + m[1]] = id++;
            mergeArray.Add(mergesAsArrays ? new JsonArray(m[0], m[1]) : JsonValue.Create(m[0] + " " + m[1]));
        }
        return new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = addedTokens ?? new JsonArray(),
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["use_regex"] = true },
            ["post_processor"] = null,
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel" },
            ["model"] = new JsonObject { ["type"] = "BPE", ["vocab"] = vocab, ["merges"] = mergeArray },
        };
    }

    public static JsonObject Added(int id, string content, bool special = true, bool lstrip = false, bool rstrip = false, bool singleWord = false)
    {
        return new JsonObject
        {
            ["id"] = id, ["content"] = content, ["special"] = special, ["lstrip"] = lstrip, ["rstrip"] = rstrip,
            ["single_word"] = singleWord, ["normalized"] = false,
        };
    }

    /// <summary>The GPT-2 byte-to-unicode characters, in byte order.</summary>
    public static IEnumerable<char> ByteChars()
    {
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            yield return printable ? (char)b : (char)next++;
        }
    }
}
