//! The certificate formats besides the EU DCC (which lives in [`decode`](crate::decode) and
//! [`dcc`](crate::dcc)): SMART Health Cards ([`shc`]) and ICAO VDS-NC ([`vds_nc`]).
//!
//! [`detect`] picks the format from the QR text; each format's module turns the text into the
//! checks of one [`Report`](crate::Report), with the same statuses and the same check ids where
//! they mean the same (`signer`, `signature`, `revocation`, `signer_validity`, `expiry`).
//! Formats never import one another; they share the crypto layer, the trust data and the report.

mod error;
#[cfg(feature = "formats")]
pub mod shc;
#[cfg(feature = "formats")]
pub mod vds_nc;
pub(crate) mod verdict;

use serde::Serialize;

pub use error::FormatError;

/// The format of a scanned code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub enum Format {
    /// EU Digital COVID Certificate (`HC1:`), and anything that is no known format.
    #[default]
    #[serde(rename = "dcc")]
    Dcc,
    /// SMART Health Card (`shc:/`).
    #[serde(rename = "shc")]
    Shc,
    /// ICAO Visible Digital Seal for non-constrained environments (a signed JSON).
    #[serde(rename = "vds-nc")]
    VdsNc,
}

impl Format {
    /// The id, as in JSON: `dcc`, `shc` or `vds-nc`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Dcc => "dcc",
            Format::Shc => "shc",
            Format::VdsNc => "vds-nc",
        }
    }

    /// The format's name for people.
    pub fn name(self) -> &'static str {
        match self {
            Format::Dcc => "EU Digital COVID Certificate",
            Format::Shc => "SMART Health Card",
            Format::VdsNc => "ICAO VDS-NC",
        }
    }
}

/// The format a QR text is in, from its first characters (and, for a JSON text, its header).
/// Text in no known format is [`Format::Dcc`], whose first check then says why it is not one.
pub fn detect(qr_text: &str) -> Format {
    let text = qr_text.trim_start();
    if text.len() >= 5 && text.as_bytes()[..5].eq_ignore_ascii_case(b"shc:/") {
        Format::Shc
    } else if text.starts_with('{') && is_seal(text) {
        Format::VdsNc
    } else if text.starts_with('{') && text.contains("\"verifiableCredential\"") {
        Format::Shc
    } else {
        Format::Dcc
    }
}

/// The VDS-NC seal types this verifier reads: proof of vaccination and proof of testing.
pub(crate) const SEAL_TYPES: [&str; 2] = ["icao.vacc", "icao.test"];

/// Whether the text is a VDS-NC seal of a type this verifier reads (`data.hdr.t`).
fn is_seal(text: &str) -> bool {
    if text.len() > crate::limits::MAX_VDS_NC_LEN {
        // Too long to parse for detection; the seal check then says it is too long.
        return SEAL_TYPES
            .iter()
            .any(|t| text.contains(&format!("\"{t}\"")));
    }
    serde_json::from_str::<serde_json::Value>(text).is_ok_and(|value| {
        value
            .pointer("/data/hdr/t")
            .and_then(serde_json::Value::as_str)
            .is_some_and(|t| SEAL_TYPES.contains(&t))
    })
}

/// The holder of a certificate, in every format: the name as one line, and the date of birth as
/// written (`YYYY-MM-DD`, or shorter when only part is known).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Holder {
    /// The name, as a person reads it (given names, then family names).
    pub name: Option<String>,
    /// The date of birth, as written.
    pub dob: Option<String>,
}

/// What a SMART Health Card or a VDS-NC holds, beside the holder: its issuer and its events.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HealthCard {
    /// Who issued it: the SHC issuer URL, or the VDS-NC issuing state (ICAO code).
    pub issuer: Option<String>,
    /// The issuer's name, when the trust data gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer_name: Option<String>,
    /// The certificate's identifier: VDS-NC `uvci`/`utci`, SHC revocation id `rid`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The holder's document number (VDS-NC `pid.i`: travel document).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_number: Option<String>,
    /// Vaccinations and tests, in the order of the card.
    pub events: Vec<Event>,
}

/// The kind of an [`Event`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A vaccine dose.
    Immunization,
    /// A laboratory result (a test).
    Test,
}

/// One vaccination or test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// Vaccination or test.
    pub kind: EventKind,
    /// When: `YYYY-MM-DD` (or a date-time, as written).
    pub date: Option<String>,
    /// The product or test: its name when known, else the code.
    pub name: Option<String>,
    /// The code and its system, e.g. `CVX 207`, `ICD-11 XM68M6`, `LOINC 94558-4`.
    pub code: Option<String>,
    /// Batch (lot) number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lot: Option<String>,
    /// Who administered or performed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub performer: Option<String>,
    /// Country where it took place (ICAO code), when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Dose number, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dose: Option<u32>,
    /// A test's result, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// The record's status, when not "completed"/"final" (e.g. "entered-in-error").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

#[cfg(feature = "formats")]
impl Event {
    pub(crate) fn new(kind: EventKind) -> Self {
        Event {
            kind,
            date: None,
            name: None,
            code: None,
            lot: None,
            performer: None,
            country: None,
            dose: None,
            result: None,
            status: None,
        }
    }
}

#[cfg(feature = "formats")]
/// Base64url without padding (JWS) and, leniently, with it (VDS-NC writers pad), rejecting
/// every other character.
pub(crate) fn base64url(text: &str) -> Option<Vec<u8>> {
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    use base64::Engine as _;
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::URL_SAFE,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    LENIENT.decode(text).ok()
}

/// A JSON string field of an object.
#[cfg(feature = "formats")]
pub(crate) fn str_field<'a>(value: &'a serde_json::Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(serde_json::Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_format_from_its_text() {
        assert_eq!(detect("HC1:6BF"), Format::Dcc);
        assert_eq!(detect("shc:/5676"), Format::Shc);
        assert_eq!(detect("SHC:/1/2/5676"), Format::Shc);
        assert_eq!(detect("  shc:/"), Format::Shc);
        let seal = r#"{"data":{"hdr":{"t":"icao.vacc","v":1,"is":"AUS"},"msg":{}},"sig":{}}"#;
        assert_eq!(detect(seal), Format::VdsNc);
        let test = r#"{"data":{"hdr":{"t":"icao.test","v":1,"is":"JPN"},"msg":{}},"sig":{}}"#;
        assert_eq!(detect(test), Format::VdsNc);
        for other in [
            r#"{"data":{"hdr":{"t":"icao.visa"}}}"#,
            r#"{"data":1}"#,
            "{not json",
            "https://example.com",
            "",
            "shc:",
        ] {
            assert_eq!(detect(other), Format::Dcc, "{other}");
        }
    }

    #[test]
    fn base64url_accepts_padding_and_refuses_the_standard_alphabet() {
        assert_eq!(base64url("_-8"), Some(vec![0xff, 0xef]));
        assert_eq!(base64url("_-8="), Some(vec![0xff, 0xef]));
        assert_eq!(base64url("/+8"), None);
    }
}
