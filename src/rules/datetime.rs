//! CertLogic date-times: the formats `plusTime` and `dccDateOfBirth` read, and `plusTime`'s
//! calendar arithmetic, which the specification defines by JavaScript's `Date` methods
//! (`setUTCFullYear`, `setUTCMonth`, `setUTCDate`, `setUTCHours`).
//!
//! A date-time is milliseconds since 1970-01-01T00:00:00Z, or `None` where JavaScript holds an
//! "Invalid Date" (NaN): a string that has an allowed shape but names no time, such as
//! `2021-13-01`, or a result outside JavaScript's range. Comparisons with it are false, as in
//! JavaScript; the rule engine reports a rule that met one as `open`.

use crate::time::{civil_from_days, days_from_civil, days_in_month};

/// Milliseconds since the epoch, or `None` for JavaScript's Invalid Date.
pub type Millis = Option<i64>;

const MS_PER_DAY: i64 = 86_400_000;
const MS_PER_HOUR: i64 = 3_600_000;
/// JavaScript's TimeClip: a `Date` holds at most 8.64e15 ms either side of the epoch.
const MAX_JS_TIME: i64 = 8_640_000_000_000_000;

/// The units `plusTime` offsets by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    /// `setUTCFullYear(getUTCFullYear() + n)`.
    Year,
    /// `setUTCMonth(getUTCMonth() + n)`.
    Month,
    /// `setUTCDate(getUTCDate() + n)`.
    Day,
    /// `setUTCHours(getUTCHours() + n)`.
    Hour,
}

impl TimeUnit {
    /// The unit named in a rule, if it is one of the four.
    pub fn from_name(name: &str) -> Option<TimeUnit> {
        match name {
            "year" => Some(TimeUnit::Year),
            "month" => Some(TimeUnit::Month),
            "day" => Some(TimeUnit::Day),
            "hour" => Some(TimeUnit::Hour),
            _ => None,
        }
    }
}

/// Why a string is not a CertLogic date(-time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotADate;

fn digits(text: &str) -> Option<i64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn clip(ms: i64) -> Millis {
    (ms.abs() <= MAX_JS_TIME).then_some(ms)
}

/// JavaScript's MakeDay: a month or day beyond its range rolls over into the next.
fn make_day(year: i64, month0: i64, date: i64) -> Option<i64> {
    let year = year.checked_add(month0.div_euclid(12))?;
    // Past ±300,000 years TimeClip rejects the result anyway; the bound keeps the sums small.
    if year.abs() > 300_000 || date.abs() > 200_000_000 {
        return None;
    }
    let month = u32::try_from(month0.rem_euclid(12) + 1).ok()?;
    Some(days_from_civil(year, month, 1) + date - 1)
}

/// A `YYYY-MM-DD` date at midnight UTC, as JavaScript reads it: days up to 31 roll over into
/// the next month (`2021-02-30` is 2 March), month 0 or 13 and day 0 or 32 are Invalid Date.
fn full_date(year: i64, month: i64, day: i64) -> Millis {
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    make_day(year, month - 1, day).and_then(|days| clip(days * MS_PER_DAY))
}

/// The last day consistent with a partial date (`YYYY`, `YYYY-MM`), the specification's
/// "beneficial interpretation" of a date of birth.
fn last_day(year: i64, month: Option<i64>) -> Millis {
    let month = month.unwrap_or(12);
    let month_u32 = u32::try_from(month).ok().filter(|m| (1..=12).contains(m))?;
    full_date(year, month, i64::from(days_in_month(year, month_u32)))
}

/// `dccDateOfBirth`: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` to the last moment's midnight that the
/// date allows.
pub fn date_of_birth(text: &str) -> Result<Millis, NotADate> {
    let parts: Vec<&str> = text.split('-').collect();
    let year = parts
        .first()
        .filter(|y| y.len() == 4)
        .and_then(|y| digits(y));
    let two = |part: &str| if part.len() == 2 { digits(part) } else { None };
    match (year, parts.as_slice()) {
        (Some(year), [_]) => Ok(last_day(year, None)),
        (Some(year), [_, month]) => two(month).map(|m| last_day(year, Some(m))).ok_or(NotADate),
        (Some(year), [_, month, day]) => match (two(month), two(day)) {
            (Some(month), Some(day)) => Ok(full_date(year, month, day)),
            _ => Err(NotADate),
        },
        _ => Err(NotADate),
    }
}

/// Parses one of the date and date-time formats the specification allows for `plusTime`.
/// A missing time is midnight, a missing offset is `Z`, fractions past milliseconds are cut.
pub fn parse(text: &str) -> Result<Millis, NotADate> {
    let Some((date, time)) = text.split_once('T') else {
        return date_of_birth(text);
    };
    // The date part must be complete when a time follows.
    if date.len() != 10 || date_of_birth(date).is_err() {
        return Err(NotADate);
    }
    let field = |range: std::ops::Range<usize>| text.get(range).and_then(digits).ok_or(NotADate);
    let (year, month, day) = (field(0..4)?, field(5..7)?, field(8..10)?);
    let bytes = time.as_bytes();
    if bytes.len() < 8 || bytes[2] != b':' || bytes[5] != b':' {
        return Err(NotADate);
    }
    let clock = |range: std::ops::Range<usize>| time.get(range).and_then(digits).ok_or(NotADate);
    let (hour, minute, second) = (clock(0..2)?, clock(3..5)?, clock(6..8)?);
    let mut rest = &time[8..];
    let mut millis = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let end = fraction
            .bytes()
            .position(|b| !b.is_ascii_digit())
            .unwrap_or(fraction.len());
        if end == 0 {
            return Err(NotADate);
        }
        let kept: String = fraction[..end]
            .chars()
            .chain("00".chars())
            .take(3)
            .collect();
        millis = digits(&kept).ok_or(NotADate)?;
        rest = &fraction[end..];
    }
    let offset_minutes = parse_offset(rest)?;
    let (Some(offset_minutes), true) = (
        offset_minutes,
        hour < 24 || (hour == 24 && minute == 0 && second == 0 && millis == 0),
    ) else {
        return Ok(None);
    };
    if minute > 59 || second > 59 {
        return Ok(None);
    }
    let Some(midnight) = full_date(year, month, day) else {
        return Ok(None);
    };
    let ms = midnight + ((hour * 60 + minute - offset_minutes) * 60 + second) * 1000 + millis;
    Ok(clip(ms))
}

/// The zone suffix: nothing or `Z` (UTC), or `[+-]h`, `hh`, `hmm`, `hhmm`, `h:mm`, `hh:mm`.
/// `Ok(None)` for an offset of the right shape but out of range (JavaScript's Invalid Date).
fn parse_offset(zone: &str) -> Result<Option<i64>, NotADate> {
    if zone.is_empty() || zone == "Z" {
        return Ok(Some(0));
    }
    let sign = match zone.as_bytes().first() {
        Some(b'+') => 1,
        Some(b'-') => -1,
        _ => return Err(NotADate),
    };
    let body = &zone[1..];
    let (hours, minutes) = match body.split_once(':') {
        Some((h, m)) if (1..=2).contains(&h.len()) && m.len() == 2 => (h, m),
        Some(_) => return Err(NotADate),
        None => match body.len() {
            1 | 2 => (body, "00"),
            3 => (&body[..1], &body[1..]),
            4 => (&body[..2], &body[2..]),
            _ => return Err(NotADate),
        },
    };
    let (hours, minutes) = (
        digits(hours).ok_or(NotADate)?,
        digits(minutes).ok_or(NotADate)?,
    );
    if hours > 23 || minutes > 59 {
        return Ok(None);
    }
    Ok(Some(sign * (hours * 60 + minutes)))
}

/// Adds `amount` units to a date-time the way `Date.prototype.setUTC<unit>` does.
pub fn plus(time: Millis, amount: i64, unit: TimeUnit) -> Millis {
    let time = time?;
    let days = time.div_euclid(MS_PER_DAY);
    let in_day = time.rem_euclid(MS_PER_DAY);
    let (year, month, date) = civil_from_days(days);
    let (month0, date) = (i64::from(month) - 1, i64::from(date));
    let new_days = match unit {
        TimeUnit::Year => make_day(year.checked_add(amount)?, month0, date)?,
        TimeUnit::Month => make_day(year, month0.checked_add(amount)?, date)?,
        TimeUnit::Day => make_day(year, month0, date.checked_add(amount)?)?,
        TimeUnit::Hour => return clip(time.checked_add(amount.checked_mul(MS_PER_HOUR)?)?),
    };
    clip(new_days.checked_mul(MS_PER_DAY)?.checked_add(in_day)?)
}

/// `YYYY-MM-DDTHH:MM:SS.sssZ`, as JavaScript's `toISOString` writes it (years 0–9999).
pub fn to_iso(time: Millis) -> String {
    let Some(ms) = time else {
        return "Invalid Date".to_owned();
    };
    let days = ms.div_euclid(MS_PER_DAY);
    let in_day = ms.rem_euclid(MS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        in_day / MS_PER_HOUR,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(text: &str) -> String {
        to_iso(parse(text).expect("an allowed format"))
    }

    fn plus_iso(text: &str, amount: i64, unit: TimeUnit) -> String {
        to_iso(plus(parse(text).expect("an allowed format"), amount, unit))
    }

    #[test]
    fn reads_every_allowed_format() {
        assert_eq!(iso("2021"), "2021-12-31T00:00:00.000Z");
        assert_eq!(iso("2020-02"), "2020-02-29T00:00:00.000Z");
        assert_eq!(iso("2021-06-01"), "2021-06-01T00:00:00.000Z");
        assert_eq!(iso("2021-06-01T10:20:30"), "2021-06-01T10:20:30.000Z");
        assert_eq!(iso("2021-06-01T10:20:30Z"), "2021-06-01T10:20:30.000Z");
        assert_eq!(iso("2021-06-01T10:20:30+2"), "2021-06-01T08:20:30.000Z");
        assert_eq!(iso("2021-06-01T10:20:30+02"), "2021-06-01T08:20:30.000Z");
        assert_eq!(iso("2021-06-01T10:20:30+130"), "2021-06-01T08:50:30.000Z");
        assert_eq!(iso("2021-06-01T10:20:30-0130"), "2021-06-01T11:50:30.000Z");
        assert_eq!(iso("2021-06-01T10:20:30+1:30"), "2021-06-01T08:50:30.000Z");
        assert_eq!(iso("2021-06-01T10:20:30+01:30"), "2021-06-01T08:50:30.000Z");
        assert_eq!(iso("2021-06-01T10:20:30.1Z"), "2021-06-01T10:20:30.100Z");
        assert_eq!(
            iso("2021-06-01T10:20:30.123456+00:00"),
            "2021-06-01T10:20:30.123Z"
        );
    }

    #[test]
    fn rejects_other_shapes() {
        for text in [
            "",
            "21",
            "2021-6-01",
            "2021-06-01T10:20",
            "2021-06-01 10:20:30",
            "2021-06-01T10:20:30.Z",
            "2021-06-01T10:20:30+12345",
            "2021-06-01T10:20:30 +02:00",
            "2021-06-01T10:20:30UTC",
            "٢٠٢١",
        ] {
            assert_eq!(parse(text), Err(NotADate), "{text}");
        }
    }

    #[test]
    fn invalid_dates_of_an_allowed_shape_are_javascripts_invalid_date() {
        // Each as `new Date(...)` reads it in V8 (node 20).
        assert_eq!(parse("2021-13-01"), Ok(None));
        assert_eq!(parse("2021-01-32"), Ok(None));
        assert_eq!(parse("2021-01-01T24:30:00Z"), Ok(None));
        assert_eq!(parse("2021-01-01T00:00:00+25:00"), Ok(None));
        assert_eq!(iso("2021-02-30"), "2021-03-02T00:00:00.000Z");
        assert_eq!(iso("2021-01-01T24:00:00Z"), "2021-01-02T00:00:00.000Z");
    }

    #[test]
    fn offsets_as_javascript_does() {
        // The specification's leap-day table.
        assert_eq!(
            plus_iso("2020-02-29", 1, TimeUnit::Day),
            "2020-03-01T00:00:00.000Z"
        );
        assert_eq!(
            plus_iso("2020-02-29", 1, TimeUnit::Month),
            "2020-03-29T00:00:00.000Z"
        );
        assert_eq!(
            plus_iso("2020-02-29", 1, TimeUnit::Year),
            "2021-03-01T00:00:00.000Z"
        );
        // setUTCMonth rolls the 31st over: 2020-01-31 + 1 month is 2 March (node 20).
        assert_eq!(
            plus_iso("2020-01-31", 1, TimeUnit::Month),
            "2020-03-02T00:00:00.000Z"
        );
        assert_eq!(
            plus_iso("2021-03-15", -15, TimeUnit::Month),
            "2019-12-15T00:00:00.000Z"
        );
        assert_eq!(
            plus_iso("2021-06-01T00:00:00Z", 40, TimeUnit::Hour),
            "2021-06-02T16:00:00.000Z"
        );
        assert_eq!(
            plus_iso("2021-06-23T00:00:00Z", -180, TimeUnit::Day),
            "2020-12-25T00:00:00.000Z"
        );
        assert_eq!(plus(Some(0), i64::MAX, TimeUnit::Hour), None);
        assert_eq!(plus(Some(0), i64::MIN, TimeUnit::Year), None);
        assert_eq!(plus(None, 1, TimeUnit::Day), None);
    }

    #[test]
    fn dates_of_birth_take_the_last_day_they_allow() {
        let dob = |text| to_iso(date_of_birth(text).expect("a date of birth"));
        assert_eq!(dob("2004"), "2004-12-31T00:00:00.000Z");
        assert_eq!(dob("2004-02"), "2004-02-29T00:00:00.000Z");
        assert_eq!(dob("2004-01-01"), "2004-01-01T00:00:00.000Z");
        assert_eq!(date_of_birth(""), Err(NotADate));
        assert_eq!(date_of_birth("2004-01-01T00:00:00Z"), Err(NotADate));
    }
}
