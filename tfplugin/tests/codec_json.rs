//! The JSON form (DynamicValue.json, RawState.json), as go-cty's cty/json reads and writes it.

mod codec_json {
    use tfplugin::codec::{json, ErrorKind, Number, Type, Value};

    fn state_type() -> Type {
        Type::object([
            ("id", Type::String),
            ("name", Type::String),
            ("size", Type::Number),
            (
                "bmc",
                Type::object([("address", Type::String), ("port", Type::Number)]),
            ),
            ("tags", Type::map(Type::String)),
            ("nics", Type::list(Type::object([("mac", Type::String)]))),
        ])
    }

    fn text(bytes: Vec<u8>) -> String {
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn encodes_objects_with_every_attribute() {
        let ty = Type::object([("b", Type::Number), ("a", Type::String)]);
        let bytes = json::encode(&Value::object([("a", "x")]), &ty).unwrap();
        assert_eq!(text(bytes), r#"{"a":"x","b":null}"#);
        let ty = Type::object([
            ("l", Type::list(Type::Bool)),
            ("s", Type::set(Type::String)),
            ("m", Type::map(Type::Number)),
            ("t", Type::Tuple(vec![Type::String, Type::Number])),
        ]);
        let value = Value::object([
            ("l", Value::list([true, false])),
            ("s", Value::set(["a"])),
            ("m", Value::map([("k", 1)])),
            ("t", Value::tuple([Value::from("x"), Value::from(2.5)])),
        ]);
        let bytes = json::encode(&value, &ty).unwrap();
        assert_eq!(
            text(bytes.clone()),
            r#"{"l":[true,false],"m":{"k":1},"s":["a"],"t":["x",2.5]}"#
        );
        assert_eq!(json::decode(&bytes, &ty).unwrap(), value);
    }

    #[test]
    fn missing_attributes_are_null() {
        let value = json::decode(br#"{"id":"h-1","bmc":{"address":"x"}}"#, &state_type()).unwrap();
        assert_eq!(value.get("id").and_then(Value::as_str), Some("h-1"));
        assert_eq!(value.get("name"), Some(&Value::Null));
        assert_eq!(
            value.get("bmc").and_then(|b| b.get("port")),
            Some(&Value::Null)
        );
        assert_eq!(value.as_map().unwrap().len(), 6);
        assert_eq!(json::decode(b"", &state_type()).unwrap(), Value::Null);
        assert_eq!(json::decode(b"null", &state_type()).unwrap(), Value::Null);
    }

    #[test]
    fn extra_attributes_are_named_unless_lenient() {
        let input = br#"{"id":"h","old":1,"bmc":{"address":"x","legacy":true},"zzz":null}"#;
        let err = json::decode(input, &state_type()).unwrap_err();
        assert_eq!(
            err.kind,
            ErrorKind::UnsupportedAttributes(vec!["old".into(), "zzz".into()])
        );
        assert_eq!(err.to_string(), r#"unsupported attribute(s) "old", "zzz""#);
        let err = json::decode(br#"{"bmc":{"legacy":true}}"#, &state_type()).unwrap_err();
        assert_eq!(err.to_string(), r#"bmc: unsupported attribute(s) "legacy""#);

        let value = json::decode_lenient(input, &state_type()).unwrap();
        assert_eq!(value.get("id").and_then(Value::as_str), Some("h"));
        assert_eq!(value.get("old"), None);
        assert_eq!(value.get("bmc").unwrap().as_map().unwrap().len(), 2);
        value.conforms(&state_type()).unwrap();
    }

    #[test]
    fn numbers_keep_full_precision() {
        let ty = Type::object([("n", Type::Number)]);
        for (input, output) in [
            (
                "123456789012345678901234567890.123456789",
                "123456789012345678901234567890.123456789",
            ),
            ("1e400", &format!("1{}", "0".repeat(400))),
            ("-2.5E-3", "-0.0025"),
            ("18446744073709551616", "18446744073709551616"),
            ("0.1", "0.1"),
            ("1e-2000", "1e-2000"),
        ] {
            let json_text = format!(r#"{{"n":{input}}}"#);
            let value = json::decode(json_text.as_bytes(), &ty).unwrap();
            assert_eq!(
                value.get("n").unwrap().as_number(),
                Some(&Number::parse(input).unwrap())
            );
            let encoded = text(json::encode(&value, &ty).unwrap());
            assert_eq!(encoded, format!(r#"{{"n":{output}}}"#));
            assert_eq!(json::decode(encoded.as_bytes(), &ty).unwrap(), value);
        }
    }

    #[test]
    fn primitives_convert_like_cty() {
        let ty = Type::object([("s", Type::String), ("n", Type::Number), ("b", Type::Bool)]);
        let value = json::decode(br#"{"s":5,"n":"12.5","b":"true"}"#, &ty).unwrap();
        assert_eq!(value.get("s").and_then(Value::as_str), Some("5"));
        assert_eq!(value.get("n").and_then(Value::as_f64), Some(12.5));
        assert_eq!(value.get("b").and_then(Value::as_bool), Some(true));
        let value = json::decode(br#"{"s":false}"#, &ty).unwrap();
        assert_eq!(value.get("s").and_then(Value::as_str), Some("false"));
        let err = json::decode(br#"{"n":"twelve"}"#, &ty).unwrap_err();
        assert_eq!(
            err.to_string(),
            "n: expected number, found a string that is not a usable number (not a decimal number)"
        );
        let err = json::decode(br#"{"b":"yes"}"#, &ty).unwrap_err();
        assert_eq!(err.to_string(), "b: expected bool, found a string");
    }

    #[test]
    fn dynamic_values_carry_their_type() {
        let ty = Type::object([("d", Type::Dynamic)]);
        let value = Value::object([(
            "d",
            Value::dynamic(Type::list(Type::String), Value::list(["a"])),
        )]);
        let bytes = json::encode(&value, &ty).unwrap();
        assert_eq!(
            text(bytes.clone()),
            r#"{"d":{"value":["a"],"type":["list","string"]}}"#
        );
        assert_eq!(json::decode(&bytes, &ty).unwrap(), value);
        let bytes = br#"{"d":{"type":"string","value":null}}"#;
        assert_eq!(
            json::decode(bytes, &ty).unwrap().get("d"),
            Some(&Value::dynamic(Type::String, Value::Null))
        );
        assert_eq!(
            json::decode(br#"{"d":null}"#, &ty).unwrap().get("d"),
            Some(&Value::Null)
        );
        let err = json::decode(br#"{"d":{"value":1}}"#, &ty).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"d: a dynamic value needs both "value" and "type""#
        );
        let err = json::decode(br#"{"d":{"value":1,"type":"number","x":1}}"#, &ty).unwrap_err();
        assert!(err.to_string().contains(r#"invalid key "x""#), "{err}");
        let err = json::decode(br#"{"d":"bare"}"#, &ty).unwrap_err();
        assert_eq!(err.to_string(), "d: expected dynamic, found a string");
    }

    #[test]
    fn json_cannot_carry_unknowns_or_infinities() {
        let ty = Type::object([("n", Type::Number)]);
        let err = json::encode(&Value::object([("n", Value::unknown())]), &ty).unwrap_err();
        assert_eq!(
            err.to_string(),
            "n: an unknown value cannot be written as JSON"
        );
        let inf = Value::Number(Number::PositiveInfinity);
        let err = json::encode(&Value::object([("n", inf)]), &ty).unwrap_err();
        assert_eq!(
            err.to_string(),
            "n: an infinite number cannot be written as JSON"
        );
    }

    #[test]
    fn bad_input_is_an_error_with_a_path() {
        let err = json::decode(br#"{"nics":[{"mac":1},{"mac":[]}]}"#, &state_type()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "nics[1].mac: expected string, found an array of 0 elements"
        );
        let err = json::decode(br#"{"tags":{"a":{}}}"#, &state_type()).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"tags["a"]: expected string, found an object"#
        );
        let err = json::decode(b"[1", &state_type()).unwrap_err();
        assert!(err.to_string().starts_with("invalid JSON"), "{err}");
        let err = json::decode(b"[1,2]", &Type::Tuple(vec![Type::Number])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "expected an array of 1 elements, found an array of 2 elements"
        );
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(json::decode(deep.as_bytes(), &Type::list(Type::String)).is_err());
        let mut ty = Type::String;
        for _ in 0..100 {
            ty = Type::list(ty);
        }
        let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
        let err = json::decode(deep.as_bytes(), &ty).unwrap_err();
        assert!(matches!(err.kind, ErrorKind::TooDeep(_)), "{err}");
    }
}
