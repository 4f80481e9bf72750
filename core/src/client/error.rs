//! Errors of the Ironic client, with Ironic's own message and the request that failed. None of
//! them carries a credential: requests are described by method and path only.

use serde_json::Value;

use super::api_version::ApiVersion;

/// Everything that can go wrong talking to Ironic.
#[derive(Debug, thiserror::Error)]
pub enum IronicError {
    /// No HTTP answer at all: DNS, connection refused, ... `detail` is the whole cause chain.
    #[error("cannot reach Ironic at {url} ({request}): {detail}")]
    Unreachable {
        url: String,
        request: String,
        detail: String,
        #[source]
        source: reqwest::Error,
    },
    /// The CA file given to trust Ironic's certificate cannot be used.
    #[error("{0}")]
    CaFile(String),
    /// The TLS handshake failed, or the server speaks another protocol than the URL says:
    /// deterministic, so never retried. `problem` says what to change.
    #[error("cannot talk to Ironic at {url} ({request}): {problem}")]
    Tls {
        url: String,
        request: String,
        problem: String,
    },
    /// The request was sent but no answer came in time.
    #[error("Ironic at {url} did not answer {request} in time: {source}")]
    Timeout {
        url: String,
        request: String,
        #[source]
        source: reqwest::Error,
    },
    /// 401/403: the credentials are missing, wrong or not allowed to do this.
    #[error("Ironic refused {request} (HTTP {status}): {hint}: {message}")]
    Auth {
        status: u16,
        request: String,
        message: String,
        hint: &'static str,
    },
    #[error("not found in Ironic ({request}): {message}")]
    NotFound { request: String, message: String },
    /// 409: the node is locked or in a state transition (retried), or the request conflicts with
    /// the node's state (e.g. a name already in use).
    #[error("conflict in Ironic ({request}, HTTP 409): {message}")]
    Conflict { request: String, message: String },
    /// 409 for a name or MAC address that another node or port already has: deterministic, so
    /// never retried.
    #[error("already exists in Ironic ({request}, HTTP 409): {message}")]
    AlreadyExists { request: String, message: String },
    /// Any other non-success status.
    #[error("Ironic answered HTTP {status} to {request}: {message}")]
    Http {
        status: u16,
        request: String,
        message: String,
    },
    #[error(
        "Ironic is too old: it serves API microversions up to {server_max}, this provider needs \
         at least {required} (Ironic 2023.1 or newer)"
    )]
    VersionTooOld {
        server_max: ApiVersion,
        required: ApiVersion,
    },
    #[error(
        "Ironic is too new: its oldest API microversion is {server_min}, this provider knows up to \
         {known_max}"
    )]
    VersionTooNew {
        server_min: ApiVersion,
        known_max: ApiVersion,
    },
    /// The answer was not what Ironic's API documents.
    #[error("unexpected answer from Ironic to {request}: {message}")]
    Decode { request: String, message: String },
    /// A node, port or other identifier that cannot be one part of a URL path (empty, `.` or
    /// `..`, which URL rules would resolve to another resource): nothing was sent.
    #[error(
        "{identifier:?} is not a valid Ironic identifier: give a node UUID or name (letters, \
         digits and `-._~`, not `.` or `..` alone); nothing was sent to Ironic"
    )]
    InvalidIdentifier { identifier: String },
    /// The client configuration cannot work (bad URL, unreadable CA file, ...).
    #[error("invalid Ironic client configuration: {0}")]
    Config(String),
}

impl IronicError {
    /// The HTTP status, when Ironic answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            IronicError::Auth { status, .. } | IronicError::Http { status, .. } => Some(*status),
            IronicError::NotFound { .. } => Some(404),
            IronicError::Conflict { .. } | IronicError::AlreadyExists { .. } => Some(409),
            _ => None,
        }
    }

    /// The request Ironic was sent (`POST /v1/ports`), when the error is about one.
    pub fn request(&self) -> Option<&str> {
        match self {
            IronicError::Unreachable { request, .. }
            | IronicError::Tls { request, .. }
            | IronicError::Timeout { request, .. }
            | IronicError::Auth { request, .. }
            | IronicError::NotFound { request, .. }
            | IronicError::Conflict { request, .. }
            | IronicError::AlreadyExists { request, .. }
            | IronicError::Http { request, .. }
            | IronicError::Decode { request, .. } => Some(request),
            _ => None,
        }
    }

    /// Ironic's own message, when it answered with one.
    pub fn message(&self) -> Option<&str> {
        match self {
            IronicError::Auth { message, .. }
            | IronicError::NotFound { message, .. }
            | IronicError::Conflict { message, .. }
            | IronicError::AlreadyExists { message, .. }
            | IronicError::Http { message, .. }
            | IronicError::Decode { message, .. } => Some(message),
            _ => None,
        }
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self, IronicError::NotFound { .. })
    }

    pub fn is_conflict(&self) -> bool {
        matches!(self, IronicError::Conflict { .. })
    }

    pub fn is_already_exists(&self) -> bool {
        matches!(self, IronicError::AlreadyExists { .. })
    }

    /// The request may have reached Ironic, and been acted on, but its answer never came: a
    /// timeout, or a connection lost after it was made. Repeating a state change blindly could
    /// ask for it twice.
    pub fn is_answer_lost(&self) -> bool {
        match self {
            IronicError::Timeout { .. } => true,
            IronicError::Unreachable { source, .. } => !source.is_connect(),
            // A proxy that forwarded the request and lost (or gave up waiting for) the answer.
            IronicError::Http { status, .. } => matches!(status, 502 | 504),
            _ => false,
        }
    }

    /// Ironic could not be reached or did not answer: an outage, expected to end.
    pub fn is_outage(&self) -> bool {
        match self {
            IronicError::Unreachable { .. } | IronicError::Timeout { .. } => true,
            IronicError::Http { status, .. } => matches!(status, 502..=504),
            _ => false,
        }
    }

    /// Builds the error for a non-success answer from its status and body.
    pub(crate) fn from_response(status: u16, request: String, body: &[u8]) -> IronicError {
        let message = error_message(body);
        match status {
            401 => IronicError::Auth {
                status,
                request,
                message,
                hint: "the credentials are missing or wrong (check username/password or token)",
            },
            403 if message.contains("protected") => IronicError::Auth {
                status,
                request,
                message,
                hint: "the node is protected in Ironic (its `protected` flag): clear the flag to \
                       rebuild, undeploy or delete it",
            },
            403 => IronicError::Auth {
                status,
                request,
                message,
                hint: "the credentials are not allowed to do this",
            },
            404 => IronicError::NotFound { request, message },
            // Ironic's DuplicateName / MACAlreadyExists ("A node with name X already exists.").
            409 if message.contains("already exists") => {
                IronicError::AlreadyExists { request, message }
            }
            409 => IronicError::Conflict { request, message },
            _ => IronicError::Http {
                status,
                request,
                message,
            },
        }
    }
}

/// Longest raw body quoted in an error when it is not Ironic's JSON error format.
const MAX_RAW_MESSAGE: usize = 500;

/// Extracts the human message from Ironic's error body. Ironic wraps it twice:
/// `{"error_message": "{\"faultstring\": \"...\", ...}"}` (a JSON document in a JSON string);
/// some paths send the inner object directly, and proxies send HTML or plain text.
pub fn error_message(body: &[u8]) -> String {
    super::scrub::scrub(&raw_error_message(body))
}

fn raw_error_message(body: &[u8]) -> String {
    if let Ok(value) = serde_json::from_slice::<Value>(body) {
        if let Some(found) = faultstring(&value) {
            return found;
        }
    }
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        return "(no message)".to_owned();
    }
    let mut cut: String = text.chars().take(MAX_RAW_MESSAGE).collect();
    if cut.len() < text.len() {
        cut.push_str("...");
    }
    cut
}

fn faultstring(value: &Value) -> Option<String> {
    let obj = value.as_object()?;
    if let Some(Value::String(s)) = obj.get("faultstring") {
        return Some(s.clone());
    }
    // Ironic's http_basic middleware: {"error": {"message": "...", "code": 401}}.
    if let Some(Value::String(s)) = obj.get("error").and_then(|e| e.get("message")) {
        return Some(s.clone());
    }
    match obj.get("error_message")? {
        Value::String(inner) => match serde_json::from_str::<Value>(inner) {
            Ok(parsed) => faultstring(&parsed).or_else(|| Some(inner.clone())),
            Err(_) => Some(inner.clone()),
        },
        other => faultstring(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unwraps_json_string_inside_json() {
        let body = br#"{"error_message": "{\"faultstring\": \"Node abc could not be found.\", \"faultcode\": \"Client\", \"debuginfo\": null}"}"#;
        assert_eq!(error_message(body), "Node abc could not be found.");
    }

    #[test]
    fn accepts_inner_object_and_plain_text() {
        let body = br#"{"error_message": {"faultstring": "locked", "faultcode": "Client"}}"#;
        assert_eq!(error_message(body), "locked");
        let basic = br#"{"error":{"message":"Incorrect username or password","code":401}}"#;
        assert_eq!(error_message(basic), "Incorrect username or password");
        assert_eq!(
            error_message(b"Service Unavailable\n"),
            "Service Unavailable"
        );
        assert_eq!(error_message(b""), "(no message)");
        let long = "x".repeat(2000);
        assert!(error_message(long.as_bytes()).len() < 600);
    }

    #[test]
    fn statuses_map_to_variants() {
        let r = || "GET /v1/nodes".to_owned();
        assert!(matches!(
            IronicError::from_response(401, r(), b""),
            IronicError::Auth { status: 401, .. }
        ));
        assert!(IronicError::from_response(404, r(), b"").is_not_found());
        assert!(IronicError::from_response(409, r(), b"").is_conflict());
        let duplicate =
            br#"{"error_message": "{\"faultstring\": \"A node with name ns~h already exists.\"}"}"#;
        assert!(IronicError::from_response(409, r(), duplicate).is_already_exists());
        let e = IronicError::from_response(400, r(), br#"{"error_message":"bad"}"#);
        assert_eq!(
            e.to_string(),
            "Ironic answered HTTP 400 to GET /v1/nodes: bad"
        );
    }
}
