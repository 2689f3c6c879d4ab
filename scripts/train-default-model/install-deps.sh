#!/bin/sh
# Debian packages needed to rebuild the default model from scratch (run as root).
# Text: r-cran-janeaustenr (Jane Austen's novels), sword-text-kjv (King James Version), sword-text-web (World English Bible).
# Training: python3-torch (1.13 CPU) + numpy, python3-regex (Unicode \p{L} pre-tokenizer regex),
# libopenblas0-pthread so torch (via libblas.so.3) gets OpenBLAS instead of the slow reference BLAS (measured 158 GFLOP/s for a 512x512 fp32 matmul on 1 thread).
# Verification (optional): nodejs/npm and `npm ci` in tests/js for @lenml/tokenizers and @huggingface/jinja.
set -e
apt-get update
apt-get install -y --no-install-recommends \
  r-cran-janeaustenr sword-text-kjv sword-text-web \
  python3 python3-numpy python3-torch python3-regex libopenblas0-pthread
