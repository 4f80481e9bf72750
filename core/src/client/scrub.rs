//! Secrets taken out of Ironic's own words before they reach anyone.
//!
//! Ironic's `last_error`, node history and API faults quote what failed, and that can carry a
//! credential: a failed call to the agent names its URL, `...?agent_token=<token>`, and driver
//! errors may echo `password=...`. Every text read from Ironic passes through [`scrub`], which
//! replaces the value after any key containing `token` or `password` followed by `=` or `:`.

use serde::{Deserialize, Deserializer};

const SENSITIVE_KEYS: [&str; 3] = ["token", "password", "passwd"];
const REPLACEMENT: &str = "***";

/// `text` with the value of every `<...token|password...>=value` or `...: value` (quoted or not)
/// replaced by `***`.
pub fn scrub(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut search = 0;
    while let Some((key_end, value_start, quote)) = next_secret(&lower, search) {
        let value_end = value_end(text, value_start, quote);
        if value_end > value_start {
            out.push_str(text.get(copied..value_start).unwrap_or_default());
            out.push_str(REPLACEMENT);
            copied = value_end;
        }
        search = value_end.max(key_end);
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    out
}

/// Deserializes an optional text from Ironic, scrubbed.
pub fn scrubbed<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?.map(|text| scrub(&text)))
}

/// The next sensitive key at or after `from`: where the key ends, where its value starts, and
/// the quote the value is in (if any). `lower` is the text in ASCII lowercase (same offsets).
fn next_secret(lower: &str, from: usize) -> Option<(usize, usize, Option<char>)> {
    let rest = lower.get(from..)?;
    SENSITIVE_KEYS
        .iter()
        .filter_map(|key| {
            rest.match_indices(key).find_map(|(at, _)| {
                let key_end = from.checked_add(at)?.checked_add(key.len())?;
                value_after(lower, key_end).map(|(start, quote)| (key_end, start, quote))
            })
        })
        .min_by_key(|(key_end, _, _)| *key_end)
}

/// Where the value after a key ending at `key_end` starts: the rest of the key's word, an
/// optional closing quote, spaces, `=` or `:`, spaces, an optional opening quote. `None` when no
/// separator follows (the word is prose, not a key).
fn value_after(lower: &str, key_end: usize) -> Option<(usize, Option<char>)> {
    let mut chars = lower.get(key_end..)?.char_indices().peekable();
    // The key may go on (`token_id`, `passwords`): a key is a word of [a-z0-9_-].
    while chars
        .next_if(|(_, c)| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .is_some()
    {}
    chars.next_if(|(_, c)| *c == '"' || *c == '\'');
    while chars.next_if(|(_, c)| *c == ' ').is_some() {}
    chars.next_if(|(_, c)| *c == '=' || *c == ':')?;
    while chars.next_if(|(_, c)| *c == ' ').is_some() {}
    let quote = chars
        .next_if(|(_, c)| *c == '"' || *c == '\'')
        .map(|(_, c)| c);
    let offset = chars
        .peek()
        .map_or(lower.len().saturating_sub(key_end), |(i, _)| *i);
    Some((key_end.checked_add(offset)?, quote))
}

/// Where a value starting at `start` ends: at its closing quote, or (unquoted) at the first
/// character that cannot be part of a token or password in a URL or a message.
fn value_end(text: &str, start: usize, quote: Option<char>) -> usize {
    let rest = text.get(start..).unwrap_or_default();
    let end = match quote {
        Some(q) => rest.find(q),
        None => rest.find(|c: char| c.is_whitespace() || "&,;)]}'\"".contains(c)),
    };
    start.saturating_add(end.unwrap_or(rest.len()))
}

#[cfg(test)]
mod tests {
    use super::scrub;

    #[test]
    fn an_agent_token_in_a_url_is_replaced() {
        let text = "Failed to connect to the agent: HTTPConnectionPool(host='192.168.222.104', \
                    port=9999): Max retries exceeded with url: \
                    /v1/commands/?wait=true&agent_token=Zm9vYmFyLXNlY3JldA-_x (Caused by NewConnectionError)";
        let out = scrub(text);
        assert!(!out.contains("Zm9vYmFyLXNlY3JldA"), "{out}");
        assert!(out.contains("agent_token=*** (Caused by"), "{out}");
        assert!(out.contains("host='192.168.222.104'"), "{out}");
    }

    #[test]
    fn quoted_and_spaced_forms_are_replaced() {
        for (text, secret) in [
            ("{'agent_token': 'abc123', 'x': 1}", "abc123"),
            (r#"{"password": "hunter 2", "user": "u"}"#, "hunter 2"),
            ("ipmi_password=s3cr3t failed", "s3cr3t"),
            ("Token : tok-9 rejected", "tok-9"),
            ("X-Auth-Token: gAAAAB.x/y+z=", "gAAAAB"),
        ] {
            let out = scrub(text);
            assert!(!out.contains(secret), "{text} -> {out}");
            assert!(out.contains("***"), "{text} -> {out}");
        }
    }

    #[test]
    fn prose_and_text_without_secrets_is_kept() {
        for text in [
            "Image failed to verify against checksum. image: x; expected: 1, computed: 2",
            "the token was rejected",
            "passwords must match",
            "",
            "token",
            "token=",
            "ünïcödé password= ",
        ] {
            assert_eq!(scrub(text), text);
        }
    }

    #[test]
    fn several_secrets_in_one_text_are_all_replaced() {
        let out = scrub("a?agent_token=one&b=2 then password=two, token:three");
        for secret in ["one", "two", "three"] {
            assert!(!out.contains(secret), "{out}");
        }
        assert_eq!(out, "a?agent_token=***&b=2 then password=***, token:***");
    }

    #[test]
    fn a_node_read_from_ironic_carries_no_token_in_its_errors() {
        let node: crate::client::Node = serde_json::from_value(serde_json::json!({
            "uuid": "5f0d6b6e-0000-4000-8000-000000000001",
            "last_error": "Deploy failed: /v1/commands/?wait=true&agent_token=SeCrEt123 unreachable",
            "maintenance_reason": "password=SeCrEt456",
        }))
        .expect("a node");
        let text = format!("{:?} {:?}", node.last_error, node.maintenance_reason);
        assert!(!text.contains("SeCrEt"), "{text}");
        assert!(text.contains("agent_token=***"), "{text}");
    }
}
