"""Minimal PyTorch decoder-only transformer that follows HF transformers' modeling code for
Llama / Mistral / Qwen2 / Qwen3 (modeling_llama.py, modeling_mistral.py, modeling_qwen2.py, modeling_qwen3.py).

Written for torch 1.13 (transformers is not installed here). Every step mirrors the HF code:
RMSNorm computed in fp32, rotate_half RoPE with optional llama3 frequency scaling, GQA via repeat_kv,
q/k/v bias for qwen2, per-head q_norm/k_norm (before RoPE) for qwen3, optional tied embeddings.
"""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        dtype = x.dtype
        x = x.to(torch.float32)
        var = x.pow(2).mean(-1, keepdim=True)
        x = x * torch.rsqrt(var + self.eps)
        return self.weight * x.to(dtype)


def llama3_inv_freq(inv_freq, rs):
    factor = rs["factor"]
    low = rs["low_freq_factor"]
    high = rs["high_freq_factor"]
    old = rs["original_max_position_embeddings"]
    low_wavelen = old / low
    high_wavelen = old / high
    wavelen = 2 * math.pi / inv_freq
    inv = torch.where(wavelen > low_wavelen, inv_freq / factor, inv_freq)
    smooth = (old / wavelen - low) / (high - low)
    smoothed = (1 - smooth) * inv / factor + smooth * inv
    medium = ~(wavelen < high_wavelen) * ~(wavelen > low_wavelen)
    return torch.where(medium, smoothed, inv)


def rope_inv_freq(cfg):
    dim = cfg["head_dim"]
    base = cfg["rope_theta"]
    inv = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))
    rs = cfg.get("rope_scaling")
    if rs is not None:
        kind = rs.get("rope_type", rs.get("type"))
        assert kind == "llama3", kind
        inv = llama3_inv_freq(inv, rs)
    return inv


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)


def repeat_kv(x, n_rep):
    b, kvh, s, d = x.shape
    if n_rep == 1:
        return x
    return x[:, :, None, :, :].expand(b, kvh, n_rep, s, d).reshape(b, kvh * n_rep, s, d)


class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        h, d, nh, nkv = cfg["hidden_size"], cfg["head_dim"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
        bias = cfg.get("attention_bias", False) or cfg["model_type"] == "qwen2"
        self.q_proj = nn.Linear(h, nh * d, bias=bias)
        self.k_proj = nn.Linear(h, nkv * d, bias=bias)
        self.v_proj = nn.Linear(h, nkv * d, bias=bias)
        self.o_proj = nn.Linear(nh * d, h, bias=cfg.get("attention_bias", False))
        self.qk_norm = cfg["model_type"] == "qwen3"
        if self.qk_norm:
            self.q_norm = RMSNorm(d, cfg["rms_norm_eps"])
            self.k_norm = RMSNorm(d, cfg["rms_norm_eps"])

    def forward(self, x, cos, sin, past):
        """x [b, s, h]; cos/sin [b, s, d]; past: None or (k, v) [b, kvh, p, d]. Returns out, (k, v)."""
        cfg = self.cfg
        b, s, _ = x.shape
        d, nh, nkv = cfg["head_dim"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
        q = self.q_proj(x).view(b, s, nh, d)
        k = self.k_proj(x).view(b, s, nkv, d)
        v = self.v_proj(x).view(b, s, nkv, d).transpose(1, 2)
        if self.qk_norm:
            q = self.q_norm(q)
            k = self.k_norm(k)
        q = q.transpose(1, 2)
        k = k.transpose(1, 2)
        c, sn = cos.unsqueeze(1), sin.unsqueeze(1)
        q = q * c + rotate_half(q) * sn
        k = k * c + rotate_half(k) * sn
        if past is not None:
            k = torch.cat([past[0], k], dim=2)
            v = torch.cat([past[1], v], dim=2)
        new_past = (k, v)
        kr = repeat_kv(k, nh // nkv)
        vr = repeat_kv(v, nh // nkv)
        total = kr.shape[2]
        scores = torch.matmul(q, kr.transpose(2, 3)) * (d ** -0.5)
        # causal mask: query i (absolute position total - s + i) sees keys <= its position
        qpos = torch.arange(total - s, total)[:, None]
        kpos = torch.arange(total)[None, :]
        mask = torch.where(kpos <= qpos, 0.0, float("-inf"))
        scores = scores + mask
        probs = F.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
        out = torch.matmul(probs, vr).transpose(1, 2).reshape(b, s, nh * d)
        return self.o_proj(out), new_past


class MLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        h, i = cfg["hidden_size"], cfg["intermediate_size"]
        self.gate_proj = nn.Linear(h, i, bias=False)
        self.up_proj = nn.Linear(h, i, bias=False)
        self.down_proj = nn.Linear(i, h, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class Layer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.self_attn = Attention(cfg)
        self.mlp = MLP(cfg)
        self.input_layernorm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])
        self.post_attention_layernorm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])

    def forward(self, x, cos, sin, past):
        a, new_past = self.self_attn(self.input_layernorm(x), cos, sin, past)
        x = x + a
        x = x + self.mlp(self.post_attention_layernorm(x))
        return x, new_past


class Inner(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.embed_tokens = nn.Embedding(cfg["vocab_size"], cfg["hidden_size"])
        self.layers = nn.ModuleList([Layer(cfg) for _ in range(cfg["num_hidden_layers"])])
        self.norm = RMSNorm(cfg["hidden_size"], cfg["rms_norm_eps"])


class CausalLM(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.model = Inner(cfg)
        self.lm_head = nn.Linear(cfg["hidden_size"], cfg["vocab_size"], bias=False)
        if cfg.get("tie_word_embeddings", False):
            self.lm_head.weight = self.model.embed_tokens.weight
        self.register_buffer("inv_freq", rope_inv_freq(cfg), persistent=False)

    def rope(self, positions):
        # positions [s] -> cos/sin [1, s, d], fp32 as in LlamaRotaryEmbedding
        freqs = (self.inv_freq[:, None].float() @ positions[None, :].float()).transpose(0, 1)
        emb = torch.cat((freqs, freqs), dim=-1)
        return emb.cos()[None], emb.sin()[None]

    def forward(self, ids, past=None):
        """ids [1, s]; past: list per layer of (k, v) or None. Returns logits [1, s, vocab], new past."""
        start = 0 if past is None else past[0][0].shape[2]
        pos = torch.arange(start, start + ids.shape[1])
        cos, sin = self.rope(pos)
        x = self.model.embed_tokens(ids)
        new = []
        for i, layer in enumerate(self.model.layers):
            x, p = layer(x, cos, sin, None if past is None else past[i])
            new.append(p)
        x = self.model.norm(x)
        return self.lm_head(x), new
