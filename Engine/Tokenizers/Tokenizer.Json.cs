using System.Text;
using System.Text.Json;

namespace LlmSuite.Engine.Tokenizers;

public sealed partial class Tokenizer
{
    /// <summary>
    /// Loads an HF tokenizer.json. If a tokenizer_config.json sits next to it, its bos/eos/pad tokens are used.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="FormatException">The file is not a valid tokenizer.json.</exception>
    /// <exception cref="NotSupportedException">The model, normalizer, pre-tokenizer or decoder type is not implemented.</exception>
    public static Tokenizer FromFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Tokenizer file '{path}' does not exist.", path);
        }
        var configPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", "tokenizer_config.json");
        return FromUtf8(File.ReadAllBytes(path), File.Exists(configPath) ? File.ReadAllText(configPath) : null);
    }

    /// <summary>Loads an HF tokenizer.json from text; tokenizerConfigJson optionally names bos/eos/pad tokens.</summary>
    public static Tokenizer FromJson(string json, string? tokenizerConfigJson = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        return FromUtf8(Encoding.UTF8.GetBytes(json), tokenizerConfigJson);
    }

    /// <summary>Loads an HF tokenizer.json from a stream; tokenizerConfigJson optionally names bos/eos/pad tokens.</summary>
    public static Tokenizer FromJson(Stream stream, string? tokenizerConfigJson = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return FromUtf8(copy.ToArray(), tokenizerConfigJson);
    }

    private static Tokenizer FromUtf8(byte[] utf8, string? tokenizerConfigJson)
    {
        JsonDocument? config = null;
        try
        {
            if (tokenizerConfigJson is not null)
            {
                config = JsonDocument.Parse(tokenizerConfigJson);
            }
        }
        catch (JsonException e)
        {
            throw new FormatException($"tokenizer_config.json is not valid JSON: {e.Message}", e);
        }
        using (config)
        {
            try
            {
                var scan = TokenizerJsonScanner.Scan(utf8);
                return new Tokenizer(TokenizerJsonReader.Read(scan, config?.RootElement));
            }
            catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or JsonException)
            {
                throw new FormatException($"tokenizer.json is malformed: {e.Message}", e);
            }
        }
    }
}
