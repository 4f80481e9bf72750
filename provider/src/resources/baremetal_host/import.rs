//! Import: parsing the import ID (`namespace/name`, a bare `name`, or an Ironic node UUID) and
//! the resource identity (`namespace`, `name`). What an import records of the node is
//! [`crate::host::imported`], shared with the list resource.

use crate::codec::{AttributePath, Value};
use crate::diagnostics::Diagnostic;
use crate::host::arguments::HostConfig;
use crate::host::names::{check_name, check_namespace, is_uuid, NODE_NAME_SEPARATOR};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportTarget {
    ByName { namespace: String, name: String },
    ByUuid(String),
}

const ID_FORMS: &str = "expected `<namespace>/<name>` (e.g. `metal3/worker-0`), a bare `<name>` \
                        in the provider's namespace, or an Ironic node UUID";

pub fn parse_import_id(id: &str, default_namespace: &str) -> Result<ImportTarget, Diagnostic> {
    let bad = |why: String| Diagnostic::error("Invalid import ID", format!("{why}; {ID_FORMS}."));
    if is_uuid(id) {
        return Ok(ImportTarget::ByUuid(id.to_ascii_lowercase()));
    }
    if id.is_empty() {
        return Err(bad("the import ID is empty".into()));
    }
    // `namespace~name` is the Ironic node name; accept it as well as `namespace/name`.
    let (namespace, name) = match id.split_once(['/', NODE_NAME_SEPARATOR]) {
        Some((ns, name)) => (ns, name),
        None => (default_namespace, id),
    };
    check_namespace(namespace).map_err(|e| bad(format!("namespace \"{namespace}\" {e}")))?;
    check_name(name).map_err(|e| bad(format!("name \"{name}\" {e}")))?;
    Ok(ImportTarget::ByName {
        namespace: namespace.to_owned(),
        name: name.to_owned(),
    })
}

/// `(namespace, name)` from an identity value, both required and valid.
pub fn parse_identity(identity: &Value) -> Result<(String, String), Diagnostic> {
    let field = |name: &str| {
        identity
            .get(name)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| {
                Diagnostic::error(
                    "Invalid resource identity",
                    format!("the identity needs `{name}` as a known string"),
                )
                .at(AttributePath::root().attribute(name))
            })
    };
    let names = HostConfig::NAMES;
    let namespace = field(names.namespace)?;
    let name = field(names.name)?;
    check_namespace(&namespace).map_err(|e| {
        Diagnostic::error("Invalid resource identity", format!("`namespace` {e}"))
            .at(AttributePath::root().attribute(names.namespace))
    })?;
    check_name(&name).map_err(|e| {
        Diagnostic::error("Invalid resource identity", format!("`name` {e}"))
            .at(AttributePath::root().attribute(names.name))
    })?;
    Ok((namespace, name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::imported::{identity_value, imported_state, ImportedNode};
    use crate::host::status::{ProvisionedImage, StatusView};
    use crate::resources::baremetal_host::schema::schema;

    #[test]
    fn import_ids() {
        let uuid = "1BE26C0B-03F2-4D2E-AE87-C02D7F33C123";
        assert_eq!(
            parse_import_id(uuid, "metal3"),
            Ok(ImportTarget::ByUuid(uuid.to_ascii_lowercase()))
        );
        let by_name = |ns: &str, name: &str| ImportTarget::ByName {
            namespace: ns.into(),
            name: name.into(),
        };
        assert_eq!(
            parse_import_id("lab/worker-0", "metal3"),
            Ok(by_name("lab", "worker-0"))
        );
        assert_eq!(
            parse_import_id("lab~worker-0", "metal3"),
            Ok(by_name("lab", "worker-0"))
        );
        assert_eq!(
            parse_import_id("worker-0", "metal3"),
            Ok(by_name("metal3", "worker-0"))
        );
        for bad in ["", "a/b/c", "Lab/w", "lab/", "/w", "lab/W_1"] {
            let err = parse_import_id(bad, "metal3").unwrap_err();
            assert!(
                err.detail.contains("<namespace>/<name>"),
                "{bad}: {}",
                err.detail
            );
        }
    }

    #[test]
    fn identity_round_trip() {
        let id = identity_value("metal3", "w0");
        assert_eq!(parse_identity(&id), Ok(("metal3".into(), "w0".into())));
        let err = parse_identity(&Value::object([("namespace", "metal3")])).unwrap_err();
        assert_eq!(err.attribute.unwrap().to_string(), "name");
        let err = parse_identity(&identity_value("Bad", "w0")).unwrap_err();
        assert_eq!(err.attribute.unwrap().to_string(), "namespace");
        id.conforms(&super::super::schema::identity().value_type())
            .unwrap();
    }

    #[test]
    fn an_import_records_the_active_hosts_image_and_the_schemas_defaults() {
        let node = ImportedNode {
            namespace: "metal3".into(),
            name: "w0".into(),
            bmc_address: Some("redfish://10.0.0.1/redfish/v1/Systems/1".into()),
            bmc_username: Some("admin".into()),
            externally_provisioned: true,
            ..ImportedNode::default()
        };
        let status = StatusView {
            id: Some("1be26c0b-03f2-4d2e-ae87-c02d7f33c123".into()),
            provisioning_state: Some("externally provisioned".into()),
            powered_on: Some(false),
            provisioned_image: Some(ProvisionedImage {
                url: Some("http://x/os.qcow2".into()),
                checksum: Some("http://x/os.qcow2.sha256".into()),
                ..ProvisionedImage::default()
            }),
            ..StatusView::default()
        };
        let state = imported_state(&node, &status, &schema());
        state.conforms(&schema().block.value_type()).unwrap();
        assert!(state.is_known());
        let s = |p: &[&str]| {
            state
                .get_path(&AttributePath::attributes(p))
                .cloned()
                .unwrap()
        };
        assert_eq!(s(&["image", "url"]), Value::from("http://x/os.qcow2"));
        assert_eq!(s(&["online"]), Value::from(false));
        assert_eq!(s(&["externally_provisioned"]), Value::from(true));
        assert_eq!(s(&["bmc", "password"]), Value::Null);
        // Not recorded on the node: the schema's defaults.
        assert_eq!(s(&["boot_mode"]), Value::from("UEFI"));
        assert_eq!(s(&["automated_cleaning_mode"]), Value::from("metadata"));
        assert_eq!(s(&["inspection_mode"]), Value::from("agent"));
        assert_eq!(s(&["power_off_on_destroy"]), Value::from(true));
        assert_eq!(
            s(&["provisioning_state"]),
            Value::from("externally provisioned")
        );
        assert_eq!(s(&["hardware"]), Value::Null);
    }
}
