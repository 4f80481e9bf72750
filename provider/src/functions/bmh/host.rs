//! A host as the BareMetalHost functions exchange it with configuration: an object whose keys are
//! `metal3_baremetal_host` arguments, with the Kubernetes Secrets a BareMetalHost refers to kept
//! as names (`bmc.credentials_name`, `*_secret`) for the configuration to map to values.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::model::{
    BareMetalHost, Bmc, CustomDeploy, Image, Metadata, RootDeviceHints, SecretRef, Spec,
    API_VERSION, KIND,
};
use crate::codec::Type;
use crate::functions::suggest::quoted;
use crate::host::doc_text::code_list;
use metal3_core::lifecycle::InspectionMode;
use metal3_core::Vocabulary;

/// Metal3 restores a moved host's status from this annotation instead of inspecting it again.
pub const STATUS_ANNOTATION: &str = "baremetalhost.metal3.io/status";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HostArgs {
    pub name: String,
    pub namespace: Option<String>,
    pub bmc: BmcArgs,
    pub boot_mac_address: Option<String>,
    pub boot_mode: Option<String>,
    pub online: Option<bool>,
    pub image: Option<ImageArgs>,
    /// snake_case keys of Metal3's `rootDeviceHints` (`device_name`, `min_size_gigabytes`...).
    pub root_device_hints: Option<Json>,
    pub custom_deploy: Option<CustomDeploy>,
    pub externally_provisioned: Option<bool>,
    pub automated_cleaning_mode: Option<String>,
    pub inspection_mode: Option<String>,
    pub description: Option<String>,
    pub user_data_secret: Option<String>,
    pub network_data_secret: Option<String>,
    pub meta_data_secret: Option<String>,
    pub labels: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BmcArgs {
    pub address: String,
    pub credentials_name: Option<String>,
    pub disable_certificate_verification: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageArgs {
    pub url: String,
    pub checksum: Option<String>,
    pub checksum_type: Option<String>,
    pub disk_format: Option<String>,
}

/// The attributes of a `metal3_baremetal_host` the manifest takes beyond `HostArgs`. Secret
/// contents (`user_data`...) are only tested for presence, never kept.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct HostState {
    pub id: Option<String>,
    pub provisioning_state: Option<String>,
    pub powered_on: Option<bool>,
    pub hardware: Option<Json>,
    pub user_data: Option<Json>,
    pub network_data: Option<Json>,
    pub meta_data: Option<Json>,
}

/// The object type `baremetalhosts` returns (one element of its list).
pub fn host_type() -> Type {
    let string = || Type::String;
    Type::object([
        ("name", string()),
        ("namespace", string()),
        (
            "bmc",
            Type::object([
                ("address", string()),
                ("credentials_name", string()),
                ("disable_certificate_verification", Type::Bool),
            ]),
        ),
        ("boot_mac_address", string()),
        ("boot_mode", string()),
        ("online", Type::Bool),
        (
            "image",
            Type::object([
                ("url", string()),
                ("checksum", string()),
                ("checksum_type", string()),
                ("disk_format", string()),
            ]),
        ),
        (
            "root_device_hints",
            Type::object([
                ("device_name", string()),
                ("hctl", string()),
                ("model", string()),
                ("vendor", string()),
                ("serial_number", string()),
                ("min_size_gigabytes", Type::Number),
                ("wwn", string()),
                ("wwn_with_extension", string()),
                ("wwn_vendor_extension", string()),
                ("rotational", Type::Bool),
            ]),
        ),
        ("custom_deploy", Type::object([("method", string())])),
        ("externally_provisioned", Type::Bool),
        ("automated_cleaning_mode", string()),
        ("inspection_mode", string()),
        ("description", string()),
        ("user_data_secret", string()),
        ("network_data_secret", string()),
        ("meta_data_secret", string()),
        ("labels", Type::map(string())),
    ])
}

/// A BareMetalHost as this resource's arguments; an error names the field that cannot be
/// represented by them.
pub fn from_bmh(host: &BareMetalHost) -> Result<HostArgs, String> {
    let spec = &host.spec;
    let bmc = spec.bmc.clone().unwrap_or_default();
    let namespace = host.metadata.namespace.as_deref();
    let secrets = [
        ("userData", "user_data_secret", &spec.user_data),
        ("networkData", "network_data_secret", &spec.network_data),
        ("metaData", "meta_data_secret", &spec.meta_data),
    ];
    for (field, argument, reference) in secrets {
        secret_in_host_namespace(field, argument, reference.as_ref(), namespace)?;
    }
    if let Some(mode) = spec.inspection_mode.as_deref() {
        let allowed = InspectionMode::names();
        if !allowed.contains(&mode) {
            return Err(format!(
                "spec.inspectionMode {} must be one of {}",
                quoted(mode, 63),
                code_list(&allowed)
            ));
        }
    }
    Ok(HostArgs {
        name: host.metadata.name.clone(),
        namespace: host.metadata.namespace.clone(),
        bmc: BmcArgs {
            address: bmc.address,
            credentials_name: Some(bmc.credentials_name).filter(|n| !n.is_empty()),
            disable_certificate_verification: Some(bmc.disable_certificate_verification),
        },
        boot_mac_address: spec.boot_mac_address.clone().filter(|m| !m.is_empty()),
        boot_mode: spec.boot_mode.clone().filter(|m| !m.is_empty()),
        online: Some(spec.online),
        image: spec.image.as_ref().map(|image| ImageArgs {
            url: image.url.clone(),
            checksum: image.checksum.clone().filter(|c| !c.is_empty()),
            // Metal3's `auto` is this resource's unset.
            checksum_type: image
                .checksum_type
                .clone()
                .filter(|t| !t.is_empty() && t != "auto"),
            disk_format: image.format.clone().filter(|f| !f.is_empty()),
        }),
        root_device_hints: spec
            .root_device_hints
            .as_ref()
            .map(|hints| snake_case_keys(&to_json(hints))),
        custom_deploy: spec.custom_deploy.clone(),
        externally_provisioned: Some(spec.externally_provisioned),
        automated_cleaning_mode: spec
            .automated_cleaning_mode
            .clone()
            .filter(|m| !m.is_empty()),
        inspection_mode: spec.inspection_mode.clone().filter(|m| !m.is_empty()),
        description: spec.description.clone().filter(|d| !d.is_empty()),
        user_data_secret: spec.user_data.as_ref().map(|s| s.name.clone()),
        network_data_secret: spec.network_data.as_ref().map(|s| s.name.clone()),
        meta_data_secret: spec.meta_data.as_ref().map(|s| s.name.clone()),
        labels: host.metadata.labels.clone(),
    })
}

/// A `*_secret` argument is a Secret's name in the host's namespace: a reference to another
/// namespace has no such name, and keeping only its name would name another Secret.
fn secret_in_host_namespace(
    field: &str,
    argument: &str,
    reference: Option<&SecretRef>,
    host_namespace: Option<&str>,
) -> Result<(), String> {
    let Some(reference) = reference else {
        return Ok(());
    };
    let Some(namespace) = reference.namespace.as_deref().filter(|n| !n.is_empty()) else {
        return Ok(());
    };
    if Some(namespace) == host_namespace {
        return Ok(());
    }
    let host = host_namespace.map_or("no `metadata.namespace`".to_owned(), |ns| {
        format!("namespace {ns:?}")
    });
    Err(format!(
        "spec.{field}.namespace {} is not the host's ({host}): `{argument}` can only name a \
         Secret in the host's namespace. Copy the Secret there and remove \
         `spec.{field}.namespace` (or set the host's `metadata.namespace` to it)",
        quoted(namespace, 63)
    ))
}

/// The BareMetalHost for a host's arguments (and, when given, what was read of it). Secrets not
/// named are referred to by Metal3's usual names: `<name>-bmc-secret`, `<name>-user-data`...
pub fn to_bmh(args: &HostArgs, state: &HostState) -> Result<BareMetalHost, String> {
    let name = &args.name;
    let root_device_hints = match args.root_device_hints.as_ref().filter(|h| !h.is_null()) {
        None => None,
        Some(hints) => Some(
            serde_json::from_value::<RootDeviceHints>(camel_case_keys(hints))
                .map_err(|e| format!("root_device_hints: {e}"))?,
        ),
    };
    let secret = |named: &Option<String>, content: &Option<Json>, suffix: &str| {
        named
            .clone()
            .or_else(|| {
                content
                    .as_ref()
                    .filter(|c| !c.is_null())
                    .map(|_| format!("{name}-{suffix}"))
            })
            .map(|name| SecretRef {
                name,
                namespace: None,
            })
    };
    let spec = Spec {
        bmc: Some(Bmc {
            address: args.bmc.address.clone(),
            credentials_name: args
                .bmc
                .credentials_name
                .clone()
                .unwrap_or_else(|| format!("{name}-bmc-secret")),
            disable_certificate_verification: args
                .bmc
                .disable_certificate_verification
                .unwrap_or(false),
        }),
        boot_mac_address: args.boot_mac_address.clone(),
        boot_mode: args.boot_mode.clone(),
        online: args.online.unwrap_or(true),
        image: args.image.as_ref().map(|image| Image {
            url: image.url.clone(),
            checksum: image.checksum.clone(),
            checksum_type: image.checksum_type.clone(),
            format: image.disk_format.clone(),
        }),
        root_device_hints,
        externally_provisioned: args.externally_provisioned.unwrap_or(false),
        automated_cleaning_mode: args.automated_cleaning_mode.clone(),
        inspection_mode: args.inspection_mode.clone(),
        description: args.description.clone(),
        custom_deploy: args.custom_deploy.clone(),
        user_data: secret(&args.user_data_secret, &state.user_data, "user-data"),
        network_data: secret(
            &args.network_data_secret,
            &state.network_data,
            "network-data",
        ),
        meta_data: secret(&args.meta_data_secret, &state.meta_data, "meta-data"),
        ..Spec::default()
    };
    let mut annotations = BTreeMap::new();
    if let Some(status) = status_annotation(&spec, state) {
        annotations.insert(STATUS_ANNOTATION.to_owned(), status);
    }
    Ok(BareMetalHost {
        api_version: API_VERSION.to_owned(),
        kind: KIND.to_owned(),
        metadata: Metadata {
            name: name.clone(),
            namespace: args.namespace.clone(),
            labels: args.labels.clone(),
            annotations,
        },
        spec,
        status: None,
    })
}

/// Metal3's status for an inspected host (JSON, as Metal3 writes the annotation): its hardware
/// details, power, and where it is in its lifecycle, so that Metal3 neither inspects nor
/// provisions it again. `None` for a host never inspected: Metal3 then inspects it itself.
fn status_annotation(spec: &Spec, state: &HostState) -> Option<String> {
    let hardware = state.hardware.as_ref().filter(|h| !h.is_null())?;
    let mut provisioning = serde_json::Map::new();
    let lifecycle = state
        .provisioning_state
        .clone()
        .unwrap_or_else(|| "available".to_owned());
    provisioning.insert("state".into(), Json::from(lifecycle));
    provisioning.insert(
        "ID".into(),
        Json::from(state.id.clone().unwrap_or_default()),
    );
    if let Some(mode) = &spec.boot_mode {
        provisioning.insert("bootMode".into(), Json::from(mode.clone()));
    }
    if let Some(image) = &spec.image {
        provisioning.insert("image".into(), to_json(image));
    }
    if let Some(hints) = &spec.root_device_hints {
        provisioning.insert("rootDeviceHints".into(), to_json(hints));
    }
    let status = serde_json::json!({
        "operationalStatus": "OK",
        "hardware": camel_case_keys(hardware),
        "provisioning": provisioning,
        "poweredOn": state.powered_on.unwrap_or(false),
        "goodCredentials": {},
        "triedCredentials": {},
        "errorMessage": "",
        "operationHistory": {},
    });
    serde_json::to_string(&status).ok()
}

fn to_json(value: &impl Serialize) -> Json {
    serde_json::to_value(value).unwrap_or(Json::Null)
}

/// This resource's `hardware` attribute and Metal3's `status.hardware` hold the same fields,
/// named in snake_case here and camelCase there; nulls are left out, as Metal3 does.
fn camel_case_keys(value: &Json) -> Json {
    match value {
        Json::Object(map) => Json::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (camel_case(k), camel_case_keys(v)))
                .collect(),
        ),
        Json::Array(items) => Json::Array(items.iter().map(camel_case_keys).collect()),
        other => other.clone(),
    }
}

fn snake_case_keys(value: &Json) -> Json {
    match value {
        Json::Object(map) => Json::Object(
            map.iter()
                .map(|(k, v)| (snake_case(k), snake_case_keys(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn snake_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len().saturating_add(4));
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn camel_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}
