//! Read: the state becomes what Ironic holds. Status attributes are replaced; every argument
//! Ironic stores (power, boot MAC, boot mode, cleaning mode, image, description, BMC address and
//! username, certificate verification, root device hints, externally provisioned) is read back
//! when it differs in meaning from the state, so a change made in Ironic behind Terraform's back
//! shows in the next plan and the next apply corrects it. Values Ironic cannot hold (passwords,
//! user data) and values that only differ in spelling (MAC case, checksum form) keep the state's.
//!
//! Pure: the handler reads the node; nothing here talks to Ironic.

use metal3_core::client::ProvisionState as S;
use metal3_core::lifecycle::{HostStatus, OperationalStatus, RootDeviceHints};
use metal3_core::Vocabulary;

use super::config::{self, BmcConfig, DeployImageConfig, HostConfig, ImageConfig};
use super::convert::root_device_hints_of;
use super::state::host_state;
use crate::codec::{AttributePath, Number, Value};
use crate::host::status::{provisioned_image, provisioned_image_value, StatusView};
use tfplugin::model::Model;

fn get<'a>(value: &'a Value, steps: &[&str]) -> Option<&'a Value> {
    value
        .get_path(&AttributePath::attributes(steps))
        .filter(|v| !v.is_null())
}

fn text<'a>(value: &'a Value, steps: &[&str]) -> Option<&'a str> {
    get(value, steps).and_then(Value::as_str)
}

fn set(value: &mut Value, steps: &[&str], new: Value) {
    match steps {
        [last] => {
            value.set_attr(*last, new);
        }
        [first, rest @ ..] => {
            if let Some(child) = value.get_mut(first).filter(|c| c.as_map().is_some()) {
                set(child, rest, new);
            }
        }
        [] => {}
    }
}

/// The state after a read of a host whose node Ironic has: `prior` with the status replaced
/// and the drifted arguments read back.
pub fn refreshed_state(prior: &Value, status: &HostStatus) -> Value {
    let mut state = keep_hardware(host_state(prior, &StatusView::from(status)), status, prior);
    read_back_node_name(&mut state, status);
    // Only a host at rest has arguments to compare: mid-operation, power, images and cleaning
    // settings move on purpose (and the next apply resumes the operation anyway).
    if !matches!(
        S::parse(&status.ironic_provision_state),
        S::Available | S::Active
    ) {
        return state;
    }
    read_back_power(&mut state, status);
    read_back_node_fields(&mut state, status);
    read_back_bmc(&mut state, status);
    read_back_deployment(&mut state, status);
    state
}

/// The state after a read that found no node: everything as last known, the status saying the
/// node is gone (`operational_status = "detached"`, no Ironic state). Nothing is re-registered
/// here: a read never changes Ironic; the plan shows what the next apply does.
pub fn missing_node_state(prior: &Value) -> Value {
    let mut state = prior.clone();
    state.set_attr(StatusView::NAMES.ironic_provision_state, Value::Null);
    state.set_attr(
        StatusView::NAMES.operational_status,
        OperationalStatus::Detached.name(),
    );
    state.set_attr(StatusView::NAMES.error_type, Value::Null);
    state.set_attr(StatusView::NAMES.error_message, Value::Null);
    state.set_attr(StatusView::NAMES.maintenance_reason, Value::Null);
    state
}

/// Whether a (refreshed) state says Ironic has no node for the host.
pub fn node_missing(state: &Value) -> bool {
    text(state, &[StatusView::NAMES.operational_status]) == Some(OperationalStatus::Detached.name())
        && get(state, &[StatusView::NAMES.ironic_provision_state]).is_none()
        && text(state, &[HostConfig::NAMES.id]).is_some()
}

/// Ironic has no inventory for adopted (re-registered or imported) nodes; like a
/// BareMetalHost's status, the hardware details last reported are kept rather than erased.
pub fn keep_hardware(mut state: Value, status: &HostStatus, earlier: &Value) -> Value {
    let earlier_hw = earlier
        .get(StatusView::NAMES.hardware)
        .filter(|hw| hw.is_known() && !hw.is_null());
    if let (None, Some(hw)) = (&status.hardware, earlier_hw) {
        state.set_attr(StatusView::NAMES.hardware, hw.clone());
    }
    state
}

/// A node renamed in Ironic (found by its UUID): the state says what Ironic calls it.
fn read_back_node_name(state: &mut Value, status: &HostStatus) {
    let (Some(namespace), Some(name)) = (
        text(state, &[HostConfig::NAMES.namespace]),
        text(state, &[HostConfig::NAMES.name]),
    ) else {
        return;
    };
    let held = status.name.clone().unwrap_or_default();
    if held == format!("{namespace}~{name}") {
        return;
    }
    let (held_namespace, held_name) = match held.split_once('~') {
        Some((ns, n)) if !ns.is_empty() && !n.is_empty() => (ns.to_owned(), n.to_owned()),
        _ => (namespace.to_owned(), held),
    };
    set(state, &[HostConfig::NAMES.namespace], held_namespace.into());
    set(state, &[HostConfig::NAMES.name], held_name.into());
}

fn read_back_power(state: &mut Value, status: &HostStatus) {
    if let Some(on) = status.online {
        if get(state, &[HostConfig::NAMES.online]).and_then(Value::as_bool) != Some(on) {
            set(state, &[HostConfig::NAMES.online], on.into());
        }
    }
}

fn read_back_node_fields(state: &mut Value, status: &HostStatus) {
    // A MAC the user left unset stays unset (inspection may create ports); a set one follows
    // the node's boot port.
    if let Some(mac) = text(state, &[HostConfig::NAMES.boot_mac_address]) {
        let held = status.boot_mac_address.as_deref();
        if held.map(str::to_ascii_lowercase) != Some(mac.to_ascii_lowercase()) {
            set(
                state,
                &[HostConfig::NAMES.boot_mac_address],
                held.map(str::to_owned).into(),
            );
        }
    }
    if let Some(mode) = status.boot_mode {
        if text(state, &[HostConfig::NAMES.boot_mode]) != Some(mode.as_str()) {
            set(state, &[HostConfig::NAMES.boot_mode], mode.as_str().into());
        }
    }
    let cleaning = status.automated_cleaning_mode.as_str();
    if text(state, &[HostConfig::NAMES.automated_cleaning_mode]) != Some(cleaning) {
        set(
            state,
            &[HostConfig::NAMES.automated_cleaning_mode],
            cleaning.into(),
        );
    }
    let description = text(state, &[HostConfig::NAMES.description]).filter(|d| !d.is_empty());
    if description != status.description.as_deref() {
        set(
            state,
            &[HostConfig::NAMES.description],
            status.description.clone().into(),
        );
    }
    let group = text(state, &[HostConfig::NAMES.conductor_group]).filter(|g| !g.is_empty());
    if group != status.conductor_group.as_deref() {
        set(
            state,
            &[HostConfig::NAMES.conductor_group],
            status.conductor_group.clone().into(),
        );
    }
    // A host's own agent is read back as Ironic names it; without one, the images are the
    // provider's, which are not the host's arguments.
    if get(state, &[HostConfig::NAMES.deploy_image]).is_some_and(|own| !own.is_null()) {
        let held = &status.deploy_image;
        let value = DeployImageConfig {
            kernel_url: held.kernel_url.clone().into(),
            ramdisk_url: held.ramdisk_url.clone().into(),
            iso_url: held.iso_url.clone().into(),
        }
        .encode();
        set(state, &[HostConfig::NAMES.deploy_image], value);
    }
    let wanted_hints = get(state, &[HostConfig::NAMES.root_device_hints])
        .and_then(root_device_hints_of)
        .map(|hints| hints.to_ironic())
        .filter(|hints| !hints.is_empty());
    let held_hints = status
        .root_device_hints
        .as_ref()
        .map(RootDeviceHints::to_ironic)
        .filter(|hints| !hints.is_empty());
    if wanted_hints != held_hints {
        let value = status
            .root_device_hints
            .as_ref()
            .map(root_device_hints_value)
            .unwrap_or(Value::Null);
        set(state, &[HostConfig::NAMES.root_device_hints], value);
    }
}

fn read_back_bmc(state: &mut Value, status: &HostStatus) {
    if let Some(held) = status.bmc_username.as_deref() {
        if text(state, &[HostConfig::NAMES.bmc, BmcConfig::NAMES.username]) != Some(held) {
            set(
                state,
                &[HostConfig::NAMES.bmc, BmcConfig::NAMES.username],
                held.into(),
            );
        }
    }
    let Some(address) =
        text(state, &[HostConfig::NAMES.bmc, BmcConfig::NAMES.address]).map(str::to_owned)
    else {
        return;
    };
    if status.bmc.is_fake() {
        // Fake hardware keeps no address in driver_info: the engine's record is all there is,
        // and a change made to it in Ironic is drift like any other (apply puts it back).
        if let Some(recorded) = status.bmc_address.as_deref() {
            if recorded != address {
                set(
                    state,
                    &[HostConfig::NAMES.bmc, BmcConfig::NAMES.address],
                    recorded.into(),
                );
            }
        }
        return;
    }
    let disabled = get(
        state,
        &[
            HostConfig::NAMES.bmc,
            BmcConfig::NAMES.disable_certificate_verification,
        ],
    )
    .and_then(Value::as_bool)
    .unwrap_or(false);
    if status.bmc.matches(&address, disabled) {
        return;
    }
    if status.bmc.matches(&address, !disabled) {
        set(
            state,
            &[
                HostConfig::NAMES.bmc,
                BmcConfig::NAMES.disable_certificate_verification,
            ],
            (!disabled).into(),
        );
    } else if let Some(rebuilt) = &status.bmc.rebuilt_address {
        set(
            state,
            &[HostConfig::NAMES.bmc, BmcConfig::NAMES.address],
            rebuilt.as_str().into(),
        );
    }
}

/// Image and custom deploy: an `available` host has none (whatever the state says); an
/// `active` host this provider deployed runs what Ironic says it runs. An externally
/// provisioned host's image is bookkeeping and stays as configured.
fn read_back_deployment(state: &mut Value, status: &HostStatus) {
    let recorded_externally = status.externally_provisioned;
    let ironic_state = S::parse(&status.ironic_provision_state);
    let state_externally =
        get(state, &[HostConfig::NAMES.externally_provisioned]).and_then(Value::as_bool);
    if ironic_state == S::Active && state_externally != Some(recorded_externally) {
        set(
            state,
            &[HostConfig::NAMES.externally_provisioned],
            recorded_externally.into(),
        );
    }
    if recorded_externally {
        return;
    }
    match ironic_state {
        S::Available => {
            set(state, &[HostConfig::NAMES.image], Value::Null);
            set(state, &[HostConfig::NAMES.custom_deploy], Value::Null);
        }
        S::Active => {
            let Some(running) = status.provisioned_image.as_ref() else {
                return;
            };
            let deploys_image = get(state, &[HostConfig::NAMES.image]).is_some();
            let custom = get(state, &[HostConfig::NAMES.custom_deploy]).is_some();
            if text(state, &[HostConfig::NAMES.image, ImageConfig::NAMES.url])
                != Some(running.url.as_str())
                && (deploys_image || !custom)
            {
                set(
                    state,
                    &[HostConfig::NAMES.image],
                    provisioned_image_value(&provisioned_image(running)),
                );
            }
        }
        _ => {}
    }
}

fn root_device_hints_value(hints: &RootDeviceHints) -> Value {
    config::RootDeviceHints {
        device_name: hints.device_name.clone().into(),
        hctl: hints.hctl.clone().into(),
        model: hints.model.clone().into(),
        vendor: hints.vendor.clone().into(),
        serial_number: hints.serial_number.clone().into(),
        min_size_gigabytes: hints.min_size_gigabytes.map(Number::from).into(),
        wwn: hints.wwn.clone().into(),
        wwn_with_extension: hints.wwn_with_extension.clone().into(),
        wwn_vendor_extension: hints.wwn_vendor_extension.clone().into(),
        rotational: hints.rotational.into(),
    }
    .encode()
}

#[cfg(test)]
#[path = "refresh_tests.rs"]
mod tests;
