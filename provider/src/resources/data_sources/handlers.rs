//! Data source handlers: `metal3_baremetal_host` (one host) and `metal3_baremetal_hosts` (the
//! filtered inventory), reading Ironic through the shared provider state.

use std::sync::Arc;

use async_trait::async_trait;
use futures::stream::{self, StreamExt};
use metal3_core::client::NodeFilter;
use tokio_util::sync::CancellationToken;

use super::host::{host_value, lookup, HostLookup};
use super::hosts::{filters, hosts_value, HostEntry};
use crate::codec::Value;
use crate::diagnostics::Diagnostic;
use crate::provider_config::ProviderState;
use crate::resources::baremetal_host::convert::host_names;
use crate::resources::baremetal_host::names::node_name;
use crate::resources::baremetal_host::state::StatusView;
use crate::schema::provider_config::DEFAULT_NAMESPACE;
use crate::schema::{self, Schema};

/// Inventories fetched at once by `metal3_baremetal_hosts`: enough to hide latency, few enough
/// not to flood Ironic.
const INVENTORY_CONCURRENCY: usize = 8;

fn cancelled() -> Diagnostic {
    Diagnostic::error("Read interrupted", "Terraform asked the provider to stop.")
}

pub struct HostDataSource {
    state: Arc<ProviderState>,
    schema: Schema,
}

impl HostDataSource {
    pub fn new(state: Arc<ProviderState>) -> Self {
        HostDataSource {
            state,
            schema: schema::data_sources::host(),
        }
    }
}

#[async_trait]
impl crate::server::handlers::DataSourceHandler for HostDataSource {
    fn type_name(&self) -> &str {
        schema::data_sources::HOST_TYPE_NAME
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn validate(&self, config: &Value) -> Vec<Diagnostic> {
        match lookup(config, DEFAULT_NAMESPACE) {
            Ok(_) => Vec::new(),
            Err(diags) => diags,
        }
    }

    async fn read(&self, config: Value, cancel: CancellationToken) -> (Value, Vec<Diagnostic>) {
        let default_ns = self
            .state
            .namespace()
            .unwrap_or_else(|| DEFAULT_NAMESPACE.to_owned());
        let target = match lookup(&config, &default_ns) {
            Ok(Some(target)) => target,
            Ok(None) => {
                return (
                    Value::Null,
                    vec![Diagnostic::error(
                        "Lookup not known",
                        "`id`, `namespace` and `name` must be known to read the host.",
                    )],
                )
            }
            Err(diags) => return (Value::Null, diags),
        };
        let engine = match self.state.engine().await {
            Ok(engine) => engine,
            Err(d) => return (Value::Null, vec![d]),
        };
        let (key, described, fallback) = match &target {
            HostLookup::ById(id) => (id.clone(), format!("id \"{id}\""), None),
            HostLookup::ByName { namespace, name } => (
                node_name(namespace, name),
                format!("namespace \"{namespace}\", name \"{name}\""),
                Some((namespace.clone(), name.clone())),
            ),
        };
        let status = tokio::select! {
            status = engine.status(&key) => status,
            _ = cancel.cancelled() => return (Value::Null, vec![cancelled()]),
        };
        match status {
            Ok(Some(status)) => {
                let (namespace, name) = match fallback {
                    Some(names) => names,
                    None => {
                        let plain = status.name.clone().unwrap_or_default();
                        host_names(&status, ("", &plain))
                    }
                };
                (
                    host_value(&namespace, &name, &StatusView::from(&status)),
                    Vec::new(),
                )
            }
            Ok(None) => (
                Value::Null,
                vec![Diagnostic::error(
                    "Host not found",
                    format!("Ironic has no host with {described}."),
                )],
            ),
            Err(e) => (
                Value::Null,
                vec![Diagnostic::error("Reading the host failed", e.to_string())],
            ),
        }
    }
}

pub struct HostsDataSource {
    state: Arc<ProviderState>,
    schema: Schema,
}

impl HostsDataSource {
    pub fn new(state: Arc<ProviderState>) -> Self {
        HostsDataSource {
            state,
            schema: schema::data_sources::hosts(),
        }
    }
}

#[async_trait]
impl crate::server::handlers::DataSourceHandler for HostsDataSource {
    fn type_name(&self) -> &str {
        schema::data_sources::HOSTS_TYPE_NAME
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    async fn validate(&self, config: &Value) -> Vec<Diagnostic> {
        match filters(config) {
            Ok(_) => Vec::new(),
            Err(diags) => diags,
        }
    }

    async fn read(&self, config: Value, cancel: CancellationToken) -> (Value, Vec<Diagnostic>) {
        let filters = match filters(&config) {
            Ok(Some(f)) => f,
            Ok(None) => {
                return (
                    Value::Null,
                    vec![Diagnostic::error(
                        "Filters not known",
                        "Every filter must be known to read the inventory.",
                    )],
                )
            }
            Err(diags) => return (Value::Null, diags),
        };
        let engine = match self.state.engine().await {
            Ok(engine) => engine,
            Err(d) => return (Value::Null, vec![d]),
        };
        let read_all = async {
            let nodes = engine
                .client()
                .list_nodes(&NodeFilter::default())
                .await
                .map_err(|e| e.to_string())?;
            let statuses: Vec<_> = stream::iter(nodes)
                .map(|node| {
                    let engine = engine.clone();
                    async move { engine.status_of(&node).await }
                })
                .buffered(INVENTORY_CONCURRENCY)
                .collect()
                .await;
            let mut entries = Vec::with_capacity(statuses.len());
            for status in statuses {
                let status = status.map_err(|e| e.to_string())?;
                let plain = status.name.clone().unwrap_or_else(|| status.id.clone());
                let (namespace, name) = host_names(&status, ("", &plain));
                entries.push(HostEntry {
                    namespace,
                    name,
                    status: StatusView::from(&status),
                });
            }
            Ok::<_, String>(entries)
        };
        let entries = tokio::select! {
            entries = read_all => entries,
            _ = cancel.cancelled() => return (Value::Null, vec![cancelled()]),
        };
        match entries {
            Ok(entries) => (hosts_value(&config, &filters, &entries), Vec::new()),
            Err(e) => (
                Value::Null,
                vec![Diagnostic::error("Listing hosts failed", e)],
            ),
        }
    }
}
