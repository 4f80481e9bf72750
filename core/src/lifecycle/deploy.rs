//! What a deployment writes to Ironic: `instance_info`, the config drive and deploy steps,
//! built from the spec (pure functions; the engine sends them).

use serde_json::{json, Map, Value};

use crate::bmc::DeployMode;

use super::fault::SpecInput;
use super::spec::{ChecksumType, HostSpec};

/// How the spec deploys the host, if it does.
pub fn deploy_mode(spec: &HostSpec) -> Option<DeployMode> {
    if spec.externally_provisioned {
        return None;
    }
    if spec.custom_deploy.is_some() {
        return Some(DeployMode::CustomDeploy);
    }
    match &spec.image {
        Some(image) if image.is_live_iso() => Some(DeployMode::LiveIso),
        Some(_) => Some(DeployMode::Image),
        None => None,
    }
}

/// Problems with the deployment part of a spec that Ironic would only report mid-way: the
/// input at fault and what is wrong with it.
pub fn check(spec: &HostSpec) -> Result<(), (SpecInput, String)> {
    let fault = |input: SpecInput| move |message: String| (input, message);
    if let Some(image) = &spec.image {
        if image.url.trim().is_empty() {
            return Err((SpecInput::Image, "image.url is empty".to_owned()));
        }
        if image.is_live_iso() && image.checksum.as_deref().is_some_and(|c| !c.is_empty()) {
            return Err((
                SpecInput::Image,
                "image.checksum must not be set for a live-iso image".to_owned(),
            ));
        }
    }
    if let Some(custom) = &spec.custom_deploy {
        if custom.method.trim().is_empty() {
            return Err((
                SpecInput::CustomDeploy,
                "custom_deploy.method is empty".to_owned(),
            ));
        }
    }
    if let Some(network_data) = &spec.network_data {
        parse_json_object(network_data)
            .map_err(|reason| format!("network_data must be a JSON object: {reason}"))
            .map_err(fault(SpecInput::NetworkData))?;
    }
    if let Some(meta_data) = &spec.meta_data {
        parse_meta_data(meta_data)
            .map_err(|reason| format!("meta_data: {reason}"))
            .map_err(fault(SpecInput::MetaData))?;
    }
    Ok(())
}

/// `instance_info` for deploying (or adopting) the spec's image.
pub fn instance_info(spec: &HostSpec) -> Map<String, Value> {
    let mut info = Map::new();
    let mut capabilities = Map::new();
    capabilities.insert("boot_mode".into(), spec.boot_mode.ironic_boot_mode().into());
    if spec.boot_mode == super::spec::BootMode::UefiSecureBoot {
        capabilities.insert("secure_boot".into(), "true".into());
    }
    info.insert("capabilities".into(), Value::Object(capabilities));
    if let Some(image) = &spec.image {
        if image.is_live_iso() {
            info.insert("boot_iso".into(), image.url.clone().into());
        } else {
            info.insert("image_source".into(), image.url.clone().into());
            if let Some(format) = image.disk_format {
                info.insert("image_disk_format".into(), format.as_str().into());
            }
            if let (Some(kind), Some(checksum)) =
                (image.effective_checksum_type(), image.checksum.as_deref())
            {
                // md5 goes in the legacy field, as BMO does; stronger hashes in the os_hash pair.
                // Either value may be the URL of a checksum file.
                if kind == ChecksumType::Md5 {
                    info.insert("image_checksum".into(), checksum.into());
                } else {
                    info.insert("image_os_hash_algo".into(), kind.as_str().into());
                    info.insert("image_os_hash_value".into(), checksum.into());
                }
            }
        }
    }
    if let Some(hints) = &spec.root_device_hints {
        let hints = hints.to_ironic();
        if !hints.is_empty() {
            info.insert("root_device".into(), Value::Object(hints));
        }
    }
    info
}

/// The config drive Ironic builds from a JSON dict, or `None` when the spec has no content.
/// `node_uuid` goes into meta_data as BMO does.
pub fn config_drive(spec: &HostSpec, node_uuid: &str) -> Option<Value> {
    if spec.user_data.is_none() && spec.network_data.is_none() && spec.meta_data.is_none() {
        return None;
    }
    let mut meta = Map::new();
    meta.insert("uuid".into(), node_uuid.into());
    meta.insert("metal3-namespace".into(), spec.namespace.clone().into());
    meta.insert("metal3-name".into(), spec.name.clone().into());
    meta.insert("local-hostname".into(), spec.name.clone().into());
    meta.insert("local_hostname".into(), spec.name.clone().into());
    meta.insert("name".into(), spec.name.clone().into());
    if let Some(Ok(user_meta)) = spec.meta_data.as_deref().map(parse_meta_data) {
        meta.extend(user_meta);
    }
    let mut drive = Map::new();
    drive.insert("meta_data".into(), Value::Object(meta));
    if let Some(user_data) = &spec.user_data {
        drive.insert("user_data".into(), user_data.expose().into());
    }
    if let Some(Ok(network)) = spec.network_data.as_deref().map(parse_json_object) {
        drive.insert("network_data".into(), Value::Object(network));
    }
    Some(Value::Object(drive))
}

/// Deploy steps for a custom deploy: the named step of the deploy interface. fake:// hosts
/// deploy with the `fake` interface, which has no such step, so they get none.
pub fn deploy_steps(spec: &HostSpec, is_fake: bool) -> Option<Vec<Value>> {
    let custom = spec.custom_deploy.as_ref()?;
    if is_fake {
        return None;
    }
    Some(vec![json!({
        "interface": "deploy",
        "step": custom.method,
        "args": {},
        "priority": 80,
    })])
}

fn parse_json_object(text: &str) -> Result<Map<String, Value>, String> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err("not an object".to_owned()),
        Err(error) => Err(error.to_string()),
    }
}

/// meta_data as a JSON object, or as flat `key: value` lines (the YAML BareMetalHost users
/// write in their metaData secrets).
fn parse_meta_data(text: &str) -> Result<Map<String, Value>, String> {
    if text.trim_start().starts_with('{') {
        return parse_json_object(text);
    }
    let mut map = Map::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line == "---" {
            continue;
        }
        let (key, value) = line.split_once(':').ok_or_else(|| {
            format!(
                "line {} is neither JSON nor `key: value`",
                number.saturating_add(1)
            )
        })?;
        let value = value.trim().trim_matches('"').trim_matches('\'');
        map.insert(key.trim().to_owned(), value.into());
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::spec::{BmcSpec, BootMode, CustomDeploy, DiskFormat, ImageSpec};
    use crate::Secret;

    fn spec() -> HostSpec {
        HostSpec::new(
            "ns",
            "h1",
            BmcSpec {
                address: "fake://x".into(),
                username: String::new(),
                password: Secret::default(),
                disable_certificate_verification: false,
            },
        )
    }

    fn image(checksum: Option<&str>, format: Option<DiskFormat>) -> ImageSpec {
        ImageSpec {
            url: "http://files/img".into(),
            checksum: checksum.map(Into::into),
            checksum_type: None,
            disk_format: format,
        }
    }

    #[test]
    fn sha256_goes_in_os_hash_fields_md5_in_image_checksum() {
        let mut host = spec();
        host.image = Some(image(Some(&"a".repeat(64)), Some(DiskFormat::Qcow2)));
        let info = instance_info(&host);
        assert_eq!(info["image_source"], "http://files/img");
        assert_eq!(info["image_os_hash_algo"], "sha256");
        assert_eq!(info["image_disk_format"], "qcow2");
        assert!(!info.contains_key("image_checksum"));
        host.image = Some(image(Some(&"b".repeat(32)), Some(DiskFormat::Raw)));
        let info = instance_info(&host);
        assert_eq!(info["image_checksum"], "b".repeat(32));
        assert!(!info.contains_key("image_os_hash_algo"));
    }

    #[test]
    fn live_iso_uses_boot_iso_and_ramdisk() {
        let mut host = spec();
        host.image = Some(image(None, Some(DiskFormat::LiveIso)));
        host.boot_mode = BootMode::UefiSecureBoot;
        let info = instance_info(&host);
        assert_eq!(info["boot_iso"], "http://files/img");
        assert!(!info.contains_key("image_source"));
        assert_eq!(
            info["capabilities"],
            json!({"boot_mode": "uefi", "secure_boot": "true"})
        );
        assert_eq!(deploy_mode(&host), Some(DeployMode::LiveIso));
        host.image = Some(image(Some("abc"), Some(DiskFormat::LiveIso)));
        assert_eq!(check(&host).unwrap_err().0, SpecInput::Image);
    }

    #[test]
    fn config_drive_carries_user_network_and_meta_data() {
        let mut host = spec();
        assert_eq!(config_drive(&host, "u"), None);
        host.user_data = Some(Secret::new("#cloud-config\n"));
        host.network_data = Some(r#"{"links": []}"#.into());
        host.meta_data = Some("role: worker\n".into());
        let drive = config_drive(&host, "u-1").unwrap();
        assert_eq!(drive["user_data"], "#cloud-config\n");
        assert_eq!(drive["network_data"], json!({"links": []}));
        assert_eq!(drive["meta_data"]["uuid"], "u-1");
        assert_eq!(drive["meta_data"]["role"], "worker");
        assert_eq!(drive["meta_data"]["local-hostname"], "h1");
    }

    #[test]
    fn bad_network_data_is_refused_before_deploying() {
        let mut host = spec();
        host.network_data = Some("links: []".into());
        let (input, message) = check(&host).unwrap_err();
        assert_eq!(input, SpecInput::NetworkData);
        assert!(message.contains("network_data"), "{message}");
    }

    #[test]
    fn custom_deploy_steps_only_for_real_hardware() {
        let mut host = spec();
        host.custom_deploy = Some(CustomDeploy {
            method: "install_coreos".into(),
        });
        assert_eq!(deploy_mode(&host), Some(DeployMode::CustomDeploy));
        assert_eq!(deploy_steps(&host, true), None);
        let steps = deploy_steps(&host, false).unwrap();
        assert_eq!(steps[0]["step"], "install_coreos");
        assert_eq!(steps[0]["interface"], "deploy");
    }
}
