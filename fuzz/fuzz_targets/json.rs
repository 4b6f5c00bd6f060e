//! Fuzz target `json`: see `gotrue_wasm::fuzzing::json` for what it checks besides "no panic".
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        gotrue_wasm::fuzzing::json(text);
    }
});
