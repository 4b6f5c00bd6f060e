//! Joining and splitting strings without the standard library's generic machinery: its
//! `concat`/`join` (code for separators and specialized copies several times the size of a
//! loop; every message and path in the crate is built by concatenation), and its char
//! patterns (`split_once('\n')`, `trim_end_matches('/')` link core's UTF-8 char searcher
//! and memchr, where every separator the crate splits on is one ASCII byte).

/// The parts one after another, as `parts.concat()` gives them.
pub(crate) fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|part| part.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// The text before and after the first `byte` (an ASCII character), as `split_once(char)`
/// splits it.
pub(crate) fn split_once(text: &str, byte: u8) -> Option<(&str, &str)> {
    let at = text.bytes().position(|b| b == byte)?;
    // An ASCII byte is a char boundary on both sides: `get` never fails here.
    Some((text.get(..at)?, text.get(at + 1..)?))
}

/// The text before and after the last `byte` (an ASCII character), as `rsplit_once(char)`
/// splits it.
pub(crate) fn rsplit_once(text: &str, byte: u8) -> Option<(&str, &str)> {
    let at = text.bytes().rposition(|b| b == byte)?;
    Some((text.get(..at)?, text.get(at + 1..)?))
}

/// The pieces between the `byte`s (an ASCII character), as `split(char)` yields them.
pub(crate) fn split(text: &str, byte: u8) -> Split<'_> {
    Split { rest: Some(text), byte }
}

/// The iterator of [`split`].
pub(crate) struct Split<'a> {
    rest: Option<&'a str>,
    byte: u8,
}

impl<'a> Iterator for Split<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        match split_once(rest, self.byte) {
            Some((piece, after)) => {
                self.rest = Some(after);
                Some(piece)
            }
            None => self.rest.take(),
        }
    }
}

/// The text without the `byte`s (an ASCII character) it starts with, as
/// `trim_start_matches(char)` trims it.
pub(crate) fn trim_start(text: &str, byte: u8) -> &str {
    let dropped = text.bytes().take_while(|&b| b == byte).count();
    text.get(dropped..).unwrap_or(text)
}

/// The text without the `byte`s (an ASCII character) at either end, as `trim_matches(char)`.
pub(crate) fn trim(text: &str, byte: u8) -> &str {
    trim_end(trim_start(text, byte), byte)
}

/// The text without the `byte`s (an ASCII character) it ends with, as
/// `trim_end_matches(char)` trims it.
pub(crate) fn trim_end(text: &str, byte: u8) -> &str {
    let kept = text.len() - text.bytes().rev().take_while(|&b| b == byte).count();
    text.get(..kept).unwrap_or(text)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use proptest::prelude::*;

    #[test]
    fn concatenates_as_the_standard_library_does() {
        for parts in [&[][..], &[""], &["a"], &["ab", "", "ç", "d"]] {
            assert_eq!(super::concat(parts), parts.concat());
        }
    }

    proptest! {
        #[test]
        fn splits_and_trims_as_the_standard_library_does(text in "[a/=#?\n\u{e9}\u{1F600}]{0,12}") {
            for byte in [b'/', b'=', b'#', b'?', b'\n'] {
                let pattern = char::from(byte);
                prop_assert_eq!(super::split_once(&text, byte), text.split_once(pattern));
                prop_assert_eq!(super::rsplit_once(&text, byte), text.rsplit_once(pattern));
                prop_assert_eq!(super::split(&text, byte).collect::<Vec<_>>(), text.split(pattern).collect::<Vec<_>>());
                prop_assert_eq!(super::trim_end(&text, byte), text.trim_end_matches(pattern));
                prop_assert_eq!(super::trim_start(&text, byte), text.trim_start_matches(pattern));
                prop_assert_eq!(super::trim(&text, byte), text.trim_matches(pattern));
            }
        }
    }
}
