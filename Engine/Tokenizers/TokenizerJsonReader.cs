using System.Text;
using System.Text.Json;

namespace LlmSuite.Engine.Tokenizers;

/// <summary>Reads the parts of an HF tokenizer.json (format of the Rust `tokenizers` library).</summary>
internal static class TokenizerJsonReader
{
    public static TokenizerParts Read(TokenizerJsonScanner scan, JsonElement? config)
    {
        if (scan.Vocab is null && scan.Model.Count == 0)
        {
            throw new FormatException("tokenizer.json has no \"model\" object.");
        }
        var type = ModelString(scan, "type") ?? (scan.Merges is not null ? "BPE" : null);
        if (type != "BPE")
        {
            throw new NotSupportedException(
                $"Tokenizer model type '{type ?? "(missing)"}' is not supported; only 'BPE' (byte-level and SentencePiece-style) is implemented.");
        }
        var root = scan.Root;
        var preTokenizer = ReadPreTokenizer(root.TryGetValue("pre_tokenizer", out var pre) ? pre : default);
        var addedTokens = ReadAddedTokens(root);
        var bpe = ReadBpe(scan, preTokenizer?.IsByteLevel ?? false);
        var decoder = new DecoderSpec();
        if (root.TryGetValue("decoder", out var dec))
        {
            ReadDecoder(dec, decoder);
        }
        var (prefix, suffix) = ReadPostProcessor(root.TryGetValue("post_processor", out var post) ? post : default, bpe, addedTokens);

        int? Lookup(string? token)
        {
            if (token is null)
            {
                return null;
            }
            var added = addedTokens.FirstOrDefault(t => t.Content == token);
            if (added is not null)
            {
                return added.Id;
            }
            return bpe.TryGetId(token, out var id) ? id : null;
        }

        int? bos = prefix.Length > 0 ? prefix[0] : null;
        int? eos = suffix.Length > 0 ? suffix[^1] : null;
        int? pad = null;
        if (config is { ValueKind: JsonValueKind.Object } c)
        {
            bos = Lookup(ConfigToken(c, "bos_token")) ?? bos;
            eos = Lookup(ConfigToken(c, "eos_token")) ?? eos;
            pad = Lookup(ConfigToken(c, "pad_token"));
        }
        return new TokenizerParts
        {
            Model = bpe,
            Normalizer = ReadNormalizer(root.TryGetValue("normalizer", out var norm) ? norm : default),
            PreTokenizer = preTokenizer,
            Decoder = decoder,
            AddedTokens = addedTokens,
            PrefixIds = prefix,
            SuffixIds = suffix,
            BosTokenId = bos,
            EosTokenId = eos,
            PadTokenId = pad,
        };
    }

    private static string? ConfigToken(JsonElement config, string name)
    {
        if (!config.TryGetProperty(name, out var value))
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Object => OptionalString(value, "content"),
            _ => null,
        };
    }

    private static string? OptionalString(JsonElement element, string name)
    {
        return element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
    }

    private static bool OptionalBool(JsonElement element, string name, bool fallback)
    {
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value))
        {
            if (value.ValueKind == JsonValueKind.True)
            {
                return true;
            }
            if (value.ValueKind == JsonValueKind.False)
            {
                return false;
            }
        }
        return fallback;
    }

    private static string RequiredString(JsonElement element, string name, string where)
    {
        return OptionalString(element, name) ?? throw new FormatException($"{where} needs a string \"{name}\".");
    }

    private static string? ModelString(TokenizerJsonScanner scan, string name)
    {
        return scan.Model.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    private static bool ModelBool(TokenizerJsonScanner scan, string name, bool fallback)
    {
        return scan.Model.TryGetValue(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : fallback;
    }

    private static List<AddedToken> ReadAddedTokens(Dictionary<string, JsonElement> root)
    {
        var tokens = new List<AddedToken>();
        if (!root.TryGetValue("added_tokens", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return tokens;
        }
        foreach (var t in array.EnumerateArray())
        {
            if (!t.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.Number)
            {
                throw new FormatException("Every entry of \"added_tokens\" needs a numeric \"id\".");
            }
            tokens.Add(new AddedToken(
                id.GetInt32(),
                RequiredString(t, "content", "An added token"),
                OptionalBool(t, "special", false),
                OptionalBool(t, "lstrip", false),
                OptionalBool(t, "rstrip", false),
                OptionalBool(t, "single_word", false),
                OptionalBool(t, "normalized", false)));
        }
        return tokens;
    }

    private static BpeModel ReadBpe(TokenizerJsonScanner scan, bool byteLevel)
    {
        var vocab = scan.Vocab ?? throw new FormatException("The BPE model needs a \"vocab\" object of token -> id.");
        foreach (var name in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
        {
            if (ModelString(scan, name) is { Length: > 0 } affix)
            {
                throw new NotSupportedException($"BPE option {name}='{affix}' is not supported.");
            }
        }
        var lookup = vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        var mergeIds = scan.MergeIds;
        if (mergeIds is null)
        {
            mergeIds = new List<(int, int)>(scan.Merges?.Count ?? 0);
            foreach (var (left, right) in scan.Merges ?? [])
            {
                if (!vocab.TryGetValue(left, out var leftId) || !vocab.TryGetValue(right, out var rightId))
                {
                    throw new FormatException($"Merge '{left} {right}' uses a token that is not in the vocabulary.");
                }
                mergeIds.Add((leftId, rightId));
            }
        }
        var byId = new Dictionary<int, string>(vocab.Count);
        foreach (var (token, id) in vocab)
        {
            byId.TryAdd(id, token);
        }
        var merges = new Dictionary<long, long>(mergeIds.Count);
        var buffer = new char[256];
        for (var rank = 0; rank < mergeIds.Count; rank++)
        {
            var (leftId, rightId) = mergeIds[rank];
            var left = byId[leftId];
            var right = byId[rightId];
            var length = left.Length + right.Length;
            if (buffer.Length < length)
            {
                buffer = new char[length * 2];
            }
            left.CopyTo(buffer);
            right.CopyTo(buffer.AsSpan(left.Length));
            if (!lookup.TryGetValue(buffer.AsSpan(0, length), out var mergedId))
            {
                throw new FormatException($"Merge '{left} {right}' produces a token that is not in the vocabulary.");
            }
            merges.TryAdd(BpeModel.PairKey(leftId, rightId), ((long)rank << 32) | (uint)mergedId);
        }
        int? unk = null;
        if (ModelString(scan, "unk_token") is { } unkToken)
        {
            unk = vocab.TryGetValue(unkToken, out var unkId) ? unkId : null;
        }
        return new BpeModel(vocab, merges, new BpeOptions
        {
            ByteLevel = byteLevel,
            ByteFallback = ModelBool(scan, "byte_fallback", false),
            FuseUnk = ModelBool(scan, "fuse_unk", false),
            IgnoreMerges = ModelBool(scan, "ignore_merges", false),
            UnkId = unk,
        });
    }

    private static Normalizer? ReadNormalizer(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var type = RequiredString(element, "type", "A normalizer");
        return type switch
        {
            "NFC" => new UnicodeNormalizer(NormalizationForm.FormC),
            "NFD" => new UnicodeNormalizer(NormalizationForm.FormD),
            "NFKC" => new UnicodeNormalizer(NormalizationForm.FormKC),
            "NFKD" => new UnicodeNormalizer(NormalizationForm.FormKD),
            "Lowercase" => new LowercaseNormalizer(),
            "Prepend" => new PrependNormalizer(RequiredString(element, "prepend", "Prepend")),
            "Replace" => ReadReplace(element),
            "Strip" => new StripNormalizer(OptionalBool(element, "strip_left", true), OptionalBool(element, "strip_right", true)),
            "StripAccents" => new StripAccentsNormalizer(),
            "Sequence" => new SequenceNormalizer(Items(element, "normalizers").Select(ReadNormalizer).OfType<Normalizer>().ToList()),
            _ => throw new NotSupportedException($"Normalizer type '{type}' is not supported."),
        };
    }

    private static ReplaceNormalizer ReadReplace(JsonElement element)
    {
        var (literal, regex) = ReadPattern(element, "Replace");
        return new ReplaceNormalizer(literal, regex, RequiredString(element, "content", "Replace"));
    }

    private static (string? Literal, string? Regex) ReadPattern(JsonElement element, string where)
    {
        if (!element.TryGetProperty("pattern", out var pattern) || pattern.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where} needs a \"pattern\" object ({{\"String\": ...}} or {{\"Regex\": ...}}).");
        }
        if (OptionalString(pattern, "String") is { } literal)
        {
            return (literal, null);
        }
        if (OptionalString(pattern, "Regex") is { } regex)
        {
            return (null, regex);
        }
        throw new FormatException($"{where} pattern must have \"String\" or \"Regex\".");
    }

    private static IEnumerable<JsonElement> Items(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"Sequence needs an array \"{name}\".");
        }
        return array.EnumerateArray();
    }

    private static PreTokenizer? ReadPreTokenizer(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var type = RequiredString(element, "type", "A pre_tokenizer");
        switch (type)
        {
            case "Sequence":
                return new SequencePreTokenizer(Items(element, "pretokenizers").Select(ReadPreTokenizer).OfType<PreTokenizer>().ToList());
            case "ByteLevel":
                return new ByteLevelPreTokenizer(OptionalBool(element, "add_prefix_space", true), OptionalBool(element, "use_regex", true));
            case "Split":
            {
                var (literal, regex) = ReadPattern(element, "Split");
                var splitter = literal is not null ? RegexSplitter.ForLiteral(literal) : new RegexSplitter(regex!);
                var behavior = OptionalString(element, "behavior") ?? "Isolated";
                if (!Enum.TryParse<SplitBehavior>(behavior, out var parsed))
                {
                    throw new NotSupportedException($"Split behavior '{behavior}' is not supported.");
                }
                return new SplitPreTokenizer(splitter, parsed, OptionalBool(element, "invert", false));
            }
            case "Metaspace":
            {
                var replacement = OptionalString(element, "replacement") ?? "\u2581";
                var scheme = OptionalString(element, "prepend_scheme")
                    ?? (OptionalBool(element, "add_prefix_space", true) ? "always" : "never");
                return new MetaspacePreTokenizer(replacement[0], scheme, OptionalBool(element, "split", true));
            }
            case "Digits":
                return new DigitsPreTokenizer(OptionalBool(element, "individual_digits", false));
            default:
                throw new NotSupportedException($"Pre-tokenizer type '{type}' is not supported.");
        }
    }

    private static void ReadDecoder(JsonElement element, DecoderSpec spec)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        var type = RequiredString(element, "type", "A decoder");
        switch (type)
        {
            case "Sequence":
                foreach (var item in Items(element, "decoders"))
                {
                    ReadDecoder(item, spec);
                }
                break;
            case "ByteLevel":
                spec.ByteLevel = true;
                break;
            case "ByteFallback":
                spec.ByteFallback = true;
                break;
            case "Fuse":
                break;
            case "Replace":
            {
                var (literal, _) = ReadPattern(element, "Replace decoder");
                if (literal is null)
                {
                    throw new NotSupportedException("Replace decoder with a Regex pattern is not supported.");
                }
                spec.Replacements.Add((literal, RequiredString(element, "content", "Replace decoder")));
                break;
            }
            case "Strip":
            {
                var content = OptionalString(element, "content") ?? " ";
                var stop = element.TryGetProperty("stop", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : 0;
                if (content != " " || stop != 0)
                {
                    throw new NotSupportedException("Strip decoder is only supported for leading spaces (content ' ', stop 0).");
                }
                spec.StripLeadingSpaces = element.TryGetProperty("start", out var start) && start.ValueKind == JsonValueKind.Number ? start.GetInt32() : 0;
                break;
            }
            case "Metaspace":
            {
                var replacement = OptionalString(element, "replacement") ?? "\u2581";
                spec.Replacements.Add((replacement, " "));
                var scheme = OptionalString(element, "prepend_scheme")
                    ?? (OptionalBool(element, "add_prefix_space", true) ? "always" : "never");
                spec.StripLeadingSpaces = scheme == "never" ? 0 : 1;
                break;
            }
            default:
                throw new NotSupportedException($"Decoder type '{type}' is not supported.");
        }
    }

    private static (int[] Prefix, int[] Suffix) ReadPostProcessor(JsonElement element, BpeModel model, List<AddedToken> added)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return ([], []);
        }
        int Id(string token)
        {
            var a = added.FirstOrDefault(t => t.Content == token);
            if (a is not null)
            {
                return a.Id;
            }
            return model.TryGetId(token, out var id) ? id : throw new FormatException($"Post-processor token '{token}' is not in the vocabulary.");
        }
        var type = RequiredString(element, "type", "A post_processor");
        switch (type)
        {
            case "ByteLevel":
                return ([], []);
            case "Sequence":
            {
                var prefix = new List<int>();
                var suffix = new List<int>();
                foreach (var item in Items(element, "processors"))
                {
                    var (p, s) = ReadPostProcessor(item, model, added);
                    prefix.AddRange(p);
                    suffix.InsertRange(0, s);
                }
                return ([.. prefix], [.. suffix]);
            }
            case "TemplateProcessing":
            {
                var specials = new Dictionary<string, int[]>(StringComparer.Ordinal);
                if (element.TryGetProperty("special_tokens", out var st) && st.ValueKind == JsonValueKind.Object)
                {
                    foreach (var p in st.EnumerateObject())
                    {
                        specials[p.Name] = p.Value.TryGetProperty("ids", out var ids) && ids.ValueKind == JsonValueKind.Array
                            ? ids.EnumerateArray().Select(i => i.GetInt32()).ToArray()
                            : [Id(p.Name)];
                    }
                }
                var prefix = new List<int>();
                var suffix = new List<int>();
                var seenSequence = false;
                foreach (var item in Items(element, "single"))
                {
                    if (item.TryGetProperty("Sequence", out _))
                    {
                        seenSequence = true;
                        continue;
                    }
                    if (item.TryGetProperty("SpecialToken", out var special))
                    {
                        var name = RequiredString(special, "id", "TemplateProcessing SpecialToken");
                        var ids = specials.TryGetValue(name, out var known) ? known : [Id(name)];
                        (seenSequence ? suffix : prefix).AddRange(ids);
                    }
                }
                return ([.. prefix], [.. suffix]);
            }
            case "BertProcessing":
            case "RobertaProcessing":
            {
                var cls = element.GetProperty("cls");
                var sep = element.GetProperty("sep");
                return ([cls[1].GetInt32()], [sep[1].GetInt32()]);
            }
            default:
                throw new NotSupportedException($"Post-processor type '{type}' is not supported.");
        }
    }
}
