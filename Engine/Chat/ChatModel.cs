using System.Text.Json;
using LlmSuite.Engine.Models;
using LlmSuite.Engine.Templates;
using LlmSuite.Engine.Tokenizers;

namespace LlmSuite.Engine.Chat;

/// <summary>
/// What serving a model needs besides the forward pass: the loaded <see cref="TransformerModel"/>, its tokenizer,
/// its chat template and the token ids that end a turn. Loaded from a Hugging Face directory or a .gguf file.
/// </summary>
public sealed class ChatModel : IDisposable
{
    private ChatModel(string name, TransformerModel model, Tokenizer tokenizer, ChatTemplate? template, string? bosToken, string? eosToken, IReadOnlySet<int> stopTokenIds)
    {
        Name = name;
        Model = model;
        Tokenizer = tokenizer;
        Template = template;
        BosToken = bosToken;
        EosToken = eosToken;
        StopTokenIds = stopTokenIds;
    }

    /// <summary>The name clients use (<c>model</c> in requests): the directory name, or the file name without <c>.gguf</c>.</summary>
    public string Name { get; }

    /// <summary>The weights and forward pass.</summary>
    public TransformerModel Model { get; }

    /// <summary>The model's tokenizer.</summary>
    public Tokenizer Tokenizer { get; }

    /// <summary>The chat template, or null when the model has none (then only raw completions are possible).</summary>
    public ChatTemplate? Template { get; }

    /// <summary>The BOS token text passed to the template as <c>bos_token</c>.</summary>
    public string? BosToken { get; }

    /// <summary>The EOS token text passed to the template as <c>eos_token</c>.</summary>
    public string? EosToken { get; }

    /// <summary>Token ids that end generation (config/generation_config eos ids, the tokenizer's EOS, GGUF EOT).</summary>
    public IReadOnlySet<int> StopTokenIds { get; }

    /// <summary>Loads a model directory or .gguf file with its tokenizer and chat template.</summary>
    public static ChatModel Load(string path, ModelLoadOptions? options = null, string? name = null)
    {
        var model = ModelLoader.Load(path, options);
        try
        {
            var files = model.Files;
            var tokenizer = LoadTokenizer(files);
            var template = files.ChatTemplate is { Length: > 0 } source ? ChatTemplate.Parse(source) : null;
            var (bos, eos) = SpecialTokenTexts(files, tokenizer);
            var stops = new HashSet<int>(model.EosTokenIds);
            if (tokenizer.EosTokenId is { } eosId)
            {
                stops.Add(eosId);
            }
            if (files.GgufTokenizer?.EotTokenId is { } eot)
            {
                stops.Add(eot);
            }
            return new ChatModel(name ?? NameOf(path), model, tokenizer, template, bos, eos, stops);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The client-facing name of a model path.</summary>
    public static string NameOf(string path)
    {
        var full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        var file = Path.GetFileName(full);
        return file.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) ? file[..^5] : file;
    }

    private static Tokenizer LoadTokenizer(ModelFiles files)
    {
        if (files.TokenizerJsonPath is { } json)
        {
            return Tokenizer.FromFile(json);
        }
        if (files.GgufTokenizer is { } g)
        {
            return Tokenizer.FromGguf(g.Model, g.Tokens, g.Merges, g.Scores, g.TokenTypes, g.BosTokenId, g.EosTokenId,
                g.UnknownTokenId, g.PaddingTokenId, g.Pre, g.AddBosToken, g.AddEosToken);
        }
        throw new InvalidDataException($"{files.Path}: no tokenizer (expected tokenizer.json in the directory, or tokenizer.ggml.* metadata in the GGUF file)");
    }

    private static (string? Bos, string? Eos) SpecialTokenTexts(ModelFiles files, Tokenizer tokenizer)
    {
        string? bos = tokenizer.BosTokenId is { } b ? tokenizer.IdToToken(b) : null;
        string? eos = tokenizer.EosTokenId is { } e ? tokenizer.IdToToken(e) : null;
        if (files.TokenizerConfigPath is { } configPath)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(configPath));
            bos = TokenText(doc.RootElement, "bos_token") ?? bos;
            eos = TokenText(doc.RootElement, "eos_token") ?? eos;
        }
        return (bos, eos);
    }

    // tokenizer_config.json writes special tokens as a string or as {"content": "..."}.
    private static string? TokenText(JsonElement config, string property)
        => config.TryGetProperty(property, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Object when value.TryGetProperty("content", out var content) => content.GetString(),
            _ => null,
        } : null;

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
