"""Builds tiny random Llama / Mistral / Qwen2 / Qwen3 models with a fixed seed, writes each as an HF directory
(config.json + safetensors) and records golden outputs computed by tiny_transformer.py (fp32):
  logits.bin  : float32 LE [prompt_len, vocab] logits for every prompt position
  golden.json : prompt ids, 32 greedy token ids (KV-cache decode, cross-checked by full recompute), min top-2 margin
Also writes GGUF v3 twins of the llama model (F32 and Q8_0, llama.cpp Q/K permutation, tokenizer metadata) and
quantization test vectors for the Q4_0 / Q4_K / Q6_K / Q8_0 dequantizers.

Run from the repo root:  /usr/bin/python3 scripts/reference/make_model_goldens.py
"""
import json
import os
import struct
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tiny_transformer import CausalLM  # noqa: E402
from safetensors_io import write_safetensors  # noqa: E402
import ggml_quants as gq  # noqa: E402
from gguf_io import GgufWriter, UINT8, INT8, UINT16, INT16, UINT32, INT32, FLOAT32, BOOL, STRING, ARRAY, \
    UINT64, INT64, FLOAT64, GGML_F32, GGML_Q8_0  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MODELS = os.path.join(ROOT, "tests", "Engine.Tests", "TestData", "Models")
FORMATS = os.path.join(ROOT, "tests", "Engine.Tests", "TestData", "Formats")
PROMPT = [1, 17, 200, 45, 99, 3, 128, 64, 250, 7, 33, 180]
GREEDY = 32

BASE = dict(hidden_size=64, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
            head_dim=16, vocab_size=256, rms_norm_eps=1e-5, rope_theta=10000.0, max_position_embeddings=256,
            tie_word_embeddings=False, bos_token_id=1, eos_token_id=2, hidden_act="silu", attention_bias=False,
            rope_scaling=None, torch_dtype="float32")

SPECS = {
    "llama": dict(BASE, architectures=["LlamaForCausalLM"], model_type="llama"),
    "llama3": dict(BASE, architectures=["LlamaForCausalLM"], model_type="llama", rope_theta=500000.0,
                   tie_word_embeddings=True, eos_token_id=[2, 5],
                   rope_scaling=dict(rope_type="llama3", factor=8.0, low_freq_factor=1.0, high_freq_factor=4.0,
                                     original_max_position_embeddings=64)),
    "mistral": dict(BASE, architectures=["MistralForCausalLM"], model_type="mistral", num_key_value_heads=1,
                    sliding_window=None),
    "qwen2": dict(BASE, architectures=["Qwen2ForCausalLM"], model_type="qwen2", rope_theta=1000000.0,
                  rms_norm_eps=1e-6, tie_word_embeddings=True, use_sliding_window=False),
    "qwen3": dict(BASE, architectures=["Qwen3ForCausalLM"], model_type="qwen3", head_dim=32, rope_theta=1000000.0,
                  rms_norm_eps=1e-6, tie_word_embeddings=True),
}


def build(cfg, seed):
    torch.manual_seed(seed)
    m = CausalLM(cfg)
    with torch.no_grad():
        for name, p in m.named_parameters():
            if name.endswith("norm.weight"):
                p.copy_(1.0 + 0.2 * torch.randn_like(p))      # non-trivial norm weights
            elif name.endswith(".bias"):
                p.copy_(0.2 * torch.randn_like(p))
            elif name.endswith("o_proj.weight") or name.endswith("down_proj.weight"):
                p.mul_(3.0)                                   # layers dominate the residual stream
            elif name == "model.embed_tokens.weight":
                p.copy_(0.15 * torch.randn_like(p))           # residual stream not dominated by the embedding
    return m.eval()


def state(m, dtype=torch.float32):
    sd = {k: v.detach().to(dtype) for k, v in m.state_dict().items()}
    if m.cfg.get("tie_word_embeddings"):
        sd.pop("lm_head.weight", None)
    return sd


def load_state(m, sd):
    with torch.no_grad():
        own = dict(m.named_parameters())
        for k, v in sd.items():
            own[k].copy_(v.float())


@torch.no_grad()
def run(m):
    ids = torch.tensor([PROMPT])
    logits, _ = m(ids)
    # greedy with KV cache
    out, margins, tops = [], [], []
    lg, past = m(ids)
    for _ in range(GREEDY):
        last = lg[0, -1]
        top = torch.topk(last, 2).values
        margins.append(float(top[0] - top[1]))
        tops.append(float(top[0]))
        t = int(torch.argmax(last))
        out.append(t)
        lg, past = m(torch.tensor([[t]]), past)
    # cross-check: full recompute without cache
    seq = list(PROMPT)
    for t in out:
        full, _ = m(torch.tensor([seq]))
        assert int(torch.argmax(full[0, -1])) == t, "KV-cache greedy differs from full recompute"
        seq.append(t)
    return logits[0].float().numpy(), (out, tops), min(margins)


def write_golden(d, logits, greedy_tops, margin, note):
    greedy, tops = greedy_tops
    logits.astype("<f4").tofile(os.path.join(d, "logits.bin"))
    with open(os.path.join(d, "golden.json"), "w") as f:
        json.dump(dict(prompt=PROMPT, greedy=greedy, greedy_top_logit=tops, logits_shape=list(logits.shape), min_top2_margin=margin,
                       note=note), f, indent=1)


def write_config(d, cfg, dtype_name):
    c = dict(cfg, torch_dtype=dtype_name)
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(c, f, indent=2)


def pick_seed(cfg):
    best = None
    for seed in range(40):
        m = build(cfg, seed)
        logits, greedy, margin = run(m)
        score = margin if len(set(greedy[0])) >= 6 else margin - 1.0   # prefer non-degenerate continuations
        if best is None or score > best[0]:
            best = (score, seed)
        if margin > 0.05:
            break
    return best[1]


def main():
    os.makedirs(MODELS, exist_ok=True)
    os.makedirs(FORMATS, exist_ok=True)
    built = {}
    for name, cfg in SPECS.items():
        seed = pick_seed(cfg)
        m = build(cfg, seed)
        built[name] = m
        logits, greedy, margin = run(m)
        d = os.path.join(MODELS, name)
        os.makedirs(d, exist_ok=True)
        write_config(d, cfg, "float32")
        sd = state(m)
        if name == "mistral":   # sharded checkpoint
            keys = sorted(sd)
            half = len(keys) // 2
            shards = {"model-00001-of-00002.safetensors": keys[:half], "model-00002-of-00002.safetensors": keys[half:]}
            weight_map = {}
            for fn, ks in shards.items():
                write_safetensors(os.path.join(d, fn), {k: sd[k] for k in ks}, {"format": "pt"})
                weight_map.update({k: fn for k in ks})
            total = sum(v.numel() * 4 for v in sd.values())
            with open(os.path.join(d, "model.safetensors.index.json"), "w") as f:
                json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=1)
            with open(os.path.join(d, "generation_config.json"), "w") as f:
                json.dump({"bos_token_id": 1, "eos_token_id": [2, 7], "do_sample": True, "temperature": 0.7,
                           "top_p": 0.9, "top_k": 40, "repetition_penalty": 1.1, "max_new_tokens": 64}, f, indent=1)
        else:
            write_safetensors(os.path.join(d, "model.safetensors"), sd, {"format": "pt"})
        write_golden(d, logits, greedy, margin, f"seed {seed}, fp32 torch {torch.__version__}")
        print(f"{name}: seed {seed} greedy {greedy[0][:8]}... margin {margin:.4f}")

        if name == "llama":
            for dt, dn in ((torch.bfloat16, "bfloat16"), (torch.float16, "float16")):
                sd16 = state(m, dt)
                m16 = build(cfg, seed)
                load_state(m16, sd16)           # fp32 model on upcast 16-bit weights
                lg16, gr16, mg16 = run(m16)
                d16 = os.path.join(MODELS, f"llama-{dn}")
                os.makedirs(d16, exist_ok=True)
                write_config(d16, cfg, dn)
                write_safetensors(os.path.join(d16, "model.safetensors"), sd16, {"format": "pt"})
                write_golden(d16, lg16, gr16, mg16, f"seed {seed}, weights rounded to {dn}, computed in fp32")
                print(f"llama-{dn}: margin {mg16:.4f} greedy equal to f32: {gr16[0] == greedy[0]}")
            write_gguf_twins(m, cfg, seed)
    write_quant_vectors()


# ---------------- GGUF twins of the llama model ----------------
def permute(w, n_head):
    """llama.cpp convert_hf_to_gguf permute for llama Q/K rows (HF rotate_half -> interleaved pairs)."""
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


CHAT_TEMPLATE = ("{% for message in messages %}<|{{ message['role'] }}|>{{ message['content'] }}\n{% endfor %}"
                 "{% if add_generation_prompt %}<|assistant|>{% endif %}")


def write_gguf_twins(m, cfg, seed):
    sd = {k: v.numpy() for k, v in state(m).items()}
    b2u = bytes_to_unicode()
    tokens = [b2u[i] for i in range(256)]
    tokens[1], tokens[2] = "<s>", "</s>"
    token_type = [1] * 256
    token_type[1] = token_type[2] = 3
    merges = [f"{b2u[ord('h')]} {b2u[ord('e')]}", f"{b2u[ord('l')]} {b2u[ord('l')]}"]
    names = {"model.embed_tokens.weight": "token_embd.weight", "model.norm.weight": "output_norm.weight",
             "lm_head.weight": "output.weight"}
    per_layer = {"input_layernorm": "attn_norm", "self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k",
                 "self_attn.v_proj": "attn_v", "self_attn.o_proj": "attn_output", "post_attention_layernorm": "ffn_norm",
                 "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up", "mlp.down_proj": "ffn_down"}
    for i in range(cfg["num_hidden_layers"]):
        for hf, gg in per_layer.items():
            names[f"model.layers.{i}.{hf}.weight"] = f"blk.{i}.{gg}.weight"

    for kind in ("f32", "q8_0"):
        w = GgufWriter()
        w.add("general.architecture", STRING, "llama")
        w.add("general.name", STRING, f"tiny-llama-{kind}")
        if kind == "q8_0":
            w.add("general.alignment", UINT32, 64)
            w.add("general.file_type", UINT32, 7)
        w.add("llama.context_length", UINT32, cfg["max_position_embeddings"])
        w.add("llama.embedding_length", UINT32, cfg["hidden_size"])
        w.add("llama.block_count", UINT32, cfg["num_hidden_layers"])
        w.add("llama.feed_forward_length", UINT32, cfg["intermediate_size"])
        w.add("llama.attention.head_count", UINT32, cfg["num_attention_heads"])
        w.add("llama.attention.head_count_kv", UINT32, cfg["num_key_value_heads"])
        w.add("llama.attention.layer_norm_rms_epsilon", FLOAT32, cfg["rms_norm_eps"])
        w.add("llama.rope.freq_base", FLOAT32, cfg["rope_theta"])
        w.add("llama.rope.dimension_count", UINT32, cfg["head_dim"])
        w.add("llama.vocab_size", UINT32, cfg["vocab_size"])
        w.add("tokenizer.ggml.model", STRING, "gpt2")
        w.add("tokenizer.ggml.pre", STRING, "default")
        w.add("tokenizer.ggml.tokens", ARRAY, (STRING, tokens))
        w.add("tokenizer.ggml.token_type", ARRAY, (INT32, token_type))
        w.add("tokenizer.ggml.merges", ARRAY, (STRING, merges))
        w.add("tokenizer.ggml.bos_token_id", UINT32, 1)
        w.add("tokenizer.ggml.eos_token_id", UINT32, 2)
        w.add("tokenizer.ggml.add_bos_token", BOOL, True)
        w.add("tokenizer.chat_template", STRING, CHAT_TEMPLATE)
        if kind == "f32":   # one key of every metadata type, for the reader's unit test
            for key, t, v in (("test.u8", UINT8, 200), ("test.i8", INT8, -100), ("test.u16", UINT16, 60000),
                              ("test.i16", INT16, -30000), ("test.u32", UINT32, 4000000000), ("test.i32", INT32, -2000000000),
                              ("test.f32", FLOAT32, 1.5), ("test.bool", BOOL, False), ("test.str", STRING, "héllo"),
                              ("test.u64", UINT64, 2 ** 40 + 3), ("test.i64", INT64, -(2 ** 40)), ("test.f64", FLOAT64, 2.25),
                              ("test.arr_f32", ARRAY, (FLOAT32, [0.5, -1.0])),
                              ("test.arr_nested", ARRAY, (ARRAY, [(UINT8, [1, 2]), (UINT8, [3])]))):
                w.add(key, t, v)
        for hf, gg in names.items():
            t = sd[hf]
            if hf.endswith("q_proj.weight"):
                t = permute(t, cfg["num_attention_heads"])
            elif hf.endswith("k_proj.weight"):
                t = permute(t, cfg["num_key_value_heads"])
            t = np.ascontiguousarray(t, dtype=np.float32)
            if kind == "q8_0" and t.ndim == 2:
                w.add_tensor(gg, t.shape, GGML_Q8_0, gq.quantize_q8_0(t.reshape(-1)))
            else:
                w.add_tensor(gg, t.shape, GGML_F32, t.astype("<f4").tobytes())
        path = os.path.join(MODELS, f"llama-{kind}.gguf")
        w.write(path)
        print("wrote", path, os.path.getsize(path))

    # Q8_0 reference: the same model with every 2-D weight replaced by its Q8_0 dequantization
    mq = build(cfg, seed)
    sdq = {}
    for k, v in state(m).items():
        if v.ndim == 2:
            flat = v.numpy().reshape(-1)
            sdq[k] = torch.from_numpy(gq.dequantize_q8_0(gq.quantize_q8_0(flat), flat.size).reshape(v.shape))
        else:
            sdq[k] = v
    load_state(mq, sdq)
    lq, gq_, mgq = run(mq)
    d = os.path.join(MODELS, "llama-q8_0-golden")
    os.makedirs(d, exist_ok=True)
    write_golden(d, lq, gq_, mgq, "llama weights Q8_0-quantized/dequantized (ggml ref rounding), computed in fp32")
    print(f"llama-q8_0: margin {mgq:.4f}")


# ---------------- quantization test vectors ----------------
def write_quant_vectors():
    """quants.bin: for each format a record  [u32 type][u32 n][u32 nbytes][blocks][n float32 expected]."""
    rng = np.random.default_rng(1234)
    recs = bytearray()
    cases = []
    x = (rng.standard_normal(512) * 0.7).astype(np.float32)
    x[5] = 3.0
    x[300] = -4.0
    x[256:288] = 0.0                                           # an all-zero sub-block
    cases.append((2, gq.quantize_q4_0(x), gq.dequantize_q4_0, 512))
    cases.append((8, gq.quantize_q8_0(x), gq.dequantize_q8_0, 512))
    cases.append((12, gq.quantize_q4_k(x), gq.dequantize_q4_k, 512))
    cases.append((14, gq.quantize_q6_k(x), gq.dequantize_q6_k, 512))
    # random bit patterns with sane fp16 scales exercise every bit of the packing
    for t, bsz, fn in ((12, 144, gq.dequantize_q4_k), (14, 210, gq.dequantize_q6_k)):
        raw = bytearray(rng.integers(0, 256, bsz * 2, dtype=np.uint8).tobytes())
        for blk in range(2):
            o = blk * bsz
            scale_offs = (0, 2) if t == 12 else (208,)
            for so in scale_offs:
                raw[o + so:o + so + 2] = gq.fp16_bytes(np.float32(rng.uniform(-0.05, 0.05)))
        cases.append((t, bytes(raw), fn, 512))
    for t, blob, deq, n in cases:
        y = deq(blob, n)
        recs += struct.pack("<III", t, n, len(blob)) + blob + y.astype("<f4").tobytes()
    with open(os.path.join(FORMATS, "quants.bin"), "wb") as f:
        f.write(recs)
    print("quant vectors:", len(cases), "records")


if __name__ == "__main__":
    main()
