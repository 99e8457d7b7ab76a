//! Built-in policies: rule sets written in CertLogic by this project (`src/rules/policies/`),
//! for a venue that checks its own policy rather than a country's published rules. They are
//! rules like any other: the same model, the same evaluator, the same report.

use super::model::RuleSet;

/// A built-in policy.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Its short name, e.g. `vn` (as in `--rules builtin:vn`, `build-web --policy vn`).
    pub name: &'static str,
    /// The code its rules carry as `Country` (what to check them "for").
    pub country: &'static str,
    /// Its title in English.
    pub title_en: &'static str,
    /// Its title in Vietnamese.
    pub title_vi: &'static str,
    /// The rules, as gateway rule JSON.
    pub json: &'static str,
}

impl Policy {
    /// The policy's rules.
    pub fn rules(&self) -> RuleSet {
        // The files are the project's own and tested below; an error would leave the set empty,
        // which the report shows as "no rule in force" rather than a pass.
        RuleSet::from_json(self.json.as_bytes()).unwrap_or_default()
    }
}

/// Every built-in policy.
pub const POLICIES: [Policy; 1] = [Policy {
    name: "vn",
    country: "VN",
    title_en: "Vietnam: vaccinated (complete, last dose within 12 months), tested negative within 72 hours, or recovered (within 180 days)",
    title_vi: "Việt Nam: đã tiêm đủ (mũi cuối trong 12 tháng), xét nghiệm âm tính trong 72 giờ, hoặc đã khỏi bệnh (trong 180 ngày)",
    json: include_str!("policies/vn.json"),
}];

/// The built-in policy with this name.
pub fn find(name: &str) -> Option<&'static Policy> {
    POLICIES
        .iter()
        .find(|policy| policy.name.eq_ignore_ascii_case(name))
}

/// The names of the built-in policies.
pub fn names() -> Vec<&'static str> {
    POLICIES.iter().map(|policy| policy.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::validate::validate;

    #[test]
    fn every_policy_reads_and_is_valid_certlogic() {
        for policy in POLICIES {
            let set = RuleSet::from_json(policy.json.as_bytes()).expect("policy JSON");
            assert!(!set.rules().is_empty());
            for rule in set.rules() {
                assert!(rule.engine_supported(), "{}", rule.identifier);
                assert_eq!(validate(&rule.logic), [], "{}", rule.identifier);
                assert!(rule.description_in("vi").is_some_and(|d| d.lang == "vi"));
                assert_eq!(rule.country, policy.country);
            }
        }
    }
}
