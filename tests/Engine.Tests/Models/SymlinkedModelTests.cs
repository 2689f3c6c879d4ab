using LlmSuite.Engine.Models;
using LlmSuite.Engine.Tests.Formats;

namespace LlmSuite.Engine.Tests.Models;

/// <summary>A Hugging Face cache snapshot (every file a relative symlink to a blob) loads like the plain directory.</summary>
public class SymlinkedModelTests
{
    [Fact]
    public void Load_HuggingFaceCacheSnapshot_ReadsTheLinkedBlobs()
    {
        string src = Golden.Dir("llama");
        string cache = TestFiles.TempDir();
        string snapshot = Path.Combine(cache, "snapshots", "0123abcd");
        Directory.CreateDirectory(Path.Combine(cache, "blobs"));
        Directory.CreateDirectory(snapshot);
        foreach (string file in Directory.GetFiles(src))
        {
            string blob = Path.Combine(cache, "blobs", Guid.NewGuid().ToString("N"));
            File.Copy(file, blob);
            File.CreateSymbolicLink(Path.Combine(snapshot, Path.GetFileName(file)), Path.Combine("..", "..", "blobs", Path.GetFileName(blob)));
        }

        using TransformerModel linked = ModelLoader.Load(snapshot);
        using TransformerModel plain = ModelLoader.Load(src);

        Assert.Equal(plain.WeightBytes, linked.WeightBytes);
        var (a, b) = (new float[plain.Config.HiddenSize], new float[plain.Config.HiddenSize]);
        plain.Weights.Layers[1].Down.ReadRow(3, a);
        linked.Weights.Layers[1].Down.ReadRow(3, b);
        Assert.Equal(a, b);
    }
}
