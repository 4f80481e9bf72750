//! Validation of `metal3_baremetal_host` configuration: every rejected input names its
//! attribute and says what is allowed. Unknown values are never errors: checks that need them
//! are skipped until they are known (Terraform validates again at apply time).

use metal3_core::bmc::{self, BmcCredentials};
use metal3_core::Secret;

use super::config::{
    check_image_url, BmcConfig, CustomDeploy, Field, HostConfig, ImageConfig, RootDeviceHints,
    SecretText, Timeouts,
};
use crate::codec::AttributePath;
use crate::diagnostics::Diagnostic;
use crate::duration::{parse_duration, MAX_TIME_LIMIT, MAX_TIME_LIMIT_TEXT};
use crate::host::doc_text::code_list;
use crate::host::names::{check_name, check_namespace};
use metal3_core::lifecycle::{
    AutomatedCleaningMode, BootMode, ChecksumType, DiskFormat, InspectionMode,
};
use metal3_core::Vocabulary;

fn invalid(steps: &[&str], summary: &str, detail: impl Into<String>) -> Diagnostic {
    Diagnostic::error(summary, detail).at(AttributePath::attributes(steps))
}

/// All diagnostics for a resource configuration.
pub fn validate_config(config: &crate::codec::Value) -> Vec<Diagnostic> {
    match HostConfig::from_value(config) {
        Ok(host) => validate_host(&host),
        Err(errors) => errors,
    }
}

/// All diagnostics for an already-typed configuration.
pub fn validate_host(host: &HostConfig) -> Vec<Diagnostic> {
    check_host(host, true)
}

/// The resource's rules on a host's arguments, except those on the BMC credentials: for a
/// BareMetalHost written by `baremetalhost_manifest`, which refers to them in a Secret.
pub(crate) fn validate_arguments(host: &HostConfig) -> Vec<Diagnostic> {
    check_host(host, false)
}

fn check_host(host: &HostConfig, credentials: bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(name) = host.name.known() {
        if let Err(why) = check_name(name) {
            out.push(invalid(
                &[HostConfig::NAMES.name],
                "Invalid host name",
                format!("`name` {why}."),
            ));
        }
    }
    if let Some(namespace) = host.namespace.known() {
        if let Err(why) = check_namespace(namespace) {
            out.push(invalid(
                &[HostConfig::NAMES.namespace],
                "Invalid namespace",
                format!("`namespace` {why}."),
            ));
        }
    }
    one_of(
        &mut out,
        &[HostConfig::NAMES.boot_mode],
        "boot mode",
        &host.boot_mode,
        &BootMode::names(),
    );
    one_of(
        &mut out,
        &[HostConfig::NAMES.automated_cleaning_mode],
        "automated cleaning mode",
        &host.automated_cleaning_mode,
        &AutomatedCleaningMode::names(),
    );
    one_of(
        &mut out,
        &[HostConfig::NAMES.inspection_mode],
        "inspection mode",
        &host.inspection_mode,
        &InspectionMode::names(),
    );
    if let Some(mac) = host.boot_mac_address.known() {
        if !is_mac(mac) {
            let hint = if is_mac(&mac.replace('-', ":")) {
                format!(
                    " Write it with colons: `{}`.",
                    mac.replace('-', ":").to_ascii_lowercase()
                )
            } else {
                String::new()
            };
            out.push(invalid(
                &[HostConfig::NAMES.boot_mac_address],
                "Invalid MAC address",
                format!(
                    "`boot_mac_address` \"{mac}\" is not a MAC address as Ironic takes it: six \
                     pairs of hex digits separated by `:`, e.g. `aa:bb:cc:dd:ee:ff`.{hint}"
                ),
            ));
        }
    }
    validate_limits(&mut out, host);
    if let Some(bmc) = host.bmc.known() {
        validate_bmc(&mut out, bmc, credentials);
        boot_mac_required(&mut out, host, bmc);
    }
    if let Some(image) = host.image.known() {
        // An adopted host's image only records what is installed: nothing is written or
        // verified, so it may lack the checksum an import cannot read back.
        let record_only = host.externally_provisioned.known() == Some(&true);
        validate_image(&mut out, image, record_only);
    }
    if let Some(custom) = host.custom_deploy.known() {
        if custom
            .method
            .as_deref()
            .is_some_and(|m| m.trim().is_empty())
        {
            out.push(invalid(
                &[HostConfig::NAMES.custom_deploy, CustomDeploy::NAMES.method],
                "Empty custom deploy method",
                "`custom_deploy.method` must name the agent's deploy step, e.g. \
                 `install_coreos`.",
            ));
        }
    }
    if let Some(hints) = host.root_device_hints.known() {
        validate_hints(&mut out, hints);
    }
    json_object(&mut out, HostConfig::NAMES.network_data, &host.network_data);
    json_object(&mut out, HostConfig::NAMES.meta_data, &host.meta_data);
    if let Some(timeouts) = host.timeouts.as_ref() {
        validate_timeouts(&mut out, timeouts);
    }
    out
}

fn one_of(
    out: &mut Vec<Diagnostic>,
    steps: &[&str],
    what: &str,
    field: &Field<String>,
    allowed: &[&str],
) {
    if let Some(value) = field.known() {
        if !allowed.contains(&value.as_str()) {
            out.push(invalid(
                steps,
                &format!("Invalid {what}"),
                format!(
                    "`{}` is \"{value}\"; it must be one of {}.",
                    AttributePath::attributes(steps),
                    code_list(allowed)
                ),
            ));
        }
    }
}

/// `aa:bb:cc:dd:ee:ff`, any case (Ironic refuses other separators).
pub fn is_mac(text: &str) -> bool {
    let parts: Vec<&str> = text.split(':').collect();
    parts.len() == 6
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Ironic's own limits, checked before anything is sent: a node name of 255 characters, a
/// description of 4096, and a provision request (which carries the config drive) of
/// `[api] max_json_body_size_provision`, 64 MiB by default.
pub const MAX_NODE_NAME: usize = 255;
pub const MAX_DESCRIPTION: usize = 4096;
pub use super::config::MAX_CONDUCTOR_GROUP;
pub const MAX_PROVISION_BODY: usize = 64 * 1024 * 1024;

fn validate_limits(out: &mut Vec<Diagnostic>, host: &HostConfig) {
    // Without `namespace` the provider's applies, which the plan knows (see `node_name_limit`).
    if let (Some(name), Some(namespace)) = (host.name.known(), host.namespace.known()) {
        out.extend(node_name_limit(namespace, name));
    }
    if let Some(description) = host.description.known() {
        let length = description.chars().count();
        if length > MAX_DESCRIPTION {
            out.push(invalid(
                &[HostConfig::NAMES.description],
                "Description too long",
                format!(
                    "`description` has {length} characters; Ironic allows at most \
                     {MAX_DESCRIPTION}."
                ),
            ));
        }
    }
    if let Some(group) = host.conductor_group.known() {
        out.extend(conductor_group_problem(group).map(|problem| {
            invalid(
                &[HostConfig::NAMES.conductor_group],
                "Invalid conductor group",
                problem,
            )
        }));
    }
    // Unset counts as empty; unknown leaves the total to the next validation.
    let size = |known: Option<usize>, unknown: bool| {
        if unknown {
            None
        } else {
            Some(known.unwrap_or(0))
        }
    };
    let sizes = [
        size(
            host.user_data.known().map(|s| json_size(s.expose())),
            host.user_data.is_unknown(),
        ),
        size(
            host.network_data.known().map(String::len),
            host.network_data.is_unknown(),
        ),
        size(
            host.meta_data.known().map(String::len),
            host.meta_data.is_unknown(),
        ),
    ];
    if sizes.iter().all(Option::is_some) {
        let total = sizes
            .iter()
            .flatten()
            .fold(0usize, |sum, size| sum.saturating_add(*size));
        // The rest of the request (meta_data Ironic adds, deploy steps) is well under 1 KiB.
        if total.saturating_add(1024) > MAX_PROVISION_BODY {
            let names = HostConfig::NAMES;
            let attribute = if json_size_of(&host.user_data) >= total / 2 {
                names.user_data
            } else if host.network_data.known().map_or(0, String::len) >= total / 2 {
                names.network_data
            } else {
                names.meta_data
            };
            out.push(invalid(
                &[attribute],
                "Config drive too large",
                format!(
                    "`user_data`, `network_data` and `meta_data` together take {} MiB in the \
                     request that deploys the host; Ironic accepts at most {} MiB (its `[api] \
                     max_json_body_size_provision`, 64 MiB by default). Put large content on an \
                     HTTP server and fetch it from the user data instead.",
                    total / (1024 * 1024),
                    MAX_PROVISION_BODY / (1024 * 1024)
                ),
            ));
        }
    }
}

/// The Ironic node name `<namespace>~<name>` must fit Ironic's 255 characters.
pub fn node_name_limit(namespace: &str, name: &str) -> Option<Diagnostic> {
    let length = namespace
        .chars()
        .count()
        .saturating_add(1)
        .saturating_add(name.chars().count());
    (length > MAX_NODE_NAME).then(|| {
        invalid(
            &[HostConfig::NAMES.name],
            "Host name too long",
            format!(
                "the Ironic node name `<namespace>~<name>` would be {length} characters; Ironic \
                 allows at most {MAX_NODE_NAME}. Shorten `name` (or `namespace`)."
            ),
        )
    })
}

fn json_size_of(field: &Field<SecretText>) -> usize {
    field.known().map_or(0, |s| json_size(s.expose()))
}

/// Bytes of `text` as a JSON string (escapes included).
fn json_size(text: &str) -> usize {
    serde_json::to_string(text).map_or(text.len(), |s| s.len())
}

fn validate_bmc(out: &mut Vec<Diagnostic>, bmc: &BmcConfig, credentials: bool) {
    let mut is_fake = false;
    if let Some(address) = bmc.address.known() {
        match bmc::parse_address(address) {
            Ok(parsed) => {
                is_fake = parsed.scheme == "fake";
                if parsed.transport.as_deref() == Some("http") {
                    out.push(
                        Diagnostic::warning(
                            "BMC credentials sent unencrypted",
                            format!(
                                "The `{}+http` scheme talks to the BMC over plain HTTP, so the \
                                 BMC password crosses the network in clear text. Use `{}` \
                                 (HTTPS) unless this is a lab network.",
                                parsed.scheme, parsed.scheme
                            ),
                        )
                        .at(AttributePath::attributes(&[
                            HostConfig::NAMES.bmc,
                            BmcConfig::NAMES.address,
                        ])),
                    );
                }
            }
            Err(error) => out.push(invalid(
                &[HostConfig::NAMES.bmc, BmcConfig::NAMES.address],
                "Invalid BMC address",
                error.to_string(),
            )),
        }
        // What only the driver settings check (e.g. an IPMI privilege level in the query).
        let placeholder = BmcCredentials {
            username: "validation".into(),
            password: Secret::new("validation"),
        };
        let parses = bmc::parse_address(address).is_ok();
        if let (true, Err(error)) = (parses, bmc::driver_settings(address, &placeholder, false)) {
            out.push(invalid(
                &[HostConfig::NAMES.bmc, BmcConfig::NAMES.address],
                "Invalid BMC address",
                error.to_string(),
            ));
        }
    }
    if credentials {
        validate_credentials(out, bmc, is_fake);
    }
    if bmc.disable_certificate_verification.known() == Some(&true) {
        out.push(
            Diagnostic::warning(
                "BMC certificate verification disabled",
                "With `disable_certificate_verification = true` Ironic does not check the BMC's \
                 TLS certificate, so anyone on the path can impersonate the BMC and read its \
                 credentials.",
            )
            .at(AttributePath::attributes(&[
                HostConfig::NAMES.bmc,
                BmcConfig::NAMES.disable_certificate_verification,
            ])),
        );
    }
}

fn validate_credentials(out: &mut Vec<Diagnostic>, bmc: &BmcConfig, is_fake: bool) {
    if !is_fake && bmc.username.as_deref().is_some_and(str::is_empty) {
        out.push(invalid(
            &[HostConfig::NAMES.bmc, BmcConfig::NAMES.username],
            "Empty BMC username",
            "`bmc.username` must not be empty: the BMC needs credentials.",
        ));
    }
    for (name, field) in [
        (BmcConfig::NAMES.password, &bmc.password),
        (BmcConfig::NAMES.password_wo, &bmc.password_wo),
    ] {
        if !is_fake && field.known().is_some_and(|p| p.expose().is_empty()) {
            out.push(invalid(
                &[HostConfig::NAMES.bmc, name],
                "Empty BMC password",
                format!("`bmc.{name}` is empty: the BMC needs its password."),
            ));
        }
    }
    // Exactly one password: checks need both fields known (unknown may turn out null).
    match (&bmc.password, &bmc.password_wo) {
        (Field::Null, Field::Null) => out.push(invalid(
            &[HostConfig::NAMES.bmc],
            "Missing BMC password",
            "Set exactly one of `bmc.password` and `bmc.password_wo` (write-only, Terraform >= \
             1.11).",
        )),
        (Field::Known(_), Field::Known(_)) => out.push(invalid(
            &[HostConfig::NAMES.bmc, BmcConfig::NAMES.password_wo],
            "Conflicting BMC passwords",
            "`bmc.password` and `bmc.password_wo` are both set; set exactly one of them.",
        )),
        _ => {}
    }
    match (&bmc.password_wo, &bmc.password_wo_version) {
        (Field::Null, Field::Known(_)) => out.push(invalid(
            &[HostConfig::NAMES.bmc, BmcConfig::NAMES.password_wo_version],
            "`password_wo_version` without `password_wo`",
            "`bmc.password_wo_version` only applies to `bmc.password_wo`; remove it or set \
             `bmc.password_wo`.",
        )),
        (Field::Known(_), Field::Null) => out.push(invalid(
            &[HostConfig::NAMES.bmc, BmcConfig::NAMES.password_wo_version],
            "Missing `password_wo_version`",
            "`bmc.password_wo` needs `bmc.password_wo_version` (e.g. `1`): write-only values \
             are not stored, so the version is what tells the provider to rotate the password.",
        )),
        _ => {}
    }
}

/// Network-booting drivers need a boot port, hence `boot_mac_address`.
fn boot_mac_required(out: &mut Vec<Diagnostic>, host: &HostConfig, bmc: &BmcConfig) {
    if !host.boot_mac_address.is_null() {
        return;
    }
    let (Some(address), Some(inspection)) = (
        bmc.address.known(),
        match &host.inspection_mode {
            Field::Known(mode) => Some(mode.as_str()),
            Field::Null => Some(InspectionMode::default().name()),
            Field::Unknown => None,
        },
    ) else {
        return;
    };
    // Placeholder credentials: only the driver's shape matters here, never the secret.
    let credentials = BmcCredentials {
        username: "validation".into(),
        password: Secret::new("validation"),
    };
    let Ok(settings) = bmc::driver_settings(address, &credentials, false) else {
        return; // the address error is reported already
    };
    let mut settings = settings.with_inspection(inspection == "agent");
    let live_iso = host
        .image
        .known()
        .and_then(|image| image.disk_format.as_deref())
        == Some(DiskFormat::LiveIso.name());
    let inspection_needs_it = settings.needs_boot_mac;
    if live_iso {
        settings = settings.with_deploy_mode(bmc::DeployMode::LiveIso);
    }
    if settings.needs_boot_mac {
        let scheme = bmc::parse_address(address)
            .map(|a| a.scheme)
            .unwrap_or_default();
        let why = if scheme == "fake" && !inspection_needs_it {
            "`fake` hosts boot a live ISO (`disk_format = \"live-iso\"`) with iPXE, from the \
             network"
                .to_string()
        } else if scheme == "fake" {
            "`fake` hosts network-boot the inspection agent when `inspection_mode = \"agent\"`"
                .to_string()
        } else {
            format!("the `{scheme}` scheme boots the host from the network (iPXE)")
        };
        out.push(invalid(
            &[HostConfig::NAMES.boot_mac_address],
            "Missing boot MAC address",
            format!(
                "`boot_mac_address` is required: {why}, so Ironic needs the MAC of the NIC the \
                 host boots from. Virtual-media schemes (e.g. `redfish-virtualmedia`) do not \
                 need it."
            ),
        ));
    }
}

fn validate_image(out: &mut Vec<Diagnostic>, image: &ImageConfig, record_only: bool) {
    if let Some(url) = image.url.known() {
        if let Err(why) = check_image_url(url) {
            out.push(invalid(
                &[HostConfig::NAMES.image, ImageConfig::NAMES.url],
                "Invalid image URL",
                why,
            ));
        }
    }
    one_of(
        out,
        &[HostConfig::NAMES.image, ImageConfig::NAMES.checksum_type],
        "checksum type",
        &image.checksum_type,
        &ChecksumType::names(),
    );
    one_of(
        out,
        &[HostConfig::NAMES.image, ImageConfig::NAMES.disk_format],
        "disk format",
        &image.disk_format,
        &DiskFormat::names(),
    );
    let live_iso = match &image.disk_format {
        Field::Known(format) => Some(format == DiskFormat::LiveIso.name()),
        Field::Null => Some(false),
        Field::Unknown => None,
    };
    match (live_iso, &image.checksum) {
        (Some(true), Field::Known(_)) => out.push(invalid(
            &[HostConfig::NAMES.image, ImageConfig::NAMES.checksum],
            "Checksum not allowed for a live ISO",
            "`image.checksum` must be unset when `image.disk_format = \"live-iso\"`: the ISO is \
             booted, not written to disk, and Ironic does not verify it.",
        )),
        (Some(false), Field::Null) if !record_only => out.push(invalid(
            &[HostConfig::NAMES.image, ImageConfig::NAMES.checksum],
            "Missing image checksum",
            "`image.checksum` is required (a checksum, or the URL of a checksum file) unless \
             `image.disk_format = \"live-iso\"` or the host is `externally_provisioned` (its \
             image is then only a record).",
        )),
        _ => {}
    }
    if live_iso == Some(true) && image.checksum_type.known().is_some() {
        out.push(invalid(
            &[HostConfig::NAMES.image, ImageConfig::NAMES.checksum_type],
            "Checksum type not allowed for a live ISO",
            "`image.checksum_type` must be unset when `image.disk_format = \"live-iso\"`.",
        ));
    }
    if let (Some(kind), Some(checksum)) = (image.checksum_type.known(), image.checksum.known()) {
        let expected = match kind.as_str() {
            "md5" => Some(32),
            "sha256" => Some(64),
            "sha512" => Some(128),
            _ => None,
        };
        let is_hex = !checksum.is_empty() && checksum.bytes().all(|b| b.is_ascii_hexdigit());
        if let (Some(len), true) = (expected, is_hex) {
            if checksum.len() != len {
                out.push(invalid(
                    &[HostConfig::NAMES.image, ImageConfig::NAMES.checksum],
                    "Checksum does not match its type",
                    format!(
                        "`image.checksum` has {} hex digits but a {kind} checksum has {len}; fix \
                         the checksum or `image.checksum_type` (or leave the type unset to \
                         detect it).",
                        checksum.len()
                    ),
                ));
            }
        }
    }
}

fn validate_hints(out: &mut Vec<Diagnostic>, hints: &RootDeviceHints) {
    let fields_null = [
        hints.device_name.is_null(),
        hints.hctl.is_null(),
        hints.model.is_null(),
        hints.vendor.is_null(),
        hints.serial_number.is_null(),
        hints.min_size_gigabytes.is_null(),
        hints.wwn.is_null(),
        hints.wwn_with_extension.is_null(),
        hints.wwn_vendor_extension.is_null(),
        hints.rotational.is_null(),
    ];
    if fields_null.iter().all(|null| *null) {
        out.push(invalid(
            &[HostConfig::NAMES.root_device_hints],
            "No root device hint",
            "`root_device_hints` sets no hint, so Ironic would pick the root disk itself (the \
             smallest of at least 4 GiB). Set at least one of `device_name`, `hctl`, `model`, \
             `vendor`, `serial_number`, `min_size_gigabytes`, `wwn`, `wwn_with_extension`, \
             `wwn_vendor_extension`, `rotational`, or remove `root_device_hints`.",
        ));
    }
    if let Some(name) = hints.device_name.known() {
        if !name.starts_with("/dev/") {
            out.push(invalid(
                &[
                    HostConfig::NAMES.root_device_hints,
                    RootDeviceHints::NAMES.device_name,
                ],
                "Invalid device name hint",
                format!(
                    "`root_device_hints.device_name` \"{name}\" must be a Linux device path \
                     starting with `/dev/`, e.g. `/dev/sda` or `/dev/disk/by-path/...`."
                ),
            ));
        }
    }
    if let Some(hctl) = hints.hctl.known() {
        let parts: Vec<&str> = hctl.split(':').collect();
        let ok = parts.len() == 4
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        if !ok {
            out.push(invalid(
                &[
                    HostConfig::NAMES.root_device_hints,
                    RootDeviceHints::NAMES.hctl,
                ],
                "Invalid HCTL hint",
                format!(
                    "`root_device_hints.hctl` \"{hctl}\" must be a SCSI address \
                     `host:channel:target:lun` of four numbers, e.g. `0:0:0:0`."
                ),
            ));
        }
    }
    if let Some(size) = hints.min_size_gigabytes.known() {
        let whole = size.is_integer() && size.as_i64().is_some_and(|n| n >= 0);
        if !whole {
            out.push(invalid(
                &[
                    HostConfig::NAMES.root_device_hints,
                    RootDeviceHints::NAMES.min_size_gigabytes,
                ],
                "Invalid minimum size hint",
                format!(
                    "`root_device_hints.min_size_gigabytes` is {size}; it must be a whole number \
                     of GiB, at least 0."
                ),
            ));
        }
    }
    let strings = [
        (RootDeviceHints::NAMES.model, &hints.model),
        (RootDeviceHints::NAMES.vendor, &hints.vendor),
        (RootDeviceHints::NAMES.serial_number, &hints.serial_number),
        (RootDeviceHints::NAMES.wwn, &hints.wwn),
        (
            RootDeviceHints::NAMES.wwn_with_extension,
            &hints.wwn_with_extension,
        ),
        (
            RootDeviceHints::NAMES.wwn_vendor_extension,
            &hints.wwn_vendor_extension,
        ),
    ];
    for (name, field) in strings {
        if field.as_deref().is_some_and(|v| v.trim().is_empty()) {
            out.push(invalid(
                &[HostConfig::NAMES.root_device_hints, name],
                "Empty root device hint",
                format!(
                    "`root_device_hints.{name}` is empty, which matches no device; remove it \
                     or give a value."
                ),
            ));
        }
    }
}

fn json_object(out: &mut Vec<Diagnostic>, name: &str, field: &Field<String>) {
    let Some(text) = field.known() else { return };
    let is_object = serde_json::from_str::<serde_json::Value>(text)
        .map(|v| v.is_object())
        .unwrap_or(false);
    if !is_object {
        out.push(invalid(
            &[name],
            "Invalid config drive data",
            format!(
                "`{name}` must be a JSON object (e.g. written with `jsonencode({{...}})`); it is \
                 not valid JSON or not an object."
            ),
        ));
    }
}

fn validate_timeouts(out: &mut Vec<Diagnostic>, timeouts: &Timeouts) {
    let fields = [
        (Timeouts::NAMES.create, &timeouts.create),
        (Timeouts::NAMES.read, &timeouts.read),
        (Timeouts::NAMES.update, &timeouts.update),
        (Timeouts::NAMES.delete, &timeouts.delete),
    ];
    for (name, field) in fields {
        let Some(text) = field.known() else { continue };
        match parse_duration(text) {
            Ok(d) if d.is_zero() => out.push(invalid(
                &[HostConfig::NAMES.timeouts, name],
                "Invalid timeout",
                format!("`timeouts.{name}` is zero; give a positive duration such as \"30m\"."),
            )),
            Ok(d) if d > MAX_TIME_LIMIT => out.push(invalid(
                &[HostConfig::NAMES.timeouts, name],
                "Invalid timeout",
                format!(
                    "`timeouts.{name}` is \"{text}\"; a time limit is at most \
                     {MAX_TIME_LIMIT_TEXT}, e.g. \"2h\"."
                ),
            )),
            Ok(_) => {}
            Err(e) => out.push(invalid(
                &[HostConfig::NAMES.timeouts, name],
                "Invalid timeout",
                format!("`timeouts.{name}`: {e}."),
            )),
        }
    }
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;

/// What is wrong with a conductor group name, if anything. Ironic lowercases the name it stores,
/// so an uppercase letter would read back as a change on every plan.
fn conductor_group_problem(group: &str) -> Option<String> {
    let length = group.chars().count();
    if length > MAX_CONDUCTOR_GROUP {
        return Some(format!(
            "`conductor_group` has {length} characters; Ironic allows at most \
             {MAX_CONDUCTOR_GROUP}."
        ));
    }
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
    group.chars().find(|c| !allowed(*c)).map(|c| {
        format!(
            "`conductor_group` {group:?} contains {c:?}; use lowercase letters, digits, `.`, `_` \
             and `-` (e.g. {:?}).",
            group
                .to_ascii_lowercase()
                .replace(|c: char| !allowed(c), "-")
        )
    })
}
