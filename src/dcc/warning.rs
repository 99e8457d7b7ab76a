//! [`Warning`]: what is odd about a certificate that passes, and how it was read.
//!
//! Real issuers write dates with a time in fields the schema declares `format: date`
//! (`"dt": "2021-05-18T08:10:00+02:00"`), impossible dates (`"2022-17-01"`) and fields of their
//! own. The EU's validation accepts these (a JSON Schema `format` is an annotation, extra fields
//! are allowed), so the verdict does not change; a traveller still sees what is odd, and every
//! front end reads the value the same way: the date part as written, an impossible date shown as
//! written and never used in a calculation.

use serde::Serialize;

/// What is odd, as a stable identifier for translations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningCode {
    /// A date field holds a date and a time: read as the date part.
    DateWithTime,
    /// A date field holds a date followed by other text: read as the date part.
    DateWithExtraText,
    /// A date that does not exist (`2022-17-01`): shown as written, never computed with.
    ImpossibleDate,
    /// A date field holds no date: shown as written.
    NotADate,
    /// A date-time field has no time zone: shown as written.
    DateTimeWithoutZone,
    /// A date-time field holds only a date: read as that date.
    DateTimeWithoutTime,
    /// A date-time field holds something else: read as the date it starts with, if any.
    NotADateTime,
    /// A field the schema of this version does not define: kept as signed, not checked.
    UnknownField,
}

impl WarningCode {
    /// The snake_case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            WarningCode::DateWithTime => "date_with_time",
            WarningCode::DateWithExtraText => "date_with_extra_text",
            WarningCode::ImpossibleDate => "impossible_date",
            WarningCode::NotADate => "not_a_date",
            WarningCode::DateTimeWithoutZone => "date_time_without_zone",
            WarningCode::DateTimeWithoutTime => "date_time_without_time",
            WarningCode::NotADateTime => "not_a_date_time",
            WarningCode::UnknownField => "unknown_field",
        }
    }
}

/// One oddity of a certificate: which field, what is odd, what was found, how it was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// The field, as a path: `v[0].dt`, `dob`, `nam.xx`.
    pub field: String,
    /// What is odd.
    pub code: WarningCode,
    /// The value as written (JSON for a value that is not text), cut to
    /// [`FOUND_CHARS`] characters.
    pub found: String,
    /// How the value was read, when it was read as something else than written: the date part
    /// (`2021-05-18`). Absent: shown as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_as: Option<String>,
    /// The whole warning in a sentence, e.g. "`v[0].dt` has a time (2021-05-18T08:10:00+02:00);
    /// read as the date 2021-05-18".
    pub detail: String,
}

/// Longest value kept in [`Warning::found`], in characters.
pub const FOUND_CHARS: usize = 80;

impl Warning {
    /// A warning about `field`, whose value is `found`.
    pub(crate) fn new(field: &str, code: WarningCode, found: &str, read_as: Option<&str>) -> Self {
        let found: String = match found.char_indices().nth(FOUND_CHARS) {
            Some((cut, _)) => format!("{}…", found.get(..cut).unwrap_or_default()),
            None => found.to_owned(),
        };
        let detail = match (code, read_as) {
            (WarningCode::DateWithTime, Some(date)) => {
                format!("{field} has a time ({found}); read as the date {date}")
            }
            (WarningCode::DateWithExtraText, Some(date)) => {
                format!("{field} has more than a date ({found:?}); read as the date {date}")
            }
            (WarningCode::ImpossibleDate, _) => format!(
                "{field} is not a real date ({found}); shown as written and not used in any calculation"
            ),
            (WarningCode::DateTimeWithoutZone, _) => {
                format!("{field} has no time zone ({found}); shown as written, the zone unknown")
            }
            (WarningCode::DateTimeWithoutTime, Some(date)) => {
                format!("{field} has no time ({found}); read as the date {date}")
            }
            (WarningCode::NotADateTime, Some(date)) => format!(
                "{field} is not a date and time in the standard form ({found:?}); read as the date {date}"
            ),
            (WarningCode::UnknownField, _) => format!(
                "{field} is not a field of the certificate's schema ({found}); kept as signed, not checked"
            ),
            (WarningCode::NotADateTime, None) => {
                format!("{field} is not a date and time ({found:?}); shown as written")
            }
            _ => format!("{field} is not a date ({found:?}); shown as written"),
        };
        Warning {
            field: field.to_owned(),
            code,
            found,
            read_as: read_as.map(str::to_owned),
            detail,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_what_was_found_and_how_it_was_read() {
        let warning = Warning::new(
            "v[0].dt",
            WarningCode::DateWithTime,
            "2021-05-18T08:10:00+02:00",
            Some("2021-05-18"),
        );
        assert_eq!(
            warning.detail,
            "v[0].dt has a time (2021-05-18T08:10:00+02:00); read as the date 2021-05-18"
        );
        let json = serde_json::to_value(&warning).expect("serialises");
        assert_eq!(json["code"], "date_with_time");
        assert_eq!(json["read_as"], "2021-05-18");
        assert_eq!(json["field"], "v[0].dt");

        let impossible = Warning::new("r[0].fr", WarningCode::ImpossibleDate, "2022-17-01", None);
        assert!(impossible.detail.contains("not used in any calculation"));
        let json = serde_json::to_value(&impossible).expect("serialises");
        assert!(json.get("read_as").is_none());

        let long = Warning::new("x", WarningCode::UnknownField, &"é".repeat(500), None);
        assert_eq!(long.found.chars().count(), FOUND_CHARS + 1);
    }

    #[test]
    fn codes_are_their_json_names() {
        for code in [
            WarningCode::DateWithTime,
            WarningCode::DateWithExtraText,
            WarningCode::ImpossibleDate,
            WarningCode::NotADate,
            WarningCode::DateTimeWithoutZone,
            WarningCode::DateTimeWithoutTime,
            WarningCode::NotADateTime,
            WarningCode::UnknownField,
        ] {
            assert_eq!(
                serde_json::to_value(code).expect("serialises"),
                code.as_str()
            );
        }
    }
}
