//! Property tests: for arbitrary types and values of them, encode→decode is the identity (msgpack
//! and JSON); decoding arbitrary or corrupted bytes never panics, and whatever it accepts
//! conforms to the type.

mod codec_proptest {
    use std::collections::BTreeSet;

    use bigdecimal::num_bigint::BigInt;
    use bigdecimal::BigDecimal;
    use proptest::prelude::*;
    use proptest::strategy::Union;
    use tfplugin::codec::{json, msgpack, Number, Refinements, Type, Value};

    fn arb_type() -> impl Strategy<Value = Type> {
        let leaf = prop_oneof![
            Just(Type::String),
            Just(Type::Number),
            Just(Type::Bool),
            Just(Type::Dynamic),
        ];
        leaf.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                inner.clone().prop_map(Type::list),
                inner.clone().prop_map(Type::set),
                inner.clone().prop_map(Type::map),
                prop::collection::vec(inner.clone(), 0..3).prop_map(Type::Tuple),
                (
                    prop::collection::btree_map("[a-z_]{1,6}", inner, 0..4),
                    any::<bool>()
                )
                    .prop_map(|(attributes, first_optional)| {
                        let optional: BTreeSet<String> = attributes
                            .keys()
                            .take(usize::from(first_optional))
                            .cloned()
                            .collect();
                        Type::Object {
                            attributes,
                            optional,
                        }
                    }),
            ]
        })
    }

    /// `ty` with every `dynamic` replaced, to keep nested dynamic values from growing unboundedly.
    fn without_dynamic(ty: Type) -> Type {
        match ty {
            Type::Dynamic => Type::String,
            Type::List(e) => Type::list(without_dynamic(*e)),
            Type::Set(e) => Type::set(without_dynamic(*e)),
            Type::Map(e) => Type::map(without_dynamic(*e)),
            Type::Tuple(es) => Type::Tuple(es.into_iter().map(without_dynamic).collect()),
            Type::Object {
                attributes,
                optional,
            } => Type::Object {
                attributes: attributes
                    .into_iter()
                    .map(|(k, t)| (k, without_dynamic(t)))
                    .collect(),
                optional,
            },
            other => other,
        }
    }

    #[derive(Clone, Copy)]
    struct Opts {
        /// msgpack can carry unknowns and infinities; JSON cannot.
        msgpack: bool,
        depth: u32,
    }

    fn arb_number(infinities: bool) -> BoxedStrategy<Number> {
        let mut options: Vec<BoxedStrategy<Number>> = vec![
            any::<i64>().prop_map(Number::from).boxed(),
            any::<u64>().prop_map(Number::from).boxed(),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(|f| Number::from_f64(f).unwrap())
                .boxed(),
            ("-?[1-9][0-9]{0,40}", -60i64..60)
                .prop_map(|(digits, scale)| {
                    let int_val: BigInt = digits.parse().unwrap();
                    Number::from_decimal(BigDecimal::new(int_val, scale)).unwrap()
                })
                .boxed(),
        ];
        if infinities {
            options.push(Just(Number::PositiveInfinity).boxed());
            options.push(Just(Number::NegativeInfinity).boxed());
        }
        Union::new(options).boxed()
    }

    fn arb_refinements(ty: &Type) -> BoxedStrategy<Refinements> {
        if *ty == Type::Dynamic {
            return Just(Refinements::default()).boxed();
        }
        let is_string = *ty == Type::String;
        let is_number = *ty == Type::Number;
        let is_collection = matches!(ty, Type::List(_) | Type::Set(_) | Type::Map(_));
        let bound = move || {
            if is_number {
                prop::option::of((arb_number(true), any::<bool>())).boxed()
            } else {
                Just(None).boxed()
            }
        };
        let length = move || {
            if is_collection {
                prop::option::of(0u64..1000).boxed()
            } else {
                Just(None).boxed()
            }
        };
        let prefix = if is_string {
            prop::option::of("(?s).{0,6}").boxed()
        } else {
            Just(None).boxed()
        };
        (
            prop::option::of(any::<bool>()),
            prefix,
            bound(),
            bound(),
            length(),
            length(),
        )
            .prop_map(
                |(
                    nullness,
                    string_prefix,
                    number_lower,
                    number_upper,
                    length_lower,
                    length_upper,
                )| {
                    Refinements {
                        nullness,
                        string_prefix,
                        number_lower,
                        number_upper,
                        length_lower,
                        length_upper,
                    }
                },
            )
            .prop_filter("consistent", |r| r.inconsistency().is_none())
            .boxed()
    }

    fn arb_value(ty: &Type, opts: Opts) -> BoxedStrategy<Value> {
        let inner = Opts {
            depth: opts.depth + 1,
            ..opts
        };
        let concrete: BoxedStrategy<Value> = match ty.clone() {
            Type::String => "(?s).{0,8}".prop_map(Value::String).boxed(),
            Type::Number => arb_number(opts.msgpack).prop_map(Value::Number).boxed(),
            Type::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
            Type::List(e) => prop::collection::vec(arb_value(&e, inner), 0..4)
                .prop_map(Value::List)
                .boxed(),
            Type::Set(e) => prop::collection::vec(arb_value(&e, inner), 0..4)
                .prop_map(Value::Set)
                .boxed(),
            Type::Map(e) => prop::collection::btree_map("(?s).{0,4}", arb_value(&e, inner), 0..4)
                .prop_map(Value::Map)
                .boxed(),
            Type::Tuple(es) => es
                .iter()
                .map(|e| arb_value(e, inner))
                .collect::<Vec<_>>()
                .prop_map(Value::Tuple)
                .boxed(),
            Type::Object { attributes, .. } => attributes
                .iter()
                .map(|(k, t)| {
                    let k = k.clone();
                    arb_value(t, inner).prop_map(move |v| (k.clone(), v))
                })
                .collect::<Vec<_>>()
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect()))
                .boxed(),
            Type::Dynamic => arb_type()
                .prop_filter("concrete", |t| *t != Type::Dynamic)
                .prop_map(move |t| {
                    if opts.depth >= 2 {
                        without_dynamic(t)
                    } else {
                        t
                    }
                })
                .prop_flat_map(move |t| {
                    arb_value(&t, inner).prop_map(move |v| Value::Dynamic(t.clone(), Box::new(v)))
                })
                .boxed(),
        };
        let mut options = vec![(1, Just(Value::Null).boxed()), (5, concrete)];
        if opts.msgpack {
            options.push((1, arb_refinements(ty).prop_map(Value::Unknown).boxed()));
        }
        Union::new_weighted(options).boxed()
    }

    fn typed_value(msgpack: bool) -> impl Strategy<Value = (Type, Value)> {
        arb_type().prop_flat_map(move |ty| {
            let opts = Opts { msgpack, depth: 0 };
            (Just(ty.clone()), arb_value(&ty, opts))
        })
    }

    fn visit(value: &Value, seen: &mut BTreeSet<&'static str>) {
        match value {
            Value::Unknown(r) if !r.is_empty() => {
                seen.insert("refined unknown");
            }
            Value::Unknown(_) => {
                seen.insert("plain unknown");
            }
            Value::Number(n) if n.as_i64().is_none() && n.as_exact_f64().is_none() => {
                seen.insert("decimal-string number");
            }
            Value::Number(n) if n.as_i64().is_none() => {
                seen.insert("float number");
            }
            Value::Dynamic(_, inner) => {
                seen.insert("dynamic");
                visit(inner, seen);
            }
            Value::List(xs) | Value::Set(xs) | Value::Tuple(xs) => {
                if !xs.is_empty() {
                    seen.insert("non-empty sequence");
                }
                xs.iter().for_each(|x| visit(x, seen));
            }
            Value::Map(m) | Value::Object(m) => {
                if m.values().any(|v| matches!(v, Value::Object(_))) {
                    seen.insert("nested object");
                }
                m.values().for_each(|x| visit(x, seen));
            }
            _ => {}
        }
    }

    /// Guards the round-trip properties against a generator that stopped producing hard cases.
    #[test]
    fn generator_covers_the_interesting_cases() {
        use proptest::strategy::ValueTree;
        use proptest::test_runner::TestRunner;
        let mut runner = TestRunner::deterministic();
        let strategy = typed_value(true);
        let mut seen = BTreeSet::new();
        for _ in 0..500 {
            let (_, value) = strategy.new_tree(&mut runner).unwrap().current();
            visit(&value, &mut seen);
        }
        let expected: BTreeSet<&str> = [
            "refined unknown",
            "plain unknown",
            "decimal-string number",
            "float number",
            "dynamic",
            "non-empty sequence",
            "nested object",
        ]
        .into_iter()
        .collect();
        assert_eq!(seen, expected);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn msgpack_round_trips((ty, value) in typed_value(true)) {
            value.conforms(&ty).unwrap();
            let bytes = msgpack::encode(&value, &ty).unwrap();
            prop_assert_eq!(msgpack::decode(&bytes, &ty).unwrap(), value);
        }

        #[test]
        fn json_round_trips((ty, value) in typed_value(false)) {
            prop_assert!(value.is_known());
            let bytes = json::encode(&value, &ty).unwrap();
            prop_assert_eq!(json::decode(&bytes, &ty).unwrap(), value.clone());
            prop_assert_eq!(json::decode_lenient(&bytes, &ty).unwrap(), value);
        }

        #[test]
        fn msgpack_decoding_arbitrary_bytes_never_panics(
            ty in arb_type(),
            bytes in prop::collection::vec(any::<u8>(), 0..256),
        ) {
            if let Ok(value) = msgpack::decode(&bytes, &ty) {
                value.conforms(&ty).unwrap();
                msgpack::encode(&value, &ty).unwrap();
            }
        }

        #[test]
        fn msgpack_decoding_corrupted_encodings_never_panics(
            (ty, value) in typed_value(true),
            edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
            cut in any::<prop::sample::Index>(),
            truncate in any::<bool>(),
        ) {
            let mut bytes = msgpack::encode(&value, &ty).unwrap();
            for (at, byte) in edits {
                let i = at.index(bytes.len());
                bytes[i] = byte;
            }
            if truncate {
                bytes.truncate(cut.index(bytes.len()));
            }
            if let Ok(value) = msgpack::decode(&bytes, &ty) {
                value.conforms(&ty).unwrap();
                msgpack::encode(&value, &ty).unwrap();
            }
        }

        #[test]
        fn json_decoding_arbitrary_text_never_panics(ty in arb_type(), text in "(?s).{0,64}") {
            if let Ok(value) = json::decode(text.as_bytes(), &ty) {
                value.conforms(&ty).unwrap();
            }
        }

        #[test]
        fn json_decoding_corrupted_encodings_never_panics(
            (ty, value) in typed_value(false),
            at in any::<prop::sample::Index>(),
            byte in prop::sample::select(b"{}[]\":,0e-.ntf ".to_vec()),
        ) {
            let mut bytes = json::encode(&value, &ty).unwrap();
            let i = at.index(bytes.len());
            bytes[i] = byte;
            let results = [json::decode(&bytes, &ty), json::decode_lenient(&bytes, &ty)];
            for value in results.into_iter().flatten() {
                // (Not necessarily JSON-encodable: a "+Inf" string decodes as a number.)
                value.conforms(&ty).unwrap();
                msgpack::encode(&value, &ty).unwrap();
            }
        }
    }
}
