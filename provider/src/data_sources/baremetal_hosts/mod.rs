//! `data "metal3_baremetal_hosts"`: the fleet inventory, filtered.

pub mod filter;
pub mod schema;

use std::sync::Arc;

use async_trait::async_trait;
use futures::stream::{self, StreamExt};
use metal3_core::client::NodeFilter;
use tokio_util::sync::CancellationToken;

use self::filter::{filters, hosts_value, HostEntry};
use super::cancelled;
use crate::codec::Value;
use crate::diagnostics::Diagnostic;
use crate::host::status::{host_names, StatusView};
use crate::provider_config::ProviderState;
use crate::schema::Schema;
use crate::server::handlers::DataSourceHandler;

pub const TYPE_NAME: &str = "metal3_baremetal_hosts";

/// Inventories fetched at once: enough to hide latency, few enough not to flood Ironic.
const INVENTORY_CONCURRENCY: usize = 8;

pub struct HostsDataSource {
    state: Arc<ProviderState>,
    schema: Schema,
}

impl HostsDataSource {
    pub fn new(state: Arc<ProviderState>) -> Self {
        HostsDataSource {
            state,
            schema: schema::schema(),
        }
    }
}

#[async_trait]
impl DataSourceHandler for HostsDataSource {
    fn type_name(&self) -> &str {
        TYPE_NAME
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn doc_template(&self) -> Option<&str> {
        Some(include_str!("doc.md"))
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
