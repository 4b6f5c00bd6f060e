#!/usr/bin/env bash
# Builds one flavour of the shipped wasm package into OUTDIR (shared by build-package.sh and
# size.sh; the tests and the crate itself stay on stable):
#   1. cargo build --release --lib --target wasm32-unknown-unknown --no-default-features (the
#      default `webauthn-ceremonies` is for Rust apps, see Cargo.toml). On nightly when it is
#      installed with rust-src: std rebuilt with the crate (`-Z build-std`, `optimize_for_size`),
#      panics that abort at once with no message (`-C panic=immediate-abort`), no panic
#      locations (`-Z location-detail=none`). Otherwise on stable, with a note on stderr;
#   2. wasm-bindgen --target TARGET (the CLI pinned by setup.sh), out name gotrue_wasm;
#   3. wasm-opt (binaryen 132) with the flags of Cargo.toml's
#      [package.metadata.wasm-pack.profile.release] wasm-opt;
#   4. short names for the imports and exports between the .wasm and its JS
#      (scripts/shorten-wasm-names.mjs), then esbuild --minify of the JS (glue and snippets),
#      still ES modules.
# Progress goes to stderr.
#
#   bash scripts/build-wasm.sh web target/pkg-web
#   bash scripts/build-wasm.sh bundler target/pkg-bundler
#   GOTRUE_WASM_TOOLCHAIN=stable bash scripts/build-wasm.sh web OUT  # skip nightly
#   GOTRUE_WASM_MINIFY=0 bash scripts/build-wasm.sh web OUT           # skip step 4
#   GOTRUE_WASM_FEATURES='js-api' bash scripts/build-wasm.sh web OUT  # std's allocator (default:
#       `small-alloc js-api`: lol_alloc and the JS engine); size.sh builds `size-shell` etc.
#   GOTRUE_WASM_NIGHTLY_RUSTFLAGS='' bash scripts/build-wasm.sh web OUT
#       # replaces the nightly rustflags below ('' keeps panic messages, to debug a panic)
# Measured and left out: `-Z fmt-debug=none` (no smaller once panics abort at once, since
# `{:?}` then only served panic messages; without it `{:?}` keeps working), legacy symbol
# mangling (nightly's v0 names are longer, but step 4 replaces the exported ones anyway).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# binaryen 132's wasm-opt must come before any other (Debian's 108 corrupts the output).
export PATH="$HOME/.cargo/bin:/opt/binaryen-132/bin:$PATH"
# Never let a `+nightly` below install a toolchain.
export RUSTUP_AUTO_INSTALL=0

TARGET="${1:-}"
OUT="${2:-}"
case "$TARGET" in web | bundler) ;; *)
  echo "usage: bash scripts/build-wasm.sh web|bundler OUTDIR" >&2
  exit 2
  ;;
esac
[ -n "$OUT" ] || { echo "usage: bash scripts/build-wasm.sh web|bundler OUTDIR" >&2; exit 2; }
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

step() { printf '[build-wasm] %s\n' "$*" >&2; }

# ---------------------------------------------------------------- 1. cargo
# Nightly is usable when rustup has it and its std sources (rust-src) are present.
nightly_ready() {
  command -v rustup >/dev/null || return 1
  rustup toolchain list 2>/dev/null | grep -q '^nightly' || return 1
  local sysroot
  sysroot="$(rustc +nightly --print sysroot 2>/dev/null)" || return 1
  [ -f "$sysroot/lib/rustlib/src/rust/library/Cargo.lock" ] || return 1
  NIGHTLY_LIBRARY="$sysroot/lib/rustlib/src/rust/library"
}

TOOLCHAIN="${GOTRUE_WASM_TOOLCHAIN:-auto}"
if [ "$TOOLCHAIN" != stable ]; then
  if nightly_ready; then
    TOOLCHAIN=nightly
  else
    step "note: no nightly toolchain with rust-src; building on stable (a larger .wasm)." \
      "For the small build: rustup toolchain install nightly && rustup component add rust-src --toolchain nightly"
    TOOLCHAIN=stable
  fi
fi

CARGO_TARGET_ROOT="${CARGO_TARGET_DIR:-$ROOT/target}"
FEATURES="${GOTRUE_WASM_FEATURES-small-alloc js-api}"
if [ "$TOOLCHAIN" = nightly ]; then
  BUILD_STD_FEATURES="optimize_for_size"
  # Older nightlies spelled immediate abort as a std feature rather than a panic strategy.
  if grep -q '^panic_immediate_abort' "$NIGHTLY_LIBRARY/std/Cargo.toml"; then
    BUILD_STD_FEATURES="$BUILD_STD_FEATURES,panic_immediate_abort"
    DEFAULT_FLAGS="-Zlocation-detail=none"
  else
    DEFAULT_FLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none"
  fi
  FLAGS="${GOTRUE_WASM_NIGHTLY_RUSTFLAGS-$DEFAULT_FLAGS}"
  # Its own target directory: other rustflags and another std must not evict the stable
  # builds the tests use.
  TARGET_DIR="$CARGO_TARGET_ROOT/wasm-nightly"
  step "cargo +nightly build --release (build-std: $BUILD_STD_FEATURES; rustflags: ${FLAGS:-none})"
  # RUSTFLAGS applies to the wasm crates only (not to build scripts or proc macros) because
  # --target is given; it replaces any rustflags from .cargo/config.toml, and none are set there.
  if ! RUSTFLAGS="$FLAGS" CARGO_TARGET_DIR="$TARGET_DIR" cargo +nightly build --quiet --release --lib \
    --target wasm32-unknown-unknown --no-default-features --features "$FEATURES" \
    -Z build-std=std,panic_abort -Z "build-std-features=$BUILD_STD_FEATURES" >&2; then
    # A nightly too old or too new for these flags must not stop the package build.
    step "note: the nightly build failed; building on the default toolchain (a larger .wasm)."
    TOOLCHAIN=stable
  fi
fi
if [ "$TOOLCHAIN" != nightly ]; then
  TARGET_DIR="$CARGO_TARGET_ROOT"
  # The default toolchain: the one scripts/setup.sh gave the wasm target, as the tests use.
  step "cargo build --release"
  CARGO_TARGET_DIR="$TARGET_DIR" cargo build --quiet --release --lib --target wasm32-unknown-unknown --no-default-features --features "$FEATURES" >&2
fi
WASM_IN="$TARGET_DIR/wasm32-unknown-unknown/release/gotrue_wasm.wasm"
[ -f "$WASM_IN" ] || { step "cargo wrote no $WASM_IN"; exit 1; }

# ---------------------------------------------------------------- 2. wasm-bindgen
step "wasm-bindgen --target $TARGET"
rm -rf "$OUT/snippets" "$OUT"/gotrue_wasm*
wasm-bindgen --target "$TARGET" --out-dir "$OUT" --out-name gotrue_wasm "$WASM_IN"

# ---------------------------------------------------------------- 3. wasm-opt
mapfile -t WASM_OPT_FLAGS < <(cargo metadata --no-deps --format-version 1 --offline |
  node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const crate = JSON.parse(s).packages.find((p) => p.name === "gotrue-wasm");
    const flags = crate?.metadata?.["wasm-pack"]?.profile?.release?.["wasm-opt"];
    if (!Array.isArray(flags)) process.exit(1);
    console.log(flags.join("\n"));
  })')
# mapfile does not see the pipeline fail: an empty list would mean an unoptimized .wasm.
[ "${#WASM_OPT_FLAGS[@]}" -gt 0 ] || { step "could not read the wasm-opt flags from Cargo.toml"; exit 1; }
step "wasm-opt ${WASM_OPT_FLAGS[*]}"
wasm-opt "$OUT/gotrue_wasm_bg.wasm" -o "$OUT/gotrue_wasm_bg.opt.wasm" "${WASM_OPT_FLAGS[@]}"
mv "$OUT/gotrue_wasm_bg.opt.wasm" "$OUT/gotrue_wasm_bg.wasm"

# ---------------------------------------------------------------- 4. short names, esbuild --minify
if [ "${GOTRUE_WASM_MINIFY:-1}" = 0 ]; then
  step "names and JS left as wasm-bindgen wrote them (GOTRUE_WASM_MINIFY=0)"
else
  step "shortening the import/export names between the .wasm and its JS"
  node "$ROOT/scripts/shorten-wasm-names.mjs" "$TARGET" "$OUT"
  if [ ! -x "$ROOT/node_modules/.bin/esbuild" ]; then
    step "note: no esbuild in node_modules (run scripts/setup.sh); JS left unminified"
  else
    mapfile -t JS_FILES < <(find "$OUT" -name '*.js' -type f | sort)
    step "esbuild --minify ${#JS_FILES[@]} JS file(s)"
    bash "$ROOT/scripts/minify-js.sh" "${JS_FILES[@]}"
  fi
fi
step "wrote $OUT ($TOOLCHAIN)"
