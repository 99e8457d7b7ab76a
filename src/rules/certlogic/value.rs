//! CertLogic's values during evaluation and JavaScript's reading of them: truthiness, integers,
//! `===`.

use serde_json::{Number, Value};

use super::super::datetime::{self, Millis};

/// A CertLogic value during evaluation.
#[derive(Debug, Clone)]
pub(crate) enum Val<'d> {
    /// A value inside the data, by reference.
    Data(&'d Value),
    /// A value the evaluation made (a literal, a boolean, a sum).
    Made(Value),
    /// A date-time (milliseconds since the epoch; `None` is JavaScript's Invalid Date).
    Date(Millis),
    /// An evaluated array expression: its items may be date-times.
    List(Vec<Val<'d>>),
}

/// Truthy, falsy, or neither (the specification's three-way split).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Truth {
    Truthy,
    Falsy,
    Neither,
}

impl<'d> Val<'d> {
    pub(super) fn json(&self) -> Option<&Value> {
        match self {
            Val::Data(value) => Some(value),
            Val::Made(value) => Some(value),
            _ => None,
        }
    }

    pub(super) fn truth(&self) -> Truth {
        let truthy = |flag: bool| if flag { Truth::Truthy } else { Truth::Falsy };
        match self {
            Val::List(items) => truthy(!items.is_empty()),
            Val::Date(_) => Truth::Neither,
            Val::Data(value) => json_truth(value),
            Val::Made(value) => json_truth(value),
        }
    }

    /// An integer, as JavaScript's `Number.isInteger` sees one (so `2.0` is one).
    pub(super) fn integer(&self) -> Option<f64> {
        match self.json()? {
            Value::Number(number) => integer(number),
            _ => None,
        }
    }

    pub(super) fn string(&self) -> Option<&str> {
        self.json().and_then(Value::as_str)
    }

    pub(super) fn is_null(&self) -> bool {
        matches!(self.json(), Some(Value::Null))
    }

    /// Items of an array value.
    pub(super) fn items(&self) -> Option<Vec<Val<'d>>> {
        match self {
            Val::Data(Value::Array(items)) => Some(items.iter().map(Val::Data).collect()),
            Val::Made(Value::Array(items)) => Some(items.iter().cloned().map(Val::Made).collect()),
            Val::List(items) => Some(items.clone()),
            _ => None,
        }
    }

    /// The value as plain JSON (a date-time becomes its ISO string, as `JSON.stringify` writes).
    pub(crate) fn into_json(self) -> Value {
        match self {
            Val::Data(value) => value.clone(),
            Val::Made(value) => value,
            Val::Date(ms) => match ms {
                Some(_) => Value::String(datetime::to_iso(ms)),
                None => Value::Null,
            },
            Val::List(items) => Value::Array(items.into_iter().map(Val::into_json).collect()),
        }
    }
}

fn json_truth(value: &Value) -> Truth {
    let truthy = |flag: bool| if flag { Truth::Truthy } else { Truth::Falsy };
    match value {
        Value::Null => Truth::Falsy,
        Value::Bool(flag) => truthy(*flag),
        Value::String(text) => truthy(!text.is_empty()),
        Value::Number(number) => truthy(number.as_f64().is_some_and(|n| n != 0.0)),
        Value::Array(items) => truthy(!items.is_empty()),
        Value::Object(map) => truthy(!map.is_empty()),
    }
}

pub(super) fn integer(number: &Number) -> Option<f64> {
    number
        .as_f64()
        .filter(|n| n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0)
}

pub(super) fn number(value: f64) -> Value {
    // Sums of two safe integers stay exact in f64, as in JavaScript.
    if value.abs() <= 9_007_199_254_740_991.0 {
        Value::from(value as i64)
    } else {
        Number::from_f64(value).map_or(Value::Null, Value::Number)
    }
}

/// JavaScript's `===`: strings, numbers, booleans and null by value; arrays and objects only
/// when they are the same one (two reads of the same data field are).
pub(super) fn strict_equal(left: &Val<'_>, right: &Val<'_>) -> bool {
    match (left, right) {
        (Val::Data(a), Val::Data(b)) if std::ptr::eq(*a, *b) => true,
        _ => match (left.json(), right.json()) {
            (Some(Value::Null), Some(Value::Null)) => true,
            (Some(Value::Bool(a)), Some(Value::Bool(b))) => a == b,
            (Some(Value::String(a)), Some(Value::String(b))) => a == b,
            (Some(Value::Number(a)), Some(Value::Number(b))) => a.as_f64() == b.as_f64(),
            _ => false,
        },
    }
}
