//! List resources (`terraform query`): ValidateListResourceConfig, and ListResource streaming a
//! handler's results as events. Terraform reads events until the stream ends or it has `limit`
//! of them, stops at the first event with an error, and needs every other event to carry an
//! identity; so a failure before the handler runs is one event holding the diagnostics (the
//! list event's [`Reply`](super::answer::Reply)).

use std::sync::Arc;

use futures::StreamExt;
use tokio_util::sync::CancellationToken;

use crate::codec::Type;
use crate::diagnostics::has_errors;
use crate::proto::tfplugin6 as pb;
use crate::schema::values::null_write_only;

use super::answer::{BoxStream, Failure};
use super::convert::{self, diagnostics};
use super::handlers::{ListRequest, ListResourceHandler, ListedResource, ResourceHandler};
use super::registry::Registry;

/// Results a handler may find ahead of Terraform reading them.
const BUFFER: usize = 64;

/// A list handler with the resource type its results are instances of.
struct Listing {
    list: Arc<dyn ListResourceHandler>,
    resource: Arc<dyn ResourceHandler>,
    state: Type,
    identity: Type,
}

fn listing(registry: &Registry, type_name: &str) -> Result<Listing, Failure> {
    let list = registry
        .list_resource(type_name)
        .cloned()
        .ok_or_else(|| Failure::unknown_type("list resource", type_name))?;
    let resource = registry
        .resource(type_name)
        .cloned()
        .ok_or_else(|| Failure::unknown_type("resource", type_name))?;
    let identity = resource
        .identity_schema()
        .map(|i| i.value_type())
        .ok_or_else(|| {
            Failure::not_supported(&format!(
                "listing {type_name}, which has no resource identity"
            ))
        })?;
    Ok(Listing {
        state: resource.declaration().schema().block.value_type(),
        list,
        resource,
        identity,
    })
}

impl Listing {
    async fn config(
        &self,
        config: Option<&pb::DynamicValue>,
    ) -> Result<crate::codec::Value, Failure> {
        let block = &self.list.declaration().schema().block;
        let (value, mut found) = convert::decode_config(config, block, "list configuration", true)?;
        found.extend(self.list.declaration().validate(&value));
        if has_errors(&found) {
            return Err(found.into());
        }
        Ok(value)
    }

    fn event(&self, item: ListedResource) -> pb::list_resource::Event {
        let mut out = pb::list_resource::Event {
            display_name: item.display_name,
            diagnostic: diagnostics(&item.diagnostics),
            ..Default::default()
        };
        if has_errors(&item.diagnostics) {
            return out;
        }
        let encoded = convert::encode_identity(Some(&item.identity), Some(&self.identity))
            .and_then(|identity| {
                let object = match item.resource_object {
                    Some(mut object) => {
                        null_write_only(&self.resource.declaration().schema().block, &mut object);
                        Some(convert::encode(&object, &self.state, "listed resource")?)
                    }
                    None => None,
                };
                Ok((identity, object))
            });
        match encoded {
            Ok((identity, object)) => {
                out.identity = identity;
                out.resource_object = object;
            }
            Err(d) => out.diagnostic.extend(diagnostics(&[d])),
        }
        out
    }
}

/// Answers with errors only: a list's warnings are not shown until it runs.
pub async fn validate(
    registry: &Registry,
    request: pb::validate_list_resource_config::Request,
) -> Result<pb::validate_list_resource_config::Response, Failure> {
    let checked = match listing(registry, &request.type_name) {
        Ok(listing) => listing.config(request.config.as_ref()).await.map(|_| ()),
        Err(failure) => Err(failure),
    };
    let found = checked
        .err()
        .map(|Failure(found)| found)
        .unwrap_or_default();
    Ok(pb::validate_list_resource_config::Response {
        diagnostics: diagnostics(&found)
            .into_iter()
            .map(in_config_block)
            .collect(),
    })
}

/// Terraform sends the list's `config` block alone, but places diagnostics within the whole
/// `list` block: a path into the configuration starts at its `config` block, or Terraform
/// points at the `list` line instead of the argument.
fn in_config_block(mut d: pb::Diagnostic) -> pb::Diagnostic {
    use pb::attribute_path::step::Selector;
    if let Some(path) = d.attribute.as_mut().filter(|p| !p.steps.is_empty()) {
        path.steps.insert(
            0,
            pb::attribute_path::Step {
                selector: Some(Selector::AttributeName("config".into())),
            },
        );
    }
    d
}

pub async fn stream(
    registry: &Registry,
    request: pb::list_resource::Request,
    cancel: CancellationToken,
) -> Result<BoxStream<pb::list_resource::Event>, Failure> {
    let listing = Arc::new(listing(registry, &request.type_name)?);
    let config = listing.config(request.config.as_ref()).await?;
    let limit = usize::try_from(request.limit).ok().filter(|n| *n > 0);
    let (results, received) = tokio::sync::mpsc::channel(BUFFER);
    let handler = listing.list.clone();
    let list_request = ListRequest {
        config,
        include_resource_object: request.include_resource_object,
        limit,
        resource_schema: listing.resource.declaration().schema().clone(),
        cancel,
    };
    tokio::spawn(async move { handler.list(list_request, results).await });
    let events = futures::stream::unfold(received, |mut received| async move {
        received.recv().await.map(|item| (item, received))
    })
    .map(move |item| Ok(listing.event(item)));
    Ok(match limit {
        Some(limit) => Box::pin(events.take(limit)),
        None => Box::pin(events),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use pb::attribute_path::step::Selector;

    fn names(d: &pb::Diagnostic) -> Vec<Selector> {
        d.attribute
            .iter()
            .flat_map(|p| p.steps.iter().filter_map(|s| s.selector.clone()))
            .collect()
    }

    #[test]
    fn validation_paths_start_at_the_config_block() {
        let at = crate::diagnostics::Diagnostic::error("Invalid filter", "bad")
            .at(crate::codec::AttributePath::root().attribute("namespace"));
        let placed = in_config_block(diagnostics(&[at]).remove(0));
        assert_eq!(
            names(&placed),
            [
                Selector::AttributeName("config".into()),
                Selector::AttributeName("namespace".into())
            ]
        );
        // A diagnostic about the whole configuration stays on the list block.
        let whole = crate::diagnostics::Diagnostic::error("Cannot list", "bad");
        assert!(in_config_block(diagnostics(&[whole]).remove(0))
            .attribute
            .is_none_or(|p| p.steps.is_empty()));
    }
}
