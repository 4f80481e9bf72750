//! `#[derive(Model)]` on structs covering every attribute kind: the schema equals one written
//! by hand, values round-trip, decoding errors name the attribute, and the derived rules run.
//! (What the compiler must refuse is in `compile_fail.rs`, as doctests.)

use std::collections::BTreeMap;

use crate::codec::{AttributePath, Number, Type, Value};
use crate::model::{rules, Computed, DecodeErrorKind, Known, Model};
use crate::schema::{
    validate_schema, Attribute, Block, BlockNesting, NestedBlock, ObjectNesting, Rule, Schema,
    Validator,
};

const BOOT_MODES: &[&str] = &["legacy", "uefi"];

fn not_localhost(address: &str) -> Result<(), String> {
    match address.contains("localhost") {
        true => Err("A BMC on localhost is the provider's own machine.".into()),
        false => Ok(()),
    }
}

/// The BMC.
#[derive(Model, Debug, Clone, PartialEq)]
struct Bmc {
    /// Where the BMC is.
    #[tf(required, validate = not_localhost)]
    address: String,
    /// Its password.
    #[tf(optional, sensitive, write_only, min_length = 8)]
    password_wo: Option<String>,
    /// Skip TLS checks.
    #[tf(default = false)]
    insecure: bool,
}

/// A network interface.
#[derive(Model, Debug, Clone, PartialEq)]
struct Nic {
    /// Its MAC address.
    #[tf(required)]
    mac: String,
    /// Whether it boots from the network.
    #[tf(optional)]
    pxe: Option<bool>,
}

/// A disk.
#[derive(Model, Debug, Clone, PartialEq)]
struct Disk {
    /// Its size.
    #[tf(required, min = 1)]
    size_gb: u32,
    /// Its partitions, by label.
    #[tf(block)]
    partitions: BTreeMap<String, Partition>,
}

/// A partition.
#[derive(Model, Debug, Clone, PartialEq)]
struct Partition {
    /// Its size.
    #[tf(required)]
    size_mb: u64,
}

/// How long operations may take.
#[derive(Model, Debug, Clone, PartialEq)]
#[tf(deprecated)]
struct Timeouts {
    /// For create.
    #[tf(optional)]
    create: Option<String>,
}

/// A host.
#[derive(Model, Debug, Clone, PartialEq)]
struct Host {
    /// The name.
    #[tf(required, requires_replace, max_length = 63)]
    name: Known<String>,
    /// Power.
    #[tf(default = true)]
    online: bool,
    /// The boot mode.
    #[tf(default = "uefi", one_of = BOOT_MODES)]
    boot_mode: String,
    /// The node's ID.
    #[tf(computed)]
    id: Computed<String>,
    /// CPUs.
    #[tf(optional, min = 1, max = 64)]
    cpus: Option<i64>,
    /// Weight.
    #[tf(optional)]
    weight: Option<f64>,
    /// Exact size.
    #[tf(optional, computed)]
    size: Computed<Number>,
    /// Tags.
    #[tf(optional, one_of = &["a", "b"])]
    tags: Option<Vec<String>>,
    /// Labels.
    #[tf(optional)]
    labels: Option<BTreeMap<String, String>>,
    /// The BMC.
    #[tf(required)]
    bmc: Bmc,
    /// Network interfaces.
    #[tf(optional)]
    nics: Option<Vec<Nic>>,
    /// Interfaces by name.
    #[tf(optional)]
    nics_by_name: Option<BTreeMap<String, Nic>>,
    /// The old switch.
    #[tf(optional, deprecated = "Use `boot_mode`.")]
    legacy: Option<bool>,
    /// A Rust keyword as a name.
    #[tf(optional)]
    r#type: Option<String>,
    /// Renamed.
    #[tf(optional, name = "console")]
    console_enabled: Option<bool>,
    /// Disks.
    #[tf(block)]
    disks: Vec<Disk>,
    /// Timeouts.
    #[tf(block)]
    timeouts: Option<Timeouts>,
}

fn hand_written() -> Schema {
    let bmc = vec![
        Attribute::string("address", "Where the BMC is.")
            .required()
            .rule(Rule::Custom(Validator {
                name: "not_localhost",
                check: |_| Ok(()),
            })),
        Attribute::string("password_wo", "Its password.")
            .optional()
            .sensitive()
            .write_only()
            .rule(Rule::Length {
                min: Some(8),
                max: None,
            }),
        Attribute::bool("insecure", "Skip TLS checks.").default(false),
    ];
    let nic = || {
        vec![
            Attribute::string("mac", "Its MAC address.").required(),
            Attribute::bool("pxe", "Whether it boots from the network.").optional(),
        ]
    };
    let partition = Block::new("Its partitions, by label.")
        .with_attributes(vec![Attribute::number("size_mb", "Its size.").required()]);
    let disk = Block::new("Disks.")
        .with_attributes(vec![Attribute::number("size_gb", "Its size.")
            .required()
            .rule(Rule::Range {
                min: Some(1),
                max: None,
            })])
        .with_block(NestedBlock {
            nesting: BlockNesting::Map,
            ..NestedBlock::single("partitions", partition)
        });
    let mut timeouts =
        Block::new("Timeouts.")
            .with_attributes(vec![Attribute::string("create", "For create.").optional()]);
    timeouts.deprecated = true;
    let block = Block::new("A host.")
        .with_attributes(vec![
            Attribute::string("name", "The name.")
                .required()
                .requires_replace()
                .rule(Rule::Length {
                    min: None,
                    max: Some(63),
                }),
            Attribute::bool("online", "Power.").default(true),
            Attribute::string("boot_mode", "The boot mode.")
                .default("uefi")
                .rule(Rule::OneOf(BOOT_MODES)),
            Attribute::string("id", "The node's ID.").computed(),
            Attribute::number("cpus", "CPUs.")
                .optional()
                .rule(Rule::Range {
                    min: Some(1),
                    max: Some(64),
                }),
            Attribute::number("weight", "Weight.").optional(),
            Attribute::number("size", "Exact size.")
                .optional()
                .computed(),
            Attribute::typed("tags", Type::list(Type::String), "Tags.")
                .optional()
                .rule(Rule::OneOf(&["a", "b"])),
            Attribute::typed("labels", Type::map(Type::String), "Labels.").optional(),
            Attribute::nested("bmc", ObjectNesting::Single, bmc, "The BMC.").required(),
            Attribute::nested("nics", ObjectNesting::List, nic(), "Network interfaces.").optional(),
            Attribute::nested(
                "nics_by_name",
                ObjectNesting::Map,
                nic(),
                "Interfaces by name.",
            )
            .optional(),
            Attribute::bool("legacy", "The old switch.")
                .optional()
                .deprecated()
                .rule(Rule::Deprecated("Use `boot_mode`.")),
            Attribute::string("type", "A Rust keyword as a name.").optional(),
            Attribute::bool("console", "Renamed.").optional(),
        ])
        .with_block(NestedBlock {
            nesting: BlockNesting::List,
            ..NestedBlock::single("disks", disk)
        })
        .with_block(NestedBlock::single("timeouts", timeouts));
    Schema::new(1, block)
}

#[test]
fn the_derived_schema_is_the_hand_written_one() {
    let derived = Host::schema(1);
    let expected = hand_written();
    // Attribute by attribute first, so a difference names its attribute.
    for (d, e) in derived
        .block
        .attributes
        .iter()
        .zip(&expected.block.attributes)
    {
        assert_eq!(d, e);
    }
    assert_eq!(derived, expected);
    validate_schema(&derived).unwrap();
}

/// A state with every attribute set, as Terraform stores it.
fn state() -> Value {
    Value::object([
        ("name", Value::from("h1")),
        ("online", Value::from(false)),
        ("boot_mode", Value::from("legacy")),
        ("id", Value::from("uuid-1")),
        ("cpus", Value::from(8)),
        ("weight", Value::from(0.5)),
        (
            "size",
            Value::Number(Number::parse("12345678901234567890.5").unwrap()),
        ),
        ("tags", Value::list(["a"])),
        ("labels", Value::map([("rack", "r1")])),
        (
            "bmc",
            Value::object([
                ("address", Value::from("redfish://bmc")),
                ("password_wo", Value::Null),
                ("insecure", Value::from(true)),
            ]),
        ),
        (
            "nics",
            Value::list([Value::object([
                ("mac", Value::from("m1")),
                ("pxe", Value::from(true)),
            ])]),
        ),
        ("nics_by_name", Value::Null),
        ("legacy", Value::Null),
        ("type", Value::from("server")),
        ("console", Value::from(true)),
        (
            "disks",
            Value::list([Value::object([
                ("size_gb", Value::from(100)),
                (
                    "partitions",
                    Value::map([("root", Value::object([("size_mb", 512)]))]),
                ),
            ])]),
        ),
        ("timeouts", Value::Null),
    ])
}

#[test]
fn values_round_trip_through_the_model() {
    let state = state();
    state.conforms(&Host::block().value_type()).unwrap();
    let host = Host::decode(&state).unwrap();
    assert_eq!(host.name, Known::Known("h1".to_owned()));
    assert_eq!(host.id, Some(Known::Known("uuid-1".to_owned())));
    assert_eq!(host.disks[0].partitions["root"].size_mb, 512);
    assert_eq!(host.nics.as_ref().unwrap()[0].pxe, Some(true));
    assert_eq!(host.encode(), state);
}

#[test]
fn a_plan_decodes_unknowns_and_defaults() {
    let mut plan = state();
    plan.set_attr("name", Value::unknown());
    plan.set_attr("id", Value::unknown());
    plan.set_attr("online", Value::Null);
    plan.set_attr("boot_mode", Value::Null);
    plan.set_attr("disks", Value::Null);
    let host = Host::decode(&plan).unwrap();
    assert_eq!(host.name, Known::Unknown);
    assert_eq!(host.id, Some(Known::Unknown));
    assert!(host.online, "an unset attribute decodes as its default");
    assert_eq!(host.boot_mode, "uefi");
    assert!(host.disks.is_empty(), "absent list blocks are empty");
    let encoded = host.encode();
    assert!(encoded.get("name").unwrap().is_unknown());
    assert_eq!(encoded.get("boot_mode"), Some(&Value::from("uefi")));
}

#[test]
fn decoding_errors_name_the_attribute() {
    let cases: Vec<(&str, Value, &str, DecodeErrorKind)> = vec![
        (
            "bmc",
            Value::object([("address", 7)]),
            "bmc.address",
            DecodeErrorKind::Mismatch {
                expected: "a string",
                found: "a number".into(),
            },
        ),
        (
            "nics",
            Value::list([
                Value::object([("mac", "m1")]),
                Value::object([("pxe", true)]),
            ]),
            "nics[1].mac",
            DecodeErrorKind::Null,
        ),
        (
            "cpus",
            Value::from(1.5),
            "cpus",
            DecodeErrorKind::OutOfRange {
                expected: "a whole number in i64's range",
            },
        ),
        (
            "weight",
            Value::unknown(),
            "weight",
            DecodeErrorKind::Unknown,
        ),
        (
            "disks",
            Value::list([Value::object([("size_gb", -1)])]),
            "disks[0].size_gb",
            DecodeErrorKind::OutOfRange {
                expected: "a whole number in u32's range",
            },
        ),
        (
            "labels",
            Value::map([("rack", 1)]),
            r#"labels["rack"]"#,
            DecodeErrorKind::Mismatch {
                expected: "a string",
                found: "a number".into(),
            },
        ),
    ];
    for (attribute, value, path, kind) in cases {
        let mut bad = state();
        bad.set_attr(attribute, value);
        let error = Host::decode(&bad).unwrap_err();
        assert_eq!(
            (error.path.to_string(), error.kind.clone()),
            (path.into(), kind)
        );
        let diagnostic = error.to_diagnostic();
        assert_eq!(diagnostic.attribute.unwrap().to_string(), path);
        assert!(
            diagnostic.detail.starts_with(&format!("`{path}` is ")),
            "{}",
            diagnostic.detail
        );
    }
    let root = Host::decode(&Value::Null).unwrap_err();
    assert_eq!(
        (root.path, root.kind),
        (AttributePath::root(), DecodeErrorKind::Null)
    );
}

#[test]
fn the_derived_rules_run() {
    let block = Host::block();
    let mut config = state();
    config.set_attr("id", Value::Null);
    config.set_attr("tags", Value::list(["a", "z"]));
    config.set_attr("cpus", 65);
    config.set_attr("legacy", true);
    config.set_attr(
        "bmc",
        Value::object([
            ("address", Value::from("redfish://localhost")),
            ("password_wo", Value::from("short")),
            ("insecure", Value::Null),
        ]),
    );
    let diagnostics = rules::validate_config(&block, &config);
    let found: Vec<(String, String)> = diagnostics
        .iter()
        .map(|d| (d.attribute.as_ref().unwrap().to_string(), d.detail.clone()))
        .collect();
    let expected = [
        ("cpus", "65 is not between 1 and 64."),
        ("tags", r#""z" is not one of `a`, `b`."#),
        (
            "bmc.address",
            "A BMC on localhost is the provider's own machine.",
        ),
        (
            "bmc.password_wo",
            "The length, 5, is not at least 8 characters.",
        ),
        ("legacy", "Use `boot_mode`."),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(p, d)| (p.to_string(), d.to_string()))
        .collect();
    assert_eq!(found, expected);

    // Plan a create from the same configuration: defaults, unknown ID, no password.
    let planned = rules::plan(&block, &Value::Null, &config, &config).planned_state;
    assert_eq!(
        planned.get("bmc").unwrap().get("insecure"),
        Some(&Value::from(false))
    );
    let host = Host::decode(&planned).unwrap();
    assert_eq!(host.id, Some(Known::Unknown));
    assert_eq!(host.bmc.password_wo, None);
}

#[test]
fn decode_all_names_every_attribute_at_fault() {
    /// Nested.
    #[derive(Debug, Model)]
    struct Inner {
        /// A.
        #[tf(optional)]
        a: Option<bool>,
    }
    /// Outer.
    #[derive(Debug, Model)]
    struct Outer {
        /// S.
        #[tf(optional)]
        s: Option<String>,
        /// Required.
        #[tf(required)]
        r: String,
        /// N.
        #[tf(optional)]
        n: Option<Inner>,
    }
    let value = Value::object([
        ("s", Value::from(true)),
        ("r", Value::from("x")),
        ("n", Value::object([("a", Value::from("no"))])),
    ]);
    let errors = Outer::decode_all(&value).unwrap_err();
    let paths: Vec<String> = errors.iter().map(|e| e.path.to_string()).collect();
    assert_eq!(paths, ["s", "n.a"]);
    // A required value that is null is reported once, and ends the search.
    let errors = Outer::decode_all(&Value::object([("s", Value::from(1))])).unwrap_err();
    let paths: Vec<String> = errors.iter().map(|e| e.path.to_string()).collect();
    assert_eq!(paths, ["s", "r"]);
    assert!(Outer::decode_all(&Value::object([("r", "x")])).is_ok());
}
