//! Time as integer microseconds: the precision GoTrue's timestamps have once they went through Postgres.

use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ts(pub i64);

impl Ts {
    pub fn system_now() -> Ts {
        let d = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        Ts(d.as_micros() as i64)
    }

    pub fn secs(self) -> i64 {
        self.0.div_euclid(1_000_000)
    }

    pub fn add_secs(self, s: i64) -> Ts {
        Ts(self.0 + s * 1_000_000)
    }

    /// Go's RFC 3339 encoding: fractional seconds with trailing zeros trimmed, `Z` for UTC.
    pub fn rfc3339(self) -> String {
        let secs = self.secs();
        let micros = self.0.rem_euclid(1_000_000);
        let days = secs.div_euclid(86_400);
        let sod = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let mut out = format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}", sod / 3600, (sod / 60) % 60, sod % 60);
        if micros != 0 {
            let frac = format!("{micros:06}");
            out.push('.');
            out.push_str(frac.trim_end_matches('0'));
        }
        out.push('Z');
        out
    }
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::Ts;

    #[test]
    fn formats_like_go() {
        assert_eq!(Ts(0).rfc3339(), "1970-01-01T00:00:00Z");
        // 2024-02-29T12:34:56.1234Z
        assert_eq!(Ts(1_709_210_096_123_400).rfc3339(), "2024-02-29T12:34:56.1234Z");
        assert_eq!(Ts(951_782_400_000_001).rfc3339(), "2000-02-29T00:00:00.000001Z");
    }
}
