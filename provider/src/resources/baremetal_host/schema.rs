//! Resource `metal3_baremetal_host`: one bare-metal machine, BareMetalHost's spec as arguments and
//! its status as computed attributes.
//!
//! Optional+computed arguments declare their defaults (the constants below); the plan writes them
//! in, so it always shows the exact value that will be applied. `namespace` defaults to the
//! provider's `namespace`, known only once the provider is configured.

use super::validate::MAX_CONDUCTOR_GROUP;
use crate::codec::Type;
use crate::host::schema::{code_list, status_attributes};
use crate::schema::{
    Attribute, Block, IdentityAttribute, IdentitySchema, NestedBlock, ObjectNesting, Schema,
};
use metal3_core::lifecycle::{
    AutomatedCleaningMode, BootMode, ChecksumType, DiskFormat, InspectionMode,
};
use metal3_core::Vocabulary;

pub const TYPE_NAME: &str = "metal3_baremetal_host";

pub const DEFAULT_BOOT_MODE: &str = "UEFI";
pub const DEFAULT_ONLINE: bool = true;
pub const DEFAULT_EXTERNALLY_PROVISIONED: bool = false;
pub const DEFAULT_DISABLE_CERTIFICATE_VERIFICATION: bool = false;
pub const DEFAULT_POWER_OFF_ON_DESTROY: bool = true;
pub const DEFAULT_AUTOMATED_CLEANING_MODE: &str = "metadata";
pub const DEFAULT_INSPECTION_MODE: &str = "agent";

/// Timeouts that apply when the `timeouts` block (or one of its fields) is absent.
pub const DEFAULT_CREATE_TIMEOUT: &str = "60m";
pub const DEFAULT_UPDATE_TIMEOUT: &str = "60m";
pub const DEFAULT_DELETE_TIMEOUT: &str = "60m";
pub const DEFAULT_READ_TIMEOUT: &str = "20m";

fn one_of(values: &[&str], default: &str) -> String {
    format!("One of {}; defaults to `{default}`.", code_list(values))
}

pub fn schema() -> Schema {
    let mut attributes = vec![
        Attribute::string(
            "id",
            "UUID of the Ironic node. Import accepts it in place of `<namespace>/<name>`.",
        )
        .computed(),
        Attribute::string(
            "name",
            "Name of the host, unique within its namespace; the Ironic node is named \
             `<namespace>~<name>`. Use a DNS-1123 subdomain (lowercase letters, digits, `-`, \
             `.`), as for a BareMetalHost. Changing this replaces the host.",
        )
        .required()
        .requires_replace(),
        Attribute::string(
            "namespace",
            "Namespace of the host. Defaults to the provider's `namespace` (itself \
             defaulting to `metal3`). Changing this replaces the host.",
        )
        .optional()
        .computed()
        .requires_replace(),
        bmc(),
        Attribute::string(
            "boot_mac_address",
            "MAC address of the NIC the host boots from over the network, \
             `aa:bb:cc:dd:ee:ff`; becomes the node's Ironic port. Required by BMC schemes that \
             network-boot (`ipmi`, `libvirt`, `redfish`, `idrac-redfish`, `ilo4`, `ilo5`, \
             `irmc`, and `fake` with `inspection_mode = \"agent\"`); optional for virtual-media \
             schemes. Changing it replaces the Ironic port in place.",
        )
        .optional(),
        Attribute::string(
            "boot_mode",
            format!(
                "Firmware boot mode used to deploy and boot the host. {} `UEFISecureBoot` \
                 enables Secure Boot. Changing it takes effect at the next deployment; it does \
                 not redeploy.",
                one_of(&BootMode::names(), DEFAULT_BOOT_MODE)
            ),
        )
        .default(DEFAULT_BOOT_MODE),
        Attribute::bool(
            "online",
            format!(
                "Desired power state whenever the host is not busy with an operation: `true` \
                 keeps it powered on, `false` powered off. Defaults to `{DEFAULT_ONLINE}`. \
                 Changing it powers the host on or off in place."
            ),
        )
        .default(DEFAULT_ONLINE),
        root_device_hints(),
        image(),
        Attribute::string(
            "user_data",
            "User data for the config drive (e.g. cloud-init or Ignition), passed to the host \
             when it is deployed. Changing it alone does not redeploy: the new content is used \
             at the next deployment.",
        )
        .optional()
        .sensitive(),
        Attribute::string(
            "network_data",
            "Network data for the config drive: a JSON document in OpenStack's \
             `network_data.json` format. Used when the host is deployed, like `user_data`.",
        )
        .optional(),
        Attribute::string(
            "meta_data",
            "Extra metadata for the config drive: a JSON object merged into the generated \
             `meta_data.json` (which always carries `uuid`, `name`, `local-hostname`). Used when \
             the host is deployed, like `user_data`.",
        )
        .optional(),
        custom_deploy(),
        Attribute::bool(
            "externally_provisioned",
            format!(
                "`true`: the host already runs an operating system; it is adopted (Ironic \
                 `adopt`) and its disks are never touched, not even when it is destroyed, and \
                 `image`, if set, only records what is installed. Defaults to \
                 `{DEFAULT_EXTERNALLY_PROVISIONED}`. Setting it to `true` later changes \
                 bookkeeping only. Setting it to `false` on an adopted host makes it an ordinary \
                 provisioned host: with the `image` it already runs, that is recorded and nothing \
                 is written; with another image, that image is deployed (root disk overwritten); \
                 without an image, the host is deprovisioned and its disks cleaned per \
                 `automated_cleaning_mode`. The plan says which."
            ),
        )
        .default(DEFAULT_EXTERNALLY_PROVISIONED),
        Attribute::string(
            "automated_cleaning_mode",
            format!(
                "Disk cleaning Ironic runs before the host becomes available and after it is \
                 deprovisioned. {} `metadata` erases partition tables and filesystem \
                 signatures; `disabled` leaves disks as they are. Changing it updates Ironic in \
                 place without touching the hardware.",
                one_of(
                    &AutomatedCleaningMode::names(),
                    DEFAULT_AUTOMATED_CLEANING_MODE
                )
            ),
        )
        .default(DEFAULT_AUTOMATED_CLEANING_MODE),
        Attribute::string(
            "inspection_mode",
            format!(
                "How hardware is inspected when the host is registered. {} `agent` boots the \
                 Ironic Python Agent and fills `hardware`; `disabled` skips inspection, leaving \
                 `hardware` null. Changing it after registration does not re-inspect.",
                one_of(&InspectionMode::names(), DEFAULT_INSPECTION_MODE)
            ),
        )
        .default(DEFAULT_INSPECTION_MODE),
        Attribute::string(
            "description",
            "Free-form text stored as the Ironic node's description. Changing it updates the \
             node in place.",
        )
        .optional(),
        Attribute::string(
            "conductor_group",
            format!(
                "Ironic's conductor group for the node: only the conductors of that group \
                 (`[conductor] conductor_group` in their configuration) manage it, e.g. the \
                 conductors of one rack or site. Unset: the conductors without a group. At most \
                 {MAX_CONDUCTOR_GROUP} characters: lowercase letters, digits, `.`, `_` and `-` \
                 (Ironic stores it lowercased). Changing it moves the host to another group in \
                 place; a group no conductor serves is refused by Ironic."
            ),
        )
        .optional(),
        Attribute::bool(
            "power_off_on_destroy",
            format!(
                "Whether destroying the host powers the machine off before its Ironic node is \
                 removed. Defaults to `{DEFAULT_POWER_OFF_ON_DESTROY}`. Set it to `false` (and \
                 apply) before destroying a host that must keep running, e.g. an externally \
                 provisioned host handed over to another tool. Destroy reads it from the state, \
                 so the change must be applied first."
            ),
        )
        .default(DEFAULT_POWER_OFF_ON_DESTROY),
    ];
    attributes.extend(status_attributes());
    Schema::new(
        0,
        Block::new(
            "A bare-metal host managed through Ironic with Metal3 BareMetalHost semantics: \
             creating it enrolls the machine through its BMC, inspects its hardware, cleans it \
             and, when `image` (or `custom_deploy`) is set, deploys it; destroying it \
             deprovisions a host this provider deployed (cleaning its disks per \
             `automated_cleaning_mode`), powers it off and removes it from Ironic. An \
             externally provisioned host is never deprovisioned or cleaned: destroying it only \
             powers it off (see `power_off_on_destroy`) and removes it from Ironic.",
        )
        .with_attributes(attributes)
        .with_block(timeouts()),
    )
}

fn bmc() -> Attribute {
    let schemes = metal3_core::bmc::SCHEMES
        .iter()
        .map(|doc| format!("- `{}`: {}", doc.form, doc.drives))
        .collect::<Vec<_>>()
        .join("\n");
    Attribute::nested(
        "bmc",
        ObjectNesting::Single,
        vec![
            Attribute::string(
                "address",
                format!(
                    "URL of the baseboard management controller, `scheme://host[:port][/path]` \
                     (IPv6 hosts in brackets). Changing what identifies the machine (the host, a port \
                     other than the scheme's default, or the Redfish system path) replaces the \
                     host; changing only the scheme (e.g. `redfish` to `redfish-virtualmedia`, \
                     `+http` to `+https`) updates the Ironic driver in place. An address changed \
                     in Ironic behind Terraform's back is read back and put back in place, never a \
                     replacement. Accepted schemes:\n\n{schemes}"
                ),
            )
            .required(),
            Attribute::string("username", "User name for the BMC. Changing it updates Ironic in place and re-verifies the credentials.")
                .required(),
            Attribute::string(
                "password",
                "Password for the BMC, stored (sensitive) in state. Exactly one of `password` and \
                 `password_wo` must be set. Changing it updates Ironic in place and re-verifies \
                 the credentials. Ironic never returns it, so the first plan after an import \
                 shows it being set (an in-place update).",
            )
            .optional()
            .sensitive(),
            Attribute::string(
                "password_wo",
                "Password for the BMC, never stored in state or plans (write-only, Terraform \
                 >= 1.11). Exactly one of `password` and `password_wo` must be set. It is sent \
                 to Ironic on create and whenever `password_wo_version` changes; changing only \
                 this value does nothing.",
            )
            .optional()
            .sensitive()
            .write_only(),
            Attribute::number(
                "password_wo_version",
                "Version of `password_wo`, required with it: change it (e.g. increment it) to \
                 rotate the password in Ironic and re-verify the credentials.",
            )
            .optional(),
            Attribute::bool(
                "disable_certificate_verification",
                format!(
                    "Skip TLS certificate verification for HTTPS-based BMCs (Redfish, iDRAC, \
                     iLO). Defaults to `{DEFAULT_DISABLE_CERTIFICATE_VERIFICATION}`. Changing it \
                     updates Ironic in place."
                ),
            )
            .default(DEFAULT_DISABLE_CERTIFICATE_VERIFICATION),
        ],
        "How to reach the host's baseboard management controller (BMC).",
    )
    .required()
}

fn root_device_hints() -> Attribute {
    let exact = "The hint must match exactly.";
    let substring = "The hint may be a substring of the actual value.";
    Attribute::nested(
        "root_device_hints",
        ObjectNesting::Single,
        vec![
            Attribute::string(
                "device_name",
                format!("Linux device name, e.g. `/dev/sda` or `/dev/disk/by-path/...`. {exact}"),
            )
            .optional(),
            Attribute::string("hctl", format!("SCSI address, e.g. `0:0:0:0`. {exact}")).optional(),
            Attribute::string(
                "model",
                format!("Vendor-specific device model. {substring}"),
            )
            .optional(),
            Attribute::string(
                "vendor",
                format!("Device vendor or manufacturer. {substring}"),
            )
            .optional(),
            Attribute::string("serial_number", format!("Device serial number. {exact}")).optional(),
            Attribute::number(
                "min_size_gigabytes",
                "Minimum device size in GiB (whole number, at least 0).",
            )
            .optional(),
            Attribute::string("wwn", format!("Unique storage identifier. {exact}")).optional(),
            Attribute::string(
                "wwn_with_extension",
                format!("Unique storage identifier with the vendor extension appended. {exact}"),
            )
            .optional(),
            Attribute::string(
                "wwn_vendor_extension",
                format!("Unique vendor storage identifier. {exact}"),
            )
            .optional(),
            Attribute::bool(
                "rotational",
                "`true` to pick spinning media, `false` for solid state.",
            )
            .optional(),
        ],
        "Selects the disk the image is written to; a device must match every hint set. Without \
         hints Ironic picks the smallest disk of at least 4 GiB. Changing the hints updates \
         Ironic in place and takes effect at the next deployment; it does not redeploy.",
    )
    .optional()
}

fn image() -> Attribute {
    Attribute::nested(
        "image",
        ObjectNesting::Single,
        vec![
            Attribute::string(
                "url",
                "URL of the image to write to the root disk (`http`, `https` or `file`), or of a \
                 bootable ISO when `disk_format = \"live-iso\"`.",
            )
            .required(),
            Attribute::string(
                "checksum",
                "Checksum of the image, or the URL of a checksum file listing it. Required unless \
                 `disk_format = \"live-iso\"`, where it must be unset, or the host is \
                 `externally_provisioned` (the image is then only a record of what is installed).",
            )
            .optional(),
            Attribute::string(
                "checksum_type",
                format!(
                    "Algorithm of `checksum`: {}. Unset: detected from the checksum's length.",
                    code_list(&ChecksumType::names())
                ),
            )
            .optional(),
            Attribute::string(
                "disk_format",
                format!(
                    "Format of the image: {}. `live-iso` boots the ISO from virtual media \
                     instead of writing a disk (Ironic's `ramdisk` deploy). Unset: detected by \
                     Ironic.",
                    code_list(&DiskFormat::names())
                ),
            )
            .optional(),
        ],
        "The operating system image to deploy. Present: the host is provisioned with it. \
         Changing this redeploys the host (Ironic rebuild), overwriting the root disk. Removing \
         it deprovisions the host, wiping the disk per `automated_cleaning_mode`.",
    )
    .optional()
}

fn custom_deploy() -> Attribute {
    Attribute::nested(
        "custom_deploy",
        ObjectNesting::Single,
        vec![Attribute::string(
            "method",
            "Name of the deploy step the agent runs (Ironic's `custom-agent` deploy interface), \
             as implemented by a custom Ironic Python Agent hardware manager.",
        )
        .required()],
        "Provisions the host by a custom agent deploy step instead of writing `image` (which, if \
         also set, is passed along to the step). Changing this redeploys the host; removing it \
         deprovisions the host, wiping the disk per `automated_cleaning_mode`.",
    )
    .optional()
}

fn timeouts() -> NestedBlock {
    let field = |name: &str, default: &str, what: &str| {
        Attribute::string(
            name,
            format!(
                "Longest time {what}, as a duration such as `30s`, `45m` or `1h30m`. Defaults \
                 to `{default}`. When exceeded the operation stops with an error and the state \
                 records how far it got."
            ),
        )
        .optional()
    };
    NestedBlock::single(
        "timeouts",
        Block::new("Time limits for the operations on this host.").with_attributes(vec![
            field(
                "create",
                DEFAULT_CREATE_TIMEOUT,
                "to enroll, inspect, clean and deploy a new host",
            ),
            field(
                "read",
                DEFAULT_READ_TIMEOUT,
                "to refresh the host (reads only)",
            ),
            field(
                "update",
                DEFAULT_UPDATE_TIMEOUT,
                "to apply an in-place change (a redeployment included)",
            ),
            field(
                "delete",
                DEFAULT_DELETE_TIMEOUT,
                "to deprovision, clean, power off and delete the host",
            ),
        ]),
    )
}

/// Identity (Terraform >= 1.12): `import { to = ..., identity = { namespace = "metal3", name =
/// "worker-0" } }`.
pub fn identity() -> IdentitySchema {
    IdentitySchema {
        version: 0,
        attributes: vec![
            IdentityAttribute {
                name: "namespace".into(),
                r#type: Type::String,
                required_for_import: true,
                optional_for_import: false,
                description: "Namespace of the host.".into(),
            },
            IdentityAttribute {
                name: "name".into(),
                r#type: Type::String,
                required_for_import: true,
                optional_for_import: false,
                description: "Name of the host within its namespace.".into(),
            },
        ],
    }
}

#[cfg(test)]
#[path = "schema_tests.rs"]
mod tests;
