//! The CertLogic evaluator and validator: the input is JSON `[expression, data]` (or an
//! expression alone, evaluated on a fixed vaccination payload). Neither may panic, and the
//! evaluation stays within its bounds (src/limits.rs) whatever the expression.
#![no_main]

use dcc_verifier::rules::certlogic::Evaluator;
use dcc_verifier::rules::validate::validate;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

fuzz_target!(|data: &[u8]| {
    let Ok(input) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let (expr, context) = match input {
        Value::Array(pair) if pair.len() == 2 => (pair[0].clone(), pair[1].clone()),
        expr => (
            expr,
            json!({
                "payload": {"ver": "1.3.0", "dob": "1990-01",
                    "v": [{"tg": "840539006", "dn": 2, "sd": 2, "dt": "2021-06-01",
                           "ci": "URN:UVCI:01:VN:ABC#X"}]},
                "external": {"validationClock": "2022-05-01T00:00:00Z",
                    "valueSets": {"disease-agent-targeted": ["840539006"]}}
            }),
        ),
    };
    let issues = validate(&expr);
    for issue in &issues {
        assert!(!issue.message.is_empty());
    }
    let _ = Evaluator::default().run(&expr, &context);
});
