//! `list "metal3_baremetal_host"` (`terraform query`): the Ironic nodes that can be managed as
//! hosts, filtered, each with the identity an `import` block takes and, when asked, the state an
//! import records. Reads only, like import: listing never changes anything in Ironic.

pub mod filter;
pub mod schema;

use std::sync::Arc;

use async_trait::async_trait;
use futures::StreamExt;

use self::filter::{Filters, Listed};
use crate::diagnostics::Diagnostic;
use crate::host::imported::{identity_value, imported_node, imported_state};
use crate::host::status::StatusView;
use crate::provider_config::{ProviderState, DEFAULT_NAMESPACE};
use crate::server::handlers::{
    Declaration, ListRequest, ListResourceHandler, ListResults, ListedResource,
};

pub const TYPE_NAME: &str = "metal3_baremetal_host";

pub struct HostList {
    state: Arc<ProviderState>,
    declaration: Declaration,
}

impl HostList {
    pub fn new(state: Arc<ProviderState>) -> Self {
        HostList {
            state,
            declaration: Declaration::new(TYPE_NAME, schema::schema())
                .with_doc(include_str!("doc.md"))
                .with_validator(|config| Filters::parse(config).err().unwrap_or_default()),
        }
    }
}

fn failed(detail: impl Into<String>) -> ListedResource {
    ListedResource {
        diagnostics: vec![Diagnostic::error("Cannot list hosts", detail)],
        ..ListedResource::default()
    }
}

#[async_trait]
impl ListResourceHandler for HostList {
    fn declaration(&self) -> &Declaration {
        &self.declaration
    }

    async fn list(&self, request: ListRequest, results: ListResults) {
        let filters = match Filters::parse(&request.config) {
            Ok(filters) => filters,
            Err(diagnostics) => {
                let _ = results
                    .send(ListedResource {
                        diagnostics,
                        ..ListedResource::default()
                    })
                    .await;
                return;
            }
        };
        let engine = match self.state.engine().await {
            Ok(engine) => engine,
            Err(d) => {
                let _ = results
                    .send(ListedResource {
                        diagnostics: vec![d],
                        ..ListedResource::default()
                    })
                    .await;
                return;
            }
        };
        let default_ns = self
            .state
            .namespace()
            .unwrap_or_else(|| DEFAULT_NAMESPACE.to_owned());
        // A page at a time: a fleet of thousands is listed in bounded memory, and a query
        // whose limit is reached stops reading Ironic (the stream is dropped).
        let mut pages = engine.list_pages(request.include_resource_object);
        loop {
            let page = tokio::select! {
                page = pages.next() => page,
                _ = request.cancel.cancelled() => return,
            };
            let statuses = match page {
                None => return,
                Some(Ok(statuses)) => statuses,
                Some(Err(e)) => {
                    let _ = results.send(failed(e.to_string())).await;
                    return;
                }
            };
            let listed = statuses
                .iter()
                .filter_map(|status| Listed::of(status, &default_ns))
                .filter(|listed| filters.matches(listed));
            for host in listed {
                if request.cancel.is_cancelled()
                    || results.send(item(&request, host)).await.is_err()
                {
                    return;
                }
            }
        }
    }
}

/// One result: the identity and name, and the resource object when asked for.
fn item(request: &ListRequest, host: Listed<'_>) -> ListedResource {
    let resource_object = request.include_resource_object.then(|| {
        let node = imported_node(host.status, host.namespace.clone(), host.name.clone());
        imported_state(
            &node,
            &StatusView::from(host.status),
            &request.resource_schema,
        )
    });
    ListedResource {
        identity: identity_value(&host.namespace, &host.name),
        display_name: format!("{}/{}", host.namespace, host.name),
        resource_object,
        diagnostics: Vec::new(),
    }
}

#[cfg(test)]
mod tests;
