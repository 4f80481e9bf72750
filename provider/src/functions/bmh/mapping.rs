//! A BareMetalHost to a [`Host`] and back, field by field as `fields::SPEC_FIELDS` lists them.
//! The resource's model is built whole here, so a field added to it does not compile until it
//! is mapped or set null with its entry in `fields::NOT_CARRIED`.

use std::collections::BTreeMap;

use super::firmware_objects::HostFirmware;
use super::hardware_mapping::{self, components_from, firmware_from, raid_from};
use super::host::Host;
use super::model::{self, BareMetalHost, Bmc, Image, Metadata, SecretRef, Spec, API_VERSION, KIND};
use super::status::{status_annotation, HostState, STATUS_ANNOTATION};
use crate::codec::Number;
use crate::functions::suggest::quoted;
use crate::host::arguments::{
    BmcConfig, CustomDeploy, Field, HostConfig, ImageConfig, RootDeviceHints,
};
use crate::host::doc_text::code_list;
use metal3_core::lifecycle::InspectionMode;
use metal3_core::Vocabulary;

const H: crate::host::arguments::HostConfigNames = HostConfig::NAMES;

/// Metal3's checksum type that means "detect it", which this resource spells as unset.
const AUTO_CHECKSUM: &str = "auto";

fn known<T>(value: Option<T>) -> Field<T> {
    value.map_or(Field::Null, Field::Known)
}

/// Set and not empty: the operator leaves empty strings out (`omitempty`).
fn text(value: &Option<String>) -> Field<String> {
    known(value.clone().filter(|t| !t.is_empty()))
}

/// A BareMetalHost as a host, with what its HostFirmwareSettings and HostFirmwareComponents
/// hold; an error names the field that cannot be represented.
pub fn from_bmh(host: &BareMetalHost, firmware: &HostFirmware) -> Result<Host, String> {
    let spec = &host.spec;
    let namespace = host.metadata.namespace.as_deref();
    let secrets = [
        ("userData", super::fields::USER_DATA_SECRET, &spec.user_data),
        (
            "networkData",
            super::fields::NETWORK_DATA_SECRET,
            &spec.network_data,
        ),
        ("metaData", super::fields::META_DATA_SECRET, &spec.meta_data),
    ];
    for (field, key, reference) in secrets {
        secret_in_host_namespace(field, key, reference.as_ref(), namespace)?;
    }
    if let Some(mode) = spec.inspection_mode.as_deref().filter(|m| !m.is_empty()) {
        let allowed = InspectionMode::names();
        if !allowed.contains(&mode) {
            return Err(format!(
                "spec.inspectionMode {} must be one of {}",
                quoted(mode, 63),
                code_list(&allowed)
            ));
        }
    }
    let raid = match &spec.raid {
        None => Field::Null,
        Some(raid) => known(raid_from(raid)?),
    };
    let bmc = spec.bmc.clone().unwrap_or_default();
    let config = HostConfig {
        id: Field::Null,
        name: Field::Known(host.metadata.name.clone()),
        namespace: known(host.metadata.namespace.clone()),
        bmc: Field::Known(BmcConfig {
            address: Field::Known(bmc.address),
            // In the Secret `credentials_name` names (fields::NOT_CARRIED).
            username: Field::Null,
            password: Field::Null,
            password_wo: Field::Null,
            password_wo_version: Field::Null,
            disable_certificate_verification: Field::Known(bmc.disable_certificate_verification),
        }),
        boot_mac_address: text(&spec.boot_mac_address),
        boot_mode: text(&spec.boot_mode),
        online: Field::Known(spec.online),
        root_device_hints: known(
            spec.root_device_hints
                .as_ref()
                .map(|hints| RootDeviceHints {
                    device_name: known(hints.device_name.clone()),
                    hctl: known(hints.hctl.clone()),
                    model: known(hints.model.clone()),
                    vendor: known(hints.vendor.clone()),
                    serial_number: known(hints.serial_number.clone()),
                    min_size_gigabytes: known(hints.min_size_gigabytes.map(Number::from)),
                    wwn: known(hints.wwn.clone()),
                    wwn_with_extension: known(hints.wwn_with_extension.clone()),
                    wwn_vendor_extension: known(hints.wwn_vendor_extension.clone()),
                    rotational: known(hints.rotational),
                }),
        ),
        image: known(spec.image.as_ref().map(|image| {
            ImageConfig {
                url: Field::Known(image.url.clone()),
                checksum: text(&image.checksum),
                checksum_type: text(&image.checksum_type)
                    .known()
                    .filter(|t| *t != AUTO_CHECKSUM)
                    .cloned()
                    .map_or(Field::Null, Field::Known),
                disk_format: text(&image.format),
            }
        })),
        // Contents of the Secrets the `*_secret` keys name (fields::NOT_CARRIED).
        user_data: Field::Null,
        network_data: Field::Null,
        meta_data: Field::Null,
        custom_deploy: known(spec.custom_deploy.as_ref().map(|custom| CustomDeploy {
            method: Field::Known(custom.method.clone()),
        })),
        externally_provisioned: Field::Known(spec.externally_provisioned),
        automated_cleaning_mode: text(&spec.automated_cleaning_mode),
        inspection_mode: text(&spec.inspection_mode),
        description: text(&spec.description),
        // Not in a BareMetalHost (fields::NOT_CARRIED).
        conductor_group: Field::Null,
        deploy_image: Field::Null,
        raid,
        firmware: known(spec.firmware.as_ref().map(firmware_from)),
        // From the host's HostFirmwareSettings and HostFirmwareComponents (firmware_objects).
        bios_settings: known(firmware.settings.clone().filter(|s| !s.is_empty())),
        firmware_components: known(
            firmware
                .updates
                .as_deref()
                .filter(|u| !u.is_empty())
                .map(components_from),
        ),
        // In a HostUpdatePolicy, which the functions do not read (fields::NOT_CARRIED).
        update_policy: Field::Null,
        // Readings of the resource, not arguments.
        bios_settings_current: Field::Null,
        firmware_components_current: Field::Null,
        hardware_settings_pending: Field::Null,
        power_off_on_destroy: Field::Null,
        timeouts: None,
    };
    let name = |reference: &Option<SecretRef>| reference.as_ref().map(|s| s.name.clone());
    Ok(Host {
        config,
        defaulted: Vec::new(),
        credentials_name: Some(bmc.credentials_name).filter(|n| !n.is_empty()),
        user_data_secret: name(&spec.user_data),
        network_data_secret: name(&spec.network_data),
        meta_data_secret: name(&spec.meta_data),
        labels: host.metadata.labels.clone(),
    })
}

/// A `*_secret` key is a Secret's name in the host's namespace: a reference to another
/// namespace has no such name, and keeping only its name would name another Secret.
fn secret_in_host_namespace(
    field: &str,
    key: &str,
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
        "spec.{field}.namespace {} is not the host's ({host}): `{key}` can only name a \
         Secret in the host's namespace. Copy the Secret there and remove \
         `spec.{field}.namespace` (or set the host's `metadata.namespace` to it)",
        quoted(namespace, 63)
    ))
}

/// The BareMetalHost for a host (and, when given, what was read of it). Secrets not named are
/// referred to by Metal3's usual names: `<name>-bmc-secret`, `<name>-user-data`...
pub fn to_bmh(host: &Host, state: &HostState) -> Result<BareMetalHost, String> {
    let config = &host.config;
    let name = config
        .name
        .known()
        .ok_or_else(|| format!("the host has no `{}`", H.name))?;
    let bmc = config.bmc.known();
    let text = |field: &Field<String>| field.known().cloned();
    let secret = |named: &Option<String>, has_content: bool, suffix: &str| {
        named
            .clone()
            .or_else(|| has_content.then(|| format!("{name}-{suffix}")))
            .map(|name| SecretRef {
                name,
                namespace: None,
            })
    };
    let spec = Spec {
        bmc: Some(Bmc {
            address: bmc.and_then(|b| text(&b.address)).unwrap_or_default(),
            credentials_name: host
                .credentials_name
                .clone()
                .unwrap_or_else(|| format!("{name}-bmc-secret")),
            disable_certificate_verification: bmc
                .and_then(|b| b.disable_certificate_verification.known().copied())
                .unwrap_or(false),
        }),
        boot_mac_address: text(&config.boot_mac_address),
        boot_mode: host.given(&config.boot_mode, &[H.boot_mode]).cloned(),
        online: config.online.known().copied().unwrap_or(true),
        image: config.image.known().map(|image| Image {
            url: text(&image.url).unwrap_or_default(),
            checksum: text(&image.checksum),
            checksum_type: text(&image.checksum_type),
            format: text(&image.disk_format),
        }),
        root_device_hints: match config.root_device_hints.known() {
            None => None,
            Some(hints) => Some(root_device_hints(hints)?),
        },
        externally_provisioned: config.externally_provisioned.known() == Some(&true),
        automated_cleaning_mode: host
            .given(
                &config.automated_cleaning_mode,
                &[H.automated_cleaning_mode],
            )
            .cloned(),
        inspection_mode: host
            .given(&config.inspection_mode, &[H.inspection_mode])
            .cloned(),
        description: text(&config.description),
        custom_deploy: config
            .custom_deploy
            .known()
            .map(|custom| model::CustomDeploy {
                method: text(&custom.method).unwrap_or_default(),
            }),
        user_data: secret(
            &host.user_data_secret,
            !config.user_data.is_null(),
            "user-data",
        ),
        network_data: secret(
            &host.network_data_secret,
            !config.network_data.is_null(),
            "network-data",
        ),
        meta_data: secret(
            &host.meta_data_secret,
            !config.meta_data.is_null(),
            "meta-data",
        ),
        raid: config.raid.known().map(hardware_mapping::raid_to),
        firmware: config.firmware.known().map(hardware_mapping::firmware_to),
    };
    let mut annotations = BTreeMap::new();
    if let Some(status) = status_annotation(&spec, config.id.known(), state) {
        annotations.insert(STATUS_ANNOTATION.to_owned(), status);
    }
    Ok(BareMetalHost {
        api_version: API_VERSION.to_owned(),
        kind: KIND.to_owned(),
        metadata: Metadata {
            name: name.clone(),
            namespace: text(&config.namespace),
            labels: host.labels.clone(),
            annotations,
        },
        spec,
        status: None,
    })
}

fn root_device_hints(hints: &RootDeviceHints) -> Result<model::RootDeviceHints, String> {
    let text = |field: &Field<String>| field.known().cloned();
    let min_size_gigabytes = match hints.min_size_gigabytes.known() {
        None => None,
        Some(size) => Some(size.as_u64().ok_or_else(|| {
            format!(
                "`{}.{}`: expected a whole number, at least 0",
                H.root_device_hints,
                RootDeviceHints::NAMES.min_size_gigabytes
            )
        })?),
    };
    Ok(model::RootDeviceHints {
        device_name: text(&hints.device_name),
        hctl: text(&hints.hctl),
        model: text(&hints.model),
        vendor: text(&hints.vendor),
        serial_number: text(&hints.serial_number),
        min_size_gigabytes,
        wwn: text(&hints.wwn),
        wwn_with_extension: text(&hints.wwn_with_extension),
        wwn_vendor_extension: text(&hints.wwn_vendor_extension),
        rotational: hints.rotational.known().copied(),
    })
}
