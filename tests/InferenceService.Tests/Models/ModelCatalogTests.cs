using System.Security.Cryptography;
using LlmSuite.InferenceService.Models;
using LlmSuite.InferenceService.Tests.TestHost;

namespace LlmSuite.InferenceService.Tests.Models;

public sealed class ModelCatalogTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "catalog-" + Guid.NewGuid().ToString("N"));

    private static string Gguf => Path.Combine(AppContext.BaseDirectory, "TestData", "llama-f32.gguf");

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void Scan_HfDirectoryGgufFileAndOllamaStore_ListsEachWithItsName()
    {
        TinyModel.Write(Path.Combine(_root, "hf-model"), seed: 3);
        File.Copy(Gguf, Path.Combine(_root, "file-model.gguf"));
        var blobHash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Gguf)));
        Directory.CreateDirectory(Path.Combine(_root, "blobs"));
        File.Copy(Gguf, Path.Combine(_root, "blobs", "sha256-" + blobHash));
        var manifestDir = Path.Combine(_root, "manifests", "registry.ollama.ai", "library", "tinyllama");
        Directory.CreateDirectory(manifestDir);
        File.WriteAllText(Path.Combine(manifestDir, "q8"), $$"""
            {"schemaVersion":2,"layers":[
              {"mediaType":"application/vnd.ollama.image.template","digest":"sha256:0000","size":10},
              {"mediaType":"application/vnd.ollama.image.model","digest":"sha256:{{blobHash}}","size":{{new FileInfo(Gguf).Length}}}]}
            """);
        Directory.CreateDirectory(Path.Combine(_root, "not-a-model"));

        var entries = ModelCatalog.Scan(_root).ToList();

        Assert.Equal(["hf-model", "file-model", "tinyllama:q8"], entries.Select(e => e.Name));
        Assert.Equal(["safetensors", "gguf", "gguf"], entries.Select(e => e.Format));
        Assert.Equal(Path.Combine(_root, "blobs", "sha256-" + blobHash), entries[2].Path);
        Assert.All(entries, e => Assert.True(e.SizeBytes > 0));
    }

    [Fact]
    public void Describe_MissingPath_ThrowsWithThePath()
    {
        var e = Assert.Throws<FileNotFoundException>(() => ModelCatalog.Describe(Path.Combine(_root, "nothing"), isDefault: true));

        Assert.Contains("nothing", e.Message, StringComparison.Ordinal);
    }
}
