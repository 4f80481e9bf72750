use super::*;
use crate::schema::{test_schema, Attribute, ObjectNesting, Rule};

/// The crate's test host, with list-nested NICs and a few rules.
fn block() -> Block {
    let nic = vec![
        Attribute::string("mac", "mac").required(),
        Attribute::bool("pxe", "pxe").default(false),
        Attribute::string("ip", "ip").computed(),
    ];
    let mut block = test_schema::host().block;
    let bmc = block
        .attributes
        .iter_mut()
        .find(|a| a.name == "bmc")
        .and_then(|a| match &mut a.r#type {
            crate::schema::AttributeType::Nested(n) => Some(n),
            _ => None,
        })
        .unwrap();
    let password = bmc
        .attributes
        .iter_mut()
        .find(|a| a.name == "password_wo")
        .unwrap();
    password.rules.push(Rule::Length {
        min: Some(8),
        max: None,
    });
    block.attributes.extend([
        Attribute::nested("nics", ObjectNesting::List, nic, "nics").optional(),
        Attribute::string("mode", "mode")
            .optional()
            .rule(Rule::OneOf(&["a", "b"])),
        Attribute::number("count", "count")
            .optional()
            .rule(Rule::Range {
                min: Some(1),
                max: Some(3),
            }),
        Attribute::string("old", "old")
            .optional()
            .deprecated()
            .rule(Rule::Deprecated("Use `mode`.")),
        Attribute::string("status", "status").optional().computed(),
    ]);
    block
}

fn config() -> Value {
    let mut c = Value::object_of_nulls(&block().value_type());
    c.set_attr("name", "h1");
    c.set_attr(
        "bmc",
        Value::object([
            ("address", Value::from("redfish://bmc")),
            ("password_wo", Value::Null),
            ("insecure", Value::Null),
        ]),
    );
    c
}

fn nic(mac: &str) -> Value {
    Value::object([
        ("mac", Value::from(mac)),
        ("pxe", Value::Null),
        ("ip", Value::Null),
    ])
}

fn at(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| {
            d.attribute
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn a_valid_configuration_has_no_diagnostics() {
    let mut c = config();
    c.set_attr("mode", "a");
    c.set_attr("count", 3);
    c.set_attr("nics", Value::list([nic("m1")]));
    assert_eq!(validate_config(&block(), &c), []);
}

#[test]
fn rules_report_at_their_attribute_and_hide_secrets() {
    let mut c = config();
    c.set_attr("mode", "z");
    c.set_attr("count", 0);
    c.set_attr("old", "x");
    c.get_mut("bmc").unwrap().set_attr("password_wo", "hunter2");
    let diagnostics = validate_config(&block(), &c);
    assert_eq!(
        at(&diagnostics),
        ["bmc.password_wo", "mode", "count", "old"]
    );
    assert!(diagnostics.iter().all(|d| !d.detail.contains("hunter2")));
    assert_eq!(
        diagnostics[0].detail,
        "The length, 7, is not at least 8 characters."
    );
    assert_eq!(diagnostics[1].detail, r#""z" is not one of `a`, `b`."#);
    assert!(!diagnostics[3].is_error(), "deprecation warns");
    assert_eq!(diagnostics[3].detail, "Use `mode`.");
}

#[test]
fn unknown_and_null_values_are_not_judged() {
    let mut c = config();
    c.set_attr("mode", Value::unknown());
    c.set_attr("count", Value::Null);
    c.set_attr("bmc", Value::unknown());
    assert_eq!(validate_config(&block(), &c), []);
}

#[test]
fn a_create_plans_defaults_and_unknown_computed_values() {
    let mut c = config();
    c.set_attr("nics", Value::list([nic("m1"), nic("m2")]));
    c.get_mut("bmc")
        .unwrap()
        .set_attr("password_wo", "secret-pass");
    let planned = plan(&block(), &Value::Null, &c, &c);
    let state = &planned.planned_state;
    assert_eq!(state.get("online"), Some(&Value::from(true)));
    assert!(state.get("id").unwrap().is_unknown());
    assert!(
        state.get("status").unwrap().is_unknown(),
        "optional+computed, unset"
    );
    assert!(
        state.get("mode").unwrap().is_null(),
        "optional only: stays null"
    );
    let bmc = state.get("bmc").unwrap();
    assert_eq!(bmc.get("insecure"), Some(&Value::from(false)));
    assert!(
        bmc.get("password_wo").unwrap().is_null(),
        "write-only kept out of plans"
    );
    for nic in state.get("nics").unwrap().as_elements().unwrap() {
        assert_eq!(nic.get("pxe"), Some(&Value::from(false)));
        assert!(nic.get("ip").unwrap().is_unknown());
    }
    assert!(state.get("image").unwrap().is_null(), "no object invented");
    assert_eq!(planned.requires_replace, []);
}

/// The prior state after a create: every computed value set.
fn prior() -> Value {
    let c = config();
    let mut state = plan(&block(), &Value::Null, &c, &c).planned_state;
    state.set_attr("id", "uuid-1");
    state.set_attr("status", Value::Null);
    state
}

#[test]
fn an_unchanged_object_plans_its_prior_state() {
    let prior = prior();
    // Terraform proposes prior computed values where the configuration is unset.
    let planned = plan(&block(), &prior, &prior, &config());
    assert_eq!(planned.planned_state, prior);
}

#[test]
fn a_change_keeps_known_computed_values_and_marks_unset_ones() {
    let prior = prior();
    let mut c = config();
    c.set_attr("mode", "b");
    let mut proposed = prior.clone();
    proposed.set_attr("mode", "b");
    let planned = plan(&block(), &prior, &proposed, &c).planned_state;
    assert_eq!(planned.get("id"), Some(&Value::from("uuid-1")));
    assert!(planned.get("status").unwrap().is_unknown());
    assert_eq!(planned.get("mode"), Some(&Value::from("b")));
}

#[test]
fn replacement_and_destroy() {
    let prior = prior();
    let mut c = config();
    c.set_attr("name", "h2");
    let mut proposed = prior.clone();
    proposed.set_attr("name", "h2");
    let planned = plan(&block(), &prior, &proposed, &c);
    assert_eq!(
        planned.requires_replace,
        [AttributePath::root().attribute("name")]
    );
    let destroy = plan(&block(), &prior, &Value::Null, &Value::Null);
    assert_eq!(destroy.planned_state, Value::Null);
    assert_eq!(destroy.requires_replace, []);
}

#[test]
fn a_new_state_holds_no_write_only_value_and_no_unknown() {
    let mut state = prior();
    state
        .get_mut("bmc")
        .unwrap()
        .set_attr("password_wo", "secret-pass");
    state.set_attr(
        "nics",
        Value::list([Value::object([
            ("mac", Value::from("m1")),
            ("pxe", Value::from(false)),
            ("ip", Value::unknown()),
        ])]),
    );
    let diagnostics = finish_state(&block(), &mut state);
    assert_eq!(at(&diagnostics), ["nics[0].ip"]);
    assert!(state.is_known());
    assert!(state
        .get("bmc")
        .unwrap()
        .get("password_wo")
        .unwrap()
        .is_null());
    assert!(
        finish_state(&block(), &mut state).is_empty(),
        "nothing left"
    );
}
