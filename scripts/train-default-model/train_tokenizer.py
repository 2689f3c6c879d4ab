#!/usr/bin/python3
"""Train the byte-level BPE on the rendered chat corpus, write models/default/tokenizer.json, and tokenize the
corpus into work/train.bin / work/val.bin (uint16 ids; every sample is followed by <|endoftext|>)."""
import json
import os
import sys
import time

import numpy as np

import bpe
from chatml import render

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.join(HERE, "work")
OUT = os.path.join(HERE, "..", "..", "models", "default")
VOCAB_SIZE = int(os.environ.get("VOCAB_SIZE", "4096"))


def load(name):
    return [json.loads(l) for l in open(os.path.join(WORK, name), encoding="utf-8")]


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    train = load("chat_train.jsonl")
    val = load("chat_val.jsonl")
    texts = [render(m) for m in train]
    t0 = time.time()
    merges = bpe.train(texts, VOCAB_SIZE)
    tj = bpe.tokenizer_json(merges)
    print(f"trained {len(merges)} merges in {time.time() - t0:.0f}s; vocab {len(tj['model']['vocab'])} + {len(tj['added_tokens'])} special")
    path = os.path.join(OUT, "tokenizer.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(tj, f, ensure_ascii=False, indent=1)
    tok = bpe.Tokenizer.load(path)
    eot = tok.special["<|endoftext|>"]
    for name, msgs in (("train", train), ("val", val)):
        ids = []
        for m in msgs:
            ids.extend(tok.encode(render(m)))
            ids.append(eot)
        arr = np.array(ids, dtype=np.uint16)
        arr.tofile(os.path.join(WORK, f"{name}.bin"))
        print(f"{name}: {len(msgs)} samples, {len(arr)} tokens")
    sys.exit(0)
