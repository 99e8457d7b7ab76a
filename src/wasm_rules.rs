//! The rules module's JavaScript boundary (feature `rules-api`), a part of `src/wasm.rs` kept in
//! its own file. The page loads this module only when rules are asked for: the verifier module
//! that loads at start carries none of it.

use js_sys::{Date, Reflect};
use serde::Serialize;
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;

use crate::rules;

/// Business rules (any number of countries and versions) and the EU value sets they may need.
#[wasm_bindgen]
pub struct RuleSet {
    inner: rules::RuleSet,
    value_sets: Map<String, Value>,
}

#[wasm_bindgen]
impl RuleSet {
    /// Reads rules: one rule, an array of rules (as the EU gateway publishes them), or an
    /// object of country code → rules (the page's compact snapshot).
    #[wasm_bindgen(constructor)]
    pub fn new(text: &str) -> Result<RuleSet, JsError> {
        Ok(RuleSet {
            inner: rules::RuleSet::from_json(text.as_bytes())?,
            value_sets: Map::new(),
        })
    }

    /// A built-in policy by name (see `policies()`).
    pub fn policy(name: &str) -> Result<RuleSet, JsError> {
        let policy = rules::policies::find(name)
            .ok_or_else(|| JsError::new(&format!("no built-in policy \"{name}\"")))?;
        Ok(RuleSet {
            inner: policy.rules(),
            value_sets: Map::new(),
        })
    }

    /// Adds EU value sets (`{"id": ["code", ...]}`, or ehn-dcc-valuesets files).
    #[wasm_bindgen(js_name = addValueSets)]
    pub fn add_value_sets(&mut self, text: &str) -> Result<(), JsError> {
        Ok(rules::add_value_sets(
            &mut self.value_sets,
            text.as_bytes(),
        )?)
    }

    /// The countries with at least one rule, sorted.
    #[wasm_bindgen(getter)]
    pub fn countries(&self) -> Vec<String> {
        self.inner.countries()
    }

    /// The number of rule versions.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.inner.rules().len()
    }
}

/// Checks the certificate in a QR text against the rules of `options.country` (required) at
/// `options.now` (a `Date` or epoch milliseconds; default now), with `options.region` and
/// descriptions in `options.lang` (default "en"). Returns the report's `rules` section:
/// `{ country, validation_clock, verdict, summary, rules: [...], not_applicable: [...] }`.
/// The certificate is only read here, not verified: `verify()` does that.
#[wasm_bindgen(js_name = checkRules)]
pub fn check_rules(
    text: &str,
    rules: &RuleSet,
    options: js_sys::Object,
) -> Result<JsValue, JsError> {
    let get =
        |key: &str| Reflect::get(&options, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    let country = get("country")
        .as_string()
        .ok_or_else(|| JsError::new("options.country (the arrival country) is required"))?;
    let region = get("region").as_string();
    let lang = get("lang").as_string().unwrap_or_else(|| "en".to_owned());
    let now = get("now");
    let now_ms = if let Some(date) = now.dyn_ref::<Date>() {
        date.get_time()
    } else {
        now.as_f64().unwrap_or_else(Date::now)
    };
    let seconds = (now_ms / 1000.0).floor();
    if !seconds.is_finite() {
        return Err(JsError::new("options.now is not a valid time"));
    }
    let at = seconds as i64;
    let query = rules::Query {
        country: &country,
        region: region.as_deref(),
        at,
        value_sets: (!rules.value_sets.is_empty()).then_some(&rules.value_sets),
        lang: &lang,
    };
    to_js(&rules::check_text(&rules.inner, text, &query))
}

/// The built-in policies: `[{ name, country, title_en, title_vi }]`.
#[wasm_bindgen]
pub fn policies() -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct Entry {
        name: &'static str,
        country: &'static str,
        title_en: &'static str,
        title_vi: &'static str,
    }
    let list: Vec<Entry> = rules::policies::POLICIES
        .iter()
        .map(|p| Entry {
            name: p.name,
            country: p.country,
            title_en: p.title_en,
            title_vi: p.title_vi,
        })
        .collect();
    to_js(&list)
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value
        .serialize(&serializer)
        .map_err(|error| JsError::new(&error.to_string()))
}
