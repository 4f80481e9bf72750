//! A resource's stored state across versions of the provider: UpgradeResourceState (state
//! written with an older schema version), UpgradeResourceIdentity, and MoveResourceState, which
//! this server does not offer.

use crate::diagnostics::Diagnostic;
use crate::proto::tfplugin6 as pb;

use super::answer::Failure;
use super::registry::Registry;
use super::resources::Resource;

pub async fn upgrade(
    registry: &Registry,
    req: pb::upgrade_resource_state::Request,
) -> Result<pb::upgrade_resource_state::Response, Failure> {
    let resource = Resource::find(registry, &req.type_name)?;
    let raw = req.raw_state.unwrap_or_default();
    if raw.json.is_empty() && !raw.flatmap.is_empty() {
        return Err(Diagnostic::error(
            "Unsupported state format",
            "State in the pre-0.12 flatmap format cannot be read; this provider never wrote it.",
        )
        .into());
    }
    let state = resource
        .handler
        .upgrade_state(&raw.json, req.version)
        .await?;
    Ok(pb::upgrade_resource_state::Response {
        upgraded_state: Some(resource.encode(state, "upgraded state")?),
        diagnostics: Vec::new(),
    })
}

pub async fn upgrade_identity(
    registry: &Registry,
    req: pb::upgrade_resource_identity::Request,
) -> Result<pb::upgrade_resource_identity::Response, Failure> {
    let resource = Resource::find(registry, &req.type_name)?;
    let Some(ty) = &resource.identity else {
        return Err(Failure::not_supported("resource identity for this type"));
    };
    let raw = req.raw_identity.unwrap_or_default();
    let value = crate::codec::json::decode_lenient(&raw.json, ty)
        .map_err(|e| Diagnostic::error("Invalid stored identity", e.to_string()))?;
    Ok(pb::upgrade_resource_identity::Response {
        upgraded_identity: resource.encode_identity(Some(&value))?,
        diagnostics: Vec::new(),
    })
}

/// Moving state between resource types (`moved` blocks across types) is not offered; the
/// capability says so too.
pub fn moved() -> Result<pb::move_resource_state::Response, Failure> {
    Err(Failure::not_supported(
        "moving resource state between types",
    ))
}
