//! `var`: reading the data context (or a `reduce` lambda's `current` and `accumulator`) by
//! path, as JavaScript's `acc[fragment]` does.

use serde_json::{Map, Value};

use super::value::Val;
use crate::rules::error::EvalError;

const NULL: Value = Value::Null;

/// Where `var` reads from: the data, or inside a `reduce` lambda its `current` and
/// `accumulator`.
pub(super) enum Scope<'s, 'd> {
    Data(&'d Value),
    Reduce {
        current: &'s Val<'d>,
        accumulator: &'s Val<'d>,
    },
}

/// JavaScript's `parseInt` on a path fragment: leading digits (with a sign), or none.
fn js_parse_int(fragment: &str) -> Option<i64> {
    let trimmed = fragment.trim_start();
    let (sign, body) = match trimmed.as_bytes().first() {
        Some(b'-') => (-1, &trimmed[1..]),
        Some(b'+') => (1, &trimmed[1..]),
        _ => (1, trimmed),
    };
    let end = body
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(body.len());
    body[..end].parse::<i64>().ok().map(|n| sign * n)
}

/// One step of a path into JSON: `acc[parseInt(fragment)]` or `acc[fragment]`.
fn child<'a>(value: &'a Value, fragment: &str) -> Option<&'a Value> {
    let index = js_parse_int(fragment);
    match value {
        Value::Object(map) => match index {
            Some(index) => map.get(&index.to_string()),
            None => map.get(fragment),
        },
        Value::Array(items) => usize::try_from(index?).ok().and_then(|i| items.get(i)),
        _ => None,
    }
}

fn drill<'d>(start: Val<'d>, fragments: &[&str]) -> Val<'d> {
    let mut current = start;
    for fragment in fragments {
        current = match current {
            Val::Data(value) => Val::Data(child(value, fragment).unwrap_or(&NULL)),
            Val::Made(value) => Val::Made(child(&value, fragment).cloned().unwrap_or(Value::Null)),
            Val::List(items) => js_parse_int(fragment)
                .and_then(|index| usize::try_from(index).ok())
                .and_then(|index| items.into_iter().nth(index))
                .unwrap_or(Val::Made(Value::Null)),
            Val::Date(_) => Val::Made(Value::Null),
        };
    }
    current
}

pub(super) fn var<'d>(path: &Value, scope: &Scope<'_, 'd>) -> Result<Val<'d>, EvalError> {
    let Value::String(path) = path else {
        return Err(EvalError::VarForm);
    };
    match scope {
        Scope::Data(data) if path.is_empty() => Ok(Val::Data(data)),
        Scope::Data(data) => {
            let fragments: Vec<&str> = path.split('.').collect();
            Ok(drill(Val::Data(data), &fragments))
        }
        Scope::Reduce {
            current,
            accumulator,
        } => {
            if path.is_empty() {
                let mut map = Map::new();
                map.insert("accumulator".into(), (*accumulator).clone().into_json());
                map.insert("current".into(), (*current).clone().into_json());
                return Ok(Val::Made(Value::Object(map)));
            }
            let fragments: Vec<&str> = path.split('.').collect();
            let start = match fragments[0] {
                "current" => (*current).clone(),
                "accumulator" => (*accumulator).clone(),
                _ => return Ok(Val::Made(Value::Null)),
            };
            Ok(drill(start, &fragments[1..]))
        }
    }
}
