//! Why a rule could not be evaluated or read.

use std::fmt;

/// Why a CertLogic evaluation stopped. The specification calls these errors: the expression
/// is not one it defines for the values it met. A rule that ends in one is reported `open`
/// (the EU apps likewise never treat it as passed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvalError {
    /// The expression nests deeper than [`crate::limits::MAX_RULE_DEPTH`].
    TooDeep,
    /// The evaluation took more than [`crate::limits::MAX_RULE_STEPS`] steps.
    TooManySteps,
    /// An array (in the expression or reduced over) is longer than
    /// [`crate::limits::MAX_RULE_ARRAY_LEN`].
    ArrayTooLong,
    /// A number literal that is not an integer.
    NotAnInteger(String),
    /// A `null` literal, which CertLogic does not allow.
    NullLiteral,
    /// An object with other than exactly one key.
    NotOneKey(usize),
    /// An operation whose operands are not a non-empty array.
    NotAnOperation(String),
    /// An operation that CertLogic does not have.
    UnknownOperator(String),
    /// An operation with the wrong number of operands.
    Arity {
        /// The operation.
        operator: String,
        /// How many it takes.
        expected: String,
        /// How many it had.
        found: usize,
    },
    /// `var` with something other than a path string.
    VarForm,
    /// A guard or operand of `if`, `!` or `and` that is neither truthy nor falsy.
    NeitherTruthyNorFalsy(String),
    /// The right side of `in` is not an array.
    InNotArray,
    /// An arithmetic or comparison operand that is not an integer.
    NotIntegers(String),
    /// A date-time comparison operand that is not a date-time.
    NotDates(String),
    /// `plusTime`'s amount is not an integer literal.
    PlusTimeAmount,
    /// `plusTime`'s unit is not one of "year", "month", "day", "hour".
    PlusTimeUnit,
    /// A date operand that is not a string (often: the field is missing).
    NotAString(String),
    /// A date string in none of the formats CertLogic allows.
    DateFormat(String),
    /// `extractFromUVCI`'s index is not an integer literal.
    UvciIndex,
    /// `reduce` over something that is neither an array nor null.
    ReduceNotArray,
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvalError::TooDeep => write!(f, "the rule nests too deeply to evaluate"),
            EvalError::TooManySteps => write!(f, "the rule takes too many steps to evaluate"),
            EvalError::ArrayTooLong => write!(f, "the rule uses an array too long to evaluate"),
            EvalError::NotAnInteger(n) => write!(f, "{n} is a non-integer number"),
            EvalError::NullLiteral => write!(f, "invalid CertLogic expression: a null literal"),
            EvalError::NotOneKey(n) => write!(
                f,
                "expression object must have exactly one key, but it has {n}"
            ),
            EvalError::NotAnOperation(_) => write!(
                f,
                "operation not of the form {{ \"<operator>\": [ <values...> ] }}"
            ),
            EvalError::UnknownOperator(op) => write!(f, "unrecognised operator: \"{op}\""),
            EvalError::Arity {
                operator,
                expected,
                found,
            } => write!(
                f,
                "an operation with operator \"{operator}\" must have {expected} operands, not {found}"
            ),
            EvalError::VarForm => write!(f, "not of the form {{ \"var\": \"<path>\" }}"),
            EvalError::NeitherTruthyNorFalsy(op) => write!(
                f,
                "an operand of \"{op}\" is neither true nor false (a date-time, or a fraction)"
            ),
            EvalError::InNotArray => write!(f, "the right side of \"in\" is not a list"),
            EvalError::NotIntegers(op) => {
                write!(f, "an operand of \"{op}\" is not a whole number (often: a missing field)")
            }
            EvalError::NotDates(op) => write!(f, "an operand of \"{op}\" is not a date-time"),
            EvalError::PlusTimeAmount => {
                write!(f, "\"plusTime\" needs a whole number as its amount")
            }
            EvalError::PlusTimeUnit => write!(
                f,
                "\"plusTime\" needs \"year\", \"month\", \"day\" or \"hour\" as its unit"
            ),
            EvalError::NotAString(op) => write!(
                f,
                "\"{op}\" was given no date (the certificate lacks the field the rule reads)"
            ),
            EvalError::DateFormat(text) => write!(
                f,
                "\"{text}\" is not a date in a format the rules allow (YYYY-MM-DD, or a date-time with T)"
            ),
            EvalError::UvciIndex => write!(f, "\"extractFromUVCI\" needs a whole number index"),
            EvalError::ReduceNotArray => write!(f, "\"reduce\" was given something not a list"),
        }
    }
}

impl std::error::Error for EvalError {}

/// Why a rule file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleFileError {
    /// The file is larger than [`crate::limits::MAX_RULES_FILE_LEN`].
    TooLarge,
    /// More rules than [`crate::limits::MAX_RULES`].
    TooMany,
    /// Not JSON.
    Json(String),
    /// JSON, but not a rule, a list of rules, or a per-country set.
    Shape(String),
}

impl fmt::Display for RuleFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleFileError::TooLarge => write!(f, "the rules file is too large"),
            RuleFileError::TooMany => write!(f, "too many rules"),
            RuleFileError::Json(why) => write!(f, "the rules file is not JSON: {why}"),
            RuleFileError::Shape(why) => write!(f, "not a business rule: {why}"),
        }
    }
}

impl std::error::Error for RuleFileError {}
