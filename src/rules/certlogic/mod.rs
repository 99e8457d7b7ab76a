//! The CertLogic evaluator, as specification 1.3.3 defines it (`../shared/rules/certlogic-spec`).
//!
//! Values are JSON values plus date-times (which only `plusTime` and `dccDateOfBirth` make).
//! Data is read by reference: `var` hands out the payload's own values, so a rule sees the
//! payload exactly as it was signed and nothing is copied on the way. An expression that the
//! specification does not define (an unknown operation, a type mismatch) is a typed
//! [`EvalError`]; every evaluation is bounded in depth and in steps ([`crate::limits`]).

mod data;
mod value;

use serde_json::{Map, Value};

use self::data::{var, Scope};
use self::value::Val;
use self::value::{integer, number, strict_equal, Truth};
use super::datetime::{self, TimeUnit};
use super::error::EvalError;
use crate::limits::{MAX_RULE_ARRAY_LEN, MAX_RULE_DEPTH, MAX_RULE_STEPS};

/// Evaluates a CertLogic expression on a data context.
///
/// ```
/// use dcc_verifier::rules::certlogic::evaluate;
/// use serde_json::json;
///
/// let rule = json!({"not-before": [
///     {"plusTime": [{"var": "clock"}, 0, "day"]},
///     {"plusTime": [{"var": "dt"}, 14, "day"]}]});
/// let data = json!({"clock": "2021-06-15", "dt": "2021-06-01"});
/// assert_eq!(evaluate(&rule, &data), Ok(json!(true)));
/// ```
pub fn evaluate(expr: &Value, data: &Value) -> Result<Value, EvalError> {
    Evaluator::default()
        .run(expr, data)
        .map(|outcome| outcome.value)
}

/// What an evaluation found besides its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The value of the expression (date-times as ISO strings).
    pub value: Value,
    /// Whether a date-time that names no time (JavaScript's Invalid Date) took part: the value
    /// is then what JavaScript would give, but says nothing about the certificate.
    pub invalid_date: bool,
}

/// One evaluation's state: the steps taken and what it met on the way.
#[derive(Debug, Default)]
pub struct Evaluator {
    steps: usize,
    invalid_date: bool,
}

impl Evaluator {
    /// Evaluates `expr` on `data`.
    pub fn run(mut self, expr: &Value, data: &Value) -> Result<Outcome, EvalError> {
        let value = self.eval(expr, &Scope::Data(data), 0)?.into_json();
        Ok(Outcome {
            value,
            invalid_date: self.invalid_date,
        })
    }

    fn eval<'d>(
        &mut self,
        expr: &Value,
        scope: &Scope<'_, 'd>,
        depth: usize,
    ) -> Result<Val<'d>, EvalError> {
        self.steps += 1;
        if self.steps > MAX_RULE_STEPS {
            return Err(EvalError::TooManySteps);
        }
        if depth > MAX_RULE_DEPTH {
            return Err(EvalError::TooDeep);
        }
        match expr {
            Value::String(_) | Value::Bool(_) => Ok(Val::Made(expr.clone())),
            Value::Number(number) => match integer(number) {
                Some(_) => Ok(Val::Made(expr.clone())),
                None => Err(EvalError::NotAnInteger(number.to_string())),
            },
            Value::Null => Err(EvalError::NullLiteral),
            Value::Array(items) => {
                if items.len() > MAX_RULE_ARRAY_LEN {
                    return Err(EvalError::ArrayTooLong);
                }
                items
                    .iter()
                    .map(|item| self.eval(item, scope, depth + 1))
                    .collect::<Result<Vec<_>, _>>()
                    .map(Val::List)
            }
            Value::Object(map) => self.operation(map, scope, depth),
        }
    }

    fn operation<'d>(
        &mut self,
        map: &Map<String, Value>,
        scope: &Scope<'_, 'd>,
        depth: usize,
    ) -> Result<Val<'d>, EvalError> {
        let mut entries = map.iter();
        let (Some((operator, operands)), None) = (entries.next(), entries.next()) else {
            return Err(EvalError::NotOneKey(map.len()));
        };
        if operator == "var" {
            return var(operands, scope);
        }
        let operands = match operands {
            Value::Array(operands) if !operands.is_empty() => operands.as_slice(),
            _ => return Err(EvalError::NotAnOperation(operator.clone())),
        };
        let depth = depth + 1;
        let arity = |expected: usize| {
            if operands.len() == expected {
                Ok(())
            } else {
                Err(EvalError::Arity {
                    operator: operator.clone(),
                    expected: expected.to_string(),
                    found: operands.len(),
                })
            }
        };
        match operator.as_str() {
            "if" => {
                arity(3)?;
                let guard = self.eval(&operands[0], scope, depth)?;
                match guard.truth() {
                    Truth::Truthy => self.eval(&operands[1], scope, depth),
                    Truth::Falsy => self.eval(&operands[2], scope, depth),
                    Truth::Neither => Err(EvalError::NeitherTruthyNorFalsy("if".into())),
                }
            }
            "!" => {
                arity(1)?;
                match self.eval(&operands[0], scope, depth)?.truth() {
                    Truth::Truthy => Ok(Val::Made(Value::Bool(false))),
                    Truth::Falsy => Ok(Val::Made(Value::Bool(true))),
                    Truth::Neither => Err(EvalError::NeitherTruthyNorFalsy("!".into())),
                }
            }
            "and" => {
                if operands.len() < 2 {
                    return Err(EvalError::Arity {
                        operator: operator.clone(),
                        expected: "at least 2".into(),
                        found: operands.len(),
                    });
                }
                // Lazily, in order: the first falsy operand's value, or the last one's.
                let mut value = Val::Made(Value::Bool(true));
                for operand in operands {
                    match value.truth() {
                        Truth::Falsy => return Ok(value),
                        Truth::Truthy => value = self.eval(operand, scope, depth)?,
                        Truth::Neither => {
                            return Err(EvalError::NeitherTruthyNorFalsy("and".into()))
                        }
                    }
                }
                Ok(value)
            }
            "===" | "in" | "+" => {
                arity(2)?;
                let left = self.eval(&operands[0], scope, depth)?;
                let right = self.eval(&operands[1], scope, depth)?;
                Ok(Val::Made(match operator.as_str() {
                    "===" => Value::Bool(strict_equal(&left, &right)),
                    "in" => {
                        let items = right.items().ok_or(EvalError::InNotArray)?;
                        Value::Bool(items.iter().any(|item| strict_equal(&left, item)))
                    }
                    _ => match (left.integer(), right.integer()) {
                        (Some(a), Some(b)) => number(a + b),
                        _ => return Err(EvalError::NotIntegers(operator.clone())),
                    },
                }))
            }
            "<" | ">" | "<=" | ">=" | "before" | "after" | "not-after" | "not-before" => {
                if !(2..=3).contains(&operands.len()) {
                    return Err(EvalError::Arity {
                        operator: operator.clone(),
                        expected: "2 or 3".into(),
                        found: operands.len(),
                    });
                }
                let values = operands
                    .iter()
                    .map(|operand| self.eval(operand, scope, depth))
                    .collect::<Result<Vec<_>, _>>()?;
                self.compare(operator, &values)
            }
            "plusTime" => {
                arity(3)?;
                let amount = match &operands[1] {
                    Value::Number(number) => {
                        integer(number).filter(|n| n.abs() < 1e15).map(|n| n as i64)
                    }
                    _ => None,
                }
                .ok_or(EvalError::PlusTimeAmount)?;
                let unit = operands[2]
                    .as_str()
                    .and_then(TimeUnit::from_name)
                    .ok_or(EvalError::PlusTimeUnit)?;
                let date = self.eval(&operands[0], scope, depth)?;
                let text = date
                    .string()
                    .ok_or_else(|| EvalError::NotAString("plusTime".into()))?;
                let start = datetime::parse(text)
                    .map_err(|_| EvalError::DateFormat(text.chars().take(40).collect()))?;
                Ok(Val::Date(datetime::plus(start, amount, unit)))
            }
            "dccDateOfBirth" => {
                arity(1)?;
                let date = self.eval(&operands[0], scope, depth)?;
                let text = date
                    .string()
                    .ok_or_else(|| EvalError::NotAString("dccDateOfBirth".into()))?;
                datetime::date_of_birth(text)
                    .map(Val::Date)
                    .map_err(|_| EvalError::DateFormat(text.chars().take(40).collect()))
            }
            "extractFromUVCI" => {
                arity(2)?;
                let index = match &operands[1] {
                    Value::Number(number) => integer(number),
                    _ => None,
                }
                .ok_or(EvalError::UvciIndex)?;
                let uci = self.eval(&operands[0], scope, depth)?;
                if uci.is_null() {
                    return Ok(Val::Made(Value::Null));
                }
                let text = uci
                    .string()
                    .ok_or_else(|| EvalError::NotAString("extractFromUVCI".into()))?;
                Ok(Val::Made(extract_from_uci(text, index)))
            }
            "reduce" => {
                arity(3)?;
                let array = self.eval(&operands[0], scope, depth)?;
                let mut accumulator = self.eval(&operands[2], scope, depth)?;
                if array.is_null() {
                    return Ok(accumulator);
                }
                let items = array.items().ok_or(EvalError::ReduceNotArray)?;
                if items.len() > MAX_RULE_ARRAY_LEN {
                    return Err(EvalError::ArrayTooLong);
                }
                for current in &items {
                    let lambda = Scope::Reduce {
                        current,
                        accumulator: &accumulator,
                    };
                    accumulator = self.eval(&operands[1], &lambda, depth)?;
                }
                Ok(accumulator)
            }
            _ => Err(EvalError::UnknownOperator(operator.clone())),
        }
    }

    fn compare<'d>(&mut self, operator: &str, values: &[Val<'d>]) -> Result<Val<'d>, EvalError> {
        let dates = matches!(operator, "before" | "after" | "not-after" | "not-before");
        let points: Vec<Option<f64>> = if dates {
            values
                .iter()
                .map(|value| match value {
                    Val::Date(ms) => {
                        self.invalid_date |= ms.is_none();
                        Ok(ms.map(|ms| ms as f64))
                    }
                    _ => Err(EvalError::NotDates(operator.to_owned())),
                })
                .collect::<Result<_, _>>()?
        } else {
            values
                .iter()
                .map(|value| {
                    value
                        .integer()
                        .map(Some)
                        .ok_or_else(|| EvalError::NotIntegers(operator.to_owned()))
                })
                .collect::<Result<_, _>>()?
        };
        let holds = |a: Option<f64>, b: Option<f64>| {
            // An Invalid Date is NaN: every comparison with it is false.
            let (Some(a), Some(b)) = (a, b) else {
                return false;
            };
            match operator {
                "<" | "before" => a < b,
                ">" | "after" => a > b,
                "<=" | "not-after" => a <= b,
                _ => a >= b,
            }
        };
        Ok(Val::Made(Value::Bool(
            points.windows(2).all(|pair| holds(pair[0], pair[1])),
        )))
    }
}

/// `extractFromUVCI`: the fragment at `index` of a UCI split on `/`, `#` and `:`, after an
/// optional `URN:UVCI:` prefix; `null` when there is none.
fn extract_from_uci(text: &str, index: f64) -> Value {
    let body = text.strip_prefix("URN:UVCI:").unwrap_or(text);
    if index < 0.0 {
        return Value::Null;
    }
    body.split(['/', '#', ':'])
        .nth(index as usize)
        .map_or(Value::Null, |fragment| Value::String(fragment.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn eval(expr: Value, data: Value) -> Result<Value, EvalError> {
        evaluate(&expr, &data)
    }

    #[test]
    fn reads_paths_indices_and_the_whole_context() {
        let data = json!({"a": [{"b": 1}], "0": "zero"});
        assert_eq!(eval(json!({"var": "a.0.b"}), data.clone()), Ok(json!(1)));
        assert_eq!(eval(json!({"var": "a.1.b"}), data.clone()), Ok(Value::Null));
        assert_eq!(eval(json!({"var": "0"}), data.clone()), Ok(json!("zero")));
        assert_eq!(eval(json!({"var": ""}), json!(5)), Ok(json!(5)));
        assert_eq!(eval(json!({"var": 0}), data), Err(EvalError::VarForm));
    }

    #[test]
    fn strict_equality_is_by_value_for_scalars_and_by_identity_otherwise() {
        let data = json!({"x": [1], "y": [1]});
        assert_eq!(
            eval(json!({"===": [{"var": "x"}, {"var": "x"}]}), data.clone()),
            Ok(json!(true))
        );
        assert_eq!(
            eval(json!({"===": [{"var": "x"}, {"var": "y"}]}), data),
            Ok(json!(false))
        );
        assert_eq!(eval(json!({"===": [1, "1"]}), json!({})), Ok(json!(false)));
    }

    #[test]
    fn type_mismatches_are_errors_not_panics() {
        assert_eq!(
            eval(json!({"<": ["a", 1]}), json!({})),
            Err(EvalError::NotIntegers("<".into()))
        );
        assert_eq!(
            eval(json!({"in": [1, 2]}), json!({})),
            Err(EvalError::InNotArray)
        );
        assert_eq!(
            eval(json!({"after": [1, 2]}), json!({})),
            Err(EvalError::NotDates("after".into()))
        );
        assert_eq!(
            eval(
                json!({"if": [{"plusTime": ["2021", 0, "day"]}, 1, 2]}),
                json!({})
            ),
            Err(EvalError::NeitherTruthyNorFalsy("if".into()))
        );
        assert_eq!(
            eval(json!({"plusTime": [{"var": "d"}, 0, "day"]}), json!({})),
            Err(EvalError::NotAString("plusTime".into()))
        );
        assert_eq!(
            eval(json!({"foo": [1]}), json!({})),
            Err(EvalError::UnknownOperator("foo".into()))
        );
        assert_eq!(
            eval(json!(1.5), json!({})),
            Err(EvalError::NotAnInteger("1.5".into()))
        );
    }

    #[test]
    fn invalid_dates_compare_false_and_are_flagged() {
        let expr = json!({"before": [{"plusTime": ["2021-13-01", 0, "day"]}, {"plusTime": ["2022", 0, "day"]}]});
        let outcome = Evaluator::default()
            .run(&expr, &json!({}))
            .expect("evaluates");
        assert_eq!(outcome.value, json!(false));
        assert!(outcome.invalid_date);
    }

    #[test]
    fn reduce_sees_current_and_accumulator_including_date_times() {
        let expr = json!({"reduce": [
            [{"plusTime": ["2021-01-01", 1, "day"]}, {"plusTime": ["2021-01-01", 2, "day"]}],
            {"var": "current"},
            ""]});
        assert_eq!(eval(expr, json!({})), Ok(json!("2021-01-03T00:00:00.000Z")));
    }

    /// Hostile expressions: each ends in a typed error (or a value), quickly, without panic.
    mod hostile {
        use super::*;
        use std::time::{Duration, Instant};

        fn nested(levels: usize) -> Value {
            let mut expr = json!(true);
            for _ in 0..levels {
                expr = json!({"!": [expr]});
            }
            expr
        }

        #[test]
        fn deep_nesting_stops_at_the_depth_bound() {
            assert_eq!(eval(nested(MAX_RULE_DEPTH), json!({})), Ok(json!(true)));
            // serde_json reads at most 128 levels, so a rule read from a file is never deeper.
            assert_eq!(eval(nested(120), json!({})), Err(EvalError::TooDeep));
            assert_eq!(crate::rules::validate::validate(&nested(120)).len(), 1);
            let deep = format!("{}true{}", "{\"!\":[".repeat(5_000), "]}".repeat(5_000));
            assert!(matches!(
                crate::rules::RuleSet::from_json(deep.as_bytes()),
                Err(crate::rules::RuleFileError::Json(_))
            ));
        }

        #[test]
        fn huge_arrays_stop_at_the_array_bound() {
            let big = Value::Array(vec![json!(1); MAX_RULE_ARRAY_LEN + 1]);
            assert_eq!(eval(big.clone(), json!({})), Err(EvalError::ArrayTooLong));
            let reduce = json!({"reduce": [{"var": "xs"}, {"var": "current"}, 0]});
            assert_eq!(
                eval(reduce, json!({"xs": big})),
                Err(EvalError::ArrayTooLong)
            );
        }

        #[test]
        fn exponential_work_stops_at_the_step_bound() {
            // Reduces nested three deep over a 5,000-item literal: 1.25e11 steps unbounded.
            let items = Value::Array(vec![json!(1); 5_000]);
            let mut expr = json!({"+": [{"var": "accumulator"}, 1]});
            for _ in 0..3 {
                expr = json!({"reduce": [items.clone(), expr, 0]});
            }
            let start = Instant::now();
            assert_eq!(eval(expr, json!({})), Err(EvalError::TooManySteps));
            assert!(start.elapsed() < Duration::from_secs(2));
        }

        #[test]
        fn wrong_types_everywhere_are_errors() {
            let data = json!({"s": "x", "n": 1, "a": [1], "o": {"k": 1}, "f": 1.5, "b": true});
            for field in ["s", "n", "a", "o", "f", "b", "missing"] {
                let v = json!({"var": field});
                for expr in [
                    json!({"plusTime": [v, 1, "day"]}),
                    json!({"dccDateOfBirth": [v]}),
                    json!({"extractFromUVCI": [v, 1]}),
                    json!({"after": [v, v]}),
                    json!({"<": [v, 1, v]}),
                    json!({"+": [v, v]}),
                    json!({"in": [v, v]}),
                    json!({"reduce": [v, v, v]}),
                    json!({"if": [v, v, v]}),
                    json!({"and": [v, v, v]}),
                    json!({"!": [v]}),
                    json!({"===": [v, v]}),
                    json!({"plusTime": [v, v, v]}),
                    json!({"plusTime": ["2021-01-01", 1e300, "day"]}),
                    json!({"plusTime": ["2021-01-01", -9007199254740991_i64, "year"]}),
                    json!({"extractFromUVCI": ["a:b", 1e18]}),
                    json!({"var": "a.99999999999999999999.b"}),
                ] {
                    // Any value or error, but never a panic.
                    let _ = eval(expr, data.clone());
                }
            }
        }
    }
}
