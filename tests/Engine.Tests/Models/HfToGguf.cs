using System.Runtime.InteropServices;
using System.Text.Json;
using LlmSuite.Engine.Formats.SafeTensors;
using LlmSuite.Engine.Tests.Formats;

namespace LlmSuite.Engine.Tests.Models;

/// <summary>
/// Test-side converter in the spirit of llama.cpp's convert_hf_to_gguf: an F32 HF directory → an F32 GGUF with
/// llama.cpp tensor names and {arch}.* metadata, Q/K rows permuted for llama, optional llama3 rope_freqs tensor.
/// </summary>
internal static class HfToGguf
{
    public static string Convert(string hfDir, string arch, bool permuteQk, float[]? ropeFreqs = null, uint? originalContext = null)
    {
        using JsonDocument cfg = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(hfDir, "config.json")));
        JsonElement c = cfg.RootElement;
        int heads = c.GetProperty("num_attention_heads").GetInt32(), kvHeads = c.GetProperty("num_key_value_heads").GetInt32();
        var b = new TestFiles.GgufBuilder()
            .String("general.architecture", arch)
            .U32($"{arch}.context_length", (uint)c.GetProperty("max_position_embeddings").GetInt32())
            .U32($"{arch}.embedding_length", (uint)c.GetProperty("hidden_size").GetInt32())
            .U32($"{arch}.block_count", (uint)c.GetProperty("num_hidden_layers").GetInt32())
            .U32($"{arch}.feed_forward_length", (uint)c.GetProperty("intermediate_size").GetInt32())
            .U32($"{arch}.attention.head_count", (uint)heads)
            .U32($"{arch}.attention.head_count_kv", (uint)kvHeads)
            .U32($"{arch}.attention.key_length", (uint)c.GetProperty("head_dim").GetInt32())
            .U32($"{arch}.attention.value_length", (uint)c.GetProperty("head_dim").GetInt32())
            .F32($"{arch}.attention.layer_norm_rms_epsilon", (float)c.GetProperty("rms_norm_eps").GetDouble())
            .F32($"{arch}.rope.freq_base", (float)c.GetProperty("rope_theta").GetDouble())
            .U32("tokenizer.ggml.eos_token_id", 2);
        if (originalContext is uint oc)
        {
            b.U32($"{arch}.rope.scaling.original_context_length", oc);
        }
        if (ropeFreqs is not null)
        {
            b.Tensor("rope_freqs.weight", new long[] { ropeFreqs.Length }, 0, TestFiles.Floats(ropeFreqs));
        }
        using var ckpt = SafeTensorsCheckpoint.Open(hfDir);
        foreach (string name in ckpt.Names.Order(StringComparer.Ordinal))
        {
            var info = ckpt.GetInfo(name);
            byte[] data = ckpt.GetBytes(name).ToArray();
            if (permuteQk && name.EndsWith("q_proj.weight"))
            {
                data = Permute(data, (int)info.Shape[0], heads);
            }
            else if (permuteQk && name.EndsWith("k_proj.weight"))
            {
                data = Permute(data, (int)info.Shape[0], kvHeads);
            }
            b.Tensor(GgufName(name), info.Shape, 0, data);
        }
        string path = Path.Combine(TestFiles.TempDir(), $"{arch}.gguf");
        File.WriteAllBytes(path, b.Build());
        return path;
    }

    /// <summary>llama.cpp permute(): HF row h*e + j*e/2 + i goes to row h*e + 2i + j.</summary>
    private static byte[] Permute(byte[] src, int rows, int heads)
    {
        int rowBytes = src.Length / rows, e = rows / heads, half = e / 2;
        byte[] dst = new byte[src.Length];
        for (int h = 0; h < heads; h++)
        {
            for (int j = 0; j < 2; j++)
            {
                for (int i = 0; i < half; i++)
                {
                    Array.Copy(src, (h * e + j * half + i) * rowBytes, dst, (h * e + 2 * i + j) * rowBytes, rowBytes);
                }
            }
        }
        return dst;
    }

    private static string GgufName(string hf)
    {
        if (hf == "model.embed_tokens.weight") return "token_embd.weight";
        if (hf == "model.norm.weight") return "output_norm.weight";
        if (hf == "lm_head.weight") return "output.weight";
        string[] p = hf.Split('.');   // model.layers.N.<module>.<sub>.<weight|bias>
        string layer = p[2];
        string rest = string.Join('.', p.Skip(3));
        string mapped = rest switch
        {
            "input_layernorm.weight" => "attn_norm.weight",
            "post_attention_layernorm.weight" => "ffn_norm.weight",
            "self_attn.q_norm.weight" => "attn_q_norm.weight",
            "self_attn.k_norm.weight" => "attn_k_norm.weight",
            "mlp.gate_proj.weight" => "ffn_gate.weight",
            "mlp.up_proj.weight" => "ffn_up.weight",
            "mlp.down_proj.weight" => "ffn_down.weight",
            _ when rest.StartsWith("self_attn.") => rest.Substring(10).Replace("q_proj", "attn_q").Replace("k_proj", "attn_k").Replace("v_proj", "attn_v").Replace("o_proj", "attn_output"),
            _ => throw new InvalidOperationException($"no GGUF name for {hf}"),
        };
        return $"blk.{layer}.{mapped}";
    }
}
