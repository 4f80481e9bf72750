//! What the engine records on the Ironic node so a host's status can be recovered from Ironic
//! alone (BMO keeps it in the BareMetalHost status; here Ironic is the only store).
//!
//! All in the node's `extra` (Ironic never clears it, unlike `instance_info`, which undeploy
//! wipes):
//! - `metal3_image`: JSON object `{url, checksum, checksum_type, disk_format}` of the image
//!   being or last provisioned; written before the deploy verb, removed on deprovision.
//! - `metal3_custom_deploy`: the custom deploy method, same life cycle as `metal3_image`.
//! - `metal3_externally_provisioned`: `true` when the host was adopted rather than deployed.
//! - `metal3_bmc_address`: the BMC address as the user wrote it (driver_info holds Ironic's
//!   form, which cannot always be turned back into the address), for import.
//! - `metal3_namespace`, `metal3_name`: the host's identity, redundant with the node name
//!   `<namespace>~<name>` but robust to renamed nodes.
//! - `metal3_hardware_kept`: `true` on a node re-registered after Ironic lost the previous one,
//!   when the caller still holds the hardware details: the host is not inspected again (Metal3
//!   restores them from its status annotation the same way).
//! - `metal3_creation_token`: random, written by the create that made the node, so a create
//!   whose answer was lost recognises its own node (`create_once.rs`).

use serde_json::{json, Map, Value};

use super::spec::{ChecksumType, CustomDeploy, DiskFormat, ImageSpec};

pub const IMAGE: &str = "metal3_image";
pub const CUSTOM_DEPLOY: &str = "metal3_custom_deploy";
pub const EXTERNALLY_PROVISIONED: &str = "metal3_externally_provisioned";
pub const BMC_ADDRESS: &str = "metal3_bmc_address";
pub const NAMESPACE: &str = "metal3_namespace";
pub const NAME: &str = "metal3_name";
pub const HARDWARE_KEPT: &str = "metal3_hardware_kept";
pub const CREATION_TOKEN: &str = "metal3_creation_token";

pub fn hardware_kept(extra: &Map<String, Value>) -> bool {
    extra.get(HARDWARE_KEPT) == Some(&Value::Bool(true))
}

pub fn image_to_extra(image: &ImageSpec) -> Value {
    json!({
        "url": image.url,
        "checksum": image.checksum,
        "checksum_type": image.checksum_type.map(ChecksumType::as_str),
        "disk_format": image.disk_format.map(DiskFormat::as_str),
    })
}

/// The recorded image, or `None` when absent or not in the recorded shape (a node edited by
/// hand must not make status reading fail).
pub fn image_from_extra(extra: &Map<String, Value>) -> Option<ImageSpec> {
    let record = extra.get(IMAGE)?.as_object()?;
    let text = |key: &str| record.get(key).and_then(Value::as_str).map(str::to_owned);
    Some(ImageSpec {
        url: text("url")?,
        checksum: text("checksum"),
        checksum_type: text("checksum_type").and_then(|t| ChecksumType::parse(&t)),
        disk_format: text("disk_format").and_then(|f| DiskFormat::parse(&f)),
    })
}

pub fn custom_deploy_from_extra(extra: &Map<String, Value>) -> Option<CustomDeploy> {
    let method = extra.get(CUSTOM_DEPLOY)?.as_str()?;
    Some(CustomDeploy {
        method: method.to_owned(),
    })
}

pub fn externally_provisioned(extra: &Map<String, Value>) -> bool {
    externally_provisioned_record(extra).unwrap_or(false)
}

/// The recorded flag; `None` when the node carries none (or a malformed one).
/// `(namespace, name)` this engine recorded on a node it manages; `None` on nodes it never
/// managed (enrolled by hand, by Metal3's operator or by another tool).
pub fn identity(extra: &Map<String, Value>) -> Option<(String, String)> {
    let text = |key: &str| extra.get(key).and_then(Value::as_str).map(str::to_owned);
    Some((text(NAMESPACE)?, text(NAME)?))
}

pub fn externally_provisioned_record(extra: &Map<String, Value>) -> Option<bool> {
    match extra.get(EXTERNALLY_PROVISIONED) {
        Some(Value::Bool(flag)) => Some(*flag),
        Some(Value::String(text)) => Some(text == "true"),
        _ => None,
    }
}

pub fn bmc_address(extra: &Map<String, Value>) -> Option<String> {
    extra
        .get(BMC_ADDRESS)
        .and_then(Value::as_str)
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_record_round_trips() {
        let image = ImageSpec {
            url: "http://x/a.qcow2".into(),
            checksum: Some("http://x/a.qcow2.sha256".into()),
            checksum_type: Some(ChecksumType::Sha256),
            disk_format: Some(DiskFormat::Qcow2),
        };
        let mut extra = Map::new();
        extra.insert(IMAGE.into(), image_to_extra(&image));
        assert_eq!(image_from_extra(&extra), Some(image));
    }

    #[test]
    fn malformed_records_are_ignored() {
        let mut extra = Map::new();
        extra.insert(IMAGE.into(), json!("not an object"));
        extra.insert(EXTERNALLY_PROVISIONED.into(), json!(3));
        assert_eq!(image_from_extra(&extra), None);
        assert!(!externally_provisioned(&extra));
        extra.insert(EXTERNALLY_PROVISIONED.into(), json!("true"));
        assert!(externally_provisioned(&extra));
    }
}
