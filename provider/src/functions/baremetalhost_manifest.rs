//! `baremetalhost_manifest(host)`: a BareMetalHost manifest for a host, so that a fleet managed
//! here can move into a Metal3 cluster without being inspected or provisioned again.

use super::bmh::host::Host;
use super::bmh::status::HostState;
use super::bmh::{arguments, field_error, fields, firmware_objects, hardware_mapping, mapping};
use crate::codec::{json, Type, Value};
use crate::host::arguments::HostConfig;
use crate::host::names::check_name;
use tfplugin::function::{Function, FunctionDeclaration, FunctionError, Parameter, Signature};

/// The function, as the provider serves it.
pub fn function() -> Function {
    let signature = Signature {
        summary: "Writes a Metal3 BareMetalHost manifest for a host".into(),
        description: format!(
            "Returns a BareMetalHost (YAML) for a `metal3_baremetal_host` (the resource \
             itself, or an object with its arguments, such as an element of \
             `baremetalhosts`). An inspected host carries Metal3's status annotation \
             (hardware details, power, provisioning state) so that Metal3 takes it over \
             without inspecting or provisioning it again. Secrets are referred to, never \
             written: `bmc.credentials_name` or `<name>-bmc-secret`, and \
             `<name>-user-data`, `<name>-network-data`, `<name>-meta-data` when the host \
             has such data and no `*_secret` names another Secret. `bios_settings` and \
             `firmware_components` follow the host as a HostFirmwareSettings and a \
             HostFirmwareComponents of its name, each its own document. Arguments a \
             BareMetalHost has no field for ({}) are left out. The host is checked by \
             the resource's own rules first (credentials aside): an invalid value, a \
             misspelt key or a wrong type is an error naming the argument.",
            fields::left_out()
        ),
        parameters: vec![Parameter::new(
            "host",
            Type::Dynamic,
            "A `metal3_baremetal_host` resource, or an object with at least `name` and \
             `bmc.address`.",
        )],
        variadic: None,
        returns: Type::String,
    };
    Function::new(
        FunctionDeclaration::new("baremetalhost_manifest", signature)
            .with_doc(include_str!("baremetalhost_manifest.md")),
        call,
    )
}

fn call(arguments: &[Value]) -> Result<Value, FunctionError> {
    let host = arguments.first().unwrap_or(&Value::Null);
    write(host)
        .map(Value::from)
        .map_err(|e| FunctionError::in_argument(0, e))
}

/// The manifest for a host (the resource, or an object of its arguments), checked first by the
/// resource's rules; an error names every argument in the way, one a line.
pub fn write(host: &Value) -> Result<String, String> {
    let value = match host {
        Value::Dynamic(_, inner) => inner.as_ref(),
        other => other,
    };
    let problems = arguments::check(value);
    if !problems.is_empty() {
        let name = value
            .get(HostConfig::NAMES.name)
            .and_then(Value::as_str)
            .filter(|n| check_name(n).is_ok());
        let who = name.map_or("the host".to_owned(), |n| format!("host {n:?}"));
        return Err(format!(
            "{who} cannot be written as a BareMetalHost:\n- {}",
            problems.join("\n- ")
        ));
    }
    let args = Host::from_value(value).map_err(|e| format!("the host: {e}"))?;
    let state = state(host)?;
    let bmh = mapping::to_bmh(&args, &state).map_err(|e| match args.config.name.known() {
        Some(name) => format!("host {name:?}: {e}"),
        None => e,
    })?;
    let mut manifest = serde_saphyr::to_string(&bmh).map_err(|e| e.to_string())?;
    let firmware = firmware_objects::write(
        &bmh.metadata.name,
        bmh.metadata.namespace.as_deref(),
        &hardware_mapping::host_firmware(&args.config),
    )?;
    for document in firmware {
        manifest.push_str("---\n");
        manifest.push_str(&document);
    }
    Ok(manifest)
}

/// What was read of the host (the resource's status attributes), through Terraform's JSON form.
fn state(host: &Value) -> Result<HostState, String> {
    let bytes = match host {
        Value::Dynamic(ty, inner) => json::encode(inner, ty),
        other => json::encode(other, &Type::Dynamic),
    }
    .map_err(|e| e.to_string())?;
    let value: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|_| "the host is not a JSON object".to_owned())?;
    serde_path_to_error::deserialize(&value)
        .map_err(|e| format!("the host: {}", field_error::describe(&e, &value, "")))
}
