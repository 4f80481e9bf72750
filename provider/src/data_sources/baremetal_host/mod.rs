//! `data "metal3_baremetal_host"`: one host read from Ironic, whether or not this
//! configuration manages it.

pub mod lookup;
pub mod schema;

use std::sync::Arc;

use async_trait::async_trait;
use tokio_util::sync::CancellationToken;

use self::lookup::{host_value, lookup, HostLookup};
use super::interrupted::cancelled;
use crate::codec::Value;
use crate::diagnostics::Diagnostic;
use crate::host::names::node_name;
use crate::host::status::{host_names, StatusView};
use crate::provider_config::{ProviderState, DEFAULT_NAMESPACE};
use crate::server::handlers::{DataSourceHandler, Declaration};

pub const TYPE_NAME: &str = "metal3_baremetal_host";

pub struct HostDataSource {
    state: Arc<ProviderState>,
    declaration: Declaration,
}

impl HostDataSource {
    pub fn new(state: Arc<ProviderState>) -> Self {
        HostDataSource {
            state,
            declaration: Declaration::new(TYPE_NAME, schema::schema())
                .with_doc(include_str!("doc.md"))
                .with_validator(|config| {
                    lookup(config, DEFAULT_NAMESPACE).err().unwrap_or_default()
                }),
        }
    }
}

#[async_trait]
impl DataSourceHandler for HostDataSource {
    fn declaration(&self) -> &Declaration {
        &self.declaration
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
            status = engine.read(&key, None) => status,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::shape::complete_object;
    use crate::host::fake::{host, FakeHosts};

    async fn read(fake: &Arc<FakeHosts>, name: &str) -> (Value, Vec<Diagnostic>) {
        let source = HostDataSource::new(ProviderState::connected_to(fake.clone(), "lab"));
        let ty = source.declaration().schema().block.value_type();
        let config = complete_object(&Value::object([("name", name)]), &ty);
        source.read(config, CancellationToken::new()).await
    }

    #[tokio::test]
    async fn one_host_by_name_in_the_providers_namespace() {
        let fake = Arc::new(FakeHosts::with([host("u-1", "lab~a")]));
        let (value, diags) = read(&fake, "a").await;
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(value.get("id").and_then(Value::as_str), Some("u-1"));
        assert_eq!(value.get("namespace").and_then(Value::as_str), Some("lab"));

        let (value, diags) = read(&fake, "b").await;
        assert!(value.is_null());
        assert!(
            diags[0].detail.contains("namespace \"lab\", name \"b\""),
            "{diags:?}"
        );
        assert_eq!(fake.calls(), ["read lab~a", "read lab~b"]);
    }
}
