//! Checks that a JSON value is a CertLogic expression before it is ever evaluated, the way
//! the reference validator (`certlogic-js/validation`) does: every issue, with the
//! sub-expression it concerns.

use serde_json::Value;

use crate::limits::{MAX_RULE_ARRAY_LEN, MAX_RULE_DEPTH};

/// One problem found in an expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// The sub-expression concerned.
    pub expr: Value,
    /// What is wrong with it.
    pub message: String,
}

/// Every issue of `expr`; empty when it is a valid CertLogic expression.
pub fn validate(expr: &Value) -> Vec<Issue> {
    let mut issues = Vec::new();
    check(expr, 0, &mut issues);
    issues
}

fn issue(issues: &mut Vec<Issue>, expr: &Value, message: impl Into<String>) {
    issues.push(Issue {
        expr: expr.clone(),
        message: message.into(),
    });
}

fn check(expr: &Value, depth: usize, issues: &mut Vec<Issue>) {
    if depth > MAX_RULE_DEPTH {
        return issue(issues, expr, "the expression nests too deeply");
    }
    match expr {
        Value::Bool(_) | Value::String(_) => {}
        Value::Number(number) => {
            // JSON's 42.0 is JavaScript's integer 42.
            if number.as_f64().is_some_and(|n| n.fract() != 0.0) {
                issue(issues, expr, format!("{number} is a non-integer number"));
            }
        }
        Value::Null => issue(issues, expr, "invalid CertLogic expression"),
        Value::Array(items) => {
            if items.len() > MAX_RULE_ARRAY_LEN {
                return issue(issues, expr, "the array is too long");
            }
            for item in items {
                check(item, depth + 1, issues);
            }
        }
        Value::Object(map) => {
            if map.len() != 1 {
                return issue(
                    issues,
                    expr,
                    format!(
                        "expression object must have exactly one key, but it has {}",
                        map.len()
                    ),
                );
            }
            let Some((operator, operands)) = map.iter().next() else {
                return;
            };
            if operator == "var" {
                return check_var(expr, operands, issues);
            }
            let Value::Array(operands) = operands else {
                return issue(
                    issues,
                    expr,
                    "operation not of the form { \"<operator>\": [ <values...> ] }",
                );
            };
            check_operation(expr, operator, operands, depth, issues);
        }
    }
}

fn check_var(expr: &Value, path: &Value, issues: &mut Vec<Issue>) {
    let Value::String(path) = path else {
        return issue(issues, expr, "not of the form { \"var\": \"<path>\" }");
    };
    if !path.is_empty() && path.split('.').any(str::is_empty) {
        issue(
            issues,
            expr,
            format!("data access path doesn't have a valid format: {path}"),
        );
    }
}

fn check_operation(
    expr: &Value,
    operator: &str,
    operands: &[Value],
    depth: usize,
    issues: &mut Vec<Issue>,
) {
    let count = operands.len();
    let arity_ok = match operator {
        "if" | "plusTime" | "reduce" => count == 3,
        "!" | "dccDateOfBirth" => count == 1,
        "===" | "in" | "+" | "extractFromUVCI" => count == 2,
        "and" => count >= 2,
        "<" | ">" | "<=" | ">=" | "before" | "after" | "not-after" | "not-before" => {
            (2..=3).contains(&count)
        }
        _ => {
            return issue(
                issues,
                expr,
                format!("unrecognised operator: \"{operator}\""),
            )
        }
    };
    if !arity_ok {
        issue(
            issues,
            expr,
            format!("an operation with operator \"{operator}\" has the wrong number of operands: {count}"),
        );
    }
    let literal_integer = |value: &Value| value.as_i64().is_some();
    match operator {
        "plusTime" if count == 3 => {
            check(&operands[0], depth + 1, issues);
            if !literal_integer(&operands[1]) {
                issue(
                    issues,
                    &operands[1],
                    "\"amount\" argument (#2) of \"plusTime\" must be an integer",
                );
            }
            if !matches!(
                operands[2].as_str(),
                Some("year" | "month" | "day" | "hour")
            ) {
                issue(
                    issues,
                    &operands[2],
                    "\"unit\" argument (#3) of \"plusTime\" must be a string equal to one of year, month, day, hour",
                );
            }
        }
        "extractFromUVCI" if count == 2 => {
            check(&operands[0], depth + 1, issues);
            if !literal_integer(&operands[1]) {
                issue(
                    issues,
                    &operands[1],
                    "\"index\" argument (#2) of \"extractFromUVCI\" must be an integer",
                );
            }
        }
        _ => {
            for operand in operands {
                check(operand, depth + 1, issues);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_issues_deep_inside() {
        let issues = validate(&json!({"and": [true, {"plusTime": [{"var": "x."}, "1", "week"]}]}));
        let messages: Vec<&str> = issues.iter().map(|i| i.message.as_str()).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].starts_with("data access path"));
        assert!(
            validate(&json!({"if": [{"var": "payload.v.0"}, {">=": [1, 2]}, true]})).is_empty()
        );
    }
}
