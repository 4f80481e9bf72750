//! Between the resource's typed view ([`HostConfig`]) and the core's types: `HostSpec` for the
//! lifecycle engine, and a known host for its updates (what an import reads back is
//! [`crate::host::imported`], the status attributes [`crate::host::status`]).

use metal3_core::lifecycle::{
    AutomatedCleaningMode, BmcSpec, BootMode, ChecksumType, CustomDeploy, DeployImage, DiskFormat,
    HostSpec, ImageSpec, InspectionMode, ProvisioningState, RootDeviceHints,
};
use metal3_core::{Secret, Vocabulary};

use super::config::{self, BmcConfig, Field, HostConfig, ImageConfig, SecretText};
use crate::codec::AttributePath;
use crate::diagnostics::Diagnostic;
use crate::host::status::StatusView;
use tfplugin::model::Model;

/// Collects one diagnostic per argument that cannot be turned into the spec.
#[derive(Default)]
struct Errors(Vec<Diagnostic>);

impl Errors {
    fn push(&mut self, steps: &[&str], detail: impl Into<String>) {
        self.0.push(
            Diagnostic::error("Invalid host argument", detail).at(AttributePath::attributes(steps)),
        );
    }

    /// A value that must be known and set at apply time.
    fn required<T: Clone>(&mut self, field: &Field<T>, steps: &[&str]) -> Option<T> {
        match field {
            Field::Known(v) => Some(v.clone()),
            Field::Unknown => {
                self.push(steps, "the value is still unknown at apply time");
                None
            }
            Field::Null => {
                self.push(steps, "the argument is required");
                None
            }
        }
    }

    /// An optional value; unknown at apply time is an error.
    fn optional<T: Clone>(&mut self, field: &Field<T>, steps: &[&str]) -> Option<T> {
        match field {
            Field::Known(v) => Some(v.clone()),
            Field::Unknown => {
                self.push(steps, "the value is still unknown at apply time");
                None
            }
            Field::Null => None,
        }
    }

    fn parsed<T>(
        &mut self,
        field: &Field<String>,
        steps: &[&str],
        parse: impl FnOnce(&str) -> Option<T>,
        allowed: &str,
    ) -> Option<T> {
        let text = self.optional(field, steps)?;
        let parsed = parse(&text);
        if parsed.is_none() {
            self.push(steps, format!("\"{text}\" is not one of {allowed}"));
        }
        parsed
    }
}

/// The BMC password: `password` (sensitive, stored in state) or `password_wo` (write-only, only in
/// the config). `write_only` is the config's value of `password_wo`.
fn bmc_password(planned: &HostConfig, write_only: Option<&SecretText>) -> Option<Secret> {
    let bmc = planned.bmc.known()?;
    bmc.password
        .known()
        .or(write_only)
        .or_else(|| bmc.password_wo.known())
        .map(|secret| secret.0.clone())
}

/// The engine's spec from the planned state (all arguments known at apply) and the config's
/// write-only password (`password_wo` is null in plans). `namespace` falls back to
/// `default_namespace` (the plan normally fills it).
pub fn host_spec(
    planned: &HostConfig,
    config: Option<&HostConfig>,
    default_namespace: &str,
) -> Result<HostSpec, Vec<Diagnostic>> {
    let mut errors = Errors::default();
    let name = errors.required(&planned.name, &[HostConfig::NAMES.name]);
    let namespace = errors
        .optional(&planned.namespace, &[HostConfig::NAMES.namespace])
        .unwrap_or_else(|| default_namespace.to_owned());
    let write_only = config
        .and_then(|c| c.bmc.known())
        .and_then(|b| b.password_wo.known());
    let password = bmc_password(planned, write_only);
    let bmc = match planned.bmc.known() {
        Some(bmc) => {
            let address = errors.required(
                &bmc.address,
                &[HostConfig::NAMES.bmc, BmcConfig::NAMES.address],
            );
            let username = errors.required(
                &bmc.username,
                &[HostConfig::NAMES.bmc, BmcConfig::NAMES.username],
            );
            if password.is_none() {
                errors.push(
                    &[HostConfig::NAMES.bmc, BmcConfig::NAMES.password],
                    "set `password` or `password_wo` (the write-only value is only available \
                     when it is in the configuration)",
                );
            }
            let disable = errors
                .optional(
                    &bmc.disable_certificate_verification,
                    &[
                        HostConfig::NAMES.bmc,
                        BmcConfig::NAMES.disable_certificate_verification,
                    ],
                )
                .unwrap_or(false);
            match (address, username, password) {
                (Some(address), Some(username), Some(password)) => Some(BmcSpec {
                    address,
                    username,
                    password,
                    disable_certificate_verification: disable,
                }),
                _ => None,
            }
        }
        None => {
            errors.push(&[HostConfig::NAMES.bmc], "the `bmc` object is required");
            None
        }
    };
    let boot_mode = errors
        .parsed(
            &planned.boot_mode,
            &[HostConfig::NAMES.boot_mode],
            BootMode::parse,
            &BootMode::names().join(", "),
        )
        .unwrap_or_default();
    let automated_cleaning_mode = errors
        .parsed(
            &planned.automated_cleaning_mode,
            &[HostConfig::NAMES.automated_cleaning_mode],
            AutomatedCleaningMode::parse,
            &AutomatedCleaningMode::names().join(", "),
        )
        .unwrap_or_default();
    let inspection_mode = errors
        .parsed(
            &planned.inspection_mode,
            &[HostConfig::NAMES.inspection_mode],
            InspectionMode::parse,
            &InspectionMode::names().join(", "),
        )
        .unwrap_or_default();
    let image = planned
        .image
        .known()
        .and_then(|image| image_spec(image, &mut errors));
    let root_device_hints = planned
        .root_device_hints
        .known()
        .map(|h| root_device_hints(h, &mut errors));
    let custom_deploy = planned
        .custom_deploy
        .known()
        .and_then(|c| {
            errors.required(
                &c.method,
                &[
                    HostConfig::NAMES.custom_deploy,
                    config::CustomDeploy::NAMES.method,
                ],
            )
        })
        .map(|method| CustomDeploy { method });
    let deploy_image = planned.deploy_image.known().map(|own| DeployImage {
        kernel_url: own.kernel_url.known().cloned(),
        ramdisk_url: own.ramdisk_url.known().cloned(),
        iso_url: own.iso_url.known().cloned(),
    });
    let spec = HostSpec {
        boot_mac_address: errors
            .optional(
                &planned.boot_mac_address,
                &[HostConfig::NAMES.boot_mac_address],
            )
            .map(|mac| mac.to_ascii_lowercase()),
        boot_mode,
        online: errors
            .optional(&planned.online, &[HostConfig::NAMES.online])
            .unwrap_or(true),
        root_device_hints,
        image,
        user_data: errors
            .optional(&planned.user_data, &[HostConfig::NAMES.user_data])
            .map(|secret| secret.0),
        network_data: errors.optional(&planned.network_data, &[HostConfig::NAMES.network_data]),
        meta_data: errors.optional(&planned.meta_data, &[HostConfig::NAMES.meta_data]),
        custom_deploy,
        externally_provisioned: errors
            .optional(
                &planned.externally_provisioned,
                &[HostConfig::NAMES.externally_provisioned],
            )
            .unwrap_or(false),
        automated_cleaning_mode,
        inspection_mode,
        description: errors.optional(&planned.description, &[HostConfig::NAMES.description]),
        conductor_group: errors.optional(
            &planned.conductor_group,
            &[HostConfig::NAMES.conductor_group],
        ),
        deploy_image,
        hardware_settings: crate::host::hardware_settings::hardware_settings(
            &planned.raid,
            &planned.firmware,
            &planned.bios_settings,
            &planned.firmware_components,
        ),
        update_policy: crate::host::hardware_settings::update_policy(&planned.update_policy),
        ..HostSpec::new(
            namespace,
            name.clone().unwrap_or_default(),
            bmc.clone().unwrap_or(BmcSpec {
                address: String::new(),
                username: String::new(),
                password: Secret::new(""),
                disable_certificate_verification: false,
            }),
        )
    };
    if errors.0.is_empty() {
        Ok(spec)
    } else {
        Err(errors.0)
    }
}

fn image_spec(image: &super::config::ImageConfig, errors: &mut Errors) -> Option<ImageSpec> {
    let url = errors.required(
        &image.url,
        &[HostConfig::NAMES.image, ImageConfig::NAMES.url],
    )?;
    // `auto` (or unset) lets the engine guess from the checksum's length, as BMO does.
    let checksum_type = match errors.optional(
        &image.checksum_type,
        &[HostConfig::NAMES.image, ImageConfig::NAMES.checksum_type],
    ) {
        None => None,
        Some(t) if t == "auto" => None,
        Some(t) => match ChecksumType::parse(&t) {
            Some(parsed) => Some(parsed),
            None => {
                errors.push(
                    &[HostConfig::NAMES.image, ImageConfig::NAMES.checksum_type],
                    format!(
                        "\"{t}\" is not one of {}, auto",
                        ChecksumType::names().join(", ")
                    ),
                );
                None
            }
        },
    };
    let disk_format = errors.parsed(
        &image.disk_format,
        &[HostConfig::NAMES.image, ImageConfig::NAMES.disk_format],
        DiskFormat::parse,
        &DiskFormat::names().join(", "),
    );
    Some(ImageSpec {
        url,
        checksum: errors.optional(
            &image.checksum,
            &[HostConfig::NAMES.image, ImageConfig::NAMES.checksum],
        ),
        checksum_type,
        disk_format,
    })
}

fn root_device_hints(
    hints: &super::config::RootDeviceHints,
    errors: &mut Errors,
) -> RootDeviceHints {
    let text = |errors: &mut Errors, field: &Field<String>, name: &str| {
        errors.optional(field, &[HostConfig::NAMES.root_device_hints, name])
    };
    let min_size = errors
        .optional(
            &hints.min_size_gigabytes,
            &[
                HostConfig::NAMES.root_device_hints,
                config::RootDeviceHints::NAMES.min_size_gigabytes,
            ],
        )
        .and_then(|n| {
            let whole = n.as_i64().filter(|v| *v >= 0);
            if whole.is_none() {
                errors.push(
                    &[
                        HostConfig::NAMES.root_device_hints,
                        config::RootDeviceHints::NAMES.min_size_gigabytes,
                    ],
                    format!("{n} is not a whole number of gigabytes"),
                );
            }
            whole
        });
    RootDeviceHints {
        device_name: text(
            errors,
            &hints.device_name,
            config::RootDeviceHints::NAMES.device_name,
        ),
        hctl: text(errors, &hints.hctl, config::RootDeviceHints::NAMES.hctl),
        model: text(errors, &hints.model, config::RootDeviceHints::NAMES.model),
        vendor: text(errors, &hints.vendor, config::RootDeviceHints::NAMES.vendor),
        serial_number: text(
            errors,
            &hints.serial_number,
            config::RootDeviceHints::NAMES.serial_number,
        ),
        min_size_gigabytes: min_size,
        wwn: text(errors, &hints.wwn, config::RootDeviceHints::NAMES.wwn),
        wwn_with_extension: text(
            errors,
            &hints.wwn_with_extension,
            config::RootDeviceHints::NAMES.wwn_with_extension,
        ),
        wwn_vendor_extension: text(
            errors,
            &hints.wwn_vendor_extension,
            config::RootDeviceHints::NAMES.wwn_vendor_extension,
        ),
        rotational: errors.optional(
            &hints.rotational,
            &[
                HostConfig::NAMES.root_device_hints,
                config::RootDeviceHints::NAMES.rotational,
            ],
        ),
    }
}

/// The maintenance the plan saw on the node (its reason, `""` for none), from the refreshed
/// state: the plan announced ending it, so apply may; any other maintenance stops apply.
pub fn maintenance_seen(state: &crate::codec::Value) -> Option<String> {
    StatusView::decode(state).ok()?.maintenance_reason
}

/// What the engine needs to know of a host from its (refreshed) state: its node id, and what
/// to re-register it as if Ironic lost the node. `None` without an id.
pub fn known_host(state: &crate::codec::Value) -> Option<metal3_core::lifecycle::KnownHost> {
    let id = state.get(HostConfig::NAMES.id)?.as_str()?.to_owned();
    let status = StatusView::decode(state).ok()?;
    let state_is =
        |wanted: ProvisioningState| status.provisioning_state.as_deref() == Some(wanted.name());
    let image = status.provisioned_image.as_ref().and_then(|image| {
        Some(ImageSpec {
            url: image.url.clone()?,
            checksum: image.checksum.clone(),
            checksum_type: image.checksum_type.as_deref().and_then(ChecksumType::parse),
            disk_format: image.disk_format.as_deref().and_then(DiskFormat::parse),
        })
    });
    Some(metal3_core::lifecycle::KnownHost {
        id,
        provisioned: state_is(ProvisioningState::Provisioned),
        externally_provisioned: state_is(ProvisioningState::ExternallyProvisioned),
        provisioned_image: image,
        hardware_known: status.hardware.is_some(),
        maintenance_to_end: status.maintenance_reason,
    })
}

/// The core's hints from a `root_device_hints` value of a state or plan (unknowns as unset).
pub fn root_device_hints_of(value: &crate::codec::Value) -> Option<RootDeviceHints> {
    let hints = config::RootDeviceHints::decode(value).ok()?;
    let known = |field: &Field<String>| field.known().cloned();
    Some(RootDeviceHints {
        device_name: known(&hints.device_name),
        hctl: known(&hints.hctl),
        model: known(&hints.model),
        vendor: known(&hints.vendor),
        serial_number: known(&hints.serial_number),
        min_size_gigabytes: hints.min_size_gigabytes.known().and_then(|n| n.as_i64()),
        wwn: known(&hints.wwn),
        wwn_with_extension: known(&hints.wwn_with_extension),
        wwn_vendor_extension: known(&hints.wwn_vendor_extension),
        rotational: hints.rotational.known().copied(),
    })
}

#[cfg(test)]
#[path = "convert_tests.rs"]
mod tests;
