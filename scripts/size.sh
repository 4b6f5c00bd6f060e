#!/usr/bin/env bash
# Builds the release wasm (opt-level "z", LTO, wasm-opt -Oz with binaryen 132) and prints
# the shipped bytes: raw and gzip -9, for the .wasm and the JS glue.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:/opt/binaryen-132/bin:$PATH"

OUT="$ROOT/target/size-pkg"
rm -rf "$OUT"
wasm-pack --quiet build --release --target web --out-dir "$OUT" --out-name gotrue_wasm >/dev/null

gz() { gzip -9 -c "$1" | wc -c; }
raw() { wc -c <"$1"; }
WASM="$OUT/gotrue_wasm_bg.wasm"
JS="$OUT/gotrue_wasm.js"
printf '%-22s %10s %10s\n' "file" "raw" "gzip -9"
printf '%-22s %10d %10d\n' "gotrue_wasm_bg.wasm" "$(raw "$WASM")" "$(gz "$WASM")"
printf '%-22s %10d %10d\n' "gotrue_wasm.js" "$(raw "$JS")" "$(gz "$JS")"
printf '%-22s %10d %10d\n' "total" "$(( $(raw "$WASM") + $(raw "$JS") ))" "$(( $(gz "$WASM") + $(gz "$JS") ))"
