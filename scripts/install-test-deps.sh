#!/usr/bin/env bash
# What a fresh Debian/Ubuntu machine (with the .NET 10 SDK, Node.js and npm) needs to run every test:
#   apt: redis-server (real Redis for the tests), prometheus (its promtool checks our /metrics output)
#   npm: tests/js fixtures (tokenizer files, golden references) from tests/js/package-lock.json
# Idempotent: installs only what is missing. Needs root or passwordless sudo for apt.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=()
command -v redis-server >/dev/null 2>&1 || apt_packages+=(redis-server)
command -v promtool >/dev/null 2>&1 || apt_packages+=(prometheus)

if [ ${#apt_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo -n"; else
    echo "Missing system packages: ${apt_packages[*]}. Install them with: sudo apt-get install -y ${apt_packages[*]}" >&2
    exit 1
  fi
  echo "Installing ${apt_packages[*]} (apt-get) ..."
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "npm is missing: install Node.js 20+ (e.g. sudo apt-get install -y nodejs npm)" >&2
  exit 1
fi
if [ ! -f tests/js/node_modules/.package-lock.json ] || [ tests/js/package-lock.json -nt tests/js/node_modules/.package-lock.json ]; then
  echo "Installing npm test fixtures (tests/js) ..."
  (cd tests/js && npm ci --no-audit --no-fund --loglevel=error)
fi
