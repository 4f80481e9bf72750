//! The lifecycle engine against the real Ironic of the test stack (`m3stack up`; env
//! METAL3_TEST_STACK=<stack.json>). Each test uses its own node names and MACs, so they run in
//! parallel on one stack. Without the env the tests say so loudly and pass, unless
//! METAL3_REQUIRE_STACK=1.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use metal3_core::client::{NodeCreate, PatchOp, ProvisionTarget};
use metal3_core::hardware::HardwareDetails;
use metal3_core::lifecycle::wait::{wait_for, WaitGoal};
use metal3_core::lifecycle::{
    AutomatedCleaningMode, BmcSpec, DiskFormat, HostSpec, ImageSpec, InspectionMode, KnownHost,
    Lifecycle, LifecycleError, OpContext, OperationalStatus, ProvisioningState,
};
use metal3_core::Secret;
use serde_json::Value;
use tokio_util::sync::CancellationToken;

#[macro_use]
mod common;

use common::{ctx, delete_options, ensure_ok, unique, Stack};

fn lc_spec(prefix: &str) -> HostSpec {
    common::fake_spec("lc", prefix)
}

async fn assert_deleted(lc: &Lifecycle, id: &str) {
    lc.delete(id, &delete_options(AutomatedCleaningMode::Metadata), &ctx())
        .await
        .expect("delete");
    assert!(
        lc.status(id).await.unwrap().is_none(),
        "node {id} still exists"
    );
    // Deleting again is a no-op.
    lc.delete(id, &delete_options(AutomatedCleaningMode::Metadata), &ctx())
        .await
        .expect("second delete is idempotent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fake_host_is_enrolled_inspected_and_available() {
    let stack = stack_or_skip!();
    let lc = stack.lifecycle().await;
    let mut spec = lc_spec("inspect");
    spec.description = Some("rack 1".into());
    let status = ensure_ok(&lc, &spec, None).await;
    assert_eq!(status.provisioning_state, ProvisioningState::Available);
    assert_eq!(status.ironic_provision_state, "available");
    assert_eq!(status.operational_status, OperationalStatus::Ok);
    assert_eq!(status.name.as_deref(), Some(spec.node_name().as_str()));
    assert_eq!(status.description.as_deref(), Some("rack 1"));
    assert_eq!(status.powered_on, Some(true));
    let mac = spec.boot_mac_address.clone().unwrap();
    assert_eq!(status.boot_mac_address.as_deref(), Some(mac.as_str()));

    let posted = PathBuf::from(stack.str("posted_dir")).join(format!("{mac}.json"));
    let posted: Value = serde_json::from_str(&std::fs::read_to_string(&posted).unwrap()).unwrap();
    let expected = HardwareDetails::from_inventory(&posted).unwrap();
    let hardware = status
        .hardware
        .clone()
        .expect("hardware details after inspection");
    assert_eq!(hardware, expected);
    assert!(hardware.ram_mebibytes > 0);

    // A second create of the same name is refused and changes nothing: the node is someone
    // else's as far as a new host is concerned.
    let before = raw_node(&stack, &status.id).await;
    let mut other = spec.clone();
    other.description = Some("someone else".into());
    let refused = lc
        .ensure(&other, None, &ctx())
        .await
        .expect_err("a second create of one name");
    assert!(refused.error.is_already_exists(), "{}", refused.error);
    assert!(refused.error.to_string().contains(&status.id));
    let after = raw_node(&stack, &status.id).await;
    assert_eq!(after["description"], "rack 1");
    assert_eq!(after["updated_at"], before["updated_at"]);
    // Known by its id: found, nothing to do.
    let again = ensure_ok(&lc, &spec, Some(&status.id)).await;
    assert_eq!(again.id, status.id);
    assert_eq!(again.ironic_provision_state, "available");
    // Found by UUID too.
    assert!(lc.find_by_id(&status.id).await.unwrap().is_some());
    assert_deleted(&lc, &status.id).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inspection_disabled_skips_inspection() {
    let stack = stack_or_skip!();
    let lc = stack.lifecycle().await;
    let mut spec = lc_spec("noinspect");
    spec.inspection_mode = InspectionMode::Disabled;
    spec.boot_mac_address = None;
    let status = ensure_ok(&lc, &spec, None).await;
    assert_eq!(status.provisioning_state, ProvisioningState::Available);
    assert!(status.hardware.is_none());
    let node = lc.find_by_id(&status.id).await.unwrap().unwrap();
    assert_eq!(node.inspect_interface.as_deref(), Some("no-inspect"));
    assert!(node.inspection_finished_at.is_none());
    assert_eq!(status.boot_mac_address, None);
    // The inventory lists it with the same status a single read gives.
    let listed = lc.list().await.expect("list");
    let mine = listed.iter().find(|s| s.id == status.id).expect("listed");
    assert_eq!(Some(mine), lc.status(&status.id).await.unwrap().as_ref());

    // In-place updates: description, then a boot MAC, then a different boot MAC.
    spec.description = Some("moved to rack 7".into());
    let (_, mac) = unique("mac");
    spec.boot_mac_address = Some(mac.clone());
    let status = ensure_ok(&lc, &spec, Some(&status.id)).await;
    assert_eq!(status.description.as_deref(), Some("moved to rack 7"));
    assert_eq!(status.boot_mac_address.as_deref(), Some(mac.as_str()));
    let (_, new_mac) = unique("mac");
    spec.boot_mac_address = Some(new_mac.clone());
    let status = ensure_ok(&lc, &spec, Some(&status.id)).await;
    assert_eq!(status.boot_mac_address.as_deref(), Some(new_mac.as_str()));
    let ports = lc.client().list_ports(&status.id).await.unwrap();
    assert_eq!(ports.len(), 1, "old boot port replaced: {ports:?}");
    assert_eq!(status.provisioning_state, ProvisioningState::Available);
    assert_deleted(&lc, &status.id).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn image_deploy_redeploy_and_deprovision() {
    let stack = stack_or_skip!();
    let lc = stack.lifecycle().await;
    let mut spec = lc_spec("image");
    spec.inspection_mode = InspectionMode::Disabled;
    spec.user_data = Some(Secret::new("#cloud-config\n"));
    spec.network_data = Some(r#"{"links": [], "networks": [], "services": []}"#.into());
    let qcow = ImageSpec {
        url: stack.image("qcow2_url"),
        checksum: Some(stack.image("qcow2_sha256")),
        checksum_type: None,
        disk_format: Some(DiskFormat::Qcow2),
    };
    spec.image = Some(qcow.clone());
    let status = ensure_ok(&lc, &spec, None).await;
    assert_eq!(status.provisioning_state, ProvisioningState::Provisioned);
    assert_eq!(status.ironic_provision_state, "active");
    assert_eq!(status.provisioned_image.as_ref(), Some(&qcow));
    let node = lc.find_by_id(&status.id).await.unwrap().unwrap();
    assert_eq!(node.instance_info["image_source"], qcow.url.as_str());
    assert_eq!(node.instance_info["image_os_hash_algo"], "sha256");
    assert_eq!(node.deploy_interface.as_deref(), Some("fake"));
    // Control for the "no deployment" checks of the adoption tests: history shows this one.
    assert!(node_history(&stack, &status.id)
        .await
        .iter()
        .any(|event| event.contains("deployment")));

    // Checksum as a URL: a changed image, redeployed in place.
    let by_url = ImageSpec {
        checksum: Some(stack.image("qcow2_sha256_url")),
        ..qcow.clone()
    };
    spec.image = Some(by_url.clone());
    let status = ensure_ok(&lc, &spec, Some(&status.id)).await;
    assert_eq!(status.provisioned_image.as_ref(), Some(&by_url));
    let node = lc.find_by_id(&status.id).await.unwrap().unwrap();
    assert_eq!(
        node.instance_info["image_os_hash_value"],
        stack.image("qcow2_sha256_url").as_str()
    );

    // Another image (raw, md5).
    let raw = ImageSpec {
        url: stack.image("raw_url"),
        checksum: Some(stack.image("raw_md5")),
        checksum_type: None,
        disk_format: Some(DiskFormat::Raw),
    };
    spec.image = Some(raw.clone());
    let status = ensure_ok(&lc, &spec, Some(&status.id)).await;
    assert_eq!(status.ironic_provision_state, "active");
    assert_eq!(status.provisioned_image.as_ref(), Some(&raw));
    let node = lc.find_by_id(&status.id).await.unwrap().unwrap();
    assert_eq!(node.instance_info["image_source"], raw.url.as_str());
    assert_eq!(
        node.instance_info["image_checksum"],
        raw.checksum.as_deref().unwrap()
    );

    // Image removed: deprovisioned to available, the record gone.
    spec.image = None;
    let status = ensure_ok(&lc, &spec, Some(&status.id)).await;
    assert_eq!(status.provisioning_state, ProvisioningState::Available);
    assert_eq!(status.provisioned_image, None);
    let node = lc.find_by_id(&status.id).await.unwrap().unwrap();
    assert!(!node.extra.contains_key("metal3_image"));
    assert_deleted(&lc, &status.id).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_iso_boots_with_ramdisk_and_deletes() {
    let stack = stack_or_skip!();
    let lc = stack.lifecycle().await;
    let mut spec = lc_spec("liveiso");
    let iso = ImageSpec {
        url: stack.image("iso_url"),
        checksum: None,
        checksum_type: None,
        disk_format: Some(DiskFormat::LiveIso),
    };
    spec.image = Some(iso.clone());
    let status = ensure_ok(&lc, &spec, None).await;
    assert_eq!(status.provisioning_state, ProvisioningState::Provisioned);
    assert!(status.hardware.is_some(), "inspected before the live ISO");
    let node = lc.find_by_id(&status.id).await.unwrap().unwrap();
    assert_eq!(node.deploy_interface.as_deref(), Some("ramdisk"));
    assert_eq!(node.instance_info["boot_iso"], iso.url.as_str());
    let started = Instant::now();
    assert_deleted(&lc, &status.id).await;
    assert!(
        started.elapsed() < Duration::from_secs(90),
        "delete blocked"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn externally_provisioned_host_is_adopted_without_deploy() {
    let stack = stack_or_skip!();
    let lc = stack.lifecycle().await;
    let mut spec = lc_spec("adopt");
    spec.externally_provisioned = true;
    let image = ImageSpec {
        url: stack.image("qcow2_url"),
        checksum: Some(stack.image("qcow2_sha256")),
        checksum_type: None,
        disk_format: Some(DiskFormat::Qcow2),
    };
    spec.image = Some(image.clone());
    let status = ensure_ok(&lc, &spec, None).await;
    assert_eq!(
        status.provisioning_state,
        ProvisioningState::ExternallyProvisioned
    );
    assert_eq!(status.ironic_provision_state, "active");
    assert!(status.externally_provisioned);
    assert!(
        status.hardware.is_none(),
        "no inspection for an installed host"
    );
    assert_no_deployment_or_cleaning(&stack, &status.id).await;
    let raw = raw_node(&stack, &status.id).await;
    assert!(raw["instance_info"].get("configdrive").is_none());
    // Ensuring again does nothing (no redeploy of an adopted host).
    let before = raw["provision_updated_at"].clone();
    let again = ensure_ok(&lc, &spec, Some(&status.id)).await;
    assert_eq!(again.ironic_provision_state, "active");
    assert_eq!(
        raw_node(&stack, &status.id).await["provision_updated_at"],
        before
    );
    assert_deleted(&lc, &status.id).await;
}

/// Ironic's node history (lower-cased events): it records every deployment and cleaning.
async fn node_history(stack: &Stack, id: &str) -> Vec<String> {
    let url = format!("{}/v1/nodes/{id}/history", stack.str("ironic_url"));
    let history: Value = reqwest::Client::new()
        .get(url)
        .header("X-OpenStack-Ironic-API-Version", "1.90")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    history["history"]
        .as_array()
        .expect("node history")
        .iter()
        .map(|event| event["event"].as_str().unwrap_or("").to_ascii_lowercase())
        .collect()
}

async fn assert_no_deployment_or_cleaning(stack: &Stack, id: &str) {
    for text in node_history(stack, id).await {
        assert!(
            !text.contains("deployment") && !text.contains("cleaning"),
            "the disk was touched: {text}"
        );
    }
}

/// The node as Ironic serves it, with fields the typed client does not keep.
async fn raw_node(stack: &Stack, id: &str) -> Value {
    let url = format!("{}/v1/nodes/{id}", stack.str("ironic_url"));
    reqwest::Client::new()
        .get(url)
        .header("X-OpenStack-Ironic-API-Version", "1.90")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn power_follows_online() {
    let stack = stack_or_skip!();
    let lc = stack.lifecycle().await;
    let mut spec = lc_spec("power");
    spec.inspection_mode = InspectionMode::Disabled;
    spec.online = false;
    let status = ensure_ok(&lc, &spec, None).await;
    assert_eq!(status.powered_on, Some(false));
    spec.online = true;
    let status = ensure_ok(&lc, &spec, Some(&status.id)).await;
    assert_eq!(status.powered_on, Some(true));
    assert_deleted(&lc, &status.id).await;
}

fn redfish_spec(stack: &Stack, system: usize, password: &str) -> HostSpec {
    let sys = &stack.json["redfish_systems"][system];
    let (name, _) = unique("redfish");
    let address = format!(
        "redfish+{}/redfish/v1/Systems/{}",
        stack.str("redfish_url"),
        sys["uuid"].as_str().unwrap()
    );
    let mut spec = HostSpec::new(
        "lc",
        name,
        BmcSpec {
            address,
            username: stack.str("redfish_username"),
            password: Secret::new(password),
            disable_certificate_verification: true,
        },
    );
    spec.boot_mac_address = Some(sys["mac"].as_str().unwrap().to_owned());
    // No agent or cleaning on these emulated machines.
    spec.inspection_mode = InspectionMode::Disabled;
    spec.automated_cleaning_mode = AutomatedCleaningMode::Disabled;
    spec
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redfish_host_with_right_credentials_is_managed() {
    let stack = stack_or_skip!();
    let lc = stack.lifecycle().await;
    let spec = redfish_spec(&stack, 0, &stack.str("redfish_password"));
    let status = ensure_ok(&lc, &spec, None).await;
    assert_eq!(status.provisioning_state, ProvisioningState::Available);
    assert_eq!(
        status.bmc_username.as_deref(),
        Some(stack.str("redfish_username").as_str())
    );
    assert_eq!(
        status.bmc_address.as_deref(),
        Some(spec.bmc.address.as_str())
    );
    let node = lc.find_by_id(&status.id).await.unwrap().unwrap();
    assert_eq!(node.driver, "redfish");
    assert_eq!(node.driver_info["redfish_verify_ca"], false);
    assert_deleted(&lc, &status.id).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redfish_wrong_password_is_a_registration_error_that_leaves_nothing() {
    let stack = stack_or_skip!();
    let lc = stack.lifecycle().await;
    let mut spec = redfish_spec(&stack, 1, "definitely-wrong");
    let failure = lc
        .ensure(&spec, None, &ctx())
        .await
        .expect_err("a wrong BMC password must fail");
    let message = failure.error.to_string();
    assert!(
        matches!(failure.error, LifecycleError::Registration { .. }),
        "{message}"
    );
    assert!(
        !message.contains("definitely-wrong"),
        "password leaked: {message}"
    );
    assert!(
        message.contains("Incorrect username or password"),
        "Ironic's reason is in the message: {message}"
    );
    // The node was only there to ask the BMC: it is gone again, nothing half-made is left.
    assert!(failure.partial.is_none());
    assert!(lc
        .find(&spec.namespace, &spec.name)
        .await
        .unwrap()
        .is_none());

    // With the right password the host is created as usual.
    spec.bmc.password = Secret::new(stack.str("redfish_password"));
    let status = ensure_ok(&lc, &spec, None).await;
    assert_eq!(status.provisioning_state, ProvisioningState::Available);
    assert_eq!(status.error_type, None);
    assert_deleted(&lc, &status.id).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_from_enroll_and_manageable() {
    let stack = stack_or_skip!();
    let lc = stack.lifecycle().await;
    let client = stack.client().await;
    let (name, _) = unique("del");
    let node = client
        .create_node(
            &NodeCreate::new("fake-hardware")
                .name(format!("lc~{name}"))
                .interface("deploy", "fake")
                .interface("boot", "fake")
                .interface("inspect", "no-inspect"),
        )
        .await
        .unwrap();
    assert_deleted(&lc, &node.uuid).await;

    let (name, _) = unique("del");
    let node = client
        .create_node(
            &NodeCreate::new("fake-hardware")
                .name(format!("lc~{name}"))
                .interface("deploy", "fake")
                .interface("boot", "fake")
                .interface("inspect", "no-inspect"),
        )
        .await
        .unwrap();
    client
        .set_provision_state(&node.uuid, ProvisionTarget::Manage, &Default::default())
        .await
        .unwrap();
    assert_deleted(&lc, &node.uuid).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancellation_ends_a_wait_promptly_and_deadline_times_out() {
    let stack = stack_or_skip!();
    let lc = stack.lifecycle().await;
    let mut spec = lc_spec("cancel");
    spec.inspection_mode = InspectionMode::Disabled;
    let status = ensure_ok(&lc, &spec, None).await;
    let never = |_: &metal3_core::client::Node| false;

    let cancel = CancellationToken::new();
    let waiting = OpContext::new(Duration::from_secs(60), cancel.clone())
        .with_poll_interval(Duration::from_secs(10));
    let trigger = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(1)).await;
        trigger.cancel();
    });
    let started = Instant::now();
    let error = wait_for(
        lc.client(),
        &spec.node_name(),
        &status.id,
        WaitGoal {
            description: "something that never happens",
            operation: "test",
            done: &never,
            stop_on_failure: true,
        },
        &waiting,
    )
    .await
    .expect_err("cancelled");
    assert!(error.is_cancelled(), "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );

    let short = OpContext::with_timeout(Duration::from_millis(1500))
        .with_poll_interval(Duration::from_millis(200));
    let started = Instant::now();
    let error = wait_for(
        lc.client(),
        &spec.node_name(),
        &status.id,
        WaitGoal {
            description: "something that never happens",
            operation: "test",
            done: &never,
            stop_on_failure: true,
        },
        &short,
    )
    .await
    .expect_err("timed out");
    assert!(error.is_timeout(), "{error}");
    let text = error.to_string();
    assert!(
        text.contains("available") && text.contains("time limit of 1s 500ms ran out"),
        "{text}"
    );
    assert!(started.elapsed() < Duration::from_secs(4));

    // ensure with an already cancelled token stops before doing anything.
    let cancelled = CancellationToken::new();
    cancelled.cancel();
    spec.online = false;
    let failure = lc
        .ensure(
            &spec,
            Some(&KnownHost::new(&status.id)),
            &OpContext::new(Duration::from_secs(60), cancelled),
        )
        .await
        .expect_err("cancelled");
    assert!(failure.error.is_cancelled());
    assert!(failure.partial.is_some());
    assert_deleted(&lc, &status.id).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provisioned_host_lost_by_ironic_is_reenrolled_and_adopted() {
    let stack = stack_or_skip!();
    let lc = stack.lifecycle().await;
    let client = stack.client().await;
    let mut spec = lc_spec("reenroll");
    spec.inspection_mode = InspectionMode::Disabled;
    let image = ImageSpec {
        url: stack.image("qcow2_url"),
        checksum: Some(stack.image("qcow2_sha256")),
        checksum_type: None,
        disk_format: Some(DiskFormat::Qcow2),
    };
    spec.image = Some(image.clone());
    let status = ensure_ok(&lc, &spec, None).await;
    assert_eq!(status.ironic_provision_state, "active");

    // Ironic loses the node (a transient database in Metal3).
    client
        .patch_node(&status.id, &[PatchOp::replace("/maintenance", true)])
        .await
        .unwrap();
    assert!(client.delete_node(&status.id).await.unwrap());
    assert!(lc
        .find(&spec.namespace, &spec.name)
        .await
        .unwrap()
        .is_none());

    let known = KnownHost {
        provisioned: true,
        provisioned_image: Some(image.clone()),
        ..KnownHost::new(&status.id)
    };
    let adopted = lc
        .ensure(&spec, Some(&known), &ctx())
        .await
        .unwrap_or_else(|f| panic!("re-enroll failed: {}", f.error));
    assert_ne!(adopted.id, status.id);
    assert_eq!(adopted.ironic_provision_state, "active");
    assert_eq!(adopted.provisioning_state, ProvisioningState::Provisioned);
    assert_eq!(adopted.provisioned_image.as_ref(), Some(&image));
    assert_no_deployment_or_cleaning(&stack, &adopted.id).await;
    let raw = raw_node(&stack, &adopted.id).await;
    // The adopted host now matches the spec: no redeploy on the next ensure.
    let before = raw["provision_updated_at"].clone();
    let again = ensure_ok(&lc, &spec, Some(&adopted.id)).await;
    assert_eq!(again.provisioning_state, ProvisioningState::Provisioned);
    assert_eq!(
        raw_node(&stack, &adopted.id).await["provision_updated_at"],
        before
    );
    assert_deleted(&lc, &adopted.id).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redfish_credentials_are_rotated_and_verified_with_the_bmc() {
    let stack = stack_or_skip!();
    let lc = stack.lifecycle().await;
    let mut spec = redfish_spec(&stack, 2, &stack.str("redfish_password"));
    let status = ensure_ok(&lc, &spec, None).await;
    assert_eq!(status.provisioning_state, ProvisioningState::Available);

    spec.bmc.password = Secret::new("rotated-but-wrong");
    let failure = lc
        .ensure_with_new_credentials(&spec, Some(&KnownHost::new(&status.id)), &ctx())
        .await
        .expect_err("the BMC refuses a wrong password");
    let message = failure.error.to_string();
    assert!(
        matches!(failure.error, LifecycleError::CredentialsRefused { .. }),
        "{message}"
    );
    assert!(failure.credentials_sent);
    assert!(
        !message.contains("rotated-but-wrong"),
        "password leaked: {message}"
    );

    spec.bmc.password = Secret::new(stack.str("redfish_password"));
    let status = lc
        .ensure_with_new_credentials(&spec, Some(&KnownHost::new(&status.id)), &ctx())
        .await
        .unwrap_or_else(|f| panic!("rotation back failed: {}", f.error));
    assert_eq!(status.error_type, None);
    assert_deleted(&lc, &status.id).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ensure_past_its_deadline_returns_a_timeout_with_partial_status() {
    let stack = stack_or_skip!();
    let lc = stack.lifecycle().await;
    let spec = lc_spec("deadline");
    // The stand-in agent leaves a node whose MAC has a `.hold` file in `inspect wait`: the
    // deadline passes whatever the machine's speed.
    let mac = spec.boot_mac_address.clone().unwrap();
    let hold = PathBuf::from(stack.str("inventories_dir")).join(format!("{mac}.hold"));
    std::fs::write(&hold, b"").unwrap();
    let short = OpContext::with_timeout(Duration::from_secs(2));
    let started = Instant::now();
    let failure = lc.ensure(&spec, None, &short).await;
    std::fs::remove_file(&hold).unwrap();
    let failure = failure.expect_err("inspection is held past the deadline");
    assert!(failure.error.is_timeout(), "{}", failure.error);
    assert!(
        failure.error.to_string().contains("inspect wait"),
        "{}",
        failure.error
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    let partial = failure.partial.expect("the node was enrolled");
    assert_eq!(partial.name.as_deref(), Some(spec.node_name().as_str()));
    // The next ensure picks up where this one stopped.
    let status = ensure_ok(&lc, &spec, Some(&partial.id)).await;
    assert_eq!(status.id, partial.id);
    assert_eq!(status.provisioning_state, ProvisioningState::Available);
    assert_deleted(&lc, &status.id).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custom_deploy_reaches_active_and_is_recorded() {
    let stack = stack_or_skip!();
    let lc = stack.lifecycle().await;
    let mut spec = lc_spec("custom");
    spec.inspection_mode = InspectionMode::Disabled;
    spec.custom_deploy = Some(metal3_core::lifecycle::CustomDeploy {
        method: "install_everything".into(),
    });
    let status = ensure_ok(&lc, &spec, None).await;
    assert_eq!(status.provisioning_state, ProvisioningState::Provisioned);
    let node = lc.find_by_id(&status.id).await.unwrap().unwrap();
    assert_eq!(node.extra["metal3_custom_deploy"], "install_everything");
    // Same spec again: nothing to do, no redeploy.
    let before = raw_node(&stack, &status.id).await["provision_updated_at"].clone();
    ensure_ok(&lc, &spec, Some(&status.id)).await;
    assert_eq!(
        raw_node(&stack, &status.id).await["provision_updated_at"],
        before
    );
    assert_deleted(&lc, &status.id).await;
}
