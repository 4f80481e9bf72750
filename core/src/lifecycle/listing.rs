//! Every node's status, page by page: listing a fleet of thousands (`terraform query`) holds one
//! page of nodes at a time, plus Ironic's port list (a MAC and a UUID or two per port), instead
//! of every node and inventory at once.

use std::sync::Arc;

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};

use crate::client::NextPage;

use super::engine::{Lifecycle, Result, LIST_CONCURRENCY};
use super::error::LifecycleError;
use super::report::status_with_ports;
use super::snapshot::Snapshot;
#[cfg(doc)]
use super::snapshot::PAGE_SIZE;
use super::spec::HostStatus;

enum Cursor {
    Start,
    At(Arc<Snapshot>, NextPage),
    Done,
}

impl Lifecycle {
    /// Statuses of all nodes, one page (`list_page_size`, default [`PAGE_SIZE`] nodes) per
    /// item, in Ironic's name order. `with_hardware`: read the inventory of inspected nodes (one request each);
    /// without it `hardware` is `None`. Reads only.
    pub fn list_pages(&self, with_hardware: bool) -> BoxStream<'_, Result<Vec<HostStatus>>> {
        let fail = |e| LifecycleError::ironic("(inventory)", e);
        let page_size = self.snapshots().page_size();
        stream::try_unfold(Cursor::Start, move |cursor| async move {
            let (ports, next) = match cursor {
                Cursor::Done => return Ok(None),
                // Ports only: the snapshot indexes them by node.
                Cursor::Start => {
                    let ports = self.client.list_all_ports(page_size).await.map_err(fail)?;
                    (Arc::new(Snapshot::new(Vec::new(), ports)), None)
                }
                Cursor::At(ports, next) => (ports, Some(next)),
            };
            let (nodes, after) = self
                .client
                .node_page(page_size, next.as_ref())
                .await
                .map_err(fail)?;
            let statuses: Vec<HostStatus> = stream::iter(nodes)
                .map(|node| {
                    let ports = ports.clone();
                    async move {
                        // Saying the caller knows this inspection is what skips the inventory.
                        let known = if with_hardware {
                            None
                        } else {
                            node.inspection_finished_at.clone()
                        };
                        status_with_ports(
                            &self.client,
                            &node,
                            ports.ports_of(&node.uuid),
                            known.as_deref(),
                        )
                        .await
                    }
                })
                .buffered(LIST_CONCURRENCY)
                .try_collect()
                .await?;
            let cursor = match after {
                Some(next) => Cursor::At(ports, next),
                None => Cursor::Done,
            };
            Ok(Some((statuses, cursor)))
        })
        .boxed()
    }
}
