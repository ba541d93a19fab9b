#!/usr/bin/env bash
# Installs Neovim (Debian's `neovim` package) for the core tier's Neovim test
# (test/core/server/neovim.test.ts), which attaches a headless Neovim to `drydock lsp` with the
# configuration the README documents. scripts/run-tests.mjs runs this first, as the extension tier
# runs setup-vscode-host.sh; without root (or apt) it says so and the test is skipped with a reason.
set -euo pipefail

log() { echo "setup-neovim: $*" >&2; }

if command -v nvim >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  log "nvim is not installed and this is not root on Debian: install neovim to run the Neovim test (it is skipped)"
  exit 0
fi
log "installing Debian's neovim"
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends neovim
