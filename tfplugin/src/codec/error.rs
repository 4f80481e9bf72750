//! The one error type of the codec: where it happened and what was wrong. Messages describe
//! the kind of data found, never its content (values may be secrets).

use std::fmt;

use super::path::AttributePath;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct CodecError {
    /// Where in the value the problem is; empty for the value as a whole.
    pub path: AttributePath,
    pub kind: ErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The data (or the Rust value) has the wrong shape for the type.
    Mismatch {
        expected: String,
        found: String,
    },
    /// Object keys the type does not declare.
    UnsupportedAttributes(Vec<String>),
    /// Object attributes the type declares but the encoding lacks.
    MissingAttributes(Vec<String>),
    DuplicateKey(String),
    /// Nesting beyond [`crate::codec::MAX_DEPTH`].
    TooDeep(usize),
    /// The input ends in the middle of a value.
    Truncated,
    /// Bytes left over after one complete value.
    TrailingData(usize),
    /// Anything else, described in words.
    Invalid(String),
}

impl CodecError {
    pub fn new(path: impl Into<AttributePath>, kind: ErrorKind) -> CodecError {
        CodecError {
            path: path.into(),
            kind,
        }
    }

    pub fn mismatch(
        path: impl Into<AttributePath>,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> CodecError {
        CodecError::new(
            path,
            ErrorKind::Mismatch {
                expected: expected.into(),
                found: found.into(),
            },
        )
    }

    pub fn invalid(path: impl Into<AttributePath>, message: impl Into<String>) -> CodecError {
        CodecError::new(path, ErrorKind::Invalid(message.into()))
    }
}

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_root() {
            write!(f, "{}", self.kind)
        } else {
            write!(f, "{}: {}", self.path, self.kind)
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Mismatch { expected, found } => {
                write!(f, "expected {expected}, found {found}")
            }
            ErrorKind::UnsupportedAttributes(names) => {
                write!(f, "unsupported attribute(s) {}", quoted_list(names))
            }
            ErrorKind::MissingAttributes(names) => {
                write!(f, "missing attribute(s) {}", quoted_list(names))
            }
            ErrorKind::DuplicateKey(key) => write!(f, "duplicate key {key:?}"),
            ErrorKind::TooDeep(limit) => write!(f, "value nested deeper than {limit} levels"),
            ErrorKind::Truncated => f.write_str("input ends in the middle of a value"),
            ErrorKind::TrailingData(n) => write!(f, "{n} unexpected byte(s) after the value"),
            ErrorKind::Invalid(message) => f.write_str(message),
        }
    }
}

fn quoted_list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}
