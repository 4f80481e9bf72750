//! Helpers shared by the integration tests that run against the real test stack (`m3stack up`;
//! env METAL3_TEST_STACK=<stack.json>). Without the env the tests say so loudly and pass, unless
//! METAL3_REQUIRE_STACK=1.
// Each test binary compiles this module and uses a different part of it.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use metal3_core::client::{ClientConfig, IronicClient};
use metal3_core::lifecycle::{
    AutomatedCleaningMode, BmcSpec, DeleteOptions, HostSpec, HostStatus, KnownHost, Lifecycle,
    LifecycleConfig, OpContext,
};
use metal3_core::Secret;
use serde_json::Value;

pub struct Stack {
    pub json: Value,
}

impl Stack {
    pub fn load() -> Option<Stack> {
        let Ok(path) = std::env::var("METAL3_TEST_STACK") else {
            if std::env::var("METAL3_REQUIRE_STACK").as_deref() == Ok("1") {
                panic!("METAL3_REQUIRE_STACK=1 but METAL3_TEST_STACK is not set");
            }
            eprintln!(
                "*** skipped: no METAL3_TEST_STACK (set it to a stack.json from `m3stack up`) ***"
            );
            return None;
        };
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read METAL3_TEST_STACK {path}: {e}"));
        Some(Stack {
            json: serde_json::from_str(&text).expect("stack.json is JSON"),
        })
    }

    pub fn str(&self, key: &str) -> String {
        self.json[key]
            .as_str()
            .unwrap_or_else(|| panic!("stack.json has no {key}"))
            .to_owned()
    }

    pub fn image(&self, key: &str) -> String {
        self.json["images"][key].as_str().unwrap().to_owned()
    }

    pub async fn client(&self) -> IronicClient {
        IronicClient::connect(ClientConfig::new(self.str("ironic_url")))
            .await
            .expect("Ironic of the test stack answers")
    }

    pub async fn lifecycle(&self) -> Lifecycle {
        self.lifecycle_with(self.client().await)
    }

    /// A lifecycle on the given client (e.g. one pointed at a fault proxy).
    pub fn lifecycle_with(&self, client: IronicClient) -> Lifecycle {
        init_tracing();
        Lifecycle::new(client, self.lifecycle_config())
    }

    /// The stack's agent images, a short poll interval, the rest the defaults.
    pub fn lifecycle_config(&self) -> LifecycleConfig {
        LifecycleConfig {
            deploy_kernel_url: Some(self.str("deploy_kernel_url")),
            deploy_ramdisk_url: Some(self.str("deploy_ramdisk_url")),
            deploy_iso_url: Some(self.str("deploy_iso_url")),
            poll_interval: Some(Duration::from_millis(200)),
            ..LifecycleConfig::default()
        }
    }
}

pub fn init_tracing() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter("metal3_core=info")
        .with_test_writer()
        .try_init();
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A name and a locally administered MAC no other test (or earlier run) uses.
pub fn unique(prefix: &str) -> (String, String) {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let seed = (std::process::id() as u64) << 32 | (nanos as u64 ^ (n as u64) << 24);
    let bytes = seed.to_be_bytes();
    let mac = format!(
        "02:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
        bytes[3] ^ bytes[7],
        bytes[4],
        bytes[5],
        bytes[6],
        n as u8
    );
    (format!("{prefix}-{:x}-{n}", seed & 0xffff_ffff), mac)
}

/// A fake-hardware host in `namespace` with a name and MAC no other test uses.
pub fn fake_spec(namespace: &str, prefix: &str) -> HostSpec {
    let (name, mac) = unique(prefix);
    let mut spec = HostSpec::new(
        namespace,
        name.clone(),
        BmcSpec {
            address: format!("fake://{name}"),
            username: String::new(),
            password: Secret::default(),
            disable_certificate_verification: false,
        },
    );
    spec.boot_mac_address = Some(mac);
    spec
}

pub fn ctx() -> OpContext {
    OpContext::with_timeout(Duration::from_secs(180))
}

#[macro_export]
macro_rules! stack_or_skip {
    () => {
        match $crate::common::Stack::load() {
            Some(stack) => stack,
            None => return,
        }
    };
}

/// Delete as a deployed host: deprovision with `cleaning`, power off.
pub fn delete_options(cleaning: AutomatedCleaningMode) -> DeleteOptions {
    DeleteOptions {
        cleaning,
        power_off: true,
        externally_provisioned: false,
        maintenance_to_end: None,
    }
}

pub async fn ensure_ok(lc: &Lifecycle, spec: &HostSpec, id: Option<&str>) -> HostStatus {
    match lc
        .ensure(spec, id.map(KnownHost::new).as_ref(), &ctx())
        .await
    {
        Ok(status) => status,
        Err(failure) => panic!(
            "ensure {} failed: {}; partial: {:?}",
            spec.node_name(),
            failure.error,
            failure.partial
        ),
    }
}
