//! One read of the whole fleet shared by many host reads. A Terraform plan reads every host it
//! manages at once; one GET per host (node, ports, inventory) made a no-op plan of 200 hosts take
//! 26 s. Reads that arrive while a list is under way, or shortly after it finished, share that
//! list of all nodes and ports (paged) instead.
//!
//! The list holds every node Ironic has, whichever workspace manages it. Where that is one page
//! (up to 500 nodes, asked once per process with a page of UUIDs), every read shares it. In a
//! larger Ironic a workspace of a few hosts would pay for all of them, so there the first
//! [`DIRECT_READS`] reads of a process (one Terraform command) read their host on their own,
//! and only a plan that reads more hosts than that lists.
//!
//! A snapshot is only ever used for reads: every operation re-reads its node itself. A mutation
//! by this process makes the snapshot stale at once, so a read never reports the state from
//! before a change this process made. A change made elsewhere between the list and the plan
//! shows in the next plan, as it would have if it had come a moment later.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{Mutex, OnceCell};

use crate::client::{IronicClient, IronicError, Node, NodeFilter, Port};

/// Nodes and ports asked per page: bounded memory per request, few requests per fleet.
pub const PAGE_SIZE: u32 = 500;

/// In an Ironic of more than one page of nodes, the reads of one process that read their host
/// on their own (two or three GETs each) before the next ones share a list: Terraform's default
/// parallelism, so a plan of up to ten hosts never lists a whole large Ironic, and a larger plan
/// pays at most ~30 GETs for it. (In a one-page Ironic they cost more than the list: 20 GETs
/// made a no-op plan of 50 hosts 0.2 s slower.)
pub const DIRECT_READS: u64 = 10;

/// All nodes and ports at one moment.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// In Ironic's order.
    nodes: Vec<Node>,
    /// Index in `nodes` by UUID and by name.
    index: HashMap<String, usize>,
    ports: HashMap<String, Vec<Port>>,
    read_at: Option<Instant>,
}

impl Snapshot {
    pub fn new(nodes: Vec<Node>, ports: Vec<Port>) -> Snapshot {
        let mut index = HashMap::with_capacity(nodes.len().saturating_mul(2));
        for (i, node) in nodes.iter().enumerate() {
            if let Some(name) = &node.name {
                index.insert(name.clone(), i);
            }
            index.insert(node.uuid.clone(), i);
        }
        let mut by_node: HashMap<String, Vec<Port>> = HashMap::new();
        for port in ports {
            by_node
                .entry(port.node_uuid.clone())
                .or_default()
                .push(port);
        }
        Snapshot {
            nodes,
            index,
            ports: by_node,
            read_at: Some(Instant::now()),
        }
    }

    /// A node by UUID or name.
    pub fn node(&self, id_or_name: &str) -> Option<&Node> {
        self.index.get(id_or_name).and_then(|&i| self.nodes.get(i))
    }

    pub fn ports_of(&self, uuid: &str) -> &[Port] {
        self.ports.get(uuid).map(Vec::as_slice).unwrap_or_default()
    }

    /// Every node, in Ironic's order.
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.nodes.iter()
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

/// One list, read once however many ask for it at the same time.
#[derive(Debug)]
struct Entry {
    generation: u64,
    snapshot: OnceCell<Arc<Snapshot>>,
}

/// The shared snapshot of a `Lifecycle` and its clones.
#[derive(Debug)]
pub struct Snapshots {
    window: Duration,
    /// Bumped by every mutating operation: a snapshot from an older generation is stale.
    generation: AtomicU64,
    current: Mutex<Option<Arc<Entry>>>,
    lists: AtomicU64,
    /// Reads asked for so far, and how many of the first read directly (see [`DIRECT_READS`]).
    reads: AtomicU64,
    direct_reads: u64,
    page_size: u32,
    /// Whether Ironic holds more than one page of nodes: asked once, by the first read.
    large: OnceCell<bool>,
}

impl Snapshots {
    /// Snapshots that serve reads for `window` after they were read, listing `page_size` nodes
    /// per page; in an Ironic of more than one page, once `direct_reads` reads have read their
    /// host on their own.
    pub fn new(window: Duration, direct_reads: u64, page_size: u32) -> Snapshots {
        Snapshots {
            window,
            generation: AtomicU64::new(0),
            current: Mutex::new(None),
            lists: AtomicU64::new(0),
            reads: AtomicU64::new(0),
            direct_reads,
            page_size: page_size.max(1),
            large: OnceCell::new(),
        }
    }

    /// Nodes (and ports) per page of a list.
    pub fn page_size(&self) -> u32 {
        self.page_size
    }

    /// Whether snapshots are used at all (a zero window turns them off).
    pub fn enabled(&self) -> bool {
        !self.window.is_zero()
    }

    /// Whether this read should read its host on its own: one of the first `direct_reads` in an
    /// Ironic of more than one page.
    pub async fn read_directly(&self, client: &IronicClient) -> Result<bool, IronicError> {
        if self.direct_reads == 0 {
            return Ok(false);
        }
        let large = *self
            .large
            .get_or_try_init(|| client.has_more_nodes_than(self.page_size))
            .await?;
        Ok(large && self.reads.fetch_add(1, Ordering::SeqCst) < self.direct_reads)
    }

    /// A mutation starts or ended: later reads list again.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// How many lists were read (for tests and benchmarks).
    pub fn lists_read(&self) -> u64 {
        self.lists.load(Ordering::SeqCst)
    }

    /// The current snapshot: the one being read or read within the window, else a new one.
    pub async fn get(&self, client: &IronicClient) -> Result<Arc<Snapshot>, IronicError> {
        let generation = self.generation.load(Ordering::SeqCst);
        let entry = {
            let mut current = self.current.lock().await;
            match current.as_ref() {
                Some(entry) if self.serves(entry, generation) => entry.clone(),
                _ => {
                    let entry = Arc::new(Entry {
                        generation,
                        snapshot: OnceCell::new(),
                    });
                    *current = Some(entry.clone());
                    entry
                }
            }
        };
        entry
            .snapshot
            .get_or_try_init(|| async {
                self.lists.fetch_add(1, Ordering::SeqCst);
                read(client, self.page_size).await.map(Arc::new)
            })
            .await
            .cloned()
    }

    fn serves(&self, entry: &Entry, generation: u64) -> bool {
        if entry.generation != generation {
            return false;
        }
        match entry.snapshot.get() {
            // Being read (or its read failed and the next caller tries again).
            None => true,
            Some(snapshot) => snapshot
                .read_at
                .is_some_and(|at| at.elapsed() < self.window),
        }
    }
}

async fn read(client: &IronicClient, page_size: u32) -> Result<Snapshot, IronicError> {
    let started = Instant::now();
    let filter = NodeFilter {
        page_size: Some(page_size),
        ..NodeFilter::default()
    };
    let nodes = client.list_nodes(&filter).await?;
    let ports = client.list_all_ports(page_size).await?;
    tracing::debug!(
        nodes = nodes.len(),
        ports = ports.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "read the node list shared by this plan's reads"
    );
    Ok(Snapshot::new(nodes, ports))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(uuid: &str, name: Option<&str>) -> Node {
        Node {
            uuid: uuid.into(),
            name: name.map(Into::into),
            ..Node::default()
        }
    }

    fn port(node: &str, mac: &str) -> Port {
        Port {
            uuid: format!("p-{mac}"),
            address: mac.into(),
            node_uuid: node.into(),
            ..Port::default()
        }
    }

    #[test]
    fn finds_nodes_by_uuid_or_name_and_their_ports() {
        let snapshot = Snapshot::new(
            vec![node("u1", Some("lab~a")), node("u2", None)],
            vec![port("u1", "aa"), port("u1", "bb"), port("u3", "cc")],
        );
        assert_eq!(snapshot.node("lab~a").unwrap().uuid, "u1");
        assert_eq!(snapshot.node("u1").unwrap().uuid, "u1");
        assert_eq!(snapshot.node("u2").unwrap().uuid, "u2");
        assert!(snapshot.node("lab~b").is_none());
        assert_eq!(snapshot.ports_of("u1").len(), 2);
        assert!(snapshot.ports_of("u2").is_empty());
        assert_eq!(snapshot.len(), 2);
    }

    #[test]
    fn a_snapshot_serves_within_its_window_and_generation() {
        let snapshots = Snapshots::new(Duration::from_secs(60), 0, PAGE_SIZE);
        let done = |generation, read_at| Entry {
            generation,
            snapshot: OnceCell::new_with(Some(Arc::new(Snapshot {
                read_at: Some(read_at),
                ..Snapshot::default()
            }))),
        };
        let now = Instant::now();
        assert!(snapshots.serves(&done(0, now), 0));
        // A mutation since: stale.
        snapshots.invalidate();
        assert!(!snapshots.serves(&done(0, now), 1));
        // Older than the window: stale.
        let old = now
            .checked_sub(Duration::from_secs(61))
            .expect("uptime over a minute");
        assert!(!snapshots.serves(&done(1, old), 1));
        // Being read: joined.
        let pending = Entry {
            generation: 1,
            snapshot: OnceCell::new(),
        };
        assert!(snapshots.serves(&pending, 1));
    }
}
