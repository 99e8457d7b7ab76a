//! The FHIR bundle of a SMART Health Card, read into the [`Holder`] and the [`Event`]s
//! (Immunization and lab Observation resources), with the rules a card's bundle must follow.

use serde_json::Value;

use crate::formats::{str_field, Event, EventKind, Holder};

/// What the bundle holds, and what is wrong with it.
#[derive(Debug, Default)]
pub(crate) struct Bundle {
    pub holder: Option<Holder>,
    pub events: Vec<Event>,
    pub problems: Vec<String>,
}

/// Longest text kept from a card's field.
const MAX_FIELD_CHARS: usize = 200;

/// Most problems listed.
const MAX_PROBLEMS: usize = 16;

/// Reads the bundle (`vc.credentialSubject.fhirBundle`).
pub(crate) fn read(bundle: &Value) -> Bundle {
    let mut read = Bundle::default();
    if str_field(bundle, "resourceType") != Some("Bundle") {
        read.problems
            .push("the FHIR bundle's resourceType is not Bundle".to_owned());
    }
    let Some(entries) = bundle.get("entry").and_then(Value::as_array) else {
        read.problems
            .push("the FHIR bundle has no entries".to_owned());
        return read;
    };
    for (index, entry) in entries.iter().enumerate() {
        let Some(resource) = entry.get("resource") else {
            problem(&mut read, format!("entry {index} holds no resource"));
            continue;
        };
        for why in qr_rule_problems(entry, resource) {
            problem(&mut read, format!("entry {index} {why}"));
        }
        match str_field(resource, "resourceType") {
            Some("Patient") => {
                if read.holder.is_some() {
                    problem(&mut read, "the bundle names two patients".to_owned());
                } else {
                    read.holder = Some(holder(resource));
                }
            }
            Some("Immunization") => {
                let event = immunization(resource);
                if let Some(status) = &event.status {
                    problem(
                        &mut read,
                        format!("immunization {index} has status \"{status}\", not completed"),
                    );
                }
                read.events.push(event);
            }
            Some("Observation") => read.events.push(observation(resource)),
            Some(_) => {}
            None => problem(&mut read, format!("entry {index} has no resourceType")),
        }
    }
    read
}

/// The rules of the specification for bundles in QR codes ("Health Cards as QR codes"):
/// short `resource:N` URLs, no `Resource.id`, no `DomainResource.text`, and `Resource.meta`
/// only with `security`.
fn qr_rule_problems(entry: &Value, resource: &Value) -> Vec<&'static str> {
    let mut problems = Vec::new();
    let short_url = str_field(entry, "fullUrl").is_some_and(|url| {
        url.strip_prefix("resource:")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    });
    if !short_url {
        problems.push("has no short fullUrl (resource:N)");
    }
    if resource.get("id").is_some() {
        problems.push("carries a resource id, which a card leaves out");
    }
    if resource.get("text").is_some() {
        problems.push("carries a narrative text, which a card leaves out");
    }
    if let Some(meta) = resource.get("meta") {
        let only_security = meta
            .as_object()
            .is_some_and(|meta| meta.len() == 1 && meta.contains_key("security"));
        if !only_security {
            problems.push("has meta fields other than security");
        }
    }
    problems
}

fn problem(read: &mut Bundle, text: String) {
    if read.problems.len() < MAX_PROBLEMS {
        read.problems.push(text);
    }
}

fn text(value: Option<&Value>) -> Option<String> {
    value
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(|text| text.chars().take(MAX_FIELD_CHARS).collect())
}

fn holder(patient: &Value) -> Holder {
    let name = patient
        .get("name")
        .and_then(Value::as_array)
        .and_then(|names| names.first())
        .and_then(|name| {
            if let Some(text) = text(name.get("text")) {
                return Some(text);
            }
            let mut parts: Vec<String> = name
                .get("given")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|given| text(Some(given)))
                .collect();
            parts.extend(text(name.get("family")));
            (!parts.is_empty()).then(|| parts.join(" "))
        });
    Holder {
        name,
        dob: text(patient.get("birthDate")),
    }
}

/// The first coding of a CodeableConcept: (system, code).
fn coding(concept: Option<&Value>) -> Option<(String, String)> {
    let coding = concept?.get("coding")?.as_array()?.first()?;
    Some((
        text(coding.get("system")).unwrap_or_default(),
        text(coding.get("code"))?,
    ))
}

fn immunization(resource: &Value) -> Event {
    let mut event = Event::new(EventKind::Immunization);
    if let Some((system, code)) = coding(resource.get("vaccineCode")) {
        let system_name = system_name(&system);
        event.name = vaccine_name(system_name, &code).map(str::to_owned);
        event.code = Some(format!("{system_name} {code}"));
    }
    event.date =
        text(resource.get("occurrenceDateTime")).or_else(|| text(resource.get("occurrenceString")));
    event.lot = text(resource.get("lotNumber"));
    event.performer = resource
        .get("performer")
        .and_then(Value::as_array)
        .and_then(|performers| performers.first())
        .and_then(|performer| text(performer.pointer("/actor/display")));
    event.status = text(resource.get("status")).filter(|status| status != "completed");
    event
}

fn observation(resource: &Value) -> Event {
    let mut event = Event::new(EventKind::Test);
    if let Some((system, code)) = coding(resource.get("code")) {
        let system_name = system_name(&system);
        event.name = test_name(system_name, &code).map(str::to_owned);
        event.code = Some(format!("{system_name} {code}"));
    }
    event.date = text(resource.get("effectiveDateTime"));
    event.result = coding(resource.get("valueCodeableConcept"))
        .map(
            |(system, code)| match result_name(system_name(&system), &code) {
                Some(name) => name.to_owned(),
                None => code,
            },
        )
        .or_else(|| text(resource.get("valueString")));
    event.performer = resource
        .get("performer")
        .and_then(Value::as_array)
        .and_then(|performers| performers.first())
        .and_then(|performer| text(performer.get("display")));
    event.status = text(resource.get("status")).filter(|status| status != "final");
    event
}

fn system_name(system: &str) -> &str {
    match system {
        "http://hl7.org/fhir/sid/cvx" => "CVX",
        "http://snomed.info/sct" => "SNOMED",
        "http://id.who.int/icd/release/11/mms" | "http://id.who.int/icd11/mms" => "ICD-11",
        "http://loinc.org" => "LOINC",
        other => other,
    }
}

/// Vaccine names for the COVID-19 codes cards carry (CDC CVX table; SNOMED CT Canadian
/// edition; WHO ICD-11).
fn vaccine_name(system: &str, code: &str) -> Option<&'static str> {
    Some(match (system, code) {
        ("CVX", "207" | "221" | "228" | "229" | "230") => "Moderna COVID-19",
        ("CVX", "208" | "217" | "218" | "219" | "300" | "301") => "Pfizer-BioNTech COVID-19",
        ("CVX", "210") => "AstraZeneca COVID-19",
        ("CVX", "211") => "Novavax COVID-19",
        ("CVX", "212") => "Janssen COVID-19",
        ("CVX", "213") => "COVID-19 vaccine, unspecified",
        ("CVX", "500") => "COVID-19 vaccine (non-US), product unknown",
        ("CVX", "502") => "Covaxin (Bharat Biotech)",
        ("CVX", "505") => "Sputnik V (Gamaleya)",
        ("CVX", "510") => "Sinopharm BIBP COVID-19",
        ("CVX", "511") => "CoronaVac (Sinovac)",
        ("SNOMED", "28581000087106") => "Pfizer-BioNTech Comirnaty",
        ("SNOMED", "28571000087109") => "Moderna Spikevax",
        ("SNOMED", "28761000087108") => "AstraZeneca Vaxzevria",
        ("SNOMED", "28951000087107") => "Janssen COVID-19",
        ("ICD-11", "XM0GQ8") => "COVID-19 mRNA vaccine",
        ("ICD-11", "XM68M6") => "COVID-19 vaccine",
        _ => return None,
    })
}

/// Test names for the SARS-CoV-2 LOINC codes cards carry.
fn test_name(system: &str, code: &str) -> Option<&'static str> {
    Some(match (system, code) {
        ("LOINC", "94558-4") => "SARS-CoV-2 antigen test",
        ("LOINC", "94534-5" | "94309-2" | "94500-6" | "94759-8" | "94845-5") => {
            "SARS-CoV-2 RNA (NAAT/PCR) test"
        }
        _ => return None,
    })
}

fn result_name(system: &str, code: &str) -> Option<&'static str> {
    Some(match (system, code) {
        ("SNOMED", "260385009") => "negative",
        ("SNOMED", "10828004") => "positive",
        ("SNOMED", "260415000") => "not detected",
        ("SNOMED", "260373001") => "detected",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_holder_and_events() {
        let bundle: Value = serde_json::from_str(
            r#"{"resourceType":"Bundle","entry":[
              {"fullUrl":"resource:0","resource":{"resourceType":"Patient","name":[{"family":"Anyperson","given":["John","B."]}],"birthDate":"1951-01-20"}},
              {"fullUrl":"resource:1","resource":{"resourceType":"Immunization","status":"completed","vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"207"}]},
                "occurrenceDateTime":"2021-01-01","performer":[{"actor":{"display":"ABC General Hospital"}}],"lotNumber":"0000001"}},
              {"fullUrl":"resource:2","resource":{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"94558-4"}]},
                "effectiveDateTime":"2021-02-17","valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"260385009"}]}}}
            ]}"#,
        )
        .expect("json");
        let read = read(&bundle);
        assert!(read.problems.is_empty(), "{:?}", read.problems);
        let holder = read.holder.expect("holder");
        assert_eq!(holder.name.as_deref(), Some("John B. Anyperson"));
        assert_eq!(holder.dob.as_deref(), Some("1951-01-20"));
        assert_eq!(read.events.len(), 2);
        assert_eq!(read.events[0].name.as_deref(), Some("Moderna COVID-19"));
        assert_eq!(read.events[0].code.as_deref(), Some("CVX 207"));
        assert_eq!(read.events[0].lot.as_deref(), Some("0000001"));
        assert_eq!(read.events[1].result.as_deref(), Some("negative"));
    }

    #[test]
    fn lists_what_breaks_the_rules() {
        let bundle: Value = serde_json::from_str(
            r#"{"resourceType":"Bundle","entry":[
              {"resource":{"resourceType":"Immunization","status":"entered-in-error"}}]}"#,
        )
        .expect("json");
        let read = read(&bundle);
        assert_eq!(read.problems.len(), 2, "{:?}", read.problems);
        assert!(read.problems[0].contains("fullUrl"));
        assert!(read.problems[1].contains("entered-in-error"));
        assert!(read.holder.is_none());
    }
}
