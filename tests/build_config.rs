//! wasm-pack.toml describes the web build and scripts/build-web reads it; wasm-pack itself reads
//! only Cargo.toml, where wasm-opt's flags are written once. These tests fail when a setting is
//! unusable, dead, or written in both places.
#![cfg(not(target_arch = "wasm32"))] // native only: wasm-pack test builds every test target

use std::path::Path;

fn read_toml(name: &str) -> toml::Table {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    text.parse()
        .unwrap_or_else(|error| panic!("{name}: {error}"))
}

fn strings(value: &toml::Value) -> Vec<String> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v.as_str().expect("a string").to_owned())
        .collect()
}

#[test]
fn wasm_opt_flags_are_written_once_in_cargo_toml() {
    let web = read_toml("wasm-pack.toml");
    let cargo = read_toml("Cargo.toml");
    let flags =
        strings(&cargo["package"]["metadata"]["wasm-pack"]["profile"]["release"]["wasm-opt"]);
    assert!(
        flags.iter().any(|flag| flag.starts_with("-O")),
        "an optimisation level: {flags:?}"
    );
    assert!(
        !web.contains_key("wasm-opt"),
        "wasm-pack.toml must not repeat Cargo.toml's wasm-opt flags (wasm-pack reads only Cargo.toml)"
    );
}

#[test]
fn every_module_names_real_features_and_a_budget() {
    let web = read_toml("wasm-pack.toml");
    let cargo = read_toml("Cargo.toml");
    let features = cargo["features"].as_table().expect("features");
    let modules = web["module"].as_array().expect("[[module]] entries");
    assert!(!modules.is_empty());
    for module in modules {
        let name = module["name"].as_str().expect("a name");
        for feature in strings(&module["features"]) {
            assert!(
                features.contains_key(&feature),
                "module {name}: no Cargo feature {feature}"
            );
        }
        assert!(
            module["gzip-budget"].as_integer().is_some_and(|b| b > 0),
            "module {name}: no budget"
        );
        // A module's own cargo profile: it must exist, and wasm-pack then takes wasm-opt's flags
        // from the metadata profile named `custom`.
        if let Some(profile) = module.get("profile") {
            let profile = profile.as_str().expect("a profile name");
            assert!(
                cargo["profile"]
                    .get(profile)
                    .is_some_and(toml::Value::is_table),
                "module {name}: no cargo profile {profile}"
            );
            let flags = strings(
                &cargo["package"]["metadata"]["wasm-pack"]["profile"]["custom"]["wasm-opt"],
            );
            assert!(flags.iter().any(|flag| flag.starts_with("-O")), "{flags:?}");
        }
    }
}

#[test]
fn target_profile_and_out_dir_are_usable() {
    let web = read_toml("wasm-pack.toml");
    let cargo = read_toml("Cargo.toml");
    let target = web["target"].as_str().expect("target");
    assert!(
        ["web", "bundler", "nodejs", "no-modules", "deno"].contains(&target),
        "{target}"
    );
    let profile = web["profile"].as_str().expect("profile");
    assert!(
        cargo["profile"]
            .as_table()
            .expect("profiles")
            .contains_key(profile),
        "no profile {profile}"
    );
    assert!(
        web["out-dir"]
            .as_str()
            .expect("out-dir")
            .starts_with("www/"),
        "the modules belong to the static site"
    );
}

#[test]
fn build_script_reads_this_file() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/lib/build-web.mjs");
    let script = std::fs::read_to_string(&path).expect("scripts/lib/build-web.mjs");
    assert!(script.contains("'wasm-pack.toml'"));
}
