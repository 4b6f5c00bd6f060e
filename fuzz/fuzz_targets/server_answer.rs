//! Fuzz target `server_answer`: the first byte picks the reader (session, user, factor, MFA,
//! claims, error body of every status), the rest is the body. See `gotrue_wasm::fuzzing`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Some((selector, body)) = data.split_first() {
        if let Ok(text) = std::str::from_utf8(body) {
            gotrue_wasm::fuzzing::server_answer(*selector, text);
        }
    }
});
