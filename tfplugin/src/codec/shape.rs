//! Shaping values against a type: every attribute present, unknowns resolved or nulled. What
//! a provider needs to turn a plan into a state and a partial result into a valid state.

use std::collections::BTreeMap;

use super::{Type, Value};

/// The value with every attribute of `ty` present (absent ones null) and unknown attributes
/// of the input dropped.
pub fn complete_object(value: &Value, ty: &Type) -> Value {
    let Type::Object { attributes, .. } = ty else {
        return value.clone();
    };
    let Some(map) = value.as_map() else {
        return value.clone();
    };
    let object: BTreeMap<String, Value> = attributes
        .iter()
        .map(|(name, attr_ty)| {
            let v = map
                .get(name)
                .map(|v| complete_object(v, attr_ty))
                .unwrap_or(Value::Null);
            (name.clone(), v)
        })
        .collect();
    Value::Object(object)
}

/// Every unknown, at any depth, replaced by null.
pub fn unknowns_to_null(value: &Value) -> Value {
    match value {
        Value::Unknown(_) => Value::Null,
        Value::List(xs) => Value::List(xs.iter().map(unknowns_to_null).collect()),
        Value::Set(xs) => Value::Set(xs.iter().map(unknowns_to_null).collect()),
        Value::Tuple(xs) => Value::Tuple(xs.iter().map(unknowns_to_null).collect()),
        Value::Map(m) => Value::Map(
            m.iter()
                .map(|(k, v)| (k.clone(), unknowns_to_null(v)))
                .collect(),
        ),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), unknowns_to_null(v)))
                .collect(),
        ),
        Value::Dynamic(t, v) => Value::Dynamic(t.clone(), Box::new(unknowns_to_null(v))),
        other => other.clone(),
    }
}

/// `planned` with its unknowns taken from `actual` (recursively, where the shapes agree); known
/// planned values always win, so the result is consistent with the plan.
pub fn fill_unknowns(planned: &Value, actual: &Value) -> Value {
    match (planned, actual) {
        (Value::Unknown(_), _) => actual.clone(),
        (Value::Object(p), Value::Object(a)) => Value::Object(
            p.iter()
                .map(|(k, v)| {
                    let filled = match a.get(k) {
                        Some(av) => fill_unknowns(v, av),
                        None => v.clone(),
                    };
                    (k.clone(), filled)
                })
                .collect(),
        ),
        (Value::List(p), Value::List(a)) if p.len() == a.len() => Value::List(
            p.iter()
                .zip(a)
                .map(|(pv, av)| fill_unknowns(pv, av))
                .collect(),
        ),
        _ => planned.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty() -> Type {
        Type::object([
            ("a", Type::String),
            ("b", Type::object([("c", Type::Bool)])),
        ])
    }

    #[test]
    fn completing_adds_missing_and_drops_undeclared_attributes() {
        let v = Value::object([("b", Value::object([("x", 1)])), ("z", Value::from("gone"))]);
        let done = complete_object(&v, &ty());
        assert_eq!(done.get("a"), Some(&Value::Null));
        assert_eq!(done.get("b").unwrap().get("c"), Some(&Value::Null));
        assert!(done.get("z").is_none());
        assert!(done.get("b").unwrap().get("x").is_none());
    }

    #[test]
    fn unknowns_become_null_at_any_depth() {
        let v = Value::object([
            ("a", Value::unknown()),
            ("b", Value::object([("c", Value::unknown())])),
        ]);
        let done = unknowns_to_null(&v);
        assert_eq!(done.get("a"), Some(&Value::Null));
        assert_eq!(done.get("b").unwrap().get("c"), Some(&Value::Null));
    }

    #[test]
    fn filling_takes_only_unknowns_from_the_actual_value() {
        let planned = Value::object([("a", Value::from("planned")), ("b", Value::unknown())]);
        let actual = Value::object([
            ("a", Value::from("actual")),
            ("b", Value::object([("c", true)])),
        ]);
        let filled = fill_unknowns(&planned, &actual);
        assert_eq!(filled.get("a"), Some(&Value::from("planned")));
        assert_eq!(filled.get("b").unwrap().get("c"), Some(&Value::from(true)));
    }
}
