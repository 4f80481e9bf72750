//! The resource's model, declared once: each argument of `metal3_baremetal_host` is a field
//! here, with its description, flags, default and rules; `#[derive(Model)]` makes it the
//! schema's arguments, the decoder of configuration, plan and state, and the encoder. The status
//! attributes are shared with the data sources (`host::schema`).
//!
//! Each argument is [`Field::Known`], [`Field::Unknown`] (not decided until apply) or
//! [`Field::Null`] (unset). A value of the wrong type (impossible once Terraform has
//! type-checked the config, but values may come from anywhere, e.g. a function's argument)
//! becomes a diagnostic at the attribute's path.

use std::collections::BTreeMap;

use metal3_core::lifecycle::{
    AutomatedCleaningMode, BootMode, ChecksumType, DiskFormat, InspectionMode,
};
use metal3_core::{Secret, Vocabulary};
use tfplugin::model::{AttrValue, DecodeError, DecodeErrorKind, Model};
use tfplugin::schema::AttributeType;

use crate::codec::{AttributePath, Number, Value};
use crate::diagnostics::Diagnostic;
use crate::host::doc_text::code_list;
pub use crate::host::field::Field;
use crate::host::hardware_settings::{
    check_raid, FirmwareArgs, FirmwareComponentArgs, FirmwareVersions, RaidArgs, UpdatePolicyArgs,
};

/// A sensitive string: the core's [`Secret`], which never shows in `Debug`.
#[derive(Debug, Clone, PartialEq)]
pub struct SecretText(pub Secret);

impl std::ops::Deref for SecretText {
    type Target = Secret;
    fn deref(&self) -> &Secret {
        &self.0
    }
}

impl AttrValue for SecretText {
    type Plain = String;
    fn attribute_type() -> AttributeType {
        String::attribute_type()
    }
    fn from_value(value: &Value, path: &AttributePath) -> Result<Self, DecodeError> {
        String::from_value(value, path).map(|text| SecretText(Secret::new(text)))
    }
    fn to_value(&self) -> Value {
        Value::from(self.0.expose())
    }
}

/// The `bmc` attributes that carry the credentials: a change to any of them sends the
/// credentials to Ironic again, which verifies them with the BMC.
pub const BMC_CREDENTIALS: &[&str] = &[
    BmcConfig::NAMES.username,
    BmcConfig::NAMES.password,
    BmcConfig::NAMES.password_wo_version,
];

/// Ironic's limit on a conductor group's name.
pub const MAX_CONDUCTOR_GROUP: usize = 255;

/// Image URL schemes Ironic can fetch from.
pub const IMAGE_URL_SCHEMES: &[&str] = &["http", "https", "file"];

/// `http(s)://host/...` or `file:///path`.
pub fn check_image_url(url: &str) -> Result<(), String> {
    let allowed = format!(
        "expected an {} URL, e.g. `https://images.example.com/os.qcow2` or `file:///images/os.raw`",
        code_list(IMAGE_URL_SCHEMES).replace(", ", " / ")
    );
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(format!("\"{url}\" is not a URL; {allowed}."));
    };
    if !IMAGE_URL_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()) {
        return Err(format!(
            "the scheme \"{scheme}\" is not supported; {allowed}."
        ));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("the URL contains whitespace; {allowed}."));
    }
    let has_host = !rest.is_empty() && !rest.starts_with('/');
    match scheme.to_ascii_lowercase().as_str() {
        "file" if !rest.starts_with('/') || rest.len() < 2 => Err(format!(
            "a file URL needs an absolute path (`file:///path`); {allowed}."
        )),
        "http" | "https" if !has_host => Err(format!("the URL has no host; {allowed}.")),
        _ => Ok(()),
    }
}

/// Timeouts that apply when the `timeouts` block (or one of its fields) is absent.
pub const DEFAULT_CREATE_TIMEOUT: &str = "60m";
pub const DEFAULT_UPDATE_TIMEOUT: &str = "60m";
pub const DEFAULT_DELETE_TIMEOUT: &str = "60m";
pub const DEFAULT_READ_TIMEOUT: &str = "20m";

fn one_of<V: Vocabulary + Default>() -> String {
    format!(
        "One of {}; defaults to `{}`.",
        code_list(&V::names()),
        V::default().name()
    )
}

/// How to reach the host's baseboard management controller (BMC).
#[derive(Debug, Clone, PartialEq, Model)]
pub struct BmcConfig {
    #[tf(required, description = bmc_address_doc())]
    pub address: Field<String>,
    /// User name for the BMC. Changing it updates Ironic in place and re-verifies the credentials.
    #[tf(required)]
    pub username: Field<String>,
    /// Password for the BMC, stored (sensitive) in state. Exactly one of `password` and
    /// `password_wo` must be set. Changing it updates Ironic in place and re-verifies the
    /// credentials. Ironic never returns it, so the first plan after an import shows it being
    /// set (an in-place update).
    #[tf(optional, sensitive)]
    pub password: Field<SecretText>,
    /// Password for the BMC, never stored in state or plans (write-only, Terraform >= 1.11).
    /// Exactly one of `password` and `password_wo` must be set. It is sent to Ironic on create
    /// and whenever `password_wo_version` changes; changing only this value does nothing.
    #[tf(optional, sensitive, write_only)]
    pub password_wo: Field<SecretText>,
    /// Version of `password_wo`, required with it: change it (e.g. increment it) to rotate the
    /// password in Ironic and re-verify the credentials.
    #[tf(optional)]
    pub password_wo_version: Field<Number>,
    /// Skip TLS certificate verification for HTTPS-based BMCs (Redfish, iDRAC, iLO). Defaults to
    /// `false`. Changing it updates Ironic in place.
    #[tf(default = false)]
    pub disable_certificate_verification: Field<bool>,
}

fn bmc_address_doc() -> String {
    let schemes = metal3_core::bmc::SCHEMES
        .iter()
        .map(|doc| format!("- `{}`: {}", doc.form, doc.drives))
        .collect::<Vec<_>>()
        .join("\n");
    format!(
        "URL of the baseboard management controller, `scheme://host[:port][/path]` (IPv6 hosts \
         in brackets). Changing what identifies the machine (the host, a port other than the \
         scheme's default, or the Redfish system path) replaces the host; changing only the \
         scheme (e.g. `redfish` to `redfish-virtualmedia`, `+http` to `+https`) updates the \
         Ironic driver in place. An address changed in Ironic behind Terraform's back is read \
         back and put back in place, never a replacement. Accepted schemes:\n\n{schemes}"
    )
}

/// Selects the disk the image is written to; a device must match every hint set. Without hints
/// Ironic picks the smallest disk of at least 4 GiB. Changing the hints updates Ironic in place
/// and takes effect at the next deployment; it does not redeploy.
#[derive(Debug, Clone, PartialEq, Model)]
pub struct RootDeviceHints {
    /// Linux device name, e.g. `/dev/sda` or `/dev/disk/by-path/...`. The hint must match
    /// exactly.
    #[tf(optional)]
    pub device_name: Field<String>,
    /// SCSI address, e.g. `0:0:0:0`. The hint must match exactly.
    #[tf(optional)]
    pub hctl: Field<String>,
    /// Vendor-specific device model. The hint may be a substring of the actual value.
    #[tf(optional)]
    pub model: Field<String>,
    /// Device vendor or manufacturer. The hint may be a substring of the actual value.
    #[tf(optional)]
    pub vendor: Field<String>,
    /// Device serial number. The hint must match exactly.
    #[tf(optional)]
    pub serial_number: Field<String>,
    /// Minimum device size in GiB (whole number, at least 0).
    #[tf(optional)]
    pub min_size_gigabytes: Field<Number>,
    /// Unique storage identifier. The hint must match exactly.
    #[tf(optional)]
    pub wwn: Field<String>,
    /// Unique storage identifier with the vendor extension appended. The hint must match
    /// exactly.
    #[tf(optional)]
    pub wwn_with_extension: Field<String>,
    /// Unique vendor storage identifier. The hint must match exactly.
    #[tf(optional)]
    pub wwn_vendor_extension: Field<String>,
    /// `true` to pick spinning media, `false` for solid state.
    #[tf(optional)]
    pub rotational: Field<bool>,
}

/// The operating system image to deploy. Present: the host is provisioned with it. Changing
/// this redeploys the host (Ironic rebuild), overwriting the root disk. Removing it deprovisions
/// the host, wiping the disk per `automated_cleaning_mode`.
#[derive(Debug, Clone, PartialEq, Model)]
pub struct ImageConfig {
    /// URL of the image to write to the root disk (`http`, `https` or `file`), or of a bootable
    /// ISO when `disk_format = "live-iso"`.
    #[tf(required)]
    pub url: Field<String>,
    /// Checksum of the image, or the URL of a checksum file listing it. Required unless
    /// `disk_format = "live-iso"`, where it must be unset, or the host is
    /// `externally_provisioned` (the image is then only a record of what is installed).
    #[tf(optional)]
    pub checksum: Field<String>,
    #[tf(
        optional,
        description = format!(
            "Algorithm of `checksum`: {}. Unset: detected from the checksum's length.",
            code_list(&ChecksumType::names())
        )
    )]
    pub checksum_type: Field<String>,
    #[tf(
        optional,
        description = format!(
            "Format of the image: {}. `live-iso` boots the ISO from virtual media instead of \
             writing a disk (Ironic's `ramdisk` deploy). Unset: detected by Ironic.",
            code_list(&DiskFormat::names())
        )
    )]
    pub disk_format: Field<String>,
}

/// Provisions the host by a custom agent deploy step instead of writing `image` (which, if also
/// set, is passed along to the step). Changing this redeploys the host; removing it deprovisions
/// the host, wiping the disk per `automated_cleaning_mode`.
#[derive(Debug, Clone, PartialEq, Model)]
pub struct CustomDeploy {
    /// Name of the deploy step the agent runs (Ironic's `custom-agent` deploy interface), as
    /// implemented by a custom Ironic Python Agent hardware manager.
    #[tf(required)]
    pub method: Field<String>,
}

/// This host's own Ironic Python Agent (Metal3's PreprovisioningImage): a kernel and ramdisk
/// to network-boot, an ISO for virtual media, or both.
#[derive(Debug, Clone, PartialEq, Model)]
pub struct DeployImageConfig {
    /// URL of the agent's kernel (`http`, `https` or `file`), booted over the network; set
    /// with `ramdisk_url`.
    #[tf(optional, validate = check_image_url)]
    pub kernel_url: Field<String>,
    /// URL of the agent's ramdisk (initramfs); set with `kernel_url`.
    #[tf(optional, validate = check_image_url)]
    pub ramdisk_url: Field<String>,
    /// URL of a bootable agent ISO, attached as virtual media by virtual-media BMC schemes
    /// (`redfish-virtualmedia`, `idrac-virtualmedia`, `ilo5-virtualmedia`, ...).
    #[tf(optional, validate = check_image_url)]
    pub iso_url: Field<String>,
}

/// A kernel needs its ramdisk and the other way round; one of the two ways must be given.
fn whole_agent(image: &DeployImageConfig) -> Result<(), String> {
    let names = DeployImageConfig::NAMES;
    match (
        image.kernel_url.is_set_or_unknown(),
        image.ramdisk_url.is_set_or_unknown(),
        image.iso_url.is_set_or_unknown(),
    ) {
        (true, false, _) | (false, true, _) => Err(format!(
            "`{}` and `{}` go together: the agent boots that kernel with that ramdisk; set \
             both, or `{}` alone.",
            names.kernel_url, names.ramdisk_url, names.iso_url
        )),
        (false, false, false) => Err(format!(
            "set `{}` and `{}` (network boot), `{}` (virtual media), or both; remove the block \
             to use the provider's agent images.",
            names.kernel_url, names.ramdisk_url, names.iso_url
        )),
        _ => Ok(()),
    }
}

/// Time limits for the operations on this host.
#[derive(Debug, Clone, PartialEq, Model)]
pub struct Timeouts {
    #[tf(optional, description = timeout_doc(DEFAULT_CREATE_TIMEOUT, "to enroll, inspect, clean and deploy a new host"))]
    pub create: Field<String>,
    #[tf(optional, description = timeout_doc(DEFAULT_READ_TIMEOUT, "to refresh the host (reads only)"))]
    pub read: Field<String>,
    #[tf(optional, description = timeout_doc(DEFAULT_UPDATE_TIMEOUT, "to apply an in-place change (a redeployment included)"))]
    pub update: Field<String>,
    #[tf(optional, description = timeout_doc(DEFAULT_DELETE_TIMEOUT, "to deprovision, clean, power off and delete the host"))]
    pub delete: Field<String>,
}

fn timeout_doc(default: &str, what: &str) -> String {
    format!(
        "Longest time {what}, as a duration such as `30s`, `45m` or `1h30m`. Defaults to \
         `{default}`. When exceeded the operation stops with an error and the state records how \
         far it got."
    )
}

/// A bare-metal host managed through Ironic with Metal3 BareMetalHost semantics: creating it
/// enrolls the machine through its BMC, inspects its hardware, cleans it and, when `image` (or
/// `custom_deploy`) is set, deploys it; destroying it deprovisions a host this provider deployed
/// (cleaning its disks per `automated_cleaning_mode`), powers it off and removes it from Ironic.
/// An externally provisioned host is never deprovisioned or cleaned: destroying it only powers
/// it off (see `power_off_on_destroy`) and removes it from Ironic.
#[derive(Debug, Clone, PartialEq, Model)]
pub struct HostConfig {
    /// UUID of the Ironic node. Import accepts it in place of `<namespace>/<name>`.
    #[tf(computed)]
    pub id: Field<String>,
    /// Name of the host, unique within its namespace; the Ironic node is named
    /// `<namespace>~<name>`. Use a DNS-1123 subdomain (lowercase letters, digits, `-`, `.`), as
    /// for a BareMetalHost. Changing this replaces the host.
    #[tf(required, requires_replace)]
    pub name: Field<String>,
    /// Namespace of the host. Defaults to the provider's `namespace` (itself defaulting to
    /// `metal3`). Changing this replaces the host.
    #[tf(optional, computed, requires_replace)]
    pub namespace: Field<String>,
    /// How to reach the host's baseboard management controller (BMC).
    #[tf(required)]
    pub bmc: Field<BmcConfig>,
    /// MAC address of the NIC the host boots from over the network, `aa:bb:cc:dd:ee:ff`;
    /// becomes the node's Ironic port. Required by BMC schemes that network-boot (`ipmi`,
    /// `libvirt`, `redfish`, `idrac-redfish`, `ilo4`, `ilo5`, `irmc`, and `fake` with
    /// `inspection_mode = "agent"`); optional for virtual-media schemes. Changing it replaces
    /// the Ironic port in place.
    #[tf(optional)]
    pub boot_mac_address: Field<String>,
    #[tf(
        default = BootMode::default().name(),
        description = format!(
            "Firmware boot mode used to deploy and boot the host. {} `UEFISecureBoot` enables \
             Secure Boot. Changing it takes effect at the next deployment; it does not redeploy.",
            one_of::<BootMode>()
        )
    )]
    pub boot_mode: Field<String>,
    /// Desired power state whenever the host is not busy with an operation: `true` keeps it
    /// powered on, `false` powered off. Defaults to `true`. Changing it powers the host on or
    /// off in place.
    #[tf(default = true)]
    pub online: Field<bool>,
    /// Selects the disk the image is written to; a device must match every hint set. Without
    /// hints Ironic picks the smallest disk of at least 4 GiB. Changing the hints updates Ironic
    /// in place and takes effect at the next deployment; it does not redeploy.
    #[tf(optional)]
    pub root_device_hints: Field<RootDeviceHints>,
    /// The operating system image to deploy. Present: the host is provisioned with it. Changing
    /// this redeploys the host (Ironic rebuild), overwriting the root disk. Removing it
    /// deprovisions the host, wiping the disk per `automated_cleaning_mode`.
    #[tf(optional)]
    pub image: Field<ImageConfig>,
    /// User data for the config drive (e.g. cloud-init or Ignition), passed to the host when it
    /// is deployed. Changing it alone does not redeploy: the new content is used at the next
    /// deployment.
    #[tf(optional, sensitive)]
    pub user_data: Field<SecretText>,
    /// Network data for the config drive: a JSON document in OpenStack's `network_data.json`
    /// format. Used when the host is deployed, like `user_data`.
    #[tf(optional)]
    pub network_data: Field<String>,
    /// Extra metadata for the config drive: a JSON object merged into the generated
    /// `meta_data.json` (which always carries `uuid`, `name`, `local-hostname`). Used when the
    /// host is deployed, like `user_data`.
    #[tf(optional)]
    pub meta_data: Field<String>,
    /// Provisions the host by a custom agent deploy step instead of writing `image` (which, if
    /// also set, is passed along to the step). Changing this redeploys the host; removing it
    /// deprovisions the host, wiping the disk per `automated_cleaning_mode`.
    #[tf(optional)]
    pub custom_deploy: Field<CustomDeploy>,
    /// `true`: the host already runs an operating system; it is adopted (Ironic `adopt`) and its
    /// disks are never touched, not even when it is destroyed, and `image`, if set, only records
    /// what is installed. Defaults to `false`. Setting it to `true` later changes bookkeeping
    /// only. Setting it to `false` on an adopted host makes it an ordinary provisioned host:
    /// with the `image` it already runs, that is recorded and nothing is written; with another
    /// image, that image is deployed (root disk overwritten); without an image, the host is
    /// deprovisioned and its disks cleaned per `automated_cleaning_mode`. The plan says which.
    #[tf(default = false)]
    pub externally_provisioned: Field<bool>,
    #[tf(
        default = AutomatedCleaningMode::default().name(),
        description = format!(
            "Disk cleaning Ironic runs before the host becomes available and after it is \
             deprovisioned. {} `metadata` erases partition tables and filesystem signatures; \
             `disabled` leaves disks as they are. Changing it updates Ironic in place without \
             touching the hardware.",
            one_of::<AutomatedCleaningMode>()
        )
    )]
    pub automated_cleaning_mode: Field<String>,
    #[tf(
        default = InspectionMode::default().name(),
        description = format!(
            "How hardware is inspected when the host is registered. {} `agent` boots the Ironic \
             Python Agent and fills `hardware`; `disabled` skips inspection, leaving `hardware` \
             null. Changing it after registration does not re-inspect.",
            one_of::<InspectionMode>()
        )
    )]
    pub inspection_mode: Field<String>,
    /// Free-form text stored as the Ironic node's description. Changing it updates the node in
    /// place.
    #[tf(optional)]
    pub description: Field<String>,
    #[tf(
        optional,
        description = format!(
            "Ironic's conductor group for the node: only the conductors of that group \
             (`[conductor] conductor_group` in their configuration) manage it, e.g. the \
             conductors of one rack or site. Unset: the conductors without a group. At most \
             {MAX_CONDUCTOR_GROUP} characters: lowercase letters, digits, `.`, `_` and `-` \
             (Ironic stores it lowercased). Changing it moves the host to another group in \
             place; a group no conductor serves is refused by Ironic."
        )
    )]
    pub conductor_group: Field<String>,
    /// This host's own Ironic Python Agent, in place of the provider's `deploy_kernel_url`,
    /// `deploy_ramdisk_url` and `deploy_iso_url` (Metal3's PreprovisioningImage), e.g. an agent
    /// built for the host's architecture or carrying its vendor's hardware manager. Ironic boots
    /// it to inspect, clean and deploy the host; changing it updates Ironic in place and takes
    /// effect the next time the agent boots, rebooting nothing. Removing it returns the host to
    /// the provider's images (where the provider sets none, the node keeps the last ones).
    #[tf(optional, validate = whole_agent)]
    pub deploy_image: Field<DeployImageConfig>,
    /// The host's RAID (Metal3's `spec.raid`), built by manual cleaning before the host is made
    /// available: hardware volumes by the BMC's RAID controller, or software (Linux md) volumes
    /// by the agent, not both. Building it DELETES the existing volumes first, so the disks'
    /// contents are lost; the plan says so. With no volumes at all (`raid = {}`) the existing
    /// volumes are deleted; leaving `raid` out leaves the RAID as it is. On a provisioned host
    /// a change waits for the next deprovision (`hardware_settings_pending` lists it).
    #[tf(optional, validate = check_raid)]
    pub raid: Field<RaidArgs>,
    /// Vendor-independent BIOS switches (Metal3's `spec.firmware`), set under the vendor's own
    /// attribute names where the BMC scheme has them (iDRAC, iLO 5 over Redfish, `fake`) and
    /// applied with `bios_settings` (the host REBOOTS). Unset switches are left as they are.
    #[tf(optional)]
    pub firmware: Field<FirmwareArgs>,
    /// BIOS settings by the vendor's attribute names (Metal3's HostFirmwareSettings), e.g.
    /// `{ ProcTurboMode = "Disabled" }`: applied by manual cleaning before the host is made
    /// available (the host REBOOTS), with `firmware`'s switches; `bios_settings` wins where
    /// both name an attribute. Attributes not named are left as they are, and so is the BIOS
    /// when the map is removed. When Ironic knows the BMC's BIOS registry, names it lacks,
    /// read-only attributes and values outside its range are refused before anything changes.
    /// A setting changed on the machine behind Terraform's back shows in
    /// `bios_settings_current`, and the next apply sets it again. On a provisioned host a
    /// change waits for the next deprovision (`hardware_settings_pending` lists it).
    #[tf(optional)]
    pub bios_settings: Field<BTreeMap<String, String>>,
    /// Firmware images to flash by the firmware interface's `update` step, in order, before the
    /// host is made available (the host REBOOTS). A list that changes is flashed again; removing
    /// it flashes nothing (firmware is never rolled back). On a provisioned host a change waits
    /// for the next deprovision (`hardware_settings_pending` lists it).
    #[tf(optional)]
    pub firmware_components: Field<Vec<FirmwareComponentArgs>>,
    /// Which changes of the hardware arguments a provisioned host takes now, by Ironic
    /// servicing (Metal3's HostUpdatePolicy): the host REBOOTS, stays provisioned, and its disks
    /// are not touched. RAID is never changed on a provisioned host. Unset (or a field unset):
    /// such a change waits until the host is next deprovisioned.
    #[tf(optional)]
    pub update_policy: Field<UpdatePolicyArgs>,
    /// The host's BIOS settings as Ironic last read them (name → value); read only for hosts
    /// with `bios_settings` or `firmware` set, null otherwise.
    #[tf(computed)]
    pub bios_settings_current: Field<BTreeMap<String, String>>,
    /// The host's firmware versions per component as Ironic reports them; read only for hosts
    /// with `firmware_components` set, null otherwise.
    #[tf(computed)]
    pub firmware_components_current: Field<Vec<FirmwareVersions>>,
    /// The hardware arguments (`raid`, `bios_settings`, `firmware_components`) whose values are
    /// not applied to the host yet: a provisioned host applies them only when it is next
    /// deprovisioned. Empty when everything is applied.
    #[tf(computed)]
    pub hardware_settings_pending: Field<Vec<String>>,
    /// Whether destroying the host powers the machine off before its Ironic node is removed.
    /// Defaults to `true`. Set it to `false` (and apply) before destroying a host that must keep
    /// running, e.g. an externally provisioned host handed over to another tool. Destroy reads
    /// it from the state, so the change must be applied first.
    #[tf(default = true)]
    pub power_off_on_destroy: Field<bool>,
    /// Time limits for the operations on this host.
    #[tf(block)]
    pub timeouts: Option<Timeouts>,
}

impl HostConfig {
    /// Reads a config, plan or state value; an argument left null that has a default reads as
    /// the default, as the plan has it. Null or unknown as a whole is an error: a resource's
    /// config is always an object (null only for destroy, which has no config to read).
    pub fn from_value(value: &Value) -> Result<HostConfig, Vec<Diagnostic>> {
        if value.as_map().is_none() {
            return Err(vec![Diagnostic::error(
                "Invalid resource configuration",
                format!(
                    "expected an object with the host's arguments, found {}",
                    value.kind_name()
                ),
            )]);
        }
        HostConfig::decode_all(value).map_err(|errors| errors.iter().map(type_error).collect())
    }
}

/// An ill-typed argument, in the words every other diagnostic on the host uses.
fn type_error(error: &DecodeError) -> Diagnostic {
    let detail = match &error.kind {
        DecodeErrorKind::Mismatch { expected, found } => {
            format!("expected {expected}, found {found}")
        }
        _ => error.to_string(),
    };
    let diagnostic = Diagnostic::error("Invalid attribute type", detail);
    match error.path.is_root() {
        true => diagnostic,
        false => diagnostic.at(error.path.clone()),
    }
}

/// The operations a `timeouts` block limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Create,
    Read,
    Update,
    Delete,
}

impl HostConfig {
    /// The time limit for `operation`: the configured duration, or the schema's default when
    /// unset, unknown or invalid (validation reports invalid ones before any apply).
    pub fn timeout(&self, operation: Operation) -> std::time::Duration {
        let (_, configured, default) = self.timeout_setting(operation);
        let parse = crate::duration::parse_duration;
        configured
            .and_then(|text| parse(text).ok())
            .filter(|d| !d.is_zero())
            .or_else(|| parse(default).ok())
            .unwrap_or(std::time::Duration::from_secs(3600))
    }

    /// `timeouts.<field>` for `operation`: the field's name, its configured text (if known), and
    /// the schema's default.
    pub fn timeout_setting(
        &self,
        operation: Operation,
    ) -> (&'static str, Option<&str>, &'static str) {
        let t = self.timeouts.as_ref();
        let (field, configured, default) = match operation {
            Operation::Create => (
                Timeouts::NAMES.create,
                t.map(|t| &t.create),
                DEFAULT_CREATE_TIMEOUT,
            ),
            Operation::Read => (
                Timeouts::NAMES.read,
                t.map(|t| &t.read),
                DEFAULT_READ_TIMEOUT,
            ),
            Operation::Update => (
                Timeouts::NAMES.update,
                t.map(|t| &t.update),
                DEFAULT_UPDATE_TIMEOUT,
            ),
            Operation::Delete => (
                Timeouts::NAMES.delete,
                t.map(|t| &t.delete),
                DEFAULT_DELETE_TIMEOUT,
            ),
        };
        (field, configured.and_then(Field::as_deref), default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_known_unknown_and_null_fields() {
        let value = Value::object([
            ("name", Value::from("worker-0")),
            ("namespace", Value::unknown()),
            (
                "bmc",
                Value::object([
                    (
                        "address",
                        Value::from("redfish://10.0.0.1/redfish/v1/Systems/1"),
                    ),
                    ("username", Value::from("admin")),
                    ("password", Value::from("s3cret")),
                    ("password_wo_version", Value::from(2)),
                ]),
            ),
            ("online", Value::from(false)),
            ("image", Value::Null),
        ]);
        let config = HostConfig::from_value(&value).unwrap();
        assert_eq!(config.name, Field::Known("worker-0".into()));
        assert_eq!(config.namespace, Field::Unknown);
        assert_eq!(config.online, Field::Known(false));
        assert_eq!(config.image, Field::Null);
        assert_eq!(config.timeouts, None);
        let bmc = config.bmc.known().unwrap();
        assert_eq!(bmc.password.known().unwrap().expose(), "s3cret");
        assert_eq!(bmc.password_wo, Field::Null);
        assert_eq!(
            bmc.password_wo_version.known().and_then(Number::as_i64),
            Some(2)
        );
        // Debug never shows the password.
        assert!(!format!("{config:?}").contains("s3cret"));
    }

    #[test]
    fn type_errors_name_the_attribute() {
        let value = Value::object([
            ("name", Value::from(5)),
            ("bmc", Value::object([("username", Value::from(true))])),
        ]);
        let errors = HostConfig::from_value(&value).unwrap_err();
        let paths: Vec<String> = errors
            .iter()
            .map(|d| d.attribute.as_ref().unwrap().to_string())
            .collect();
        assert_eq!(paths, ["name", "bmc.username"]);
        assert!(errors[0].detail.contains("expected a string"));
        assert!(HostConfig::from_value(&Value::Null).is_err());
    }

    #[test]
    fn timeouts_default_when_unset() {
        use std::time::Duration;
        let value = Value::object([(
            "timeouts",
            Value::object([("create", Value::from("90m")), ("read", Value::unknown())]),
        )]);
        let config = HostConfig::from_value(&value).unwrap();
        assert_eq!(config.timeout(Operation::Create), Duration::from_secs(5400));
        assert_eq!(config.timeout(Operation::Read), Duration::from_secs(1200));
        assert_eq!(config.timeout(Operation::Delete), Duration::from_secs(3600));
        let none = HostConfig::from_value(&Value::object([("name", "w0")])).unwrap();
        assert_eq!(none.timeout(Operation::Update), Duration::from_secs(3600));
    }
}
