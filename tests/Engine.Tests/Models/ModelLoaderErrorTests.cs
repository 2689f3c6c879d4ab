using LlmSuite.Engine.Formats.SafeTensors;
using LlmSuite.Engine.Models;
using LlmSuite.Engine.Tests.Formats;

namespace LlmSuite.Engine.Tests.Models;

/// <summary>Bad inputs fail at load with the offending tensor or field named, never with garbage or IndexOutOfRange.</summary>
public class ModelLoaderErrorTests
{
    /// <summary>Copies the tiny llama to a temp dir, letting <paramref name="edit"/> change tensors and config text.</summary>
    private static string CopyLlama(Func<string, (string DType, long[] Shape, byte[] Data), (string DType, long[] Shape, byte[] Data)?> edit, Func<string, string>? editConfig = null)
    {
        string src = Golden.Dir("llama");
        string dir = TestFiles.TempDir();
        string config = File.ReadAllText(Path.Combine(src, "config.json"));
        File.WriteAllText(Path.Combine(dir, "config.json"), editConfig is null ? config : editConfig(config));
        using var f = SafeTensorsFile.Open(Path.Combine(src, "model.safetensors"));
        var tensors = new List<(string, string, long[], byte[])>();
        foreach (string name in f.Names)
        {
            var info = f.GetInfo(name);
            var t = edit(name, (info.DType.ToString(), info.Shape, f.GetBytes(name).ToArray()));
            if (t is { } v)
            {
                tensors.Add((name, v.DType, v.Shape, v.Data));
            }
        }
        TestFiles.WriteSafeTensors(Path.Combine(dir, "model.safetensors"), tensors);
        return dir;
    }

    [Fact]
    public void Load_WrongShape_ThrowsNamingTensorAndShapes()
    {
        string dir = CopyLlama((n, t) => n == "model.layers.1.self_attn.q_proj.weight" ? (t.DType, new long[] { 32, 128 }, t.Data) : t);
        var e = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(dir));
        Assert.Contains("model.layers.1.self_attn.q_proj.weight", e.Message);
        Assert.Contains("[32, 128]", e.Message);
        Assert.Contains("[64, 64]", e.Message);
    }

    [Fact]
    public void Load_MissingTensor_ThrowsNamingIt()
    {
        string dir = CopyLlama((n, t) => n == "model.layers.0.mlp.up_proj.weight" ? null : t);
        var e = Assert.Throws<KeyNotFoundException>(() => ModelLoader.Load(dir));
        Assert.Contains("model.layers.0.mlp.up_proj.weight", e.Message);
    }

    [Fact]
    public void Load_UntiedWithoutLmHead_ThrowsNamingIt()
    {
        string dir = CopyLlama((n, t) => n == "lm_head.weight" ? null : t);
        var e = Assert.Throws<KeyNotFoundException>(() => ModelLoader.Load(dir));
        Assert.Contains("lm_head.weight", e.Message);
    }

    [Fact]
    public void Load_UnsupportedDType_ThrowsNamingTensorAndDType()
    {
        string dir = CopyLlama((n, t) => n == "model.norm.weight" ? ("I32", t.Shape, t.Data) : t);
        var e = Assert.Throws<NotSupportedException>(() => ModelLoader.Load(dir));
        Assert.Contains("model.norm.weight", e.Message);
        Assert.Contains("I32", e.Message);
    }

    [Fact]
    public void Load_UnsupportedModelType_ThrowsNamingIt()
    {
        string dir = CopyLlama((n, t) => t, c => c.Replace("\"model_type\": \"llama\"", "\"model_type\": \"gpt_neox\""));
        var e = Assert.Throws<NotSupportedException>(() => ModelLoader.Load(dir));
        Assert.Contains("gpt_neox", e.Message);
    }

    [Fact]
    public void Load_UnknownQuantization_ThrowsNotSupported()
    {
        var e = Assert.Throws<NotSupportedException>(() => ModelLoader.Load(Golden.Dir("llama"), new ModelLoadOptions { Quantize = "q4_k" }));
        Assert.Contains("q4_k", e.Message);
    }

    [Fact]
    public void Load_TruncatedGguf_ThrowsTruncated()
    {
        string path = Path.Combine(TestFiles.TempDir(), "t.gguf");
        TestFiles.Truncate(Path.Combine(AppContext.BaseDirectory, "TestData", "Models", "llama-q8_0.gguf"), path, 1000);
        var e = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(path));
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Load_MissingPath_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => ModelLoader.Load(Path.Combine(TestFiles.TempDir(), "nothing-here")));
    }
}
