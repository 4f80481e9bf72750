//! `bmc_address(address)`: a BMC address parsed as the resource parses `bmc.address`, with the
//! Ironic hardware type it selects: for checking an inventory's addresses before enrolling them,
//! or picking hosts by driver.

use metal3_core::bmc::{self, BmcCredentials};
use metal3_core::secret::Secret;

use crate::codec::{Type, Value};
use tfplugin::function::{Function, FunctionDeclaration, FunctionError, Parameter, Signature};

fn result_type() -> Type {
    Type::object([
        ("scheme", Type::String),
        ("transport", Type::String),
        ("driver", Type::String),
        ("host", Type::String),
        ("port", Type::Number),
        ("path", Type::String),
        ("virtual_media", Type::Bool),
        ("needs_boot_mac_address", Type::Bool),
    ])
}

/// The function, as the provider serves it.
pub fn function() -> Function {
    let signature = Signature {
        summary: "Parses a BMC address and names the Ironic driver it selects".into(),
        description: "Parses a BMC address exactly as `metal3_baremetal_host` parses \
            `bmc.address` (the same schemes, the forms BareMetalHost accepts, the same \
            errors) and returns its parts with the Ironic hardware type it selects."
            .into(),
        parameters: vec![Parameter::new(
            "address",
            Type::String,
            "A BMC address, e.g. `redfish-virtualmedia+https://10.0.0.5/redfish/v1/Systems/1`.",
        )],
        variadic: None,
        returns: result_type(),
    };
    Function::new(
        FunctionDeclaration::new("bmc_address", signature).with_doc(include_str!("bmc_address.md")),
        call,
    )
}

fn call(arguments: &[Value]) -> Result<Value, FunctionError> {
    let address = arguments
        .first()
        .and_then(Value::as_str)
        .unwrap_or_default();
    parse(address).map_err(|e| FunctionError::in_argument(0, e.to_string()))
}

fn parse(address: &str) -> Result<Value, bmc::BmcError> {
    let parsed = bmc::parse_address(address)?;
    // Placeholder credentials: only the driver is wanted, and no credential leaves here.
    let credentials = BmcCredentials {
        username: "user".into(),
        password: Secret::new("placeholder".to_owned()),
    };
    let settings = bmc::driver_settings(address, &credentials, false)?;
    let or_null = |v: Option<Value>| v.unwrap_or(Value::Null);
    Ok(Value::object([
        ("scheme", Value::from(parsed.scheme.as_str())),
        (
            "transport",
            or_null(parsed.transport.as_deref().map(Value::from)),
        ),
        ("driver", Value::from(settings.driver.as_str())),
        ("host", Value::from(parsed.host.as_str())),
        (
            "port",
            or_null(parsed.port.map(|p| Value::from(u32::from(p)))),
        ),
        ("path", Value::from(parsed.path.as_str())),
        ("virtual_media", Value::from(settings.uses_virtual_media)),
        (
            "needs_boot_mac_address",
            Value::from(settings.needs_boot_mac),
        ),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(address: &str) -> Result<Value, FunctionError> {
        function().call(&[Value::from(address)])
    }

    #[test]
    fn parses_parts_and_names_the_driver() {
        let v = call("redfish-virtualmedia+https://10.0.0.5:8443/redfish/v1/Systems/1").unwrap();
        assert_eq!(
            v.get("scheme").and_then(Value::as_str),
            Some("redfish-virtualmedia")
        );
        assert_eq!(v.get("transport").and_then(Value::as_str), Some("https"));
        assert_eq!(v.get("driver").and_then(Value::as_str), Some("redfish"));
        assert_eq!(v.get("host").and_then(Value::as_str), Some("10.0.0.5"));
        assert_eq!(v.get("port").and_then(Value::as_i64), Some(8443));
        assert_eq!(
            v.get("path").and_then(Value::as_str),
            Some("/redfish/v1/Systems/1")
        );
        assert_eq!(v.get("virtual_media").and_then(Value::as_bool), Some(true));
        v.conforms(&result_type()).unwrap();
    }

    #[test]
    fn bare_hosts_are_ipmi_and_absent_parts_are_null() {
        let v = call("192.168.1.10").unwrap();
        assert_eq!(v.get("scheme").and_then(Value::as_str), Some("ipmi"));
        assert_eq!(v.get("driver").and_then(Value::as_str), Some("ipmi"));
        assert!(v.get("transport").unwrap().is_null());
        assert!(v.get("port").unwrap().is_null());
        assert_eq!(
            v.get("needs_boot_mac_address").and_then(Value::as_bool),
            Some(true)
        );
    }

    #[test]
    fn a_bad_address_is_an_error_on_the_argument_saying_what_is_accepted() {
        let error = call("bogus://h").unwrap_err();
        assert_eq!(error.argument, Some(0));
        assert!(
            error.text.contains("accepted schemes: ipmi"),
            "{}",
            error.text
        );
        let error = call("redfish://admin:pw@h/x").unwrap_err();
        assert!(!error.text.contains("pw"), "{}", error.text);
    }
}
