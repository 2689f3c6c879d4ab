using System.Text.Json;
using LlmSuite.Engine.Formats.Gguf;
using LlmSuite.Engine.Formats.HuggingFace;

namespace LlmSuite.Engine.Models;

/// <summary>Where a model was loaded from.</summary>
public enum ModelFormat
{
    /// <summary>A Hugging Face directory (config.json + safetensors).</summary>
    HuggingFace,
    /// <summary>A single .gguf file.</summary>
    Gguf,
}

/// <summary>
/// What the tokenizer and chat-template code need besides the weights: for a HF directory the tokenizer.json /
/// tokenizer_config.json paths and the chat template; for GGUF the tokenizer metadata as plain data.
/// </summary>
public sealed record ModelFiles
{
    /// <summary>The directory or .gguf path the user gave.</summary>
    public required string Path { get; init; }

    /// <summary>Format.</summary>
    public required ModelFormat Format { get; init; }

    /// <summary>tokenizer.json in the model directory, if present.</summary>
    public string? TokenizerJsonPath { get; init; }

    /// <summary>tokenizer_config.json in the model directory, if present.</summary>
    public string? TokenizerConfigPath { get; init; }

    /// <summary>The chat template: tokenizer_config.json "chat_template" (string, or the "default" entry of a list),
    /// chat_template.jinja, or GGUF tokenizer.chat_template; null when the model has none.</summary>
    public string? ChatTemplate { get; init; }

    /// <summary>generation_config.json contents, if present.</summary>
    public GenerationConfig? Generation { get; init; }

    /// <summary>GGUF tokenizer metadata (GGUF only).</summary>
    public GgufTokenizerData? GgufTokenizer { get; init; }

    /// <summary>All GGUF metadata (GGUF only).</summary>
    public IReadOnlyDictionary<string, object>? GgufMetadata { get; init; }

    /// <summary>Reads the tokenizer/template side files of a HF model directory.</summary>
    public static ModelFiles ForDirectory(string directory)
    {
        string? Existing(string name) => File.Exists(System.IO.Path.Combine(directory, name)) ? System.IO.Path.Combine(directory, name) : null;
        string? tokenizerConfig = Existing("tokenizer_config.json");
        string? template = null;
        if (tokenizerConfig is not null)
        {
            using JsonDocument doc = JsonRead.Parse(tokenizerConfig);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("chat_template", out JsonElement t))
            {
                template = t.ValueKind switch
                {
                    JsonValueKind.String => t.GetString(),
                    JsonValueKind.Array => t.EnumerateArray()
                        .Where(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("name", out JsonElement n) && n.GetString() == "default")
                        .Select(e => e.TryGetProperty("template", out JsonElement tt) ? tt.GetString() : null).FirstOrDefault(),
                    _ => null,
                };
            }
        }
        if (template is null && Existing("chat_template.jinja") is string jinja)
        {
            template = File.ReadAllText(jinja);
        }
        string? gen = Existing(GenerationConfig.FileName);
        return new ModelFiles
        {
            Path = directory,
            Format = ModelFormat.HuggingFace,
            TokenizerJsonPath = Existing("tokenizer.json"),
            TokenizerConfigPath = tokenizerConfig,
            ChatTemplate = template,
            Generation = gen is null ? null : GenerationConfig.Load(gen),
        };
    }

    /// <summary>The tokenizer/template data of a GGUF file.</summary>
    public static ModelFiles ForGguf(GgufFile file)
    {
        GgufTokenizerData? tok = GgufTokenizerData.From(file.Metadata);
        return new ModelFiles
        {
            Path = file.Description,
            Format = ModelFormat.Gguf,
            ChatTemplate = tok?.ChatTemplate ?? file.Metadata.GetString("tokenizer.chat_template"),
            GgufTokenizer = tok,
            GgufMetadata = file.Metadata.Values,
        };
    }
}
