//! The computed side of a host (BareMetalHost's status): shared by the resource and both data
//! sources so the three never drift apart. Everything here is computed-only.

use crate::codec::Type;
use crate::schema::{Attribute, ObjectNesting};
use metal3_core::hardware::STORAGE_TYPES;
use metal3_core::lifecycle::{ErrorType, OperationalStatus, ProvisioningState};
use metal3_core::Vocabulary;

/// `` `a`, `b`, `c` `` for descriptions.
pub(crate) fn code_list(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `provisioning_state` filter of the list resource and the data sources (checked by
/// `filter_checks::provisioning_state`).
pub fn provisioning_state_filter() -> Attribute {
    Attribute::string(
        "provisioning_state",
        format!(
            "Only hosts in this provisioning state: {}.",
            code_list(&ProvisioningState::names())
        ),
    )
    .optional()
}

fn ro_string(name: &str, description: impl Into<String>) -> Attribute {
    Attribute::string(name, description).computed()
}

fn ro_number(name: &str, description: impl Into<String>) -> Attribute {
    Attribute::number(name, description).computed()
}

fn ro_bool(name: &str, description: impl Into<String>) -> Attribute {
    Attribute::bool(name, description).computed()
}

fn ro_nested(
    name: &str,
    nesting: ObjectNesting,
    attributes: Vec<Attribute>,
    description: impl Into<String>,
) -> Attribute {
    Attribute::nested(name, nesting, attributes, description).computed()
}

/// Status attributes, in documentation order: state, errors, power, deployed image, hardware.
/// `id`, `namespace` and `name` are declared by each schema, as their flags differ.
pub fn status_attributes() -> Vec<Attribute> {
    vec![
        ro_string(
            "provisioning_state",
            format!(
                "Where the host is in its lifecycle, using Metal3's BareMetalHost names: {}.",
                code_list(&ProvisioningState::names())
            ),
        ),
        ro_string(
            "ironic_provision_state",
            "The Ironic node's raw `provision_state` (e.g. `enroll`, `manageable`, `available`, \
             `active`, `deploy failed`), for troubleshooting; null when Ironic has no node for \
             the host any more.",
        ),
        ro_string(
            "operational_status",
            format!(
                "Health of the host: {}. `OK`: working as intended; `discovered`: known but its \
                 BMC credentials are missing or not yet verified; `error`: see `error_type` and \
                 `error_message`; `detached`: Ironic is not managing the host, because its node \
                 is in maintenance (see `maintenance_reason`) or Ironic no longer has a node for \
                 it (`ironic_provision_state` is null: its database was lost or the node was \
                 deleted outside Terraform). The next apply takes the node out of maintenance, \
                 or registers the host again as what it was (a provisioned host is adopted: no \
                 disk is written), as the plan says.",
                code_list(&OperationalStatus::names())
            ),
        ),
        ro_string(
            "error_type",
            format!(
                "Class of the last failure: {}. Null when the host has no error.",
                code_list(&ErrorType::names())
            ),
        ),
        ro_string(
            "error_message",
            "Details of the last failure, usually Ironic's `last_error` for the node. Null when \
             the host has no error.",
        ),
        ro_string(
            "maintenance_reason",
            "Why the Ironic node is in maintenance (empty when no reason was given); null when \
             it is not. A node in maintenance is not managed by Ironic; the plan warns, and the \
             next apply takes it out of maintenance before acting, as Metal3 does.",
        ),
        ro_bool(
            "powered_on",
            "Whether the host was powered on when last read (Ironic's `power_state`).",
        ),
        provisioned_image(),
        hardware(),
    ]
}

fn provisioned_image() -> Attribute {
    ro_nested(
        "provisioned_image",
        ObjectNesting::Single,
        vec![
            ro_string("url", "URL of the deployed image."),
            ro_string(
                "checksum",
                "Checksum (or checksum URL) the image was verified with.",
            ),
            ro_string(
                "checksum_type",
                "Algorithm of `checksum` (`md5`, `sha256`, `sha512`); null when detected \
                 automatically.",
            ),
            ro_string(
                "disk_format",
                "Disk format of the deployed image (`raw`, `qcow2`, `vdi`, `vmdk`, `live-iso`); \
                 null when not given.",
            ),
        ],
        "The image on the host's disk (or booted, for a live ISO) as Ironic tells it: the one \
         deployed, being deployed, or whose deployment failed; what Ironic says an active node \
         runs when that differs from what this provider recorded. Null while the host is not \
         deployed. Differs from `image` while a redeployment is pending or has failed.",
    )
}

/// Inventory collected by inspection (Ironic's `GET /v1/nodes/{id}/inventory`).
pub fn hardware() -> Attribute {
    let cpu = ro_nested(
        "cpu",
        ObjectNesting::Single,
        vec![
            ro_string("arch", "CPU architecture, e.g. `x86_64`, `aarch64`."),
            ro_string("model", "CPU model name as reported by the processor."),
            ro_number("clock_megahertz", "CPU frequency in MHz."),
            ro_number("count", "Number of logical CPUs (hardware threads)."),
            Attribute::typed(
                "flags",
                Type::list(Type::String),
                "CPU feature flags, sorted.",
            )
            .computed(),
        ],
        "Processor details.",
    );
    let nics = ro_nested(
        "nics",
        ObjectNesting::List,
        vec![
            ro_string(
                "name",
                "Interface name in the inspection ramdisk, e.g. `eth0`.",
            ),
            ro_string("mac", "MAC address, lowercase, colon-separated."),
            ro_string("ip", "IP address seen during inspection; null when none."),
            ro_string(
                "model",
                "`<vendor> <product>` of the NIC, as PCI IDs or names.",
            ),
            ro_number("speed_gbps", "Link speed in Gbit/s; 0 when unknown."),
            ro_bool(
                "pxe",
                "Whether the host booted from this NIC during inspection.",
            ),
        ],
        "Network interfaces.",
    );
    let storage = ro_nested(
        "storage",
        ObjectNesting::List,
        vec![
            ro_string("name", "Device path, e.g. `/dev/sda`."),
            Attribute::typed(
                "alternate_names",
                Type::list(Type::String),
                "Other paths of the same device, e.g. `/dev/disk/by-path/...`.",
            )
            .computed(),
            ro_string(
                "hctl",
                "SCSI `host:channel:target:lun` address; null when not SCSI.",
            ),
            ro_string("model", "Device model."),
            ro_string("vendor", "Device vendor."),
            ro_string("serial_number", "Device serial number."),
            ro_number("size_bytes", "Capacity in bytes."),
            ro_bool("rotational", "Whether the device is spinning media."),
            ro_string(
                "type",
                format!("Device class: {}.", code_list(&STORAGE_TYPES)),
            ),
            ro_string("wwn", "World Wide Name."),
            ro_string(
                "wwn_with_extension",
                "World Wide Name with the vendor extension appended.",
            ),
            ro_string(
                "wwn_vendor_extension",
                "Vendor extension of the World Wide Name.",
            ),
        ],
        "Block devices. Values here are what `root_device_hints` match against.",
    );
    let firmware = ro_nested(
        "firmware",
        ObjectNesting::Single,
        vec![ro_nested(
            "bios",
            ObjectNesting::Single,
            vec![
                ro_string("vendor", "BIOS/UEFI firmware vendor."),
                ro_string("version", "Firmware version."),
                ro_string(
                    "date",
                    "Firmware release date, as reported by the firmware.",
                ),
            ],
            "System firmware.",
        )],
        "Firmware details.",
    );
    let system_vendor = ro_nested(
        "system_vendor",
        ObjectNesting::Single,
        vec![
            ro_string("manufacturer", "System manufacturer, e.g. `Dell Inc.`."),
            ro_string("product_name", "System product name."),
            ro_string("serial_number", "System serial number (service tag)."),
        ],
        "Chassis identity.",
    );
    ro_nested(
        "hardware",
        ObjectNesting::Single,
        vec![
            cpu,
            ro_number("ram_mebibytes", "Installed memory in MiB."),
            nics,
            storage,
            firmware,
            system_vendor,
            ro_string("hostname", "Host name reported by the inspection ramdisk."),
        ],
        "Hardware inventory collected by inspection. Null until the host has been inspected, and \
         when `inspection_mode = \"disabled\"`.",
    )
}
