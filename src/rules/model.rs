//! Business rules as the EU gateway publishes them, and the selection the EU apps make.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use serde_json::Value;

use super::datetime;
use super::error::RuleFileError;
use crate::limits::{MAX_RULES, MAX_RULES_FILE_LEN};

/// The CertLogic engine versions this evaluator implements (CertLogic specification 1.3.3
/// covers them). Rules for any other engine version are reported `open`, never guessed at.
pub const SUPPORTED_ENGINE_VERSIONS: [&str; 3] = ["0.7.5", "0.8.0", "1.0.0"];

/// A rule's description in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Description {
    /// ISO 639-1 language code.
    pub lang: String,
    /// The description.
    pub desc: String,
}

/// One version of one business rule, in the gateway's JSON form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Rule {
    /// E.g. `VR-FR-0001`: the type letter, the country, a number.
    pub identifier: String,
    /// `Acceptance` (rules of the arrival country) or `Invalidation` (of the issuing country).
    #[serde(rename = "Type")]
    pub rule_type: String,
    /// The country that published it (ISO 3166-1 alpha-2).
    pub country: String,
    /// Semantic version of this rule.
    pub version: String,
    /// Version of the rule schema.
    #[serde(default)]
    pub schema_version: String,
    /// `CERTLOGIC`.
    #[serde(default)]
    pub engine: String,
    /// The CertLogic engine version the rule is written for.
    #[serde(default)]
    pub engine_version: String,
    /// `General`, `Vaccination`, `Test` or `Recovery`.
    pub certificate_type: String,
    /// What the rule requires, in several languages.
    #[serde(default)]
    pub description: Vec<Description>,
    /// Start of validity, RFC 3339.
    pub valid_from: String,
    /// End of validity, RFC 3339.
    pub valid_to: String,
    /// The payload fields the rule reads, e.g. `v.0.dt`.
    #[serde(default)]
    pub affected_fields: Vec<String>,
    /// The CertLogic expression.
    pub logic: Value,
    /// A region within the country (absent for national rules).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// A semantic version as numbers, for "the highest version".
fn version_key(version: &str) -> Vec<u64> {
    version
        .split('.')
        .map(|part| part.trim().parse().unwrap_or(0))
        .collect()
}

impl Rule {
    /// Start of validity, milliseconds since the epoch (`None` when unreadable).
    pub fn valid_from_ms(&self) -> Option<i64> {
        datetime::parse(&self.valid_from).ok().flatten()
    }

    /// End of validity, milliseconds since the epoch (`None` when unreadable).
    pub fn valid_to_ms(&self) -> Option<i64> {
        datetime::parse(&self.valid_to).ok().flatten()
    }

    /// Whether the rule is in force at `at_ms`: ValidFrom ≤ at < ValidTo.
    pub fn in_force(&self, at_ms: i64) -> bool {
        matches!((self.valid_from_ms(), self.valid_to_ms()), (Some(from), Some(to)) if from <= at_ms && at_ms < to)
    }

    /// Whether this evaluator implements the rule's engine and engine version.
    pub fn engine_supported(&self) -> bool {
        self.engine.eq_ignore_ascii_case("CERTLOGIC")
            && SUPPORTED_ENGINE_VERSIONS.contains(&self.engine_version.as_str())
    }

    /// The description in `lang`, else English, else the first one; with the language used.
    pub fn description_in(&self, lang: &str) -> Option<&Description> {
        let find = |wanted: &str| {
            self.description
                .iter()
                .find(|d| d.lang.eq_ignore_ascii_case(wanted))
        };
        find(lang)
            .or_else(|| find("en"))
            .or(self.description.first())
    }

    /// Whether the rule applies to a certificate of this type (`Vaccination`, `Test`,
    /// `Recovery`; `None` for a certificate with no entry): General rules apply to all.
    pub fn applies_to(&self, cert_type: Option<&str>) -> bool {
        self.certificate_type.eq_ignore_ascii_case("General")
            || cert_type.is_some_and(|t| self.certificate_type.eq_ignore_ascii_case(t))
    }

    fn is_type(&self, wanted: &str) -> bool {
        self.rule_type.eq_ignore_ascii_case(wanted)
    }
}

/// A set of rules, of one or many countries and versions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleSet {
    rules: Vec<Rule>,
}

impl RuleSet {
    /// An empty set.
    pub fn new() -> Self {
        RuleSet::default()
    }

    /// Reads a rule, an array of rules (the gateway's and the snapshot's files), or an object
    /// of country code → array of rules (the page's compact snapshot).
    pub fn from_json(bytes: &[u8]) -> Result<RuleSet, RuleFileError> {
        let mut set = RuleSet::new();
        set.add_json(bytes)?;
        Ok(set)
    }

    /// Adds the rules of one file (any form [`RuleSet::from_json`] reads).
    pub fn add_json(&mut self, bytes: &[u8]) -> Result<(), RuleFileError> {
        if bytes.len() > MAX_RULES_FILE_LEN {
            return Err(RuleFileError::TooLarge);
        }
        let value: Value =
            serde_json::from_slice(bytes).map_err(|e| RuleFileError::Json(e.to_string()))?;
        self.add_value(value)
    }

    fn add_value(&mut self, value: Value) -> Result<(), RuleFileError> {
        match value {
            Value::Array(items) => items.into_iter().try_for_each(|item| self.add_value(item)),
            Value::Object(map) if map.contains_key("Identifier") => {
                let rule: Rule = serde_json::from_value(Value::Object(map))
                    .map_err(|e| RuleFileError::Shape(e.to_string()))?;
                self.push(rule)
            }
            Value::Object(map) => map
                .into_iter()
                .try_for_each(|(_, rules)| self.add_value(rules)),
            _ => Err(RuleFileError::Shape(
                "expected a rule object or a list of them".into(),
            )),
        }
    }

    /// Adds one rule.
    pub fn push(&mut self, rule: Rule) -> Result<(), RuleFileError> {
        if self.rules.len() >= MAX_RULES {
            return Err(RuleFileError::TooMany);
        }
        self.rules.push(rule);
        Ok(())
    }

    /// Adds every rule of `other` (up to [`MAX_RULES`] in all).
    pub fn merge(&mut self, other: RuleSet) {
        let room = MAX_RULES.saturating_sub(self.rules.len());
        self.rules.extend(other.rules.into_iter().take(room));
    }

    /// The set in the compact form the page loads (read back by [`RuleSet::from_json`]): an
    /// object of country → rule versions, minified; descriptions only in `langs` (English is
    /// always kept, as the fallback); versions dropped that a higher version of the same rule
    /// overshadows for their whole validity (they can never be selected).
    pub fn to_compact_json(&self, langs: &[&str]) -> String {
        let overshadowed = |rule: &Rule| {
            let (from, to) = (rule.valid_from_ms(), rule.valid_to_ms());
            self.rules.iter().any(|other| {
                other.country == rule.country
                    && other.identifier == rule.identifier
                    && version_key(&other.version) > version_key(&rule.version)
                    && other.valid_from_ms() <= from
                    && other.valid_to_ms() >= to
                    && other.valid_from_ms().is_some()
            })
        };
        let mut by_country: std::collections::BTreeMap<String, Vec<Rule>> = Default::default();
        for rule in self.rules.iter().filter(|rule| !overshadowed(rule)) {
            let mut rule = rule.clone();
            rule.description.retain(|d| {
                d.lang.eq_ignore_ascii_case("en")
                    || langs.iter().any(|l| d.lang.eq_ignore_ascii_case(l))
            });
            by_country
                .entry(rule.country.clone())
                .or_default()
                .push(rule);
        }
        serde_json::to_string(&by_country).unwrap_or_default()
    }

    /// Every rule version in the set.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The countries with at least one rule, sorted.
    pub fn countries(&self) -> Vec<String> {
        let mut countries: Vec<String> = self.rules.iter().map(|r| r.country.clone()).collect();
        countries.sort();
        countries.dedup();
        countries
    }

    /// The rules in force as the EU apps choose them: for the arrival `country` (and
    /// `region`, none for national rules), its Acceptance rules, plus the issuing country's
    /// Invalidation rules; in force at `at_ms`; of each rule the highest version in force.
    /// Sorted by identifier. Of these, a certificate is checked against those that
    /// [`Rule::applies_to`] its type.
    pub fn select(
        &self,
        country: &str,
        region: Option<&str>,
        issuer_country: Option<&str>,
        at_ms: i64,
    ) -> Vec<&Rule> {
        let region = region.map(str::trim).unwrap_or("");
        let mut chosen: HashMap<(&str, &str), usize> = HashMap::new();
        let mut picked: Vec<&Rule> = Vec::new();
        for rule in &self.rules {
            let acceptance = rule.is_type("Acceptance")
                && rule.country.eq_ignore_ascii_case(country)
                && rule
                    .region
                    .as_deref()
                    .map(str::trim)
                    .unwrap_or("")
                    .eq_ignore_ascii_case(region);
            let invalidation = rule.is_type("Invalidation")
                && issuer_country.is_some_and(|c| rule.country.eq_ignore_ascii_case(c));
            if !(acceptance || invalidation) || !rule.in_force(at_ms) {
                continue;
            }
            let key = (rule.country.as_str(), rule.identifier.as_str());
            match chosen.get(&key) {
                Some(&index) => {
                    if version_key(&rule.version) > version_key(&picked[index].version) {
                        picked[index] = rule;
                    }
                }
                None => {
                    chosen.insert(key, picked.len());
                    picked.push(rule);
                }
            }
        }
        picked.sort_by(|a, b| a.identifier.cmp(&b.identifier));
        picked
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rule(id: &str, version: &str, from: &str, to: &str, cert_type: &str) -> Value {
        json!({"Identifier": id, "Type": "Acceptance", "Country": "FR", "Version": version,
               "SchemaVersion": "1.0.0", "Engine": "CERTLOGIC", "EngineVersion": "0.7.5",
               "CertificateType": cert_type, "Description": [{"lang": "en", "desc": id}],
               "ValidFrom": from, "ValidTo": to, "AffectedFields": [], "Logic": true})
    }

    #[test]
    fn selects_the_highest_version_in_force_of_each_rule() {
        let set = RuleSet::from_json(
            json!([
                rule(
                    "VR-FR-0001",
                    "1.0.0",
                    "2021-01-01T00:00:00Z",
                    "2030-01-01T00:00:00Z",
                    "Vaccination"
                ),
                rule(
                    "VR-FR-0001",
                    "1.0.10",
                    "2022-01-01T00:00:00Z",
                    "2030-01-01T00:00:00Z",
                    "Vaccination"
                ),
                rule(
                    "VR-FR-0001",
                    "1.1.0",
                    "2023-01-01T00:00:00Z",
                    "2030-01-01T00:00:00Z",
                    "Vaccination"
                ),
                rule(
                    "TR-FR-0001",
                    "1.0.0",
                    "2021-01-01T00:00:00Z",
                    "2030-01-01T00:00:00Z",
                    "Test"
                ),
                rule(
                    "GR-FR-0001",
                    "1.0.0",
                    "2021-01-01T00:00:00Z",
                    "2022-01-01T00:00:00Z",
                    "General"
                ),
            ])
            .to_string()
            .as_bytes(),
        )
        .expect("rules");
        let at = datetime::parse("2022-05-01")
            .ok()
            .flatten()
            .expect("a time");
        let picked = set.select("fr", None, Some("VN"), at);
        let ids: Vec<(&str, &str, bool)> = picked
            .iter()
            .map(|r| {
                (
                    r.identifier.as_str(),
                    r.version.as_str(),
                    r.applies_to(Some("Vaccination")),
                )
            })
            .collect();
        assert_eq!(
            ids,
            [
                ("TR-FR-0001", "1.0.0", false),
                ("VR-FR-0001", "1.0.10", true)
            ]
        );
        assert!(set.select("DE", None, None, at).is_empty());
    }

    #[test]
    fn the_compact_form_reads_back_and_keeps_what_can_be_selected() {
        let mut old = rule(
            "VR-FR-0001",
            "1.0.0",
            "2021-06-01T00:00:00Z",
            "2030-01-01T00:00:00Z",
            "Vaccination",
        );
        old["Description"] = json!([{"lang": "en", "desc": "x"}, {"lang": "fr", "desc": "y"}, {"lang": "vi", "desc": "z"}]);
        let set = RuleSet::from_json(
            json!([
                old,
                rule(
                    "VR-FR-0001",
                    "1.0.1",
                    "2021-01-01T00:00:00Z",
                    "2030-01-01T00:00:00Z",
                    "Vaccination"
                ),
                rule(
                    "VR-FR-0002",
                    "1.0.0",
                    "2021-06-01T00:00:00Z",
                    "2030-01-01T00:00:00Z",
                    "Vaccination"
                ),
                rule(
                    "VR-FR-0002",
                    "1.0.1",
                    "2022-01-01T00:00:00Z",
                    "2030-01-01T00:00:00Z",
                    "Vaccination"
                ),
            ])
            .to_string()
            .as_bytes(),
        )
        .expect("rules");
        let compact = set.to_compact_json(&["vi"]);
        let again = RuleSet::from_json(compact.as_bytes()).expect("reads back");
        let kept: Vec<(&str, &str)> = again
            .rules()
            .iter()
            .map(|r| (r.identifier.as_str(), r.version.as_str()))
            .collect();
        // VR-FR-0001 1.0.0 is overshadowed by 1.0.1 for its whole validity; VR-FR-0002 1.0.0
        // is still the one in force during 2021.
        assert_eq!(
            kept,
            [
                ("VR-FR-0001", "1.0.1"),
                ("VR-FR-0002", "1.0.0"),
                ("VR-FR-0002", "1.0.1")
            ]
        );
        let full = RuleSet::from_json(json!([old]).to_string().as_bytes()).expect("rule");
        let langs: Vec<String> = RuleSet::from_json(full.to_compact_json(&["vi"]).as_bytes())
            .expect("reads back")
            .rules()[0]
            .description
            .iter()
            .map(|d| d.lang.clone())
            .collect();
        assert_eq!(langs, ["en", "vi"]);
    }

    #[test]
    fn rejects_what_is_not_a_rule() {
        assert!(matches!(
            RuleSet::from_json(b"[1]"),
            Err(RuleFileError::Shape(_))
        ));
        assert!(matches!(
            RuleSet::from_json(b"{\"Identifier\": 1}"),
            Err(RuleFileError::Shape(_))
        ));
        assert!(matches!(
            RuleSet::from_json(b"nope"),
            Err(RuleFileError::Json(_))
        ));
    }
}
