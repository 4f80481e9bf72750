//! Why a value could not become a model: where, and what was found instead. Like the codec's
//! errors, messages describe the kind of value, never its content (values may be secrets).

use std::fmt;

use crate::codec::AttributePath;
use crate::diagnostics::Diagnostic;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DecodeError {
    /// The attribute at fault, from the model's root.
    pub path: AttributePath,
    pub kind: DecodeErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeErrorKind {
    /// Null where the field's type has no null (not an `Option`).
    Null,
    /// Unknown where the field's type has no unknown (not a `Known`).
    Unknown,
    /// A value of another kind.
    Mismatch {
        expected: &'static str,
        found: String,
    },
    /// A number the field's type cannot hold.
    OutOfRange { expected: &'static str },
}

impl DecodeError {
    pub fn new(path: &AttributePath, kind: DecodeErrorKind) -> DecodeError {
        DecodeError {
            path: path.clone(),
            kind,
        }
    }

    /// An error diagnostic at the attribute: a value the provider's own model cannot hold is
    /// the provider's bug, or a state written by another version of it.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let diagnostic =
            Diagnostic::error("Value does not fit the provider's model", self.to_string());
        match self.path.is_root() {
            true => diagnostic,
            false => diagnostic.at(self.path.clone()),
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = match self.path.is_root() {
            true => "the value".to_owned(),
            false => format!("`{}`", self.path),
        };
        match &self.kind {
            DecodeErrorKind::Null => write!(f, "{at} is null, where a value is needed"),
            DecodeErrorKind::Unknown => {
                write!(
                    f,
                    "{at} is not known until apply, where a known value is needed"
                )
            }
            DecodeErrorKind::Mismatch { expected, found } => {
                write!(f, "{at} is {found}, where {expected} is needed")
            }
            DecodeErrorKind::OutOfRange { expected } => {
                write!(f, "{at} is a number that is not {expected}")
            }
        }
    }
}
