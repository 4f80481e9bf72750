//! Byte-exact msgpack expectations, built by hand from go-cty's cty/msgpack marshal rules.

mod codec_msgpack {
    use tfplugin::codec::{
        msgpack, AttributePath, ErrorKind, Number, Refinements, Type, Value, MAX_DEPTH,
    };

    fn hex(bytes: &[u8]) -> String {
        bytes
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn unhex(text: &str) -> Vec<u8> {
        text.split_whitespace()
            .map(|b| u8::from_str_radix(b, 16).unwrap())
            .collect()
    }

    /// Encodes to exactly `expected` and decodes back to the same value.
    fn assert_wire(value: &Value, ty: &Type, expected: &str) {
        let bytes = msgpack::encode(value, ty).unwrap();
        assert_eq!(hex(&bytes), expected, "encoding of {value:?}");
        assert_eq!(
            &msgpack::decode(&bytes, ty).unwrap(),
            value,
            "decoding {expected}"
        );
    }

    fn str_bytes(s: &str) -> String {
        hex(s.as_bytes())
    }

    fn num(text: &str) -> Value {
        Value::Number(Number::parse(text).unwrap())
    }

    #[test]
    fn primitives_null_and_plain_unknown() {
        assert_wire(&Value::from("hi"), &Type::String, "a2 68 69");
        assert_wire(&Value::from(true), &Type::Bool, "c3");
        assert_wire(&Value::from(false), &Type::Bool, "c2");
        for ty in [
            Type::String,
            Type::Number,
            Type::Bool,
            Type::Dynamic,
            Type::list(Type::String),
            Type::set(Type::Number),
            Type::map(Type::Bool),
            Type::Tuple(vec![Type::String]),
            Type::object([("a", Type::String)]),
        ] {
            assert_wire(&Value::Null, &ty, "c0");
            assert_wire(&Value::unknown(), &ty, "d4 00 00");
        }
    }

    #[test]
    fn empty_input_is_null() {
        assert_eq!(
            msgpack::decode(&[], &Type::object([("a", Type::String)])).unwrap(),
            Value::Null
        );
    }

    #[test]
    fn numbers_pick_int_float_or_string() {
        assert_wire(&Value::from(0), &Type::Number, "00");
        assert_wire(&Value::from(1), &Type::Number, "01");
        assert_wire(&Value::from(-1), &Type::Number, "ff");
        assert_wire(&Value::from(200), &Type::Number, "cc c8");
        assert_wire(&Value::from(-200), &Type::Number, "d1 ff 38");
        assert_wire(
            &Value::from(i64::MIN),
            &Type::Number,
            "d3 80 00 00 00 00 00 00 00",
        );
        // 2^63 does not fit int64 but is exactly a float64, which is what go-cty writes.
        assert_wire(
            &Value::from(1u64 << 63),
            &Type::Number,
            "cb 43 e0 00 00 00 00 00 00",
        );
        assert_wire(
            &Value::from(1.5),
            &Type::Number,
            "cb 3f f8 00 00 00 00 00 00",
        );
        assert_wire(
            &Value::from(0.1),
            &Type::Number,
            "cb 3f b9 99 99 99 99 99 9a",
        );
        // The decimal 0.1 is not a float64: Terraform sends config numbers like this as strings.
        assert_wire(&num("0.1"), &Type::Number, "a3 30 2e 31");
        assert_wire(
            &num("123456789012345678901234567890"),
            &Type::Number,
            &format!("be {}", str_bytes("123456789012345678901234567890")),
        );
        assert_wire(
            &num("1e400"),
            &Type::Number,
            &format!("da 01 91 {}", str_bytes(&format!("1{}", "0".repeat(400)))),
        );
        assert_wire(
            &num("-1e-400"),
            &Type::Number,
            &format!(
                "da 01 93 {}",
                str_bytes(&format!("-0.{}1", "0".repeat(399)))
            ),
        );
        assert_wire(&num("inf"), &Type::Number, "cb 7f f0 00 00 00 00 00 00");
        assert_wire(&num("-inf"), &Type::Number, "cb ff f0 00 00 00 00 00 00");
    }

    #[test]
    fn numbers_decode_from_every_encoding() {
        for (wire, expected) in [
            ("d0 ff", "-1"),
            ("cd 01 00", "256"),
            ("ce 00 01 00 00", "65536"),
            ("cf ff ff ff ff ff ff ff ff", "18446744073709551615"),
            ("d2 ff ff ff fe", "-2"),
            ("ca 3f c0 00 00", "1.5"),
            (
                "cb 40 09 21 fb 54 44 2d 18",
                "3.141592653589793115997963468544185161590576171875",
            ),
            ("a5 31 65 34 30 30", "1e400"),
            ("a4 2d 49 6e 66", "-inf"),
            ("a4 2e 32 35 30", "0.25"),
        ] {
            assert_eq!(
                msgpack::decode(&unhex(wire), &Type::Number).unwrap(),
                num(expected),
                "{wire}"
            );
        }
        for (wire, found) in [
            (
                "a3 61 62 63",
                "a string that is not a usable number (not a decimal number)",
            ),
            (
                "cb 7f f8 00 00 00 00 00 00",
                "NaN is not a number Terraform can represent",
            ),
            ("c3", "a bool"),
        ] {
            let err = msgpack::decode(&unhex(wire), &Type::Number).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("expected number, found {found}"),
                "{wire}"
            );
        }
    }

    #[test]
    fn objects_write_every_attribute_in_order() {
        let ty = Type::object([("b", Type::Number), ("a", Type::String), ("c", Type::Bool)]);
        let value = Value::object([("a", Value::from("x")), ("c", Value::from(true))]);
        let bytes = msgpack::encode(&value, &ty).unwrap();
        assert_eq!(hex(&bytes), "83 a1 61 a1 78 a1 62 c0 a1 63 c3");
        // Decoding yields the null attribute explicitly.
        let decoded = msgpack::decode(&bytes, &ty).unwrap();
        assert_eq!(decoded.get("b"), Some(&Value::Null));
        assert_eq!(decoded.get("a").and_then(Value::as_str), Some("x"));
    }

    #[test]
    fn collections() {
        assert_wire(
            &Value::list(["a", "b"]),
            &Type::list(Type::String),
            "92 a1 61 a1 62",
        );
        assert_wire(&Value::set([1, 2]), &Type::set(Type::Number), "92 01 02");
        assert_wire(&Value::List(vec![]), &Type::list(Type::String), "90");
        assert_wire(
            &Value::map([("k", Value::Null), ("j", Value::unknown())]),
            &Type::map(Type::String),
            "82 a1 6a d4 00 00 a1 6b c0",
        );
        assert_wire(
            &Value::tuple([Value::from("a"), Value::from(1)]),
            &Type::Tuple(vec![Type::String, Type::Number]),
            "92 a1 61 01",
        );
        assert_wire(
            &Value::object(Vec::<(String, Value)>::new()),
            &Type::object(Vec::<(String, Type)>::new()),
            "80",
        );
        // Sets keep the order received, duplicates included.
        let decoded =
            msgpack::decode(&unhex("93 a1 62 a1 61 a1 62"), &Type::set(Type::String)).unwrap();
        assert_eq!(decoded.as_elements().unwrap().len(), 3);
    }

    #[test]
    fn dynamic_values_carry_their_type() {
        let string_json = str_bytes("\"string\"");
        assert_wire(
            &Value::dynamic(Type::String, "hi"),
            &Type::Dynamic,
            &format!("92 c4 08 {string_json} a2 68 69"),
        );
        assert_wire(
            &Value::dynamic(Type::String, Value::Null),
            &Type::Dynamic,
            &format!("92 c4 08 {string_json} c0"),
        );
        assert_wire(
            &Value::dynamic(Type::String, Value::unknown()),
            &Type::Dynamic,
            &format!("92 c4 08 {string_json} d4 00 00"),
        );
        let list_json = r#"["list","dynamic"]"#;
        assert_wire(
            &Value::dynamic(
                Type::list(Type::Dynamic),
                Value::list([Value::unknown(), Value::dynamic(Type::Bool, true)]),
            ),
            &Type::Dynamic,
            &format!(
                "92 c4 12 {} 92 d4 00 00 92 c4 06 {} c3",
                str_bytes(list_json),
                str_bytes("\"bool\"")
            ),
        );
        // A value whose declared type is itself "dynamic" is the inner dynamic value.
        let nested = unhex(&format!(
            "92 c4 09 {} 92 c4 08 {string_json} a1 78",
            str_bytes("\"dynamic\"")
        ));
        assert_eq!(
            msgpack::decode(&nested, &Type::Dynamic).unwrap(),
            Value::dynamic(Type::String, "x")
        );
        // Unknown dynamic with refinements: Terraform ignores them, so do we.
        assert_eq!(
            msgpack::decode(&unhex("c7 03 0c 81 01 c2"), &Type::Dynamic).unwrap(),
            Value::unknown()
        );
        let err = msgpack::encode(&Value::from("bare"), &Type::Dynamic).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("expected a value with its type"),
            "{err}"
        );
        let err = msgpack::decode(&unhex("92 c4 03 62 61 64 c0"), &Type::Dynamic).unwrap_err();
        assert!(err.to_string().contains("invalid cty type JSON"), "{err}");
    }

    #[test]
    fn refined_unknowns_as_terraform_writes_them() {
        // cty.UnknownVal(cty.String).RefineNotNull().StringPrefix("foo")
        let prefixed = Value::Unknown(Refinements {
            nullness: Some(false),
            string_prefix: Some("foo".into()),
            ..Refinements::default()
        });
        assert_wire(&prefixed, &Type::String, "d7 0c 82 01 c2 02 a3 66 6f 6f");

        assert_wire(
            &Value::unknown_not_null(),
            &Type::String,
            "c7 03 0c 81 01 c2",
        );

        // Number in [0, 10): {1: false, 3: [0, true], 4: [10, false]}
        let bounded = Value::Unknown(Refinements {
            nullness: Some(false),
            number_lower: Some((Number::from(0), true)),
            number_upper: Some((Number::from(10), false)),
            ..Refinements::default()
        });
        assert_wire(
            &bounded,
            &Type::Number,
            "c7 0b 0c 83 01 c2 03 92 00 c3 04 92 0a c2",
        );

        // A bound beyond float64 is a string inside the bound tuple.
        let huge = Value::Unknown(Refinements {
            number_lower: Some((Number::parse("1e30").unwrap(), true)),
            ..Refinements::default()
        });
        assert_wire(
            &huge,
            &Type::Number,
            &format!(
                "c7 24 0c 81 03 92 bf {} c3",
                str_bytes(&format!("1{}", "0".repeat(30)))
            ),
        );

        // List of 1..=5 elements: {1: false, 5: 1, 6: 5}
        let sized = Value::Unknown(Refinements {
            nullness: Some(false),
            length_lower: Some(1),
            length_upper: Some(5),
            ..Refinements::default()
        });
        assert_wire(
            &sized,
            &Type::list(Type::String),
            "c7 07 0c 83 01 c2 05 01 06 05",
        );
        assert_wire(
            &sized,
            &Type::map(Type::String),
            "c7 07 0c 83 01 c2 05 01 06 05",
        );
    }

    #[test]
    fn every_extension_is_unknown() {
        for wire in [
            "d4 00 00",
            "d4 05 ff",
            "d5 07 01 02",       // another code with a longer payload: payload ignored
            "c7 00 0c",          // empty ext 12
            "d4 0c 00",          // one-byte ext 12
            "d5 0c 91 01",       // ext 12 whose payload is not a map
            "d6 0c 81 01 a1 78", // nullness that is not a bool
            "d6 0c 81 c0 c2 00", // non-integer key
        ] {
            assert_eq!(
                msgpack::decode(&unhex(wire), &Type::String).unwrap(),
                Value::unknown(),
                "{wire}"
            );
        }
        // Over 1024 bytes of refinements: Terraform refuses them; we keep only the unknown.
        let mut big = vec![0xc8, 0x04, 0x01, 0x0c, 0x81, 0x02, 0xda, 0x03, 0xfc];
        big.extend(std::iter::repeat_n(b'a', 1020));
        assert_eq!(
            msgpack::decode(&big, &Type::String).unwrap(),
            Value::unknown()
        );
        // Exactly 1024 bytes is still read.
        let mut limit = vec![0xc8, 0x04, 0x00, 0x0c, 0x81, 0x02, 0xda, 0x03, 0xfb];
        limit.extend(std::iter::repeat_n(b'a', 1019));
        assert_eq!(
            msgpack::decode(&limit, &Type::String).unwrap(),
            Value::Unknown(Refinements {
                string_prefix: Some("a".repeat(1019)),
                ..Refinements::default()
            })
        );
    }

    #[test]
    fn refinement_decoding_skips_unknown_keys_and_inapplicable_ones() {
        // {9: [1, {"x": [2]}], 1: false}
        let wire = "c7 0b 0c 82 09 92 01 81 a1 78 91 02 01 c2";
        assert_eq!(
            msgpack::decode(&unhex(wire), &Type::String).unwrap(),
            Value::unknown_not_null()
        );
        // Contradictory bounds (which would make go-cty panic) are dropped: {3: [5, true], 4: [1, true]}.
        let wire = "c7 09 0c 82 03 92 05 c3 04 92 01 c3";
        assert_eq!(
            msgpack::decode(&unhex(wire), &Type::Number).unwrap(),
            Value::unknown()
        );
        // A string prefix on a number is dropped, the rest kept.
        let wire = "d7 0c 82 01 c2 02 a3 66 6f 6f";
        assert_eq!(
            msgpack::decode(&unhex(wire), &Type::Number).unwrap(),
            Value::unknown_not_null()
        );
        // Length bounds apply to lists, sets and maps only.
        let wire = "c7 05 0c 82 01 c2 05 01";
        assert_eq!(
            msgpack::decode(&unhex(wire), &Type::Tuple(vec![])).unwrap(),
            Value::unknown_not_null()
        );
        assert_eq!(
            msgpack::decode(&unhex(wire), &Type::set(Type::Bool)).unwrap(),
            Value::Unknown(Refinements {
                nullness: Some(false),
                length_lower: Some(1),
                ..Refinements::default()
            })
        );
    }

    #[test]
    fn refinements_that_cannot_apply_are_refused_when_writing() {
        let prefix = Value::Unknown(Refinements {
            string_prefix: Some("x".into()),
            ..Refinements::default()
        });
        let err = msgpack::encode(&prefix, &Type::Number).unwrap_err();
        assert_eq!(err.to_string(), "refinements that do not apply to number");
        let err = msgpack::encode(&Value::unknown_not_null(), &Type::Dynamic).unwrap_err();
        assert_eq!(
            err.to_string(),
            "an unknown of dynamic type cannot carry refinements"
        );
    }

    #[test]
    fn encode_unknown_except_plans_computed_attributes() {
        let ty = Type::object([
            ("id", Type::String),
            ("name", Type::String),
            ("power", Type::Bool),
        ]);
        let bytes = msgpack::encode_unknown_except(&ty, [("name", Value::from("h"))]).unwrap();
        assert_eq!(
            hex(&bytes),
            format!(
                "83 a2 69 64 d4 00 00 a4 {} a1 68 a5 {} d4 00 00",
                str_bytes("name"),
                str_bytes("power")
            )
        );
        assert!(msgpack::encode_unknown_except(&ty, [("nope", Value::Null)]).is_err());
    }

    fn host_type() -> Type {
        Type::object([
            ("name", Type::String),
            ("nics", Type::list(Type::object([("mac", Type::String)]))),
            ("tags", Type::map(Type::String)),
        ])
    }

    #[test]
    fn decode_errors_name_the_path_and_what_was_found() {
        let ty = host_type();
        let mut wire = String::from("83 a4 6e 61 6d 65 c0 a4 6e 69 63 73 91 81 a3 6d 61 63 05");
        wire.push_str(" a4 74 61 67 73 c0");
        let err = msgpack::decode(&unhex(&wire), &ty).unwrap_err();
        assert_eq!(
            err.path,
            AttributePath::root()
                .attribute("nics")
                .index(0)
                .attribute("mac")
        );
        assert_eq!(
            err.to_string(),
            "nics[0].mac: expected string, found an integer"
        );

        // tags = {"x": true}
        let wire = "83 a4 6e 61 6d 65 c0 a4 6e 69 63 73 c0 a4 74 61 67 73 81 a1 78 c3";
        let err = msgpack::decode(&unhex(wire), &ty).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"tags["x"]: expected string, found a bool"#
        );

        // Only "name": Terraform would say "an object with 3 attributes is required".
        let err = msgpack::decode(&unhex("81 a4 6e 61 6d 65 c0"), &ty).unwrap_err();
        assert_eq!(
            err.kind,
            ErrorKind::MissingAttributes(vec!["nics".into(), "tags".into()])
        );
        let err = msgpack::decode(&unhex("81 a3 62 61 64 c0"), &ty).unwrap_err();
        assert_eq!(err.to_string(), r#"unsupported attribute(s) "bad""#);
        let err =
            msgpack::decode(&unhex("82 a4 6e 61 6d 65 c0 a4 6e 61 6d 65 c0"), &ty).unwrap_err();
        assert_eq!(err.kind, ErrorKind::DuplicateKey("name".into()));
        let err = msgpack::decode(&unhex("92 01"), &Type::list(Type::Number)).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Truncated);
        assert_eq!(err.to_string(), "[1]: input ends in the middle of a value");
        let err = msgpack::decode(&unhex("01 02"), &Type::Number).unwrap_err();
        assert_eq!(err.kind, ErrorKind::TrailingData(1));
        let err =
            msgpack::decode(&unhex("91 01"), &Type::Tuple(vec![Type::Number; 2])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "expected an array of 2 elements, found an array of 1 elements"
        );
        let err = msgpack::decode(&unhex("a2 ff fe"), &Type::String).unwrap_err();
        assert_eq!(
            err.to_string(),
            "expected string, found a string that is not valid UTF-8"
        );
        let err = msgpack::decode(&unhex("c1"), &Type::String).unwrap_err();
        assert!(err.to_string().contains("reserved"), "{err}");
        // Huge declared lengths with no data behind them fail cleanly, without allocating.
        let err = msgpack::decode(&unhex("dd ff ff ff ff"), &Type::list(Type::Number)).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Truncated);
        let err = msgpack::decode(&unhex("db ff ff ff ff"), &Type::String).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Truncated);
    }

    #[test]
    fn errors_never_show_string_content() {
        let err = msgpack::decode(&unhex("a6 73 65 63 72 65 74"), &Type::Number).unwrap_err();
        assert!(!err.to_string().contains("secret"), "{err}");
        let err = msgpack::decode(&unhex("a6 73 65 63 72 65 74"), &Type::Bool).unwrap_err();
        assert!(!err.to_string().contains("secret"), "{err}");
    }

    #[test]
    fn encode_errors_name_the_path() {
        let ty = host_type();
        let value = Value::object([("nics", Value::list([Value::object([("mac", 1)])]))]);
        let err = msgpack::encode(&value, &ty).unwrap_err();
        assert_eq!(
            err.to_string(),
            "nics[0].mac: expected string, found a number"
        );
        let value = Value::object([("nics", Value::list([Value::object([("mca", "x")])]))]);
        let err = msgpack::encode(&value, &ty).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"nics[0]: unsupported attribute(s) "mca""#
        );
        let err = msgpack::encode(&Value::from("x"), &Type::list(Type::String)).unwrap_err();
        assert_eq!(err.to_string(), "expected list of string, found a string");
        let err = msgpack::encode(&Value::tuple([1]), &Type::Tuple(vec![])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "expected a tuple of 0 elements, found a tuple of 1 elements"
        );
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        // [bin("dynamic"), [bin("dynamic"), ...]] a hundred thousand times.
        let mut wire = Vec::new();
        for _ in 0..100_000 {
            wire.extend_from_slice(&[0x92, 0xc4, 0x09]);
            wire.extend_from_slice(b"\"dynamic\"");
        }
        wire.push(0xc0);
        let err = msgpack::decode(&wire, &Type::Dynamic).unwrap_err();
        assert_eq!(err.kind, ErrorKind::TooDeep(MAX_DEPTH));

        // A type nested deeper than the limit, with matching data.
        let mut ty = Type::Number;
        for _ in 0..200 {
            ty = Type::list(ty);
        }
        let mut wire = vec![0x91; 200];
        wire.push(0x01);
        let err = msgpack::decode(&wire, &ty).unwrap_err();
        assert_eq!(err.kind, ErrorKind::TooDeep(MAX_DEPTH));

        // A deeply nested type inside a dynamic value is refused by the JSON parser.
        let type_json = format!(
            "{}\"string\"{}",
            "[\"list\",".repeat(5000),
            "]".repeat(5000)
        );
        let mut wire = vec![0x92, 0xc5];
        wire.extend_from_slice(&(type_json.len() as u16).to_be_bytes());
        wire.extend_from_slice(type_json.as_bytes());
        wire.push(0xc0);
        assert!(msgpack::decode(&wire, &Type::Dynamic).is_err());

        // Values nested deeper than the limit are refused when encoding too.
        let mut value = Value::from(1);
        for _ in 0..200 {
            value = Value::list([value]);
        }
        let err = msgpack::encode(&value, &ty).unwrap_err();
        assert_eq!(err.kind, ErrorKind::TooDeep(MAX_DEPTH));
    }

    #[test]
    fn null_and_unknown_at_every_position() {
        let ty = Type::object([
            ("s", Type::String),
            ("l", Type::list(Type::Number)),
            ("st", Type::set(Type::Bool)),
            ("m", Type::map(Type::String)),
            ("t", Type::Tuple(vec![Type::String, Type::Dynamic])),
            ("o", Type::object([("x", Type::Number)])),
            ("d", Type::Dynamic),
        ]);
        let holes = [Value::Null, Value::unknown(), Value::unknown_not_null()];
        for hole in &holes {
            let inner_hole = hole.clone();
            let dynamic_hole = if hole.is_unknown() {
                Value::unknown()
            } else {
                Value::Null
            };
            let value = Value::object([
                ("s", hole.clone()),
                ("l", Value::list([inner_hole.clone(), Value::from(1)])),
                ("st", Value::set([inner_hole.clone()])),
                ("m", Value::map([("k", inner_hole.clone())])),
                (
                    "t",
                    Value::tuple([inner_hole.clone(), dynamic_hole.clone()]),
                ),
                ("o", Value::object([("x", inner_hole.clone())])),
                (
                    "d",
                    Value::dynamic(Type::list(Type::String), Value::list([inner_hole.clone()])),
                ),
            ]);
            let bytes = msgpack::encode(&value, &ty).unwrap();
            assert_eq!(msgpack::decode(&bytes, &ty).unwrap(), value, "{hole:?}");
            for attr in ["s", "l", "st", "m", "t", "o"] {
                let mut v = value.clone();
                v.set_attr(attr, hole.clone());
                let bytes = msgpack::encode(&v, &ty).unwrap();
                assert_eq!(
                    msgpack::decode(&bytes, &ty).unwrap(),
                    v,
                    "{attr} = {hole:?}"
                );
            }
            let mut v = value.clone();
            v.set_attr("d", dynamic_hole.clone());
            let bytes = msgpack::encode(&v, &ty).unwrap();
            assert_eq!(msgpack::decode(&bytes, &ty).unwrap(), v);
        }
        // The whole object unknown or null.
        for hole in holes {
            let bytes = msgpack::encode(&hole, &ty).unwrap();
            assert_eq!(msgpack::decode(&bytes, &ty).unwrap(), hole);
        }
    }
}
