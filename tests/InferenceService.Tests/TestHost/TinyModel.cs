using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace LlmSuite.InferenceService.Tests.TestHost;

/// <summary>
/// Writes a real (random-weight, seeded) Llama model directory: config.json, model.safetensors, the bundled
/// tokenizer.json of models/default (ChatML special tokens) and a tokenizer_config.json with a ChatML template.
/// Small enough to load in milliseconds, big enough (context 2048) that a long generation takes a while.
/// </summary>
public static class TinyModel
{
    public const string ChatTemplate =
        "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    public const int Vocab = 4096;
    public const int ImEnd = 4095;
    public const int EndOfText = 4093;
    public const int Context = 2048;

    /// <summary>The repository root (holds Suite.sln): recorded at build time, or found above the test binaries.</summary>
    public static string RepoRoot()
    {
        var recorded = typeof(TinyModel).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "RepoRoot")?.Value;
        if (recorded is not null && File.Exists(Path.Combine(recorded, "Suite.sln")))
        {
            return recorded;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Suite.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("Suite.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Writes the model into <paramref name="directory"/> (created) with weights drawn from <paramref name="seed"/>.</summary>
    public static string Write(string directory, int seed, int hidden = 64, int layers = 2, int context = Context)
    {
        Directory.CreateDirectory(directory);
        var tokenizer = Path.Combine(AppContext.BaseDirectory, "TestData", "tokenizer.json");
        if (!File.Exists(tokenizer))
        {
            throw new FileNotFoundException("TestData/tokenizer.json (a copy of models/default/tokenizer.json) is missing from the test output", tokenizer);
        }
        File.Copy(tokenizer, Path.Combine(directory, "tokenizer.json"), overwrite: true);
        const int heads = 4, kvHeads = 2;
        var headDim = hidden / heads;
        var inter = hidden * 2;
        var config = new Dictionary<string, object?>
        {
            ["architectures"] = new[] { "LlamaForCausalLM" },
            ["model_type"] = "llama",
            ["hidden_size"] = hidden,
            ["intermediate_size"] = inter,
            ["num_hidden_layers"] = layers,
            ["num_attention_heads"] = heads,
            ["num_key_value_heads"] = kvHeads,
            ["head_dim"] = headDim,
            ["vocab_size"] = Vocab,
            ["rms_norm_eps"] = 1e-5,
            ["rope_theta"] = 10000.0,
            ["max_position_embeddings"] = context,
            ["tie_word_embeddings"] = false,
            ["bos_token_id"] = EndOfText,
            ["eos_token_id"] = ImEnd,
            ["hidden_act"] = "silu",
            ["torch_dtype"] = "float32",
        };
        File.WriteAllText(Path.Combine(directory, "config.json"), JsonSerializer.Serialize(config));
        var tokenizerConfig = new Dictionary<string, object?>
        {
            ["bos_token"] = "<|endoftext|>",
            ["eos_token"] = "<|im_end|>",
            ["chat_template"] = ChatTemplate,
            ["add_bos_token"] = false,
        };
        File.WriteAllText(Path.Combine(directory, "tokenizer_config.json"), JsonSerializer.Serialize(tokenizerConfig));

        var random = new Random(seed);
        var tensors = new List<(string Name, int[] Shape, float[] Data)>();
        void Add(string name, float scale, params int[] shape)
        {
            var data = new float[shape.Aggregate(1, (a, b) => a * b)];
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = scale < 0 ? 1f : (float)((random.NextDouble() * 2 - 1) * scale);
            }
            tensors.Add((name, shape, data));
        }
        Add("model.embed_tokens.weight", 1f, Vocab, hidden);
        for (var l = 0; l < layers; l++)
        {
            var p = $"model.layers.{l}.";
            var s = 1f / MathF.Sqrt(hidden);
            Add(p + "input_layernorm.weight", -1, hidden);
            Add(p + "self_attn.q_proj.weight", s, heads * headDim, hidden);
            Add(p + "self_attn.k_proj.weight", s, kvHeads * headDim, hidden);
            Add(p + "self_attn.v_proj.weight", s, kvHeads * headDim, hidden);
            Add(p + "self_attn.o_proj.weight", s, hidden, heads * headDim);
            Add(p + "post_attention_layernorm.weight", -1, hidden);
            Add(p + "mlp.gate_proj.weight", s, inter, hidden);
            Add(p + "mlp.up_proj.weight", s, inter, hidden);
            Add(p + "mlp.down_proj.weight", 1f / MathF.Sqrt(inter), hidden, inter);
        }
        Add("model.norm.weight", -1, hidden);
        Add("lm_head.weight", 0.5f, Vocab, hidden);
        WriteSafetensors(Path.Combine(directory, "model.safetensors"), tensors);
        return directory;
    }

    private static void WriteSafetensors(string path, List<(string Name, int[] Shape, float[] Data)> tensors)
    {
        var header = new Dictionary<string, object>();
        long offset = 0;
        foreach (var (name, shape, data) in tensors)
        {
            header[name] = new { dtype = "F32", shape, data_offsets = new[] { offset, offset + data.Length * 4L } };
            offset += data.Length * 4L;
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        var padded = (json.Length + 7) / 8 * 8;
        using var file = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
        file.Write(length);
        file.Write(json);
        for (var i = json.Length; i < padded; i++)
        {
            file.WriteByte((byte)' ');
        }
        foreach (var (_, _, data) in tensors)
        {
            var bytes = new byte[data.Length * 4];
            for (var i = 0; i < data.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), data[i]);
            }
            file.Write(bytes);
        }
    }
}
