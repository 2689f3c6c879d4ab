using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace LlmSuite.EngineBench;

/// <summary>Shape of a random-weight Llama written for benchmarks.</summary>
internal sealed record SyntheticModelShape(int Hidden, int Layers, int Heads, int KvHeads, int Intermediate, int Vocab, int Context)
{
    /// <summary>~90M parameters: hidden 768, 12 layers, GQA 12/4, MLP 2048, vocab 8192.</summary>
    public static readonly SyntheticModelShape M90 = new(768, 12, 12, 4, 2048, 8192, 2048);

    /// <summary>~16M parameters: hidden 384, 6 layers, GQA 6/2, MLP 1024, vocab 8192.</summary>
    public static readonly SyntheticModelShape M16 = new(384, 6, 6, 2, 1024, 8192, 2048);

    public int HeadDim => Hidden / Heads;

    public long Parameters
    {
        get
        {
            long d = Hidden, e = HeadDim, perLayer = d * Heads * e + 2 * d * KvHeads * e + Heads * e * d + 3 * d * Intermediate + 2 * d;
            return Layers * perLayer + 2L * Vocab * d + d;
        }
    }
}

/// <summary>Writes a Hugging Face Llama directory (config.json + model.safetensors, F32) with seeded random weights.</summary>
internal static class SyntheticModel
{
    /// <summary>The directory of a seeded random model under the temp folder, written on first use.</summary>
    public static string Ensure(SyntheticModelShape shape, int seed)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"llmsuite-synthetic-{shape.Hidden}x{shape.Layers}-{seed}");
        if (!File.Exists(Path.Combine(dir, "config.json")))
        {
            Console.WriteLine($"writing a random {shape.Parameters / 1e6:F0}M-parameter Llama to {dir} ...");
            Write(dir, shape, seed);
        }
        return dir;
    }

    public static string Write(string directory, SyntheticModelShape s, int seed)
    {
        Directory.CreateDirectory(directory);
        int d = s.Hidden, e = s.HeadDim;
        var tensors = new List<(string Name, int[] Shape, bool Norm)>
        {
            ("model.embed_tokens.weight", [s.Vocab, d], false),
        };
        for (int l = 0; l < s.Layers; l++)
        {
            string p = $"model.layers.{l}.";
            tensors.Add((p + "input_layernorm.weight", [d], true));
            tensors.Add((p + "self_attn.q_proj.weight", [s.Heads * e, d], false));
            tensors.Add((p + "self_attn.k_proj.weight", [s.KvHeads * e, d], false));
            tensors.Add((p + "self_attn.v_proj.weight", [s.KvHeads * e, d], false));
            tensors.Add((p + "self_attn.o_proj.weight", [d, s.Heads * e], false));
            tensors.Add((p + "post_attention_layernorm.weight", [d], true));
            tensors.Add((p + "mlp.gate_proj.weight", [s.Intermediate, d], false));
            tensors.Add((p + "mlp.up_proj.weight", [s.Intermediate, d], false));
            tensors.Add((p + "mlp.down_proj.weight", [d, s.Intermediate], false));
        }
        tensors.Add(("model.norm.weight", [d], true));
        tensors.Add(("lm_head.weight", [s.Vocab, d], false));

        var header = new Dictionary<string, object>();
        long offset = 0;
        foreach (var (name, shape, _) in tensors)
        {
            long bytes = 4L * shape.Aggregate(1L, (a, b) => a * b);
            header[name] = new { dtype = "F32", shape, data_offsets = new[] { offset, offset + bytes } };
            offset += bytes;
        }
        byte[] json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        int pad = (8 - json.Length % 8) % 8;
        using (var file = new FileStream(Path.Combine(directory, "model.safetensors"), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(len, json.Length + pad);
            file.Write(len);
            file.Write(json);
            for (int i = 0; i < pad; i++)
            {
                file.WriteByte((byte)' ');
            }
            var rng = new Random(seed);
            var buffer = new byte[1 << 20];
            foreach (var (_, shape, norm) in tensors)
            {
                long count = shape.Aggregate(1L, (a, b) => a * b);
                float scale = 1f / MathF.Sqrt(shape[^1]);
                while (count > 0)
                {
                    int n = (int)Math.Min(count, buffer.Length / 4);
                    for (int i = 0; i < n; i++)
                    {
                        float v = norm ? 1f : (float)(rng.NextDouble() * 2 - 1) * scale * 1.7f;
                        BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(4 * i), v);
                    }
                    file.Write(buffer, 0, 4 * n);
                    count -= n;
                }
            }
        }
        var config = new Dictionary<string, object?>
        {
            ["architectures"] = new[] { "LlamaForCausalLM" },
            ["model_type"] = "llama",
            ["hidden_size"] = d,
            ["intermediate_size"] = s.Intermediate,
            ["num_hidden_layers"] = s.Layers,
            ["num_attention_heads"] = s.Heads,
            ["num_key_value_heads"] = s.KvHeads,
            ["head_dim"] = e,
            ["vocab_size"] = s.Vocab,
            ["rms_norm_eps"] = 1e-5,
            ["rope_theta"] = 10000.0,
            ["max_position_embeddings"] = s.Context,
            ["tie_word_embeddings"] = false,
            ["bos_token_id"] = 1,
            ["eos_token_id"] = 2,
            ["hidden_act"] = "silu",
            ["attention_bias"] = false,
            ["torch_dtype"] = "float32",
        };
        File.WriteAllText(Path.Combine(directory, "config.json"), JsonSerializer.Serialize(config));
        return directory;
    }
}
