//! The rules of the DCC JSON schema, per payload version.
//!
//! The rules of ehn-dcc-schema 1.0.0 to 1.3.3 are written out by hand rather than run through a
//! JSON-schema engine: the engine and the schema files would weigh on the WebAssembly build, and
//! hand-written rules can say what is wrong in words a traveller understands.
//!
//! What the schemas ask, and how it changed:
//!
//! | rule | 1.0.x | 1.1.0 | 1.2.x | 1.3.0–1.3.1 | 1.3.2–1.3.3 |
//! | --- | --- | --- | --- | --- | --- |
//! | `dob` | contains `YYYY-MM-DD` | `YYYY-MM-DD`, `YYYY-MM`, `YYYY` | same | + empty | same |
//! | longest `fn` `fnt` `gn` `gnt` `is` `ci` `tc` | 50 | 50 | 50 | 80 | 80 |
//! | longest `t[].nm` | — | — | — | 80 | 80 |
//! | `dn`, `sd` | 1 to 9 | 1 to 9 | 1 to 9 | 1 or more | 1 or more |
//! | `t[].tc` | required | required | required | optional | optional |
//! | `t[].dr` | defined | defined | gone | gone | gone |
//! | entries in `v`/`t`/`r` | 1 or more | 1 or more | 1 or more | exactly 1 | exactly 1 |
//! | exactly one of `v`, `t`, `r` | — | — | — | `oneOf` | `oneOf` |
//! | `nam` needs | `fnt` | `fnt` | `fnt` | `fnt` | `fnt` or `gnt` |
//!
//! In every version: `ver`, `nam` and `dob` are required; `fnt`/`gnt` match `^[A-Z<]*$`; `co`
//! matches `[A-Z]{1,10}` (unanchored, as written); value-set fields are text (their codes are the
//! value-set check's business).
//!
//! **The rules are decided as the EU's validation decides them**: python-jsonschema's
//! `Draft202012Validator` for the payload's `ver`, without a format checker. So `format`
//! (`date` for `dt`, `fr`, `df`, `du` and the 1.0.x `dob`; `date-time` for `sc`, `dr`) is an
//! annotation and never fails: a date with a time, an impossible date or any other text passes,
//! and becomes a [`Warning`] saying how it was read (`formats::read_date`: the date part as
//! written). Extra fields are allowed from every issuer, as the schemas allow them (the EU's
//! quality-assurance check that EU issuers add none is a quality check, not a verification rule);
//! each is a [`Warning`] too. An anchored pattern's `$` also matches before one final line break,
//! as in Python and Java.
//!
//! Three rules are this verifier's own ([`OwnRule`]), each with its reason:
//! - **exactly one of `v`, `t`, `r`** ([`OwnRule::OneGroup`]): the specification requires it of
//!   every certificate; schema 1.3.x says so with `oneOf`, the older schemas do not;
//! - **no control or bidirectional-override character in a printed name** (`fn`, `gn`,
//!   [`OwnRule::NameDisplay`]): one could make the name display as another name;
//! - **digits are 0–9** in `dob` ([`OwnRule::AsciiDigits`]): JSON Schema patterns are
//!   ECMA-262 regular expressions, where `\d` is 0–9; Python's `\d` also takes Arabic-Indic or
//!   full-width digits, which a clerk cannot compare with an ID card.
//!
//! `scripts/schema-oracle` compares these rules with python-jsonschema 4.26.0 on every payload in
//! `../shared/corpus` and on a generated mutation set that exercises every keyword of every
//! version, formats included; it records its last counts in `docs/conformance.json`
//! (`schemaOracle`), which README.md quotes: the schema's rules agree on every payload, and the
//! verdict is stricter only by the three rules above.

mod formats;

use serde_json::{Map, Number, Value};

use self::formats::{DateReading, DateTimeReading, DobForm};
use super::fields::{self, Holds, Place, Presence};
use super::warning::{Warning, WarningCode};
use crate::limits::MAX_SCHEMA_MESSAGES;

/// A rule this verifier adds to the schemas' (see the module documentation for the reasons).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnRule {
    /// Exactly one of `v`, `t`, `r`, in every version (1.3.x's schemas say so themselves).
    OneGroup,
    /// No control or bidirectional-override character in `fn` or `gn`.
    NameDisplay,
    /// Digits 0–9 in `dob`, as ECMA-262 reads `\d`.
    AsciiDigits,
}

impl OwnRule {
    /// A stable name: `one_group`, `name_display`, `ascii_digits`.
    pub fn as_str(self) -> &'static str {
        match self {
            OwnRule::OneGroup => "one_group",
            OwnRule::NameDisplay => "name_display",
            OwnRule::AsciiDigits => "ascii_digits",
        }
    }
}

/// What the schema check found in a payload.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SchemaCheck {
    /// Every broken rule, one plain sentence each (at most [`MAX_SCHEMA_MESSAGES`], the last
    /// saying how many more there were), then the note on an unknown version, if any.
    pub problems: Vec<String>,
    /// How many broken rules are the schema's own (the EU's validation would fail these).
    pub schema_failures: usize,
    /// Which of this verifier's own rules are broken.
    pub own_rules: Vec<OwnRule>,
    /// What is odd but allowed, and how it was read (at most [`MAX_SCHEMA_MESSAGES`]).
    pub warnings: Vec<Warning>,
}

impl SchemaCheck {
    /// Whether the payload passes every rule, the schema's and this verifier's.
    pub fn passed(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The rules of one schema version that differ between versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rules {
    /// The version, as `ver` spells it.
    version: &'static str,
    /// The allowed forms of `dob`.
    dob: DobForm,
    /// The `maxLength` of `fn`, `fnt`, `gn`, `gnt`, `is`, `ci` and `tc`.
    text_max: usize,
    /// The `maxLength` of `t[].nm`, when there is one.
    nm_max: Option<usize>,
    /// The `maximum` of `dn` and `sd`, when there is one.
    dose_max: Option<u64>,
    /// Whether `t[].tc` is required.
    tc_required: bool,
    /// Whether `t[].dr` is defined (as a date-time).
    dr_defined: bool,
    /// Whether `v`, `t` and `r` hold at most one entry (`maxItems: 1`).
    one_entry_only: bool,
    /// Whether `nam` may have `gnt` instead of `fnt`.
    fnt_or_gnt: bool,
}

const V1_0: Rules = Rules {
    version: "1.0.0",
    dob: DobForm::FullDate,
    text_max: 50,
    nm_max: None,
    dose_max: Some(9),
    tc_required: true,
    dr_defined: true,
    one_entry_only: false,
    fnt_or_gnt: false,
};
const V1_1: Rules = Rules {
    version: "1.1.0",
    dob: DobForm::Partial,
    ..V1_0
};
const V1_2: Rules = Rules {
    version: "1.2.0",
    dr_defined: false,
    ..V1_1
};
const V1_3: Rules = Rules {
    version: "1.3.0",
    dob: DobForm::PartialOrEmpty,
    text_max: 80,
    nm_max: Some(80),
    dose_max: None,
    tc_required: false,
    one_entry_only: true,
    ..V1_2
};
const V1_3_2: Rules = Rules {
    version: "1.3.2",
    fnt_or_gnt: true,
    ..V1_3
};

/// Every published version, oldest first. (1.0.1 only turned `tt` into a value-set reference,
/// 1.2.1 and 1.3.1 changed descriptions: their rules are their predecessors'.)
const KNOWN: [Rules; 9] = [
    V1_0,
    Rules {
        version: "1.0.1",
        ..V1_0
    },
    V1_1,
    V1_2,
    Rules {
        version: "1.2.1",
        ..V1_2
    },
    V1_3,
    Rules {
        version: "1.3.1",
        ..V1_3
    },
    V1_3_2,
    Rules {
        version: "1.3.3",
        ..V1_3_2
    },
];

/// The newest rules known.
const NEWEST: Rules = KNOWN[KNOWN.len() - 1];

/// Checks a payload (the DCC JSON, as decoded from CBOR) against the rules of the schema of its
/// `ver`, and that it holds exactly one of `v`, `t`, `r`: the broken rules as sentences, or
/// `Ok` ([`check`] also says what is odd).
pub fn validate(payload: &Value) -> Result<(), Vec<String>> {
    let found = check(payload);
    if found.problems.is_empty() {
        Ok(())
    } else {
        Err(found.problems)
    }
}

/// Checks a payload against the rules of the schema of its `ver` and this verifier's own rules,
/// and says what is odd.
///
/// An unknown `1.x.y` is checked against the newest rules of its minor line (or the newest of all
/// for a newer minor), and the messages say so when something fails. A missing or ill-formed
/// `ver`, or another major version, is itself a failure; the rest is then checked against the
/// newest rules. Every broken rule is one plain sentence naming the field
/// (`v[0].dn: 0 is too small (at least 1)`); at most [`MAX_SCHEMA_MESSAGES`] of them, the last
/// saying how many more there were.
pub fn check(payload: &Value) -> SchemaCheck {
    let mut out = Messages::default();
    let Some(top) = payload.as_object() else {
        out.push(format!(
            "the certificate data is not a group of named fields (found {})",
            describe(payload)
        ));
        return out.finish(None);
    };
    let (rules, fallback_note) = select_rules(top.get("ver"), &mut out);
    check_top(top, &rules, &mut out);
    out.finish(fallback_note)
}

/// Chooses the rules for `ver`, reporting a missing or unusable `ver`. The note, when there is
/// one, says which rules stood in for the unknown version.
fn select_rules(ver: Option<&Value>, out: &mut Messages) -> (Rules, Option<String>) {
    let newest_note = || {
        Some(format!(
            "(the certificate was checked against the rules of schema {}, the newest this verifier knows)",
            NEWEST.version
        ))
    };
    let text = match ver {
        None => {
            out.push("ver is missing".into());
            return (NEWEST, newest_note());
        }
        Some(Value::String(text)) => text,
        Some(other) => {
            out.push(format!(
                "ver: expected text such as \"1.3.0\", found {}",
                describe(other)
            ));
            return (NEWEST, newest_note());
        }
    };
    if let Some(rules) = KNOWN.iter().find(|rules| rules.version == text) {
        return (*rules, None);
    }
    let Some((major, minor, _)) = formats::schema_version(text) else {
        out.push(format!(
            "ver: {} is not a schema version (three numbers, such as 1.3.0)",
            show(text)
        ));
        return (NEWEST, newest_note());
    };
    if major != 1 {
        out.push(format!(
            "ver: schema version {} is unknown to this verifier, which reads 1.0.0 to {}",
            show(text),
            NEWEST.version
        ));
        return (NEWEST, newest_note());
    }
    let line = format!("1.{minor}.");
    match KNOWN
        .iter()
        .rev()
        .find(|rules| rules.version.starts_with(&line))
    {
        Some(rules) => {
            let note = format!(
                "(schema version {} is unknown to this verifier; the certificate was checked against the rules of {}, the newest of 1.{minor}.x)",
                show(text),
                rules.version
            );
            (*rules, Some(note))
        }
        None => {
            let note = format!(
                "(schema version {} is unknown to this verifier; the certificate was checked against the rules of {}, the newest it knows)",
                show(text),
                NEWEST.version
            );
            (NEWEST, Some(note))
        }
    }
}

/// The certificate groups, and what their entries are called in a message.
const GROUPS: [(Place, &str); 3] = [
    (Place::Vaccination, "vaccination"),
    (Place::Test, "test"),
    (Place::Recovery, "recovery"),
];

fn check_top(top: &Map<String, Value>, rules: &Rules, out: &mut Messages) {
    match top.get("nam") {
        None => out.push("nam is missing".into()),
        Some(Value::Object(name)) => check_name(name, rules, out),
        Some(other) => out.push(format!(
            "nam: expected a group of name fields, found {}",
            describe(other)
        )),
    }
    match top.get("dob") {
        None => out.push("dob is missing".into()),
        Some(Value::String(dob)) => {
            if rules.dob.fits(dob) {
                date_warning("dob", formats::read_dob(dob), dob, out);
            } else {
                let message = format!(
                    "dob: {} is not a date of birth ({})",
                    show(dob),
                    rules.dob.describe()
                );
                if rules.dob.fits_with_other_digits(dob) {
                    out.push_own(OwnRule::AsciiDigits, message);
                } else {
                    out.push(message);
                }
            }
        }
        Some(other) => out.push(format!("dob: expected text, found {}", describe(other))),
    }

    let present: Vec<&str> = GROUPS
        .iter()
        .map(|(place, _)| place.key())
        .filter(|key| top.contains_key(*key))
        .collect();
    let message = match present.len() {
        0 => Some(
            "the certificate holds no vaccination (v), test (t) or recovery (r); it needs exactly one"
                .to_owned(),
        ),
        1 => None,
        _ => Some(format!(
            "the certificate holds more than one of vaccination (v), test (t) and recovery (r): {}; only one is allowed",
            present.join(", ")
        )),
    };
    match message {
        // 1.3.x's `oneOf`; before it, the specification's rule and ours.
        Some(message) if rules.one_entry_only => out.push(message),
        Some(message) => out.push_own(OwnRule::OneGroup, message),
        None => {}
    }
    for (place, kind) in GROUPS {
        if let Some(group) = top.get(place.key()) {
            check_group(place, kind, group, rules, out);
        }
    }
    let known: Vec<&str> = fields::at(Place::Top).map(|field| field.key).collect();
    unknown_fields("", top, &known, out);
}

/// Warns of every field of `object` that is not in `known`.
fn unknown_fields(parent: &str, object: &Map<String, Value>, known: &[&str], out: &mut Messages) {
    for (key, value) in object {
        if !known.contains(&key.as_str()) {
            // In words, not as JSON: a JSON serialiser would weigh on the wasm.
            let found = match value {
                Value::String(text) => text.clone(),
                other => describe(other),
            };
            out.warn(Warning::new(
                &format!("{parent}{key}"),
                WarningCode::UnknownField,
                &found,
                None,
            ));
        }
    }
}

/// Warns when a date field (or `dob`) holds something else than a date.
fn date_warning(path: &str, reading: DateReading<'_>, text: &str, out: &mut Messages) {
    let (code, read_as) = match reading {
        DateReading::Date => return,
        DateReading::WithTime(date) => (WarningCode::DateWithTime, Some(date)),
        DateReading::WithExtra(date) => (WarningCode::DateWithExtraText, Some(date)),
        DateReading::Impossible => (WarningCode::ImpossibleDate, None),
        DateReading::NotADate => (WarningCode::NotADate, None),
    };
    out.warn(Warning::new(path, code, text, read_as));
}

/// Warns when a date-time field holds something else than an RFC 3339 date-time.
fn date_time_warning(path: &str, text: &str, out: &mut Messages) {
    let (code, read_as) = match formats::read_date_time(text) {
        DateTimeReading::DateTime => return,
        DateTimeReading::WithoutZone => (WarningCode::DateTimeWithoutZone, None),
        DateTimeReading::DateOnly(date) => (WarningCode::DateTimeWithoutTime, Some(date)),
        DateTimeReading::Impossible => (WarningCode::ImpossibleDate, None),
        DateTimeReading::Other(date) => (WarningCode::NotADateTime, date),
    };
    out.warn(Warning::new(path, code, text, read_as));
}

fn check_name(name: &Map<String, Value>, rules: &Rules, out: &mut Messages) {
    let has = |key: &str| name.contains_key(key);
    if rules.fnt_or_gnt {
        if !has("fnt") && !has("gnt") {
            out.push(
                "nam: neither fnt nor gnt is present; a standardised surname or forename is needed"
                    .into(),
            );
        }
    } else if !has("fnt") {
        out.push("nam.fnt is missing".into());
    }
    let fields = rules_at(Place::Name, rules);
    check_fields("nam", name, &fields, out);
    let known: Vec<&str> = fields.iter().map(|field| field.key).collect();
    unknown_fields("nam.", name, &known, out);
}

fn check_group(place: Place, kind: &str, group: &Value, rules: &Rules, out: &mut Messages) {
    let key = place.key();
    let Value::Array(entries) = group else {
        out.push(format!(
            "{key}: expected a list of {kind} entries, found {}",
            describe(group)
        ));
        return;
    };
    if entries.is_empty() {
        out.push(format!("{key}: the list of {kind} entries is empty"));
    } else if rules.one_entry_only && entries.len() > 1 {
        out.push(format!(
            "{key}: {} {kind} entries, but schema {} allows only one per certificate",
            entries.len(),
            rules.version
        ));
    }
    let fields = rules_at(place, rules);
    for (index, entry) in entries.iter().enumerate() {
        let path = format!("{key}[{index}]");
        match entry {
            Value::Object(entry) => {
                check_fields(&path, entry, &fields, out);
                let known: Vec<&str> = fields.iter().map(|field| field.key).collect();
                unknown_fields(&format!("{path}."), entry, &known, out);
            }
            other => out.push(format!(
                "{path}: expected a group of {kind} fields, found {}",
                describe(other)
            )),
        }
    }
}

/// The rules of the fields at `place` (the name, or an entry of `v`, `t` or `r`) under these
/// rules, in the table's order ([`fields::FIELDS`]).
fn rules_at(place: Place, rules: &Rules) -> Vec<Field> {
    fields::at(place)
        .filter_map(|field| rule_of(field, rules))
        .collect()
}

/// The rule `field` follows under these rules; `None` when the version does not define it, or
/// when [`check_top`] checks it itself.
fn rule_of(field: &fields::Spec, rules: &Rules) -> Option<Field> {
    let required = match field.presence {
        Presence::Required => true,
        Presence::Optional => false,
        Presence::RequiredBefore1_3 => rules.tc_required,
        Presence::DefinedBefore1_2 if rules.dr_defined => false,
        Presence::DefinedBefore1_2 => return None,
    };
    let kind = match field.holds {
        Holds::PrintedName => Kind::Name {
            max: rules.text_max,
        },
        Holds::Transliterated => Kind::Transliterated {
            max: rules.text_max,
        },
        Holds::Code => Kind::Text { max: None },
        Holds::LimitedText => Kind::Text {
            max: Some(rules.text_max),
        },
        Holds::TestName => Kind::Text { max: rules.nm_max },
        Holds::Country => Kind::Country,
        Holds::Date => Kind::Date,
        Holds::DateTime => Kind::DateTime,
        Holds::Dose => Kind::Dose {
            max: rules.dose_max,
        },
        Holds::Version | Holds::NameGroup | Holds::DateOfBirth | Holds::Entries => return None,
    };
    Some(Field {
        key: field.key,
        kind,
        required,
    })
}

/// What a field must hold.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// Text, at most `max` characters.
    Text { max: Option<usize> },
    /// A printed name (`fn`, `gn`): text, at most `max` characters, and, by this verifier's own
    /// rule, no control or bidirectional-override character ([`formats::display_control`]).
    Name { max: usize },
    /// A transliterated name: `A`–`Z` and `<`, at most `max` characters.
    Transliterated { max: usize },
    /// A country: text with a capital letter.
    Country,
    /// An RFC 3339 full date.
    Date,
    /// An RFC 3339 date-time.
    DateTime,
    /// A dose count: a whole number from 1, at most `max`.
    Dose { max: Option<u64> },
}

/// One field of an object and its rule.
#[derive(Debug, Clone, Copy)]
struct Field {
    key: &'static str,
    kind: Kind,
    required: bool,
}

fn check_fields(parent: &str, object: &Map<String, Value>, fields: &[Field], out: &mut Messages) {
    for field in fields {
        let path = format!("{parent}.{}", field.key);
        match object.get(field.key) {
            None if field.required => out.push(format!("{path} is missing")),
            None => {}
            Some(value) => check_value(&path, value, field.kind, out),
        }
    }
}

fn check_value(path: &str, value: &Value, kind: Kind, out: &mut Messages) {
    if let Kind::Dose { max } = kind {
        match value {
            Value::Number(number) => check_dose(path, number, max, out),
            other => out.push(format!(
                "{path}: expected a whole number, found {}",
                describe(other)
            )),
        }
        return;
    }
    let Value::String(text) = value else {
        out.push(format!("{path}: expected text, found {}", describe(value)));
        return;
    };
    match kind {
        Kind::Text { max } => check_length(path, text, max, out),
        Kind::Name { max } => {
            if let Some(control) = formats::display_control(text) {
                out.push_own(OwnRule::NameDisplay, format!(
                    "{path}: {} holds the invisible control character U+{:04X}, which can make a name display differently from what was signed",
                    show(text),
                    u32::from(control)
                ));
            }
            check_length(path, text, Some(max), out);
        }
        Kind::Transliterated { max } => {
            if !formats::is_transliterated(text) {
                out.push(format!(
                    "{path}: {} may hold only the capital letters A to Z and <",
                    show(text)
                ));
            }
            check_length(path, text, Some(max), out);
        }
        Kind::Country => {
            if !formats::has_capital_letter(text) {
                out.push(format!(
                    "{path}: {} is not a country code (capital letters, such as DE)",
                    show(text)
                ));
            }
        }
        // `format` is an annotation: never a failure, a warning when odd.
        Kind::Date => date_warning(path, formats::read_date(text), text, out),
        Kind::DateTime => date_time_warning(path, text, out),
        Kind::Dose { .. } => {}
    }
}

fn check_length(path: &str, text: &str, max: Option<usize>, out: &mut Messages) {
    let Some(max) = max else { return };
    let length = text.chars().count();
    if length > max {
        out.push(format!(
            "{path}: too long ({length} characters; at most {max} are allowed)"
        ));
    }
}

/// `type: integer` (a number whose fraction is zero, as JSON Schema defines it), `minimum: 1`,
/// and the version's `maximum`.
fn check_dose(path: &str, number: &Number, max: Option<u64>, out: &mut Messages) {
    let value = match (number.as_u64(), number.as_i64(), number.as_f64()) {
        (Some(whole), _, _) => Some(whole),
        (None, Some(_negative), _) => None,
        // A whole float: `as` saturates, and anything beyond u64 is above every maximum anyway.
        (None, None, Some(float)) if float.is_finite() && float.fract() == 0.0 => {
            (float >= 1.0).then_some(float as u64)
        }
        _ => {
            out.push(format!("{path}: {number} is not a whole number"));
            return;
        }
    };
    match (value, max) {
        (None | Some(0), _) => out.push(format!("{path}: {number} is too small (at least 1)")),
        (Some(value), Some(max)) if value > max => out.push(format!(
            "{path}: {number} is too large (at most {max} in this schema version)"
        )),
        _ => {}
    }
}

/// A value's kind, and the value itself when it is short, for a message (the reader's
/// messages, [`crate::dcc::model`], use the same words).
pub(crate) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "nothing (null)".into(),
        Value::Bool(flag) => format!("{flag} (a yes/no value)"),
        Value::Number(number) => format!("the number {number}"),
        Value::String(text) => format!("the text {}", show(text)),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a group of fields".into(),
    }
}

/// Longest piece of a value quoted in a message, in characters.
const SHOWN_CHARS: usize = 40;

/// Quotes text for a message: escaped, and cut to [`SHOWN_CHARS`] characters.
fn show(text: &str) -> String {
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((cut, _)) => format!("{:?}…", text.get(..cut).unwrap_or_default()),
        None => format!("{text:?}"),
    }
}

/// The broken rules found so far, at most [`MAX_SCHEMA_MESSAGES`] of them, and the warnings.
#[derive(Default)]
struct Messages {
    kept: Vec<String>,
    dropped: usize,
    schema_failures: usize,
    own_rules: Vec<OwnRule>,
    warnings: Vec<Warning>,
}

impl Messages {
    /// A broken rule of the schema.
    fn push(&mut self, message: String) {
        self.schema_failures += 1;
        self.keep(message);
    }

    /// A broken rule of this verifier's own.
    fn push_own(&mut self, rule: OwnRule, message: String) {
        if !self.own_rules.contains(&rule) {
            self.own_rules.push(rule);
        }
        self.keep(message);
    }

    fn keep(&mut self, message: String) {
        if self.kept.len() >= MAX_SCHEMA_MESSAGES {
            self.dropped += 1;
        } else {
            self.kept.push(message);
        }
    }

    fn warn(&mut self, warning: Warning) {
        if self.warnings.len() < MAX_SCHEMA_MESSAGES {
            self.warnings.push(warning);
        }
    }

    fn finish(mut self, note: Option<String>) -> SchemaCheck {
        if !self.kept.is_empty() {
            if self.dropped > 0 {
                self.kept.push(format!("… and {} more", self.dropped));
            }
            self.kept.extend(note);
        }
        SchemaCheck {
            problems: self.kept,
            schema_failures: self.schema_failures,
            own_rules: self.own_rules,
            warnings: self.warnings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A valid 1.3.0 vaccination payload.
    fn vaccination() -> Value {
        json!({
            "ver": "1.3.0",
            "nam": {"fn": "Nguyễn", "fnt": "NGUYEN", "gn": "Bảo Duy", "gnt": "BAO<DUY"},
            "dob": "1990-01-01",
            "v": [{
                "tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528",
                "ma": "ORG-100030215", "dn": 2, "sd": 2, "dt": "2021-06-01",
                "co": "VN", "is": "Ministry of Health", "ci": "URN:UVCI:01:VN:ABC#X"
            }]
        })
    }

    fn test() -> Value {
        json!({
            "ver": "1.3.0",
            "nam": {"fnt": "NGUYEN"},
            "dob": "1990",
            "t": [{
                "tg": "840539006", "tt": "LP6464-4", "nm": "Roche LightCycler",
                "sc": "2021-05-03T10:27:15Z", "tr": "260415000", "tc": "Test centre",
                "co": "DE", "is": "RKI", "ci": "URN:UVCI:01:DE:T1"
            }]
        })
    }

    fn recovery() -> Value {
        json!({
            "ver": "1.3.0",
            "nam": {"fnt": "NGUYEN"},
            "dob": "",
            "r": [{
                "tg": "840539006", "fr": "2021-04-01", "df": "2021-04-20", "du": "2021-10-01",
                "co": "AT", "is": "BMSGPK", "ci": "URN:UVCI:01:AT:R1"
            }]
        })
    }

    /// Sets `pointer` (a JSON pointer) in `base`, or removes it when `value` is `None`.
    fn with(mut base: Value, pointer: &str, value: Option<Value>) -> Value {
        let (parent, key) = pointer.rsplit_once('/').expect("pointer with a slash");
        let parent = base.pointer_mut(parent).expect("parent exists");
        match (parent, value) {
            (Value::Object(map), Some(value)) => {
                map.insert(key.to_owned(), value);
            }
            (Value::Object(map), None) => {
                map.remove(key);
            }
            (Value::Array(items), value) => {
                let index: usize = key.parse().expect("index");
                match value {
                    Some(value) if index < items.len() => items[index] = value,
                    Some(value) => items.push(value),
                    None => {
                        items.remove(index);
                    }
                }
            }
            _ => panic!("bad pointer {pointer}"),
        }
        base
    }

    fn set(base: Value, pointer: &str, value: Value) -> Value {
        with(base, pointer, Some(value))
    }

    fn del(base: Value, pointer: &str) -> Value {
        with(base, pointer, None)
    }

    fn ver(base: Value, version: &str) -> Value {
        set(base, "/ver", json!(version))
    }

    #[test]
    fn valid_payloads_pass_under_every_version_they_fit() {
        for version in ["1.3.0", "1.3.1", "1.3.2", "1.3.3"] {
            for payload in [vaccination(), test(), recovery()] {
                assert_eq!(validate(&ver(payload, version)), Ok(()), "{version}");
            }
        }
        // Older versions: full dob, 50-character limits, tc required.
        for version in ["1.0.0", "1.0.1", "1.1.0", "1.2.0", "1.2.1"] {
            assert_eq!(validate(&ver(vaccination(), version)), Ok(()), "{version}");
            let t = set(ver(test(), version), "/dob", json!("1990-01-01"));
            assert_eq!(validate(&t), Ok(()), "{version}");
            let r = set(ver(recovery(), version), "/dob", json!("1990-01-01"));
            assert_eq!(validate(&r), Ok(()), "{version}");
        }
    }

    #[test]
    fn extra_fields_are_allowed() {
        let payload = set(vaccination(), "/extension", json!({"a": 1}));
        let payload = set(payload, "/v/0/xx", json!(null));
        let payload = set(payload, "/nam/zz", json!([1, 2]));
        assert_eq!(validate(&payload), Ok(()));
        // dr is not a field of 1.2.0 and later: anything goes there.
        let payload = set(ver(test(), "1.2.1"), "/t/0/dr", json!(5));
        let payload = set(payload, "/dob", json!("1990-01-01"));
        assert_eq!(validate(&payload), Ok(()));
    }

    /// Each broken payload, and a piece of the message it must produce.
    #[test]
    fn broken_rules_are_named() {
        let long = |n: usize| json!("A".repeat(n));
        let cases: Vec<(Value, &str)> = vec![
            // Top level.
            (json!([]), "not a group of named fields (found a list)"),
            (del(vaccination(), "/ver"), "ver is missing"),
            (del(vaccination(), "/nam"), "nam is missing"),
            (del(vaccination(), "/dob"), "dob is missing"),
            (set(vaccination(), "/ver", json!(1.3)), "ver: expected text such as \"1.3.0\", found the number 1.3"),
            (ver(vaccination(), "1.3"), "ver: \"1.3\" is not a schema version"),
            (ver(vaccination(), "1.3.0-rc1"), "ver: \"1.3.0-rc1\" is not a schema version"),
            (ver(vaccination(), "2.0.0"), "ver: schema version \"2.0.0\" is unknown"),
            (set(vaccination(), "/nam", json!("NGUYEN")), "nam: expected a group of name fields, found the text \"NGUYEN\""),
            (set(vaccination(), "/dob", json!(1990)), "dob: expected text, found the number 1990"),
            // dob per version.
            (set(vaccination(), "/dob", json!("1899")), "dob: \"1899\" is not a date of birth (YYYY-MM-DD, YYYY-MM, YYYY (a year from 1900 to 2099) or empty)"),
            (set(vaccination(), "/dob", json!("1990-01-01T00:00:00")), "dob: \"1990-01-01T00:00:00\" is not a date of birth"),
            (set(ver(vaccination(), "1.2.1"), "/dob", json!("")), "dob: \"\" is not a date of birth (YYYY-MM-DD, YYYY-MM or YYYY"),
            (set(ver(vaccination(), "1.0.0"), "/dob", json!("1990-05")), "dob: \"1990-05\" is not a date of birth (YYYY-MM-DD, a year"),
            // Groups.
            (del(vaccination(), "/v"), "holds no vaccination (v), test (t) or recovery (r)"),
            (set(vaccination(), "/t", test()["t"].clone()), "more than one of vaccination (v), test (t) and recovery (r): v, t;"),
            (set(vaccination(), "/r", json!(null)), "more than one of vaccination (v), test (t) and recovery (r): v, r;"),
            (set(vaccination(), "/v", json!([])), "v: the list of vaccination entries is empty"),
            (set(vaccination(), "/v", json!({})), "v: expected a list of vaccination entries, found a group of fields"),
            (set(vaccination(), "/v/1", vaccination()["v"][0].clone()), "v: 2 vaccination entries, but schema 1.3.0 allows only one"),
            (set(vaccination(), "/v/0", json!("x")), "v[0]: expected a group of vaccination fields, found the text \"x\""),
            // Names.
            (del(vaccination(), "/nam/fnt"), "nam.fnt is missing"),
            (del(del(ver(vaccination(), "1.3.2"), "/nam/fnt"), "/nam/gnt"), "nam: neither fnt nor gnt is present"),
            (set(vaccination(), "/nam/fnt", json!("Nguyễn")), "nam.fnt: \"Nguyễn\" may hold only the capital letters A to Z and <"),
            (set(vaccination(), "/nam/gnt", json!("BAO DUY")), "nam.gnt: \"BAO DUY\" may hold only"),
            (set(vaccination(), "/nam/fnt", long(81)), "nam.fnt: too long (81 characters; at most 80 are allowed)"),
            (set(vaccination(), "/nam/gn", json!("é".repeat(81))), "nam.gn: too long (81 characters; at most 80"),
            (set(ver(vaccination(), "1.2.1"), "/nam/fn", long(51)), "nam.fn: too long (51 characters; at most 50"),
            (set(vaccination(), "/nam/fn", json!(null)), "nam.fn: expected text, found nothing (null)"),
            // This verifier's own rule: nothing that can change how a printed name displays.
            (set(vaccination(), "/nam/fn", json!("Tran\u{202E}nimdA")), "nam.fn: \"Tran\\u{202e}nimdA\" holds the invisible control character U+202E"),
            (set(vaccination(), "/nam/gn", json!("\u{2067}Mai")), "nam.gn: \"\\u{2067}Mai\" holds the invisible control character U+2067"),
            (set(vaccination(), "/nam/gn", json!("Thi\u{0}Mai")), "nam.gn: \"Thi\\0Mai\" holds the invisible control character U+0000"),
            // Vaccination entries.
            (del(vaccination(), "/v/0/dn"), "v[0].dn is missing"),
            (del(vaccination(), "/v/0/ci"), "v[0].ci is missing"),
            (set(vaccination(), "/v/0/dn", json!(0)), "v[0].dn: 0 is too small (at least 1)"),
            (set(vaccination(), "/v/0/sd", json!(-1)), "v[0].sd: -1 is too small (at least 1)"),
            (set(vaccination(), "/v/0/dn", json!(1.5)), "v[0].dn: 1.5 is not a whole number"),
            (set(vaccination(), "/v/0/dn", json!("2")), "v[0].dn: expected a whole number, found the text \"2\""),
            (set(ver(vaccination(), "1.2.1"), "/v/0/sd", json!(10)), "v[0].sd: 10 is too large (at most 9 in this schema version)"),
            (set(vaccination(), "/v/0/co", json!("vn")), "v[0].co: \"vn\" is not a country code"),
            (set(vaccination(), "/v/0/co", json!(84)), "v[0].co: expected text, found the number 84"),
            (set(vaccination(), "/v/0/tg", json!(840539006)), "v[0].tg: expected text, found the number 840539006"),
            (set(vaccination(), "/v/0/is", long(81)), "v[0].is: too long (81 characters"),
            (set(vaccination(), "/v/0/ci", long(81)), "v[0].ci: too long (81 characters"),
            (set(ver(vaccination(), "1.0.0"), "/v/0/ci", long(51)), "v[0].ci: too long (51 characters; at most 50"),
            // Test entries.
            (del(test(), "/t/0/sc"), "t[0].sc is missing"),
            (del(ver(set(test(), "/dob", json!("1990-01-01")), "1.2.1"), "/t/0/tc"), "t[0].tc is missing"),
            (set(test(), "/t/0/nm", long(81)), "t[0].nm: too long (81 characters; at most 80"),
            (set(test(), "/t/0/tc", long(81)), "t[0].tc: too long (81 characters; at most 80"),
            (set(test(), "/t/0/tt", json!(null)), "t[0].tt: expected text, found nothing (null)"),
            (set(test(), "/t/0/ma", json!(true)), "t[0].ma: expected text, found true (a yes/no value)"),
            // Recovery entries.
            (del(recovery(), "/r/0/du"), "r[0].du is missing"),
            (set(recovery(), "/r/0/co", json!("")), "r[0].co: \"\" is not a country code"),
        ];
        for (payload, fragment) in cases {
            let messages = validate(&payload).expect_err(fragment);
            assert!(
                messages.iter().any(|message| message.contains(fragment)),
                "expected {fragment:?} in {messages:#?}"
            );
        }
    }

    /// `format` is an annotation (the EU's validation runs without a format checker): what real
    /// issuers write in date fields passes, and becomes a warning saying how it was read.
    #[test]
    fn format_oddities_are_warnings_not_failures() {
        use WarningCode::*;
        let d10 = |v: &Value| set(v.clone(), "/dob", json!("1990-01-01"));
        let cases: Vec<(Value, &str, WarningCode, Option<&str>)> = vec![
            (
                set(vaccination(), "/v/0/dt", json!("2021-05-18T08:10:00+02:00")),
                "v[0].dt",
                DateWithTime,
                Some("2021-05-18"),
            ),
            (
                set(vaccination(), "/v/0/dt", json!("2022-01-17T05:00:00Z")),
                "v[0].dt",
                DateWithTime,
                Some("2022-01-17"),
            ),
            (
                set(vaccination(), "/v/0/dt", json!("2021-06-01T00:00:00")),
                "v[0].dt",
                DateWithTime,
                Some("2021-06-01"),
            ),
            (
                set(vaccination(), "/v/0/dt", json!("2021-06-01 08:00")),
                "v[0].dt",
                DateWithTime,
                Some("2021-06-01"),
            ),
            (
                set(recovery(), "/r/0/fr", json!("2022-01-01T00:00:00.000Z")),
                "r[0].fr",
                DateWithTime,
                Some("2022-01-01"),
            ),
            (
                set(recovery(), "/r/0/du", json!("2022-01-01\n")),
                "r[0].du",
                DateWithExtraText,
                Some("2022-01-01"),
            ),
            (
                set(vaccination(), "/v/0/dt", json!("2022-17-01")),
                "v[0].dt",
                ImpossibleDate,
                None,
            ),
            (
                set(recovery(), "/r/0/fr", json!("2021-04-31")),
                "r[0].fr",
                ImpossibleDate,
                None,
            ),
            (
                set(recovery(), "/r/0/df", json!("01.04.2021")),
                "r[0].df",
                NotADate,
                None,
            ),
            (
                set(recovery(), "/r/0/df", json!("")),
                "r[0].df",
                NotADate,
                None,
            ),
            (
                set(test(), "/t/0/sc", json!("2021-05-03T10:27:15")),
                "t[0].sc",
                DateTimeWithoutZone,
                None,
            ),
            (
                set(test(), "/t/0/sc", json!("2021-05-03")),
                "t[0].sc",
                DateTimeWithoutTime,
                Some("2021-05-03"),
            ),
            (
                set(test(), "/t/0/sc", json!("2021-05-03 10:27:15Z")),
                "t[0].sc",
                NotADateTime,
                Some("2021-05-03"),
            ),
            (
                set(test(), "/t/0/sc", json!("2021-02-30T10:00:00Z")),
                "t[0].sc",
                ImpossibleDate,
                None,
            ),
            (
                set(test(), "/t/0/sc", json!("soon")),
                "t[0].sc",
                NotADateTime,
                None,
            ),
            (
                set(ver(d10(&test()), "1.1.0"), "/t/0/dr", json!("2021-05-03")),
                "t[0].dr",
                DateTimeWithoutTime,
                Some("2021-05-03"),
            ),
            // dob: 1.0.x asks only that a YYYY-MM-DD occurs in it; 1.1 on, any two digits.
            (
                set(ver(vaccination(), "1.0.0"), "/dob", json!("1990-02-30")),
                "dob",
                ImpossibleDate,
                None,
            ),
            (
                set(
                    ver(vaccination(), "1.0.0"),
                    "/dob",
                    json!("1990-01-01T00:00:00"),
                ),
                "dob",
                DateWithTime,
                Some("1990-01-01"),
            ),
            (
                set(
                    ver(vaccination(), "1.0.0"),
                    "/dob",
                    json!("born 1990-01-01"),
                ),
                "dob",
                NotADate,
                None,
            ),
            (
                set(vaccination(), "/dob", json!("1979-13-45")),
                "dob",
                ImpossibleDate,
                None,
            ),
            (
                set(vaccination(), "/dob", json!("1979-13")),
                "dob",
                ImpossibleDate,
                None,
            ),
            (
                set(vaccination(), "/dob", json!("1979-04-14\n")),
                "dob",
                DateWithExtraText,
                Some("1979-04-14"),
            ),
            // Fields the schema does not define.
            (
                set(vaccination(), "/v/0/lot", json!("FK1234")),
                "v[0].lot",
                UnknownField,
                None,
            ),
            (
                set(vaccination(), "/nam/zz", json!([1, 2])),
                "nam.zz",
                UnknownField,
                None,
            ),
            (
                set(vaccination(), "/extension", json!({"a": 1})),
                "extension",
                UnknownField,
                None,
            ),
            (
                set(d10(&ver(test(), "1.2.1")), "/t/0/dr", json!(5)),
                "t[0].dr",
                UnknownField,
                None,
            ),
        ];
        for (payload, field, code, read_as) in cases {
            let found = check(&payload);
            assert!(found.passed(), "{payload}: {:?}", found.problems);
            let [warning] = found.warnings.as_slice() else {
                panic!("{payload}: {:?}", found.warnings)
            };
            assert_eq!(
                (warning.field.as_str(), warning.code),
                (field, code),
                "{payload}"
            );
            assert_eq!(warning.read_as.as_deref(), read_as, "{payload}");
        }
        assert!(check(&vaccination()).warnings.is_empty());
        assert!(check(&test()).warnings.is_empty());
        assert!(check(&recovery()).warnings.is_empty());
    }

    /// The three rules that are this verifier's own are labelled so: the schema alone (the EU's
    /// validation) would pass these payloads.
    #[test]
    fn own_rules_are_told_apart_from_the_schemas() {
        let d10 = |v: Value| set(v, "/dob", json!("1990-01-01"));
        let cases: Vec<(Value, OwnRule)> = vec![
            (
                set(d10(ver(vaccination(), "1.2.1")), "/t", test()["t"].clone()),
                OwnRule::OneGroup,
            ),
            (
                del(d10(ver(vaccination(), "1.0.0")), "/v"),
                OwnRule::OneGroup,
            ),
            (
                set(vaccination(), "/nam/fn", json!("Tran\u{202E}nimdA")),
                OwnRule::NameDisplay,
            ),
            // `(19|20)` is literal in every engine; only the `\d` after it differs.
            (
                set(vaccination(), "/dob", json!("19٩٠-٠١-٠١")),
                OwnRule::AsciiDigits,
            ),
            (
                set(vaccination(), "/dob", json!("20２０")),
                OwnRule::AsciiDigits,
            ),
        ];
        for (payload, rule) in cases {
            let found = check(&payload);
            assert!(!found.passed(), "{payload}");
            assert_eq!(found.schema_failures, 0, "{payload}: {:?}", found.problems);
            assert_eq!(found.own_rules, vec![rule], "{payload}");
        }
        let arabic = check(&set(vaccination(), "/dob", json!("١٩٩٠")));
        assert_eq!((arabic.schema_failures, arabic.own_rules.len()), (1, 0));
        // Under 1.3.x, v with t is the schema's own `oneOf`.
        let both = set(vaccination(), "/t", test()["t"].clone());
        let found = check(&both);
        assert_eq!((found.schema_failures, found.own_rules.len()), (1, 0));
    }

    /// `$` matches before one final line break, as in the EU's validation (Python) and Java.
    #[test]
    fn anchored_patterns_allow_one_final_line_break() {
        assert_eq!(
            validate(&set(vaccination(), "/nam/fnt", json!("NGUYEN\n"))),
            Ok(())
        );
        assert_eq!(
            validate(&set(vaccination(), "/dob", json!("1990\n"))),
            Ok(())
        );
        assert_eq!(validate(&set(vaccination(), "/dob", json!("\n"))), Ok(()));
        assert!(validate(&set(vaccination(), "/nam/fnt", json!("NGUYEN\n\n"))).is_err());
        assert!(validate(&set(vaccination(), "/dob", json!("1990\n\n"))).is_err());
    }

    #[test]
    fn rules_that_loosened_pass_in_newer_versions() {
        let cases: Vec<(Value, &str)> = vec![
            (set(vaccination(), "/v/0/dn", json!(10)), "1.3.0"),
            (set(vaccination(), "/v/0/dn", json!(2.0)), "1.3.0"),
            (
                set(vaccination(), "/nam/fnt", json!("A".repeat(80))),
                "1.3.0",
            ),
            (del(test(), "/t/0/tc"), "1.3.0"),
            (del(ver(vaccination(), "1.3.2"), "/nam/fnt"), "1.3.2"),
            (
                set(ver(vaccination(), "1.2.1"), "/dob", json!("1990-13")),
                "1.2.1",
            ),
            (
                set(
                    ver(vaccination(), "1.2.1"),
                    "/v/1",
                    vaccination()["v"][0].clone(),
                ),
                "1.2.1",
            ),
            (set(vaccination(), "/v/0/co", json!("Viet Nam")), "1.3.0"),
        ];
        for (payload, version) in cases {
            assert_eq!(
                validate(&ver(payload.clone(), version)),
                Ok(()),
                "{payload}"
            );
        }
    }

    #[test]
    fn unknown_versions_fall_back_and_say_so_only_on_failure() {
        // 1.3.9 → 1.3.3 rules (fnt or gnt); 1.2.7 → 1.2.1 rules (50 characters); 1.9.0 → newest.
        for version in ["1.3.9", "1.9.0", "1.2.7", "1.0.5"] {
            let payload = ver(vaccination(), version);
            assert_eq!(validate(&payload), Ok(()), "{version}");
        }
        let gnt_only = del(ver(vaccination(), "1.3.9"), "/nam/fnt");
        assert_eq!(validate(&gnt_only), Ok(()));

        let too_long = set(
            ver(vaccination(), "1.2.7"),
            "/nam/fn",
            json!("A".repeat(51)),
        );
        let messages = validate(&too_long).expect_err("51 > 50");
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[1].contains("\"1.2.7\" is unknown"), "{messages:?}");
        assert!(
            messages[1].contains("rules of 1.2.1, the newest of 1.2.x"),
            "{messages:?}"
        );

        let empty_v = set(ver(vaccination(), "1.7.0"), "/v", json!([]));
        let messages = validate(&empty_v).expect_err("empty v");
        assert!(messages
            .last()
            .is_some_and(|m| m.contains("rules of 1.3.3, the newest it knows")));

        let messages = validate(&del(vaccination(), "/ver")).expect_err("no ver");
        assert_eq!(messages[0], "ver is missing");
        assert!(
            messages[1].contains("rules of schema 1.3.3"),
            "{messages:?}"
        );
    }

    #[test]
    fn reports_every_broken_rule_in_order() {
        let payload = json!({"ver": "1.3.0", "dob": "x", "v": [{"dn": 0}]});
        let messages = validate(&payload).expect_err("broken");
        assert_eq!(messages[0], "nam is missing");
        assert!(messages[1].starts_with("dob: \"x\""));
        assert!(messages[2] == "v[0].tg is missing");
        assert!(messages
            .iter()
            .any(|m| m == "v[0].dn: 0 is too small (at least 1)"));
        assert_eq!(messages.len(), 2 + 9 + 1, "{messages:#?}");
    }

    #[test]
    fn messages_are_bounded() {
        let entries: Vec<Value> = (0..1000).map(|_| json!({})).collect();
        let payload = json!({"ver": "1.2.1", "nam": {"fnt": "A"}, "dob": "1990", "v": entries});
        let messages = validate(&payload).expect_err("empty entries");
        assert_eq!(messages.len(), MAX_SCHEMA_MESSAGES + 1);
        assert!(messages[MAX_SCHEMA_MESSAGES].starts_with("… and "));

        let huge = "Ä".repeat(10_000);
        let messages = validate(&set(vaccination(), "/nam/fnt", json!(huge))).expect_err("bad");
        assert!(
            messages.iter().all(|m| m.chars().count() < 200),
            "{messages:?}"
        );
    }
}
