//! Ironic API client: one shared HTTP client (connection reuse, rustls), microversion
//! negotiation, auth, retries, and Ironic's errors made readable.
//!
//! `IronicClient` is cheap to clone; clones share the connection pool.

mod api_version;
mod config;
mod error;
mod provision_state;
mod retry;
mod roots;
pub mod scrub;
mod tls;
mod transport;
mod types;
mod version;

#[cfg(test)]
pub(crate) mod tests;

pub use api_version::ApiVersion;
pub use config::{Auth, ClientConfig, RetryPolicy};
pub use error::{error_message, IronicError};
pub use provision_state::ProvisionState;
pub use retry::{backoff_delay, is_retryable};
#[cfg(test)]
pub(crate) use types::node_from_json;
pub use types::{
    InterfaceValidation, JsonObject, Node, NodeCreate, NodeFilter, NodeValidation, PatchOp, Port,
    PortCreate, PowerTarget, ProvisionOptions, ProvisionTarget,
};
pub use version::{
    negotiate, parse_root_document, ServerVersions, MAX_API_VERSION, MIN_API_VERSION,
};

use std::sync::Arc;
use std::time::Instant;

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use transport::Transport;
use types::ProvisionBody;

pub type Result<T, E = IronicError> = std::result::Result<T, E>;

/// A connected Ironic client. Clone freely: clones share one connection pool.
#[derive(Clone, Debug)]
pub struct IronicClient {
    inner: Arc<Transport>,
    /// Replaces the configured retry policy (see [`IronicClient::retrying_until`]).
    retry: Option<Arc<RetryPolicy>>,
}

/// Where the next page of a paged list is (the query of Ironic's `next` link).
#[derive(Debug, Clone)]
pub struct NextPage(Vec<(String, String)>);

#[derive(Deserialize)]
struct NodePage {
    #[serde(default)]
    nodes: Vec<Node>,
    #[serde(default)]
    next: Option<String>,
}

#[derive(Deserialize)]
struct PortPage {
    #[serde(default)]
    ports: Vec<Port>,
    #[serde(default)]
    next: Option<String>,
}

#[derive(Deserialize)]
struct InventoryResponse {
    #[serde(default)]
    inventory: Option<Value>,
}

impl IronicClient {
    /// Builds the HTTP client, reads Ironic's version range, picks the microversion and checks
    /// that the credentials are accepted. Fails with one clear error for a wrong URL, wrong
    /// credentials or a too old Ironic.
    pub async fn connect(config: ClientConfig) -> Result<IronicClient> {
        let transport = Transport::connect(config).await?;
        let client = IronicClient {
            inner: Arc::new(transport),
            retry: None,
        };
        // The root document answers without credentials; this one does not.
        client
            .get_json::<Value>(&["v1", "nodes"], &[("limit", "1"), ("fields", "uuid")])
            .await?;
        Ok(client)
    }

    /// The microversion sent with every request.
    pub fn api_version(&self) -> ApiVersion {
        self.inner.api_version()
    }

    /// The microversion range the server announced.
    pub fn server_versions(&self) -> ServerVersions {
        self.inner.server_versions()
    }

    /// The API root this client talks to.
    pub fn url(&self) -> &str {
        self.inner.base_url()
    }

    /// A clone (same connections) whose retries of an outage, a busy node or 503 go on until
    /// `deadline` instead of the configured budget: an operation with a one-hour timeout
    /// survives an Ironic restart that takes longer than the default two minutes.
    pub fn retrying_until(&self, deadline: Instant) -> IronicClient {
        let base = self.inner.retry_policy();
        IronicClient {
            inner: self.inner.clone(),
            retry: Some(Arc::new(RetryPolicy {
                max_attempts: u32::MAX,
                max_elapsed: deadline.saturating_duration_since(Instant::now()),
                ..base.clone()
            })),
        }
    }

    /// A clone (same connections) with another retry policy, e.g. the normal one after a
    /// connect that used a short one to fail fast.
    pub fn with_retry_policy(&self, policy: RetryPolicy) -> IronicClient {
        IronicClient {
            inner: self.inner.clone(),
            retry: Some(Arc::new(policy)),
        }
    }

    async fn send(
        &self,
        method: Method,
        path: &[&str],
        query: &[(&str, &str)],
        body: Option<Vec<u8>>,
        idempotent: bool,
    ) -> Result<(String, Vec<u8>)> {
        let policy = self
            .retry
            .as_deref()
            .unwrap_or_else(|| self.inner.retry_policy());
        self.inner
            .send(policy, method, path, query, body, idempotent)
            .await
    }

    async fn get_json<T: DeserializeOwned>(
        &self,
        path: &[&str],
        query: &[(&str, &str)],
    ) -> Result<T> {
        let (request, body) = self.send(Method::GET, path, query, None, true).await?;
        decode(&request, &body)
    }

    async fn get_optional<T: DeserializeOwned>(
        &self,
        path: &[&str],
        query: &[(&str, &str)],
    ) -> Result<Option<T>> {
        match self.get_json(path, query).await {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Whether Ironic holds more than `count` nodes (one page of UUIDs only: cheap).
    pub async fn has_more_nodes_than(&self, count: u32) -> Result<bool> {
        #[derive(Deserialize)]
        struct UuidPage {
            #[serde(default)]
            nodes: Vec<Value>,
            #[serde(default)]
            next: Option<String>,
        }
        let limit = count.saturating_add(1).to_string();
        let page: UuidPage = self
            .get_json(
                &["v1", "nodes"],
                &[("limit", limit.as_str()), ("fields", "uuid")],
            )
            .await?;
        Ok(page.nodes.len() > count as usize || page.next.is_some())
    }

    /// All nodes with details, following Ironic's pagination.
    pub async fn list_nodes(&self, filter: &NodeFilter) -> Result<Vec<Node>> {
        let mut query: Vec<(String, String)> = Vec::new();
        let mut push = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                query.push((k.to_owned(), v));
            }
        };
        push("provision_state", filter.provision_state.clone());
        push("driver", filter.driver.clone());
        push("maintenance", filter.maintenance.map(|m| m.to_string()));
        push("resource_class", filter.resource_class.clone());
        push("limit", filter.page_size.map(|l| l.to_string()));
        self.get_pages(&["v1", "nodes", "detail"], query, |page: NodePage| {
            (page.nodes, page.next)
        })
        .await
    }

    /// One page of nodes with details, in name order: the first page when `next` is `None`,
    /// else the page `next` (from the previous answer) points at. Returns the page and where the
    /// one after it is (`None` after the last), so that a caller keeping one page at a time
    /// goes through any number of nodes in bounded memory.
    pub async fn node_page(
        &self,
        page_size: u32,
        next: Option<&NextPage>,
    ) -> Result<(Vec<Node>, Option<NextPage>)> {
        let first = [
            ("limit".to_owned(), page_size.to_string()),
            ("sort_key".to_owned(), "name".to_owned()),
        ];
        let query = next.map_or(&first[..], |n| &n.0[..]);
        let q: Vec<(&str, &str)> = query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let page: NodePage = self.get_json(&["v1", "nodes", "detail"], &q).await?;
        let next = match page.next {
            Some(link) if !page.nodes.is_empty() => Some(NextPage(next_query(&link)?)),
            _ => None,
        };
        Ok((page.nodes, next))
    }

    /// Follows Ironic's `next` links from the first page at `path` with `query`; `split` takes a
    /// page apart into its items and the link to the next page.
    async fn get_pages<P, T>(
        &self,
        path: &[&str],
        mut query: Vec<(String, String)>,
        split: impl Fn(P) -> (Vec<T>, Option<String>),
    ) -> Result<Vec<T>>
    where
        P: DeserializeOwned,
    {
        let mut items = Vec::new();
        loop {
            let q: Vec<(&str, &str)> = query
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let (page, next) = split(self.get_json(path, &q).await?);
            let done = page.is_empty();
            items.extend(page);
            match next {
                Some(next) if !done => query = next_query(&next)?,
                _ => return Ok(items),
            }
        }
    }

    /// One node by UUID or name; `None` when Ironic does not know it.
    pub async fn get_node(&self, id_or_name: &str) -> Result<Option<Node>> {
        self.get_optional(&["v1", "nodes", id_or_name], &[]).await
    }

    /// Creates a node (in `enroll`). Not retried after a lost answer, so it is never created twice.
    pub async fn create_node(&self, node: &NodeCreate) -> Result<Node> {
        let body = encode(node)?;
        let (request, resp) = self
            .send(Method::POST, &["v1", "nodes"], &[], Some(body), false)
            .await?;
        decode(&request, &resp)
    }

    /// Applies a JSON patch to a node and returns the updated node.
    pub async fn patch_node(&self, id: &str, ops: &[PatchOp]) -> Result<Node> {
        let body = encode(ops)?;
        let (request, resp) = self
            .send(Method::PATCH, &["v1", "nodes", id], &[], Some(body), true)
            .await?;
        decode(&request, &resp)
    }

    /// Puts a node in maintenance (`Some(reason)`) or takes it out (`None`, which also clears
    /// the reason).
    pub async fn set_maintenance(&self, id: &str, reason: Option<&str>) -> Result<()> {
        let path = ["v1", "nodes", id, "maintenance"];
        match reason {
            Some(reason) => {
                let body = encode(&serde_json::json!({ "reason": reason }))?;
                self.send(Method::PUT, &path, &[], Some(body), true).await?;
            }
            None => {
                self.send(Method::DELETE, &path, &[], None, true).await?;
            }
        }
        Ok(())
    }

    /// Deletes a node. `Ok(false)` when it was already gone.
    pub async fn delete_node(&self, id: &str) -> Result<bool> {
        self.delete(&["v1", "nodes", id]).await
    }

    /// Asks for a provision state change (202: Ironic works on it asynchronously; poll the node).
    /// Not repeated after a lost answer: Ironic may have taken the first, and refuses the second
    /// (e.g. "cannot inspect while in inspect wait"). The lifecycle re-reads the node instead.
    pub async fn set_provision_state(
        &self,
        id: &str,
        target: ProvisionTarget,
        options: &ProvisionOptions,
    ) -> Result<()> {
        let body = encode(&ProvisionBody {
            target,
            configdrive: options.configdrive.as_ref(),
            clean_steps: options.clean_steps.as_ref(),
            deploy_steps: options.deploy_steps.as_ref(),
            service_steps: options.service_steps.as_ref(),
            disable_ramdisk: options.disable_ramdisk,
        })?;
        self.send(
            Method::PUT,
            &["v1", "nodes", id, "states", "provision"],
            &[],
            Some(body),
            false,
        )
        .await?;
        Ok(())
    }

    /// Asks for a power state change; `timeout_secs` bounds Ironic's own wait for the BMC. Not
    /// repeated after a lost answer, like provision state changes.
    pub async fn set_power_state(
        &self,
        id: &str,
        target: PowerTarget,
        timeout_secs: Option<u32>,
    ) -> Result<()> {
        let mut body = serde_json::Map::new();
        body.insert("target".into(), serde_json::json!(target));
        if let Some(t) = timeout_secs {
            body.insert("timeout".into(), t.into());
        }
        self.send(
            Method::PUT,
            &["v1", "nodes", id, "states", "power"],
            &[],
            Some(encode(&body)?),
            false,
        )
        .await?;
        Ok(())
    }

    /// The ports of a node (by UUID or name), with details.
    pub async fn list_ports(&self, node: &str) -> Result<Vec<Port>> {
        let query = vec![("node".to_owned(), node.to_owned())];
        self.get_pages(&["v1", "ports", "detail"], query, |page: PortPage| {
            (page.ports, page.next)
        })
        .await
    }

    /// Every port Ironic knows, with details, `page_size` at a time (Ironic caps it at its own
    /// `max_limit`).
    pub async fn list_all_ports(&self, page_size: u32) -> Result<Vec<Port>> {
        let query = vec![("limit".to_owned(), page_size.to_string())];
        self.get_pages(&["v1", "ports", "detail"], query, |page: PortPage| {
            (page.ports, page.next)
        })
        .await
    }

    /// The port with this MAC address, on whatever node; `None` when no node has it.
    pub async fn find_port(&self, address: &str) -> Result<Option<Port>> {
        let page: PortPage = self
            .get_json(&["v1", "ports", "detail"], &[("address", address)])
            .await?;
        Ok(page.ports.into_iter().next())
    }

    /// Creates a port (a NIC's MAC) on a node given by UUID.
    pub async fn create_port(&self, port: &PortCreate) -> Result<Port> {
        let body = encode(port)?;
        let (request, resp) = self
            .send(Method::POST, &["v1", "ports"], &[], Some(body), false)
            .await?;
        decode(&request, &resp)
    }

    /// Deletes a port. `Ok(false)` when it was already gone.
    pub async fn delete_port(&self, id: &str) -> Result<bool> {
        self.delete(&["v1", "ports", id]).await
    }

    /// The hardware inventory the agent reported during inspection (ironic-python-agent's
    /// format); `None` when the node is unknown or was never inspected.
    pub async fn get_inventory(&self, id: &str) -> Result<Option<Value>> {
        let resp: Option<InventoryResponse> = self
            .get_optional(&["v1", "nodes", id, "inventory"], &[])
            .await?;
        Ok(resp.and_then(|r| r.inventory))
    }

    /// The newest error event of the node's history (API 1.78+), e.g. why Ironic failed an
    /// inspection whose timeout left `last_error` empty; `None` when there is none.
    pub async fn latest_error_event(&self, id: &str) -> Result<Option<String>> {
        let Some(history) = self
            .get_optional::<Value>(&["v1", "nodes", id, "history"], &[("detail", "true")])
            .await?
        else {
            return Ok(None);
        };
        let newest = history
            .get("history")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|event| event["severity"].as_str() == Some("ERROR"))
            .max_by(|a, b| {
                let at = |e: &Value| e["created_at"].as_str().unwrap_or_default().to_owned();
                at(a).cmp(&at(b))
            });
        Ok(newest.and_then(|event| event["event"].as_str().map(scrub::scrub)))
    }

    /// The node's BIOS settings with their registry entries (`detail=true`, API 1.74+), as
    /// Ironic answers (`{"bios": [...]}`); `None` when the node is unknown.
    pub async fn get_bios(&self, id: &str) -> Result<Option<Value>> {
        self.get_optional(&["v1", "nodes", id, "bios"], &[("detail", "true")])
            .await
    }

    /// The node's firmware components and their versions (API 1.86+), as Ironic answers
    /// (`{"firmware": [...]}`); `None` when the node is unknown.
    pub async fn get_firmware(&self, id: &str) -> Result<Option<Value>> {
        self.get_optional(&["v1", "nodes", id, "firmware"], &[])
            .await
    }

    /// Sets the RAID configuration the next `create_configuration` step builds.
    pub async fn set_target_raid_config(&self, id: &str, config: &Value) -> Result<()> {
        let body = encode(config)?;
        self.send(
            Method::PUT,
            &["v1", "nodes", id, "states", "raid"],
            &[],
            Some(body),
            false,
        )
        .await?;
        Ok(())
    }

    /// Ironic's validation of each of the node's interfaces.
    pub async fn validate_node(&self, id: &str) -> Result<NodeValidation> {
        self.get_json(&["v1", "nodes", id, "validate"], &[]).await
    }

    async fn delete(&self, path: &[&str]) -> Result<bool> {
        match self.send(Method::DELETE, path, &[], None, true).await {
            Ok(_) => Ok(true),
            Err(e) if e.is_not_found() => Ok(false),
            Err(e) => Err(e),
        }
    }
}

fn encode<T: serde::Serialize + ?Sized>(value: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(|e| IronicError::Config(format!("cannot encode body: {e}")))
}

fn decode<T: DeserializeOwned>(request: &str, body: &[u8]) -> Result<T> {
    serde_json::from_slice(body).map_err(|e| IronicError::Decode {
        request: request.to_owned(),
        message: e.to_string(),
    })
}

/// Ironic's `next` link is absolute and built from Ironic's idea of its own address, which may
/// differ from ours (proxies); only its query (limit, marker, filters) is reused.
fn next_query(next: &str) -> Result<Vec<(String, String)>> {
    let url = url::Url::parse(next).map_err(|e| IronicError::Decode {
        request: "pagination".to_owned(),
        message: format!("bad `next` link {next:?}: {e}"),
    })?;
    Ok(url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect())
}
