using System.Text.Json;

namespace LlmSuite.InferenceService.Models;

/// <summary>
/// Finds models on disk: HF directories (a <c>config.json</c> next to safetensors), <c>.gguf</c> files, and the
/// model blobs of an Ollama store (<c>manifests/registry.ollama.ai/&lt;namespace&gt;/&lt;name&gt;/&lt;tag&gt;</c> pointing at
/// <c>blobs/sha256-…</c>), named <c>name:tag</c> as Ollama names them.
/// </summary>
internal static class ModelCatalog
{
    private const string OllamaModelLayer = "application/vnd.ollama.image.model";

    /// <summary>The entry of one model path (directory or .gguf file).</summary>
    public static ModelEntry Describe(string path, bool isDefault, string? name = null)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            var weights = Directory.EnumerateFiles(full, "*.safetensors").Select(f => new FileInfo(f)).ToList();
            var size = weights.Sum(f => f.Length);
            var modified = weights.Count > 0 ? weights.Max(f => f.LastWriteTimeUtc) : Directory.GetLastWriteTimeUtc(full);
            return new ModelEntry(name ?? Engine.Chat.ChatModel.NameOf(full), full, "safetensors", size, new DateTimeOffset(modified, TimeSpan.Zero), isDefault);
        }
        if (File.Exists(full))
        {
            var info = new FileInfo(full);
            return new ModelEntry(name ?? Engine.Chat.ChatModel.NameOf(full), full, "gguf", info.Length, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero), isDefault);
        }
        throw new FileNotFoundException($"model path '{path}' is neither a directory nor a file", path);
    }

    /// <summary>Every model under <paramref name="directory"/> (not recursive beyond one level, plus the Ollama store).</summary>
    public static IEnumerable<ModelEntry> Scan(string directory)
    {
        if (!Directory.Exists(directory))
        {
            yield break;
        }
        foreach (var dir in Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal))
        {
            if (File.Exists(System.IO.Path.Combine(dir, "config.json")) && Directory.EnumerateFiles(dir, "*.safetensors").Any())
            {
                yield return Describe(dir, isDefault: false);
            }
        }
        foreach (var file in Directory.EnumerateFiles(directory, "*.gguf").Order(StringComparer.Ordinal))
        {
            yield return Describe(file, isDefault: false);
        }
        foreach (var entry in ScanOllamaStore(directory))
        {
            yield return entry;
        }
    }

    /// <summary>Models of an Ollama store rooted at <paramref name="root"/> (the directory holding manifests/ and blobs/).</summary>
    public static IEnumerable<ModelEntry> ScanOllamaStore(string root)
    {
        var manifests = System.IO.Path.Combine(root, "manifests");
        var blobs = System.IO.Path.Combine(root, "blobs");
        if (!Directory.Exists(manifests) || !Directory.Exists(blobs))
        {
            yield break;
        }
        foreach (var manifest in Directory.EnumerateFiles(manifests, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var blob = ModelBlob(manifest, blobs);
            if (blob is null)
            {
                continue;
            }
            // manifests/<host>/<namespace>/<name>/<tag>: "library" models are named name:tag, others namespace/name:tag
            var parts = System.IO.Path.GetRelativePath(manifests, manifest).Split(System.IO.Path.DirectorySeparatorChar);
            if (parts.Length < 3)
            {
                continue;
            }
            var tag = parts[^1];
            var model = parts[^2];
            var ns = parts[^3];
            var name = ns == "library" ? $"{model}:{tag}" : $"{ns}/{model}:{tag}";
            yield return Describe(blob, isDefault: false, name) with { Format = "gguf" };
        }
    }

    private static string? ModelBlob(string manifest, string blobs)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(manifest));
            if (!doc.RootElement.TryGetProperty("layers", out var layers) || layers.ValueKind != JsonValueKind.Array)
            {
                return null;
            }
            foreach (var layer in layers.EnumerateArray())
            {
                if (layer.TryGetProperty("mediaType", out var type) && type.GetString() == OllamaModelLayer
                    && layer.TryGetProperty("digest", out var digest) && digest.GetString() is { } d)
                {
                    var path = System.IO.Path.Combine(blobs, d.Replace(':', '-'));
                    return File.Exists(path) ? path : null;
                }
            }
        }
        catch (JsonException)
        {
        }
        catch (IOException)
        {
        }
        return null;
    }
}
