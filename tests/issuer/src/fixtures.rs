//! The committed fixture set (`tests/fixtures/`): trust lists, one certificate per test case with
//! its expected outcome, the demo page's samples and QR images. [`build`] makes it in memory,
//! deterministically; [`FixtureSet::write`] puts it on disk.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::Path;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::cert::{hc1_text, zlib, CertBuilder, KidPlacement, Tamper};
use crate::dsc::{Dsc, EKU_ALL, EKU_TEST};
use crate::formats::{
    fhir_immunizations, tamper_seal, SealSigner, ShcIssuer, EKU_VDS_NC_TEST, EKU_VDS_NC_VACCINATION,
};
use crate::keys::Key;
use crate::payload::{self, Holder};
use crate::qr::{self, QrStyle};
use crate::revocation::{batches_file, revocation_hash, Batch, HashType};
use crate::trust::TrustListBuilder;
use crate::{rfc3339, unix};

/// The validation time of every test case: 2026-06-01T00:00:00Z.
pub fn validation_time() -> i64 {
    unix(2026, 6, 1)
}

/// The subfolders [`FixtureSet::write`] owns: files in them that are not in the set are removed.
const OWNED_DIRS: [&str; 6] = ["certs", "trust", "trust/dsc", "demo", "qr", "revocation"];

/// Files by path relative to the fixtures folder.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FixtureSet {
    files: BTreeMap<String, Vec<u8>>,
}

impl FixtureSet {
    fn add(&mut self, path: &str, bytes: impl Into<Vec<u8>>) {
        let previous = self.files.insert(path.to_owned(), bytes.into());
        assert!(previous.is_none(), "fixture {path} written twice");
    }

    /// The file at `path` (e.g. `certs.json`).
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    /// Every path, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Total size in bytes.
    pub fn total_bytes(&self) -> usize {
        self.files.values().map(Vec::len).sum()
    }

    /// Writes every file under `dir` (creating folders), leaving identical files untouched and
    /// removing stale files from the folders the set owns.
    pub fn write(&self, dir: &Path) -> io::Result<()> {
        for owned in OWNED_DIRS {
            let Ok(entries) = fs::read_dir(dir.join(owned)) else {
                continue;
            };
            for entry in entries {
                let entry = entry?;
                let relative = format!("{owned}/{}", entry.file_name().to_string_lossy());
                if entry.file_type()?.is_file() && !self.files.contains_key(&relative) {
                    fs::remove_file(entry.path())?;
                }
            }
        }
        for (path, bytes) in &self.files {
            let target = dir.join(path);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent)?;
            }
            if fs::read(&target).ok().as_deref() != Some(bytes.as_slice()) {
                fs::write(&target, bytes)?;
            }
        }
        Ok(())
    }
}

/// Expected check results (or warnings, field → code), serialised in order.
struct Checks(Vec<(&'static str, &'static str)>);

impl Checks {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Checks {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (check, outcome) in &self.0 {
            map.serialize_entry(check, outcome)?;
        }
        map.end()
    }
}

/// The check ids, in the order the verifier runs them.
pub const CHECK_IDS: [&str; 13] = [
    "prefix",
    "base45",
    "decompress",
    "cose",
    "cwt",
    "payload",
    "schema",
    "signer",
    "signature",
    "revocation",
    "signer_validity",
    "key_usage",
    "expiry",
];

#[derive(Serialize)]
struct CaseEntry {
    name: &'static str,
    description: &'static str,
    file: String,
    trust: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    dsc: Option<String>,
    at: String,
    expect_status: &'static str,
    expect_checks: Checks,
    /// The warnings the report must carry, field → code (absent: none).
    #[serde(skip_serializing_if = "Checks::is_empty")]
    expect_warnings: Checks,
}

#[derive(Serialize)]
struct DemoEntry {
    name: &'static str,
    description: &'static str,
    file: String,
    png: String,
    expect_status: &'static str,
}

/// A demo sample in another format (`demo/formats.json`): as [`DemoEntry`], with its format
/// and, for a card in chunks, one QR image per chunk (`parts`, in order).
#[derive(Serialize)]
struct FormatEntry {
    name: &'static str,
    format: &'static str,
    description: &'static str,
    file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    png: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    parts: Vec<String>,
    expect_status: &'static str,
}

#[derive(Serialize)]
struct QrEntry {
    file: String,
    text_file: String,
    description: &'static str,
}

fn pretty<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("JSON of plain data");
    bytes.push(b'\n');
    bytes
}

/// The test trust list's DSCs, by fixture name.
struct TestDscs {
    by_name: BTreeMap<&'static str, Dsc>,
}

impl TestDscs {
    fn get(&self, name: &str) -> &Dsc {
        self.by_name
            .get(name)
            .unwrap_or_else(|| panic!("no DSC named {name}"))
    }
}

fn test_dscs() -> TestDscs {
    let ec = |name: &str| Key::es256(&format!("fixtures/{name}"));
    let rsa = |bits: usize, name: &str| Key::ps256(bits, &format!("fixtures/{name}"));
    let dsc = |key: &Key, cn: &str| Dsc::builder(key).country("VN").subject_cn(cn);
    let mut by_name = BTreeMap::new();
    by_name.insert(
        "es256",
        dsc(&ec("es256"), "TEST DSC ES256")
            .key_usage(&EKU_ALL)
            .build(),
    );
    by_name.insert(
        "ps256_2048",
        dsc(&rsa(2048, "ps256_2048"), "TEST DSC PS256 2048")
            .key_usage(&EKU_ALL)
            .build(),
    );
    for (name, bits, cn) in [
        ("ps256_1024", 1024, "TEST DSC PS256 1024"),
        ("ps256_3072", 3072, "TEST DSC PS256 3072"),
        ("ps256_4096", 4096, "TEST DSC PS256 4096"),
    ] {
        by_name.insert(name, dsc(&rsa(bits, name), cn).build());
    }
    by_name.insert(
        "shared_kid_decoy",
        dsc(&ec("shared_kid_decoy"), "TEST DSC DECOY").build(),
    );
    by_name.insert(
        "shared_kid_real",
        dsc(&ec("shared_kid_real"), "TEST DSC SHARED KID").build(),
    );
    by_name.insert(
        "short_lived",
        dsc(&ec("short_lived"), "TEST DSC SHORT LIVED")
            .not_after(unix(2026, 9, 1))
            .build(),
    );
    by_name.insert(
        "late_start",
        dsc(&ec("late_start"), "TEST DSC LATE START")
            .not_before(unix(2026, 3, 1))
            .build(),
    );
    by_name.insert(
        "test_only",
        dsc(&ec("test_only"), "TEST DSC TEST ONLY")
            .key_usage(&[EKU_TEST])
            .build(),
    );
    by_name.insert("no_eku", dsc(&ec("no_eku"), "TEST DSC NO EKU").build());
    // Not in the trust list: its kid is unknown to the verifier.
    by_name.insert(
        "unknown",
        dsc(&ec("unknown"), "TEST DSC NOT LISTED").build(),
    );
    TestDscs { by_name }
}

/// The DSCs of the test trust list, in list order. The decoy comes first and is listed under
/// the real DSC's kid, so a verifier must try every DSC with a kid, not only the first.
const LISTED: [&str; 11] = [
    "es256",
    "ps256_1024",
    "ps256_2048",
    "ps256_3072",
    "ps256_4096",
    "shared_kid_decoy",
    "shared_kid_real",
    "short_lived",
    "late_start",
    "test_only",
    "no_eku",
];

struct Case {
    name: &'static str,
    description: &'static str,
    text: String,
    dsc: Option<&'static str>,
    status: &'static str,
    checks: Vec<(&'static str, &'static str)>,
    warnings: Vec<(&'static str, &'static str)>,
}

impl Case {
    /// The warnings (field, code) the verifier must report for this case.
    fn warnings(mut self, warnings: &[(&'static str, &'static str)]) -> Self {
        self.warnings = warnings.to_vec();
        self
    }
}

fn case(
    name: &'static str,
    description: &'static str,
    text: String,
    dsc: Option<&'static str>,
    status: &'static str,
    checks: &[(&'static str, &'static str)],
) -> Case {
    for (check, outcome) in checks {
        assert!(CHECK_IDS.contains(check), "{name}: unknown check {check}");
        assert!(
            ["pass", "fail", "skip"].contains(outcome),
            "{name}: outcome {outcome}"
        );
    }
    Case {
        name,
        description,
        text,
        dsc,
        status,
        checks: checks.to_vec(),
        warnings: Vec::new(),
    }
}

const PASS: &str = "pass";
const FAIL: &str = "fail";
const SKIP: &str = "skip";

fn test_cases(dscs: &TestDscs) -> Vec<Case> {
    let es256 = dscs.get("es256");
    let ps2048 = dscs.get("ps256_2048");
    let honest = CertBuilder::new(es256);
    let example = Holder::example();
    let mut cases = Vec::new();

    let valid_checks: &[(&str, &str)] = &[
        ("schema", PASS),
        ("signer", PASS),
        ("signature", PASS),
        ("expiry", PASS),
    ];

    cases.push(case(
        "es256_vaccination",
        "ES256 vaccination certificate, signed by a DSC allowed to sign all three types",
        honest.build().text,
        Some("es256"),
        "valid",
        valid_checks,
    ));
    cases.push(case(
        "es256_test",
        "ES256 test certificate (negative PCR)",
        honest
            .clone()
            .payload(payload::test(&example, "VN"))
            .build()
            .text,
        Some("es256"),
        "valid",
        &[
            ("schema", PASS),
            ("signature", PASS),
            ("key_usage", PASS),
            ("expiry", PASS),
        ],
    ));
    cases.push(case(
        "es256_recovery",
        "ES256 recovery certificate",
        honest
            .clone()
            .payload(payload::recovery(&example, "VN"))
            .build()
            .text,
        Some("es256"),
        "valid",
        &[
            ("schema", PASS),
            ("signature", PASS),
            ("key_usage", PASS),
            ("expiry", PASS),
        ],
    ));
    cases.push(case(
        "ps256_2048_vietnam",
        "PS256 (RSA-2048) vaccination with Vietnamese names Nguyễn / Bảo Duy (NFC), like Vietnam's real certificates",
        CertBuilder::new(ps2048)
            .payload(payload::vaccination(&Holder::vietnamese(), "VN"))
            .build()
            .text,
        Some("ps256_2048"),
        "valid",
        valid_checks,
    ));
    for (name, description, dsc) in [
        (
            "ps256_1024",
            "PS256 with a 1024-bit RSA key (weak, but real issuers used them)",
            "ps256_1024",
        ),
        ("ps256_3072", "PS256 with a 3072-bit RSA key", "ps256_3072"),
        ("ps256_4096", "PS256 with a 4096-bit RSA key", "ps256_4096"),
    ] {
        cases.push(case(
            name,
            description,
            CertBuilder::new(dscs.get(dsc)).build().text,
            Some(dsc),
            "valid",
            &[("signer", PASS), ("signature", PASS)],
        ));
    }
    cases.push(case(
        "tampered_payload",
        "One payload byte changed after signing (the date of birth's last digit)",
        honest.clone().tamper(Tamper::Payload).build().text,
        Some("es256"),
        "invalid",
        &[
            ("payload", PASS),
            ("schema", PASS),
            ("signer", PASS),
            ("signature", FAIL),
        ],
    ));
    cases.push(case(
        "tampered_signature",
        "One signature bit flipped after signing",
        honest.clone().tamper(Tamper::Signature).build().text,
        Some("es256"),
        "invalid",
        &[("signer", PASS), ("signature", FAIL)],
    ));
    cases.push(case(
        "wrong_key",
        "Names the ES256 DSC's kid but is signed by another EC key",
        honest
            .clone()
            .sign_with(&Key::es256("fixtures/wrong_key"))
            .build()
            .text,
        Some("es256"),
        "invalid",
        &[("signer", PASS), ("signature", FAIL)],
    ));
    cases.push(case(
        "unknown_kid",
        "Signed by a DSC that is not in the trust list",
        CertBuilder::new(dscs.get("unknown")).build().text,
        None,
        "unknown_signer",
        &[("schema", PASS), ("signer", FAIL)],
    ));
    cases.push(case(
        "shared_kid",
        "Two DSCs in the list share this kid; the first does not verify, the second does",
        CertBuilder::new(dscs.get("shared_kid_real")).build().text,
        Some("shared_kid_real"),
        "valid",
        &[("signer", PASS), ("signature", PASS)],
    ));
    cases.push(case(
        "kid_unprotected_only",
        "The kid is only in the unprotected header",
        honest
            .clone()
            .kid_placement(KidPlacement::Unprotected)
            .build()
            .text,
        Some("es256"),
        "valid",
        &[("cose", PASS), ("signer", PASS), ("signature", PASS)],
    ));
    cases.push(case(
        "kid_protected_wins",
        "Right kid in the protected header, a wrong one in the unprotected header: the protected one counts",
        honest
            .clone()
            .kid_placement(KidPlacement::Both)
            .unprotected_kid(&dscs.get("unknown").kid())
            .build()
            .text,
        Some("es256"),
        "valid",
        &[("signer", PASS), ("signature", PASS)],
    ));
    cases.push(case(
        "untagged_cose",
        "COSE_Sign1 without its CBOR tag 18",
        honest.clone().tagged(false).build().text,
        Some("es256"),
        "valid",
        &[("cose", PASS), ("signature", PASS)],
    ));
    cases.push(case(
        "cwt_tag_61",
        "COSE_Sign1 wrapped in a CWT tag 61",
        honest.clone().cwt_tag(true).build().text,
        Some("es256"),
        "valid",
        &[("cose", PASS), ("signature", PASS)],
    ));
    cases.push(case(
        "expired",
        "Issued 2025-02-01, expired 2026-02-01",
        honest
            .clone()
            .iat(Some(unix(2025, 2, 1)))
            .exp(Some(unix(2026, 2, 1)))
            .build()
            .text,
        Some("es256"),
        "expired",
        &[
            ("signature", PASS),
            ("signer_validity", PASS),
            ("expiry", FAIL),
        ],
    ));
    cases.push(case(
        "not_yet_valid",
        "Issued 2026-09-01, after the validation time",
        honest
            .clone()
            .iat(Some(unix(2026, 9, 1)))
            .exp(Some(unix(2027, 9, 1)))
            .build()
            .text,
        Some("es256"),
        "not_yet_valid",
        &[
            ("signature", PASS),
            ("signer_validity", PASS),
            ("expiry", FAIL),
        ],
    ));
    cases.push(case(
        "signer_expires_first",
        "Expires 2027-01-01 but its DSC ends 2026-09-01",
        CertBuilder::new(dscs.get("short_lived")).build().text,
        Some("short_lived"),
        "invalid",
        &[
            ("signature", PASS),
            ("signer_validity", FAIL),
            ("expiry", PASS),
        ],
    ));
    cases.push(case(
        "signer_not_yet_valid_at_iat",
        "Issued 2026-01-01 by a DSC valid only from 2026-03-01",
        CertBuilder::new(dscs.get("late_start")).build().text,
        Some("late_start"),
        "invalid",
        &[
            ("signature", PASS),
            ("signer_validity", FAIL),
            ("expiry", PASS),
        ],
    ));
    cases.push(case(
        "key_usage_test_only",
        "A vaccination signed by a DSC whose extended key usage allows test certificates only",
        CertBuilder::new(dscs.get("test_only")).build().text,
        Some("test_only"),
        "invalid",
        &[("signature", PASS), ("key_usage", FAIL)],
    ));
    cases.push(case(
        "no_eku_recovery",
        "A recovery signed by a DSC without any DCC extended key usage (allowed for every type)",
        CertBuilder::new(dscs.get("no_eku"))
            .payload(payload::recovery(&example, "VN"))
            .build()
            .text,
        Some("no_eku"),
        "valid",
        &[("signature", PASS), ("key_usage", PASS)],
    ));
    cases.push(case(
        "float_timestamps",
        "iat and exp written as CBOR floats",
        honest.clone().float_timestamps(true).build().text,
        Some("es256"),
        "valid",
        &[("cwt", PASS), ("signature", PASS), ("expiry", PASS)],
    ));

    let mut no_dob = payload::vaccination(&example, "VN");
    if let Some(map) = no_dob.as_object_mut() {
        map.remove("dob");
    }
    cases.push(case(
        "schema_missing_dob",
        "The payload has no date of birth",
        honest.clone().payload(no_dob).build().text,
        Some("es256"),
        "invalid",
        &[("payload", PASS), ("schema", FAIL), ("signature", PASS)],
    ));
    let mut bad_dob = payload::vaccination(&example, "VN");
    bad_dob["dob"] = "14.02.1985".into();
    cases.push(case(
        "schema_bad_dob",
        "The date of birth is not an ISO 8601 date (14.02.1985)",
        honest.clone().payload(bad_dob).build().text,
        Some("es256"),
        "invalid",
        &[("payload", PASS), ("schema", FAIL), ("signature", PASS)],
    ));
    let mut both = payload::vaccination(&example, "VN");
    both["t"] = payload::test(&example, "VN")["t"].clone();
    cases.push(case(
        "schema_v_and_t",
        "Both a vaccination and a test group in one certificate",
        honest.clone().payload(both).build().text,
        Some("es256"),
        "invalid",
        &[("payload", PASS), ("schema", FAIL), ("signature", PASS)],
    ));
    cases.push(case(
        "es256_header_rsa_key",
        "The header says ES256 but the kid names an RSA DSC (signed with RSA-PSS)",
        CertBuilder::new(ps2048).alg(crate::ES256).build().text,
        Some("ps256_2048"),
        "invalid",
        &[("signer", PASS), ("signature", FAIL)],
    ));
    cases.push(case(
        "ps256_header_ec_key",
        "The header says PS256 but the kid names an EC DSC (signed with ECDSA)",
        honest.clone().alg(crate::PS256).build().text,
        Some("es256"),
        "invalid",
        &[("signer", PASS), ("signature", FAIL)],
    ));
    cases.push(case(
        "no_kid",
        "No kid in either header",
        honest
            .clone()
            .kid_placement(KidPlacement::None)
            .build()
            .text,
        None,
        "invalid",
        &[("cose", PASS), ("signer", FAIL)],
    ));
    cases.push(case(
        "garbage_after_prefix",
        "HC1: followed by text that is not base45",
        "HC1:this is not base45 @@@".to_owned(),
        None,
        "not_a_dcc",
        &[("prefix", PASS), ("base45", FAIL), ("decompress", SKIP)],
    ));
    cases.push(case(
        "not_hc1_url",
        "A web address, not a health certificate",
        "https://example.com/covid-certificate?id=12345".to_owned(),
        None,
        "not_a_dcc",
        &[("prefix", FAIL)],
    ));
    cases.push(case(
        "not_compressed",
        "The COSE is base45-encoded without zlib compression (decoding goes on)",
        honest.clone().compress(false).build().text,
        Some("es256"),
        "invalid",
        &[("decompress", FAIL)],
    ));
    cases.push(case(
        "zlib_bomb",
        "A zlib stream that inflates to 256 KiB of zeros, past the 64 KiB bound",
        hc1_text(&zlib(&vec![0u8; 256 * 1024])),
        None,
        "not_a_dcc",
        &[("base45", PASS), ("decompress", FAIL), ("cose", SKIP)],
    ));

    let whole = honest.build();
    let base45_part = whole.text.strip_prefix("HC1:").unwrap_or_default();
    // A base45 length of 3k+1 can never decode.
    let mut cut = base45_part.len() * 2 / 3;
    while cut % 3 != 1 {
        cut -= 1;
    }
    cases.push(case(
        "truncated_base45",
        "The QR text cut short (a base45 length that cannot decode)",
        format!("HC1:{}", &base45_part[..cut]),
        None,
        "not_a_dcc",
        &[("prefix", PASS), ("base45", FAIL)],
    ));
    cases.push(case(
        "truncated_zlib",
        "The compressed data cut in half",
        hc1_text(&whole.compressed[..whole.compressed.len() / 2]),
        None,
        "not_a_dcc",
        &[("base45", PASS), ("decompress", FAIL), ("cose", SKIP)],
    ));
    cases.push(case(
        "truncated_cose",
        "The COSE_Sign1 cut to 60% before compression",
        hc1_text(&zlib(&whole.cose[..whole.cose.len() * 3 / 5])),
        None,
        "not_a_dcc",
        &[("decompress", PASS), ("cose", FAIL)],
    ));
    let claims = honest.claims();
    cases.push(case(
        "truncated_cwt",
        "A well-formed, signed COSE_Sign1 whose CWT claims are cut in half",
        honest
            .clone()
            .raw_claims(claims[..claims.len() / 2].to_vec())
            .build()
            .text,
        None,
        "not_a_dcc",
        &[("cose", PASS), ("cwt", FAIL)],
    ));
    cases.push(case(
        "hostile_name",
        "Valid, but the names are HTML (<img src=x onerror=alert(1)>): front ends must show them as text",
        honest.clone().payload(payload::vaccination(&Holder::hostile(), "VN")).build().text,
        Some("es256"),
        "valid",
        &[("schema", PASS), ("signature", PASS)],
    ));
    oddity_cases(&honest, &example, &mut cases);
    cases
}

/// What real issuers write that the EU's validation accepts (a schema `format` is an annotation;
/// extra fields are allowed): each is `valid`, with a warning that says how it was read.
fn oddity_cases(honest: &CertBuilder, example: &Holder, cases: &mut Vec<Case>) {
    let valid_with_warning: &[(&str, &str)] = &[
        ("payload", PASS),
        ("schema", PASS),
        ("signature", PASS),
        ("expiry", PASS),
    ];
    let vaccination_dated = |dt: &str| {
        let mut payload = payload::vaccination(example, "VN");
        payload["v"][0]["dt"] = dt.into();
        payload
    };
    for (name, description, dt, code) in [
        (
            "oddity_date_with_offset",
            "The vaccination date has a time with an offset (2025-11-15T08:10:00+02:00): read as 2025-11-15",
            "2025-11-15T08:10:00+02:00",
            "date_with_time",
        ),
        (
            "oddity_date_with_z",
            "The vaccination date has a time in UTC (2025-11-15T05:00:00Z): read as 2025-11-15",
            "2025-11-15T05:00:00Z",
            "date_with_time",
        ),
        (
            "oddity_date_without_zone",
            "The vaccination date has a time without a zone (2025-11-15T08:10:00): read as 2025-11-15",
            "2025-11-15T08:10:00",
            "date_with_time",
        ),
        (
            "oddity_impossible_date",
            "The vaccination date is impossible (2025-17-11, month 17): shown as written",
            "2025-17-11",
            "impossible_date",
        ),
    ] {
        cases.push(
            case(
                name,
                description,
                honest.clone().payload(vaccination_dated(dt)).build().text,
                Some("es256"),
                "valid",
                valid_with_warning,
            )
            .warnings(&[("v[0].dt", code)]),
        );
    }
    let mut recovery = payload::recovery(example, "VN");
    recovery["r"][0]["fr"] = "2025-11-01T00:00:00.000Z".into();
    cases.push(
        case(
            "oddity_date_with_milliseconds",
            "The recovery's first positive test date has a time with milliseconds (2025-11-01T00:00:00.000Z): read as 2025-11-01",
            honest.clone().payload(recovery).build().text,
            Some("es256"),
            "valid",
            valid_with_warning,
        )
        .warnings(&[("r[0].fr", "date_with_time")]),
    );
    let mut extra = payload::vaccination(example, "VN");
    extra["v"][0]["lot"] = "FK1234".into();
    cases.push(
        case(
            "oddity_extra_field",
            "A non-EU issuer (VN) adds a field of its own to the vaccination (lot: FK1234)",
            honest.clone().payload(extra).build().text,
            Some("es256"),
            "valid",
            valid_with_warning,
        )
        .warnings(&[("v[0].lot", "unknown_field")]),
    );
}

/// A demo sample: name, description, HC1 text, the status it must get.
type DemoSample = (&'static str, &'static str, String, &'static str);

fn demo_samples() -> (TrustListBuilder, Vec<DemoSample>, Vec<Batch>) {
    let ec = Key::es256("demo/es256");
    let rsa = Key::ps256(2048, "demo/ps256_2048");
    let dsc = |key: &Key, cn: &str| {
        Dsc::builder(key)
            .country("VN")
            .organization("dcc-verifier DEMO issuer")
            .subject_cn(cn)
            .not_before(unix(2025, 1, 1))
            .not_after(unix(2040, 1, 1))
            .key_usage(&EKU_ALL)
            .build()
    };
    let ec_dsc = dsc(&ec, "DEMO DSC ES256");
    let rsa_dsc = dsc(&rsa, "DEMO DSC PS256");
    let stranger = dsc(&Key::es256("demo/not_listed"), "DEMO DSC NOT LISTED");
    let mut trust = TrustListBuilder::new();
    trust.add(&ec_dsc).add(&rsa_dsc);

    let long = |dsc: &Dsc| {
        CertBuilder::new(dsc)
            .iat(Some(unix(2026, 1, 1)))
            .exp(Some(unix(2036, 1, 1)))
    };
    let example = Holder::example();
    let mut recovery = payload::recovery(&example, "VN");
    recovery["r"][0]["du"] = "2035-12-31".into();
    let mut dated = payload::vaccination(&Holder::vietnamese(), "VN");
    dated["v"][0]["dt"] = "2025-11-15T08:10:00+02:00".into();
    let samples = vec![
        (
            "vn_vaccination_ps256",
            "Vaccination, PS256 (RSA-2048), Vietnamese names",
            long(&rsa_dsc)
                .payload(payload::vaccination(&Holder::vietnamese(), "VN"))
                .build()
                .text,
            "valid",
        ),
        (
            "vaccination_es256",
            "Vaccination, ES256",
            long(&ec_dsc).build().text,
            "valid",
        ),
        (
            "test_es256",
            "Negative PCR test, ES256",
            long(&ec_dsc)
                .payload(payload::test(&example, "VN"))
                .build()
                .text,
            "valid",
        ),
        (
            "recovery_es256",
            "Recovery, ES256",
            long(&ec_dsc).payload(recovery).build().text,
            "valid",
        ),
        (
            "expired",
            "Expired on 2025-06-01",
            long(&ec_dsc)
                .iat(Some(unix(2025, 1, 1)))
                .exp(Some(unix(2025, 6, 1)))
                .build()
                .text,
            "expired",
        ),
        (
            "tampered",
            "Altered after signing: the signature no longer matches",
            long(&rsa_dsc)
                .payload(payload::vaccination(&Holder::vietnamese(), "VN"))
                .tamper(Tamper::Payload)
                .build()
                .text,
            "invalid",
        ),
        (
            "unknown_signer",
            "Signed by a key that is not in the demo trust list",
            long(&stranger).build().text,
            "unknown_signer",
        ),
        (
            "vaccination_date_with_time",
            "Vaccination whose date has a time (2025-11-15T08:10:00+02:00), as some issuers write it: valid, with a note",
            long(&ec_dsc).payload(dated).build().text,
            "valid",
        ),
        (
            "hostile_name",
            "Valid, with HTML in the names (must be shown as text)",
            long(&ec_dsc)
                .payload(payload::vaccination(&Holder::hostile(), "VN"))
                .build()
                .text,
            "valid",
        ),
    ];
    let (revoked, batches) = demo_revoked(&ec_dsc, &rsa_dsc);
    let mut samples = samples;
    samples.extend(revoked);
    (trust, samples, batches)
}

/// The demo build's revocation list (`demo/revocation.json`, which `scripts/build-web` bundles
/// when it is given no `--revocation`) and the demo certificates it withdraws: one per hash type,
/// ES256 and PS256, valid 2026–2036 like the other samples, so that REVOKED is the only verdict.
fn demo_revoked(ec_dsc: &Dsc, rsa_dsc: &Dsc) -> (Vec<DemoSample>, Vec<Batch>) {
    let specs: [(&str, &str, &Dsc, HashType, Holder); 3] = [
        (
            "revoked_ps256_signature",
            "Withdrawn by the issuer (PS256, listed by its whole RSA signature), Vietnamese names",
            rsa_dsc,
            HashType::Signature,
            Holder::vietnamese(),
        ),
        (
            "revoked_es256_uci",
            "Withdrawn by the issuer (ES256, listed by its certificate identifier, UCI)",
            ec_dsc,
            HashType::Uci,
            Holder::example(),
        ),
        (
            "revoked_es256_countrycodeuci",
            "Withdrawn by the issuer (ES256, listed by issuing country + identifier, COUNTRYCODEUCI)",
            ec_dsc,
            HashType::CountryCodeUci,
            Holder::example(),
        ),
    ];
    let mut samples = Vec::new();
    let mut batches = Vec::new();
    for (index, (name, description, dsc, hash_type, holder)) in specs.into_iter().enumerate() {
        let ci = format!("URN:UVCI:01:VN:DEMOREVOKED{index:02}#D");
        let issued = CertBuilder::new(dsc)
            .iat(Some(unix(2026, 1, 1)))
            .exp(Some(unix(2036, 1, 1)))
            .payload(with_ci(payload::vaccination(&holder, "VN"), &ci))
            .build();
        let mut batch = Batch::new(dsc, hash_type, unix(2036, 1, 1))
            .filler(&format!("demo/revocation/{name}"), 4);
        batch.entries.push(revocation_hash(
            hash_type,
            &issued,
            dsc.key().alg(),
            dsc.country(),
            &ci,
        ));
        batches.push(batch);
        samples.push((name, description, issued.text, "revoked"));
    }
    (samples, batches)
}

/// The demo SMART Health Card issuer's `iss` (the `.invalid` top-level domain: it resolves
/// nowhere, so no one can mistake it for a real issuer).
pub const DEMO_SHC_ISS: &str = "https://shc.demo-issuer.dcc-verifier.invalid";

/// The demo samples in the other formats: the SHC issuer's directory entry
/// (`demo/shc_issuer.json`), the CSCA (`demo/csca.der`), and the samples, each `(name, format,
/// description, QR texts (one, or a card's chunks), status)`.
type FormatSample = (
    &'static str,
    &'static str,
    &'static str,
    Vec<String>,
    &'static str,
);

fn demo_format_samples() -> (Vec<u8>, Vec<u8>, Vec<FormatSample>) {
    let issuer = ShcIssuer::new(DEMO_SHC_ISS, &Key::es256("demo/shc"));
    let stranger = ShcIssuer::new(
        "https://shc.unknown-issuer.dcc-verifier.invalid",
        &Key::es256("demo/shc_not_listed"),
    );
    let doses = [
        ("2021-08-02", "208", "FF2587", "Bệnh viện Bạch Mai"),
        ("2021-09-01", "208", "FF8841", "Bệnh viện Bạch Mai"),
        ("2022-03-15", "229", "GL4490", "Trung tâm Y tế Quận 1"),
    ];
    let vaccinated = fhir_immunizations("Nguyễn", &["Thị", "Lan"], "1990-04-12", &doses);
    let card = issuer.card(vaccinated.clone(), unix(2026, 1, 1));
    let other = issuer.card(
        fhir_immunizations("Trần", &["Văn", "Minh"], "1985-11-30", &doses),
        unix(2026, 1, 1),
    );
    let chunked = issuer.card(
        fhir_immunizations("Smith", &["Alex", "J."], "1978-02-03", &doses),
        unix(2026, 1, 1),
    );

    let csca = Dsc::builder(&Key::es256("demo/vds-nc/csca"))
        .country("VN")
        .organization("dcc-verifier DEMO issuer")
        .subject_cn("DEMO CSCA")
        .not_before(unix(2025, 1, 1))
        .not_after(unix(2045, 1, 1))
        .ca()
        .build();
    let bsc = |seed: &str, cn: &str, issuer: &Dsc| {
        Dsc::builder(&Key::es256(seed))
            .country("VN")
            .organization("dcc-verifier DEMO issuer")
            .subject_cn(cn)
            .not_before(unix(2025, 1, 1))
            .not_after(unix(2040, 1, 1))
            .key_usage(&[EKU_VDS_NC_TEST, EKU_VDS_NC_VACCINATION])
            .issued_by(issuer)
            .build()
    };
    let signer = SealSigner::new(&bsc("demo/vds-nc/bsc", "DEMO BARCODE SIGNER", &csca));
    let unlisted_csca = Dsc::builder(&Key::es256("demo/vds-nc/csca_not_listed"))
        .country("VN")
        .subject_cn("DEMO CSCA NOT LISTED")
        .ca()
        .build();
    let stranger_seal = SealSigner::new(&bsc(
        "demo/vds-nc/bsc_not_listed",
        "DEMO BARCODE SIGNER NOT LISTED",
        &unlisted_csca,
    ));
    let vaccination_msg = serde_json::json!({
        "pid": {"n": "NGUYEN  THI LAN", "dob": "1990-04-12", "sex": "F", "i": "C1234567"},
        "uvci": "VN0000DEMO01",
        "ve": [{
            "des": "XM68M6",
            "nam": "Comirnaty",
            "dis": "RA01.0",
            "vd": [
                {"dvc": "2021-08-02", "seq": 1, "ctr": "VNM", "adm": "Bach Mai Hospital", "lot": "FF2587"},
                {"dvc": "2021-09-01", "seq": 2, "ctr": "VNM", "adm": "Bach Mai Hospital", "lot": "FF8841"},
            ],
        }],
    });
    let test_msg = serde_json::json!({
        "pid": {"n": "TRAN  VAN MINH", "dob": "1985-11-30", "i": "C7654321"},
        "utci": "VN0000DEMOT1",
        "sp": {"spn": "Hanoi Testing Centre", "ctr": "VNM", "cd": {"p": "+84 24 0000 0000", "e": "test@example.invalid"}},
        "dat": {"sc": "2026-01-10T08:00:00+07:00", "ri": "2026-01-10T12:00:00+07:00"},
        "tr": {"tc": "molecular(PCR)", "r": "negative", "m": "nasopharyngeal"},
    });
    let seal = signer.seal("icao.vacc", "VNM", vaccination_msg.clone());
    let samples = vec![
        (
            "shc_vaccination",
            "shc",
            "SMART Health Card, three vaccinations, Vietnamese names",
            vec![card.numeric()],
            "valid",
        ),
        (
            "shc_chunked",
            "shc",
            "SMART Health Card in three QR codes (shc:/1/3/…)",
            chunked.chunks(3),
            "valid",
        ),
        (
            "shc_tampered",
            "shc",
            "SMART Health Card altered after signing (another holder's payload under its signature)",
            vec![card.with_payload_of(&other).numeric()],
            "invalid",
        ),
        (
            "shc_unknown_issuer",
            "shc",
            "SMART Health Card from an issuer that is not in the bundled directory",
            vec![stranger.card(vaccinated, unix(2026, 1, 1)).numeric()],
            "unknown_signer",
        ),
        (
            "vds_nc_vaccination",
            "vds-nc",
            "ICAO VDS-NC vaccination seal, two doses",
            vec![seal.clone()],
            "valid",
        ),
        (
            "vds_nc_test",
            "vds-nc",
            "ICAO VDS-NC test seal, negative PCR",
            vec![signer.seal("icao.test", "VNM", test_msg)],
            "valid",
        ),
        (
            "vds_nc_tampered",
            "vds-nc",
            "ICAO VDS-NC seal whose name was altered after signing",
            vec![tamper_seal(&seal, |msg| {
                msg["pid"]["n"] = "NGUYEN  VAN AN".into();
            })],
            "invalid",
        ),
        (
            "vds_nc_unknown_csca",
            "vds-nc",
            "ICAO VDS-NC seal whose signer was issued by a CSCA that is not bundled",
            vec![stranger_seal.seal("icao.vacc", "VNM", vaccination_msg)],
            "unknown_signer",
        ),
    ];
    (
        pretty(&issuer.directory_entry()),
        csca.der().to_vec(),
        samples,
    )
}

const FIXTURES_README: &str = "\
# Test fixtures — generated, do not edit

Made by the project's test issuer (`tests/issuer`); regenerate with

    cargo run -p dcc-test-issuer --bin make-fixtures

Every key is test-only and derived from a public seed. Nothing here is a real certificate.

- `certs.json` — one entry per test case: `file` (the HC1 text), `trust` (the trust list),
  `dsc` (the signing DSC in `trust/dsc/`, when one applies), `at` (validation time),
  `expect_status`, `expect_checks` (only the checks that matter for the case),
  `expect_warnings` (field → warning code, for the `oddity_*` cases).
- `certs/` — the HC1 texts.
- `trust/` — the test trust list in every format: `dsc_list.json` (gateway),
  `dsc_list.signed.json` (first line: base64 DER ECDSA-P256-SHA256 signature of the rest) with
  `dsc_list.signer.pem`, `dsc_bundle.pem`, `trust_fr.json`, `trust_ch.json`, `trust_nl.json`,
  and each DSC as `dsc/<name>.pem` / `.der`. The FR format is a map, so of the two DSCs that
  share a kid it keeps only the right one.
- `demo/` — the demo page's trust list (`dsc_list.json`, DSCs valid 2025–2040) and samples
  (`demo.json`, `.txt`, `.png`), valid 2026-01-01 to 2036-01-01; its revocation list
  (`revocation.json`, gateway format, batches expiring 2036-01-01) withdraws the three
  `revoked_*` samples (PS256 by SIGNATURE, ES256 by UCI and by COUNTRYCODEUCI).
  The other formats' samples are in `formats.json` (`format`: `shc` or `vds-nc`; a card in
  chunks has one line per chunk in its `.txt` and one image per chunk in `parts`), with their
  trust: the demo SMART Health Card issuer's `{iss, keys}` (`shc_issuer.json`) and the demo
  CSCA (`csca.der`, ECDSA P-256) that issued the barcode signer in each seal's `sig.cer`.
- `qr/` — QR images of `certs/es256_vaccination.txt` in several styles (`qr.json`).
- `revocation/` — the issuer's own revocation batches (`batches.json`, gateway format: UCI,
  COUNTRYCODEUCI and SIGNATURE batches for the ES256 and PS256-2048 DSCs, one batch expired on
  2026-05-01) and the certificates they withdraw or leave alone (`cases.json`: `file`, `trust`,
  `revocation`, `at`, `expect_status`, `expect_revocation`, `hash_type`).
";

#[derive(Serialize)]
struct RevocationCaseEntry {
    name: &'static str,
    description: &'static str,
    file: String,
    trust: &'static str,
    revocation: &'static str,
    at: String,
    expect_status: &'static str,
    expect_revocation: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    hash_type: Option<&'static str>,
}

/// A payload whose entry has this certificate identifier.
fn with_ci(mut payload: serde_json::Value, ci: &str) -> serde_json::Value {
    for group in ["v", "t", "r"] {
        if let Some(entry) = payload.get_mut(group).and_then(|g| g.get_mut(0)) {
            entry["ci"] = ci.into();
        }
    }
    payload
}

/// The issuer's own revocation batches (`revocation/batches.json`) and the certificates they
/// withdraw or leave alone, with the verdict each must get (`revocation/cases.json`).
fn revocation_fixtures(dscs: &TestDscs, set: &mut FixtureSet) {
    let live = unix(2027, 6, 1);
    let expired_batch = unix(2026, 5, 1);
    let mut batches: Vec<Batch> = Vec::new();
    fn batch_for(batches: &mut Vec<Batch>, dsc: &Dsc, hash_type: HashType, expires: i64) -> usize {
        let found = batches
            .iter()
            .position(|b| b.kid == dsc.kid() && b.hash_type == hash_type && b.expires == expires);
        found.unwrap_or_else(|| {
            let seed = format!(
                "revocation/{}/{}/{expires}",
                dsc.subject(),
                hash_type.name()
            );
            batches.push(Batch::new(dsc, hash_type, expires).filler(&seed, 3));
            batches.len() - 1
        })
    }
    struct Made {
        name: &'static str,
        description: &'static str,
        text: String,
        status: &'static str,
        revocation: &'static str,
        hash_type: Option<HashType>,
    }
    let mut made = Vec::new();
    // (name, description, DSC, co of the entry, listed by, batch expiry, cert expiry, status, check)
    type Spec = (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        Option<(HashType, bool)>,
        i64,
        &'static str,
        &'static str,
    );
    let cert_exp = unix(2027, 1, 1);
    let specs: [Spec; 12] = [
        (
            "revoked_es256_uci",
            "ES256, withdrawn by its UCI hash",
            "es256",
            "VN",
            Some((HashType::Uci, true)),
            cert_exp,
            "revoked",
            FAIL,
        ),
        (
            "revoked_es256_countrycodeuci",
            "ES256 vaccinated in FR (co) but issued by VN (iss): withdrawn by SHA-256(iss + ci)",
            "es256",
            "FR",
            Some((HashType::CountryCodeUci, true)),
            cert_exp,
            "revoked",
            FAIL,
        ),
        (
            "revoked_es256_signature",
            "ES256, withdrawn by its SIGNATURE hash (r only)",
            "es256",
            "VN",
            Some((HashType::Signature, true)),
            cert_exp,
            "revoked",
            FAIL,
        ),
        (
            "revoked_ps256_uci",
            "PS256, withdrawn by its UCI hash",
            "ps256_2048",
            "VN",
            Some((HashType::Uci, true)),
            cert_exp,
            "revoked",
            FAIL,
        ),
        (
            "revoked_ps256_countrycodeuci",
            "PS256, withdrawn by its COUNTRYCODEUCI hash",
            "ps256_2048",
            "VN",
            Some((HashType::CountryCodeUci, true)),
            cert_exp,
            "revoked",
            FAIL,
        ),
        (
            "revoked_ps256_signature",
            "PS256, withdrawn by its SIGNATURE hash (the whole 256-byte RSA signature)",
            "ps256_2048",
            "VN",
            Some((HashType::Signature, true)),
            cert_exp,
            "revoked",
            FAIL,
        ),
        (
            "revoked_and_expired",
            "ES256, expired on 2026-03-01 and withdrawn: revoked wins",
            "es256",
            "VN",
            Some((HashType::Uci, true)),
            unix(2026, 3, 1),
            "revoked",
            FAIL,
        ),
        (
            "not_revoked_es256",
            "ES256, same DSC as the withdrawn ones, not listed",
            "es256",
            "VN",
            None,
            cert_exp,
            "valid",
            PASS,
        ),
        (
            "not_revoked_ps256",
            "PS256, same DSC as the withdrawn ones, not listed",
            "ps256_2048",
            "VN",
            None,
            cert_exp,
            "valid",
            PASS,
        ),
        (
            "listed_only_in_expired_batch",
            "ES256, listed only in a batch that expired on 2026-05-01: ignored",
            "es256",
            "VN",
            Some((HashType::Uci, false)),
            cert_exp,
            "valid",
            PASS,
        ),
        (
            "co_hash_is_not_countrycodeuci",
            "ES256 with co FR, iss VN: a batch listing SHA-256(co + ci) does not withdraw it",
            "es256",
            "FR",
            None,
            cert_exp,
            "valid",
            PASS,
        ),
        (
            "not_covered",
            "PS256 3072 signer: no batch covers its kid",
            "ps256_3072",
            "VN",
            None,
            cert_exp,
            "valid",
            SKIP,
        ),
    ];
    for (index, (name, description, dsc_name, co, listed, exp, status, check)) in
        specs.into_iter().enumerate()
    {
        let dsc = dscs.get(dsc_name);
        let ci = format!("URN:UVCI:01:{co}:DCCREVOCATION{index:02}#R");
        let issued = CertBuilder::new(dsc)
            .payload(with_ci(payload::vaccination(&Holder::example(), co), &ci))
            .exp(Some(exp))
            .build();
        let alg = dsc.key().alg();
        let iss = dsc.country();
        if let Some((hash_type, in_live_batch)) = listed {
            let expires = if in_live_batch { live } else { expired_batch };
            let batch = batch_for(&mut batches, dsc, hash_type, expires);
            batches[batch]
                .entries
                .push(revocation_hash(hash_type, &issued, alg, iss, &ci));
        }
        if name == "co_hash_is_not_countrycodeuci" {
            // What a verifier that wrongly hashed the entry's co would find.
            let batch = batch_for(&mut batches, dsc, HashType::CountryCodeUci, live);
            batches[batch].entries.push(revocation_hash(
                HashType::CountryCodeUci,
                &issued,
                alg,
                co,
                &ci,
            ));
        }
        made.push(Made {
            name,
            description,
            text: issued.text,
            status,
            revocation: check,
            hash_type: listed.filter(|(_, live)| *live).map(|(t, _)| t),
        });
    }
    set.add("revocation/batches.json", batches_file(&batches));
    let at = rfc3339(validation_time());
    let mut manifest = Vec::new();
    for case in made {
        let file = format!("revocation/{}.txt", case.name);
        set.add(&file, case.text);
        manifest.push(RevocationCaseEntry {
            name: case.name,
            description: case.description,
            file,
            trust: "trust/dsc_list.json",
            revocation: "revocation/batches.json",
            at: at.clone(),
            expect_status: case.status,
            expect_revocation: case.revocation,
            hash_type: case.hash_type.map(HashType::name),
        });
    }
    set.add("revocation/cases.json", pretty(&manifest));
}

/// Builds the whole fixture set.
pub fn build() -> FixtureSet {
    let mut set = FixtureSet::default();
    set.add("README.md", FIXTURES_README);

    // Trust lists.
    let dscs = test_dscs();
    let real = dscs.get("shared_kid_real");
    let mut trust = TrustListBuilder::new();
    for name in LISTED {
        let dsc = dscs.get(name);
        if name == "shared_kid_decoy" {
            trust.add_with_kid(dsc, real.kid());
        } else {
            trust.add(dsc);
        }
        set.add(&format!("trust/dsc/{name}.pem"), dsc.pem());
        set.add(&format!("trust/dsc/{name}.der"), dsc.der().to_vec());
    }
    let signer = Key::es256("fixtures/trust-list-signer");
    set.add("trust/dsc_list.json", trust.dsc_list_json());
    set.add("trust/dsc_list.signed.json", trust.signed_dsc_list(&signer));
    set.add("trust/dsc_list.signer.pem", signer.public_key_pem());
    set.add("trust/dsc_bundle.pem", trust.pem_bundle());
    // FR is a map: the decoy would replace the real DSC under the shared kid.
    let mut fr = TrustListBuilder::new();
    for name in LISTED.iter().filter(|name| **name != "shared_kid_decoy") {
        fr.add(dscs.get(name));
    }
    set.add("trust/trust_fr.json", fr.fr_json());
    set.add("trust/trust_ch.json", trust.ch_json());
    set.add("trust/trust_nl.json", trust.nl_json());

    // Test cases.
    let at = rfc3339(validation_time());
    let mut manifest = Vec::new();
    for case in test_cases(&dscs) {
        let file = format!("certs/{}.txt", case.name);
        set.add(&file, case.text);
        manifest.push(CaseEntry {
            name: case.name,
            description: case.description,
            file,
            trust: "trust/dsc_list.json",
            dsc: case.dsc.map(|name| format!("trust/dsc/{name}.pem")),
            at: at.clone(),
            expect_status: case.status,
            expect_checks: Checks(case.checks),
            expect_warnings: Checks(case.warnings),
        });
    }
    set.add("certs.json", pretty(&manifest));
    revocation_fixtures(&dscs, &mut set);

    // Demo.
    let (demo_trust, samples, demo_batches) = demo_samples();
    set.add("demo/dsc_list.json", demo_trust.dsc_list_json());
    set.add("demo/revocation.json", batches_file(&demo_batches));
    let mut demo = Vec::new();
    for (name, description, text, status) in samples {
        let file = format!("demo/{name}.txt");
        let png = format!("demo/{name}.png");
        set.add(&png, qr::png(&text, &QrStyle::default()));
        set.add(&file, text);
        demo.push(DemoEntry {
            name,
            description,
            file,
            png,
            expect_status: status,
        });
    }
    set.add("demo/demo.json", pretty(&demo));

    // Demo samples in the other formats, with the trust that verifies them.
    let (shc_issuer, csca, format_samples) = demo_format_samples();
    set.add("demo/shc_issuer.json", shc_issuer);
    set.add("demo/csca.der", csca);
    let mut formats = Vec::new();
    for (name, format, description, texts, status) in format_samples {
        let file = format!("demo/{name}.txt");
        let (png, parts) = if texts.len() == 1 {
            let png = format!("demo/{name}.png");
            set.add(&png, qr::png(&texts[0], &QrStyle::default()));
            (Some(png), Vec::new())
        } else {
            let parts: Vec<String> = (1..=texts.len())
                .map(|part| format!("demo/{name}_{part}.png"))
                .collect();
            for (png, text) in parts.iter().zip(&texts) {
                set.add(png, qr::png(text, &QrStyle::default()));
            }
            (None, parts)
        };
        set.add(&file, texts.join("\n"));
        formats.push(FormatEntry {
            name,
            format,
            description,
            file,
            png,
            parts,
            expect_status: status,
        });
    }
    set.add("demo/formats.json", pretty(&formats));

    // QR images for the decoder.
    let source = "certs/es256_vaccination.txt";
    let text = String::from_utf8(set.get(source).expect("es256 case").to_vec()).expect("UTF-8");
    let styles = [
        (
            "es256_vaccination",
            "Black on white, 4 px per module, quiet zone of 4",
            QrStyle::default(),
        ),
        (
            "es256_vaccination_inverted",
            "White on black (inverted)",
            QrStyle {
                inverted: true,
                ..QrStyle::default()
            },
        ),
        (
            "es256_vaccination_transparent",
            "Black on a fully transparent background (RGBA 0,0,0,0)",
            QrStyle {
                transparent: true,
                ..QrStyle::default()
            },
        ),
        (
            "es256_vaccination_small",
            "150 × 150 px, modules of uneven size (about 2 px)",
            QrStyle {
                size: Some(150),
                ..QrStyle::default()
            },
        ),
        (
            "es256_vaccination_level_m",
            "Error correction level M",
            QrStyle {
                ec_level: qrcode::EcLevel::M,
                ..QrStyle::default()
            },
        ),
    ];
    let mut qr_manifest = Vec::new();
    for (name, description, style) in styles {
        let file = format!("qr/{name}.png");
        set.add(&file, qr::png(&text, &style));
        qr_manifest.push(QrEntry {
            file,
            text_file: source.to_owned(),
            description,
        });
    }
    set.add("qr/qr.json", pretty(&qr_manifest));
    set
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use coset::{CborSerializable, CoseSign1, TaggedCborSerializable};
    use p256::ecdsa::signature::Verifier;
    use serde_json::Value;

    /// A minimal independent check: does any DSC listed under the certificate's kid verify it?
    fn verifies(text: &str, list: &Value) -> Option<bool> {
        let compressed = base45::decode(text.strip_prefix("HC1:")?).ok()?;
        let cose = miniz_oxide::inflate::decompress_to_vec_zlib(&compressed).ok()?;
        // A CWT tag 61 (0xd8 0x3d) may wrap the COSE_Sign1.
        let cose = cose.strip_prefix(&[0xd8, 0x3d]).unwrap_or(&cose);
        let sign1 = CoseSign1::from_tagged_slice(cose)
            .or_else(|_| CoseSign1::from_slice(cose))
            .ok()?;
        let kid = if sign1.protected.header.key_id.is_empty() {
            &sign1.unprotected.key_id
        } else {
            &sign1.protected.header.key_id
        };
        let kid = crate::b64(kid);
        let alg = sign1
            .protected
            .header
            .alg
            .clone()
            .or(sign1.unprotected.alg.clone());
        let es256 = alg
            == Some(coset::RegisteredLabelWithPrivate::Assigned(
                coset::iana::Algorithm::ES256,
            ));
        let ps256 = alg
            == Some(coset::RegisteredLabelWithPrivate::Assigned(
                coset::iana::Algorithm::PS256,
            ));
        let tbs = sign1.tbs_data(b"");
        let b64 = base64::engine::general_purpose::STANDARD;
        let mut any = false;
        for entry in list["certificates"].as_array()? {
            if entry["kid"].as_str() != Some(kid.as_str()) {
                continue;
            }
            let der = b64.decode(entry["rawData"].as_str()?).ok()?;
            let cert = <x509_cert::Certificate as der::Decode>::from_der(&der).ok()?;
            let spki =
                der::Encode::to_der(cert.tbs_certificate().subject_public_key_info()).ok()?;
            let ok = if let Ok(key) =
                <p256::ecdsa::VerifyingKey as spki::DecodePublicKey>::from_public_key_der(&spki)
            {
                es256
                    && p256::ecdsa::Signature::from_slice(&sign1.signature)
                        .is_ok_and(|signature| key.verify(&tbs, &signature).is_ok())
            } else {
                let key =
                    <rsa::PublicKey as spki::DecodePublicKey>::from_public_key_der(&spki).ok()?;
                let verifier = rsa::pss::VerifyingKey::<sha2::Sha256>::new(key);
                ps256
                    && rsa::pss::Signature::try_from(sign1.signature.as_slice())
                        .is_ok_and(|signature| verifier.verify(&tbs, &signature).is_ok())
            };
            any |= ok;
        }
        Some(any)
    }

    #[test]
    fn fixture_set_is_deterministic_consistent_and_small() {
        let set = build();
        assert_eq!(set, build(), "two runs give identical files");
        assert!(
            set.total_bytes() < 400 * 1024,
            "fixtures stay small: {} bytes",
            set.total_bytes()
        );

        let list: Value =
            serde_json::from_slice(set.get("trust/dsc_list.json").expect("list")).expect("JSON");
        let manifest: Value =
            serde_json::from_slice(set.get("certs.json").expect("manifest")).expect("JSON");
        let cases = manifest.as_array().expect("array");
        assert!(cases.len() >= 35);
        for entry in cases {
            let name = entry["name"].as_str().expect("name");
            let file = entry["file"].as_str().expect("file");
            let text = std::str::from_utf8(set.get(file).expect("case file")).expect("UTF-8");
            assert!(set.get(entry["trust"].as_str().expect("trust")).is_some());
            if let Some(dsc) = entry["dsc"].as_str() {
                assert!(set.get(dsc).is_some(), "{name}: {dsc}");
            }
            let status = entry["expect_status"].as_str().expect("status");
            let signature = entry["expect_checks"]["signature"].as_str();
            let verdict = verifies(text, &list);
            if status == "valid" || signature == Some("pass") {
                assert_eq!(verdict, Some(true), "{name} must verify");
            }
            if signature == Some("fail") {
                assert_ne!(verdict, Some(true), "{name} must not verify");
            }
            if status == "unknown_signer" {
                assert_eq!(verdict, Some(false), "{name}: no DSC for its kid");
            }
        }
        for path in set.paths() {
            if path.ends_with(".json") {
                let body = set.get(path).expect("file");
                let body = if path.ends_with(".signed.json") {
                    body.splitn(2, |b| *b == b'\n').nth(1).expect("two lines")
                } else {
                    body
                };
                assert!(
                    serde_json::from_slice::<Value>(body).is_ok(),
                    "{path} is JSON"
                );
            }
        }
    }

    #[test]
    fn demo_samples_verify_against_the_demo_list() {
        let set = build();
        let list: Value =
            serde_json::from_slice(set.get("demo/dsc_list.json").expect("list")).expect("JSON");
        let demo: Value =
            serde_json::from_slice(set.get("demo/demo.json").expect("demo")).expect("JSON");
        for entry in demo.as_array().expect("array") {
            let text =
                std::str::from_utf8(set.get(entry["file"].as_str().expect("file")).expect("txt"))
                    .expect("UTF-8");
            assert!(set
                .get(entry["png"].as_str().expect("png"))
                .is_some_and(|png| png.starts_with(b"\x89PNG")));
            let verdict = verifies(text, &list);
            match entry["expect_status"].as_str() {
                Some("valid" | "expired" | "revoked") => assert_eq!(verdict, Some(true), "{entry}"),
                _ => assert_ne!(verdict, Some(true), "{entry}"),
            }
        }
    }
}
