//! Import: parsing the import ID (`namespace/name`, a bare `name`, or an Ironic node UUID), the
//! resource identity (`namespace`, `name`), and the state recorded for an imported host.

use super::schema::{DEFAULT_AUTOMATED_CLEANING_MODE, DEFAULT_BOOT_MODE, DEFAULT_INSPECTION_MODE};
use super::state::host_state;
use crate::codec::{AttributePath, Value};
use crate::diagnostics::Diagnostic;
use crate::host::names::{check_name, check_namespace, is_uuid, NODE_NAME_SEPARATOR};
use crate::host::status::{provisioned_image_value, StatusView};

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

/// The resource identity value.
pub fn identity_value(namespace: &str, name: &str) -> Value {
    Value::object([("namespace", namespace), ("name", name)])
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
    let namespace = field("namespace")?;
    let name = field("name")?;
    check_namespace(&namespace).map_err(|e| {
        Diagnostic::error("Invalid resource identity", format!("`namespace` {e}"))
            .at(AttributePath::root().attribute("namespace"))
    })?;
    check_name(&name).map_err(|e| {
        Diagnostic::error("Invalid resource identity", format!("`name` {e}"))
            .at(AttributePath::root().attribute("name"))
    })?;
    Ok((namespace, name))
}

/// What can be recovered from an existing Ironic node besides its status.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportedNode {
    pub namespace: String,
    pub name: String,
    /// The BMC address as this provider (or Metal3) recorded it, when it can be rebuilt.
    pub bmc_address: Option<String>,
    pub bmc_username: Option<String>,
    pub disable_certificate_verification: bool,
    pub boot_mac_address: Option<String>,
    /// `None`: not recorded on the node; the default applies.
    pub boot_mode: Option<String>,
    pub automated_cleaning_mode: Option<String>,
    pub inspection_mode: Option<String>,
    pub externally_provisioned: bool,
    pub description: Option<String>,
    pub conductor_group: Option<String>,
}

/// State for an imported host. Passwords cannot be read back, so they are null (the next plan
/// shows the configured password as a change, which re-sends it to Ironic); `online` follows
/// the current power state; `image` is what is deployed.
pub fn imported_state(node: &ImportedNode, status: &StatusView) -> Value {
    let bmc = Value::object([
        ("address", Value::from(node.bmc_address.clone())),
        ("username", Value::from(node.bmc_username.clone())),
        ("password", Value::Null),
        ("password_wo", Value::Null),
        ("password_wo_version", Value::Null),
        (
            "disable_certificate_verification",
            Value::from(node.disable_certificate_verification),
        ),
    ]);
    let image = status
        .provisioned_image
        .as_ref()
        .map(provisioned_image_value)
        .unwrap_or(Value::Null);
    let or_default = |v: &Option<String>, default: &str| {
        Value::from(v.clone().unwrap_or_else(|| default.to_owned()))
    };
    let arguments = Value::object([
        ("name", Value::from(&node.name)),
        ("namespace", Value::from(&node.namespace)),
        ("bmc", bmc),
        ("boot_mac_address", node.boot_mac_address.clone().into()),
        ("boot_mode", or_default(&node.boot_mode, DEFAULT_BOOT_MODE)),
        // Unknown power (Ironic has not read it) is taken as running: `false` would have the next
        // apply switch off a host that may be serving.
        ("online", Value::from(status.powered_on.unwrap_or(true))),
        ("image", image),
        (
            "externally_provisioned",
            Value::from(node.externally_provisioned),
        ),
        (
            "automated_cleaning_mode",
            or_default(
                &node.automated_cleaning_mode,
                DEFAULT_AUTOMATED_CLEANING_MODE,
            ),
        ),
        (
            "inspection_mode",
            or_default(&node.inspection_mode, DEFAULT_INSPECTION_MODE),
        ),
        ("description", node.description.clone().into()),
        ("conductor_group", node.conductor_group.clone().into()),
        (
            "power_off_on_destroy",
            Value::from(super::schema::DEFAULT_POWER_OFF_ON_DESTROY),
        ),
    ]);
    host_state(&arguments, status)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::status::ProvisionedImage;
    use crate::resources::baremetal_host::state::resource_type;

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
    fn imported_active_host_records_its_image() {
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
                url: "http://x/os.qcow2".into(),
                checksum: Some("http://x/os.qcow2.sha256".into()),
                ..ProvisionedImage::default()
            }),
            ..StatusView::default()
        };
        let state = imported_state(&node, &status);
        state.conforms(&resource_type()).unwrap();
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
        assert_eq!(s(&["boot_mode"]), Value::from("UEFI"));
        assert_eq!(
            s(&["provisioning_state"]),
            Value::from("externally provisioned")
        );
        assert_eq!(s(&["hardware"]), Value::Null);
    }
}
