//! The message of a VDS-NC seal (`data.msg`): the holder (`pid`), the certificate id
//! (`uvci`/`utci`) and the events (`ve[].vd[]` for vaccination, `tr`/`dat`/`sp` for a test).

use serde_json::Value;

use crate::error::Result;
use crate::formats::{str_field, Event, EventKind, FormatError, Holder};

/// What a seal's message holds, and what is wrong with it.
#[derive(Debug, Clone)]
pub(crate) struct Message {
    pub holder: Holder,
    pub id: Option<String>,
    pub document_number: Option<String>,
    pub events: Vec<Event>,
    pub problems: Vec<String>,
}

/// Most events read from one seal.
const MAX_EVENTS: usize = 64;

fn text(value: &Value, key: &str) -> Option<String> {
    str_field(value, key)
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(|text| text.chars().take(200).collect())
}

/// Reads the message of a seal of type `seal_type`.
pub(crate) fn read(seal_type: &str, msg: &Value) -> Result<Message> {
    if !msg.is_object() {
        return Err(FormatError::SealMessage("data.msg is not an object".to_owned()).into());
    }
    let pid = msg.get("pid").unwrap_or(&Value::Null);
    let mut problems = Vec::new();
    let raw_name = text(pid, "n");
    if raw_name.is_none() {
        problems.push("the holder has no name (pid.n)".to_owned());
    }
    // ICAO writes the primary identifier (family name), two spaces, then the secondary one.
    let name = raw_name.map(|name| match name.split_once("  ") {
        Some((family, given)) if !given.trim().is_empty() => {
            format!("{} {}", given.trim(), family.trim())
        }
        _ => name,
    });
    let holder = Holder {
        name,
        dob: text(pid, "dob"),
    };
    let mut events = Vec::new();
    let id = if seal_type == "icao.vacc" {
        let ve = msg.get("ve").and_then(Value::as_array);
        if ve.is_none_or(Vec::is_empty) {
            problems.push("it lists no vaccine (ve)".to_owned());
        }
        for vaccine in ve.into_iter().flatten() {
            let doses = vaccine.get("vd").and_then(Value::as_array);
            if doses.is_none_or(Vec::is_empty) {
                problems.push("a vaccine lists no dose (vd)".to_owned());
            }
            for (field, what) in [
                ("des", "vaccine code"),
                ("nam", "brand name"),
                ("dis", "disease"),
            ] {
                if text(vaccine, field).is_none() {
                    problems.push(format!("a vaccine has no {what} ({field})"));
                }
            }
            for dose in doses.into_iter().flatten() {
                if events.len() == MAX_EVENTS {
                    break;
                }
                let mut event = Event::new(EventKind::Immunization);
                event.name = text(vaccine, "nam");
                event.code = text(vaccine, "des").map(|code| format!("ICD-11 {code}"));
                event.date = text(dose, "dvc");
                if event.date.is_none() {
                    problems.push("a dose has no date (dvc)".to_owned());
                }
                event.lot = text(dose, "lot");
                event.performer = text(dose, "adm");
                event.country = text(dose, "ctr");
                event.dose = dose
                    .get("seq")
                    .and_then(Value::as_u64)
                    .and_then(|n| u32::try_from(n).ok());
                events.push(event);
            }
        }
        text(msg, "uvci")
    } else {
        let mut event = Event::new(EventKind::Test);
        let tr = msg.get("tr").unwrap_or(&Value::Null);
        event.name = text(tr, "tc");
        event.result = text(tr, "r");
        event.code = text(tr, "m");
        event.date = msg.get("dat").and_then(|dat| text(dat, "sc"));
        event.performer = msg.get("sp").and_then(|sp| text(sp, "spn"));
        event.country = msg.get("sp").and_then(|sp| text(sp, "ctr"));
        for (missing, what) in [
            (event.name.is_none(), "no test type (tr.tc)"),
            (event.result.is_none(), "no result (tr.r)"),
            (event.date.is_none(), "no sample time (dat.sc)"),
        ] {
            if missing {
                problems.push(format!("the test has {what}"));
            }
        }
        events.push(event);
        text(msg, "utci")
    };
    if id.is_none() {
        problems.push("it has no certificate identifier (uvci or utci)".to_owned());
    }
    Ok(Message {
        holder,
        id,
        document_number: text(pid, "i"),
        events,
        problems,
    })
}
