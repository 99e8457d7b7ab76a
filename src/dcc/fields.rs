//! The DCC's fields, written once: the reader ([`crate::dcc::model`]) takes from this table the
//! keys it knows (everything else is kept as an extra), the schema check
//! ([`crate::dcc::schema`]) the rule each field follows, and the page its labels and how it
//! shows each value (`www/js/fields.js`, generated from [`FIELDS`] and compared with it by
//! `tests/fields.rs`).
//!
//! The order is the schemas' (ehn-dcc-schema 1.3.3): the schema check reports broken rules in
//! this order and the page lists an entry's fields in it.

/// Where a field sits in the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The payload's top level.
    Top,
    /// The holder's name (`nam`).
    Name,
    /// A vaccination entry (`v[]`).
    Vaccination,
    /// A test entry (`t[]`).
    Test,
    /// A recovery entry (`r[]`).
    Recovery,
}

impl Place {
    /// Every place, in payload order.
    pub const ALL: [Place; 5] = [
        Place::Top,
        Place::Name,
        Place::Vaccination,
        Place::Test,
        Place::Recovery,
    ];

    /// The key of the place in its parent (`nam`, `v`, `t`, `r`); empty at the top level.
    pub fn key(self) -> &'static str {
        match self {
            Place::Top => "",
            Place::Name => "nam",
            Place::Vaccination => "v",
            Place::Test => "t",
            Place::Recovery => "r",
        }
    }
}

/// What a field holds, as the schemas say it. The schema check turns this into the rule of the
/// payload's version (its lengths, its dose maximum).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    /// The schema version (`ver`), which selects the rules.
    Version,
    /// The group of name fields (`nam`).
    NameGroup,
    /// A date of birth, in the forms the version allows (`dob`).
    DateOfBirth,
    /// A list of entries (`v`, `t`, `r`); exactly one of the three is present.
    Entries,
    /// A name as issued (`fn`, `gn`), at most the version's text length.
    PrintedName,
    /// A transliterated name (`fnt`, `gnt`): `A`–`Z` and `<`, at most the version's text length.
    Transliterated,
    /// A value-set code, as text (the codes are the value-set check's business).
    Code,
    /// Free text of at most the version's text length (`is`, `ci`, `tc`).
    LimitedText,
    /// The NAA test name (`t[].nm`): text of at most the version's `nm` length.
    TestName,
    /// A country code (`co`).
    Country,
    /// A date (`format: date`).
    Date,
    /// A date and time (`format: date-time`).
    DateTime,
    /// A dose count: a whole number from 1 (`dn`, `sd`).
    Dose,
}

/// When a field must be present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// In every version.
    Required,
    /// Never.
    Optional,
    /// Before schema 1.3.0 (`t[].tc`); optional since.
    RequiredBefore1_3,
    /// Defined, and optional, only before schema 1.2.0 (`t[].dr`); not a field since.
    DefinedBefore1_2,
}

/// How the page shows a field's value (`www/js/render.js`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// In the holder's block (name, date of birth), not as a row of its own.
    Holder,
    /// As a section of its own per entry.
    Section,
    /// As written.
    Text,
    /// As written, in a fixed-width font (identifiers).
    Identifier,
    /// By the display name of its code in the page's value-set table (`www/i18n/valuesets.js`).
    Code(&'static str),
    /// By the country's name.
    Country,
    /// As a date.
    Date,
    /// As a date and time.
    DateTime,
    /// As "n of m" with the field named here as m (`dn` of `sd`).
    OutOf(&'static str),
    /// Not on its own: another field's row shows it.
    WithAnother,
}

/// One field of the DCC payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// Where it sits.
    pub place: Place,
    /// Its key, as the specification spells it.
    pub key: &'static str,
    /// What it holds.
    pub holds: Holds,
    /// When it must be present.
    pub presence: Presence,
    /// The page's label: a key of the page's translations (`www/i18n/*.js`).
    pub label: &'static str,
    /// How the page shows it.
    pub shown: Shown,
}

const fn field(
    place: Place,
    key: &'static str,
    holds: Holds,
    presence: Presence,
    label: &'static str,
    shown: Shown,
) -> Field {
    Field {
        place,
        key,
        holds,
        presence,
        label,
        shown,
    }
}

use Holds::*;
use Place::{Name, Recovery, Test, Top, Vaccination};
use Presence::{DefinedBefore1_2, Optional, Required, RequiredBefore1_3};

/// Every field of the DCC payload, versions 1.0.0 to 1.3.3.
#[rustfmt::skip]
pub const FIELDS: &[Field] = &[
    field(Top, "ver", Version, Required, "field.schemaVersion", Shown::Text),
    field(Top, "nam", NameGroup, Required, "field.name", Shown::Holder),
    field(Top, "dob", DateOfBirth, Required, "field.dob", Shown::Holder),
    field(Top, "v", Entries, Optional, "section.entry.vaccination", Shown::Section),
    field(Top, "t", Entries, Optional, "section.entry.test", Shown::Section),
    field(Top, "r", Entries, Optional, "section.entry.recovery", Shown::Section),
    field(Name, "fn", PrintedName, Optional, "field.name", Shown::Holder),
    field(Name, "fnt", Transliterated, Optional, "field.nameT", Shown::Holder),
    field(Name, "gn", PrintedName, Optional, "field.name", Shown::Holder),
    field(Name, "gnt", Transliterated, Optional, "field.nameT", Shown::Holder),
    field(Vaccination, "tg", Code, Required, "field.disease", Shown::Code("disease")),
    field(Vaccination, "vp", Code, Required, "field.vaccineType", Shown::Code("prophylaxis")),
    field(Vaccination, "mp", Code, Required, "field.vaccine", Shown::Code("product")),
    field(Vaccination, "ma", Code, Required, "field.manufacturer", Shown::Code("manufacturer")),
    field(Vaccination, "dn", Dose, Required, "field.dose", Shown::OutOf("sd")),
    field(Vaccination, "sd", Dose, Required, "field.dose", Shown::WithAnother),
    field(Vaccination, "dt", Date, Required, "field.vaccinationDate", Shown::Date),
    field(Vaccination, "co", Country, Required, "field.country", Shown::Country),
    field(Vaccination, "is", LimitedText, Required, "field.issuer", Shown::Text),
    field(Vaccination, "ci", LimitedText, Required, "field.certId", Shown::Identifier),
    field(Test, "tg", Code, Required, "field.disease", Shown::Code("disease")),
    field(Test, "tt", Code, Required, "field.testType", Shown::Code("testType")),
    field(Test, "nm", TestName, Optional, "field.testName", Shown::Text),
    field(Test, "ma", Code, Optional, "field.testDevice", Shown::Text),
    field(Test, "sc", DateTime, Required, "field.sampleTaken", Shown::DateTime),
    field(Test, "dr", DateTime, DefinedBefore1_2, "field.testResultDate", Shown::DateTime),
    field(Test, "tr", Code, Required, "field.testResult", Shown::Code("testResult")),
    field(Test, "tc", LimitedText, RequiredBefore1_3, "field.testCentre", Shown::Text),
    field(Test, "co", Country, Required, "field.country", Shown::Country),
    field(Test, "is", LimitedText, Required, "field.issuer", Shown::Text),
    field(Test, "ci", LimitedText, Required, "field.certId", Shown::Identifier),
    field(Recovery, "tg", Code, Required, "field.disease", Shown::Code("disease")),
    field(Recovery, "fr", Date, Required, "field.firstPositive", Shown::Date),
    field(Recovery, "df", Date, Required, "field.validFrom", Shown::Date),
    field(Recovery, "du", Date, Required, "field.validUntil", Shown::Date),
    field(Recovery, "co", Country, Required, "field.country", Shown::Country),
    field(Recovery, "is", LimitedText, Required, "field.issuer", Shown::Text),
    field(Recovery, "ci", LimitedText, Required, "field.certId", Shown::Identifier),
];

/// What the reader and the schema check need of a field: a row of [`FIELDS`] without the
/// page's part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    /// Where it sits.
    pub place: Place,
    /// Its key.
    pub key: &'static str,
    /// What it holds.
    pub holds: Holds,
    /// When it must be present.
    pub presence: Presence,
}

/// [`FIELDS`] without the page's labels, made at compile time: the WebAssembly module, which
/// reads only this, carries no label.
pub const SPECS: [Spec; FIELDS.len()] = {
    let mut specs = [Spec {
        place: Place::Top,
        key: "",
        holds: Holds::Version,
        presence: Presence::Required,
    }; FIELDS.len()];
    let mut index = 0;
    while index < FIELDS.len() {
        let field = &FIELDS[index];
        specs[index] = Spec {
            place: field.place,
            key: field.key,
            holds: field.holds,
            presence: field.presence,
        };
        index += 1;
    }
    specs
};

/// The fields at `place`, in order.
pub fn at(place: Place) -> impl Iterator<Item = &'static Spec> {
    SPECS.iter().filter(move |field| field.place == place)
}

/// Whether `key` is a field at `place` (in some version).
pub fn is_known(place: Place, key: &str) -> bool {
    at(place).any(|field| field.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_written_once_per_place() {
        for place in Place::ALL {
            let keys: Vec<&str> = at(place).map(|field| field.key).collect();
            let mut unique = keys.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(keys.len(), unique.len(), "{place:?}: {keys:?}");
        }
    }

    #[test]
    fn the_top_level_names_every_other_place() {
        for place in Place::ALL.into_iter().skip(1) {
            assert!(is_known(Place::Top, place.key()), "{place:?}");
        }
        assert!(!is_known(Place::Top, "x"));
        assert!(is_known(Place::Test, "dr") && !is_known(Place::Vaccination, "dr"));
    }
}
