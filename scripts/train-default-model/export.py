#!/usr/bin/python3
"""Export the trained checkpoint (work/ckpt.pt) to models/default/ as an HF-style Llama directory:
model.safetensors (F32, written by hand), config.json, generation_config.json, tokenizer_config.json
(tokenizer.json is written by train_tokenizer.py), reference.json (greedy continuations + top-5 logits
computed from the weights read back from model.safetensors) and work/samples.json (sample generations)."""
import json
import os
import struct
import sys

import numpy as np
import torch

import bpe
from chatml import CHAT_TEMPLATE, render
from model import Config, LlamaForCausalLM, count_params

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.join(HERE, "work")
OUT = os.environ.get("OUT_DIR") or os.path.normpath(os.path.join(HERE, "..", "..", "models", "default"))
CKPT = os.environ.get("CKPT") or os.path.join(WORK, "ckpt.pt")
torch.set_num_threads(int(os.environ.get("THREADS", "2")))

DTYPES = {torch.float32: ("F32", np.float32)}


def write_safetensors(path, tensors, metadata):
    """tensors: name -> float32 torch tensor. Layout: u64 LE header length, JSON header, raw little-endian data."""
    header = {"__metadata__": metadata}
    blobs = []
    off = 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().to(torch.float32)
        b = t.numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)  # pad so the data starts 8-byte aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    data = open(path, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32"
        a, b = info["data_offsets"]
        arr = np.frombuffer(data[base + a:base + b], dtype="<f4").reshape(info["shape"])
        out[name] = torch.from_numpy(arr.copy())
    return out


REFERENCE_PROMPTS = [
    [{"role": "user", "content": "Hello!"}],
    [{"role": "user", "content": "Who are you?"}],
    [{"role": "system", "content": "You are a helpful assistant."}, {"role": "user", "content": "Give me a verse about love."}],
    [{"role": "user", "content": "Give me a verse about light."}],
    [{"role": "user", "content": "Can you quote a Bible verse about water?"}],
    [{"role": "user", "content": "Say this in modern English: In the beginning God created the heaven and the earth."}],
    [{"role": "user", "content": "Say this in modern English: The LORD is my shepherd; I shall not want."}],
    [{"role": "user", "content": "Say this in the style of the King James Bible: Yahweh is my shepherd; I shall lack nothing."}],
    [{"role": "user", "content": "What comes after this verse? For God so loved the world, that he gave his only begotten Son, that whosoever believeth in him should not perish, but have everlasting life."}],
    [{"role": "user", "content": "Continue the story: It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in want of a wife."}],
    [{"role": "user", "content": "My dear Mr. Bennet, have you heard that Netherfield Park is let at last?"}],
    [{"role": "user", "content": "I am sure you will be very happy."}],
    [{"role": "system", "content": "You are a friendly assistant who speaks like a character from a Jane Austen novel."}, {"role": "user", "content": "Shall we walk in the garden this afternoon?"}],
    [{"role": "user", "content": "What do you think of Mr. Darcy?"}],
    [{"role": "user", "content": "Thank you!"}],
    [{"role": "user", "content": "Are you smart?"}],
    [{"role": "user", "content": "Tell me a story."}],
    [{"role": "user", "content": "Goodbye."}],
    [{"role": "system", "content": "You are a small demo model. Answer briefly."}, {"role": "user", "content": "A verse that mentions bread, please."}],
    [{"role": "user", "content": "Hello!"}, {"role": "assistant", "content": "Hello! How can I help you today?"}, {"role": "user", "content": "Give me a verse about peace."}],
]


@torch.no_grad()
def generate(model, ids, max_new, stop_ids, temperature=0.0, top_p=1.0, gen=None):
    out = []
    cur = list(ids)
    first_logits = None
    for _ in range(max_new):
        logits = model(torch.tensor([cur[-model.cfg.max_position_embeddings:]]))[0, -1]
        if first_logits is None:
            first_logits = logits.clone()
        if temperature <= 0:
            nxt = int(torch.argmax(logits))
        else:
            probs = torch.softmax(logits / temperature, dim=-1)
            sp, si = torch.sort(probs, descending=True)
            keep = torch.cumsum(sp, 0) - sp < top_p
            sp = sp * keep
            nxt = int(si[torch.multinomial(sp / sp.sum(), 1, generator=gen)])
        out.append(nxt)
        cur.append(nxt)
        if nxt in stop_ids:
            break
    return out, first_logits


def main():
    ck = torch.load(CKPT)
    cfg = Config(**ck["config"])
    model = LlamaForCausalLM(cfg)
    model.load_state_dict(ck["model"])
    n_params = count_params(model)
    tok = bpe.Tokenizer.load(os.path.join(OUT, "tokenizer.json"))
    eot, im_start, im_end = (tok.special[t] for t in bpe.SPECIAL_TOKENS)

    st_path = os.path.join(OUT, "model.safetensors")
    write_safetensors(st_path, model.hf_state_dict(), {"format": "pt"})

    json.dump({
        "architectures": ["LlamaForCausalLM"], "model_type": "llama",
        "hidden_size": cfg.hidden_size, "intermediate_size": cfg.intermediate_size,
        "num_hidden_layers": cfg.num_hidden_layers, "num_attention_heads": cfg.num_attention_heads,
        "num_key_value_heads": cfg.num_key_value_heads, "head_dim": cfg.head_dim,
        "hidden_act": "silu", "rms_norm_eps": cfg.rms_norm_eps, "rope_theta": cfg.rope_theta,
        "rope_scaling": None, "attention_bias": False, "mlp_bias": False,
        "max_position_embeddings": cfg.max_position_embeddings, "vocab_size": cfg.vocab_size,
        "tie_word_embeddings": cfg.tie_word_embeddings, "bos_token_id": eot, "eos_token_id": im_end,
        "pad_token_id": eot, "initializer_range": 0.02, "torch_dtype": "float32",
        "transformers_version": "4.46.0", "use_cache": True,
    }, open(os.path.join(OUT, "config.json"), "w"), indent=2)
    json.dump({"bos_token_id": eot, "eos_token_id": [im_end, eot], "pad_token_id": eot, "do_sample": True,
               "temperature": 0.7, "top_p": 0.9, "top_k": 50, "repetition_penalty": 1.1, "max_new_tokens": 256,
               "transformers_version": "4.46.0"},
              open(os.path.join(OUT, "generation_config.json"), "w"), indent=2)
    added = {str(tok.special[t]): {"content": t, "lstrip": False, "normalized": False, "rstrip": False,
                                   "single_word": False, "special": True} for t in bpe.SPECIAL_TOKENS}
    json.dump({"add_bos_token": False, "add_eos_token": False, "add_prefix_space": False,
               "added_tokens_decoder": added, "additional_special_tokens": ["<|im_start|>", "<|im_end|>"],
               "bos_token": "<|endoftext|>", "eos_token": "<|im_end|>", "pad_token": "<|endoftext|>",
               "unk_token": None, "chat_template": CHAT_TEMPLATE, "clean_up_tokenization_spaces": False,
               "model_max_length": cfg.max_position_embeddings, "split_special_tokens": False,
               "tokenizer_class": "PreTrainedTokenizerFast"},
              open(os.path.join(OUT, "tokenizer_config.json"), "w", encoding="utf-8"), indent=2, ensure_ascii=False)

    # Reload the exported weights so the reference reflects exactly what the file holds.
    sd = read_safetensors(st_path)
    ref_model = LlamaForCausalLM(cfg)
    missing, unexpected = ref_model.load_state_dict(sd, strict=False)
    assert not unexpected and set(missing) <= {"lm_head.weight"}, (missing, unexpected)
    ref_model.eval()
    cases = []
    n_stop = 0
    for msgs in REFERENCE_PROMPTS:
        text = render(msgs, add_generation_prompt=True)
        ids = tok.encode(text)
        gen_ids, logits = generate(ref_model, ids, 32, {im_end})
        top = torch.topk(logits, 5)
        stopped = bool(gen_ids) and gen_ids[-1] == im_end
        n_stop += stopped
        cases.append({"messages": msgs, "prompt": text, "prompt_ids": ids, "greedy_ids": gen_ids,
                      "greedy_text": tok.decode(gen_ids), "stopped_at_im_end": stopped,
                      "top5_ids": [int(i) for i in top.indices],
                      "top5_logits": [float(v) for v in top.values]})
    json.dump({"description": "Reference outputs of models/default in float32 (PyTorch, weights read back from "
                              "model.safetensors). prompt = chat_template(messages, add_generation_prompt=True); "
                              "prompt_ids = its token ids (special tokens parsed). greedy_ids = argmax decoding of up "
                              "to 32 new tokens without any sampling penalties, stopping after <|im_end|> (included "
                              "as the last id when produced). top5_ids/top5_logits = the 5 largest raw logits at the "
                              "last prompt position (the distribution of the first generated token), descending.",
               "im_end_id": im_end, "endoftext_id": eot, "cases": cases},
              open(os.path.join(OUT, "reference.json"), "w", encoding="utf-8"), indent=1, ensure_ascii=False)

    gen = torch.Generator().manual_seed(42)
    samples = []
    for c in cases:
        s_ids, _ = generate(ref_model, c["prompt_ids"], 64, {im_end, eot}, temperature=0.7, top_p=0.9, gen=gen)
        samples.append({"user": c["messages"][-1]["content"], "greedy": c["greedy_text"],
                        "sampled": tok.decode(s_ids)})
    json.dump(samples, open(os.path.join(OUT if os.environ.get("OUT_DIR") else WORK, "samples.json"), "w", encoding="utf-8"), indent=1, ensure_ascii=False)
    print(f"params {n_params:,}; safetensors {os.path.getsize(st_path):,} bytes; "
          f"greedy stopped at <|im_end|> for {n_stop}/{len(cases)} reference prompts")
    for s in samples:
        print("USER:", s["user"][:100])
        print("  greedy :", repr(s["greedy"]))
        print("  sampled:", repr(s["sampled"]))


if __name__ == "__main__":
    sys.exit(main())
