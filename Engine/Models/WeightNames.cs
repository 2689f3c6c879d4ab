namespace LlmSuite.Engine.Models;

/// <summary>Tensor names of the shared decoder graph in one checkpoint format.</summary>
public abstract class WeightNames
{
    /// <summary>Hugging Face names (model.layers.N.self_attn.q_proj.weight, ...).</summary>
    public static readonly WeightNames HuggingFace = new HfNames();

    /// <summary>llama.cpp GGUF names (blk.N.attn_q.weight, ...).</summary>
    public static readonly WeightNames Gguf = new GgufNames();

    /// <summary>Token embedding [vocab, hidden].</summary>
    public abstract string Embedding { get; }
    /// <summary>Final norm [hidden].</summary>
    public abstract string FinalNorm { get; }
    /// <summary>LM head [vocab, hidden].</summary>
    public abstract string LmHead { get; }
    /// <summary>Pre-attention norm [hidden].</summary>
    public abstract string AttnNorm(int layer);
    /// <summary>Q/K/V/O projection weight ("q", "k", "v", "o").</summary>
    public abstract string Proj(int layer, char which);
    /// <summary>Q/K/V/O projection bias.</summary>
    public abstract string ProjBias(int layer, char which);
    /// <summary>Qwen3 per-head q norm [headDim].</summary>
    public abstract string QNorm(int layer);
    /// <summary>Qwen3 per-head k norm [headDim].</summary>
    public abstract string KNorm(int layer);
    /// <summary>Pre-MLP norm [hidden].</summary>
    public abstract string FfnNorm(int layer);
    /// <summary>MLP gate [intermediate, hidden].</summary>
    public abstract string Gate(int layer);
    /// <summary>MLP up [intermediate, hidden].</summary>
    public abstract string Up(int layer);
    /// <summary>MLP down [hidden, intermediate].</summary>
    public abstract string Down(int layer);

    private sealed class HfNames : WeightNames
    {
        public override string Embedding => "model.embed_tokens.weight";
        public override string FinalNorm => "model.norm.weight";
        public override string LmHead => "lm_head.weight";
        public override string AttnNorm(int l) => $"model.layers.{l}.input_layernorm.weight";
        public override string Proj(int l, char w) => $"model.layers.{l}.self_attn.{w}_proj.weight";
        public override string ProjBias(int l, char w) => $"model.layers.{l}.self_attn.{w}_proj.bias";
        public override string QNorm(int l) => $"model.layers.{l}.self_attn.q_norm.weight";
        public override string KNorm(int l) => $"model.layers.{l}.self_attn.k_norm.weight";
        public override string FfnNorm(int l) => $"model.layers.{l}.post_attention_layernorm.weight";
        public override string Gate(int l) => $"model.layers.{l}.mlp.gate_proj.weight";
        public override string Up(int l) => $"model.layers.{l}.mlp.up_proj.weight";
        public override string Down(int l) => $"model.layers.{l}.mlp.down_proj.weight";
    }

    private sealed class GgufNames : WeightNames
    {
        public override string Embedding => "token_embd.weight";
        public override string FinalNorm => "output_norm.weight";
        public override string LmHead => "output.weight";
        public override string AttnNorm(int l) => $"blk.{l}.attn_norm.weight";
        public override string Proj(int l, char w) => $"blk.{l}.{GgufProj(w)}.weight";
        public override string ProjBias(int l, char w) => $"blk.{l}.{GgufProj(w)}.bias";
        public override string QNorm(int l) => $"blk.{l}.attn_q_norm.weight";
        public override string KNorm(int l) => $"blk.{l}.attn_k_norm.weight";
        public override string FfnNorm(int l) => $"blk.{l}.ffn_norm.weight";
        public override string Gate(int l) => $"blk.{l}.ffn_gate.weight";
        public override string Up(int l) => $"blk.{l}.ffn_up.weight";
        public override string Down(int l) => $"blk.{l}.ffn_down.weight";

        private static string GgufProj(char w) => w switch
        {
            'q' => "attn_q",
            'k' => "attn_k",
            'v' => "attn_v",
            'o' => "attn_output",
            _ => throw new ArgumentOutOfRangeException(nameof(w), w, "projection must be q, k, v or o"),
        };
    }
}
