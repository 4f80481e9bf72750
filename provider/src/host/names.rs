//! Host names and namespaces, the Ironic node name `<namespace>~<name>` built from them, and
//! node UUIDs (the other way to name a host).

use super::shown::shown;

/// Separator between namespace and name in Ironic node names (as Metal3 names them).
pub const NODE_NAME_SEPARATOR: char = '~';

pub fn node_name(namespace: &str, name: &str) -> String {
    format!("{namespace}{NODE_NAME_SEPARATOR}{name}")
}

/// `(namespace, name)` of an Ironic node name made by this provider (or Metal3); `None` for
/// nodes named otherwise.
pub fn split_node_name(node_name: &str) -> Option<(&str, &str)> {
    let (namespace, name) = node_name.split_once(NODE_NAME_SEPARATOR)?;
    (check_namespace(namespace).is_ok() && check_name(name).is_ok()).then_some((namespace, name))
}

/// A host name: a DNS-1123 subdomain (lowercase letters, digits, `-` and `.`, starting and
/// ending with a letter or digit, at most 253 characters), as for a BareMetalHost.
pub fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.len() > 253 {
        return Err("must be 1 to 253 characters long".into());
    }
    for label in name.split('.') {
        check_label_chars(label).map_err(|e| {
            format!("{e} (a DNS-1123 subdomain: lowercase letters, digits, `-` and `.`)")
        })?;
    }
    Ok(())
}

/// A namespace: a DNS-1123 label (lowercase letters, digits and `-`, starting and ending with a
/// letter or digit, at most 63 characters), as for a Kubernetes namespace.
pub fn check_namespace(namespace: &str) -> Result<(), String> {
    if namespace.is_empty() || namespace.len() > 63 {
        return Err("must be 1 to 63 characters long".into());
    }
    check_label_chars(namespace)
        .map_err(|e| format!("{e} (a DNS-1123 label: lowercase letters, digits and `-`)"))
}

fn check_label_chars(label: &str) -> Result<(), String> {
    if label.is_empty() {
        return Err("must not have empty parts between dots".into());
    }
    if let Some(c) = label
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(format!("must not contain {c:?}"));
    }
    if label.starts_with('-') || label.ends_with('-') {
        return Err("must start and end with a lowercase letter or digit".into());
    }
    Ok(())
}

/// The longest node name Ironic takes.
pub const NODE_NAME_MAX: usize = 255;

/// A node as an Ironic URL names it: a UUID, or a name Ironic accepts (RFC 3986 unreserved
/// characters: letters, digits, `-`, `.`, `_`, `~`; at most 255). A name of dots only is
/// refused: `.` and `..` are resolved away in a URL path, so another resource would be asked.
pub fn check_node_reference(text: &str) -> Result<(), String> {
    if is_uuid(text) {
        return Ok(());
    }
    if text.is_empty() {
        return Err("is empty".into());
    }
    let count = text.chars().count();
    if count > NODE_NAME_MAX {
        return Err(format!("is {count} characters long"));
    }
    if let Some(c) = text
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~')))
    {
        return Err(format!("{} must not contain {c:?}", shown(text)));
    }
    if text.chars().all(|c| c == '.') {
        return Err(format!("{} names no node", shown(text)));
    }
    Ok(())
}

/// An Ironic node UUID: `8-4-4-4-12` hex digits.
pub fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_namespaces() {
        for good in ["worker-0", "a", "rack1.node-2", "0"] {
            assert!(check_name(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "Worker",
            "a_b",
            "-a",
            "a-",
            "a..b",
            "a~b",
            "a b",
            &"x".repeat(254),
        ] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
        assert!(check_namespace("metal3").is_ok());
        for bad in ["", "a.b", "Metal3", &"x".repeat(64), "ns~"] {
            assert!(check_namespace(bad).is_err(), "{bad}");
        }
        assert!(check_name("A").unwrap_err().contains("lowercase letters"));
    }

    #[test]
    fn node_references_are_uuids_or_names_ironic_takes() {
        for good in [
            "8b1c0f4e-2d9a-4e57-9c1b-1f2e3d4c5b6a",
            "metal3~worker-0",
            "Rack_1.node-2",
            "...x",
            &"n".repeat(255),
        ] {
            assert_eq!(check_node_reference(good), Ok(()), "{good}");
        }
        for (bad, says) in [
            ("", "is empty"),
            (".", "names no node"),
            ("..", "names no node"),
            ("a/b", "must not contain '/'"),
            ("a b", "must not contain ' '"),
            ("a\u{0}", "must not contain '\\0'"),
            ("wörker", "must not contain 'ö'"),
            ("%2e%2e", "must not contain '%'"),
            ("a?b", "must not contain '?'"),
            (&"n".repeat(256), "is 256 characters long"),
        ] {
            let why = check_node_reference(bad).expect_err(bad);
            assert!(why.contains(says), "{bad:?}: {why}");
        }
    }

    #[test]
    fn node_names_round_trip() {
        assert_eq!(node_name("metal3", "w0"), "metal3~w0");
        assert_eq!(split_node_name("metal3~w0"), Some(("metal3", "w0")));
        assert_eq!(split_node_name("plain-node"), None);
        assert_eq!(split_node_name("Bad~w0"), None);
    }
}
