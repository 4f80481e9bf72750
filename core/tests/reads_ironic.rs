//! Reads of many hosts against the REAL Ironic of the test stack: they share one list of nodes and
//! ports (counted by a proxy in front of Ironic), read the inventory only after a new inspection,
//! and never hide a change this process made. Without METAL3_TEST_STACK the tests say so loudly
//! and pass, unless METAL3_REQUIRE_STACK=1.

#[macro_use]
mod common;
mod fault_proxy;

use common::{ctx, delete_options, ensure_ok, Stack};

use fault_proxy::FaultProxy;
use metal3_core::client::{ClientConfig, IronicClient};
use metal3_core::lifecycle::{
    AutomatedCleaningMode, HostSpec, InspectionMode, Lifecycle, LifecycleConfig,
};

fn quick_spec(prefix: &str) -> HostSpec {
    let mut spec = common::fake_spec("reads", prefix);
    spec.inspection_mode = InspectionMode::Disabled;
    spec
}

async fn delete_all(lc: &Lifecycle, ids: &[String]) {
    for id in ids {
        lc.delete(id, &delete_options(AutomatedCleaningMode::Disabled), &ctx())
            .await
            .expect("delete");
    }
}

/// A lifecycle whose requests a proxy counts; in an Ironic of more than one page, its first
/// `direct_reads` reads read their host on their own. `page_size` 2 makes the test stack's
/// Ironic a large one.
async fn counted_lifecycle(
    stack: &Stack,
    direct_reads: u64,
    page_size: Option<u32>,
) -> (FaultProxy, Lifecycle) {
    let proxy = FaultProxy::reserve(&stack.str("ironic_url"));
    proxy.start().await;
    let client = IronicClient::connect(ClientConfig::new(proxy.url()))
        .await
        .unwrap();
    let config = LifecycleConfig {
        direct_reads: Some(direct_reads),
        list_page_size: page_size,
        ..stack.lifecycle_config()
    };
    (proxy.clone(), Lifecycle::new(client, config))
}

async fn quick_hosts(lc: &Lifecycle, prefix: &str, count: usize) -> (Vec<HostSpec>, Vec<String>) {
    let specs: Vec<HostSpec> = (0..count)
        .map(|i| quick_spec(&format!("{prefix}{i}")))
        .collect();
    let mut ids = Vec::new();
    for spec in &specs {
        ids.push(ensure_ok(lc, spec, None).await.id);
    }
    (specs, ids)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_of_many_hosts_share_one_list_of_nodes_and_ports() {
    let stack = stack_or_skip!();
    let direct = stack.lifecycle().await;
    let (specs, ids) = quick_hosts(&direct, "many", 4).await;
    let (proxy, lc) = counted_lifecycle(&stack, 0, None).await;
    let before = proxy.forwarded();
    let reads = ids.iter().map(|id| lc.read(id, None));
    let statuses = futures::future::join_all(reads).await;
    // One page of nodes and one of ports, whatever the number of hosts.
    assert_eq!(proxy.forwarded() - before, 2, "requests for 4 reads");
    assert_eq!(lc.snapshots().lists_read(), 1);
    for (id, status) in ids.iter().zip(statuses) {
        let read = status.unwrap().expect("node");
        let direct_status = direct.status(id).await.unwrap().expect("node");
        assert_eq!(
            read, direct_status,
            "a shared read reports what a direct one does"
        );
        assert!(
            read.boot_mac_address.is_some(),
            "ports come from the shared list"
        );
    }
    // By name as well as by UUID, still from the same list.
    let name = specs[0].node_name();
    let by_name = lc.read(&name, None).await.unwrap();
    assert_eq!(by_name.map(|s| s.id), Some(ids[0].clone()));
    assert_eq!(lc.snapshots().lists_read(), 1);
    delete_all(&direct, &ids).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_a_large_ironic_the_first_reads_read_their_host_alone_and_later_ones_share_a_list() {
    let stack = stack_or_skip!();
    let direct = stack.lifecycle().await;
    let (_, ids) = quick_hosts(&direct, "few", 4).await;
    // Pages of 2: the stack's Ironic (these 4 nodes at least) is more than one page.
    let (proxy, lc) = counted_lifecycle(&stack, 2, Some(2)).await;
    let statuses = futures::future::join_all(ids.iter().map(|id| lc.read(id, None))).await;
    // One page of UUIDs tells the size, two hosts are read alone (node, ports), and the other
    // two share one list of every node and port (paged).
    // The connect's credentials check, then the size probe.
    assert_eq!(proxy.forwarded_matching("GET", "/v1/nodes"), 2);
    let read_alone: usize = ids
        .iter()
        .map(|id| proxy.forwarded_matching("GET", &format!("/v1/nodes/{id}")))
        .sum();
    assert_eq!(read_alone, 2);
    assert!(
        proxy.forwarded_matching("GET", "/v1/nodes/detail") >= 2,
        "paged list"
    );
    assert_eq!(lc.snapshots().lists_read(), 1);
    for (id, status) in ids.iter().zip(statuses) {
        let read = status.unwrap().expect("node");
        assert_eq!(read, direct.status(id).await.unwrap().expect("node"));
    }
    delete_all(&direct, &ids).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_a_one_page_ironic_every_read_shares_the_list() {
    let stack = stack_or_skip!();
    let direct = stack.lifecycle().await;
    let (_, ids) = quick_hosts(&direct, "small", 3).await;
    // The defaults: ten reads alone in a large Ironic, pages of 500 (the stack has fewer nodes).
    let (proxy, lc) = counted_lifecycle(&stack, metal3_core::lifecycle::DIRECT_READS, None).await;
    let before = proxy.forwarded();
    let statuses = futures::future::join_all(ids.iter().map(|id| lc.read(id, None))).await;
    // The size probe, then one page of nodes and one of ports.
    assert_eq!(proxy.forwarded() - before, 1 + 2, "requests for 3 reads");
    for (id, status) in ids.iter().zip(statuses) {
        assert_eq!(status.unwrap().expect("node").id, *id);
    }
    delete_all(&direct, &ids).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_made_by_this_process_is_never_read_from_an_older_list() {
    let stack = stack_or_skip!();
    let lc = stack.lifecycle().await;
    let mut spec = quick_spec("own-change");
    let id = ensure_ok(&lc, &spec, None).await.id;
    let read = lc.read(&id, None).await.unwrap().expect("node");
    assert_eq!(read.description, spec.description);
    spec.description = Some("changed by this process".into());
    ensure_ok(&lc, &spec, Some(&id)).await;
    let read = lc.read(&id, None).await.unwrap().expect("node");
    assert_eq!(read.description.as_deref(), Some("changed by this process"));
    // A node gone since the list is asked for directly, and reads as gone.
    lc.delete(
        &id,
        &delete_options(AutomatedCleaningMode::Disabled),
        &ctx(),
    )
    .await
    .unwrap();
    assert!(lc.read(&id, None).await.unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inventory_is_read_again_only_after_a_new_inspection() {
    // From the shared list: node and port lists once, the inventory once.
    inventory_is_read_only_after_a_new_inspection(0, None, 3).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_read_alone_reads_its_inventory_only_after_a_new_inspection() {
    // In a large Ironic (pages of 2): the size probe, then each read alone: node and ports
    // twice, the inventory once.
    inventory_is_read_only_after_a_new_inspection(2, Some(2), 1 + 2 * 2 + 1).await;
}

async fn inventory_is_read_only_after_a_new_inspection(
    direct_reads: u64,
    page_size: Option<u32>,
    requests: u32,
) {
    let stack = stack_or_skip!();
    let direct = stack.lifecycle().await;
    let mut spec = common::fake_spec("reads", "inspected");
    spec.inspection_mode = InspectionMode::Agent;
    let status = ensure_ok(&direct, &spec, None).await;
    let inspected_at = status.inspection_finished_at.clone().expect("inspected");
    assert!(status.hardware.is_some());

    let (proxy, lc) = counted_lifecycle(&stack, direct_reads, page_size).await;
    let before = proxy.forwarded();
    let known = lc
        .read(&status.id, Some(&inspected_at))
        .await
        .unwrap()
        .unwrap();
    assert!(
        known.hardware.is_none(),
        "the caller's hardware details stand"
    );
    assert_eq!(
        known.inspection_finished_at.as_deref(),
        Some(inspected_at.as_str())
    );
    assert_eq!(proxy.forwarded_matching("GET", "/inventory"), 0);
    let older = lc.read(&status.id, Some("2000-01-01T00:00:00+00:00")).await;
    assert_eq!(older.unwrap().unwrap().hardware, status.hardware);
    assert_eq!(proxy.forwarded_matching("GET", "/inventory"), 1);
    assert_eq!(proxy.forwarded() - before, requests);
    delete_all(&direct, &[status.id]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listing_page_by_page_holds_one_page_and_reads_no_inventory_unless_asked() {
    use futures::StreamExt;
    let stack = stack_or_skip!();
    let direct = stack.lifecycle().await;
    let (_, ids) = quick_hosts(&direct, "paged", 5).await;
    let (proxy, lc) = counted_lifecycle(&stack, 0, Some(2)).await;
    let before = proxy.forwarded_matching("GET", "/v1/nodes/detail");
    let pages: Vec<_> = lc.list_pages(false).collect().await;
    let pages: Vec<_> = pages.into_iter().map(|p| p.expect("page")).collect();
    // Pages of 2 in Ironic's name order: every node once, each page read when asked for.
    assert!(pages.iter().all(|p| p.len() <= 2), "pages of at most 2");
    let listed: Vec<&str> = pages.iter().flatten().map(|s| s.id.as_str()).collect();
    for id in &ids {
        assert_eq!(listed.iter().filter(|l| *l == id).count(), 1, "{id} once");
    }
    let names: Vec<String> = pages
        .iter()
        .flatten()
        .map(|s| s.name.clone().unwrap_or_default())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "Ironic's name order across pages");
    assert_eq!(
        proxy.forwarded_matching("GET", "/v1/nodes/detail") - before,
        pages.len(),
        "one request per page (a full last page is followed by an empty one)"
    );
    assert_eq!(proxy.forwarded_matching("GET", "/inventory"), 0);
    for status in pages.iter().flatten().filter(|s| ids.contains(&s.id)) {
        assert_eq!(
            Some(status),
            direct.status(&status.id).await.unwrap().as_ref()
        );
    }
    // A consumer that stops after the first page stops the reading.
    let before = proxy.forwarded_matching("GET", "/v1/nodes/detail");
    let first = lc.list_pages(false).next().await.expect("a page").unwrap();
    assert_eq!(first.len(), 2);
    assert_eq!(
        proxy.forwarded_matching("GET", "/v1/nodes/detail") - before,
        1
    );
    delete_all(&direct, &ids).await;
}
