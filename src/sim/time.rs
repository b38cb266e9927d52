//! Virtual time: the engine's clock, and the ways Kubernetes prints instants and durations.
//!
//! `SimTime` counts milliseconds since the cluster's epoch. Nothing here reads a wall clock.

use std::fmt;

/// Milliseconds since the simulated cluster was born.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(pub u64);

/// The instant the simulated cluster is born, as Unix seconds: 2025-03-03T09:00:00Z.
pub const EPOCH_UNIX: i64 = 1_740_992_400;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl SimTime {
    pub const ZERO: SimTime = SimTime(0);

    pub fn from_ms(ms: u64) -> Self {
        SimTime(ms)
    }
    pub fn from_secs(s: u64) -> Self {
        SimTime(s * 1000)
    }
    pub fn millis(self) -> u64 {
        self.0
    }
    pub fn secs(self) -> u64 {
        self.0 / 1000
    }
    pub fn plus_ms(self, ms: u64) -> Self {
        SimTime(self.0.saturating_add(ms))
    }
    pub fn plus_secs(self, s: u64) -> Self {
        self.plus_ms(s.saturating_mul(1000))
    }
    /// Milliseconds from `earlier` to `self` (0 if `earlier` is later).
    pub fn since(self, earlier: SimTime) -> u64 {
        self.0.saturating_sub(earlier.0)
    }
    /// Unix seconds of this instant.
    pub fn unix_secs(self) -> i64 {
        EPOCH_UNIX + (self.0 / 1000) as i64
    }
    /// RFC 3339 in UTC with second precision, as `metav1.Time` serialises: `2025-03-03T09:00:00Z`.
    pub fn rfc3339(self) -> String {
        let c = Civil::from_unix(self.unix_secs());
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        )
    }
    /// RFC 3339 with as many fraction digits as needed (Go's `RFC3339Nano`), as the
    /// container runtime stamps log lines: `2025-03-03T09:00:01.25Z`.
    pub fn rfc3339_nano(self) -> String {
        let base = self.rfc3339();
        let ms = self.0 % 1000;
        if ms == 0 {
            return base;
        }
        let frac = format!("{ms:03}");
        format!(
            "{}.{}Z",
            &base[..base.len() - 1],
            frac.trim_end_matches('0')
        )
    }
    /// RFC 3339 with microseconds, as `metav1.MicroTime` serialises.
    pub fn rfc3339_micro(self) -> String {
        let c = Civil::from_unix(self.unix_secs());
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
            c.year,
            c.month,
            c.day,
            c.hour,
            c.minute,
            c.second,
            (self.0 % 1000) * 1000
        )
    }
    /// The common log format's time, as web servers write it: `03/Mar/2025:09:00:34 +0000`.
    pub fn clf(self) -> String {
        let c = Civil::from_unix(self.unix_secs());
        format!(
            "{:02}/{}/{:04}:{:02}:{:02}:{:02} +0000",
            c.day,
            MONTHS[(c.month - 1) as usize],
            c.year,
            c.hour,
            c.minute,
            c.second
        )
    }
    /// RFC 1123 with numeric zone, the layout `kubectl describe` uses: `Mon, 03 Mar 2025 09:00:00 +0000`.
    pub fn rfc1123z(self) -> String {
        let c = Civil::from_unix(self.unix_secs());
        const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
        let weekday = DAYS[(self.unix_secs().div_euclid(86_400)).rem_euclid(7) as usize];
        format!(
            "{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000",
            weekday,
            c.day,
            MONTHS[(c.month - 1) as usize],
            c.year,
            c.hour,
            c.minute,
            c.second
        )
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rfc3339())
    }
}

/// A calendar date and time of day in UTC.
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

impl Civil {
    fn from_unix(t: i64) -> Civil {
        let days = t.div_euclid(86_400);
        let rem = t.rem_euclid(86_400);
        // Howard Hinnant's days-to-civil algorithm.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Civil {
            year,
            month,
            day,
            hour: (rem / 3600) as u32,
            minute: (rem % 3600 / 60) as u32,
            second: (rem % 60) as u32,
        }
    }
}

/// kubectl's `HumanDuration` (apimachinery `util/duration`), used for AGE columns and event ages.
pub fn human_duration(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    if secs < -1 {
        return "<invalid>".into();
    }
    if secs < 0 {
        return "0s".into();
    }
    if secs < 60 * 2 {
        return format!("{secs}s");
    }
    let minutes = secs / 60;
    if minutes < 10 {
        let s = secs % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        let d = hours / 24;
        return if h == 0 {
            format!("{d}d")
        } else {
            format!("{d}d{h}h")
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let d = (hours / 24) % 365;
        let y = hours / 24 / 365;
        return if d == 0 {
            format!("{y}y")
        } else {
            format!("{y}y{d}d")
        };
    }
    format!("{}y", hours / 24 / 365)
}

/// Go's `time.Duration.String()` for a whole number of milliseconds: `10s`, `1m20s`, `5m0s`, `1.234s`, `523ms`.
pub fn go_duration(ms: u64) -> String {
    if ms == 0 {
        return "0s".into();
    }
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let total_s = ms / 1000;
    let frac = ms % 1000;
    let h = total_s / 3600;
    let m = (total_s % 3600) / 60;
    let s = total_s % 60;
    let mut secs = s.to_string();
    if frac != 0 {
        let f = format!("{frac:03}");
        secs.push('.');
        secs.push_str(f.trim_end_matches('0'));
    }
    if h > 0 {
        format!("{h}h{m}m{secs}s")
    } else if m > 0 {
        format!("{m}m{secs}s")
    } else {
        format!("{secs}s")
    }
}

/// Parses a session duration: `30`, `30s`, `2m`, `1h30m`, `500ms`, `1.5s`. Returns milliseconds.
pub fn parse_duration(text: &str) -> Option<u64> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if let Ok(n) = t.parse::<f64>() {
        return (n.is_finite() && (0.0..=1e12).contains(&n)).then(|| (n * 1000.0).round() as u64);
    }
    let mut total: f64 = 0.0;
    let mut rest = t;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if num_len == 0 {
            return None;
        }
        let n: f64 = rest[..num_len].parse().ok()?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let factor = match &rest[..unit_len] {
            "ms" => 1.0,
            "s" => 1000.0,
            "m" => 60_000.0,
            "h" => 3_600_000.0,
            "d" => 86_400_000.0,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total += n * factor;
    }
    (total.is_finite() && total <= 1e15).then(|| total.round() as u64)
}

/// Parses a Go duration (`1h30m`, `-1.5s`, `300ms`, `0`) into milliseconds, with Go's errors
/// (`time: invalid duration "x"`), as kubectl's duration flags do.
pub fn parse_go_duration(text: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration \"{text}\"");
    let (neg, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let num = &rest[..n];
        if num.is_empty() || num == "." {
            return Err(invalid());
        }
        let value: f64 = num.parse().map_err(|_| invalid())?;
        rest = &rest[n..];
        let u = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..u];
        rest = &rest[u..];
        let ms = match unit {
            "" => return Err(format!("time: missing unit in duration \"{text}\"")),
            "ns" => 1e-6,
            "us" | "µs" | "μs" => 1e-3,
            "ms" => 1.0,
            "s" => 1000.0,
            "m" => 60_000.0,
            "h" => 3_600_000.0,
            other => {
                return Err(format!(
                    "time: unknown unit \"{other}\" in duration \"{text}\""
                ))
            }
        };
        total += value * ms;
    }
    if !total.is_finite() || total > 9.2e15 {
        return Err(invalid());
    }
    let ms = total as i64;
    Ok(if neg { -ms } else { ms })
}

/// Reads an RFC 3339 time (`2025-03-03T09:00:01Z`, with a fraction or an offset) as an
/// instant of the simulation; None before the cluster's epoch or when it does not parse.
pub fn parse_rfc3339(s: &str) -> Option<SimTime> {
    let b = s.as_bytes();
    if b.len() < 20 {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<i64>().ok());
    let (y, mo, d, h, mi, se) = (
        num(0..4)?,
        num(5..7)?,
        num(8..10)?,
        num(11..13)?,
        num(14..16)?,
        num(17..19)?,
    );
    // The fraction, then the zone (Z or ±hh:mm).
    let rest = s.get(19..)?;
    let (frac, zone) = match rest.strip_prefix('.') {
        Some(r) => {
            let end = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
            (&r[..end], &r[end..])
        }
        None => ("", rest),
    };
    let ms: i64 = format!("{frac:0<3}")[..3].parse().unwrap_or(0);
    let offset: i64 = match zone {
        "Z" | "z" => 0,
        z if z.len() == 6 && (z.starts_with('+') || z.starts_with('-')) => {
            let hh: i64 = z.get(1..3)?.parse().ok()?;
            let mm: i64 = z.get(4..6)?.parse().ok()?;
            let v = hh * 3600 + mm * 60;
            if z.starts_with('-') {
                -v
            } else {
                v
            }
        }
        _ => return None,
    };
    // Days from civil (Howard Hinnant), the inverse of the engine's calendar.
    let y2 = if mo <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let unix = days * 86_400 + h * 3600 + mi * 60 + se - offset;
    let total = (unix - EPOCH_UNIX) * 1000 + ms;
    Some(SimTime(u64::try_from(total.max(0)).unwrap_or(0)))
}

#[cfg(test)]
mod tests {

    #[test]
    fn rfc3339_reading_never_panics_on_odd_text() {
        assert_eq!(parse_rfc3339("2025-03-03T09:00:01Z"), Some(SimTime(1000)));
        assert_eq!(
            parse_rfc3339("2025-03-03T09:00:01.25+01:00"),
            Some(SimTime(0))
        );
        for odd in [
            "2025-03-03T09:00:0é1Z",
            "2025-03-03T09:00:01+0é00",
            "2025-03-03T09:00:01.5é",
            "🚀🚀🚀🚀🚀🚀",
        ] {
            let _ = parse_rfc3339(odd);
        }
    }

    use super::*;

    #[test]
    fn human_durations_match_kubectl() {
        assert_eq!(human_duration(5_000), "5s");
        assert_eq!(human_duration(119_000), "119s");
        assert_eq!(human_duration(125_000), "2m5s");
        assert_eq!(human_duration(300_000), "5m");
        assert_eq!(human_duration(179 * 60_000), "179m");
        assert_eq!(human_duration(3 * 3_600_000 + 120_000), "3h2m");
        assert_eq!(human_duration(47 * 3_600_000), "47h");
        assert_eq!(human_duration(51 * 3_600_000), "2d3h");
        assert_eq!(human_duration(-500), "0s");
        assert_eq!(human_duration(-5000), "<invalid>");
    }

    #[test]
    fn go_durations() {
        assert_eq!(go_duration(10_000), "10s");
        assert_eq!(go_duration(80_000), "1m20s");
        assert_eq!(go_duration(300_000), "5m0s");
        assert_eq!(go_duration(1_234), "1.234s");
        assert_eq!(go_duration(523), "523ms");
        assert_eq!(go_duration(62_500), "1m2.5s");
    }

    #[test]
    fn session_durations() {
        assert_eq!(parse_duration("30"), Some(30_000));
        assert_eq!(parse_duration("2m5s"), Some(125_000));
        assert_eq!(parse_duration("1h30m"), Some(5_400_000));
        assert_eq!(parse_duration("abc"), None);
        assert_eq!(parse_duration("99999999999999999999"), None);
        assert_eq!(parse_go_duration("1h30m"), Ok(5_400_000));
        assert_eq!(parse_go_duration("-1s"), Ok(-1000));
        assert_eq!(parse_go_duration("0"), Ok(0));
        assert_eq!(
            parse_go_duration("abc"),
            Err("time: invalid duration \"abc\"".into())
        );
        assert_eq!(
            parse_go_duration("1x"),
            Err("time: unknown unit \"x\" in duration \"1x\"".into())
        );
        assert_eq!(
            parse_go_duration("5"),
            Err("time: missing unit in duration \"5\"".into())
        );
        assert_eq!(parse_duration("5x"), None);
    }

    #[test]
    fn calendar() {
        assert_eq!(SimTime::ZERO.rfc3339(), "2025-03-03T09:00:00Z");
        assert_eq!(SimTime::ZERO.rfc1123z(), "Mon, 03 Mar 2025 09:00:00 +0000");
    }
}
