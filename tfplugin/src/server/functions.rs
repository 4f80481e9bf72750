//! Provider functions: GetFunctions (signatures as tfplugin6 `Function`s, also part of the
//! provider schema), and CallFunction, decoding each argument by its parameter's type, calling
//! the handler and encoding its result. A call fails with a `FunctionError`, the protocol's one
//! error for functions (it has no diagnostics), pointing at the argument at fault.

use crate::codec::{self, Value};
use crate::function::{FunctionError, FunctionHandler, Parameter, Signature};
use crate::proto::tfplugin6 as pb;

use super::registry::Registry;

/// Every function's signature, by name.
pub fn definitions(registry: &Registry) -> std::collections::HashMap<String, pb::Function> {
    registry
        .functions()
        .map(|f| {
            (
                f.declaration().name().to_string(),
                definition(f.declaration().signature()),
            )
        })
        .collect()
}

pub fn get(registry: &Registry) -> pb::get_functions::Response {
    pb::get_functions::Response {
        functions: definitions(registry),
        diagnostics: Vec::new(),
    }
}

fn definition(signature: &Signature) -> pb::Function {
    pb::Function {
        parameters: signature.parameters.iter().map(parameter).collect(),
        variadic_parameter: signature.variadic.as_ref().map(parameter),
        r#return: Some(pb::function::Return {
            r#type: signature.returns.to_json_bytes(),
        }),
        summary: signature.summary.clone(),
        description: signature.description.clone(),
        description_kind: pb::StringKind::Markdown as i32,
        deprecation_message: String::new(),
    }
}

fn parameter(p: &Parameter) -> pb::function::Parameter {
    pb::function::Parameter {
        name: p.name.clone(),
        r#type: p.r#type.to_json_bytes(),
        allow_null_value: p.allow_null,
        allow_unknown_values: false,
        description: p.description.clone(),
        description_kind: pb::StringKind::Markdown as i32,
    }
}

pub fn call(
    registry: &Registry,
    request: &pb::call_function::Request,
) -> pb::call_function::Response {
    let Some(function) = registry.function(&request.name) else {
        return failed(FunctionError::new(format!(
            "This provider has no function named \"{}\".",
            request.name
        )));
    };
    match decode_arguments(function.as_ref(), &request.arguments)
        .and_then(|arguments| function.call(&arguments))
        .and_then(|result| encode(function.declaration().signature(), &result))
    {
        Ok(result) => pb::call_function::Response {
            result: Some(result),
            error: None,
        },
        Err(error) => failed(error),
    }
}

fn decode_arguments(
    function: &dyn FunctionHandler,
    arguments: &[pb::DynamicValue],
) -> Result<Vec<Value>, FunctionError> {
    let signature = function.declaration().signature();
    let expected = signature.parameters.len();
    if arguments.len() < expected || (signature.variadic.is_none() && arguments.len() > expected) {
        return Err(FunctionError::new(format!(
            "{} takes {expected} argument(s), got {}.",
            function.declaration().name(),
            arguments.len()
        )));
    }
    arguments
        .iter()
        .enumerate()
        .map(|(index, argument)| {
            // Checked above: every index has a parameter.
            let parameter = signature.parameter(index).expect("argument count checked");
            let value =
                codec::decode_dynamic_value(&argument.msgpack, &argument.json, &parameter.r#type)
                    .map_err(|e| {
                    FunctionError::in_argument(index, format!("{}: {e}", parameter.name))
                })?;
            if value.is_null() && !parameter.allow_null {
                return Err(FunctionError::in_argument(
                    index,
                    format!("{} must not be null.", parameter.name),
                ));
            }
            Ok(value)
        })
        .collect()
}

fn encode(signature: &Signature, result: &Value) -> Result<pb::DynamicValue, FunctionError> {
    let msgpack = codec::msgpack::encode(result, &signature.returns).map_err(|e| {
        FunctionError::new(format!(
            "The function's result does not match its declared type ({e}); this is a bug in the provider."
        ))
    })?;
    Ok(pb::DynamicValue {
        msgpack,
        json: Vec::new(),
    })
}

fn failed(error: FunctionError) -> pb::call_function::Response {
    pb::call_function::Response {
        result: None,
        error: Some(pb::FunctionError {
            text: error.text,
            function_argument: error.argument.map(|i| i as i64),
        }),
    }
}
