//! The YAML stream of a manifest as Kubernetes objects, keeping only what hosts are read from.
//!
//! Two rules shape this module. Errors give a line and a column, never the text around them: a
//! manifest holds Secrets, and the parser's own messages quote the input. And the limits scale
//! with the input: a fleet of 10,000 inspected hosts is read in one call, while aliases (the one
//! way a small text becomes a huge value) keep the parser's fixed caps.

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value as Json;
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::{Budget, Options};

/// The largest manifest read: Terraform hands arguments over in one message of at most this
/// size (the plugin protocol's limit), so no larger text can reach the function anyway.
pub const MAX_MANIFEST_BYTES: usize = tfplugin::server::MAX_MESSAGE_BYTES;

/// How deep mappings and sequences may nest (a BareMetalHost needs 8 levels).
pub const MAX_DEPTH: usize = 64;

/// One document (or one item of a `kind: List`): the fields hosts are read from. Everything else
/// (`status`, a Secret's `data`) is skipped while parsing, never kept.
#[derive(Debug, Default)]
pub struct Document {
    /// A mapping; `false` for a scalar or a sequence. Empty documents are dropped earlier.
    pub is_mapping: bool,
    pub api_version: Option<Json>,
    pub kind: Option<Json>,
    pub metadata: Option<Json>,
    pub spec: Option<Json>,
    /// `items`, when it is a sequence.
    pub items: Option<Vec<Document>>,
}

/// Every non-empty document of `text`, in order.
pub fn documents(text: &str) -> Result<Vec<Document>, String> {
    if text.len() > MAX_MANIFEST_BYTES {
        return Err(format!(
            "the manifest has {} MiB; at most {} MiB can be passed to a function",
            text.len() / (1024 * 1024),
            MAX_MANIFEST_BYTES / (1024 * 1024)
        ));
    }
    let parsed: Vec<Option<Document>> =
        serde_saphyr::from_multiple_with_options(text, options(text.len()))
            .map_err(|e| describe(&e))?;
    Ok(parsed.into_iter().flatten().collect())
}

/// Limits proportional to the text (never below the parser's defaults): every node and event
/// takes at least a byte of input, so these never refuse text without aliases; they bound only
/// what aliases could multiply.
fn options(length: usize) -> Options {
    let mut budget = Budget::default();
    let scaled = length.saturating_mul(4).max(budget.max_events);
    budget.max_documents = scaled;
    budget.max_nodes = scaled;
    budget.max_events = scaled;
    budget.max_total_scalar_bytes = scaled;
    budget.max_merge_keys = scaled;
    budget.max_depth = MAX_DEPTH;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.with_snippet = false;
    options.crop_radius = 0;
    options.emit_comments = false;
    options
}

/// What is wrong, where, in words of this module: the parser's message is never passed on.
pub fn describe(error: &serde_saphyr::Error) -> String {
    use serde_saphyr::Error as E;
    let what = match error {
        E::Budget { breach, .. } => breach_text(breach),
        E::DuplicateMappingKey { .. } => "a key appears twice in one mapping".to_owned(),
        E::UnknownAnchor { .. } => "an alias (`*name`) refers to no anchor before it".to_owned(),
        E::AliasError { msg, .. } if !msg.starts_with("budget breached") => {
            "a value reached through an alias (`*name`) is not valid here".to_owned()
        }
        E::AliasError { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. }
        | E::AliasReplayCounterOverflow { .. } => {
            "aliases (`*name`) expand to more than a manifest can hold; write the values out"
                .to_owned()
        }
        E::MergeValueNotMapOrSeqOfMaps { .. } | E::MergeKeyNotAllowed { .. } => {
            "a merge key (`<<`) must be followed by a mapping or a list of mappings".to_owned()
        }
        E::NonFiniteFloat { .. } => {
            "a number is out of range (or `.inf` / `.nan`); quote it if it is text".to_owned()
        }
        E::IndentationError { .. } => "the indentation is inconsistent".to_owned(),
        E::Eof { .. } => "the text ends in the middle of a value".to_owned(),
        E::WithSnippet { error, .. } => return describe(error),
        _ => "a syntax error".to_owned(),
    };
    match error.location() {
        Some(at) if at.line() > 0 => format!(
            "the manifest is not valid YAML: {what} at line {}, column {}",
            at.line(),
            at.column()
        ),
        _ => format!("the manifest is not valid YAML: {what}"),
    }
}

fn breach_text(breach: &BudgetBreach) -> String {
    match breach {
        BudgetBreach::Depth { .. } => format!(
            "mappings and sequences nest more than {MAX_DEPTH} levels deep (a BareMetalHost \
             needs 8)"
        ),
        BudgetBreach::Aliases { .. }
        | BudgetBreach::Anchors { .. }
        | BudgetBreach::AliasAnchorRatio { .. }
        | BudgetBreach::RecordedAnchorEvents { .. }
        | BudgetBreach::RecordedAnchorBytes { .. } => {
            "anchors and aliases (`&name`, `*name`) repeat more than a manifest can hold \
             (at most 50,000 aliases, 10 per anchor); write the values out"
                .to_owned()
        }
        _ => "the text expands beyond what it could hold; write aliases out".to_owned(),
    }
}

impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DocumentVisitor)
    }
}

struct DocumentVisitor;

/// Anything that is not a mapping is a document that is no Kubernetes object.
macro_rules! not_a_mapping {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method<E: de::Error>(self, _: $ty) -> Result<Document, E> {
            Ok(Document::default())
        })*
    };
}

impl<'de> Visitor<'de> for DocumentVisitor {
    type Value = Document;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a Kubernetes object")
    }

    not_a_mapping!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_i128: i128,
        visit_u128: u128, visit_f64: f64, visit_str: &str, visit_bytes: &[u8]);

    fn visit_unit<E: de::Error>(self) -> Result<Document, E> {
        Ok(Document::default())
    }

    fn visit_none<E: de::Error>(self) -> Result<Document, E> {
        Ok(Document::default())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Document, D::Error> {
        deserializer.deserialize_any(DocumentVisitor)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Document, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Document::default())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Document, A::Error> {
        let mut doc = Document {
            is_mapping: true,
            ..Document::default()
        };
        while let Some(key) = map.next_key::<Key>()? {
            match key.0.as_deref() {
                Some("apiVersion") => doc.api_version = Some(map.next_value()?),
                Some("kind") => doc.kind = Some(map.next_value()?),
                Some("metadata") => doc.metadata = Some(map.next_value()?),
                Some("spec") => doc.spec = Some(map.next_value()?),
                Some("items") => doc.items = map.next_value::<Items>()?.0,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(doc)
    }
}

/// A mapping key: its text when it is a string (other keys never name a field read here).
struct Key(Option<String>);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(Key(Some(v.to_owned())))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Key, E> {
                Ok(Key(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Key, E> {
                Ok(Key(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Key, E> {
                Ok(Key(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Key, E> {
                Ok(Key(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Key, E> {
                Ok(Key(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Key, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Key(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Key, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Key(None))
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
}

/// `items`: the documents of a sequence; anything else is no list of objects.
struct Items(Option<Vec<Document>>);

impl<'de> Deserialize<'de> for Items {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ItemsVisitor;
        impl<'de> Visitor<'de> for ItemsVisitor {
            type Value = Items;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of objects")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Items, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Document>()? {
                    items.push(item);
                }
                Ok(Items(Some(items)))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Items, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Items(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Items, E> {
                Ok(Items(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Items, E> {
                Ok(Items(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Items, E> {
                Ok(Items(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Items, E> {
                Ok(Items(None))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Items, E> {
                Ok(Items(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Items, E> {
                Ok(Items(None))
            }
        }
        deserializer.deserialize_any(ItemsVisitor)
    }
}
