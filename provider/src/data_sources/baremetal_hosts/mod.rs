//! `data "metal3_baremetal_hosts"`: the fleet inventory, filtered.

pub mod filter;
pub mod schema;

use std::sync::Arc;

use async_trait::async_trait;
use tokio_util::sync::CancellationToken;

use self::filter::{filters, hosts_value, HostEntry};
use self::schema::HostsQuery;
use super::interrupted::cancelled;
use crate::codec::Value;
use crate::diagnostics::Diagnostic;
use crate::host::status::{host_names, StatusView};
use crate::provider_config::ProviderState;
use crate::server::handlers::{DataSourceHandler, Declaration};
use tfplugin::model::Model;

pub const TYPE_NAME: &str = "metal3_baremetal_hosts";

pub struct HostsDataSource {
    state: Arc<ProviderState>,
    declaration: Declaration,
}

impl HostsDataSource {
    pub fn new(state: Arc<ProviderState>) -> Self {
        HostsDataSource {
            state,
            declaration: Declaration::new(TYPE_NAME, schema::schema())
                .with_doc(include_str!("doc.md"))
                .with_validator(|config| filters(config).err().unwrap_or_default()),
        }
    }
}

#[async_trait]
impl DataSourceHandler for HostsDataSource {
    fn declaration(&self) -> &Declaration {
        &self.declaration
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
        let query = match HostsQuery::decode(&config) {
            Ok(query) => query,
            Err(e) => return (Value::Null, vec![e.to_diagnostic()]),
        };
        let engine = match self.state.engine().await {
            Ok(engine) => engine,
            Err(d) => return (Value::Null, vec![d]),
        };
        let read_all = async {
            let statuses = engine.list().await.map_err(|e| e.to_string())?;
            let entries: Vec<HostEntry> = statuses
                .iter()
                .map(|status| {
                    let plain = status.name.clone().unwrap_or_else(|| status.id.clone());
                    let (namespace, name) = host_names(status, ("", &plain));
                    HostEntry {
                        namespace,
                        name,
                        status: StatusView::from(status),
                    }
                })
                .collect();
            Ok::<_, String>(entries)
        };
        let entries = tokio::select! {
            entries = read_all => entries,
            _ = cancel.cancelled() => return (Value::Null, vec![cancelled()]),
        };
        match entries {
            Ok(entries) => (hosts_value(&query, &filters, &entries), Vec::new()),
            Err(e) => (
                Value::Null,
                vec![Diagnostic::error("Listing hosts failed", e)],
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::shape::complete_object;
    use crate::host::fake::{host, FakeHosts};

    #[tokio::test]
    async fn the_inventory_is_one_list_and_reads_only() {
        let fake = Arc::new(FakeHosts::with([
            host("u-2", "lab~b"),
            host("u-1", "lab~a"),
            host("u-3", "prod~c"),
        ]));
        let source = HostsDataSource::new(ProviderState::connected_to(fake.clone(), "metal3"));
        let ty = source.declaration().schema().block.value_type();
        let config = complete_object(&Value::object([(HostsQuery::NAMES.namespace, "lab")]), &ty);
        let (value, diags) = source.read(config, CancellationToken::new()).await;
        assert!(diags.is_empty(), "{diags:?}");
        let names: Vec<_> = value
            .get(HostsQuery::NAMES.hosts)
            .and_then(Value::as_elements)
            .unwrap()
            .iter()
            .map(|h| h.get("name").and_then(Value::as_str).unwrap().to_owned())
            .collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(fake.calls(), ["list"]);
    }
}
