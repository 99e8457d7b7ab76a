//! Business rules: "does this certificate meet the rules of country X (or of this venue) at
//! time T?", answered the way the EU reference apps answer it.
//!
//! - [`certlogic`]: the CertLogic evaluator (specification 1.3.3), [`validate`]: its validator.
//! - [`model`]: the gateway's rule JSON, [`RuleSet`] and the selection of the rules in force.
//! - [`check_payload`] / [`check_text`]: a certificate against a rule set, as a
//!   [`RulesReport`] (each rule pass / fail / open, and an overall answer).
//!
//! The technical verdict ([`crate::Status`]) never depends on rules: a rules answer stands
//! beside it.

pub mod certlogic;
pub mod datetime;
mod error;
pub mod model;
pub mod policies;
pub mod validate;

use serde::Serialize;
use serde_json::{json, Map, Value};

pub use error::{EvalError, RuleFileError};
pub use model::{Description, Rule, RuleSet, SUPPORTED_ENGINE_VERSIONS};

use crate::decode;
use crate::time::format_datetime;

/// The result of one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleOutcome {
    /// The rule holds for the certificate.
    Pass,
    /// The rule does not hold.
    Fail,
    /// The rule could not be decided (an engine this verifier does not implement, a value set
    /// that was not given, a value the rule cannot use): the reason says which.
    Open,
}

/// The overall answer for a country (or a venue's policy) and a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RulesVerdict {
    /// Every rule in force passed.
    Meets,
    /// At least one rule failed.
    DoesNotMeet,
    /// No rule failed, but some could not be decided, or no rule was in force.
    Open,
}

impl RulesVerdict {
    /// The snake_case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            RulesVerdict::Meets => "meets",
            RulesVerdict::DoesNotMeet => "does_not_meet",
            RulesVerdict::Open => "open",
        }
    }
}

/// One rule's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleResult {
    /// The rule's identifier, e.g. `VR-FR-0001`.
    pub identifier: String,
    /// The version that applied.
    pub version: String,
    /// `Acceptance` or `Invalidation`.
    pub rule_type: String,
    /// The country that published it.
    pub country: String,
    /// `General`, `Vaccination`, `Test` or `Recovery`.
    pub certificate_type: String,
    /// pass, fail or open.
    pub result: RuleOutcome,
    /// What the rule requires, in the language asked for when the rule has it.
    pub description: String,
    /// The language of `description`.
    pub description_lang: String,
    /// True when the rule has no description in the language asked for (English, or the
    /// first one it has, is shown instead).
    pub description_fallback: bool,
    /// The certificate fields the rule reads.
    pub affected_fields: Vec<String>,
    /// Why the rule is open, in words; absent for pass and fail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A certificate against the rules of one country (or policy) at one time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RulesReport {
    /// The arrival country (or the policy's code).
    pub country: String,
    /// The region, when one was asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The validation clock, RFC 3339.
    pub validation_clock: String,
    /// The overall answer.
    pub verdict: RulesVerdict,
    /// The answer in one English sentence.
    pub summary: String,
    /// Every rule in force that applies to the certificate, sorted by identifier.
    pub rules: Vec<RuleResult>,
    /// The other rules in force that day: those for other types of certificate (a test rule
    /// for a vaccination certificate). Listed, not evaluated (the EU apps skip them too).
    pub not_applicable: Vec<RuleInForce>,
}

/// A rule in force that does not apply to this certificate's type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleInForce {
    /// The rule's identifier.
    pub identifier: String,
    /// The version in force.
    pub version: String,
    /// The type of certificate it is for.
    pub certificate_type: String,
    /// What it requires, in the language asked for when the rule has it.
    pub description: String,
    /// The language of `description`.
    pub description_lang: String,
    /// True when the rule has no description in the language asked for.
    pub description_fallback: bool,
}

/// The question: which country's rules, where, when, with which value sets, in which language.
#[derive(Debug, Clone, Copy)]
pub struct Query<'a> {
    /// The arrival country (ISO 3166-1 alpha-2), or a policy's code.
    pub country: &'a str,
    /// A region within the country, if any (none for national rules).
    pub region: Option<&'a str>,
    /// The validation clock, unix seconds.
    pub at: i64,
    /// The EU value sets (`{"value-set-id": ["code", ...]}`), when given.
    pub value_sets: Option<&'a Map<String, Value>>,
    /// The language for descriptions (ISO 639-1), e.g. "vi" or "en".
    pub lang: &'a str,
}

/// What the rules see of a certificate besides its payload (the CWT claims and header).
#[derive(Debug, Clone, Copy, Default)]
pub struct Claims<'a> {
    /// Issuing country (`iss`).
    pub issuer_country: Option<&'a str>,
    /// Issue time, unix seconds.
    pub iat: Option<i64>,
    /// Expiry time, unix seconds.
    pub exp: Option<i64>,
    /// The key identifier, base64.
    pub kid: Option<&'a str>,
}

/// Reads the payload out of an `HC1:` text (nothing is verified here: [`crate::verify`]
/// does that) and checks it against the rules.
pub fn check_text(set: &RuleSet, qr_text: &str, query: &Query<'_>) -> RulesReport {
    match read_payload(qr_text) {
        Ok((payload, iss, iat, exp, kid)) => {
            let claims = Claims {
                issuer_country: iss.as_deref(),
                iat,
                exp,
                kid: kid.as_deref(),
            };
            check_payload(set, &payload, &claims, query)
        }
        Err(why) => undecided(query, format!("the certificate could not be read: {why}")),
    }
}

type Decoded = (
    Value,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

fn read_payload(qr_text: &str) -> crate::Result<Decoded> {
    use base64::Engine as _;
    let compressed = decode::base45::decode(decode::prefix::strip(qr_text)?)?;
    let (cose, _) = decode::inflate::inflate(&compressed)?;
    let sign1 = decode::cose::parse(&cose)?;
    let claims = decode::cwt::parse(&sign1.payload)?;
    let (payload, _) = decode::payload::read(&claims.hcert)?;
    let kid = sign1
        .kid
        .as_ref()
        .map(|kid| base64::engine::general_purpose::STANDARD.encode(kid));
    Ok((payload, claims.iss, claims.iat, claims.exp, kid))
}

fn undecided(query: &Query<'_>, summary: String) -> RulesReport {
    RulesReport {
        country: query.country.to_ascii_uppercase(),
        region: query.region.map(str::to_owned),
        validation_clock: format_datetime(query.at),
        verdict: RulesVerdict::Open,
        summary,
        rules: Vec::new(),
        not_applicable: Vec::new(),
    }
}

/// The certificate type as rules name it, from the payload (first of `v`, `t`, `r` present).
fn cert_type(payload: &Value) -> Option<&'static str> {
    let present = |key: &str| {
        payload
            .get(key)
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
    };
    [("v", "Vaccination"), ("t", "Test"), ("r", "Recovery")]
        .into_iter()
        .find(|(key, _)| present(key))
        .map(|(_, name)| name)
}

/// Checks a payload (the DCC JSON exactly as signed) against the rules of `query.country`
/// in force at `query.at`.
pub fn check_payload(
    set: &RuleSet,
    payload: &Value,
    claims: &Claims<'_>,
    query: &Query<'_>,
) -> RulesReport {
    let at_ms = query.at.saturating_mul(1000);
    let in_force = set.select(query.country, query.region, claims.issuer_country, at_ms);
    let cert_type = cert_type(payload);
    let (selected, others): (Vec<&Rule>, Vec<&Rule>) = in_force
        .into_iter()
        .partition(|rule| rule.applies_to(cert_type));
    let not_applicable: Vec<RuleInForce> = others
        .into_iter()
        .map(|rule| {
            let (description, description_lang, description_fallback) = describe(rule, query.lang);
            RuleInForce {
                identifier: rule.identifier.clone(),
                version: rule.version.clone(),
                certificate_type: rule.certificate_type.clone(),
                description,
                description_lang,
                description_fallback,
            }
        })
        .collect();
    let country = query.country.to_ascii_uppercase();
    let when = format_datetime(query.at);
    if selected.is_empty() {
        let summary = if not_applicable.is_empty() {
            format!("no rule of {country} was in force on {when}")
        } else {
            format!("no rule of {country} in force on {when} applies to this type of certificate")
        };
        return RulesReport {
            not_applicable,
            ..undecided(query, summary)
        };
    }
    let iso =
        |seconds: Option<i64>| seconds.map_or(Value::Null, |s| Value::String(format_datetime(s)));
    let data = json!({
        "payload": payload,
        "external": {
            "validationClock": when,
            "valueSets": query.value_sets.cloned().unwrap_or_default(),
            "countryCode": country,
            "region": query.region,
            "issuerCountryCode": claims.issuer_country,
            "exp": iso(claims.exp),
            "iat": iso(claims.iat),
            "kid": claims.kid,
        }
    });
    let rules: Vec<RuleResult> = selected
        .into_iter()
        .map(|rule| evaluate_rule(rule, &data, query))
        .collect();
    let count = |outcome: RuleOutcome| rules.iter().filter(|r| r.result == outcome).count();
    let (failed, open) = (count(RuleOutcome::Fail), count(RuleOutcome::Open));
    let (verdict, summary) = if failed > 0 {
        (
            RulesVerdict::DoesNotMeet,
            format!(
                "does not meet the rules of {country} on {when}: {failed} of {} rules failed",
                rules.len()
            ),
        )
    } else if open > 0 {
        (
            RulesVerdict::Open,
            format!(
                "open for {country} on {when}: {open} of {} rules could not be decided",
                rules.len()
            ),
        )
    } else {
        (
            RulesVerdict::Meets,
            format!(
                "meets the rules of {country} on {when}: all {} rules passed",
                rules.len()
            ),
        )
    };
    RulesReport {
        country,
        region: query.region.map(str::to_owned),
        validation_clock: when,
        verdict,
        summary,
        rules,
        not_applicable,
    }
}

/// The description in `lang` (else English, else the first), its language, and whether it
/// fell back.
fn describe(rule: &Rule, lang: &str) -> (String, String, bool) {
    match rule.description_in(lang) {
        Some(d) => (
            d.desc.clone(),
            d.lang.clone(),
            !d.lang.eq_ignore_ascii_case(lang),
        ),
        None => (String::new(), String::new(), true),
    }
}

impl RuleSet {
    /// The EU value sets some rule of the set reads, sorted.
    pub fn value_sets_read(&self) -> Vec<String> {
        let mut found = Vec::new();
        for rule in self.rules() {
            value_sets_read(&rule.logic, &mut found);
        }
        found.sort();
        found
    }
}

/// The value sets a rule reads (`external.valueSets.<id>`).
fn value_sets_read(expr: &Value, found: &mut Vec<String>) {
    match expr {
        Value::Object(map) => {
            for (key, operands) in map {
                if key == "var" {
                    if let Some(id) = operands
                        .as_str()
                        .and_then(|path| path.strip_prefix("external.valueSets."))
                    {
                        let id = id.split('.').next().unwrap_or(id).to_owned();
                        if !found.contains(&id) {
                            found.push(id);
                        }
                    }
                } else {
                    value_sets_read(operands, found);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| value_sets_read(item, found)),
        _ => {}
    }
}

fn evaluate_rule(rule: &Rule, data: &Value, query: &Query<'_>) -> RuleResult {
    let (result, reason) = decide(rule, data, query);
    let (description, description_lang, description_fallback) = describe(rule, query.lang);
    RuleResult {
        identifier: rule.identifier.clone(),
        version: rule.version.clone(),
        rule_type: rule.rule_type.clone(),
        country: rule.country.clone(),
        certificate_type: rule.certificate_type.clone(),
        result,
        description,
        description_lang,
        description_fallback,
        affected_fields: rule.affected_fields.clone(),
        reason,
    }
}

fn decide(rule: &Rule, data: &Value, query: &Query<'_>) -> (RuleOutcome, Option<String>) {
    let open = |why: String| (RuleOutcome::Open, Some(why));
    if !rule.engine_supported() {
        return open(format!(
            "written for {} {}, which this verifier does not implement (it implements CertLogic {})",
            rule.engine,
            rule.engine_version,
            SUPPORTED_ENGINE_VERSIONS.join(", ")
        ));
    }
    if let Some(issue) = validate::validate(&rule.logic).into_iter().next() {
        return open(format!(
            "the rule is not valid CertLogic: {}",
            issue.message
        ));
    }
    let mut needed = Vec::new();
    value_sets_read(&rule.logic, &mut needed);
    let missing: Vec<String> = needed
        .into_iter()
        .filter(|id| !query.value_sets.is_some_and(|sets| sets.contains_key(id)))
        .collect();
    if !missing.is_empty() {
        return open(format!(
            "needs the EU value set {}, which was not given",
            missing.join(", ")
        ));
    }
    match certlogic::Evaluator::default().run(&rule.logic, data) {
        Err(error) => open(error.to_string()),
        Ok(outcome) if outcome.invalid_date => {
            open("a date in the certificate names no real day or time".into())
        }
        Ok(outcome) => match outcome.value {
            Value::Bool(true) => (RuleOutcome::Pass, None),
            Value::Bool(false) => (RuleOutcome::Fail, None),
            other => open(format!("the rule gave {other}, neither true nor false")),
        },
    }
}

/// Reads EU value sets: the compact map (`{"id": ["code", ...]}`), one value set as
/// ehn-dcc-valuesets publishes it (`{valueSetId, valueSetValues: {code: {...}}}`), or an array
/// of those. Adds them to `sets`.
pub fn add_value_sets(sets: &mut Map<String, Value>, bytes: &[u8]) -> Result<(), RuleFileError> {
    if bytes.len() > crate::limits::MAX_RULES_FILE_LEN {
        return Err(RuleFileError::TooLarge);
    }
    let value: Value =
        serde_json::from_slice(bytes).map_err(|e| RuleFileError::Json(e.to_string()))?;
    let mut add = |value: &Value| -> Result<(), RuleFileError> {
        match (
            value.get("valueSetId").and_then(Value::as_str),
            value.get("valueSetValues"),
        ) {
            (Some(id), Some(Value::Object(values))) => {
                let codes = values.keys().cloned().map(Value::String).collect();
                sets.insert(id.to_owned(), Value::Array(codes));
                Ok(())
            }
            _ => match value {
                Value::Object(map) if map.values().all(Value::is_array) => {
                    sets.extend(map.clone());
                    Ok(())
                }
                _ => Err(RuleFileError::Shape("not an EU value set".into())),
            },
        }
    };
    match &value {
        Value::Array(items) => items.iter().try_for_each(add),
        other => add(other),
    }
}
