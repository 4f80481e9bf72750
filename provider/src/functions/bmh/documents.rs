//! Reading BareMetalHosts out of YAML: one or more documents (`---`), each a BareMetalHost, a
//! `kind: List` of them (what `kubectl get bmh -o yaml` prints), or anything else Metal3
//! manifests carry beside hosts (Secrets, namespaces), which is skipped.

use serde_json::Value as Json;

use super::model::{BareMetalHost, API_VERSION, KIND};

/// Why a manifest cannot be read; the text names the host and the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestError(pub String);

impl std::fmt::Display for ManifestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Every BareMetalHost in `yaml`, in document order.
pub fn hosts(yaml: &str) -> Result<Vec<BareMetalHost>, ManifestError> {
    let documents: Vec<Json> = serde_saphyr::from_multiple(yaml)
        .map_err(|e| ManifestError(format!("the text is not valid YAML: {e}")))?;
    let mut out = Vec::new();
    for (index, document) in documents.into_iter().enumerate() {
        collect(document, &format!("document {}", index + 1), &mut out)?;
    }
    Ok(out)
}

fn collect(document: Json, at: &str, out: &mut Vec<BareMetalHost>) -> Result<(), ManifestError> {
    let kind = document.get("kind").and_then(Json::as_str).unwrap_or("");
    match kind {
        "List" | "BareMetalHostList" => {
            let Some(items) = document.get("items").and_then(Json::as_array) else {
                return Ok(());
            };
            for (index, item) in items.iter().enumerate() {
                collect(item.clone(), &format!("{at}, item {}", index + 1), out)?;
            }
            Ok(())
        }
        KIND => {
            out.push(host(document, at)?);
            Ok(())
        }
        _ => Ok(()),
    }
}

fn host(document: Json, at: &str) -> Result<BareMetalHost, ManifestError> {
    let name = document
        .pointer("/metadata/name")
        .and_then(Json::as_str)
        .unwrap_or("")
        .to_owned();
    let label = if name.is_empty() {
        format!("BareMetalHost in {at}")
    } else {
        format!("BareMetalHost {name:?}")
    };
    let api_version = document.get("apiVersion").and_then(Json::as_str);
    if api_version != Some(API_VERSION) {
        return Err(ManifestError(format!(
            "{label}: apiVersion must be {API_VERSION:?}, found {}",
            api_version.map_or("none".to_owned(), |v| format!("{v:?}"))
        )));
    }
    if name.is_empty() {
        return Err(ManifestError(format!("{label}: metadata.name is required")));
    }
    let host: BareMetalHost = serde_path_to_error::deserialize(document).map_err(|e| {
        let inner = field_error(&e.inner().to_string());
        match e.path().to_string().as_str() {
            "." => ManifestError(format!("{label}: {inner}")),
            path => ManifestError(format!("{label}: {path}: {inner}")),
        }
    })?;
    let refused = host.spec.unsupported();
    if let Some((field, why)) = refused.first() {
        return Err(ManifestError(format!(
            "{label}: spec.{field} is not supported by this provider: {why}"
        )));
    }
    Ok(host)
}

/// serde's message without its position in the intermediate JSON (meaningless to the user).
fn field_error(message: &str) -> String {
    match message.find(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}
