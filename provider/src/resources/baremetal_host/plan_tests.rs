use super::*;
use crate::host::status::{ProvisionedImage, StatusView};
use crate::resources::baremetal_host::state::host_state;
use crate::resources::baremetal_host::test_values::{redfish_config, REDFISH};

fn config() -> Value {
    redfish_config()
}

/// The plan's input as the server gives it: Terraform's proposal with the schema's rules
/// applied.
fn input(prior: Option<Value>, proposed: Value, config: Value, applied: Private) -> PlanInput {
    let schema = super::super::schema::schema();
    let prior_value = prior.clone().unwrap_or(Value::Null);
    let schema_plan = tfplugin::model::rules::plan(&schema.block, &prior_value, &proposed, &config);
    PlanInput {
        prior,
        proposed: schema_plan.planned_state,
        requires_replace: schema_plan.requires_replace,
        config,
        namespace_default: "metal3".into(),
        applied,
    }
}

fn create(config: Value) -> PlanOutput {
    plan(input(None, config.clone(), config, Private::default()))
}

/// The state after a successful create of `config`.
fn applied(config: Value) -> Value {
    let planned = create(config).planned;
    let status = StatusView {
        id: Some("1be26c0b-03f2-4d2e-ae87-c02d7f33c123".into()),
        provisioning_state: Some("provisioned".into()),
        ironic_provision_state: Some("active".into()),
        operational_status: Some("OK".into()),
        powered_on: Some(true),
        provisioned_image: Some(ProvisionedImage {
            url: Some("http://img/os.qcow2".into()),
            ..ProvisionedImage::default()
        }),
        ..StatusView::default()
    };
    crate::resources::baremetal_host::merge_apply_result(&planned, &status)
}

/// Terraform's proposed new state: config, with prior values for computed attributes that
/// are null in config.
fn proposed(prior: &Value, config: &Value) -> Value {
    let mut proposed = config.clone();
    let schema = super::super::schema::schema();
    for attr in &schema.block.attributes {
        let in_config = config.get(&attr.name).is_some_and(|v| !v.is_null());
        if attr.computed && !in_config {
            proposed.set_attr(
                attr.name.clone(),
                prior.get(&attr.name).cloned().unwrap_or(Value::Null),
            );
        }
    }
    // bmc.disable_certificate_verification (optional+computed, nested).
    if let (Some(p), Some(b)) = (prior.get("bmc"), proposed.get_mut("bmc")) {
        if b.get("disable_certificate_verification")
            .is_none_or(Value::is_null)
        {
            b.set_attr(
                "disable_certificate_verification",
                p.get("disable_certificate_verification")
                    .cloned()
                    .unwrap_or(Value::Null),
            );
        }
    }
    proposed
}

fn update(prior: &Value, config: Value) -> PlanOutput {
    plan(input(
        Some(prior.clone()),
        proposed(prior, &config),
        config,
        Private::default(),
    ))
}

fn set(value: &mut Value, steps: &[&str], new: Value) {
    assert!(set_at(value, steps, new), "{steps:?}");
}

fn unknown_status(planned: &Value) -> Vec<&'static str> {
    STATUS_ATTRIBUTES
        .iter()
        .copied()
        .filter(|n| planned.get(n).is_some_and(Value::is_unknown))
        .collect()
}

#[test]
fn create_fills_defaults_and_leaves_every_status_unknown() {
    let out = create(config());
    let p = &out.planned;
    p.conforms(&resource_type()).unwrap();
    assert!(out.requires_replace.is_empty());
    // The create plan says what happens to the disks.
    let warnings: Vec<&str> = out.diagnostics.iter().map(|d| d.summary.as_str()).collect();
    assert_eq!(
        warnings,
        [format!(
            "create: the machine at {REDFISH} is enrolled, inspected, made available (disks are \
             CLEANED (automated_cleaning_mode = \"metadata\")), DEPLOYED with \
             http://img/os.qcow2 (root disk overwritten)"
        )]
    );
    assert_eq!(unknown_status(p), STATUS_ATTRIBUTES);
    assert_eq!(p.get("namespace"), Some(&Value::from("metal3")));
    assert_eq!(p.get("online"), Some(&Value::from(true)));
    assert_eq!(p.get("boot_mode"), Some(&Value::from("UEFI")));
    assert_eq!(
        p.get("automated_cleaning_mode"),
        Some(&Value::from("metadata"))
    );
    assert_eq!(p.get("inspection_mode"), Some(&Value::from("agent")));
    assert_eq!(p.get("externally_provisioned"), Some(&Value::from(false)));
    assert_eq!(
        get(p, &["bmc", "disable_certificate_verification"]),
        Some(&Value::from(false))
    );
    // Configured values are kept as they are.
    assert_eq!(get(p, &["bmc", "password"]), Some(&Value::from("pw")));
    assert_eq!(p.get("description"), Some(&Value::Null));
}

#[test]
fn configured_values_and_unknowns_are_not_overridden() {
    let mut cfg = config();
    cfg.set_attr("online", false);
    cfg.set_attr("namespace", "lab");
    cfg.set_attr("boot_mode", Value::unknown());
    let p = create(cfg).planned;
    assert_eq!(p.get("online"), Some(&Value::from(false)));
    assert_eq!(p.get("namespace"), Some(&Value::from("lab")));
    assert!(p.get("boot_mode").unwrap().is_unknown());
}

#[test]
fn write_only_password_is_null_in_the_plan() {
    let mut cfg = config();
    set(&mut cfg, &["bmc", "password"], Value::Null);
    set(&mut cfg, &["bmc", "password_wo"], Value::from("secret"));
    set(&mut cfg, &["bmc", "password_wo_version"], Value::from(1));
    let p = create(cfg).planned;
    assert_eq!(get(&p, &["bmc", "password_wo"]), Some(&Value::Null));
    assert_eq!(
        get(&p, &["bmc", "password_wo_version"]),
        Some(&Value::from(1))
    );
}

#[test]
fn no_op_update_is_identical_to_prior() {
    let prior = applied(config());
    assert!(prior.is_known());
    let out = update(&prior, config());
    assert_eq!(out.planned, prior);
    assert!(out.requires_replace.is_empty());
    assert!(out.diagnostics.is_empty());
}

#[test]
fn a_new_write_only_password_alone_changes_nothing() {
    let mut cfg = config();
    set(&mut cfg, &["bmc", "password"], Value::Null);
    set(&mut cfg, &["bmc", "password_wo"], Value::from("one"));
    set(&mut cfg, &["bmc", "password_wo_version"], Value::from(1));
    let prior = applied(cfg.clone());
    set(&mut cfg, &["bmc", "password_wo"], Value::from("two"));
    let out = update(&prior, cfg.clone());
    assert_eq!(out.planned, prior);
    // Bumping the version rotates it.
    set(&mut cfg, &["bmc", "password_wo_version"], Value::from(2));
    let out = update(&prior, cfg);
    assert_eq!(
        unknown_status(&out.planned),
        ["operational_status", "error_type", "error_message"]
    );
    assert!(out
        .diagnostics
        .iter()
        .any(|d| d.summary.contains("credentials")));
}

#[test]
fn image_change_marks_a_redeploy() {
    let prior = applied(config());
    let mut cfg = config();
    set(
        &mut cfg,
        &["image", "url"],
        Value::from("http://img/os2.qcow2"),
    );
    let out = update(&prior, cfg);
    assert!(out.requires_replace.is_empty());
    let unknown = unknown_status(&out.planned);
    for name in [
        "provisioning_state",
        "ironic_provision_state",
        "provisioned_image",
        "powered_on",
    ] {
        assert!(unknown.contains(&name), "{name}");
    }
    // Identity and inventory are kept.
    assert_eq!(out.planned.get("id"), prior.get("id"));
    assert!(!unknown.contains(&"hardware"));
    let warnings: Vec<&str> = out.diagnostics.iter().map(|d| d.summary.as_str()).collect();
    assert_eq!(
        warnings,
        ["image changes: the host is REDEPLOYED with http://img/os2.qcow2 (root disk overwritten)"]
    );
    assert!(out.diagnostics.iter().all(|d| !d.is_error()));
}

#[test]
fn image_removal_deprovisions_and_image_addition_provisions() {
    let prior = applied(config());
    let mut cfg = config();
    cfg.set_attr("image", Value::Null);
    let out = update(&prior, cfg.clone());
    assert_eq!(out.diagnostics.len(), 1);
    assert!(out.diagnostics[0].summary.contains("DEPROVISIONED"));
    assert!(out.diagnostics[0].summary.contains("CLEANED"));
    assert!(out.diagnostics[0].summary.contains("metadata"));
    // A host without an image rests in `available` (an `active` one without a recorded
    // deployment is an imported host, taken as it runs).
    let mut prior = applied(cfg);
    prior.set_attr("ironic_provision_state", Value::from("available"));
    prior.set_attr("provisioning_state", Value::from("available"));
    let out = update(&prior, config());
    assert!(out.diagnostics[0]
        .summary
        .contains("DEPLOYED with http://img/os.qcow2"));
    assert!(!out.diagnostics[0].summary.contains("DEPROVISIONED"));
}

#[test]
fn online_flip_only_touches_power() {
    let prior = applied(config());
    let mut cfg = config();
    cfg.set_attr("online", false);
    let out = update(&prior, cfg);
    assert_eq!(unknown_status(&out.planned), ["powered_on"]);
    assert_eq!(out.planned.get("online"), Some(&Value::from(false)));
    assert_eq!(
        out.diagnostics[0].summary,
        "online = false: the host will be POWERED OFF"
    );
}

#[test]
fn removing_a_setting_returns_to_its_default() {
    let mut cfg = config();
    cfg.set_attr("online", false);
    let prior = applied(cfg);
    let out = update(&prior, config());
    assert_eq!(out.planned.get("online"), Some(&Value::from(true)));
}

#[test]
fn description_change_keeps_every_status() {
    let prior = applied(config());
    let mut cfg = config();
    cfg.set_attr("description", "rack 4");
    let out = update(&prior, cfg);
    assert!(unknown_status(&out.planned).is_empty());
    assert!(out.diagnostics.is_empty());
}

#[test]
fn bmc_host_change_requires_replace_but_protocol_change_does_not() {
    let prior = applied(config());
    let mut cfg = config();
    set(
        &mut cfg,
        &["bmc", "address"],
        Value::from("redfish://10.0.0.2/redfish/v1/Systems/1"),
    );
    let out = update(&prior, cfg);
    assert_eq!(
        out.requires_replace,
        [AttributePath::attributes(&["bmc", "address"])]
    );

    let mut cfg = config();
    set(
        &mut cfg,
        &["bmc", "address"],
        Value::from("redfish-virtualmedia://10.0.0.1/redfish/v1/Systems/1"),
    );
    let out = update(&prior, cfg);
    assert!(out.requires_replace.is_empty());
    assert!(out
        .diagnostics
        .iter()
        .any(|d| d.summary.contains("same machine")));

    let mut cfg = config();
    set(&mut cfg, &["bmc", "address"], Value::unknown());
    assert_eq!(
        update(&prior, cfg).requires_replace,
        [AttributePath::attributes(&["bmc", "address"])]
    );
}

#[test]
fn imported_node_without_a_recorded_address_is_updated_in_place() {
    // Import of a node created outside the provider (fake-hardware): no address to read back.
    let mut prior = applied(config());
    set(&mut prior, &["bmc", "address"], Value::Null);
    set(&mut prior, &["bmc", "password"], Value::Null);
    let out = update(&prior, config());
    assert!(
        out.requires_replace.is_empty(),
        "{:?}",
        out.requires_replace
    );
    assert!(out
        .diagnostics
        .iter()
        .any(|d| d.summary.contains("not recorded")));

    // Without a node id the machine is unknown: still a replacement.
    set(&mut prior, &["id"], Value::Null);
    assert_eq!(
        update(&prior, config()).requires_replace,
        [AttributePath::attributes(&["bmc", "address"])]
    );
}

#[test]
fn name_and_namespace_changes_require_replace() {
    let prior = applied(config());
    let mut cfg = config();
    cfg.set_attr("name", "w1");
    cfg.set_attr("namespace", "lab");
    let out = update(&prior, cfg);
    assert_eq!(
        out.requires_replace,
        [
            AttributePath::attributes(&["name"]),
            AttributePath::attributes(&["namespace"])
        ]
    );
}

#[test]
fn destroy_plans_null() {
    let prior = applied(config());
    let out = plan(input(
        Some(prior),
        Value::Null,
        Value::Null,
        Private::default(),
    ));
    assert_eq!(out.planned, Value::Null);
    assert!(out.requires_replace.is_empty() && out.diagnostics.is_empty());
}

#[test]
fn failed_partial_prior_resumes_with_status_unknown() {
    // A create that failed during deployment: the partial state has an id and an error.
    let planned = create(config()).planned;
    let failed = StatusView {
        id: Some("1be26c0b-03f2-4d2e-ae87-c02d7f33c123".into()),
        provisioning_state: Some("provisioning".into()),
        ironic_provision_state: Some("deploy failed".into()),
        operational_status: Some("error".into()),
        error_type: Some("provisioning error".into()),
        error_message: Some("boom".into()),
        ..StatusView::default()
    };
    let prior = host_state(&planned, &failed);
    let mut cfg = config();
    set(
        &mut cfg,
        &["image", "url"],
        Value::from("http://img/fixed.qcow2"),
    );
    let out = update(&prior, cfg);
    let unknown = unknown_status(&out.planned);
    assert_eq!(unknown.len(), STATUS_ATTRIBUTES.len() - 1);
    assert_eq!(out.planned.get("id"), prior.get("id"));

    // No id at all (enrollment failed): the id is unknown too.
    let prior = host_state(&planned, &StatusView::default());
    let mut cfg = config();
    cfg.set_attr("description", "retry");
    assert_eq!(
        unknown_status(&update(&prior, cfg).planned),
        STATUS_ATTRIBUTES
    );
}

#[test]
fn interrupted_create_with_unchanged_arguments_plans_the_rest() {
    // Ctrl-C during inspection: the state holds the node, still inspecting, same arguments.
    let planned = create(config()).planned;
    let interrupted = StatusView {
        id: Some("1be26c0b-03f2-4d2e-ae87-c02d7f33c123".into()),
        provisioning_state: Some("inspecting".into()),
        ironic_provision_state: Some("inspect wait".into()),
        operational_status: Some("OK".into()),
        ..StatusView::default()
    };
    let prior = host_state(&planned, &interrupted);
    let out = update(&prior, config());
    assert_ne!(out.planned, prior);
    assert_eq!(
        unknown_status(&out.planned).len(),
        STATUS_ATTRIBUTES.len() - 1
    );
    assert_eq!(out.planned.get("id"), prior.get("id"));
}

#[test]
fn describes_externally_provisioned_transitions() {
    let mut adopted = config();
    adopted.set_attr("externally_provisioned", true);
    let prior = applied(adopted.clone());
    let mut cfg = adopted.clone();
    set(
        &mut cfg,
        &["image", "url"],
        Value::from("http://img/other.qcow2"),
    );
    let out = update(&prior, cfg);
    assert!(out.diagnostics[0].summary.contains("recorded only"));
    assert!(!unknown_status(&out.planned).contains(&"powered_on"));

    // Same image (e.g. an imported host): recorded, not deployed (the engine's RecordDeployment).
    let out = update(&prior, config());
    assert!(out.diagnostics[0].summary.contains("nothing is deployed"));
    // Imported: the checksum cannot be read back; the same URL is still the same image.
    let mut imported = prior.clone();
    set(&mut imported, &["image", "checksum"], Value::Null);
    let out = update(&imported, config());
    assert!(out.diagnostics[0].summary.contains("nothing is deployed"));

    let mut cfg = config();
    set(
        &mut cfg,
        &["image", "url"],
        Value::from("http://img/other.qcow2"),
    );
    let out = update(&prior, cfg);
    assert!(out.diagnostics[0].summary.contains("DEPLOYED"));
}

#[test]
fn destroy_says_what_happens_to_the_disks() {
    let provisioned = applied(config());
    let text = describe_destroy(&provisioned);
    assert!(
        text.contains("DEPROVISIONED") && text.contains("CLEANED"),
        "{text}"
    );
    assert!(text.contains("powered off"), "{text}");

    let mut adopted_cfg = config();
    adopted_cfg.set_attr("externally_provisioned", true);
    let mut adopted = applied(adopted_cfg);
    adopted.set_attr("provisioning_state", "externally provisioned");
    let text = describe_destroy(&adopted);
    assert!(
        text.contains("not touched") && !text.contains("CLEANED"),
        "{text}"
    );
    adopted.set_attr("power_off_on_destroy", false);
    assert!(describe_destroy(&adopted).contains("left powered as it is"));

    let mut available = applied(config());
    available.set_attr("ironic_provision_state", "available");
    let text = describe_destroy(&available);
    assert!(text.contains("no disk is cleaned"), "{text}");

    let gone = crate::resources::baremetal_host::refresh::missing_node_state(&provisioned);
    assert!(describe_destroy(&gone).contains("only removed from the state"));
}

#[test]
fn a_lost_node_plans_an_in_place_re_registration_never_a_replace() {
    let prior = crate::resources::baremetal_host::refresh::missing_node_state(&applied(config()));
    let out = update(&prior, config());
    assert!(out.requires_replace.is_empty());
    assert_eq!(unknown_status(&out.planned), STATUS_ATTRIBUTES);
    let warnings: Vec<&str> = out.diagnostics.iter().map(|d| d.summary.as_str()).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("re-registers and re-adopts")
            && warnings[0].contains("no disk written"),
        "{}",
        warnings[0]
    );
}

#[test]
fn maintenance_is_announced_and_left_by_apply() {
    let mut prior = applied(config());
    prior.set_attr("operational_status", "detached");
    prior.set_attr("maintenance_reason", "disk swap");
    let out = update(&prior, config());
    assert!(out.requires_replace.is_empty());
    let unknown = unknown_status(&out.planned);
    assert!(unknown.contains(&"maintenance_reason") && unknown.contains(&"operational_status"));
    assert!(out.diagnostics[0]
        .summary
        .contains("maintenance (disk swap)"));
}

#[test]
fn a_bmc_address_read_back_from_ironic_is_updated_in_place() {
    // Refresh read another address from Ironic; the configuration still names the machine
    // last applied: an in-place update puts the driver settings back.
    let mut prior = applied(config());
    set(
        &mut prior,
        &["bmc", "address"],
        Value::from("redfish+https://10.9.9.9/redfish/v1/Systems/1"),
    );
    let out = plan(input(
        Some(prior.clone()),
        proposed(&prior, &config()),
        config(),
        Private {
            bmc_address: Some(REDFISH.into()),
            ..Default::default()
        },
    ));
    assert!(
        out.requires_replace.is_empty(),
        "{:?}",
        out.requires_replace
    );
    // Without the record of what was applied, another host part means another machine.
    let out = update(&prior, config());
    assert_eq!(out.requires_replace.len(), 1);
}

#[test]
fn a_replacement_names_both_halves() {
    let prior = applied(config());
    let mut cfg = config();
    cfg.set_attr("name", "w1");
    let out = update(&prior, cfg);
    assert_eq!(out.requires_replace.len(), 1);
    let text = &out.diagnostics[0].summary;
    assert!(
        text.starts_with("name changes: the host is REPLACED"),
        "{text}"
    );
    assert!(
        text.contains("destroy: the host is DEPROVISIONED"),
        "{text}"
    );
    assert!(text.contains("DEPLOYED with http://img/os.qcow2"), "{text}");
}

/// The safety matrix's in-place cells and creates, at unit level: the plan's words about the
/// disks and core's forecast of apply (whose steps the engine takes: core's
/// `forecast::tests::the_engine_takes_the_forecast_steps`) say the same, cell by cell.
#[test]
fn plan_words_about_disks_are_the_forecast() {
    use metal3_core::lifecycle::forecast::Effect;
    let deploy_words = |text: &str| text.contains("DEPLOYED");
    let with = |mut value: Value, name: &str, new: Value| {
        value.set_attr(name, new);
        value
    };
    let at_rest = |config: Value, ironic: &str, provisioning: &str| {
        let mut prior = applied(config);
        prior.set_attr("ironic_provision_state", Value::from(ironic));
        prior.set_attr("provisioning_state", Value::from(provisioning));
        prior
    };
    let iso = |url: &str| {
        Value::object([
            ("url", Value::from(url)),
            ("disk_format", Value::from("live-iso")),
        ])
    };
    let raw = Value::object([
        ("url", Value::from("http://img/os.raw")),
        ("checksum", Value::from("http://img/os.raw.md5")),
        ("disk_format", Value::from("raw")),
    ]);
    let no_image = with(config(), "image", Value::Null);
    let adopted = with(config(), "externally_provisioned", Value::from(true));
    let live = with(
        with(config(), "image", iso("http://img/live.iso")),
        "automated_cleaning_mode",
        Value::from("disabled"),
    );
    // (cell, prior (None: create), planned config, cleans, writes or boots)
    let cells = [
        ("create", None, config(), true, true),
        ("create, no image", None, no_image.clone(), true, false),
        ("create, adopted", None, adopted.clone(), false, false),
        (
            "available, image set",
            Some(at_rest(no_image.clone(), "available", "available")),
            config(),
            false,
            true,
        ),
        (
            "provisioned, image removed",
            Some(applied(config())),
            no_image.clone(),
            true,
            false,
        ),
        (
            "provisioned, image changed",
            Some(applied(config())),
            with(config(), "image", raw.clone()),
            false,
            true,
        ),
        (
            "provisioned, to a live ISO",
            Some(applied(config())),
            with(config(), "image", iso("http://img/live.iso")),
            true,
            true,
        ),
        (
            "externally, image changed",
            Some(at_rest(adopted.clone(), "active", "externally provisioned")),
            with(adopted.clone(), "image", raw.clone()),
            false,
            false,
        ),
        (
            "externally, unadopted with its image",
            Some(at_rest(adopted.clone(), "active", "externally provisioned")),
            config(),
            false,
            false,
        ),
        (
            "externally, unadopted with another image",
            Some(at_rest(adopted.clone(), "active", "externally provisioned")),
            with(config(), "image", raw.clone()),
            false,
            true,
        ),
        (
            "live ISO, image changed",
            Some(applied(live.clone())),
            with(live.clone(), "image", iso("http://img/live.iso?v=2")),
            false,
            true,
        ),
        (
            "failed deploy, image changed",
            Some(at_rest(config(), "deploy failed", "provisioning")),
            with(config(), "image", raw),
            true,
            true,
        ),
    ];
    for (cell, prior, cfg, cleans, writes) in cells {
        let out = match &prior {
            None => create(cfg),
            Some(prior) => update(prior, cfg),
        };
        let said: Vec<&str> = out.diagnostics.iter().map(|d| d.summary.as_str()).collect();
        let text = said.join("\n");
        let forecast = super::super::forecast::of(prior.as_ref(), &out.planned)
            .unwrap_or_else(|| panic!("{cell}: no forecast"));
        let forecast_writes =
            forecast.has(Effect::WritesRootDisk) || forecast.has(Effect::BootsLiveIso);
        assert_eq!(
            (forecast.has(Effect::CleansDisks), forecast_writes),
            (cleans, writes),
            "{cell}: forecast {forecast:?}"
        );
        assert_eq!(
            (text.contains("are CLEANED"), deploy_words(&text)),
            (cleans, writes),
            "{cell}: the plan said {said:?}"
        );
        assert_eq!(
            text.contains("REDEPLOYED"),
            forecast.takes(&Step::Rebuild),
            "{cell}: {said:?}"
        );
    }
}

/// The safety matrix's destroy column, at unit level: the destroy plan's words and core's
/// destroy forecast (whose steps the engine takes: core's
/// `destroy_forecast::tests::the_engine_takes_the_destroy_forecast_steps`) say the same, cell by
/// cell; the options the forecast was made with are the ones the destroy's apply hands the
/// engine (`forecast::delete_options`).
#[test]
fn destroy_words_are_the_destroy_forecast() {
    use metal3_core::lifecycle::forecast::Effect;
    use metal3_core::lifecycle::plan::DeleteStep;
    let with = |mut value: Value, name: &str, new: Value| {
        value.set_attr(name, new);
        value
    };
    let provisioned = applied(config());
    let at_rest = |ironic: &str, provisioning: &str, powered: bool| {
        let state = with(
            provisioned.clone(),
            "ironic_provision_state",
            Value::from(ironic),
        );
        let state = with(state, "provisioning_state", Value::from(provisioning));
        with(state, "powered_on", Value::from(powered))
    };
    let adopted = with(
        at_rest("active", "externally provisioned", true),
        "externally_provisioned",
        Value::from(true),
    );
    let no_cleaning =
        |state: Value| with(state, "automated_cleaning_mode", Value::from("disabled"));
    let kept_on = |state: Value| with(state, "power_off_on_destroy", Value::from(false));
    let in_maintenance = with(
        provisioned.clone(),
        "maintenance_reason",
        Value::from("bad DIMM"),
    );
    // (cell, state, deprovisions, cleans, powers off)
    let cells = [
        (
            "available",
            at_rest("available", "available", false),
            false,
            false,
            false,
        ),
        (
            "available, on",
            at_rest("available", "available", true),
            false,
            false,
            true,
        ),
        (
            "available, kept on",
            kept_on(at_rest("available", "available", true)),
            false,
            false,
            false,
        ),
        ("provisioned", provisioned.clone(), true, true, true),
        // Ironic's tear-down powers the machine off whatever power_off_on_destroy says.
        (
            "provisioned, kept on",
            kept_on(provisioned.clone()),
            true,
            true,
            true,
        ),
        (
            "live ISO",
            no_cleaning(provisioned.clone()),
            true,
            false,
            true,
        ),
        (
            "failed deploy",
            at_rest("deploy failed", "provisioning", true),
            true,
            true,
            true,
        ),
        (
            "failed create",
            at_rest("inspect failed", "inspecting", false),
            false,
            false,
            false,
        ),
        (
            "enroll",
            at_rest("enroll", "registering", true),
            false,
            false,
            false,
        ),
        ("adopted", adopted.clone(), false, false, true),
        ("adopted, kept on", kept_on(adopted), false, false, false),
        (
            "waiting for a deploy agent",
            at_rest("wait call-back", "provisioning", true),
            true,
            true,
            true,
        ),
        ("in maintenance", in_maintenance, true, true, true),
    ];
    for (cell, state, deprovisions, cleans, powers_off) in cells {
        let text = describe_destroy(&state);
        let forecast = super::super::forecast::destroy(&state)
            .unwrap_or_else(|| panic!("{cell}: no forecast"));
        assert_eq!(
            (
                forecast.takes(&DeleteStep::Deprovision),
                forecast.has(Effect::CleansDisks),
                forecast.has(Effect::PowersOff)
            ),
            (deprovisions, cleans, powers_off),
            "{cell}: forecast {forecast:?}"
        );
        assert_eq!(
            (
                text.contains("DEPROVISIONED"),
                text.contains("are CLEANED"),
                text.contains("powered off and")
            ),
            (deprovisions, cleans, powers_off),
            "{cell}: the plan said {text}"
        );
        assert!(forecast.has(Effect::RemovesNode), "{cell}");
        assert_eq!(
            text.contains("taken out of maintenance"),
            forecast.takes(&DeleteStep::EndMaintenance),
            "{cell}: {text}"
        );
    }
}

/// The safety matrix's "database lost" column, at unit level: the words about a host Ironic
/// lost and core's re-registration forecast (whose decision the engine's re-registration
/// takes: `forecast::reregistration`) say the same about the disks.
#[test]
fn lost_node_words_are_the_reregistration_forecast() {
    use crate::resources::baremetal_host::refresh::missing_node_state;
    use metal3_core::lifecycle::forecast::Effect;
    let with = |mut value: Value, name: &str, new: Value| {
        value.set_attr(name, new);
        value
    };
    let hardware = Value::object([("cpu", Value::object([("count", Value::from(2))]))]);
    let at_rest = |config: Value, provisioning: &str, hardware: Option<&Value>| {
        let prior = with(
            applied(config),
            "provisioning_state",
            Value::from(provisioning),
        );
        let prior = match hardware {
            Some(hw) => with(prior, "hardware", hw.clone()),
            None => prior,
        };
        missing_node_state(&prior)
    };
    let no_image = with(config(), "image", Value::Null);
    let adopted = with(config(), "externally_provisioned", Value::from(true));
    // (cell, prior, planned config, adopts, inspects, cleans, writes)
    let cells = [
        (
            "available",
            at_rest(no_image.clone(), "available", Some(&hardware)),
            no_image.clone(),
            false,
            false,
            true,
            false,
        ),
        (
            "provisioned",
            at_rest(config(), "provisioned", Some(&hardware)),
            config(),
            true,
            false,
            false,
            false,
        ),
        (
            "externally provisioned",
            at_rest(adopted.clone(), "externally provisioned", None),
            adopted.clone(),
            true,
            false,
            false,
            false,
        ),
        (
            "provisioned, image changed while lost",
            at_rest(config(), "provisioned", Some(&hardware)),
            with(
                config(),
                "image",
                Value::object([
                    ("url", Value::from("http://img/os.raw")),
                    ("checksum", Value::from("http://img/os.raw.md5")),
                    ("disk_format", Value::from("raw")),
                ]),
            ),
            true,
            false,
            false,
            true,
        ),
        (
            "failed deploy",
            at_rest(config(), "provisioning", Some(&hardware)),
            config(),
            false,
            false,
            true,
            true,
        ),
        (
            "failed create",
            at_rest(config(), "inspecting", None),
            config(),
            false,
            true,
            true,
            true,
        ),
        (
            "available, adopted while lost",
            at_rest(no_image.clone(), "available", None),
            adopted,
            true,
            false,
            false,
            false,
        ),
    ];
    for (cell, prior, cfg, adopts, inspects, cleans, writes) in cells {
        let out = update(&prior, cfg);
        assert!(out.requires_replace.is_empty(), "{cell}");
        let said: Vec<&str> = out.diagnostics.iter().map(|d| d.summary.as_str()).collect();
        let text = said.join("\n");
        let forecast = super::super::forecast::reregistration(&prior, &out.planned)
            .unwrap_or_else(|| panic!("{cell}: no forecast"));
        let forecast_writes =
            forecast.has(Effect::WritesRootDisk) || forecast.has(Effect::BootsLiveIso);
        assert_eq!(
            (
                forecast.takes(&Step::Adopt),
                forecast.takes(&Step::Inspect),
                forecast.has(Effect::CleansDisks),
                forecast_writes
            ),
            (adopts, inspects, cleans, writes),
            "{cell}: forecast {forecast:?}"
        );
        assert_eq!(
            (
                text.contains("adopt"),
                text.contains("inspects it"),
                text.contains("are CLEANED"),
                text.contains("DEPLOYED")
            ),
            (adopts, inspects, cleans, writes),
            "{cell}: the plan said {said:?}"
        );
    }
}

/// An earlier apply that did not finish: what the resume warning says is left is core's
/// forecast from where the host stands (a transition under way settled or stopped as the
/// engine does: core's `forecast::tests::the_engine_takes_the_forecast_steps`).
#[test]
fn resume_words_are_the_forecast() {
    use metal3_core::lifecycle::forecast::Effect;
    let with = |mut value: Value, name: &str, new: Value| {
        value.set_attr(name, new);
        value
    };
    let stands = |config: Value, ironic: &str, provisioning: &str, hardware: bool| {
        let prior = with(
            applied(config),
            "ironic_provision_state",
            Value::from(ironic),
        );
        let prior = with(prior, "provisioning_state", Value::from(provisioning));
        let prior = with(prior, "operational_status", Value::from("error"));
        match hardware {
            true => with(
                prior,
                "hardware",
                Value::object([("cpu", Value::object([("count", Value::from(2))]))]),
            ),
            false => with(prior, "hardware", Value::Null),
        }
    };
    let raw = Value::object([
        ("url", Value::from("http://img/os.raw")),
        ("checksum", Value::from("http://img/os.raw.md5")),
        ("disk_format", Value::from("raw")),
    ]);
    let no_image = with(config(), "image", Value::Null);
    // (cell, prior, planned config, inspects, cleans, writes)
    let cells = [
        (
            "interrupted create, inspecting",
            stands(no_image.clone(), "inspect wait", "inspecting", false),
            no_image.clone(),
            false,
            true,
            false,
        ),
        (
            "inspection failed",
            stands(config(), "inspect failed", "inspecting", false),
            config(),
            true,
            true,
            true,
        ),
        (
            "cleaning failed",
            stands(config(), "clean failed", "preparing", true),
            config(),
            false,
            true,
            true,
        ),
        (
            "deployment failed",
            stands(config(), "deploy failed", "provisioning", true),
            config(),
            false,
            true,
            true,
        ),
        (
            "deploying as configured",
            stands(config(), "wait call-back", "provisioning", true),
            config(),
            false,
            false,
            false,
        ),
        (
            "deploying another image",
            stands(config(), "wait call-back", "provisioning", true),
            with(config(), "image", raw),
            false,
            true,
            true,
        ),
        (
            "deploying, image removed",
            stands(config(), "wait call-back", "provisioning", true),
            no_image,
            false,
            true,
            false,
        ),
    ];
    for (cell, prior, cfg, inspects, cleans, writes) in cells {
        let out = update(&prior, cfg);
        let said: Vec<&str> = out.diagnostics.iter().map(|d| d.summary.as_str()).collect();
        let resume = said
            .iter()
            .find(|s| s.starts_with("the host has not reached"))
            .unwrap_or_else(|| panic!("{cell}: no resume warning in {said:?}"));
        let forecast = super::super::forecast::of(Some(&prior), &out.planned)
            .unwrap_or_else(|| panic!("{cell}: no forecast"));
        let forecast_writes =
            forecast.has(Effect::WritesRootDisk) || forecast.has(Effect::BootsLiveIso);
        assert_eq!(
            (
                forecast.takes(&Step::Inspect),
                forecast.has(Effect::CleansDisks),
                forecast_writes
            ),
            (inspects, cleans, writes),
            "{cell}: forecast {forecast:?}"
        );
        let then = resume
            .split_once("; then it is")
            .map_or("", |(_, then)| then);
        assert_eq!(
            (
                then.contains("inspected"),
                then.contains("are CLEANED"),
                then.contains("DEPLOYED")
            ),
            (inspects, cleans, writes),
            "{cell}: the plan said {resume}"
        );
    }
}

/// `online` changes are worded from the forecast: a power request only when apply sends one
/// (an active host whose power Ironic has not read is left alone, as the engine does).
#[test]
fn power_words_are_the_forecast() {
    let prior = applied(config());
    let mut off = config();
    off.set_attr("online", false);
    let said = |prior: &Value| {
        update(prior, off.clone())
            .diagnostics
            .iter()
            .map(|d| d.summary.clone())
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(said(&prior).contains("POWERED OFF"), "{}", said(&prior));
    let mut unread = prior.clone();
    unread.set_attr("powered_on", Value::Null);
    let text = said(&unread);
    assert!(
        !text.contains("POWERED OFF") && text.contains("no power request is sent"),
        "{text}"
    );
}

fn with_bios(mut config: Value, name: &str, value: &str) -> Value {
    config.set_attr(
        HostConfig::NAMES.bios_settings,
        Value::map([(name.to_owned(), Value::from(value))]),
    );
    config
}

fn plan_with(prior: &Value, config: Value, applied: Private) -> PlanOutput {
    plan(input(
        Some(prior.clone()),
        proposed(prior, &config),
        config,
        applied,
    ))
}

#[test]
fn bios_settings_the_registry_refuses_are_plan_errors_at_the_setting() {
    let prior = applied(with_bios(config(), "ProcTurboMode", "Enabled"));
    let registry = metal3_core::lifecycle::hardware_settings::parse_bios(&serde_json::json!({
        "bios": [{"name": "ProcTurboMode", "value": "Enabled", "attribute_type": "Enumeration",
                  "allowable_values": ["Enabled", "Disabled"]}]
    }));
    let known = Private {
        bios_registry: Some(registry),
        ..Private::default()
    };
    let out = plan_with(
        &prior,
        with_bios(config(), "ProcTurboMode", "Maybe"),
        known.clone(),
    );
    let errors: Vec<_> = out
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::diagnostics::Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{:?}", out.diagnostics);
    assert!(errors[0]
        .detail
        .contains("allowed: \"Enabled\", \"Disabled\""));
    assert_eq!(
        errors[0].attribute,
        Some(
            AttributePath::root()
                .attribute(HostConfig::NAMES.bios_settings)
                .key("ProcTurboMode")
        )
    );
    // Allowed, or no registry known: no error.
    let fine = plan_with(
        &prior,
        with_bios(config(), "ProcTurboMode", "Disabled"),
        known,
    );
    assert!(fine
        .diagnostics
        .iter()
        .all(|d| d.severity != crate::diagnostics::Severity::Error));
    let unknown = plan_with(
        &prior,
        with_bios(config(), "Anything", "x"),
        Private::default(),
    );
    assert!(unknown
        .diagnostics
        .iter()
        .all(|d| d.severity != crate::diagnostics::Severity::Error));
}

#[test]
fn a_change_a_provisioned_host_cannot_take_is_said_once_then_the_plan_is_empty() {
    let mut prior = applied(with_bios(config(), "ProcTurboMode", "Disabled"));
    let current = Value::map([("ProcTurboMode".to_owned(), Value::from("Disabled"))]);
    prior.set_attr(HostConfig::NAMES.bios_settings_current, current.clone());
    prior.set_attr(
        HostConfig::NAMES.hardware_settings_pending,
        Value::list(Vec::<Value>::new()),
    );
    let changed = with_bios(config(), "ProcTurboMode", "Enabled");
    let out = plan_with(&prior, changed.clone(), Private::default());
    let words: Vec<&str> = out.diagnostics.iter().map(|d| d.summary.as_str()).collect();
    assert!(
        words
            .iter()
            .any(|w| w
                .contains("bios_settings change on a provisioned host: nothing is applied now")),
        "{words:?}"
    );
    // The BIOS is not touched: its reading stays as planned.
    assert_eq!(
        out.planned.get(HostConfig::NAMES.bios_settings_current),
        Some(&current)
    );
    // The state after that apply: the new arguments, the change pending. Planned again,
    // nothing changes and nothing is said.
    let mut after = out.planned.clone();
    after.set_attr(
        HostConfig::NAMES.hardware_settings_pending,
        Value::list([Value::from(HostConfig::NAMES.bios_settings)]),
    );
    let again = plan_with(&after, changed, Private::default());
    assert_eq!(again.planned, after);
    assert!(again.diagnostics.is_empty(), "{:?}", again.diagnostics);
}
