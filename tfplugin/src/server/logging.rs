//! Logs for Terraform: hclog-style JSON lines on stderr (`@level`, `@message`, `@timestamp`,
//! `@module`, plus the event's fields), which go-plugin re-logs at the matching level. The level
//! comes from TF_LOG_PROVIDER, else TF_LOG, else warn.

use serde_json::{Map, Value as Json};
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

/// TF_LOG values: TRACE, DEBUG, INFO, WARN, ERROR, JSON (= trace), OFF.
pub fn level_from_env(provider: Option<&str>, global: Option<&str>) -> Option<Level> {
    let raw = provider
        .filter(|s| !s.is_empty())
        .or(global.filter(|s| !s.is_empty()));
    match raw.map(|s| s.trim().to_ascii_uppercase()).as_deref() {
        Some("TRACE") | Some("JSON") => Some(Level::TRACE),
        Some("DEBUG") => Some(Level::DEBUG),
        Some("INFO") => Some(Level::INFO),
        Some("ERROR") => Some(Level::ERROR),
        Some("OFF") => None,
        _ => Some(Level::WARN),
    }
}

pub fn init(info: &super::info::ProviderInfo) {
    let level = level_from_env(
        std::env::var("TF_LOG_PROVIDER").ok().as_deref(),
        std::env::var("TF_LOG").ok().as_deref(),
    );
    let Some(level) = level else { return };
    // Our crates at the chosen level; dependencies (h2, hyper, rustls, ...) stay quiet unless
    // tracing everything.
    let deps = if level == Level::TRACE {
        "debug"
    } else {
        "warn"
    };
    let ours: String = info
        .log_targets
        .iter()
        .map(|target| format!(",{target}={level}"))
        .collect();
    let filter = tracing_subscriber::EnvFilter::new(format!("{deps}{ours}"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .event_format(HclogJson)
        .try_init();
}

pub struct HclogJson;

impl<S, N> FormatEvent<S, N> for HclogJson
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        _ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> std::fmt::Result {
        let mut fields = Fields(Map::new());
        event.record(&mut fields);
        let mut line = Map::new();
        line.insert(
            "@level".into(),
            Json::from(hclog_level(event.metadata().level())),
        );
        let message = fields.0.remove("message").unwrap_or(Json::from(""));
        line.insert("@message".into(), message);
        line.insert(
            "@module".into(),
            Json::from(format!("provider.{}", event.metadata().target())),
        );
        line.insert(
            "@timestamp".into(),
            Json::from(humantime::format_rfc3339_micros(std::time::SystemTime::now()).to_string()),
        );
        line.extend(fields.0);
        let text = serde_json::to_string(&line).map_err(|_| std::fmt::Error)?;
        writer.write_str(&text)?;
        writer.write_char('\n')
    }
}

fn hclog_level(level: &Level) -> &'static str {
    match *level {
        Level::TRACE => "trace",
        Level::DEBUG => "debug",
        Level::INFO => "info",
        Level::WARN => "warn",
        Level::ERROR => "error",
    }
}

struct Fields(Map<String, Json>);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0
            .insert(field.name().into(), Json::from(format!("{value:?}")));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().into(), Json::from(value));
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().into(), Json::from(value));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().into(), Json::from(value));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name().into(), Json::from(value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_level_wins_and_default_is_warn() {
        assert_eq!(
            level_from_env(Some("debug"), Some("ERROR")),
            Some(Level::DEBUG)
        );
        assert_eq!(level_from_env(None, Some("trace")), Some(Level::TRACE));
        assert_eq!(level_from_env(None, None), Some(Level::WARN));
        assert_eq!(level_from_env(Some("off"), None), None);
    }

    #[derive(Clone, Default)]
    struct Buffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for Buffer {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn lines_are_hclog_json() {
        let buffer = Buffer::default();
        let sink = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || sink.clone())
            .event_format(HclogJson)
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            tracing::warn!(node = "n1", attempt = 3, "node locked");
        });
        let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        let line: Json = serde_json::from_str(text.trim()).unwrap();
        assert_eq!(line["@level"], "warn");
        assert_eq!(line["@message"], "node locked");
        assert_eq!(line["node"], "n1");
        assert_eq!(line["attempt"], 3);
        assert!(line["@timestamp"].as_str().unwrap().ends_with('Z'));
        assert_eq!(text.lines().count(), 1);
    }
}
