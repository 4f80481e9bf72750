//! How to reach Ironic: URL, credentials, TLS trust, timeouts and the retry policy.

use std::path::PathBuf;
use std::time::Duration;

use crate::Secret;

/// Credentials sent with every request. `Debug` never shows a password or token (they are
/// `Secret`s).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Auth {
    /// Ironic with `auth_strategy = noauth`.
    #[default]
    None,
    /// Ironic with `auth_strategy = http_basic`.
    Basic { username: String, password: Secret },
    /// A Keystone (or other) token, sent as `X-Auth-Token`.
    Token(Secret),
}

/// Exponential backoff with jitter for failures that are expected to go away on their own:
/// connection errors, 503 and 409 (node locked / transition in progress).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, the first one included. 1 disables retries.
    pub max_attempts: u32,
    /// Delay before the first retry; doubled for each further one.
    pub base_delay: Duration,
    /// Upper bound for one delay.
    pub max_delay: Duration,
    /// No new attempt starts after this much time since the first one.
    pub max_elapsed: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        // A node lock is usually held for seconds (a power sync, a state change starting); a
        // conductor restart takes tens of seconds. Two minutes covers both without hanging forever.
        RetryPolicy {
            max_attempts: 30,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_elapsed: Duration::from_secs(120),
        }
    }
}

impl RetryPolicy {
    /// No retries at all (one attempt).
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }
}

/// Everything `IronicClient::connect` needs.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// Ironic API root, e.g. `http://127.0.0.1:6385` (a trailing slash is fine).
    pub url: String,
    pub auth: Auth,
    /// Extra PEM CA bundle trusted in addition to the system roots.
    pub ca_file: Option<PathBuf>,
    /// Accept any server certificate. Only when the user asked for it explicitly.
    pub insecure: bool,
    /// Bound for one HTTP request (connect + response).
    pub request_timeout: Duration,
    pub retry: RetryPolicy,
    /// The `User-Agent` of every request: the caller's name and version (Ironic's logs show it).
    pub user_agent: String,
}

impl ClientConfig {
    /// A configuration with no auth, system TLS roots, a 60 s request timeout, default retries
    /// and this crate as the User-Agent (a caller names itself with `with_user_agent`).
    pub fn new(url: impl Into<String>) -> Self {
        ClientConfig {
            url: url.into(),
            auth: Auth::None,
            ca_file: None,
            insecure: false,
            request_timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }

    pub fn with_user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    pub fn with_auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }
}
