//! Data sources: ValidateDataResourceConfig and ReadDataSource.

use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use crate::proto::tfplugin6 as pb;

use super::answer::Failure;
use super::convert::{self, diagnostics};
use super::handlers::DataSourceHandler;
use super::registry::Registry;

fn find(registry: &Registry, type_name: &str) -> Result<Arc<dyn DataSourceHandler>, Failure> {
    registry
        .data_source(type_name)
        .cloned()
        .ok_or_else(|| Failure::unknown_type("data source", type_name))
}

pub async fn validate(
    registry: &Registry,
    req: pb::validate_data_resource_config::Request,
) -> Result<pb::validate_data_resource_config::Response, Failure> {
    let handler = find(registry, &req.type_name)?;
    let block = &handler.declaration().schema().block;
    let what = "data source configuration";
    let (config, mut found) = convert::decode_config(req.config.as_ref(), block, what, true)?;
    found.extend(handler.declaration().validate(&config));
    Ok(pb::validate_data_resource_config::Response {
        diagnostics: diagnostics(&found),
    })
}

pub async fn read(
    registry: &Registry,
    req: pb::read_data_source::Request,
    cancel: CancellationToken,
) -> Result<pb::read_data_source::Response, Failure> {
    let handler = find(registry, &req.type_name)?;
    let ty = handler.declaration().schema().block.value_type();
    let config = convert::decode(req.config.as_ref(), &ty, "data source configuration")?;
    let (state, found) = handler.read(config, cancel).await;
    let state = match state.is_null() {
        true => None,
        false => Some(convert::encode(&state, &ty, "data source state")?),
    };
    Ok(pb::read_data_source::Response {
        state,
        diagnostics: diagnostics(&found),
        deferred: None,
    })
}
