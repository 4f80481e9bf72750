//! Between the resource's typed view ([`HostConfig`]) and the core's types: `HostSpec` for the
//! lifecycle engine, and a known host for its updates (what an import reads back is
//! [`crate::host::imported`], the status attributes [`crate::host::status`]).

use metal3_core::lifecycle::{
    AutomatedCleaningMode, BmcSpec, BootMode, ChecksumType, CustomDeploy, DiskFormat, HostSpec,
    ImageSpec, InspectionMode, RootDeviceHints,
};
use metal3_core::{Secret, Vocabulary};

use super::config::{Field, HostConfig, SecretText};
use crate::codec::AttributePath;
use crate::diagnostics::Diagnostic;

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
    let name = errors.required(&planned.name, &["name"]);
    let namespace = errors
        .optional(&planned.namespace, &["namespace"])
        .unwrap_or_else(|| default_namespace.to_owned());
    let write_only = config
        .and_then(|c| c.bmc.known())
        .and_then(|b| b.password_wo.known());
    let password = bmc_password(planned, write_only);
    let bmc = match planned.bmc.known() {
        Some(bmc) => {
            let address = errors.required(&bmc.address, &["bmc", "address"]);
            let username = errors.required(&bmc.username, &["bmc", "username"]);
            if password.is_none() {
                errors.push(
                    &["bmc", "password"],
                    "set `password` or `password_wo` (the write-only value is only available \
                     when it is in the configuration)",
                );
            }
            let disable = errors
                .optional(
                    &bmc.disable_certificate_verification,
                    &["bmc", "disable_certificate_verification"],
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
            errors.push(&["bmc"], "the `bmc` object is required");
            None
        }
    };
    let boot_mode = errors
        .parsed(
            &planned.boot_mode,
            &["boot_mode"],
            BootMode::parse,
            &BootMode::names().join(", "),
        )
        .unwrap_or_default();
    let automated_cleaning_mode = errors
        .parsed(
            &planned.automated_cleaning_mode,
            &["automated_cleaning_mode"],
            AutomatedCleaningMode::parse,
            &AutomatedCleaningMode::names().join(", "),
        )
        .unwrap_or_default();
    let inspection_mode = errors
        .parsed(
            &planned.inspection_mode,
            &["inspection_mode"],
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
        .and_then(|c| errors.required(&c.method, &["custom_deploy", "method"]))
        .map(|method| CustomDeploy { method });
    let spec = HostSpec {
        boot_mac_address: errors
            .optional(&planned.boot_mac_address, &["boot_mac_address"])
            .map(|mac| mac.to_ascii_lowercase()),
        boot_mode,
        online: errors
            .optional(&planned.online, &["online"])
            .unwrap_or(true),
        root_device_hints,
        image,
        user_data: errors
            .optional(&planned.user_data, &["user_data"])
            .map(|secret| secret.0),
        network_data: errors.optional(&planned.network_data, &["network_data"]),
        meta_data: errors.optional(&planned.meta_data, &["meta_data"]),
        custom_deploy,
        externally_provisioned: errors
            .optional(&planned.externally_provisioned, &["externally_provisioned"])
            .unwrap_or(false),
        automated_cleaning_mode,
        inspection_mode,
        description: errors.optional(&planned.description, &["description"]),
        conductor_group: errors.optional(&planned.conductor_group, &["conductor_group"]),
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
    let url = errors.required(&image.url, &["image", "url"])?;
    // `auto` (or unset) lets the engine guess from the checksum's length, as BMO does.
    let checksum_type = match errors.optional(&image.checksum_type, &["image", "checksum_type"]) {
        None => None,
        Some(t) if t == "auto" => None,
        Some(t) => match ChecksumType::parse(&t) {
            Some(parsed) => Some(parsed),
            None => {
                errors.push(
                    &["image", "checksum_type"],
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
        &["image", "disk_format"],
        DiskFormat::parse,
        &DiskFormat::names().join(", "),
    );
    Some(ImageSpec {
        url,
        checksum: errors.optional(&image.checksum, &["image", "checksum"]),
        checksum_type,
        disk_format,
    })
}

fn root_device_hints(
    hints: &super::config::RootDeviceHints,
    errors: &mut Errors,
) -> RootDeviceHints {
    let text = |errors: &mut Errors, field: &Field<String>, name: &str| {
        errors.optional(field, &["root_device_hints", name])
    };
    let min_size = errors
        .optional(
            &hints.min_size_gigabytes,
            &["root_device_hints", "min_size_gigabytes"],
        )
        .and_then(|n| {
            let whole = n.as_i64().filter(|v| *v >= 0);
            if whole.is_none() {
                errors.push(
                    &["root_device_hints", "min_size_gigabytes"],
                    format!("{n} is not a whole number of gigabytes"),
                );
            }
            whole
        });
    RootDeviceHints {
        device_name: text(errors, &hints.device_name, "device_name"),
        hctl: text(errors, &hints.hctl, "hctl"),
        model: text(errors, &hints.model, "model"),
        vendor: text(errors, &hints.vendor, "vendor"),
        serial_number: text(errors, &hints.serial_number, "serial_number"),
        min_size_gigabytes: min_size,
        wwn: text(errors, &hints.wwn, "wwn"),
        wwn_with_extension: text(errors, &hints.wwn_with_extension, "wwn_with_extension"),
        wwn_vendor_extension: text(errors, &hints.wwn_vendor_extension, "wwn_vendor_extension"),
        rotational: errors.optional(&hints.rotational, &["root_device_hints", "rotational"]),
    }
}

/// The maintenance the plan saw on the node (its reason, `""` for none), from the refreshed
/// state: the plan announced ending it, so apply may; any other maintenance stops apply.
pub fn maintenance_seen(state: &crate::codec::Value) -> Option<String> {
    state
        .get("maintenance_reason")
        .and_then(|v| v.as_str())
        .map(str::to_owned)
}

/// What the engine needs to know of a host from its (refreshed) state: its node id, and what
/// to re-register it as if Ironic lost the node. `None` without an id.
pub fn known_host(state: &crate::codec::Value) -> Option<metal3_core::lifecycle::KnownHost> {
    let text = |name: &str| state.get(name).and_then(|v| v.as_str());
    let id = text("id")?.to_owned();
    let provisioning_state = text("provisioning_state");
    let image = state
        .get("provisioned_image")
        .filter(|v| v.as_map().is_some())
        .and_then(|image| {
            let field = |name: &str| image.get(name).and_then(|v| v.as_str());
            Some(ImageSpec {
                url: field("url")?.to_owned(),
                checksum: field("checksum").map(str::to_owned),
                checksum_type: field("checksum_type").and_then(ChecksumType::parse),
                disk_format: field("disk_format").and_then(DiskFormat::parse),
            })
        });
    Some(metal3_core::lifecycle::KnownHost {
        id,
        provisioned: provisioning_state == Some("provisioned"),
        externally_provisioned: provisioning_state == Some("externally provisioned"),
        provisioned_image: image,
        hardware_known: state
            .get("hardware")
            .is_some_and(|hw| hw.as_map().is_some()),
        maintenance_to_end: maintenance_seen(state),
    })
}

/// The core's hints from a `root_device_hints` value of a state or plan (unknowns as unset).
pub fn root_device_hints_of(value: &crate::codec::Value) -> Option<RootDeviceHints> {
    value.as_map()?;
    let text = |name: &str| value.get(name).and_then(|v| v.as_str()).map(str::to_owned);
    Some(RootDeviceHints {
        device_name: text("device_name"),
        hctl: text("hctl"),
        model: text("model"),
        vendor: text("vendor"),
        serial_number: text("serial_number"),
        min_size_gigabytes: value.get("min_size_gigabytes").and_then(|v| v.as_i64()),
        wwn: text("wwn"),
        wwn_with_extension: text("wwn_with_extension"),
        wwn_vendor_extension: text("wwn_vendor_extension"),
        rotational: value.get("rotational").and_then(|v| v.as_bool()),
    })
}

#[cfg(test)]
#[path = "convert_tests.rs"]
mod tests;
