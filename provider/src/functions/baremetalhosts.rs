//! `baremetalhosts(yaml)`: the BareMetalHosts of a Metal3 manifest as objects keyed by this
//! resource's arguments, for `for_each` over a fleet exported with `kubectl get bmh -o yaml`.

use std::collections::{BTreeMap, BTreeSet};

use metal3_core::bmc;

use super::baremetalhosts_options::{read_options, ReadOptions};
use super::bmh::firmware_objects::{Content, FirmwareObject, HostFirmware};
use super::bmh::{documents, host, mapping};
use crate::codec::{Type, Value};
use tfplugin::function::{Function, FunctionDeclaration, FunctionError, Parameter, Signature};

/// The function, as the provider serves it.
pub fn function() -> Function {
    let signature = Signature {
        summary: "Reads the BareMetalHosts of a Metal3 manifest as host arguments".into(),
        description: "Parses YAML holding Metal3 BareMetalHosts (several documents, or \
            the `kind: List` that `kubectl get bmh -o yaml` prints), with their \
            HostFirmwareSettings and HostFirmwareComponents (other kinds are skipped), \
            and returns one object per host whose keys are, for the most part, \
            `metal3_baremetal_host` arguments (`raid`, `firmware`, and `bios_settings` \
            and `firmware_components` from the firmware objects of the host's name and \
            namespace). The others are not: `labels` carries the host's Kubernetes \
            labels, and Secrets stay references (`bmc.credentials_name` and `*_secret` \
            name the Kubernetes Secrets) for the configuration to map to values. A field \
            this provider does not know, or a BareMetalHost feature it does not \
            implement (taints, software RAID disks chosen by hints other than \
            `deviceName`...), is an error naming the host and the field, and so is a \
            firmware object naming no host in the manifest. A manifest without \
            any BareMetalHost is an error unless `{ allow_empty = true }` is passed, and \
            a misspelt kind or API group is an error naming the document. Errors give \
            the line and column of YAML that does not parse, never its text."
            .into(),
        parameters: vec![Parameter::new(
            "manifest",
            Type::String,
            "YAML text, e.g. `file(\"bmh.yaml\")`.",
        )],
        variadic: Some(Parameter::new(
            "options",
            Type::Dynamic,
            "At most one object of options. `allow_empty = true`: a manifest without \
             any BareMetalHost gives an empty list instead of an error.",
        )),
        returns: Type::list(host::host_type()),
    };
    Function::new(
        FunctionDeclaration::new("baremetalhosts", signature)
            .with_doc(include_str!("baremetalhosts.md")),
        call,
    )
}

fn call(arguments: &[Value]) -> Result<Value, FunctionError> {
    let yaml = arguments
        .first()
        .and_then(Value::as_str)
        .unwrap_or_default();
    let options = read_options(arguments.get(1..).unwrap_or_default())?;
    read(yaml, &options).map_err(|e| FunctionError::in_argument(0, e))
}

/// The hosts of `yaml` as this function's result.
pub fn read(yaml: &str, options: &ReadOptions) -> Result<Value, String> {
    let manifest = documents::hosts(yaml).map_err(|e| e.to_string())?;
    if manifest.hosts.is_empty() && !options.allow_empty {
        let held = if manifest.other_kinds.is_empty() {
            format!("{} object(s)", manifest.objects)
        } else {
            format!(
                "{} object(s) of kind {}",
                manifest.objects,
                manifest.other_kinds.join(", ")
            )
        };
        return Err(format!(
            "the manifest holds no BareMetalHost (it holds {held}). A `for_each` over an empty \
             result would destroy every host it manages: if an empty fleet is meant, pass \
             `{{ allow_empty = true }}` as the second argument"
        ));
    }
    let mut firmware = firmware_by_host(&manifest.firmware)?;
    let mut seen = BTreeSet::new();
    let mut hosts = Vec::with_capacity(manifest.hosts.len());
    for bmh in &manifest.hosts {
        let name = &bmh.metadata.name;
        let Some(bmc_spec) = &bmh.spec.bmc else {
            return Err(format!("BareMetalHost {name:?}: spec.bmc is required"));
        };
        bmc::parse_address(&bmc_spec.address)
            .map_err(|e| format!("BareMetalHost {name:?}: spec.bmc.address: {e}"))?;
        if !seen.insert((bmh.metadata.namespace.clone(), name.clone())) {
            return Err(format!(
                "BareMetalHost {name:?} appears twice{}: names must be unique per namespace",
                bmh.metadata
                    .namespace
                    .as_ref()
                    .map(|ns| format!(" in namespace {ns:?}"))
                    .unwrap_or_default()
            ));
        }
        let key = (bmh.metadata.namespace.clone(), name.clone());
        let host_firmware = firmware.remove(&key).unwrap_or_default();
        let host = mapping::from_bmh(bmh, &host_firmware)
            .map_err(|e| format!("BareMetalHost {name:?}: {e}"))?;
        hosts.push(host.to_value());
    }
    if let Some(object) = manifest
        .firmware
        .iter()
        .find(|o| firmware.contains_key(&(o.namespace.clone(), o.name.clone())))
    {
        return Err(format!(
            "{} names no BareMetalHost in the manifest: Metal3 pairs it with the host of the \
             same name and namespace. Add that host to the manifest, or remove the {}",
            object.label(),
            object.kind
        ));
    }
    Ok(Value::List(hosts))
}

/// The firmware objects by the (namespace, name) of the host they belong to; one of each kind
/// per host.
fn firmware_by_host(
    objects: &[FirmwareObject],
) -> Result<BTreeMap<(Option<String>, String), HostFirmware>, String> {
    let mut out: BTreeMap<(Option<String>, String), HostFirmware> = BTreeMap::new();
    for object in objects {
        let entry = out
            .entry((object.namespace.clone(), object.name.clone()))
            .or_default();
        let twice = match &object.content {
            Content::Settings(settings) => entry.settings.replace(settings.clone()).is_some(),
            Content::Updates(updates) => entry.updates.replace(updates.clone()).is_some(),
        };
        if twice {
            return Err(format!(
                "{} appears twice: a host has one {}",
                object.label(),
                object.kind
            ));
        }
    }
    Ok(out)
}
