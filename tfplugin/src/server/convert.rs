//! Conversions between protobuf messages and the codec/diagnostics types: values decoded by a
//! type and encoded back, diagnostics, paths, client capabilities.

use crate::codec::{self, AttributePath, PathStep, Type, Value};
use crate::diagnostics::{Diagnostic, Severity};
use crate::proto::tfplugin6 as pb;

use super::handlers::ClientCapabilities;

pub fn diagnostic(d: &Diagnostic) -> pb::Diagnostic {
    pb::Diagnostic {
        severity: match d.severity {
            Severity::Error => pb::diagnostic::Severity::Error,
            Severity::Warning => pb::diagnostic::Severity::Warning,
        } as i32,
        summary: d.summary.clone(),
        detail: d.detail.clone(),
        attribute: d.attribute.as_ref().filter(|p| !p.is_root()).map(path),
    }
}

pub fn diagnostics(ds: &[Diagnostic]) -> Vec<pb::Diagnostic> {
    ds.iter().map(diagnostic).collect()
}

pub fn path(p: &AttributePath) -> pb::AttributePath {
    use pb::attribute_path::step::Selector;
    pb::AttributePath {
        steps: p
            .0
            .iter()
            .map(|s| pb::attribute_path::Step {
                selector: Some(match s {
                    PathStep::Attribute(n) => Selector::AttributeName(n.clone()),
                    PathStep::ElementKeyString(k) => Selector::ElementKeyString(k.clone()),
                    PathStep::ElementKeyInt(i) => Selector::ElementKeyInt(*i),
                }),
            })
            .collect(),
    }
}

pub fn capabilities(c: Option<&pb::ClientCapabilities>) -> ClientCapabilities {
    c.map(|c| ClientCapabilities {
        deferral_allowed: c.deferral_allowed,
        write_only_attributes_allowed: c.write_only_attributes_allowed,
    })
    .unwrap_or_default()
}

/// Decodes a DynamicValue (absent = null) or returns an error diagnostic naming `what`.
pub fn decode(v: Option<&pb::DynamicValue>, ty: &Type, what: &str) -> Result<Value, Diagnostic> {
    let Some(v) = v else { return Ok(Value::Null) };
    codec::decode_dynamic_value(&v.msgpack, &v.json, ty).map_err(|e| {
        Diagnostic::error(
            format!("Invalid {what}"),
            format!("Terraform sent a {what} that does not match the schema: {e}."),
        )
    })
}

/// A configuration decoded against `block`, with what the schema's own checks find in it
/// (see [`check_config`]) and what its attributes' rules say ([`rules::validate_config`]);
/// the handler's checks come on top. Data sources, list resources, actions and the provider
/// block are checked here, at each of their RPCs that read a configuration, once.
///
/// [`rules::validate_config`]: crate::model::rules::validate_config
pub fn decode_config(
    v: Option<&pb::DynamicValue>,
    block: &crate::schema::Block,
    what: &str,
    write_only_allowed: bool,
) -> Result<(Value, Vec<Diagnostic>), Diagnostic> {
    let value = decode(v, &block.value_type(), what)?;
    let mut found = super::schema_checks::check_config(block, &value, write_only_allowed);
    found.extend(crate::model::rules::validate_config(block, &value));
    Ok((value, found))
}

/// Encodes a reply value as msgpack.
pub fn encode(v: &Value, ty: &Type, what: &str) -> Result<pb::DynamicValue, Diagnostic> {
    codec::msgpack::encode(v, ty)
        .map(|msgpack| pb::DynamicValue {
            msgpack,
            json: Vec::new(),
        })
        .map_err(|e| {
            Diagnostic::error(
                "Provider produced an invalid value",
                format!("The provider's {what} does not match its schema: {e}. This is a bug in the provider."),
            )
        })
}

pub fn decode_identity(
    v: Option<&pb::ResourceIdentityData>,
    ty: Option<&Type>,
) -> Result<Option<Value>, Diagnostic> {
    match (v.and_then(|d| d.identity_data.as_ref()), ty) {
        (Some(data), Some(ty)) => decode(Some(data), ty, "resource identity").map(Some),
        _ => Ok(None),
    }
}

pub fn encode_identity(
    v: Option<&Value>,
    ty: Option<&Type>,
) -> Result<Option<pb::ResourceIdentityData>, Diagnostic> {
    match (v, ty) {
        (Some(v), Some(ty)) => Ok(Some(pb::ResourceIdentityData {
            identity_data: Some(encode(v, ty, "resource identity")?),
        })),
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pb::attribute_path::step::Selector;

    #[test]
    fn diagnostics_keep_severity_and_path() {
        let d = Diagnostic::warning("s", "d")
            .at(AttributePath::root().attribute("nics").index(2).key("k"));
        let p = diagnostic(&d);
        assert_eq!(p.severity, pb::diagnostic::Severity::Warning as i32);
        let steps: Vec<_> = p
            .attribute
            .unwrap()
            .steps
            .into_iter()
            .map(|s| s.selector.unwrap())
            .collect();
        assert_eq!(
            steps,
            vec![
                Selector::AttributeName("nics".into()),
                Selector::ElementKeyInt(2),
                Selector::ElementKeyString("k".into())
            ]
        );
        // A root path is no path at all for Terraform.
        assert!(
            diagnostic(&Diagnostic::error("s", "d").at(AttributePath::root()))
                .attribute
                .is_none()
        );
    }

    #[test]
    fn bad_dynamic_value_is_a_diagnostic() {
        let v = pb::DynamicValue {
            msgpack: vec![0xc1],
            json: Vec::new(),
        };
        assert!(decode(Some(&v), &Type::String, "config")
            .unwrap_err()
            .is_error());
        assert_eq!(decode(None, &Type::String, "config").unwrap(), Value::Null);
    }
}
