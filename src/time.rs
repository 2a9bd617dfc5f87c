//! Timestamps, dates and durations as FORMATS.md writes them.
//!
//! sitrep reads every time as text and parses it here, so YAML's own
//! timestamp and sexagesimal rules never apply.

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime,
    Offset, TimeZone, Utc,
};
use std::fmt;
use std::str::FromStr;

/// The site's time zone: an IANA name, UTC, or a fixed `+HH:MM` offset.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Zone {
    Named(chrono_tz::Tz),
    Fixed(FixedOffset),
}

impl Default for Zone {
    fn default() -> Zone {
        Zone::Named(chrono_tz::UTC)
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Zone::Named(tz) => f.write_str(tz.name()),
            Zone::Fixed(off) => write!(f, "{off}"),
        }
    }
}

impl Zone {
    pub fn parse(text: &str) -> Option<Zone> {
        let t = text.trim();
        if let Some(off) = parse_offset(t) {
            return Some(Zone::Fixed(off));
        }
        chrono_tz::Tz::from_str(t).ok().map(Zone::Named)
    }

    /// The instant of a local wall-clock time; `None` when the time is
    /// skipped by a daylight-saving change. An ambiguous time is the earlier
    /// instant.
    pub fn instant(&self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        let pick = |r: LocalResult<DateTime<Utc>>| match r {
            LocalResult::Single(t) => Some(t),
            LocalResult::Ambiguous(a, b) => Some(a.min(b)),
            LocalResult::None => None,
        };
        match self {
            Zone::Named(tz) => pick(
                tz.from_local_datetime(&local)
                    .map(|t| t.with_timezone(&Utc)),
            ),
            Zone::Fixed(off) => pick(
                off.from_local_datetime(&local)
                    .map(|t| t.with_timezone(&Utc)),
            ),
        }
    }

    /// Wall-clock time of an instant in this zone.
    pub fn local(&self, t: DateTime<Utc>) -> NaiveDateTime {
        match self {
            Zone::Named(tz) => t.with_timezone(tz).naive_local(),
            Zone::Fixed(off) => t.with_timezone(off).naive_local(),
        }
    }

    /// The zone's abbreviation or offset at an instant (`CET`, `+09:00`).
    pub fn abbreviation(&self, t: DateTime<Utc>) -> String {
        match self {
            Zone::Named(tz) => {
                // What `%Z` writes, without parsing a pattern.
                let s = t.with_timezone(tz).offset().to_string();
                if s.is_empty() {
                    tz.name().to_owned()
                } else {
                    s
                }
            }
            Zone::Fixed(off) => off.fix().to_string(),
        }
    }

    /// RFC 3339 text of an instant with this zone's offset.
    pub fn rfc3339(&self, t: DateTime<Utc>) -> String {
        match self {
            Zone::Named(tz) => t.with_timezone(tz).to_rfc3339(),
            Zone::Fixed(off) => t.with_timezone(off).to_rfc3339(),
        }
    }
}

fn parse_offset(t: &str) -> Option<FixedOffset> {
    let (sign, rest) = match t.as_bytes().first()? {
        b'+' => (1, t.get(1..)?),
        b'-' => (-1, t.get(1..)?),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let h: i32 = h.parse().ok()?;
    let m: i32 = m.parse().ok()?;
    if h > 23 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

/// What a timestamp field said, before a time-only entry gets its date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Stamp {
    /// A full instant (RFC 3339 or a local date and time).
    At(DateTime<Utc>),
    /// A time of day, taking the date of the entry before it.
    TimeOnly(NaiveTime),
}

/// Why a timestamp could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum TimeError {
    /// Not one of the accepted forms.
    Form,
    /// A local time skipped by a daylight-saving change.
    Skipped,
}

impl TimeError {
    pub fn describe(&self, text: &str, zone: &Zone) -> String {
        match self {
            TimeError::Form => format!(
                "`{text}` is not a time sitrep reads: write `YYYY-MM-DD HH:MM` (site time), RFC 3339 such as `2026-03-14T02:40:00Z`, or `HH:MM` in a list entry"
            ),
            TimeError::Skipped => format!(
                "`{text}` does not exist in {zone}: the clocks skip it for daylight saving time"
            ),
        }
    }
}

fn two_digits(s: &str) -> Option<u32> {
    if s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// `HH:MM` or `HH:MM:SS`, each part two digits.
pub fn parse_time_of_day(text: &str) -> Option<NaiveTime> {
    let parts: Vec<&str> = text.split(':').collect();
    let (h, m, s) = match parts.as_slice() {
        [h, m] => (two_digits(h)?, two_digits(m)?, 0),
        [h, m, s] => (two_digits(h)?, two_digits(m)?, two_digits(s)?),
        _ => return None,
    };
    NaiveTime::from_hms_opt(h, m, s)
}

/// `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    let b = t.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    if !t
        .bytes()
        .enumerate()
        .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
    {
        return None;
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()
}

/// Parses a timestamp. `allow_time_only` is true for `at:` of list entries.
pub fn parse_stamp(text: &str, zone: &Zone, allow_time_only: bool) -> Result<Stamp, TimeError> {
    let t = text.trim();
    if allow_time_only {
        if let Some(tod) = parse_time_of_day(t) {
            return Ok(Stamp::TimeOnly(tod));
        }
    }
    // Local "YYYY-MM-DD HH:MM[:SS]".
    if let Some((d, tod)) = t.split_once(' ') {
        if let (Some(date), Some(tod)) = (parse_date(d), parse_time_of_day(tod.trim())) {
            return zone
                .instant(date.and_time(tod))
                .map(Stamp::At)
                .ok_or(TimeError::Skipped);
        }
        return Err(TimeError::Form);
    }
    // RFC 3339 needs a `T`, full seconds and a zone.
    if t.len() >= 20
        && t.as_bytes()
            .get(10)
            .is_some_and(|c| *c == b'T' || *c == b't')
    {
        if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
            return Ok(Stamp::At(dt.with_timezone(&Utc)));
        }
    }
    Err(TimeError::Form)
}

/// Gives a time-only entry its date: the local date of `previous`.
pub fn resolve_on(previous: DateTime<Utc>, tod: NaiveTime, zone: &Zone) -> Option<DateTime<Utc>> {
    let date = zone.local(previous).date();
    zone.instant(date.and_time(tod))
}

/// Parses a duration: `90s`, `30m`, `1h`, `7d`, `2w`, or combined (`1h30m`).
pub fn parse_duration(text: &str) -> Option<Duration> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let mut total: i64 = 0;
    let mut digits = String::new();
    for c in t.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        if digits.is_empty() {
            return None;
        }
        let n: i64 = digits.parse().ok()?;
        digits.clear();
        let unit: i64 = match c {
            's' => 1,
            'm' => 60,
            'h' => 3_600,
            'd' => 86_400,
            'w' => 604_800,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(unit)?)?;
    }
    if !digits.is_empty() || total > 100 * 366 * 86_400 {
        return None;
    }
    Some(Duration::seconds(total))
}

/// Writes a duration the way users write them: `2m`, `1h5m`, `3d4h`.
pub fn format_duration(d: Duration) -> String {
    let mut secs = d.num_seconds();
    if secs == 0 {
        return "0m".to_owned();
    }
    let neg = secs < 0;
    secs = secs.abs();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] {
        let n = secs / size;
        if n > 0 {
            out.push_str(&format!("{n}{unit}"));
            secs -= n * size;
        }
    }
    out
}

/// A local time for messages: `02:40`, or with the date when it is not
/// `day` (the date of the incident's report), seconds only when set.
pub fn format_local(t: DateTime<Utc>, zone: &Zone, day: Option<NaiveDate>) -> String {
    use chrono::Timelike;
    let local = zone.local(t);
    // Written out by hand: chrono parses a strftime pattern on every call,
    // and a check of 100,000 records formats a time for each finding. A
    // leap second (nanoseconds past 10^9) reads 60, as `%S` prints it.
    let second = local.second() + u32::from(local.nanosecond() >= 1_000_000_000);
    let clock = if second == 0 {
        format!("{:02}:{:02}", local.hour(), local.minute())
    } else {
        format!("{:02}:{:02}:{second:02}", local.hour(), local.minute())
    };
    if day == Some(local.date()) {
        clock
    } else if (0..=9999).contains(&local.year()) {
        format!(
            "{:04}-{:02}-{:02} {clock}",
            local.year(),
            local.month(),
            local.day()
        )
    } else {
        format!("{} {clock}", local.format("%Y-%m-%d"))
    }
}

/// `--now` and record times share the parser; `--now` also takes a date.
pub fn parse_now(text: &str, zone: &Zone) -> Option<DateTime<Utc>> {
    if let Ok(Stamp::At(t)) = parse_stamp(text, zone, false) {
        return Some(t);
    }
    if let Some(d) = parse_date(text) {
        return zone.instant(d.and_hms_opt(0, 0, 0)?);
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(text.trim()) {
        return Some(dt.with_timezone(&Utc));
    }
    None
}

/// `--now` and `--at` (CLI.md): every record form, `now`, a time relative
/// to `base` (`-15m`, `-2h`, `+1h`), or a bare `HH:MM[:SS]`, which is that
/// time on `base`'s date in the site zone.
pub fn parse_at(text: &str, zone: &Zone, base: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("now") {
        return Some(base);
    }
    if let Some(rest) = t.strip_prefix('-') {
        return base.checked_sub_signed(parse_duration(rest)?);
    }
    if let Some(rest) = t.strip_prefix('+') {
        return base.checked_add_signed(parse_duration(rest)?);
    }
    if let Some(tod) = parse_time_of_day(t) {
        return resolve_on(base, tod, zone);
    }
    parse_now(t, zone)
}

/// What `--now` and `--at` accept, for their error messages.
pub const AT_FORMS: &str = "`now`, `-15m`, `-2h`, `HH:MM` (today, site time), `YYYY-MM-DD HH:MM`, `YYYY-MM-DD` or RFC 3339 (2026-03-14T02:40:00Z)";

/// `--now TIME`, or the wall clock without it: every command's "now".
pub fn resolve_now(now: Option<&str>, zone: &Zone) -> anyhow::Result<DateTime<Utc>> {
    let clock = Utc::now();
    match now {
        None => Ok(clock),
        Some(t) => parse_at(t, zone, clock)
            .ok_or_else(|| anyhow::anyhow!("--now `{t}` is not a time: use {AT_FORMS}")),
    }
}

/// `--at TIME` against the command's now (itself `--now` or the clock).
pub fn resolve_at(
    at: Option<&str>,
    zone: &Zone,
    now: DateTime<Utc>,
) -> anyhow::Result<DateTime<Utc>> {
    match at {
        None => Ok(now),
        Some(t) => option_time("--at", t, zone, now),
    }
}

/// The time an option (`--at`, `--from`, …) gives, against `base`, or an
/// error that names the option and the forms it takes.
pub fn option_time(
    option: &str,
    text: &str,
    zone: &Zone,
    base: DateTime<Utc>,
) -> anyhow::Result<DateTime<Utc>> {
    parse_at(text, zone, base)
        .ok_or_else(|| anyhow::anyhow!("{option} `{text}` is not a time: use {AT_FORMS}"))
}

/// [`resolve_at`] for what has happened: a bare `HH:MM` later than now is
/// the last one past (at 00:10, `23:30` is yesterday's).
pub fn resolve_past(
    at: Option<&str>,
    zone: &Zone,
    now: DateTime<Utc>,
) -> anyhow::Result<DateTime<Utc>> {
    let when = resolve_at(at, zone, now)?;
    match at.and_then(|t| parse_time_of_day(t.trim())) {
        Some(tod) if when > now => {
            Ok(resolve_on(now - Duration::days(1), tod, zone).unwrap_or(when))
        }
        _ => Ok(when),
    }
}

/// A local time as a record writes it: `2026-03-14 02:46` in the site zone,
/// to the minute (rounded down, so never after the time it stands for), or
/// RFC 3339 when the local form would read back as another instant (the
/// repeated hour of a daylight-saving change).
pub fn record_form(t: DateTime<Utc>, zone: &Zone) -> String {
    use chrono::Timelike;
    let t = t
        .with_nanosecond(0)
        .and_then(|t| t.with_second(0))
        .unwrap_or(t);
    let local = zone.local(t);
    let text = local.format("%Y-%m-%d %H:%M").to_string();
    match parse_stamp(&text, zone, false) {
        Ok(Stamp::At(back)) if back == t && (0..=9999).contains(&local.year()) => text,
        _ => zone.rfc3339(t),
    }
}

/// RFC 3339 in UTC to the second, `2026-03-14T02:40:00Z`: feeds, the JSON
/// reports, `<time datetime>`.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// RFC 3339 in UTC to the millisecond, as the Statuspage API writes it.
pub fn rfc3339_millis(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// RFC 3339 with a numeric offset and only the precision needed
/// (`2026-03-14T02:40:00+00:00`), as the pages' scripts have always read it.
pub fn rfc3339_offset(t: DateTime<Utc>) -> String {
    t.to_rfc3339()
}

/// RFC 2822, for RSS (`Wed, 04 Mar 2026 02:40:00 +0000`). Written by
/// pattern, not chrono's `to_rfc2822`, which drops the day's leading zero
/// and would change every feed written before.
pub fn rfc2822(t: DateTime<Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S +0000").to_string()
}

/// An HTTP date (`Sat, 14 Mar 2026 02:40:00 GMT`), for Last-Modified.
pub fn http_date(t: std::time::SystemTime) -> String {
    httpdate::fmt_http_date(t)
}

/// The local date of an instant.
pub fn local_date(t: DateTime<Utc>, zone: &Zone) -> NaiveDate {
    zone.local(t).date()
}

/// The year of an instant in the zone (for ids like INC-2026-0001).
pub fn local_year(t: DateTime<Utc>, zone: &Zone) -> i32 {
    zone.local(t).year()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_text_formats() {
        let t = DateTime::parse_from_rfc3339("2026-03-14T02:40:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(rfc3339(t), "2026-03-14T02:40:00Z");
        assert_eq!(rfc3339_millis(t), "2026-03-14T02:40:00.000Z");
        assert_eq!(rfc3339_offset(t), "2026-03-14T02:40:00+00:00");
        assert_eq!(rfc2822(t), "Sat, 14 Mar 2026 02:40:00 +0000");
        assert_eq!(http_date(t.into()), "Sat, 14 Mar 2026 02:40:00 GMT");
        assert!(resolve_now(Some("yesterday"), &Zone::default()).is_err());
        let early = DateTime::parse_from_rfc3339("2026-03-04T02:40:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(rfc2822(early), "Wed, 04 Mar 2026 02:40:00 +0000");
        assert_eq!(http_date(early.into()), "Wed, 04 Mar 2026 02:40:00 GMT");
    }

    fn paris() -> Zone {
        Zone::parse("Europe/Paris").unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn rfc3339_forms() {
        let z = Zone::default();
        assert_eq!(
            parse_stamp("2026-03-14T02:40:00Z", &z, false),
            Ok(Stamp::At(utc("2026-03-14T02:40:00Z")))
        );
        assert_eq!(
            parse_stamp("2026-03-14T02:40:00-07:00", &z, false),
            Ok(Stamp::At(utc("2026-03-14T09:40:00Z")))
        );
    }

    #[test]
    fn local_forms_use_the_site_zone() {
        assert_eq!(
            parse_stamp("2025-06-01 10:00", &paris(), false),
            Ok(Stamp::At(utc("2025-06-01T08:00:00Z")))
        );
        assert_eq!(
            parse_stamp("2025-06-01 10:00:17", &paris(), false),
            Ok(Stamp::At(utc("2025-06-01T08:00:17Z")))
        );
    }

    #[test]
    fn time_only_is_for_list_entries() {
        assert_eq!(parse_stamp("02:46", &paris(), false), Err(TimeError::Form));
        assert!(matches!(
            parse_stamp("02:46:23", &paris(), true),
            Ok(Stamp::TimeOnly(_))
        ));
    }

    #[test]
    fn rejected_forms() {
        for bad in [
            "2026-03-14T02:40",
            "9:40",
            "2026-02-30 10:00",
            "2026-03-14 24:00",
            "yesterday",
            "",
            "2026-3-14 10:00",
        ] {
            assert_eq!(
                parse_stamp(bad, &paris(), true),
                Err(TimeError::Form),
                "{bad}"
            );
        }
    }

    #[test]
    fn dst_gap_and_fold() {
        assert_eq!(
            parse_stamp("2025-03-30 02:30", &paris(), false),
            Err(TimeError::Skipped)
        );
        // 02:30 on 2025-10-26 happens twice; the earlier is 00:30Z.
        assert_eq!(
            parse_stamp("2025-10-26 02:30", &paris(), false),
            Ok(Stamp::At(utc("2025-10-26T00:30:00Z")))
        );
    }

    #[test]
    fn time_only_takes_the_previous_local_date() {
        let tokyo = Zone::parse("Asia/Tokyo").unwrap();
        // 2025-06-11 23:00 in Tokyo is 14:00Z; 23:30 is on the same local day.
        let prev = utc("2025-06-11T14:00:00Z");
        let t = resolve_on(prev, NaiveTime::from_hms_opt(23, 30, 0).unwrap(), &tokyo);
        assert_eq!(t, Some(utc("2025-06-11T14:30:00Z")));
    }

    #[test]
    fn zones() {
        assert!(Zone::parse("UTC").is_some());
        assert!(Zone::parse("+05:30").is_some());
        assert!(Zone::parse("-07:00").is_some());
        assert!(Zone::parse("Mars/Olympus").is_none());
        assert!(Zone::parse("+5:30").is_none());
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s"), Some(Duration::seconds(90)));
        assert_eq!(parse_duration("30m"), Some(Duration::minutes(30)));
        assert_eq!(parse_duration("1h30m"), Some(Duration::minutes(90)));
        assert_eq!(parse_duration("7d"), Some(Duration::days(7)));
        assert_eq!(parse_duration("2w"), Some(Duration::days(14)));
        for bad in ["", "6 months", "h", "10", "1x", "99999999999999999999d"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
        assert_eq!(format_duration(Duration::minutes(65)), "1h5m");
        assert_eq!(format_duration(Duration::seconds(120)), "2m");
    }

    #[test]
    fn dates() {
        assert!(parse_date("2026-04-01").is_some());
        assert!(parse_date("2026-02-30").is_none());
        assert!(parse_date("2026-04-01 10:00").is_none());
    }

    /// The hand-written format against chrono's patterns, which it replaced.
    fn format_local_by_pattern(t: DateTime<Utc>, zone: &Zone, day: Option<NaiveDate>) -> String {
        let local = zone.local(t);
        let clock = if local.time().format("%S").to_string() == "00" {
            local.format("%H:%M").to_string()
        } else {
            local.format("%H:%M:%S").to_string()
        };
        if day == Some(local.date()) {
            clock
        } else {
            format!("{} {clock}", local.format("%Y-%m-%d"))
        }
    }

    proptest::proptest! {
        #[test]
        fn format_local_writes_what_the_patterns_wrote(
            secs in -70_000_000_000i64..300_000_000_000,
            nanos in 0u32..2_000_000_000,
            zone in proptest::sample::select(vec!["UTC", "Europe/Paris", "Asia/Kolkata", "+09:00", "-03:30"]),
            same_day in proptest::bool::ANY,
            whole_minute in proptest::bool::ANY,
        ) {
            let secs = if whole_minute { secs - secs.rem_euclid(60) } else { secs };
            // Nanoseconds past 10^9 (a leap second) only at :59, as chrono allows.
            let secs = if nanos >= 1_000_000_000 { secs - secs.rem_euclid(60) + 59 } else { secs };
            let Some(t) = DateTime::from_timestamp(secs, nanos) else { return Ok(()) };
            let zone = Zone::parse(zone).unwrap();
            let day = if same_day { Some(zone.local(t).date()) } else { None };
            proptest::prop_assert_eq!(format_local(t, &zone, day), format_local_by_pattern(t, &zone, day));
        }
    }
}

#[cfg(test)]
mod at_tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    #[test]
    fn at_forms() {
        let zone = Zone::parse("America/Chicago").unwrap_or_default();
        let now = utc("2026-12-04T14:40:30Z"); // 08:40:30 in Chicago
        let at = |t: &str| parse_at(t, &zone, now).map(rfc3339);
        assert_eq!(at("now").as_deref(), Some("2026-12-04T14:40:30Z"));
        assert_eq!(at("-15m").as_deref(), Some("2026-12-04T14:25:30Z"));
        assert_eq!(at("-2h").as_deref(), Some("2026-12-04T12:40:30Z"));
        assert_eq!(at("+1h30m").as_deref(), Some("2026-12-04T16:10:30Z"));
        assert_eq!(at("02:46").as_deref(), Some("2026-12-04T08:46:00Z"));
        assert_eq!(
            at("2026-12-03 23:10").as_deref(),
            Some("2026-12-04T05:10:00Z")
        );
        assert_eq!(
            at("2026-12-04T02:46:00Z").as_deref(),
            Some("2026-12-04T02:46:00Z")
        );
        for bad in ["", "soon", "-", "-15x", "25:00", "2026-13-01 10:00"] {
            assert_eq!(at(bad), None, "{bad}");
        }
    }

    #[test]
    fn record_form_is_local_to_the_minute_and_unambiguous() {
        let zone = Zone::parse("America/Chicago").unwrap_or_default();
        assert_eq!(
            record_form(utc("2026-12-04T08:46:59Z"), &zone),
            "2026-12-04 02:46"
        );
        // 01:30 happens twice on 2026-11-01 in Chicago: the first reads
        // back as written, the second is written with its offset.
        assert_eq!(
            record_form(utc("2026-11-01T06:30:00Z"), &zone),
            "2026-11-01 01:30"
        );
        assert_eq!(
            record_form(utc("2026-11-01T07:30:00Z"), &zone),
            "2026-11-01T01:30:00-06:00"
        );
    }
}
