use super::schema::ListConfig;
use super::*;
use crate::codec::shape::complete_object;
use crate::codec::Value;
use crate::host::fake::{host, FakeHosts};
use tokio_util::sync::CancellationToken;

const N: super::schema::ListConfigNames = ListConfig::NAMES;

fn list_of(fake: &Arc<FakeHosts>) -> HostList {
    HostList::new(ProviderState::connected_to(fake.clone(), "metal3"))
}

async fn run(list: &HostList, config: Value, include: bool) -> Vec<ListedResource> {
    let ty = list.declaration().schema().block.value_type();
    let (tx, mut rx) = tokio::sync::mpsc::channel(16);
    let request = ListRequest {
        config: complete_object(&config, &ty),
        include_resource_object: include,
        limit: None,
        resource_schema: crate::resources::baremetal_host::schema::schema(),
        cancel: CancellationToken::new(),
    };
    list.list(request, tx).await;
    let mut out = Vec::new();
    while let Some(item) = rx.recv().await {
        out.push(item);
    }
    out
}

fn unmanaged(id: &str, node_name: &str) -> metal3_core::lifecycle::HostStatus {
    metal3_core::lifecycle::HostStatus {
        recorded_identity: None,
        ..host(id, node_name)
    }
}

#[tokio::test]
async fn lists_importable_nodes_page_by_page_with_identity_and_reads_only() {
    let fake = Arc::new(FakeHosts::with([
        host("u-2", "lab~b"),
        host("u-1", "lab~a"),
        unmanaged("u-3", "plain-node"),
        unmanaged("u-4", "Not_A_Host_Name"),
        host("u-5", "prod~c"),
    ]));
    let items = run(
        &list_of(&fake),
        Value::object::<[(&str, Value); 0], &str, Value>([]),
        false,
    )
    .await;
    let names: Vec<_> = items.iter().map(|i| i.display_name.as_str()).collect();
    assert_eq!(names, ["lab/a", "lab/b", "metal3/plain-node", "prod/c"]);
    assert_eq!(items[2].identity, identity_value("metal3", "plain-node"));
    assert!(items
        .iter()
        .all(|i| i.resource_object.is_none() && i.diagnostics.is_empty()));
    // Three pages of two: every page is listed, and no inventory is read without objects.
    assert_eq!(fake.calls(), ["list_pages hardware=false"]);
}

#[tokio::test]
async fn filters_combine_and_unmanaged_means_no_recorded_identity() {
    let fake = Arc::new(FakeHosts::with([
        host("u-1", "lab~worker-0"),
        unmanaged("u-2", "lab~worker-1"),
        unmanaged("u-3", "lab~storage-0"),
        unmanaged("u-4", "prod~worker-2"),
    ]));
    let list = list_of(&fake);
    let config = Value::object([
        (N.namespace, Value::from("lab")),
        (N.name_prefix, Value::from("worker-")),
        (N.unmanaged_only, Value::from(true)),
    ]);
    let items = run(&list, config, true).await;
    assert_eq!(fake.calls(), ["list_pages hardware=true"]);
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].identity, identity_value("lab", "worker-1"));
    let object = items[0].resource_object.as_ref().expect("resource object");
    object
        .conforms(
            &crate::resources::baremetal_host::schema::schema()
                .block
                .value_type(),
        )
        .unwrap();
    assert_eq!(object.get("name").and_then(Value::as_str), Some("worker-1"));
    assert_eq!(object.get("namespace").and_then(Value::as_str), Some("lab"));
    assert!(object
        .get("bmc")
        .unwrap()
        .get("password")
        .unwrap()
        .is_null());
}

#[tokio::test]
async fn bad_filters_are_errors_naming_the_attribute() {
    let fake = Arc::new(FakeHosts::with([host("u-1", "lab~a")]));
    let list = list_of(&fake);
    let ty = list.declaration().schema().block.value_type();
    let config = complete_object(
        &Value::object([(N.provisioning_state, "deployed"), (N.namespace, "Lab")]),
        &ty,
    );
    let errors = list.declaration().validate(&config);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors.iter().any(
        |d| d.detail.contains("`provisioning_state` is \"deployed\"")
            && d.detail.contains("`provisioned`")
    ));
    assert!(errors
        .iter()
        .any(|d| d.attribute.as_ref().map(|a| a.to_string()) == Some("namespace".into())));
    let items = run(
        &list,
        Value::object([(N.provisioning_state, "deployed")]),
        false,
    )
    .await;
    assert_eq!(items.len(), 1);
    assert!(items[0].diagnostics.iter().any(|d| d.is_error()));
    assert!(fake.calls().is_empty(), "a bad filter reads nothing");
}

#[tokio::test]
async fn a_name_prefix_no_host_name_can_start_with_is_refused() {
    let fake = Arc::new(FakeHosts::with([host("u-1", "lab~worker-0")]));
    let list = list_of(&fake);
    let ty = list.declaration().schema().block.value_type();
    let refused = |prefix: &str| {
        let config = complete_object(&Value::object([(N.name_prefix, prefix)]), &ty);
        let list = &list;
        async move { list.declaration().validate(&config) }
    };
    for bad in [
        "Worker",
        "lab~worker",
        "lab/worker",
        "-w",
        ".w",
        "w..",
        "w.-",
        "w_",
        "wörker",
        " w",
    ] {
        let errors = refused(bad).await;
        assert_eq!(errors.len(), 1, "{bad}: {errors:?}");
        let d = &errors[0];
        assert_eq!(
            d.attribute.as_ref().map(|a| a.to_string()).as_deref(),
            Some("name_prefix")
        );
        assert!(
            d.detail.contains("cannot begin any host name") && d.detail.contains("DNS-1123")
                || d.detail.contains("start and end")
                || d.detail.contains("empty parts"),
            "{bad}: {}",
            d.detail
        );
    }
    for good in [
        "",
        "w",
        "worker-",
        "rack1.",
        "rack1.node-",
        &"x".repeat(253),
    ] {
        assert!(refused(good).await.is_empty(), "{good}");
    }
    assert!(!refused(&"x".repeat(254)).await.is_empty());
    let items = run(&list, Value::object([(N.name_prefix, "worker-")]), false).await;
    assert_eq!(
        items.len(),
        1,
        "a prefix without the namespace finds the host"
    );
}

#[test]
fn unknown_filters_wait_and_known_ones_are_judged() {
    // `terraform validate` sends variables as unknown: nothing to judge yet.
    let config = Value::object([
        (N.namespace, Value::unknown()),
        (N.unmanaged_only, Value::unknown()),
    ]);
    assert_eq!(Filters::parse(&config), Ok(Filters::default()));
    let errors = Filters::parse(&Value::object([(N.namespace, "Lab")])).unwrap_err();
    assert_eq!(
        errors[0]
            .attribute
            .as_ref()
            .map(|a| a.to_string())
            .as_deref(),
        Some(N.namespace)
    );
}
