use std::fmt;

use super::JsonValue;
use crate::json::{FromJson, JsonError, ToJson};

/// A point in time from the server, parsed from RFC 3339 (`2024-05-01T10:20:30.123456Z`).
///
/// The server's own text is kept and written back unchanged when serialized, so a stored
/// session reads byte-for-byte as auth-js would store it.
#[derive(Clone, PartialEq, Eq)]
pub struct Timestamp {
    unix_seconds: i64,
    nanos: u32,
    text: String,
}

impl Timestamp {
    /// Parses RFC 3339 text with a `Z` or `±hh:mm` offset and 0–9 fractional digits.
    pub fn parse(text: &str) -> Result<Timestamp, TimestampError> {
        let (unix_seconds, nanos) = parse_rfc3339(text.as_bytes()).ok_or(TimestampError)?;
        Ok(Timestamp { unix_seconds, nanos, text: text.to_string() })
    }

    /// Seconds since the Unix epoch (negative before 1970).
    pub fn unix_seconds(&self) -> i64 {
        self.unix_seconds
    }

    /// The fractional second, in nanoseconds.
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Milliseconds since the Unix epoch, as JavaScript's `Date` counts.
    pub fn unix_millis(&self) -> i64 {
        self.unix_seconds * 1000 + i64::from(self.nanos / 1_000_000)
    }

    /// The text the server sent.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({})", self.text)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.unix_seconds, self.nanos).cmp(&(other.unix_seconds, other.nanos))
    }
}

/// The text is not an RFC 3339 timestamp.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimestampError;

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not an RFC 3339 timestamp")
    }
}

impl std::error::Error for TimestampError {}

impl FromJson for Timestamp {
    fn from_json(value: &JsonValue) -> Result<Self, JsonError> {
        value.as_str().and_then(|text| Timestamp::parse(text).ok()).ok_or(JsonError::SYNTAX)
    }
}

impl ToJson for Timestamp {
    fn write_json(&self, out: &mut String) {
        self.text.write_json(out);
    }
}

fn digits(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() {
        return None;
    }
    bytes.iter().try_fold(0u32, |acc, &b| if b.is_ascii_digit() { Some(acc * 10 + u32::from(b - b'0')) } else { None })
}

fn parse_rfc3339(b: &[u8]) -> Option<(i64, u32)> {
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let year = digits(&b[0..4])?;
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    let hour = digits(&b[11..13])?;
    let minute = digits(&b[14..16])?;
    let second = digits(&b[17..19])?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    // A leap second (60) is accepted and folded into the next second, as Go does when parsing.
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = &b[19..];
    let mut nanos = 0u32;
    if let Some((&b'.', fraction)) = rest.split_first() {
        let len = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if len == 0 || len > 9 {
            return None;
        }
        nanos = digits(&fraction[..len])? * 10u32.pow(9 - len as u32);
        rest = &fraction[len..];
    }
    let offset_seconds: i64 = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let hours = digits(&[*h1, *h2])?;
            let minutes = digits(&[*m1, *m2])?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let magnitude = i64::from(hours * 3600 + minutes * 60);
            if *sign == b'+' {
                magnitude
            } else {
                -magnitude
            }
        }
        _ => return None,
    };
    let days = days_from_civil(i64::from(year), month, day);
    let seconds = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second) - offset_seconds;
    Some((seconds, nanos))
}

fn is_leap(year: u32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's civil algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn parses_the_servers_formats() {
        let t = Timestamp::parse("2024-01-01T00:00:00Z").unwrap();
        assert_eq!(t.unix_seconds(), 1_704_067_200);
        let t = Timestamp::parse("2024-05-01T10:20:30.123456Z").unwrap();
        assert_eq!(t.unix_seconds(), 1_714_558_830);
        assert_eq!(t.subsec_nanos(), 123_456_000);
        assert_eq!(t.unix_millis(), 1_714_558_830_123);
        let t = Timestamp::parse("2024-05-01T12:20:30.5+02:00").unwrap();
        assert_eq!(t.unix_seconds(), 1_714_558_830);
        assert_eq!(t.subsec_nanos(), 500_000_000);
        let t = Timestamp::parse("1969-12-31T23:59:59Z").unwrap();
        assert_eq!(t.unix_seconds(), -1);
        let t = Timestamp::parse("2000-02-29T00:00:00.999999999-00:30").unwrap();
        assert_eq!(t.unix_seconds(), 951_782_400 + 1800);
    }

    #[test]
    fn rejects_malformed_text() {
        for bad in [
            "",
            "2024-01-01",
            "2024-13-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T00:00:00",
            "2024-01-01T00:00:00.Z",
            "2024-01-01T00:00:00.1234567890Z",
            "2024-01-01T00:00:00+0200",
            "２０２４-01-01T00:00:00Z",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn serializes_back_the_servers_text() {
        let text = "2024-05-01T10:20:30.1234Z";
        let t = Timestamp::parse(text).unwrap();
        assert_eq!(t.to_json_string(), format!("\"{text}\""));
        assert_eq!(crate::json::from_str::<Timestamp>(&t.to_json_string()), Ok(t));
        assert!(crate::json::from_str::<Timestamp>("1714558830").is_err());
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_any_text(text in "\\PC*") {
            let _ = Timestamp::parse(&text);
        }

        #[test]
        fn round_trips_every_valid_instant(seconds in -62_135_596_800i64..253_402_300_799, nanos in 0u32..1_000_000_000) {
            let days = seconds.div_euclid(86_400);
            let secs_of_day = seconds.rem_euclid(86_400);
            let (y, m, d) = civil_from_days(days);
            let text = format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{nanos:09}Z",
                secs_of_day / 3600, secs_of_day / 60 % 60, secs_of_day % 60);
            let parsed = Timestamp::parse(&text).unwrap();
            proptest::prop_assert_eq!(parsed.unix_seconds(), seconds);
            proptest::prop_assert_eq!(parsed.subsec_nanos(), nanos);
        }
    }

    fn civil_from_days(z: i64) -> (i64, u32, u32) {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        (if m <= 2 { y + 1 } else { y }, m, d)
    }
}
