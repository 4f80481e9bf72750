//! The Ironic client against a REAL Ironic (the test stack). Set `METAL3_TEST_STACK` to the
//! stack's `stack.json`; without it these tests skip loudly, unless `METAL3_REQUIRE_STACK=1`.

use std::time::{Duration, Instant};

use metal3_core::client::{
    ApiVersion, Auth, ClientConfig, IronicClient, IronicError, NodeCreate, NodeFilter, PatchOp,
    PortCreate, ProvisionOptions, ProvisionState, ProvisionTarget, MAX_API_VERSION,
};
use metal3_core::Secret;

mod common;

use common::{unique, Stack};

async fn wait_for_state(client: &IronicClient, id: &str, want: ProvisionState, within: Duration) {
    let deadline = Instant::now() + within;
    loop {
        let node = client.get_node(id).await.unwrap().expect("node vanished");
        let state = node.state();
        if state == want && node.target_provision_state.is_none() {
            return;
        }
        assert!(
            !state.as_str().ends_with("failed"),
            "node landed in {state}: {:?}",
            node.last_error
        );
        assert!(
            Instant::now() < deadline,
            "node still in {state} (target {:?}) after {within:?}, waiting for {want}",
            node.target_provision_state
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test]
async fn negotiates_microversion_with_real_ironic() {
    let Some(stack) = Stack::load() else { return };
    let client = IronicClient::connect(ClientConfig::new(stack.str("ironic_url")))
        .await
        .unwrap();
    // Ironic 39 serves up to 1.115, so we ask for our own maximum.
    assert!(client.server_versions().max >= ApiVersion::new(1, 95));
    assert_eq!(client.api_version(), MAX_API_VERSION);
}

#[tokio::test]
async fn fake_hardware_node_lifecycle() {
    let Some(stack) = Stack::load() else { return };
    let client = IronicClient::connect(ClientConfig::new(stack.str("ironic_url")))
        .await
        .unwrap();
    let (name, mac) = unique("client-it");
    let node = client
        .create_node(
            &NodeCreate::new("fake-hardware")
                .name(&name)
                .description("client integration test")
                .interface("boot", "fake")
                .interface("deploy", "fake")
                .interface("inspect", "no-inspect")
                .interface("power", "fake")
                .interface("management", "fake"),
        )
        .await
        .unwrap();
    assert_eq!(node.state(), ProvisionState::Enroll);
    assert_eq!(node.name.as_deref(), Some(name.as_str()));
    let id = node.uuid.clone();

    let port = client
        .create_port(&PortCreate {
            node_uuid: id.clone(),
            address: mac.clone(),
            pxe_enabled: Some(true),
        })
        .await
        .unwrap();
    let ports = client.list_ports(&id).await.unwrap();
    assert_eq!(ports.len(), 1);
    assert_eq!(ports[0].address, mac);

    // By name as well as by UUID.
    let by_name = client.get_node(&name).await.unwrap().unwrap();
    assert_eq!(by_name.uuid, id);
    let patched = client
        .patch_node(
            &id,
            &[
                PatchOp::replace("/description", "patched"),
                PatchOp::add("/extra/owner", "client-test"),
            ],
        )
        .await
        .unwrap();
    assert_eq!(patched.description.as_deref(), Some("patched"));
    assert_eq!(patched.extra["owner"], "client-test");
    let listed = client.list_nodes(&NodeFilter::default()).await.unwrap();
    assert!(listed.iter().any(|n| n.uuid == id));
    let validation = client.validate_node(&id).await.unwrap();
    assert_eq!(validation["power"].result, Some(true), "{validation:?}");
    assert!(client.get_inventory(&id).await.unwrap().is_none());

    let none = ProvisionOptions::default();
    client
        .set_provision_state(&id, ProvisionTarget::Manage, &none)
        .await
        .unwrap();
    wait_for_state(
        &client,
        &id,
        ProvisionState::Manageable,
        Duration::from_secs(60),
    )
    .await;
    client
        .set_provision_state(&id, ProvisionTarget::Provide, &none)
        .await
        .unwrap();
    wait_for_state(
        &client,
        &id,
        ProvisionState::Available,
        Duration::from_secs(120),
    )
    .await;

    // A transition the state machine forbids is a readable 400, not retried.
    let err = client
        .set_provision_state(&id, ProvisionTarget::Adopt, &none)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400), "{err}");
    assert!(err.to_string().contains("adopt"), "{err}");

    assert!(client.delete_port(&port.uuid).await.unwrap());
    assert!(client.delete_node(&id).await.unwrap());
    assert!(client.get_node(&id).await.unwrap().is_none());
    assert!(!client.delete_node(&id).await.unwrap());
}

#[tokio::test]
async fn http_basic_auth_right_and_wrong() {
    let Some(stack) = Stack::load() else { return };
    let url = &stack.str("ironic_basic_url");
    let user = &stack.str("ironic_basic_username");
    let basic = |password: &str| {
        ClientConfig::new(url).with_auth(Auth::Basic {
            username: user.to_owned(),
            password: Secret::new(password),
        })
    };
    let client = IronicClient::connect(basic(&stack.str("ironic_basic_password")))
        .await
        .unwrap();
    client.list_nodes(&NodeFilter::default()).await.unwrap();

    let err = IronicClient::connect(basic("definitely-wrong"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, IronicError::Auth { status: 401, .. }),
        "{err:?}"
    );
    let shown = format!("{err} / {err:?}");
    assert!(!shown.contains("definitely-wrong"), "{shown}");
    eprintln!("wrong credentials: {err}");

    let err = IronicClient::connect(ClientConfig::new(url))
        .await
        .unwrap_err();
    assert!(matches!(err, IronicError::Auth { .. }), "{err:?}");
}
