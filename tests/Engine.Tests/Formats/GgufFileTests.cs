using LlmSuite.Engine.Formats;
using LlmSuite.Engine.Formats.Gguf;

namespace LlmSuite.Engine.Tests.Formats;

public class GgufFileTests
{
    private static string F32Path => TestFiles.Data("Models", "llama-f32.gguf");
    private static string Q8Path => TestFiles.Data("Models", "llama-q8_0.gguf");

    [Fact]
    public void Open_F32File_ReadsEveryMetadataType()
    {
        using GgufFile f = GgufFile.Open(F32Path);
        Assert.Equal(3u, f.Version);
        Assert.Equal(32, f.Alignment);
        GgufMetadata m = f.Metadata;
        Assert.Equal((byte)200, m.Get("test.u8"));
        Assert.Equal((sbyte)-100, m.Get("test.i8"));
        Assert.Equal((ushort)60000, m.Get("test.u16"));
        Assert.Equal((short)-30000, m.Get("test.i16"));
        Assert.Equal(4000000000u, m.Get("test.u32"));
        Assert.Equal(-2000000000, m.Get("test.i32"));
        Assert.Equal(1.5f, m.Get("test.f32"));
        Assert.Equal(false, m.Get("test.bool"));
        Assert.Equal("héllo", m.GetString("test.str"));
        Assert.Equal((1UL << 40) + 3, m.Get("test.u64"));
        Assert.Equal(-(1L << 40), m.Get("test.i64"));
        Assert.Equal(2.25, m.Get("test.f64"));
        Assert.Equal(new[] { 0.5f, -1f }, m.GetFloatArray("test.arr_f32"));
        object[] nested = Assert.IsType<object[]>(m.Get("test.arr_nested"));
        Assert.Equal(new byte[] { 1, 2 }, nested[0]);
        Assert.Equal(new byte[] { 3 }, nested[1]);
        Assert.Equal(4000000000L, m.GetInteger("test.u32"));
    }

    [Fact]
    public void Open_F32File_TensorShapesAreOutermostFirst()
    {
        using GgufFile f = GgufFile.Open(F32Path);
        TensorInfo embd = f.GetInfo("token_embd.weight");
        Assert.Equal(new long[] { 256, 64 }, embd.Shape);
        Assert.Equal(TensorDType.F32, embd.DType);
        Assert.Equal(new long[] { 32, 64 }, f.GetInfo("blk.0.attn_k.weight").Shape);
        Assert.Equal(new long[] { 64 }, f.GetInfo("output_norm.weight").Shape);
        Assert.Equal(0, f.DataOffset % 32);
    }

    [Fact]
    public void Open_Q8File_UsesGeneralAlignmentAndQ8Blocks()
    {
        using GgufFile f = GgufFile.Open(Q8Path);
        Assert.Equal(64, f.Alignment);
        Assert.Equal(0, f.DataOffset % 64);
        TensorInfo q = f.GetInfo("blk.1.ffn_down.weight");
        Assert.Equal(TensorDType.Q8_0, q.DType);
        Assert.Equal(new long[] { 64, 64 }, q.Shape);
        Assert.Equal(64 * 64 / 32 * 34, f.GetBytes(q.Name).Length);
        Assert.Equal(TensorDType.F32, f.GetInfo("blk.1.ffn_norm.weight").DType);
    }

    [Fact]
    public void TokenizerData_ExposesTokensMergesIdsAndTemplate()
    {
        using GgufFile f = GgufFile.Open(F32Path);
        GgufTokenizerData t = GgufTokenizerData.From(f.Metadata)!;
        Assert.Equal("gpt2", t.Model);
        Assert.Equal("default", t.Pre);
        Assert.Equal(256, t.Tokens.Length);
        Assert.Equal("<s>", t.Tokens[1]);
        Assert.Equal("!", t.Tokens[33]);
        Assert.Equal(3, t.TokenTypes![2]);
        Assert.Equal(2, t.Merges!.Length);
        Assert.Equal(1, t.BosTokenId);
        Assert.Equal(2, t.EosTokenId);
        Assert.True(t.AddBosToken);
        Assert.StartsWith("{% for message in messages %}", t.ChatTemplate);
    }

    [Fact]
    public void ModelConfig_FromLlamaGguf_MatchesHfConfig()
    {
        using GgufFile f = GgufFile.Open(F32Path);
        ModelConfig g = GgufModelConfig.From(f);
        ModelConfig h = LlmSuite.Engine.Formats.HuggingFace.HfConfig.Load(TestFiles.Data("Models", "llama", "config.json"));
        Assert.Equal(h.ModelType, g.ModelType);
        Assert.Equal(h.Architecture, g.Architecture);
        Assert.Equal(h.HiddenSize, g.HiddenSize);
        Assert.Equal(h.IntermediateSize, g.IntermediateSize);
        Assert.Equal(h.NumLayers, g.NumLayers);
        Assert.Equal(h.NumHeads, g.NumHeads);
        Assert.Equal(h.NumKvHeads, g.NumKvHeads);
        Assert.Equal(h.HeadDim, g.HeadDim);
        Assert.Equal(h.VocabSize, g.VocabSize);
        Assert.Equal(h.RopeTheta, g.RopeTheta);
        Assert.Equal(h.RmsNormEps, g.RmsNormEps, 1e-9);
        Assert.Equal(h.MaxPositionEmbeddings, g.MaxPositionEmbeddings);
        Assert.Equal(h.TieWordEmbeddings, g.TieWordEmbeddings);
        Assert.Equal(new[] { 2 }, g.EosTokenIds);
    }

    [Fact]
    public void Open_TruncatedData_ThrowsNamingTensor()
    {
        string path = Path.Combine(TestFiles.TempDir(), "t.gguf");
        TestFiles.Truncate(F32Path, path, 5000);
        var e = Assert.Throws<InvalidDataException>(() => GgufFile.Open(path));
        Assert.Contains("truncated", e.Message);
        Assert.Contains("blk.1.ffn_down.weight", e.Message);   // the last tensor in the file
    }

    [Fact]
    public void Open_TruncatedHeader_ThrowsTruncated()
    {
        string path = Path.Combine(TestFiles.TempDir(), "t.gguf");
        byte[] all = File.ReadAllBytes(F32Path);
        File.WriteAllBytes(path, all.AsSpan(0, 300).ToArray());
        var e = Assert.Throws<InvalidDataException>(() => GgufFile.Open(path));
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void GetInfo_UnsupportedType_ThrowsNamingTensorAndType()
    {
        string path = Path.Combine(TestFiles.TempDir(), "u.gguf");
        File.WriteAllBytes(path, new TestFiles.GgufBuilder()
            .String("general.architecture", "llama")
            .Tensor("blk.0.attn_q.weight", new long[] { 1, 32 }, 3 /* Q4_1 */, new byte[20])
            .Build());
        using GgufFile f = GgufFile.Open(path);
        var e = Assert.Throws<NotSupportedException>(() => f.GetInfo("blk.0.attn_q.weight"));
        Assert.Contains("blk.0.attn_q.weight", e.Message);
        Assert.Contains("Q4_1", e.Message);
    }

    [Fact]
    public void Open_Version2_IsAccepted()
    {
        string path = Path.Combine(TestFiles.TempDir(), "v2.gguf");
        File.WriteAllBytes(path, new TestFiles.GgufBuilder { Version = 2 }
            .String("general.architecture", "llama")
            .Tensor("x", new long[] { 2 }, 0, TestFiles.Floats(1, 2)).Build());
        using GgufFile f = GgufFile.Open(path);
        Assert.Equal(2u, f.Version);
        Assert.Equal(TestFiles.Floats(1, 2), f.GetBytes("x").ToArray());
    }

    [Fact]
    public void Open_Version1_ThrowsNotSupported()
    {
        string path = Path.Combine(TestFiles.TempDir(), "v1.gguf");
        File.WriteAllBytes(path, new TestFiles.GgufBuilder { Version = 1 }.Build());
        Assert.Throws<NotSupportedException>(() => GgufFile.Open(path));
    }

    [Fact]
    public void Open_BadMagic_ThrowsInvalidData()
    {
        string path = Path.Combine(TestFiles.TempDir(), "bad.gguf");
        File.WriteAllBytes(path, new byte[64]);
        var e = Assert.Throws<InvalidDataException>(() => GgufFile.Open(path));
        Assert.Contains("not a GGUF", e.Message);
    }

    [Fact]
    public void Open_BlockMisaligned_ThrowsNamingTensor()
    {
        string path = Path.Combine(TestFiles.TempDir(), "m.gguf");
        File.WriteAllBytes(path, new TestFiles.GgufBuilder()
            .Tensor("w", new long[] { 2, 40 }, 8 /* Q8_0 needs rows of 32k */, new byte[200]).Build());
        var e = Assert.Throws<InvalidDataException>(() => GgufFile.Open(path));
        Assert.Contains("'w'", e.Message);
    }

    [Fact]
    public void ModelConfig_UnsupportedArchitecture_ThrowsNamingIt()
    {
        string path = Path.Combine(TestFiles.TempDir(), "a.gguf");
        File.WriteAllBytes(path, new TestFiles.GgufBuilder().String("general.architecture", "mamba").Build());
        using GgufFile f = GgufFile.Open(path);
        var e = Assert.Throws<NotSupportedException>(() => GgufModelConfig.From(f));
        Assert.Contains("mamba", e.Message);
    }
}
