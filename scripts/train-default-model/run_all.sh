#!/bin/sh
# Rebuild models/default from scratch on a Debian machine (see install-deps.sh). ~70-100 min on one CPU core.
# Steps: extract public-domain text -> chat corpus -> BPE tokenizer + token ids -> train -> export + verify.
set -e
cd "$(dirname "$0")"
PY=/usr/bin/python3
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
$PY extract_text.py
$PY build_chat_corpus.py
$PY train_tokenizer.py
SCHEDULE=time BUDGET_MIN=${BUDGET_MIN:-70} $PY train.py   # cosine over a wall-clock budget; resumable (rerun continues from work/ckpt.pt)
$PY export.py
$PY verify_tokenizer.py # needs node + `npm ci` in tests/js
