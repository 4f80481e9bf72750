//! The desired state of one host (BareMetalHost's spec) and what is observed of it (its status),
//! in core types that know nothing about Terraform.

use std::fmt;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use crate::hardware::HardwareDetails;
use crate::{Secret, Vocabulary};

/// Separator between namespace and name in Ironic node names, as BMO writes them.
pub const NODE_NAME_SEPARATOR: char = '~';

/// `<namespace>~<name>`: the Ironic node name of a host.
pub fn node_name(namespace: &str, name: &str) -> String {
    format!("{namespace}{NODE_NAME_SEPARATOR}{name}")
}

/// Splits an Ironic node name into (namespace, name) when it has BMO's form.
pub fn split_node_name(node_name: &str) -> Option<(&str, &str)> {
    node_name
        .split_once(NODE_NAME_SEPARATOR)
        .filter(|(ns, name)| !ns.is_empty() && !name.is_empty())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BmcSpec {
    pub address: String,
    pub username: String,
    pub password: Secret,
    pub disable_certificate_verification: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum BootMode {
    #[default]
    #[serde(rename = "UEFI")]
    Uefi,
    #[serde(rename = "UEFISecureBoot")]
    UefiSecureBoot,
    #[serde(rename = "legacy")]
    Legacy,
}

impl BootMode {
    pub fn as_str(self) -> &'static str {
        match self {
            BootMode::Uefi => "UEFI",
            BootMode::UefiSecureBoot => "UEFISecureBoot",
            BootMode::Legacy => "legacy",
        }
    }

    pub fn parse(value: &str) -> Option<BootMode> {
        Self::from_name(value)
    }

    /// Ironic's `boot_mode` capability value.
    pub fn ironic_boot_mode(self) -> &'static str {
        match self {
            BootMode::Uefi | BootMode::UefiSecureBoot => "uefi",
            BootMode::Legacy => "bios",
        }
    }

    /// Ironic's `properties.capabilities` string, e.g. `boot_mode:uefi,secure_boot:true`.
    pub fn capabilities(self) -> String {
        match self {
            BootMode::UefiSecureBoot => "boot_mode:uefi,secure_boot:true".to_owned(),
            other => format!("boot_mode:{}", other.ironic_boot_mode()),
        }
    }
}

/// Root device hints in BareMetalHost's names; `to_ironic` gives Ironic's `root_device`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RootDeviceHints {
    pub device_name: Option<String>,
    pub hctl: Option<String>,
    pub model: Option<String>,
    pub vendor: Option<String>,
    pub serial_number: Option<String>,
    pub min_size_gigabytes: Option<i64>,
    pub wwn: Option<String>,
    pub wwn_with_extension: Option<String>,
    pub wwn_vendor_extension: Option<String>,
    pub rotational: Option<bool>,
}

impl RootDeviceHints {
    /// Ironic's `properties.root_device` hint object, as BMO builds it: `s==` exact matches,
    /// `<in>` substring matches for model and vendor, `>=` for the minimum size in GiB, and
    /// `by_path` instead of `name` for `/dev/disk/by-path/` names.
    pub fn to_ironic(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut hints = serde_json::Map::new();
        let mut string = |key: &str, op: &str, value: &Option<String>| {
            if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
                hints.insert(key.to_owned(), format!("{op} {value}").into());
            }
        };
        let name_key = match &self.device_name {
            Some(name) if name.starts_with("/dev/disk/by-path/") => "by_path",
            _ => "name",
        };
        string(name_key, "s==", &self.device_name);
        string("hctl", "s==", &self.hctl);
        string("model", "<in>", &self.model);
        string("vendor", "<in>", &self.vendor);
        string("serial", "s==", &self.serial_number);
        string("wwn", "s==", &self.wwn);
        string("wwn_with_extension", "s==", &self.wwn_with_extension);
        string("wwn_vendor_extension", "s==", &self.wwn_vendor_extension);
        if let Some(size) = self.min_size_gigabytes.filter(|size| *size > 0) {
            hints.insert("size".to_owned(), format!(">= {size}").into());
        }
        if let Some(rotational) = self.rotational {
            hints.insert("rotational".to_owned(), rotational.into());
        }
        hints
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChecksumType {
    Md5,
    Sha256,
    Sha512,
}

impl ChecksumType {
    pub fn as_str(self) -> &'static str {
        match self {
            ChecksumType::Md5 => "md5",
            ChecksumType::Sha256 => "sha256",
            ChecksumType::Sha512 => "sha512",
        }
    }

    pub fn parse(value: &str) -> Option<ChecksumType> {
        Self::from_name(value)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiskFormat {
    #[serde(rename = "raw")]
    Raw,
    #[serde(rename = "qcow2")]
    Qcow2,
    #[serde(rename = "vdi")]
    Vdi,
    #[serde(rename = "vmdk")]
    Vmdk,
    #[serde(rename = "live-iso")]
    LiveIso,
}

impl DiskFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            DiskFormat::Raw => "raw",
            DiskFormat::Qcow2 => "qcow2",
            DiskFormat::Vdi => "vdi",
            DiskFormat::Vmdk => "vmdk",
            DiskFormat::LiveIso => "live-iso",
        }
    }

    pub fn parse(value: &str) -> Option<DiskFormat> {
        Self::from_name(value)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageSpec {
    pub url: String,
    /// The checksum value, or the URL of a checksum file.
    pub checksum: Option<String>,
    /// `None`: guessed from the value's length (md5/sha256/sha512) as BMO does.
    pub checksum_type: Option<ChecksumType>,
    pub disk_format: Option<DiskFormat>,
}

impl ImageSpec {
    pub fn is_live_iso(&self) -> bool {
        self.disk_format == Some(DiskFormat::LiveIso)
    }

    /// The checksum type to send: the one given, else guessed from a hex value's length, else
    /// sha256 (the common case for a checksum-file URL).
    pub fn effective_checksum_type(&self) -> Option<ChecksumType> {
        let checksum = self.checksum.as_deref().filter(|c| !c.is_empty())?;
        if let Some(kind) = self.checksum_type {
            return Some(kind);
        }
        let is_hex = checksum.chars().all(|c| c.is_ascii_hexdigit());
        Some(match (is_hex, checksum.len()) {
            (true, 32) => ChecksumType::Md5,
            (true, 128) => ChecksumType::Sha512,
            _ => ChecksumType::Sha256,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomDeploy {
    pub method: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AutomatedCleaningMode {
    #[default]
    Metadata,
    Disabled,
}

impl AutomatedCleaningMode {
    pub fn as_str(self) -> &'static str {
        match self {
            AutomatedCleaningMode::Metadata => "metadata",
            AutomatedCleaningMode::Disabled => "disabled",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::from_name(value)
    }

    /// Ironic's `automated_clean` field.
    pub fn automated_clean(self) -> bool {
        self == AutomatedCleaningMode::Metadata
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InspectionMode {
    #[default]
    Agent,
    Disabled,
}

impl InspectionMode {
    pub fn as_str(self) -> &'static str {
        match self {
            InspectionMode::Agent => "agent",
            InspectionMode::Disabled => "disabled",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::from_name(value)
    }
}

/// Everything the user asks of one host.
#[derive(Debug, Clone, PartialEq)]
pub struct HostSpec {
    pub namespace: String,
    pub name: String,
    pub bmc: BmcSpec,
    pub boot_mac_address: Option<String>,
    pub boot_mode: BootMode,
    pub online: bool,
    pub root_device_hints: Option<RootDeviceHints>,
    pub image: Option<ImageSpec>,
    pub user_data: Option<Secret>,
    pub network_data: Option<String>,
    pub meta_data: Option<String>,
    pub custom_deploy: Option<CustomDeploy>,
    pub externally_provisioned: bool,
    pub automated_cleaning_mode: AutomatedCleaningMode,
    pub inspection_mode: InspectionMode,
    pub description: Option<String>,
    /// Ironic's conductor group: only conductors of that group manage the node. `None` (or
    /// empty): conductors without a group.
    pub conductor_group: Option<String>,
    /// This host's own agent images (Metal3's PreprovisioningImage), in place of the ones the
    /// caller configures for every host.
    pub deploy_image: Option<DeployImage>,
    /// RAID, BIOS settings and firmware, applied before the host is made available.
    pub hardware_settings: super::hardware_settings::HardwareSettings,
    /// What a provisioned host may take by servicing.
    pub update_policy: super::hardware_settings::UpdatePolicy,
}

/// The Ironic Python Agent a host boots to be inspected, cleaned and deployed: a kernel and
/// ramdisk (network boot), an ISO (virtual media), or both.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeployImage {
    pub kernel_url: Option<String>,
    pub ramdisk_url: Option<String>,
    pub iso_url: Option<String>,
}

impl HostSpec {
    /// A spec with the defaults of the resource (UEFI, online, agent inspection, metadata
    /// cleaning) and nothing to deploy.
    pub fn new(namespace: impl Into<String>, name: impl Into<String>, bmc: BmcSpec) -> Self {
        HostSpec {
            namespace: namespace.into(),
            name: name.into(),
            bmc,
            boot_mac_address: None,
            boot_mode: BootMode::default(),
            online: true,
            root_device_hints: None,
            image: None,
            user_data: None,
            network_data: None,
            meta_data: None,
            custom_deploy: None,
            externally_provisioned: false,
            automated_cleaning_mode: AutomatedCleaningMode::default(),
            inspection_mode: InspectionMode::default(),
            description: None,
            conductor_group: None,
            deploy_image: None,
            hardware_settings: Default::default(),
            update_policy: Default::default(),
        }
    }

    pub fn node_name(&self) -> String {
        node_name(&self.namespace, &self.name)
    }

    /// Whether the spec wants an image written or booted, or a custom deploy.
    pub fn wants_deployment(&self) -> bool {
        !self.externally_provisioned && (self.image.is_some() || self.custom_deploy.is_some())
    }

    /// Agent inspection happens only when enabled and the host is not externally provisioned
    /// (inspection boots the agent, which an installed host must not see).
    pub fn wants_inspection(&self) -> bool {
        self.inspection_mode == InspectionMode::Agent && !self.externally_provisioned
    }
}

/// BareMetalHost's `status.provisioning.state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProvisioningState {
    None,
    Registering,
    Inspecting,
    Preparing,
    Available,
    Provisioning,
    Provisioned,
    Deprovisioning,
    ExternallyProvisioned,
}

impl ProvisioningState {
    pub fn as_str(self) -> &'static str {
        match self {
            ProvisioningState::None => "",
            ProvisioningState::Registering => "registering",
            ProvisioningState::Inspecting => "inspecting",
            ProvisioningState::Preparing => "preparing",
            ProvisioningState::Available => "available",
            ProvisioningState::Provisioning => "provisioning",
            ProvisioningState::Provisioned => "provisioned",
            ProvisioningState::Deprovisioning => "deprovisioning",
            ProvisioningState::ExternallyProvisioned => "externally provisioned",
        }
    }
}

impl fmt::Display for ProvisioningState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// BareMetalHost's `status.operationalStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperationalStatus {
    Ok,
    Error,
    Detached,
}

impl OperationalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OperationalStatus::Ok => "OK",
            OperationalStatus::Error => "error",
            OperationalStatus::Detached => "detached",
        }
    }
}

/// BareMetalHost's `status.errorType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorType {
    Registration,
    Inspection,
    Preparation,
    Provisioning,
    /// An adopt (externally provisioned, or re-enrolled after Ironic lost the node) failed.
    ProvisionedRegistration,
    PowerManagement,
    Servicing,
}

impl ErrorType {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorType::Registration => "registration error",
            ErrorType::Inspection => "inspection error",
            ErrorType::Preparation => "preparation error",
            ErrorType::Provisioning => "provisioning error",
            ErrorType::ProvisionedRegistration => "provisioned registration error",
            ErrorType::PowerManagement => "power management error",
            ErrorType::Servicing => "servicing error",
        }
    }
}

/// What is observed of a host.
#[derive(Debug, Clone, PartialEq)]
pub struct HostStatus {
    /// Ironic node UUID.
    pub id: String,
    /// Ironic node name (`<namespace>~<name>` for hosts this engine created).
    pub name: Option<String>,
    /// The host identity this engine recorded on the node; `None` for a node it never managed.
    pub recorded_identity: Option<(String, String)>,
    /// When Ironic finished the inspection whose inventory `hardware` comes from.
    pub inspection_finished_at: Option<String>,
    pub provisioning_state: ProvisioningState,
    pub ironic_provision_state: String,
    pub operational_status: OperationalStatus,
    pub error_type: Option<ErrorType>,
    pub error_message: Option<String>,
    /// Ironic's power state; `None` while Ironic has not read it (or could not).
    pub powered_on: Option<bool>,
    pub provisioned_image: Option<ImageSpec>,
    pub externally_provisioned: bool,
    pub hardware: Option<HardwareDetails>,
    pub description: Option<String>,
    /// The node's conductor group; `None` when it has none.
    pub conductor_group: Option<String>,
    /// The agent images the node's driver_info names (`deploy_kernel`, `deploy_ramdisk`,
    /// `deploy_iso`), whoever set them.
    pub deploy_image: DeployImage,
    /// The RAID, BIOS settings and firmware last applied by this engine (recorded in the
    /// node's `extra`); empty when none were.
    pub hardware_settings_applied: super::hardware_settings::HardwareSettings,
    /// The BMC as recorded on the node (address reconstructed from driver_info where the
    /// engine recorded it; the password is never read back), for import.
    pub bmc_address: Option<String>,
    pub bmc_username: Option<String>,
    pub boot_mac_address: Option<String>,
    /// Read from the node's capabilities; `None` when it has none.
    pub boot_mode: Option<BootMode>,
    pub automated_cleaning_mode: AutomatedCleaningMode,
    /// Read from the node's inspect interface; `None` when unknown.
    pub inspection_mode: Option<InspectionMode>,
    /// Ironic's maintenance reason (`""` when none was given) while the node is in
    /// maintenance; `None` otherwise.
    pub maintenance_reason: Option<String>,
    /// The power state as a value of `online`, when the node is at rest where the engine keeps
    /// power as the spec asks (`available`, `active`); `None` while anything moves.
    pub online: Option<bool>,
    /// The root device hints Ironic holds (`properties.root_device`), in the spec's terms.
    pub root_device_hints: Option<RootDeviceHints>,
    /// The node's driver settings, to tell whether they still match a BMC address.
    pub bmc: crate::bmc::ObservedBmc,
}

/// What a caller knew of a host before an operation (e.g. Terraform's state), so that a host
/// whose node Ironic lost (database lost, node deleted outside the engine) is registered again
/// as what it was instead of being treated as new.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KnownHost {
    /// The Ironic node UUID the host had.
    pub id: String,
    /// The host was deployed (by this engine) or adopted: it is re-registered by adoption,
    /// without inspection, cleaning or deployment.
    pub provisioned: bool,
    pub externally_provisioned: bool,
    /// What the disk runs, recorded on the re-adopted node (`None`: unknown or nothing).
    pub provisioned_image: Option<ImageSpec>,
    /// The caller keeps the host's hardware details: a re-registered host is not inspected
    /// again.
    pub hardware_known: bool,
    /// The maintenance the caller saw on the node and announced ending (its reason, `""` for
    /// none). Only that maintenance is ended; any other (an operator's, set since) stops the
    /// operation: see [`crate::lifecycle::plan::may_end_maintenance`].
    pub maintenance_to_end: Option<String>,
}

impl KnownHost {
    /// A host known by its node UUID only.
    pub fn new(id: impl Into<String>) -> Self {
        KnownHost {
            id: id.into(),
            ..KnownHost::default()
        }
    }
}

impl Vocabulary for BootMode {
    const ALL: &'static [Self] = &[BootMode::Uefi, BootMode::UefiSecureBoot, BootMode::Legacy];
    fn name(self) -> &'static str {
        self.as_str()
    }
}

impl Vocabulary for ChecksumType {
    const ALL: &'static [Self] = &[
        ChecksumType::Md5,
        ChecksumType::Sha256,
        ChecksumType::Sha512,
    ];
    fn name(self) -> &'static str {
        self.as_str()
    }
}

impl Vocabulary for DiskFormat {
    const ALL: &'static [Self] = &[
        DiskFormat::Raw,
        DiskFormat::Qcow2,
        DiskFormat::Vdi,
        DiskFormat::Vmdk,
        DiskFormat::LiveIso,
    ];
    fn name(self) -> &'static str {
        self.as_str()
    }
}

impl Vocabulary for AutomatedCleaningMode {
    const ALL: &'static [Self] = &[
        AutomatedCleaningMode::Metadata,
        AutomatedCleaningMode::Disabled,
    ];
    fn name(self) -> &'static str {
        self.as_str()
    }
}

impl Vocabulary for InspectionMode {
    const ALL: &'static [Self] = &[InspectionMode::Agent, InspectionMode::Disabled];
    fn name(self) -> &'static str {
        self.as_str()
    }
}

/// The states a host is reported in, in lifecycle order (`None`, an unknown Ironic state, is
/// not one of them).
impl Vocabulary for ProvisioningState {
    const ALL: &'static [Self] = &[
        ProvisioningState::Registering,
        ProvisioningState::Inspecting,
        ProvisioningState::Preparing,
        ProvisioningState::Available,
        ProvisioningState::Provisioning,
        ProvisioningState::Provisioned,
        ProvisioningState::Deprovisioning,
        ProvisioningState::ExternallyProvisioned,
    ];
    fn name(self) -> &'static str {
        self.as_str()
    }
}

impl Vocabulary for OperationalStatus {
    const ALL: &'static [Self] = &[
        OperationalStatus::Ok,
        OperationalStatus::Error,
        OperationalStatus::Detached,
    ];
    fn name(self) -> &'static str {
        self.as_str()
    }
}

impl Vocabulary for ErrorType {
    const ALL: &'static [Self] = &[
        ErrorType::Registration,
        ErrorType::Inspection,
        ErrorType::Preparation,
        ErrorType::Provisioning,
        ErrorType::ProvisionedRegistration,
        ErrorType::PowerManagement,
        ErrorType::Servicing,
    ];
    fn name(self) -> &'static str {
        self.as_str()
    }
}

/// Smallest and largest poll interval a wait accepts: short enough to notice transitions
/// promptly, long enough not to hammer Ironic with thousands of hosts.
pub const MIN_POLL_INTERVAL: Duration = Duration::from_millis(100);
pub const MAX_POLL_INTERVAL: Duration = Duration::from_secs(10);
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(1);

/// The farthest deadline an operation gets: ten years, beyond any sane time limit and well
/// within what the monotonic clock can add.
pub const FARTHEST_DEADLINE: Duration = Duration::from_secs(10 * 365 * 24 * 3600);

/// Bounds of one operation: when it must give up and how it is cancelled.
#[derive(Debug, Clone)]
pub struct OpContext {
    pub deadline: Instant,
    /// The time limit the deadline was set from, for messages.
    pub limit: Duration,
    pub cancel: CancellationToken,
    poll_interval: Duration,
}

impl OpContext {
    /// A limit too far ahead for the clock (only a bug upstream can ask for one: callers check
    /// time limits at validate) is cut to [`FARTHEST_DEADLINE`] rather than panicking.
    pub fn new(timeout: Duration, cancel: CancellationToken) -> Self {
        let now = Instant::now();
        let timeout = timeout.min(FARTHEST_DEADLINE);
        OpContext {
            deadline: now
                .checked_add(timeout)
                .or_else(|| now.checked_add(Duration::from_secs(3600)))
                .unwrap_or(now),
            limit: timeout,
            cancel,
            poll_interval: DEFAULT_POLL_INTERVAL,
        }
    }

    /// A context with its own (never fired) cancellation token.
    pub fn with_timeout(timeout: Duration) -> Self {
        OpContext::new(timeout, CancellationToken::new())
    }

    /// Sets the poll interval, clamped to [`MIN_POLL_INTERVAL`, `MAX_POLL_INTERVAL`].
    pub fn with_poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = interval.clamp(MIN_POLL_INTERVAL, MAX_POLL_INTERVAL);
        self
    }

    pub fn poll_interval(&self) -> Duration {
        self.poll_interval
    }

    pub fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_names_round_trip() {
        assert_eq!(node_name("metal3", "h1"), "metal3~h1");
        assert_eq!(split_node_name("metal3~h1"), Some(("metal3", "h1")));
        assert_eq!(split_node_name("plain"), None);
        assert_eq!(split_node_name("~h1"), None);
    }

    #[test]
    fn root_device_hints_use_ironic_keys_and_operators() {
        let hints = RootDeviceHints {
            device_name: Some("/dev/sda".into()),
            serial_number: Some("S1".into()),
            vendor: Some("ATA".into()),
            min_size_gigabytes: Some(20),
            rotational: Some(false),
            ..Default::default()
        };
        let ironic = serde_json::Value::Object(hints.to_ironic());
        assert_eq!(
            ironic,
            serde_json::json!({"name": "s== /dev/sda", "vendor": "<in> ATA", "serial": "s== S1", "size": ">= 20", "rotational": false})
        );
    }

    #[test]
    fn checksum_type_is_guessed_from_length() {
        let image = |checksum: &str| ImageSpec {
            url: "http://x/i.qcow2".into(),
            checksum: Some(checksum.into()),
            checksum_type: None,
            disk_format: None,
        };
        assert_eq!(
            image(&"a".repeat(32)).effective_checksum_type(),
            Some(ChecksumType::Md5)
        );
        assert_eq!(
            image(&"a".repeat(64)).effective_checksum_type(),
            Some(ChecksumType::Sha256)
        );
        assert_eq!(
            image(&"a".repeat(128)).effective_checksum_type(),
            Some(ChecksumType::Sha512)
        );
        assert_eq!(
            image("http://x/SHA256SUMS").effective_checksum_type(),
            Some(ChecksumType::Sha256)
        );
        let mut none = image("");
        none.checksum = None;
        assert_eq!(none.effective_checksum_type(), None);
    }

    #[test]
    fn boot_mode_capabilities() {
        assert_eq!(BootMode::Uefi.capabilities(), "boot_mode:uefi");
        assert_eq!(BootMode::Legacy.capabilities(), "boot_mode:bios");
        assert_eq!(
            BootMode::UefiSecureBoot.capabilities(),
            "boot_mode:uefi,secure_boot:true"
        );
        assert_eq!(
            BootMode::parse("UEFISecureBoot"),
            Some(BootMode::UefiSecureBoot)
        );
        assert_eq!(BootMode::parse("uefi"), None);
    }

    #[test]
    fn a_huge_time_limit_is_cut_not_a_panic() {
        let huge = OpContext::with_timeout(Duration::MAX);
        assert_eq!(huge.limit, FARTHEST_DEADLINE);
        assert!(huge.remaining() > Duration::from_secs(9 * 365 * 24 * 3600));
    }

    #[test]
    fn poll_interval_is_bounded() {
        let ctx = OpContext::with_timeout(Duration::from_secs(5))
            .with_poll_interval(Duration::from_millis(1));
        assert_eq!(ctx.poll_interval(), MIN_POLL_INTERVAL);
        let ctx = ctx.with_poll_interval(Duration::from_secs(3600));
        assert_eq!(ctx.poll_interval(), MAX_POLL_INTERVAL);
    }
}
