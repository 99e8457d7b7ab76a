//! Business rules end to end: the built-in policies on the test issuer's certificates, the
//! selection of a country's rules, the Report's `rules` section and the CLI's `--rules`,
//! `--country`, `--region`; and, when ../shared is present, the French and German rules of
//! 1 May 2022 on the real Vietnamese sample.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use dcc_verifier::rules::{self, policies, Query, RuleOutcome, RuleSet, RulesVerdict};
use dcc_verifier::time::parse_rfc3339;
use serde_json::json;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(path: &str) -> String {
    root()
        .join("tests/fixtures")
        .join(path)
        .display()
        .to_string()
}

fn cert(name: &str) -> String {
    std::fs::read_to_string(fixture(&format!("certs/{name}.txt")))
        .expect("fixture")
        .trim()
        .to_owned()
}

fn at(text: &str) -> i64 {
    parse_rfc3339(text).expect("an RFC 3339 time")
}

fn vn_policy(name: &str, when: &str, lang: &str) -> rules::RulesReport {
    let policy = policies::find("vn").expect("the Vietnam policy");
    let query = Query {
        country: policy.country,
        region: None,
        at: at(when),
        value_sets: None,
        lang,
    };
    rules::check_text(&policy.rules(), &cert(name), &query)
}

fn failed(report: &rules::RulesReport) -> Vec<&str> {
    report
        .rules
        .iter()
        .filter(|rule| rule.result == RuleOutcome::Fail)
        .map(|rule| rule.identifier.as_str())
        .collect()
}

#[test]
fn vietnam_policy_vaccination_complete_and_within_twelve_months() {
    // Dose 2/2 on 2025-11-15.
    let report = vn_policy("es256_vaccination", "2026-06-01T00:00:00Z", "en");
    assert_eq!(report.verdict, RulesVerdict::Meets, "{report:#?}");
    let ids: Vec<&str> = report.rules.iter().map(|r| r.identifier.as_str()).collect();
    assert_eq!(ids, ["GR-VN-0001", "VR-VN-0001", "VR-VN-0002"]);
    // Twelve months and a day after the last dose: still a valid certificate, but too old.
    let report = vn_policy("es256_vaccination", "2026-11-16T00:00:00Z", "vi");
    assert_eq!(report.verdict, RulesVerdict::DoesNotMeet);
    assert_eq!(failed(&report), ["VR-VN-0002"]);
    let rule = &report.rules[2];
    assert_eq!(rule.description_lang, "vi");
    assert!(!rule.description_fallback);
    assert!(
        rule.description.contains("12 tháng"),
        "{}",
        rule.description
    );
    assert_eq!(rule.affected_fields, ["v.0", "v.0.dt"]);
}

#[test]
fn vietnam_policy_incomplete_vaccination_fails() {
    let policy = policies::find("vn").expect("policy");
    let payload = json!({"ver": "1.3.0", "dob": "1990-01-01",
        "v": [{"tg": "840539006", "dn": 1, "sd": 2, "dt": "2026-05-01"}]});
    let query = Query {
        country: "VN",
        region: None,
        at: at("2026-06-01T00:00:00Z"),
        value_sets: None,
        lang: "en",
    };
    let report = rules::check_payload(&policy.rules(), &payload, &Default::default(), &query);
    assert_eq!(failed(&report), ["VR-VN-0001"]);
}

#[test]
fn vietnam_policy_negative_test_within_72_hours() {
    // Sampled 2025-12-31T08:00:00Z.
    let report = vn_policy("es256_test", "2026-01-02T08:00:00Z", "en");
    assert_eq!(report.verdict, RulesVerdict::Meets, "{report:#?}");
    let report = vn_policy("es256_test", "2026-01-03T08:00:01Z", "en");
    assert_eq!(failed(&report), ["TR-VN-0002"]);
}

#[test]
fn vietnam_policy_recovery_window_and_180_days() {
    // First positive 2025-11-01, valid 2025-11-12 to 2026-05-01.
    let report = vn_policy("es256_recovery", "2026-03-01T00:00:00Z", "en");
    assert_eq!(report.verdict, RulesVerdict::Meets, "{report:#?}");
    // Inside df–du, but more than 180 days after the first positive test.
    let report = vn_policy("es256_recovery", "2026-04-30T12:00:00Z", "en");
    assert_eq!(failed(&report), ["RR-VN-0002"]);
    let report = vn_policy("es256_recovery", "2026-06-01T00:00:00Z", "en");
    assert_eq!(failed(&report), ["RR-VN-0001", "RR-VN-0002"]);
}

#[test]
fn a_language_without_descriptions_falls_back_to_english_and_says_so() {
    let report = vn_policy("es256_vaccination", "2026-06-01T00:00:00Z", "fr");
    assert!(report
        .rules
        .iter()
        .all(|r| r.description_fallback && r.description_lang == "en"));
}

fn rule(id: &str, engine_version: &str, logic: serde_json::Value) -> serde_json::Value {
    json!({"Identifier": id, "Type": "Acceptance", "Country": "XX", "Version": "1.0.0",
        "SchemaVersion": "1.0.0", "Engine": "CERTLOGIC", "EngineVersion": engine_version,
        "CertificateType": "General", "Description": [{"lang": "en", "desc": id}],
        "ValidFrom": "2021-01-01T00:00:00Z", "ValidTo": "2030-01-01T00:00:00Z",
        "AffectedFields": ["v.0.mp"], "Logic": logic})
}

#[test]
fn what_cannot_be_decided_is_open_with_a_reason() {
    let set = RuleSet::from_json(
        json!([
            rule("GR-XX-0001", "2.0.1", json!(true)),
            rule(
                "GR-XX-0002",
                "1.0.0",
                json!({"in": [{"var": "payload.v.0.mp"},
                {"var": "external.valueSets.vaccines-covid-19-names"}]})
            ),
            rule(
                "GR-XX-0003",
                "1.0.0",
                json!({"after": [{"plusTime": [{"var": "payload.v.0.xx"}, 0, "day"]},
                {"plusTime": ["2021-01-01", 0, "day"]}]})
            ),
            rule("GR-XX-0004", "1.0.0", json!({"var": "payload.ver"})),
            rule("GR-XX-0005", "1.0.0", json!({"unknown-op": [1]})),
        ])
        .to_string()
        .as_bytes(),
    )
    .expect("rules");
    let query = Query {
        country: "XX",
        region: None,
        at: at("2026-06-01T00:00:00Z"),
        value_sets: None,
        lang: "en",
    };
    let report = rules::check_text(&set, &cert("es256_vaccination"), &query);
    assert_eq!(report.verdict, RulesVerdict::Open);
    let reasons: Vec<String> = report
        .rules
        .iter()
        .map(|r| {
            assert_eq!(r.result, RuleOutcome::Open, "{r:?}");
            r.reason.clone().expect("a reason")
        })
        .collect();
    assert!(reasons[0].contains("2.0.1"), "{}", reasons[0]);
    assert!(
        reasons[1].contains("vaccines-covid-19-names"),
        "{}",
        reasons[1]
    );
    assert!(reasons[2].contains("no date"), "{}", reasons[2]);
    assert!(
        reasons[3].contains("neither true nor false"),
        "{}",
        reasons[3]
    );
    assert!(reasons[4].contains("not valid CertLogic"), "{}", reasons[4]);

    // With the value set given, the value-set rule is decided.
    let mut sets = serde_json::Map::new();
    rules::add_value_sets(
        &mut sets,
        json!({"vaccines-covid-19-names": ["EU/1/20/1528"]})
            .to_string()
            .as_bytes(),
    )
    .expect("value sets");
    let query = Query {
        value_sets: Some(&sets),
        ..query
    };
    let report = rules::check_text(&set, &cert("es256_vaccination"), &query);
    assert_eq!(report.rules[1].result, RuleOutcome::Pass);
}

#[test]
fn rules_never_change_the_technical_verdict_and_are_absent_unless_asked_for() {
    let trust = dcc_verifier::TrustList::from_bytes(
        &std::fs::read(fixture("trust/dsc_list.json")).expect("list"),
    )
    .expect("list");
    let report = dcc_verifier::verify(
        &cert("es256_vaccination"),
        &trust,
        at("2026-06-01T00:00:00Z"),
    );
    assert!(report.rules.is_none());
    assert!(!report.to_json().contains("\"rules\""));
}

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dcc-verify"))
        .args(args)
        .output()
        .expect("dcc-verify runs")
}

#[test]
fn cli_exit_code_needs_a_valid_certificate_that_meets_the_rules() {
    let trust = fixture("trust/dsc_list.json");
    let text = cert("es256_vaccination");
    let meets = cli(&[
        "--trust",
        &trust,
        "--rules",
        "builtin:vn",
        "--at",
        "2026-06-01T00:00:00Z",
        &text,
    ]);
    let stdout = String::from_utf8_lossy(&meets.stdout);
    assert_eq!(meets.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("Rules of VN on 2026-06-01T00:00:00Z: MEETS THE RULES"),
        "{stdout}"
    );
    assert!(stdout.contains("pass  VR-VN-0002"), "{stdout}");

    let too_old = cli(&[
        "--trust",
        &trust,
        "--rules",
        "builtin:vn",
        "--at",
        "2026-12-01T00:00:00Z",
        &text,
    ]);
    let stdout = String::from_utf8_lossy(&too_old.stdout);
    assert_eq!(too_old.status.code(), Some(1), "{stdout}");
    assert!(stdout.starts_with("VALID"), "{stdout}");
    assert!(stdout.contains("DOES NOT MEET THE RULES"), "{stdout}");
    assert!(stdout.contains("FAIL  VR-VN-0002"), "{stdout}");

    // Meets the rules, but the signer is unknown: not 0.
    let unknown = cli(&[
        "--rules",
        "builtin:vn",
        "--at",
        "2026-06-01T00:00:00Z",
        &text,
    ]);
    assert_eq!(unknown.status.code(), Some(1));

    let json_out = cli(&[
        "--json",
        "--trust",
        &trust,
        "--rules",
        "builtin:vn",
        "--lang",
        "vi",
        "--at",
        "2026-06-01T00:00:00Z",
        &text,
    ]);
    let report: serde_json::Value = serde_json::from_slice(&json_out.stdout).expect("JSON");
    assert_eq!(report["status"], "valid");
    assert_eq!(report["rules"]["verdict"], "meets");
    assert_eq!(report["rules"]["rules"][0]["description_lang"], "vi");
}

#[test]
fn cli_reads_a_rules_file_and_needs_a_country_for_it() {
    let dir = std::env::temp_dir().join(format!("dcc-rules-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("XX")).expect("temp dir");
    let file = dir.join("XX/GR-0001.json");
    std::fs::write(
        &file,
        json!([rule(
            "GR-XX-0001",
            "1.0.0",
            json!({"===": [{"var": "payload.v.0.dn"}, 3]})
        )])
        .to_string(),
    )
    .expect("write");
    let text = cert("es256_vaccination");
    let folder = dir.display().to_string();
    let out = cli(&[
        "--rules",
        &folder,
        "--country",
        "xx",
        "--at",
        "2026-06-01T00:00:00Z",
        &text,
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("FAIL  GR-XX-0001"), "{stdout}");
    let no_country = cli(&["--rules", &folder, &text]);
    assert_eq!(no_country.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_country.stderr).contains("--country"));
    let region = cli(&[
        "--rules",
        &folder,
        "--country",
        "XX",
        "--region",
        "BW",
        "--at",
        "2026-06-01T00:00:00Z",
        &text,
    ]);
    assert!(String::from_utf8_lossy(&region.stdout).contains("no rule of XX was in force"));
    let country_alone = cli(&["--country", "FR", &text]);
    assert_eq!(country_alone.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

fn shared() -> Option<PathBuf> {
    let dir = root().join("../shared");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: ../shared is absent");
        None
    }
}

#[test]
fn cli_answers_for_the_real_vietnamese_sample_in_france_and_germany() {
    let Some(shared) = shared() else { return };
    let path = |p: &str| shared.join(p).display().to_string();
    let (trust, rules_dir, image) = (
        path("trustlists/acceptance_dsc_list.json"),
        path("rules/national-rules-2023-07"),
        path("samples/VN/VAC_VN.png"),
    );
    let base = [
        "--trust",
        &trust,
        "--rules",
        &rules_dir,
        "--at",
        "2022-05-01T00:00:00Z",
        "--image",
        &image,
    ];
    let france = cli(&[&base[..], &["--country", "FR"]].concat());
    let stdout = String::from_utf8_lossy(&france.stdout);
    // Technically INVALID with this test list (the certificate outlives its DSC); the rules
    // are answered all the same, and the exit code is not 0.
    assert_eq!(france.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("Rules of FR on 2022-05-01T00:00:00Z"),
        "{stdout}"
    );
    let rules_part = &stdout[stdout.find("Rules of").expect("a rules section")..];
    let rule_lines = rules_part
        .lines()
        .filter(|line| {
            ["  pass  ", "  FAIL  ", "  open  ", "  n/a   "]
                .iter()
                .any(|p| line.starts_with(p))
        })
        .count();
    // The 14 rules France had in force that day: 9 for vaccination certificates or general.
    assert_eq!(rule_lines, 14, "{stdout}");
    assert!(stdout.contains("pass  VR-FR-0002"), "{stdout}");
    assert!(stdout.contains("n/a   TR-FR-0003"), "{stdout}");

    let germany = cli(&[&base[..], &["--country", "DE"]].concat());
    let stdout = String::from_utf8_lossy(&germany.stdout);
    assert!(
        stdout.contains("no rule of DE was in force on 2022-05-01T00:00:00Z"),
        "{stdout}"
    );
    assert_eq!(germany.status.code(), Some(1));
}
