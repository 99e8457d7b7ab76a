//! The string shapes the DCC schemas ask for: their `format`s (RFC 3339 `date`, `date-time`) and
//! their `pattern`s, written out by hand.
//!
//! The schemas' patterns are ECMA-262 regular expressions: `\d` is an ASCII digit, `$` is the very
//! end of the text, and an unanchored pattern only has to occur somewhere in the text.

use crate::time::days_in_month;

/// The allowed forms of `dob`, which changed between schema versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DobForm {
    /// 1.0.x: `format: date` plus the pattern `(19|20)\d{2}-\d{2}-\d{2}`: a real calendar date,
    /// `YYYY-MM-DD`, in the years 1900 to 2099.
    FullDate,
    /// 1.1.0 to 1.2.1: `^(19|20)\d\d(-\d\d){0,2}$`: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, years 1900
    /// to 2099. There is no `format`, so the month and day are any two digits.
    Partial,
    /// 1.3.x: `^((19|20)\d\d(-\d\d){0,2}){0,1}$`: as [`DobForm::Partial`], or empty (unknown).
    PartialOrEmpty,
}

impl DobForm {
    /// The forms, in words, for a message.
    pub(super) fn describe(self) -> &'static str {
        match self {
            DobForm::FullDate => "YYYY-MM-DD, a year from 1900 to 2099",
            DobForm::Partial => "YYYY-MM-DD, YYYY-MM or YYYY, a year from 1900 to 2099",
            DobForm::PartialOrEmpty => {
                "YYYY-MM-DD, YYYY-MM, YYYY (a year from 1900 to 2099) or empty"
            }
        }
    }

    /// Whether `text` is a date of birth of this form.
    pub(super) fn fits(self, text: &str) -> bool {
        match self {
            DobForm::FullDate => contains_dob_1_0(text),
            DobForm::Partial => is_partial_dob(text),
            DobForm::PartialOrEmpty => {
                before_final_line_break(text).is_empty() || is_partial_dob(text)
            }
        }
    }

    /// Whether `text` fails only because it writes digits other than 0–9 (Arabic-Indic,
    /// full-width, …), which Python's `\d` accepts and ECMA-262's does not: this verifier's own
    /// rule ([`super::OwnRule::AsciiDigits`]).
    pub(super) fn fits_with_other_digits(self, text: &str) -> bool {
        let ascii: String = text
            .chars()
            .map(|c| if is_other_decimal_digit(c) { '0' } else { c })
            .collect();
        ascii != text && self.fits(&ascii)
    }
}

/// The zeros of the Unicode decimal digits (category Nd) other than 0–9, each followed by the
/// other nine: what Python's `\d` takes besides 0–9 (Unicode 14, as in Python 3.11). A table
/// of its own rather than `char::is_numeric`, whose wider table would weigh on the wasm.
const OTHER_DIGIT_ZEROS: [u32; 65] = [
    0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xDE6,
    0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50,
    0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
    0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50,
    0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

fn is_other_decimal_digit(c: char) -> bool {
    let c = u32::from(c);
    OTHER_DIGIT_ZEROS
        .iter()
        .any(|&zero| (zero..zero + 10).contains(&c))
}

/// 1.0.x: `(19|20)\d{2}-\d{2}-\d{2}`, unanchored as the schema writes it: found anywhere in the
/// text. (Its `format: date` is an annotation: see [`read_date`].)
fn contains_dob_1_0(text: &str) -> bool {
    text.as_bytes().windows(10).any(|window| {
        starts_19_or_20_bytes(window)
            && window.iter().enumerate().all(|(i, b)| match i {
                4 | 7 => *b == b'-',
                _ => b.is_ascii_digit(),
            })
    })
}

fn starts_19_or_20_bytes(bytes: &[u8]) -> bool {
    bytes.starts_with(b"19") || bytes.starts_with(b"20")
}

/// The text an anchored pattern (`^…$`) is matched against. The EU's validation runs Python's
/// `re.search`, where `$` also matches before one final line break (as in Java); so does this.
pub(super) fn before_final_line_break(text: &str) -> &str {
    text.strip_suffix('\n').unwrap_or(text)
}

/// `^(19|20)\d\d(-\d\d){0,2}$`.
fn is_partial_dob(text: &str) -> bool {
    let bytes = before_final_line_break(text).as_bytes();
    let shape_ok = match bytes.len() {
        4 => true,
        7 => bytes.get(4) == Some(&b'-'),
        10 => bytes.get(4) == Some(&b'-') && bytes.get(7) == Some(&b'-'),
        _ => false,
    };
    shape_ok
        && starts_19_or_20(text)
        && bytes.iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
}

fn starts_19_or_20(text: &str) -> bool {
    starts_19_or_20_bytes(text.as_bytes())
}

/// Parses exactly `count` ASCII digits at `at`.
fn digits(bytes: &[u8], at: usize, count: usize) -> Option<u32> {
    let part = bytes.get(at..at.checked_add(count)?)?;
    part.iter().try_fold(0u32, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

/// RFC 3339 `full-date`: `YYYY-MM-DD`, a day that exists in that month.
#[cfg(test)]
fn is_full_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10 && full_date_at_start(bytes)
}

fn full_date_at_start(bytes: &[u8]) -> bool {
    let (Some(year), Some(month), Some(day)) = (
        digits(bytes, 0, 4),
        digits(bytes, 5, 2),
        digits(bytes, 8, 2),
    ) else {
        return false;
    };
    bytes.get(4) == Some(&b'-')
        && bytes.get(7) == Some(&b'-')
        && (1..=12).contains(&month)
        && (1..=days_in_month(i64::from(year), month)).contains(&day)
}

/// RFC 3339 `date-time`: `YYYY-MM-DDThh:mm:ss`, optional `.fraction`, then `Z` or `±hh:mm`.
/// `T` and `Z` may be lower case (RFC 3339 §5.6); a second of 60 is a leap second.
pub(super) fn is_date_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() < 20 || !full_date_at_start(bytes) || !matches!(bytes.get(10), Some(b'T' | b't'))
    {
        return false;
    }
    let (Some(hour), Some(minute), Some(second)) = (
        digits(bytes, 11, 2),
        digits(bytes, 14, 2),
        digits(bytes, 17, 2),
    ) else {
        return false;
    };
    if bytes.get(13) != Some(&b':') || bytes.get(16) != Some(&b':') {
        return false;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut rest = bytes.get(19..).unwrap_or_default();
    if let Some(fraction) = rest.strip_prefix(b".") {
        let count = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if count == 0 {
            return false;
        }
        rest = fraction.get(count..).unwrap_or_default();
    }
    match rest {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', zone @ ..] => {
            zone.len() == 5
                && zone.get(2) == Some(&b':')
                && digits(zone, 0, 2).is_some_and(|h| h <= 23)
                && digits(zone, 3, 2).is_some_and(|m| m <= 59)
        }
        _ => false,
    }
}

/// How a field the schema declares `format: date` was read. The format is an annotation, not a
/// rule (JSON Schema 2020-12; the EU's validation does not assert it), so any text passes; this
/// says what the text holds, and the date part as written is what every front end shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateReading<'a> {
    /// A date as the format means it (or, for `dob`, one of its partial forms).
    Date,
    /// A real date followed by a time (`T`, `t` or a space, then anything): read as the date.
    WithTime(&'a str),
    /// A real date followed by something else: read as the date.
    WithExtra(&'a str),
    /// `YYYY-MM-DD` in shape, but no such day (`2022-17-01`): shown as written, never computed.
    Impossible,
    /// Not a date at all: shown as written.
    NotADate,
}

/// Reads a `format: date` field leniently: the date part as written, when there is one.
pub(crate) fn read_date(text: &str) -> DateReading<'_> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() >= 10
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| bytes.get(i).is_some_and(u8::is_ascii_digit))
        && bytes.get(4) == Some(&b'-')
        && bytes.get(7) == Some(&b'-');
    if !shaped {
        return DateReading::NotADate;
    }
    if !full_date_at_start(bytes) {
        return DateReading::Impossible;
    }
    let date = text.get(..10).unwrap_or_default();
    match bytes.get(10) {
        None => DateReading::Date,
        Some(b'T' | b't' | b' ') if bytes.len() > 11 => DateReading::WithTime(date),
        Some(_) => DateReading::WithExtra(date),
    }
}

/// Reads a date of birth leniently: its partial forms (`YYYY`, `YYYY-MM`, empty) are dates too.
pub(crate) fn read_dob(text: &str) -> DateReading<'_> {
    let bytes = text.as_bytes();
    match bytes.len() {
        0 => DateReading::Date,
        4 if digits(bytes, 0, 4).is_some() => DateReading::Date,
        7 if bytes.get(4) == Some(&b'-') => match (digits(bytes, 0, 4), digits(bytes, 5, 2)) {
            (Some(_), Some(month)) if (1..=12).contains(&month) => DateReading::Date,
            (Some(_), Some(_)) => DateReading::Impossible,
            _ => DateReading::NotADate,
        },
        _ => read_date(text),
    }
}

/// How a field the schema declares `format: date-time` was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateTimeReading<'a> {
    /// An RFC 3339 date-time.
    DateTime,
    /// A real date and time without a zone: shown as written (the zone is unknown).
    WithoutZone,
    /// Only a date: read as that date, without a time.
    DateOnly(&'a str),
    /// Its date is `YYYY-MM-DD` in shape but no such day: shown as written.
    Impossible,
    /// Something else; read as the date it starts with, if any.
    Other(Option<&'a str>),
}

/// Reads a `format: date-time` field leniently.
pub(crate) fn read_date_time(text: &str) -> DateTimeReading<'_> {
    if is_date_time(text) {
        return DateTimeReading::DateTime;
    }
    match read_date(text) {
        DateReading::Date => DateTimeReading::DateOnly(text),
        DateReading::Impossible => DateTimeReading::Impossible,
        DateReading::NotADate => DateTimeReading::Other(None),
        DateReading::WithTime(date) | DateReading::WithExtra(date) => {
            let bytes = text.as_bytes();
            // A whole time, hh:mm:ss with an optional fraction, and nothing after it.
            let time_ok = matches!(bytes.get(10), Some(b'T' | b't'))
                && digits(bytes, 11, 2).is_some_and(|h| h <= 23)
                && bytes.get(13) == Some(&b':')
                && digits(bytes, 14, 2).is_some_and(|m| m <= 59)
                && bytes.get(16) == Some(&b':')
                && digits(bytes, 17, 2).is_some_and(|s| s <= 60)
                && match bytes.get(19..).unwrap_or_default() {
                    [] => true,
                    [b'.', fraction @ ..] => {
                        !fraction.is_empty() && fraction.iter().all(u8::is_ascii_digit)
                    }
                    _ => false,
                };
            if time_ok {
                DateTimeReading::WithoutZone
            } else {
                DateTimeReading::Other(Some(date))
            }
        }
    }
}

/// `^[A-Z<]*$`: the ICAO 9303 transliteration of a name (`fnt`, `gnt`).
pub(super) fn is_transliterated(text: &str) -> bool {
    before_final_line_break(text)
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b == b'<')
}

/// The first character of `text` that can make it display differently from what was signed:
/// a control character (C0, DEL, C1) or an explicit bidirectional embedding, override or isolate
/// (U+202A–U+202E, U+2066–U+2069). A right-to-left override turns "Tran\u{202E}nimdA" into
/// "TranAdmin" on screen. The implicit marks (U+200E, U+200F, U+061C) are left alone: they
/// only nudge the direction of neighbouring neutral characters, and right-to-left names use them.
/// This is the verifier's own rule; the schemas allow any text in a printed name.
pub(super) fn display_control(text: &str) -> Option<char> {
    text.chars()
        .find(|&c| c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
}

/// `[A-Z]{1,10}`, unanchored as the schemas write it: at least one capital letter A–Z somewhere.
/// (The value-set check is what holds a country to ISO 3166.)
pub(super) fn has_capital_letter(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_uppercase())
}

/// `^\d+.\d+.\d+$`, read as the schemas mean it: three numbers joined by dots. Numbers too large
/// for `u32` count as `u32::MAX`, newer than any known version.
pub(super) fn schema_version(text: &str) -> Option<(u32, u32, u32)> {
    let mut parts = text.split('.');
    let mut number = || -> Option<u32> {
        let part = parts.next()?;
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(part.parse().unwrap_or(u32::MAX))
    };
    let version = (number()?, number()?, number()?);
    parts.next().is_none().then_some(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_dates() {
        for (text, ok) in [
            ("2021-05-03", true),
            ("2024-02-29", true),
            ("2000-02-29", true),
            ("1900-02-29", false),
            ("2021-02-29", false),
            ("2021-13-01", false),
            ("2021-00-10", false),
            ("2021-04-31", false),
            ("2021-04-00", false),
            ("2021-5-03", false),
            ("2021-05-03T00:00:00", false),
            ("20210503", false),
            ("2021/05/03", false),
            ("２０２１-05-03", false),
            ("", false),
        ] {
            assert_eq!(is_full_date(text), ok, "{text}");
        }
    }

    #[test]
    fn date_times() {
        for (text, ok) in [
            ("2021-05-03T10:27:15Z", true),
            ("2021-05-03t10:27:15z", true),
            ("2021-05-03T10:27:15.123Z", true),
            ("2021-05-03T10:27:15+02:00", true),
            ("2021-05-03T10:27:15-11:30", true),
            ("2016-12-31T23:59:60Z", true),
            ("2021-05-03T10:27:15", false),
            ("2021-05-03 10:27:15Z", false),
            ("2021-05-03T10:27Z", false),
            ("2021-05-03T24:00:00Z", false),
            ("2021-05-03T10:60:00Z", false),
            ("2021-05-03T10:27:61Z", false),
            ("2021-05-03T10:27:15.Z", false),
            ("2021-05-03T10:27:15+0200", false),
            ("2021-05-03T10:27:15+24:00", false),
            ("2021-05-03T10:27:15+02:60", false),
            ("2021-02-30T10:27:15Z", false),
            ("2021-05-03T10:27:15ZZ", false),
            ("2021-05-03", false),
        ] {
            assert_eq!(is_date_time(text), ok, "{text}");
        }
    }

    #[test]
    fn dates_of_birth_per_form() {
        use DobForm::*;
        for (text, full, partial, or_empty) in [
            ("1979-04-14", true, true, true),
            ("1979-04", false, true, true),
            ("1979", false, true, true),
            ("", false, false, true),
            // 1.0.x's format `date` is an annotation, and its pattern is unanchored.
            ("1979-13-45", true, true, true),
            ("1899-01-01", false, false, false),
            ("2100-01-01", false, false, false),
            ("1979-4-14", false, false, false),
            ("1979-04-14T00:00:00", true, false, false),
            ("x1979-04-14x", true, false, false),
            ("79", false, false, false),
            ("1979-", false, false, false),
            // `$` matches before one final line break (Python, Java).
            ("1979-04-14\n", true, true, true),
            ("1979-04-14\n\n", true, false, false),
            ("\n", false, false, true),
        ] {
            assert_eq!(FullDate.fits(text), full, "{text:?} 1.0.x");
            assert_eq!(Partial.fits(text), partial, "{text:?} 1.1-1.2");
            assert_eq!(PartialOrEmpty.fits(text), or_empty, "{text:?} 1.3");
        }
    }

    #[test]
    fn dates_read_leniently() {
        use DateReading::*;
        for (text, reading) in [
            ("2021-05-18", Date),
            ("2021-05-18T08:10:00+02:00", WithTime("2021-05-18")),
            ("2022-01-01T00:00:00.000Z", WithTime("2022-01-01")),
            ("2021-05-18t08", WithTime("2021-05-18")),
            ("2021-05-18 08:10", WithTime("2021-05-18")),
            ("2021-05-18T", WithExtra("2021-05-18")),
            ("2021-05-18\n", WithExtra("2021-05-18")),
            ("2021-05-18x", WithExtra("2021-05-18")),
            ("2022-17-01", Impossible),
            ("2021-02-29T10:00:00Z", Impossible),
            ("2021-00-10", Impossible),
            ("01.04.2021", NotADate),
            ("2021-5-18", NotADate),
            ("２０２１-05-18", NotADate),
            ("", NotADate),
        ] {
            assert_eq!(read_date(text), reading, "{text:?}");
        }
        for (text, reading) in [
            ("", Date),
            ("1990", Date),
            ("1990-05", Date),
            ("1990-13", Impossible),
            ("1990-00", Impossible),
            ("1990-02-30", Impossible),
            ("1990-02-28", Date),
            ("199x", NotADate),
        ] {
            assert_eq!(read_dob(text), reading, "{text:?}");
        }
        use DateTimeReading as T;
        for (text, reading) in [
            ("2021-05-03T10:27:15Z", T::DateTime),
            ("2021-05-03T10:27:15", T::WithoutZone),
            ("2021-05-03T10:27:15.5", T::WithoutZone),
            ("2021-05-03", T::DateOnly("2021-05-03")),
            ("2021-05-03 10:27:15Z", T::Other(Some("2021-05-03"))),
            ("2021-05-03T10:27:15+0200", T::Other(Some("2021-05-03"))),
            ("2021-05-03T24:00:00", T::Other(Some("2021-05-03"))),
            ("2021-02-30T10:00:00Z", T::Impossible),
            ("x", T::Other(None)),
        ] {
            assert_eq!(read_date_time(text), reading, "{text:?}");
        }
    }

    #[test]
    fn patterns() {
        assert!(is_transliterated("DCERVENKOVA<PANKLOVA"));
        assert!(is_transliterated(""));
        assert!(!is_transliterated("Müller"));
        assert!(!is_transliterated("VAN DER BERG"));
        assert_eq!(display_control("Nguyễn Bảo Duy"), None);
        assert_eq!(display_control("\u{5DB}\u{5D4}\u{5DF}\u{200F}"), None);
        for (text, found) in [
            ("Tran\u{202E}nimdA", '\u{202E}'),
            ("\u{2066}Tran", '\u{2066}'),
            ("Tran\u{2069}", '\u{2069}'),
            ("Tran\u{202A}", '\u{202A}'),
            ("Tr\0an", '\0'),
            ("Tran\nMai", '\n'),
            ("Tran\u{85}", '\u{85}'),
            ("Tran\u{7F}", '\u{7F}'),
        ] {
            assert_eq!(display_control(text), Some(found), "{text:?}");
        }
        assert!(has_capital_letter("DE"));
        assert!(has_capital_letter("xxDE"));
        assert!(!has_capital_letter("de"));
        assert!(!has_capital_letter(""));
        assert_eq!(schema_version("1.3.0"), Some((1, 3, 0)));
        assert_eq!(schema_version("1.10.250"), Some((1, 10, 250)));
        assert_eq!(schema_version("1.99999999999.0"), Some((1, u32::MAX, 0)));
        for bad in [
            "1.3", "1.3.0.1", "1..0", "v1.3.0", "1.3.0 ", "1-3-0", "1.3.x", "",
        ] {
            assert_eq!(schema_version(bad), None, "{bad}");
        }
    }
}
