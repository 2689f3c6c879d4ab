#!/usr/bin/python3
"""A small byte-level BPE (GPT-2 style) trainer and encoder that writes/reads a standard HF tokenizer.json.

Semantics follow HF `tokenizers`: added special tokens are split out first, then the Split(regex, Isolated)
pre-tokenizer, then ByteLevel byte->unicode mapping (no prefix space, no extra regex), then BPE merges applied
by rank (lowest rank first) inside each pre-token.
"""
import json
from collections import Counter, defaultdict

import regex

# GPT-2 contractions, Llama-3-like digit groups (1-3) and newline handling; no inline (?i:) so that JS and
# .NET regex engines interpret it identically.
SPLIT_PATTERN = (
    r"'(?:[sdmt]|ll|ve|re)| ?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]


def bytes_to_unicode():
    """GPT-2's reversible byte -> printable unicode character table."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


B2U = bytes_to_unicode()
U2B = {v: k for k, v in B2U.items()}
_SPLIT_RE = regex.compile(SPLIT_PATTERN)
_SPECIAL_RE = regex.compile("(" + "|".join(regex.escape(t) for t in SPECIAL_TOKENS) + ")")


def pretokenize(text):
    """Split plain text (no special tokens) into byte-level-mapped pre-tokens."""
    return ["".join(B2U[b] for b in piece.encode("utf-8")) for piece in _SPLIT_RE.findall(text)]


def train(texts, vocab_size):
    """Learn merges so that 256 bytes + merges + specials == vocab_size. Returns the merges list."""
    words = Counter()
    for text in texts:
        for part in _SPECIAL_RE.split(text):
            if part in SPECIAL_TOKENS or not part:
                continue
            words.update(pretokenize(part))
    word_syms = [list(w) for w in words]
    word_cnt = [words[w] for w in words]
    pair_counts = Counter()
    pair_words = defaultdict(set)
    for i, syms in enumerate(word_syms):
        c = word_cnt[i]
        for a, b in zip(syms, syms[1:]):
            pair_counts[(a, b)] += c
            pair_words[(a, b)].add(i)
    n_new = vocab_size - 256 - len(SPECIAL_TOKENS)
    merges = []
    produced = set(B2U.values())
    while len(produced) - 256 < n_new and pair_counts:
        best = max(pair_counts.items(), key=lambda kv: (kv[1], -len(kv[0][0] + kv[0][1]), kv[0]))
        (a, b), cnt = best
        if cnt < 2:
            break
        merges.append((a, b))
        ab = a + b
        produced.add(ab)
        for i in list(pair_words[(a, b)]):
            syms = word_syms[i]
            c = word_cnt[i]
            # remove this word's pair contributions, merge, add back
            for p in zip(syms, syms[1:]):
                pair_counts[p] -= c
                if pair_counts[p] <= 0:
                    del pair_counts[p]
                pair_words[p].discard(i)
            out = []
            j = 0
            while j < len(syms):
                if j + 1 < len(syms) and syms[j] == a and syms[j + 1] == b:
                    out.append(ab)
                    j += 2
                else:
                    out.append(syms[j])
                    j += 1
            word_syms[i] = out
            for p in zip(out, out[1:]):
                pair_counts[p] += c
                pair_words[p].add(i)
        pair_words.pop((a, b), None)
        pair_counts.pop((a, b), None)
        if len(merges) % 500 == 0:
            print(f"  merges {len(merges)} last={ab!r} count={cnt}", flush=True)
    return merges


class Tokenizer:
    """Encoder/decoder over a vocab + merges, HF BPE semantics."""

    def __init__(self, vocab, merges, special_tokens):
        self.vocab = vocab
        self.inv = {i: t for t, i in vocab.items()}
        self.ranks = {tuple(m): r for r, m in enumerate(merges)}
        self.special = {t: vocab[t] for t in special_tokens}
        self.cache = {}

    @staticmethod
    def load(path):
        j = json.load(open(path, encoding="utf-8"))
        merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in j["model"]["merges"]]
        vocab = dict(j["model"]["vocab"])
        specials = []
        for t in j["added_tokens"]:
            vocab[t["content"]] = t["id"]
            specials.append(t["content"])
        return Tokenizer(vocab, merges, specials)

    def _bpe(self, word):
        if word in self.cache:
            return self.cache[word]
        syms = list(word)
        while len(syms) > 1:
            best = None
            best_rank = None
            for k in range(len(syms) - 1):
                r = self.ranks.get((syms[k], syms[k + 1]))
                if r is not None and (best_rank is None or r < best_rank):
                    best, best_rank = k, r
            if best is None:
                break
            a, b = syms[best], syms[best + 1]
            out = []
            j = 0
            while j < len(syms):
                if j + 1 < len(syms) and syms[j] == a and syms[j + 1] == b:
                    out.append(a + b)
                    j += 2
                else:
                    out.append(syms[j])
                    j += 1
            syms = out
        ids = [self.vocab[s] for s in syms]
        if len(self.cache) < 500000:
            self.cache[word] = ids
        return ids

    def encode(self, text, allow_special=True):
        ids = []
        parts = _SPECIAL_RE.split(text) if allow_special else [text]
        for part in parts:
            if not part:
                continue
            if allow_special and part in self.special:
                ids.append(self.special[part])
                continue
            for w in pretokenize(part):
                ids.extend(self._bpe(w))
        return ids

    def decode(self, ids):
        out = bytearray()
        for i in ids:
            t = self.inv[i]
            if t in self.special:
                out.extend(t.encode("utf-8"))
            else:
                out.extend(U2B[ch] for ch in t)
        return out.decode("utf-8", errors="replace")


def tokenizer_json(merges):
    """Build the HF tokenizer.json dict: ids 0..255 are the bytes, then merges, then special tokens."""
    vocab = {B2U[b]: b for b in range(256)}
    for a, b in merges:
        if a + b not in vocab:
            vocab[a + b] = len(vocab)
    added = []
    for t in SPECIAL_TOKENS:
        added.append({"id": len(vocab) + len(added), "content": t, "single_word": False, "lstrip": False,
                      "rstrip": False, "normalized": False, "special": True})
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": None,
        "pre_tokenizer": {
            "type": "Sequence",
            "pretokenizers": [
                {"type": "Split", "pattern": {"Regex": SPLIT_PATTERN}, "behavior": "Isolated", "invert": False},
                {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False},
            ],
        },
        "post_processor": None,
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": None,
            "continuing_subword_prefix": None,
            "end_of_word_suffix": None,
            "fuse_unk": False,
            "byte_fallback": False,
            "ignore_merges": False,
            "vocab": vocab,
            "merges": [f"{a} {b}" for a, b in merges],
        },
    }
