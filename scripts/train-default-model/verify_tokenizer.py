#!/usr/bin/python3
"""Encode SAMPLES with the Python tokenizer, compare with the JS reference (@lenml/tokenizers, via node), check
decode round-trips, and write models/default/tokenizer-golden.json."""
import json
import os
import subprocess
import sys

import bpe
from chatml import render
from tok_samples import CONVERSATIONS, SAMPLES

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, "..", "..", "models", "default")

tok = bpe.Tokenizer.load(os.path.join(MODEL, "tokenizer.json"))
py = [tok.encode(s) for s in SAMPLES]
inp = os.path.join(HERE, "work", "tok_samples.json")
json.dump(SAMPLES, open(inp, "w", encoding="utf-8"), ensure_ascii=False)
js = json.loads(subprocess.check_output(["node", os.path.join(HERE, "verify_tokenizer.mjs"), MODEL, inp]))
bad = 0
for s, a, b in zip(SAMPLES, py, js["ids"]):
    if a != b:
        bad += 1
        print("MISMATCH", repr(s), a, b)
for s, a, d in zip(SAMPLES, py, js["decoded"]):
    if tok.decode(a) != s:
        bad += 1
        print("PY ROUNDTRIP FAIL", repr(s), repr(tok.decode(a)))
    if d != s:
        bad += 1
        print("JS ROUNDTRIP FAIL", repr(s), repr(d))
cfg_path = os.path.join(MODEL, "tokenizer_config.json")
if os.path.exists(cfg_path):  # chat template: Python renderer vs @huggingface/jinja
    conv = os.path.join(HERE, "work", "conversations.json")
    json.dump(CONVERSATIONS, open(conv, "w", encoding="utf-8"), ensure_ascii=False)
    rendered = json.loads(subprocess.check_output(["node", os.path.join(HERE, "verify_template.mjs"), MODEL, conv]))
    for m, (plain, gen) in zip(CONVERSATIONS, rendered):
        if plain != render(m) or gen != render(m, add_generation_prompt=True):
            bad += 1
            print("TEMPLATE MISMATCH", repr(plain), repr(render(m)))
    print(f"chat template checked on {len(CONVERSATIONS)} conversations")
print(f"{len(SAMPLES)} samples, {bad} problems")
golden = {"description": "Golden token ids for models/default/tokenizer.json, verified equal between the Python trainer "
                         "(scripts/train-default-model/bpe.py) and @lenml/tokenizers (transformers.js fork). "
                         "Special tokens in the text are parsed as special tokens.",
          "cases": [{"text": s, "ids": a} for s, a in zip(SAMPLES, py)]}
if bad == 0:
    with open(os.path.join(MODEL, "tokenizer-golden.json"), "w", encoding="utf-8") as f:
        json.dump(golden, f, ensure_ascii=False, indent=1)
sys.exit(1 if bad else 0)
