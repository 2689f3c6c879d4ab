using LlmSuite.Engine.Formats;
using LlmSuite.Engine.Formats.SafeTensors;

namespace LlmSuite.Engine.Tests.Formats;

public class SafeTensorsFileTests
{
    [Fact]
    public void Open_TinyLlama_ListsTensorsWithShapesAndDTypes()
    {
        using var f = SafeTensorsFile.Open(TestFiles.Data("Models", "llama", "model.safetensors"));
        TensorInfo q = f.GetInfo("model.layers.0.self_attn.q_proj.weight");
        Assert.Equal(TensorDType.F32, q.DType);
        Assert.Equal(new long[] { 64, 64 }, q.Shape);
        Assert.Equal(64 * 64 * 4, f.GetBytes(q.Name).Length);
        Assert.Equal(new long[] { 32, 64 }, f.GetInfo("model.layers.1.self_attn.k_proj.weight").Shape);
        Assert.Equal("pt", f.Metadata["format"]);
        Assert.Contains("lm_head.weight", f.Names);
    }

    [Theory]
    [InlineData("llama-bfloat16", TensorDType.BF16)]
    [InlineData("llama-float16", TensorDType.F16)]
    public void Open_HalfPrecisionCheckpoint_ReportsDType(string dir, TensorDType expected)
    {
        using var f = SafeTensorsFile.Open(TestFiles.Data("Models", dir, "model.safetensors"));
        TensorInfo e = f.GetInfo("model.embed_tokens.weight");
        Assert.Equal(expected, e.DType);
        Assert.Equal(256L * 64 * 2, e.ByteLength);
    }

    [Fact]
    public void Open_TruncatedFile_ThrowsNamingTruncation()
    {
        string dir = TestFiles.TempDir();
        string path = Path.Combine(dir, "model.safetensors");
        TestFiles.Truncate(TestFiles.Data("Models", "llama", "model.safetensors"), path, 100);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Open(path));
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Open_HeaderLongerThanFile_ThrowsTruncated()
    {
        string path = Path.Combine(TestFiles.TempDir(), "x.safetensors");
        File.WriteAllBytes(path, new byte[] { 0, 1, 0, 0, 0, 0, 0, 0, (byte)'{' });
        var e = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Open(path));
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Open_SizeNotMatchingShape_ThrowsNamingTensor()
    {
        string path = Path.Combine(TestFiles.TempDir(), "x.safetensors");
        TestFiles.WriteSafeTensors(path, new[] { ("w", "F32", new long[] { 2, 3 }, TestFiles.Floats(1, 2, 3, 4, 5)) });
        var e = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Open(path));
        Assert.Contains("'w'", e.Message);
        Assert.Contains("24 bytes", e.Message);
    }

    [Fact]
    public void GetInfo_UnsupportedDType_ThrowsNotSupportedNamingTensorAndDType()
    {
        string path = Path.Combine(TestFiles.TempDir(), "x.safetensors");
        TestFiles.WriteSafeTensors(path, new[]
        {
            ("ok", "F32", new long[] { 2 }, TestFiles.Floats(1, 2)),
            ("ids", "I64", new long[] { 2 }, new byte[16]),
        });
        using var f = SafeTensorsFile.Open(path);
        Assert.Equal(new[] { "ok" }, f.Names);
        var e = Assert.Throws<NotSupportedException>(() => f.GetInfo("ids"));
        Assert.Contains("'ids'", e.Message);
        Assert.Contains("I64", e.Message);
    }

    [Fact]
    public void GetInfo_MissingTensor_ThrowsKeyNotFoundNamingIt()
    {
        using var f = SafeTensorsFile.Open(TestFiles.Data("Models", "llama", "model.safetensors"));
        var e = Assert.Throws<KeyNotFoundException>(() => f.GetInfo("nope.weight"));
        Assert.Contains("nope.weight", e.Message);
    }

    [Fact]
    public void Open_OffsetsPastData_ThrowsTruncated()
    {
        string path = Path.Combine(TestFiles.TempDir(), "x.safetensors");
        TestFiles.WriteSafeTensors(path, new[] { ("w", "F32", new long[] { 2 }, TestFiles.Floats(1, 2)) },
            h => ((Dictionary<string, object>)h["w"])["data_offsets"] = new long[] { 8, 16 });
        var e = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Open(path));
        Assert.Contains("'w'", e.Message);
    }

    [Fact]
    public void OpenCheckpoint_Sharded_ResolvesTensorsAcrossShards()
    {
        using var c = SafeTensorsCheckpoint.Open(TestFiles.Data("Models", "mistral"));
        Assert.Equal(2, c.Files.Count);
        Assert.Equal(new long[] { 256, 64 }, c.GetInfo("model.embed_tokens.weight").Shape);
        Assert.Equal(new long[] { 16, 64 }, c.GetInfo("model.layers.1.self_attn.v_proj.weight").Shape);
        Assert.Equal(64 * 4, c.GetBytes("model.norm.weight").Length);
    }

    [Fact]
    public void OpenCheckpoint_EmptyDirectory_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => SafeTensorsCheckpoint.Open(TestFiles.TempDir()));
    }
}
