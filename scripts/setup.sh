#!/usr/bin/env bash
# Installs everything the tests, the demo and the size script need, idempotently.
# A second run on a machine where all is present finishes in seconds.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The wasm-bindgen CLI must match the wasm-bindgen the build links exactly: the version in
# Cargo.lock (Cargo.toml asks for any 0.2 release from 0.2.130 on, so apps can pick theirs).
WASM_BINDGEN_VERSION="$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"
WASM_PACK_VERSION="0.15.1"
BINARYEN_VERSION="132.0.0"
BINARYEN_PREFIX="/opt/binaryen-132"

log() { printf '[setup] %s\n' "$*" >&2; }

if [ -z "$WASM_BINDGEN_VERSION" ]; then
  log "could not read the locked wasm-bindgen version from Cargo.lock"; exit 1
fi

export PATH="$HOME/.cargo/bin:$BINARYEN_PREFIX/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  log "installing chromium and chromium-driver from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if ! command -v wasm-bindgen >/dev/null || [ "$(wasm-bindgen --version | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # --locked fails for this version (its lockfile names a crate the registry lacks).
  cargo install --quiet --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if ! command -v wasm-pack >/dev/null || [ "$(wasm-pack --version | awk '{print $2}')" != "$WASM_PACK_VERSION" ]; then
  log "installing wasm-pack $WASM_PACK_VERSION"
  cargo install --quiet --locked --force wasm-pack --version "$WASM_PACK_VERSION"
fi

# The shipped wasm is built on nightly with std rebuilt for size (scripts/build-wasm.sh), which
# needs nightly's rust-src. Only when a nightly toolchain is already there; never fatal: the
# build falls back to stable.
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  NIGHTLY_SYSROOT="$(RUSTUP_AUTO_INSTALL=0 rustc +nightly --print sysroot 2>/dev/null || true)"
  if [ -n "$NIGHTLY_SYSROOT" ] && [ ! -f "$NIGHTLY_SYSROOT/lib/rustlib/src/rust/library/Cargo.lock" ]; then
    log "adding rust-src to the nightly toolchain"
    rustup component add rust-src --toolchain nightly >&2 ||
      log "could not add rust-src to nightly: the package will be built on stable (larger)"
  fi
fi

# Debian's binaryen 108 corrupts wasm-bindgen output; wasm-pack must find 132 first on PATH.
if [ ! -x "$BINARYEN_PREFIX/bin/wasm-opt" ]; then
  log "installing binaryen $BINARYEN_VERSION (wasm-opt) from npm"
  npm install --silent --global --prefix "$BINARYEN_PREFIX" "binaryen@$BINARYEN_VERSION" >/dev/null
fi

if [ -f "$ROOT/package.json" ]; then
  if [ ! -d "$ROOT/node_modules" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    log "installing npm dev packages"
    (cd "$ROOT" && npm ci --silent --no-audit --no-fund >/dev/null)
  fi
fi

log "ready: $(wasm-bindgen --version), $(wasm-pack --version), wasm-opt $("$BINARYEN_PREFIX/bin/wasm-opt" --version | awk '{print $3}'), $(chromium --version 2>/dev/null | head -n1)"
