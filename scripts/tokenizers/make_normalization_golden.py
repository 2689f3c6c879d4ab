#!/usr/bin/env python3
"""Golden NFC/NFD/NFKC/NFKD outputs from Python's unicodedata for the C# normalizer tests.
Run from the repo root: python3 scripts/tokenizers/make_normalization_golden.py"""
import json
import unicodedata

texts = [
    "cafe\u0301", "caf\u00e9", "A\u030a", "\u212b", "\u1e9b\u0323", "q\u0307\u0323", "\u1e0b\u0323",
    "\ufb01 ligature", "\uff26\uff35\uff2c\uff2c\uff37\uff29\uff24\uff34\uff28", "x\u00b2 \u2460 \u00bd",
    "\u1100\u1161\u11a8 \ud55c\uad6d\uc5b4", "\u3131\u314f", "\u0041\u0328\u0301\u0308", "\u0301leading mark",
    "e\u0301\u0301\u0327", "\u00c5\u0328", "o\u031b\u0323", "\u0928\u093c \u0929", "\u05d1\u05bc\u05bf",
    "\u2126 \u212a \u00c5", "\u1f80 \u1fb7", "\u0390 \u03d3", "Zu\u0308rich S\u00e3o Paulo na\u00efve",
    "\U0001d400\U0001d41a math", "\u3300 \u32ff \u33ff", "\u00a0nbsp\u2003em\u3000ideo", "\u2026 \u2025 \u00a8",
    "\ufdfa", "\u0f73 \u0f75 \u0f81", "\U0001109a \U000110ab", "\u2000\u2001", "\u01c4 \u01c5 \u01c6",
    "plain ascii", "",
]
cases = [{"text": t, **{f: unicodedata.normalize(f, t) for f in ("NFC", "NFD", "NFKC", "NFKD")}} for t in texts]
with open("tests/Engine.Tests/TestData/Tokenizers/unicode_normalization_golden.json", "w", encoding="utf-8") as f:
    json.dump({"generator": "scripts/tokenizers/make_normalization_golden.py", "unicode": unicodedata.unidata_version,
               "cases": cases}, f, ensure_ascii=True, indent=1)
print(len(cases))
