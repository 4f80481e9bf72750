//! Read: the state becomes what Ironic holds. Status attributes are replaced; every argument
//! Ironic stores (power, boot MAC, boot mode, cleaning mode, image, description, BMC address and
//! username, certificate verification, root device hints, externally provisioned) is read back
//! when it differs in meaning from the state, so a change made in Ironic behind Terraform's back
//! shows in the next plan and the next apply corrects it. Values Ironic cannot hold (passwords,
//! user data) and values that only differ in spelling (MAC case, checksum form) keep the state's.
//!
//! Pure: the handler reads the node; nothing here talks to Ironic.

use metal3_core::client::ProvisionState as S;
use metal3_core::lifecycle::{HostStatus, RootDeviceHints};

use super::convert::root_device_hints_of;
use super::state::host_state;
use crate::codec::{AttributePath, Value};
use crate::host::status::{provisioned_image, provisioned_image_value, StatusView};

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
    state.set_attr("ironic_provision_state", Value::Null);
    state.set_attr("operational_status", "detached");
    state.set_attr("error_type", Value::Null);
    state.set_attr("error_message", Value::Null);
    state.set_attr("maintenance_reason", Value::Null);
    state
}

/// Whether a (refreshed) state says Ironic has no node for the host.
pub fn node_missing(state: &Value) -> bool {
    text(state, &["operational_status"]) == Some("detached")
        && get(state, &["ironic_provision_state"]).is_none()
        && text(state, &["id"]).is_some()
}

/// Ironic has no inventory for adopted (re-registered or imported) nodes; like a
/// BareMetalHost's status, the hardware details last reported are kept rather than erased.
pub fn keep_hardware(mut state: Value, status: &HostStatus, earlier: &Value) -> Value {
    let earlier_hw = earlier
        .get("hardware")
        .filter(|hw| hw.is_known() && !hw.is_null());
    if let (None, Some(hw)) = (&status.hardware, earlier_hw) {
        state.set_attr("hardware", hw.clone());
    }
    state
}

/// A node renamed in Ironic (found by its UUID): the state says what Ironic calls it.
fn read_back_node_name(state: &mut Value, status: &HostStatus) {
    let (Some(namespace), Some(name)) = (text(state, &["namespace"]), text(state, &["name"]))
    else {
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
    set(state, &["namespace"], held_namespace.into());
    set(state, &["name"], held_name.into());
}

fn read_back_power(state: &mut Value, status: &HostStatus) {
    if let Some(on) = status.online {
        if get(state, &["online"]).and_then(Value::as_bool) != Some(on) {
            set(state, &["online"], on.into());
        }
    }
}

fn read_back_node_fields(state: &mut Value, status: &HostStatus) {
    // A MAC the user left unset stays unset (inspection may create ports); a set one follows
    // the node's boot port.
    if let Some(mac) = text(state, &["boot_mac_address"]) {
        let held = status.boot_mac_address.as_deref();
        if held.map(str::to_ascii_lowercase) != Some(mac.to_ascii_lowercase()) {
            set(state, &["boot_mac_address"], held.map(str::to_owned).into());
        }
    }
    if let Some(mode) = status.boot_mode {
        if text(state, &["boot_mode"]) != Some(mode.as_str()) {
            set(state, &["boot_mode"], mode.as_str().into());
        }
    }
    let cleaning = status.automated_cleaning_mode.as_str();
    if text(state, &["automated_cleaning_mode"]) != Some(cleaning) {
        set(state, &["automated_cleaning_mode"], cleaning.into());
    }
    let description = text(state, &["description"]).filter(|d| !d.is_empty());
    if description != status.description.as_deref() {
        set(state, &["description"], status.description.clone().into());
    }
    let group = text(state, &["conductor_group"]).filter(|g| !g.is_empty());
    if group != status.conductor_group.as_deref() {
        set(
            state,
            &["conductor_group"],
            status.conductor_group.clone().into(),
        );
    }
    let wanted_hints = get(state, &["root_device_hints"])
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
        set(state, &["root_device_hints"], value);
    }
}

fn read_back_bmc(state: &mut Value, status: &HostStatus) {
    if let Some(held) = status.bmc_username.as_deref() {
        if text(state, &["bmc", "username"]) != Some(held) {
            set(state, &["bmc", "username"], held.into());
        }
    }
    let Some(address) = text(state, &["bmc", "address"]).map(str::to_owned) else {
        return;
    };
    if status.bmc.is_fake() {
        // Fake hardware keeps no address in driver_info: the engine's record is all there is,
        // and a change made to it in Ironic is drift like any other (apply puts it back).
        if let Some(recorded) = status.bmc_address.as_deref() {
            if recorded != address {
                set(state, &["bmc", "address"], recorded.into());
            }
        }
        return;
    }
    let disabled = get(state, &["bmc", "disable_certificate_verification"])
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if status.bmc.matches(&address, disabled) {
        return;
    }
    if status.bmc.matches(&address, !disabled) {
        set(
            state,
            &["bmc", "disable_certificate_verification"],
            (!disabled).into(),
        );
    } else if let Some(rebuilt) = &status.bmc.rebuilt_address {
        set(state, &["bmc", "address"], rebuilt.as_str().into());
    }
}

/// Image and custom deploy: an `available` host has none (whatever the state says); an
/// `active` host this provider deployed runs what Ironic says it runs. An externally
/// provisioned host's image is bookkeeping and stays as configured.
fn read_back_deployment(state: &mut Value, status: &HostStatus) {
    let recorded_externally = status.externally_provisioned;
    let ironic_state = S::parse(&status.ironic_provision_state);
    let state_externally = get(state, &["externally_provisioned"]).and_then(Value::as_bool);
    if ironic_state == S::Active && state_externally != Some(recorded_externally) {
        set(
            state,
            &["externally_provisioned"],
            recorded_externally.into(),
        );
    }
    if recorded_externally {
        return;
    }
    match ironic_state {
        S::Available => {
            set(state, &["image"], Value::Null);
            set(state, &["custom_deploy"], Value::Null);
        }
        S::Active => {
            let Some(running) = status.provisioned_image.as_ref() else {
                return;
            };
            let deploys_image = get(state, &["image"]).is_some();
            let custom = get(state, &["custom_deploy"]).is_some();
            if text(state, &["image", "url"]) != Some(running.url.as_str())
                && (deploys_image || !custom)
            {
                set(
                    state,
                    &["image"],
                    provisioned_image_value(&provisioned_image(running)),
                );
            }
        }
        _ => {}
    }
}

fn root_device_hints_value(hints: &RootDeviceHints) -> Value {
    Value::object([
        ("device_name", Value::from(hints.device_name.clone())),
        ("hctl", hints.hctl.clone().into()),
        ("model", hints.model.clone().into()),
        ("vendor", hints.vendor.clone().into()),
        ("serial_number", hints.serial_number.clone().into()),
        (
            "min_size_gigabytes",
            hints
                .min_size_gigabytes
                .map(Value::from)
                .unwrap_or(Value::Null),
        ),
        ("wwn", hints.wwn.clone().into()),
        (
            "wwn_with_extension",
            hints.wwn_with_extension.clone().into(),
        ),
        (
            "wwn_vendor_extension",
            hints.wwn_vendor_extension.clone().into(),
        ),
        ("rotational", hints.rotational.into()),
    ])
}

#[cfg(test)]
#[path = "refresh_tests.rs"]
mod tests;
