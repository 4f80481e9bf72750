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

/// What a function declares, once: its name, signature and docs template (Markdown around the
/// generated reference, `{{reference}}` marking where it goes; `None`: the reference alone).
#[derive(Debug, Clone)]
pub struct FunctionDeclaration {
    name: String,
    signature: Signature,
    doc_template: Option<&'static str>,
}

impl FunctionDeclaration {
    pub fn new(name: impl Into<String>, signature: Signature) -> FunctionDeclaration {
        FunctionDeclaration {
            name: name.into(),
            signature,
            doc_template: None,
        }
    }

    pub fn with_doc(mut self, template: &'static str) -> FunctionDeclaration {
        self.doc_template = Some(template);
        self
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn signature(&self) -> &Signature {
        &self.signature
    }

    pub fn doc_template(&self) -> Option<&str> {
        self.doc_template
    }
}

/// One function: its declaration and its body.
pub trait FunctionHandler: Send + Sync {
    fn declaration(&self) -> &FunctionDeclaration;

    /// `arguments` conform to the signature's types; none is null unless its parameter allows
    /// it, and none is unknown (Terraform does not call a function before its arguments are
    /// known).
    fn call(&self, arguments: &[Value]) -> Result<Value, FunctionError>;
}

/// A function whose body is a plain Rust function: its declaration and that body, so a
/// provider's function is a declaration and a `fn`, with no handler type of its own.
pub struct Function {
    declaration: FunctionDeclaration,
    body: fn(&[Value]) -> Result<Value, FunctionError>,
}

impl Function {
    pub fn new(
        declaration: FunctionDeclaration,
        body: fn(&[Value]) -> Result<Value, FunctionError>,
    ) -> Function {
        Function { declaration, body }
    }

    /// The body on `arguments` (what Terraform's call runs), for tests and callers alike.
    pub fn call(&self, arguments: &[Value]) -> Result<Value, FunctionError> {
        (self.body)(arguments)
    }
}

impl FunctionHandler for Function {
    fn declaration(&self) -> &FunctionDeclaration {
        &self.declaration
    }

    fn call(&self, arguments: &[Value]) -> Result<Value, FunctionError> {
        (self.body)(arguments)
    }
}
