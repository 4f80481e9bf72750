//! Answers lost between the provider and the REAL Ironic of the test stack (`m3stack up`; env
//! METAL3_TEST_STACK=<stack.json>), as a proxy or a restarting Ironic loses them: a connection
//! closed after Ironic took the request, and a gateway's 502/504 before or after forwarding.
//! Each test reads from Ironic (through the proxy's record of what reached it, and the node
//! itself) that nothing was done twice, nothing was left behind, and the lifecycle went on.
//! Without the env the tests say so loudly and pass, unless METAL3_REQUIRE_STACK=1.

#[macro_use]
mod common;
mod fault_proxy;

use common::{ctx, delete_options, ensure_ok, Stack};

use fault_proxy::{FaultProxy, Gateway};
use metal3_core::client::{ClientConfig, IronicClient, IronicError};
use metal3_core::lifecycle::{
    AutomatedCleaningMode, HostSpec, InspectionMode, Lifecycle, ProvisioningState,
};

fn fake_spec(prefix: &str) -> HostSpec {
    let mut spec = common::fake_spec("gateway", prefix);
    spec.inspection_mode = InspectionMode::Disabled;
    spec
}

async fn behind(stack: &Stack, proxy: &FaultProxy) -> Lifecycle {
    let client = IronicClient::connect(ClientConfig::new(proxy.url()))
        .await
        .expect("Ironic answers through the proxy");
    stack.lifecycle_with(client)
}

async fn delete(lc: &Lifecycle, id: &str) {
    lc.delete(id, &delete_options(AutomatedCleaningMode::Disabled), &ctx())
        .await
        .expect("delete");
}

/// How many nodes Ironic holds under the host's name (0, or 1: names are unique).
async fn nodes_named(stack: &Stack, spec: &HostSpec) -> usize {
    let client = stack.client().await;
    usize::from(client.get_node(&spec.node_name()).await.unwrap().is_some())
}

/// Ironic takes `manage`, and the connection closes before its answer: that is a lost answer
/// (the node is re-read and has moved), not "use https://", and `manage` is not sent again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_closed_after_the_request_is_a_lost_answer_not_a_tls_error() {
    let stack = stack_or_skip!();
    let proxy = FaultProxy::reserve(&stack.str("ironic_url"));
    proxy.start().await;
    let lc = behind(&stack, &proxy).await;
    let spec = fake_spec("closed");
    proxy.gateway_next("PUT", "/states/provision", Gateway::LoseAnswer, 1);
    let status = ensure_ok(&lc, &spec, None).await;
    assert_eq!(status.provisioning_state, ProvisioningState::Available);
    // manage (answer lost, taken) and provide: each once.
    assert_eq!(proxy.forwarded_matching("PUT", "/states/provision"), 2);
    delete(&stack.lifecycle().await, &status.id).await;
}

/// The create reached Ironic and its answer was lost: the node it made (recognised by the
/// creation token written in the same request) is resumed, not reported as someone else's and
/// not created twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_create_answer_resumes_the_node_it_made() {
    let stack = stack_or_skip!();
    let proxy = FaultProxy::reserve(&stack.str("ironic_url"));
    proxy.start().await;
    let lc = behind(&stack, &proxy).await;
    let spec = fake_spec("lost-create");
    proxy.gateway_next("POST", "/v1/nodes", Gateway::LoseAnswer, 1);
    let status = ensure_ok(&lc, &spec, None).await;
    assert_eq!(status.provisioning_state, ProvisioningState::Available);
    assert_eq!(
        proxy.forwarded_matching("POST", "/v1/nodes"),
        1,
        "created twice"
    );
    assert_eq!(nodes_named(&stack, &spec).await, 1);
    let node = stack.client().await.get_node(&status.id).await.unwrap();
    let token = node
        .as_ref()
        .and_then(|n| n.extra.get("metal3_creation_token"));
    assert!(token.is_some_and(|t| t.as_str().is_some_and(|t| t.len() == 32)));
    delete(&stack.lifecycle().await, &status.id).await;
}

/// A gateway that gave up on the create with 504 after Ironic took it: the same as a lost
/// answer. One that refused it with 502 before Ironic saw it: nothing was made, and the create
/// is sent again once the node has not appeared.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_error_on_create_never_duplicates_or_orphans() {
    let stack = stack_or_skip!();
    let proxy = FaultProxy::reserve(&stack.str("ironic_url"));
    proxy.start().await;
    let lc = behind(&stack, &proxy).await;

    let after = fake_spec("gw-504");
    proxy.gateway_next("POST", "/v1/nodes", Gateway::ReplaceAnswer(504), 1);
    let status = ensure_ok(&lc, &after, None).await;
    assert_eq!(status.provisioning_state, ProvisioningState::Available);
    assert_eq!(proxy.forwarded_matching("POST", "/v1/nodes"), 1);
    assert_eq!(nodes_named(&stack, &after).await, 1);
    delete(&stack.lifecycle().await, &status.id).await;

    let before = fake_spec("gw-502");
    proxy.gateway_next("POST", "/v1/nodes", Gateway::Refuse(502), 1);
    let status = ensure_ok(&lc, &before, None).await;
    assert_eq!(status.provisioning_state, ProvisioningState::Available);
    // The refused one never reached Ironic; the resend did.
    assert_eq!(proxy.forwarded_matching("POST", "/v1/nodes"), 2);
    assert_eq!(nodes_named(&stack, &before).await, 1);
    delete(&stack.lifecycle().await, &status.id).await;
}

/// 502 and 504 to reads, patches and the version probe are retried within the operation's
/// time: one bad gateway answer fails neither the connection nor the create.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gateway_errors_to_repeatable_requests_are_retried() {
    let stack = stack_or_skip!();
    let proxy = FaultProxy::reserve(&stack.str("ironic_url"));
    proxy.start().await;
    proxy.gateway_next("GET", "/", Gateway::Refuse(502), 1);
    let lc = behind(&stack, &proxy).await;
    let spec = fake_spec("gw-reads");
    proxy.gateway_next(
        "GET",
        &format!("/v1/nodes/{}", spec.node_name()),
        Gateway::Refuse(502),
        2,
    );
    proxy.gateway_next("PATCH", "", Gateway::ReplaceAnswer(504), 1);
    let status = ensure_ok(&lc, &spec, None).await;
    assert_eq!(status.provisioning_state, ProvisioningState::Available);
    assert_eq!(nodes_named(&stack, &spec).await, 1);
    delete(&stack.lifecycle().await, &status.id).await;
}

/// A state change that a gateway refused before Ironic saw it (502) is not retried blindly: the
/// node is re-read, has not moved, and the change is sent again, once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_state_change_refused_by_a_gateway_is_sent_again_after_a_look() {
    let stack = stack_or_skip!();
    let proxy = FaultProxy::reserve(&stack.str("ironic_url"));
    proxy.start().await;
    let lc = behind(&stack, &proxy).await;
    let spec = fake_spec("gw-manage");
    proxy.gateway_next("PUT", "/states/provision", Gateway::Refuse(502), 1);
    let status = ensure_ok(&lc, &spec, None).await;
    assert_eq!(status.provisioning_state, ProvisioningState::Available);
    // The refused manage never reached Ironic: manage (resent) and provide.
    assert_eq!(proxy.forwarded_matching("PUT", "/states/provision"), 2);
    delete(&stack.lifecycle().await, &status.id).await;
}

/// Before Ironic ever answered, a closed connection may be a TLS port spoken to in plain HTTP:
/// the error keeps that hint (after retries), and is not a TLS error that is never retried.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_answer_lost_keeps_the_https_hint() {
    let stack = stack_or_skip!();
    let proxy = FaultProxy::reserve(&stack.str("ironic_url"));
    proxy.start().await;
    proxy.gateway_next("GET", "/", Gateway::LoseAnswer, 100);
    let config = ClientConfig::new(proxy.url()).with_retry(metal3_core::client::RetryPolicy {
        max_attempts: 3,
        base_delay: std::time::Duration::from_millis(10),
        max_delay: std::time::Duration::from_millis(20),
        max_elapsed: std::time::Duration::from_secs(5),
    });
    let error = IronicClient::connect(config).await.unwrap_err();
    assert!(matches!(error, IronicError::Unreachable { .. }), "{error}");
    assert!(error.to_string().contains("use https://"), "{error}");
}

/// Every kind of mutating request the lifecycle sends, its answer lost once (the connection
/// closed after Ironic took it): the host still reaches its spec, with one node and one port,
/// and deleting it removes both, whichever answer was lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_kind_of_mutating_request_survives_a_lost_answer() {
    let stack = stack_or_skip!();
    let cases: &[(&str, &str, &str)] = &[
        ("port", "POST", "/v1/ports"),
        ("patch", "PATCH", ""),
        ("power", "PUT", "/states/power"),
        ("delete", "DELETE", ""),
    ];
    for (label, method, suffix) in cases {
        let proxy = FaultProxy::reserve(&stack.str("ironic_url"));
        proxy.start().await;
        let lc = behind(&stack, &proxy).await;
        let mut spec = fake_spec(&format!("lost-{label}"));
        spec.description = Some("first".into());
        if *method != "DELETE" {
            proxy.gateway_next(method, suffix, Gateway::LoseAnswer, 1);
        }
        let status = ensure_ok(&lc, &spec, None).await;
        assert_eq!(
            status.provisioning_state,
            ProvisioningState::Available,
            "{label}"
        );
        // An update, so a patch is sent whichever case this is.
        spec.description = Some("second".into());
        let status = ensure_ok(&lc, &spec, Some(&status.id)).await;
        assert_eq!(nodes_named(&stack, &spec).await, 1, "{label}");
        let client = stack.client().await;
        let node = client.get_node(&status.id).await.unwrap().unwrap();
        assert_eq!(node.description.as_deref(), Some("second"), "{label}");
        let ports = client.list_ports(&status.id).await.unwrap();
        assert_eq!(ports.len(), 1, "{label}: ports {ports:?}");
        if *method == "DELETE" {
            proxy.gateway_next(method, suffix, Gateway::LoseAnswer, 1);
        }
        let options = common::delete_options(AutomatedCleaningMode::Disabled);
        lc.delete(&status.id, &options, &ctx())
            .await
            .unwrap_or_else(|e| panic!("{label}: delete: {e}"));
        assert_eq!(nodes_named(&stack, &spec).await, 0, "{label}");
        let left = client
            .find_port(spec.boot_mac_address.as_deref().unwrap())
            .await;
        assert!(left.unwrap().is_none(), "{label}: port left behind");
    }
}

/// Ironic took the deploy, and the answer that came back was a 500 (a gateway, or an API that
/// failed after handing the request to the conductor): the node is read before anything is
/// undone, the deployment that started is waited for, and its records are kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_500_on_a_deploy_that_started_keeps_its_records() {
    let stack = stack_or_skip!();
    let proxy = FaultProxy::reserve(&stack.str("ironic_url"));
    proxy.start().await;
    let lc = behind(&stack, &proxy).await;
    let mut spec = fake_spec("deploy-500");
    let status = ensure_ok(&lc, &spec, None).await;
    assert_eq!(status.provisioning_state, ProvisioningState::Available);

    let url = stack.image("qcow2_url");
    spec.image = Some(metal3_core::lifecycle::ImageSpec {
        url: url.clone(),
        checksum: Some(stack.image("qcow2_sha256")),
        checksum_type: None,
        disk_format: None,
    });
    let before = proxy.forwarded_matching("PUT", "/states/provision");
    proxy.gateway_next("PUT", "/states/provision", Gateway::ReplaceAnswer(500), 1);
    let status = ensure_ok(&lc, &spec, Some(&status.id)).await;
    assert_eq!(status.provisioning_state, ProvisioningState::Provisioned);
    // One deploy reached Ironic, and nothing undid it.
    assert_eq!(
        proxy.forwarded_matching("PUT", "/states/provision"),
        before + 1
    );
    let node = stack
        .client()
        .await
        .get_node(&status.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        node.instance_info
            .get("image_source")
            .and_then(|v| v.as_str()),
        Some(url.as_str())
    );
    assert!(node.extra.contains_key("metal3_image"));
    delete(&stack.lifecycle().await, &status.id).await;
}

/// Two applies rebuild one host (`-lock=false`, or two workspaces): this one's rebuild is
/// answered 409 while the other's runs, and is not sent again once the node is free, because the
/// node it reads then already runs the image: the disk is written once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rebuild_refused_while_another_ran_is_not_sent_again() {
    let stack = stack_or_skip!();
    let proxy = FaultProxy::reserve(&stack.str("ironic_url"));
    proxy.start().await;
    let lc = behind(&stack, &proxy).await;
    let image = |key: &str, sum: &str| metal3_core::lifecycle::ImageSpec {
        url: stack.image(key),
        checksum: Some(stack.image(sum)),
        checksum_type: None,
        disk_format: None,
    };
    let mut spec = fake_spec("twice");
    spec.image = Some(image("qcow2_url", "qcow2_sha256"));
    let status = ensure_ok(&lc, &spec, None).await;
    assert_eq!(status.provisioning_state, ProvisioningState::Provisioned);

    // The new image; this apply's rebuild is held, then refused as "locked".
    spec.image = Some(metal3_core::lifecycle::ImageSpec {
        checksum_type: Some(metal3_core::lifecycle::ChecksumType::Md5),
        ..image("raw_url", "raw_md5")
    });
    proxy.delay_next(
        "PUT",
        "/states/provision",
        fault_proxy::Delay::Request(std::time::Duration::from_secs(4)),
    );
    proxy.conflict_next("PUT", "/states/provision", 1);
    let direct = stack.client().await;
    let id = status.id.clone();
    let other_apply = async {
        // The other apply's rebuild lands while this one's request is held.
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        let node = direct.get_node(&id).await.unwrap().unwrap();
        assert_eq!(
            node.instance_info
                .get("image_source")
                .and_then(|v| v.as_str()),
            Some(stack.image("raw_url").as_str()),
            "this apply wrote the new image before sending its rebuild"
        );
        direct
            .set_provision_state(
                &id,
                metal3_core::client::ProvisionTarget::Rebuild,
                &Default::default(),
            )
            .await
            .unwrap();
    };
    let (rebuilt, ()) = tokio::join!(
        async { ensure_ok(&lc, &spec, Some(&status.id)).await },
        other_apply
    );
    assert_eq!(rebuilt.provisioning_state, ProvisioningState::Provisioned);
    // Refused once (injected), never forwarded: only the other apply's rebuild reached Ironic.
    assert_eq!(proxy.injected_conflicts(), 1);
    let history = direct.get_node(&id).await.unwrap().unwrap();
    assert_eq!(
        history
            .instance_info
            .get("image_source")
            .and_then(|v| v.as_str()),
        Some(stack.image("raw_url").as_str())
    );
    assert_eq!(
        proxy.forwarded_matching("PUT", "/states/provision"),
        3,
        "manage, provide, deploy; the refused rebuild was sent again"
    );
    delete(&stack.lifecycle().await, &status.id).await;
}
