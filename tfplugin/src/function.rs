//! Provider-defined functions (`provider::<provider>::<name>(...)`, Terraform >= 1.8): their
//! signatures and what a function implements. Functions are pure: the same arguments give the
//! same result, without the provider's configuration and without I/O, because Terraform calls
//! them wherever an expression is evaluated, validation included.

use crate::codec::{Type, Value};

/// One parameter. Terraform checks the argument's type against it before the call.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub name: String,
    pub r#type: Type,
    /// Markdown.
    pub description: String,
    /// Pass a null argument to the function; otherwise a null is refused before the call.
    pub allow_null: bool,
}

impl Parameter {
    pub fn new(name: &str, r#type: Type, description: &str) -> Parameter {
        Parameter {
            name: name.to_owned(),
            r#type,
            description: description.to_owned(),
            allow_null: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Signature {
    /// One line, shown by editors.
    pub summary: String,
    /// Markdown.
    pub description: String,
    pub parameters: Vec<Parameter>,
    /// Takes any number of further arguments of this parameter's type.
    pub variadic: Option<Parameter>,
    /// `Type::Dynamic` when the result's type depends on the arguments (the value is then a
    /// `Value::Dynamic` carrying its type).
    pub returns: Type,
}

impl Signature {
    /// The parameter argument `index` (0-based) is checked against.
    pub fn parameter(&self, index: usize) -> Option<&Parameter> {
        self.parameters.get(index).or(self.variadic.as_ref())
    }
}

/// Why a call failed. Terraform shows `text` at the call, and points at the argument when
/// `argument` (0-based) is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionError {
    pub text: String,
    pub argument: Option<usize>,
}

impl FunctionError {
    pub fn new(text: impl Into<String>) -> FunctionError {
        FunctionError {
            text: text.into(),
            argument: None,
        }
    }

    /// An error about one argument.
    pub fn in_argument(argument: usize, text: impl Into<String>) -> FunctionError {
        FunctionError {
            text: text.into(),
            argument: Some(argument),
        }
    }
}

/// One function.
pub trait FunctionHandler: Send + Sync {
    fn name(&self) -> &str;
    fn signature(&self) -> &Signature;

    /// Markdown for the function's registry page around the generated reference
    /// (`{{reference}}` marks where it goes). `None`: the page is the reference alone.
    fn doc_template(&self) -> Option<&str> {
        None
    }

    /// `arguments` conform to the signature's types; none is null unless its parameter allows
    /// it, and none is unknown (Terraform does not call a function before its arguments are
    /// known).
    fn call(&self, arguments: &[Value]) -> Result<Value, FunctionError>;
}
