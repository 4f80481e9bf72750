//! Reading BareMetalHosts out of YAML: one or more documents (`---`), each a BareMetalHost, a
//! HostFirmwareSettings or HostFirmwareComponents (`firmware_objects`), a `kind: List` of them
//! (what `kubectl get bmh -o yaml` prints), or anything else Metal3 manifests carry beside
//! hosts (Secrets, namespaces), which is skipped. What looks like a host
//! but is not quite one (a misspelt kind or API group) is an error, never skipped: a host
//! silently missing from the result would be destroyed by a `for_each` over it.

use serde_json::Value as Json;

use super::firmware_objects::{self, FirmwareObject};
use super::model::{BareMetalHost, API_VERSION, KIND};
use super::yaml::{self, Document};
use super::{field_error, fields};
use crate::functions::suggest::{is_near_miss, quoted};
use crate::host::names::{check_name, check_namespace};

const LIST_KINDS: &[&str] = &[
    "List",
    "BareMetalHostList",
    "HostFirmwareSettingsList",
    "HostFirmwareComponentsList",
];
const API_GROUP: &str = "metal3.io";

/// Why a manifest cannot be read; the text names the document or host and the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestError(pub String);

impl std::fmt::Display for ManifestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a manifest holds: its hosts, and how many documents (list items included) were read.
#[derive(Debug, Default)]
pub struct Manifest {
    pub hosts: Vec<BareMetalHost>,
    /// HostFirmwareSettings and HostFirmwareComponents, for the hosts they name.
    pub firmware: Vec<FirmwareObject>,
    pub objects: usize,
    /// The kinds skipped, for saying what the manifest held when it holds no host.
    pub other_kinds: Vec<String>,
}

/// Every BareMetalHost in `yaml`, in document order.
pub fn hosts(yaml: &str) -> Result<Manifest, ManifestError> {
    let documents = yaml::documents(yaml).map_err(ManifestError)?;
    let mut out = Manifest::default();
    for (index, document) in documents.into_iter().enumerate() {
        let at = format!("document {}", index.saturating_add(1));
        collect(document, &at, &mut out)?;
    }
    Ok(out)
}

fn collect(document: Document, at: &str, out: &mut Manifest) -> Result<(), ManifestError> {
    out.objects = out.objects.saturating_add(1);
    if !document.is_mapping {
        return Err(ManifestError(format!(
            "{at} is not a Kubernetes object: expected a mapping with `apiVersion` and `kind`"
        )));
    }
    let kind = document.kind.as_ref().and_then(Json::as_str).unwrap_or("");
    let api_version = document
        .api_version
        .as_ref()
        .and_then(Json::as_str)
        .unwrap_or("");
    if let Some(problem) = near_miss(kind, api_version) {
        return Err(ManifestError(format!(
            "{}: {problem}",
            describe_document(at, &document)
        )));
    }
    if LIST_KINDS.contains(&kind) {
        let Some(items) = document.items else {
            return Err(ManifestError(format!(
                "{at}: a `kind: {kind}` needs `items`, a list of objects"
            )));
        };
        for (index, item) in items.into_iter().enumerate() {
            let at = format!("{at}, item {}", index.saturating_add(1));
            collect(item, &at, out)?;
        }
        return Ok(());
    }
    if kind == KIND {
        out.hosts.push(host(document, at)?);
        return Ok(());
    }
    if let Some(kind) = firmware_objects::KINDS.iter().find(|k| **k == kind) {
        let api_version = document.api_version.as_ref().and_then(Json::as_str);
        let object =
            firmware_objects::read(kind, api_version, document.metadata, document.spec, at)
                .map_err(ManifestError)?;
        out.firmware.push(object);
        return Ok(());
    }
    if kind.is_empty() {
        return Err(ManifestError(format!(
            "{at} has no `kind`: every Kubernetes object names its kind (e.g. `kind: \
             BareMetalHost`)"
        )));
    }
    if out.other_kinds.len() < 8 && !out.other_kinds.iter().any(|k| k == kind) {
        out.other_kinds.push(quoted(kind, 63));
    }
    Ok(())
}

/// Why `kind` / `api_version` look like a BareMetalHost (or a list of them) mistyped.
fn near_miss(kind: &str, api_version: &str) -> Option<String> {
    if is_near_miss(kind, KIND, 2) {
        return Some(format!(
            "kind {} is not `{KIND}` (kinds are case-sensitive); fix the spelling",
            quoted(kind, 63)
        ));
    }
    if LIST_KINDS
        .iter()
        .any(|list| is_near_miss(kind, list, if list.len() > 4 { 2 } else { 0 }))
        && !LIST_KINDS.contains(&kind)
    {
        return Some(format!(
            "kind {} is not {} (kinds are case-sensitive); fix the spelling",
            quoted(kind, 63),
            LIST_KINDS
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    // A misspelt firmware kind skipped would drop the host's settings without a word.
    if let Some(meant) = firmware_objects::KINDS
        .iter()
        .find(|meant| is_near_miss(kind, meant, 2))
    {
        return Some(format!(
            "kind {} is not `{meant}` (kinds are case-sensitive); fix the spelling",
            quoted(kind, 63)
        ));
    }
    let group = api_version.split('/').next().unwrap_or("");
    if is_near_miss(group, API_GROUP, 1) {
        return Some(format!(
            "apiVersion {} is not in the `{API_GROUP}` group (a BareMetalHost's is \
             `{API_VERSION}`); fix the spelling",
            quoted(api_version, 63)
        ));
    }
    None
}

/// `document 2, item 5 (metadata.name "worker-0")`: where, and the object's name when it is one.
fn describe_document(at: &str, document: &Document) -> String {
    let name = document
        .metadata
        .as_ref()
        .and_then(|m| m.get("name"))
        .and_then(Json::as_str)
        .filter(|n| check_name(n).is_ok());
    match name {
        Some(name) => format!("{at} (metadata.name {name:?})"),
        None => at.to_owned(),
    }
}

fn host(document: Document, at: &str) -> Result<BareMetalHost, ManifestError> {
    let label = describe_document(at, &document);
    let fail = |text: String| ManifestError(format!("BareMetalHost in {label}: {text}"));
    let api_version = document.api_version.as_ref().and_then(Json::as_str);
    if api_version != Some(API_VERSION) {
        return Err(fail(format!(
            "apiVersion must be {API_VERSION:?}, found {}",
            api_version.map_or("none".to_owned(), |v| quoted(v, 63))
        )));
    }
    let metadata = document.metadata.unwrap_or(Json::Null);
    let name = match metadata.get("name") {
        Some(Json::String(name)) => name.clone(),
        _ => return Err(fail("metadata.name is required (a string)".into())),
    };
    check_name(&name).map_err(|why| fail(format!("metadata.name {why}")))?;
    // From here the name is a valid one: messages name the host by it.
    let fail = |text: String| ManifestError(format!("BareMetalHost {name:?}: {text}"));
    if let Some(namespace) = metadata.get("namespace").filter(|n| !n.is_null()) {
        let valid = namespace.as_str().map(check_namespace);
        match valid {
            Some(Ok(())) => {}
            Some(Err(why)) => return Err(fail(format!("metadata.namespace {why}"))),
            None => {
                return Err(fail(format!(
                    "metadata.namespace: expected a string, found {}",
                    field_error::kind(namespace)
                )))
            }
        }
    }
    let metadata = serde_path_to_error::deserialize(&metadata)
        .map_err(|e| fail(field_error::describe(&e, &metadata, "metadata")))?;
    let mut spec_json = document.spec.unwrap_or(Json::Null);
    if spec_json.is_null() {
        return Err(fail(
            "spec is required (a mapping with at least `bmc`)".into(),
        ));
    }
    fields::refuse_or_drop(&mut spec_json).map_err(fail)?;
    let spec = serde_path_to_error::deserialize(&spec_json)
        .map_err(|e| fail(field_error::describe(&e, &spec_json, "spec")))?;
    Ok(BareMetalHost {
        api_version: API_VERSION.to_owned(),
        kind: KIND.to_owned(),
        metadata,
        spec,
        status: None,
    })
}
