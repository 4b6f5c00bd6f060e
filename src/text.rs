//! Joining strings without the standard library's generic `concat`/`join` (its code for
//! separators and specialized copies is several times the size of this loop, and every
//! message and path in the crate is built by concatenation).

/// The parts one after another, as `parts.concat()` gives them.
pub(crate) fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|part| part.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #[test]
    fn concatenates_as_the_standard_library_does() {
        for parts in [&[][..], &[""], &["a"], &["ab", "", "ç", "d"]] {
            assert_eq!(super::concat(parts), parts.concat());
        }
    }
}
