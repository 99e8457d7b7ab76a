//! The page's copy of the DCC field table (`www/js/fields.js`) is generated from
//! `src/dcc/fields.rs`; these tests fail when it is stale, or when a label or a value set it
//! names is missing from the page. `UPDATE_GENERATED=1 cargo test --test fields` rewrites it.
#![cfg(not(target_arch = "wasm32"))] // native only: wasm-pack test builds every test target

use std::path::Path;

use dcc_verifier::dcc::fields::{Place, Shown, FIELDS};

const PAGE_TABLE: &str = "www/js/fields.js";

fn read(path: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The page's name of a place: `top`, `nam`, `v`, `t`, `r`.
fn place_name(place: Place) -> &'static str {
    match place {
        Place::Top => "top",
        other => other.key(),
    }
}

/// How the page shows a field, as JS object members after `key` and `label`.
fn shown(shown: Shown) -> String {
    let name = |name: &str| format!("shown: '{name}'");
    match shown {
        Shown::Holder => name("holder"),
        Shown::Section => name("section"),
        Shown::Text => name("text"),
        Shown::Identifier => name("identifier"),
        Shown::Code(set) => format!("{}, set: '{set}'", name("code")),
        Shown::Country => name("country"),
        Shown::Date => name("date"),
        Shown::DateTime => name("dateTime"),
        Shown::OutOf(other) => format!("{}, of: '{other}'", name("outOf")),
        Shown::WithAnother => name("withAnother"),
    }
}

/// `www/js/fields.js` as `src/dcc/fields.rs` says it.
fn page_table() -> String {
    let mut text = String::from(
        "// Generated from src/dcc/fields.rs (the DCC's fields, shared by the reader, the schema\n\
         // check and this page) by tests/fields.rs. Do not edit: run\n\
         // `UPDATE_GENERATED=1 cargo test --test fields`.\n\n\
         /**\n \
         * The fields of each place of the payload (`top`, `nam`, and the entries of `v`, `t`, `r`),\n \
         * in the schemas' order: `key`, `label` (a key of www/i18n/*.js) and how the page shows the\n \
         * value (`shown`; `set` names a table of www/i18n/valuesets.js, `of` the field shown as m\n \
         * in \"n of m\").\n \
         */\n\
         export const FIELDS = {\n",
    );
    for place in Place::ALL {
        text.push_str(&format!("  {}: [\n", place_name(place)));
        for field in FIELDS.iter().filter(|field| field.place == place) {
            text.push_str(&format!(
                "    {{ key: '{}', label: '{}', {} }},\n",
                field.key,
                field.label,
                shown(field.shown)
            ));
        }
        text.push_str("  ],\n");
    }
    text.push_str("};\n");
    text
}

#[test]
fn the_page_table_is_generated_from_the_rust_table() {
    let expected = page_table();
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(PAGE_TABLE);
        std::fs::write(&path, &expected).expect("write www/js/fields.js");
    }
    assert!(
        read(PAGE_TABLE) == expected,
        "{PAGE_TABLE} is stale: run `UPDATE_GENERATED=1 cargo test --test fields`"
    );
}

#[test]
fn every_label_is_translated_in_both_languages() {
    for language in ["www/i18n/en.js", "www/i18n/vi.js"] {
        let translations = read(language);
        for field in FIELDS {
            assert!(
                translations.contains(&format!("'{}':", field.label)),
                "{language} has no '{}' (label of {:?} {})",
                field.label,
                field.place,
                field.key
            );
        }
    }
}

#[test]
fn every_value_set_and_partner_field_exists() {
    let value_sets = read("www/i18n/valuesets.js");
    let exported = value_sets
        .lines()
        .find(|line| line.starts_with("export const VALUE_SETS"))
        .expect("valuesets.js exports VALUE_SETS");
    for field in FIELDS {
        match field.shown {
            Shown::Code(set) => assert!(
                exported.contains(&format!(" {set},")) || exported.contains(&format!(" {set} ")),
                "valuesets.js has no table {set} (for {})",
                field.key
            ),
            Shown::OutOf(other) => assert!(
                FIELDS.iter().any(|partner| partner.place == field.place
                    && partner.key == other
                    && partner.shown == Shown::WithAnother),
                "{} is shown out of {other}, which is not a field shown with another",
                field.key
            ),
            _ => {}
        }
    }
}
