#!/usr/bin/env bash
# Builds the web flavour's wasm as scripts/build-wasm.sh does on nightly (same rustflags,
# build-std, wasm-bindgen, Cargo.toml's wasm-opt flags) twice from one cargo build, under
# target/anatomy/: NAME.ship.wasm as shipped (minus the short import/export names, so a few
# hundred bytes larger) with its size and gzip -9 printed, and NAME.wasm with the name
# section kept, for scripts/wasm-anatomy.mjs. About 30 s warm: quick enough to price one
# change before running scripts/size.sh.
#
#   bash scripts/wasm-anatomy.sh full
#   bash scripts/wasm-anatomy.sh table size-table     # a #[cfg] variant (cargo features)
#   ANATOMY_RUSTFLAGS="-Cllvm-args=-inline-threshold=0" bash scripts/wasm-anatomy.sh try js-api  # extra rustc flags
#   node scripts/wasm-anatomy.mjs target/anatomy/full.wasm --top 40 --diff target/anatomy/table.wasm
set -euo pipefail
export PATH="$HOME/.cargo/bin:/opt/binaryen-132/bin:$PATH" RUSTUP_AUTO_INSTALL=0
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
NAME="${1:?usage: bash scripts/wasm-anatomy.sh NAME [FEATURES]}"
FEATURES="small-alloc ${2:-}"
RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none ${ANATOMY_RUSTFLAGS:-}" CARGO_TARGET_DIR="$ROOT/target/wasm-nightly" \
  cargo +nightly build --quiet --release --lib --target wasm32-unknown-unknown --features "$FEATURES" \
  -Z build-std=std,panic_abort -Z build-std-features=optimize_for_size
OUT="$ROOT/target/anatomy"
mkdir -p "$OUT"
cd "$OUT"
cp "$ROOT/target/wasm-nightly/wasm32-unknown-unknown/release/gotrue_wasm.wasm" "$NAME-cargo.wasm"
mapfile -t FLAGS < <(cargo metadata --manifest-path "$ROOT/Cargo.toml" --no-deps --format-version 1 --offline |
  node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const crate = JSON.parse(s).packages.find((p) => p.name === "gotrue-wasm");
    console.log(crate.metadata["wasm-pack"].profile.release["wasm-opt"].join("\n"));
  })')
rm -rf "bg-$NAME" "ship-$NAME"
mkdir "bg-$NAME" "ship-$NAME"
wasm-bindgen --target web --out-dir "bg-$NAME" --out-name gotrue_wasm --keep-debug "$NAME-cargo.wasm"
wasm-bindgen --target web --out-dir "ship-$NAME" --out-name gotrue_wasm "$NAME-cargo.wasm"
# The names-kept copy: the same passes with -g (the strip flags would drop the names).
KEEP=()
for flag in "${FLAGS[@]}"; do case "$flag" in --strip-*) ;; *) KEEP+=("$flag") ;; esac; done
wasm-opt -g "bg-$NAME/gotrue_wasm_bg.wasm" -o "$NAME.wasm" "${KEEP[@]}" &
wasm-opt "ship-$NAME/gotrue_wasm_bg.wasm" -o "$NAME.ship.wasm" "${FLAGS[@]}"
wait
echo "$NAME: wasm raw $(stat -c %s "$NAME.ship.wasm"), gzip -9 $(gzip -9c "$NAME.ship.wasm" | wc -c) (target/anatomy/$NAME.wasm keeps the names)"
