//! The `options` argument of `baremetalhosts`: at most one object, whose keys are checked (a
//! misspelt option is refused with the nearest one, never ignored).

use super::suggest;
use crate::codec::Value;
use tfplugin::function::FunctionError;

/// What the caller allows beyond a manifest with hosts.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// A manifest without BareMetalHosts is an empty fleet, not a mistake.
    pub allow_empty: bool,
}

const OPTION_NAMES: &[&str] = &["allow_empty"];

/// The `options` arguments (index 1 on): at most one object of known options.
pub fn read_options(arguments: &[Value]) -> Result<ReadOptions, FunctionError> {
    let mut options = ReadOptions::default();
    let Some(first) = arguments.first() else {
        return Ok(options);
    };
    if arguments.len() > 1 {
        return Err(FunctionError::in_argument(
            2,
            "`options` is given more than once: pass one object, e.g. `{ allow_empty = true }`",
        ));
    }
    let value = match first {
        Value::Dynamic(_, inner) => inner.as_ref(),
        other => other,
    };
    let Some(map) = value.as_map() else {
        return Err(FunctionError::in_argument(
            1,
            format!(
                "`options` must be an object, e.g. `{{ allow_empty = true }}`; found {}",
                value.kind_name()
            ),
        ));
    };
    for (key, option) in map {
        match key.as_str() {
            "allow_empty" => match option.as_bool() {
                Some(allow) => options.allow_empty = allow,
                None => {
                    return Err(FunctionError::in_argument(
                        1,
                        format!(
                            "`options.allow_empty` must be `true` or `false`; found {}",
                            option.kind_name()
                        ),
                    ))
                }
            },
            other => {
                let hint = suggest::nearest(other, OPTION_NAMES.iter().copied())
                    .map(|n| format!("; did you mean `{n}`?"))
                    .unwrap_or_default();
                return Err(FunctionError::in_argument(
                    1,
                    format!(
                        "`options` has no option {}{hint} The options are: `allow_empty`.",
                        suggest::quoted(other, 64)
                    ),
                ));
            }
        }
    }
    Ok(options)
}
