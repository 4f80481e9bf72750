//! Sends one logical request: builds the URL, adds the microversion and auth headers, retries per
//! the policy, logs method/path/status/elapsed (never bodies, which can carry secrets) and turns
//! non-success answers into `IronicError`s.

use std::time::{Duration, Instant};

use reqwest::header::{HeaderValue, ACCEPT, CONTENT_TYPE};
use reqwest::Method;
use url::Url;

use super::api_version::ApiVersion;
use super::config::{Auth, ClientConfig, RetryPolicy};
use super::error::IronicError;
use super::retry::with_retry;
use super::version::{negotiate, parse_root_document, ServerVersions};

pub(crate) const VERSION_HEADER: &str = "X-OpenStack-Ironic-API-Version";
pub(crate) const TOKEN_HEADER: &str = "X-Auth-Token";

pub(crate) struct Transport {
    http: reqwest::Client,
    base: Url,
    base_display: String,
    auth: Auth,
    retry: RetryPolicy,
    version: ApiVersion,
    version_header: HeaderValue,
    server: ServerVersions,
    /// Ironic has answered over this URL at least once: from then on a connection closed
    /// without an answer is a lost answer, never a sign of the wrong protocol.
    answered: std::sync::atomic::AtomicBool,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IronicClient")
            .field("url", &self.base_display)
            .field("auth", &self.auth)
            .field("api_version", &self.version)
            .finish()
    }
}

fn build_http(config: &ClientConfig) -> Result<reqwest::Client, IronicError> {
    let mut builder = reqwest::Client::builder()
        .use_rustls_tls()
        .timeout(config.request_timeout)
        .connect_timeout(config.request_timeout.min(Duration::from_secs(10)))
        .pool_idle_timeout(Duration::from_secs(60))
        .user_agent(config.user_agent.as_str());
    if config.insecure {
        builder = builder.danger_accept_invalid_certs(true);
    } else if config.ca_file.is_some() || super::roots::OWN_TLS_CONFIG {
        builder =
            builder.use_preconfigured_tls(super::tls::client_config(config.ca_file.as_deref())?);
    }
    builder
        .build()
        .map_err(|e| IronicError::Config(format!("cannot build the HTTP client: {e}")))
}

fn parse_base(raw: &str) -> Result<Url, IronicError> {
    let url = Url::parse(raw.trim())
        .map_err(|e| IronicError::Config(format!("Ironic URL {raw:?} is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(IronicError::Config(format!(
            "Ironic URL {raw:?} must start with http:// or https://"
        )));
    }
    if url.cannot_be_a_base() || url.host_str().is_none() {
        return Err(IronicError::Config(format!(
            "Ironic URL {raw:?} has no host"
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        // Credentials in the URL would end up in error messages and logs.
        return Err(IronicError::Config(
            "put Ironic credentials in username/password or token, not in the URL".to_owned(),
        ));
    }
    Ok(url)
}

impl Transport {
    pub(crate) async fn connect(config: ClientConfig) -> Result<Transport, IronicError> {
        let base = parse_base(&config.url)?;
        let http = build_http(&config)?;
        let base_display = base.as_str().trim_end_matches('/').to_owned();
        let mut transport = Transport {
            http,
            base,
            base_display,
            auth: config.auth,
            retry: config.retry,
            version: ApiVersion::new(1, 1),
            version_header: HeaderValue::from_static("1.1"),
            server: ServerVersions {
                min: ApiVersion::new(1, 1),
                max: ApiVersion::new(1, 1),
            },
            answered: std::sync::atomic::AtomicBool::new(false),
        };
        let (request, body) = transport
            .send(&transport.retry, Method::GET, &[], &[], None, true)
            .await?;
        let server = parse_root_document(&body)
            .map_err(|message| IronicError::Decode { request, message })?;
        let version = negotiate(server)?;
        transport.server = server;
        transport.version = version;
        transport.version_header = HeaderValue::from_str(&version.to_string())
            .map_err(|e| IronicError::Config(e.to_string()))?;
        tracing::debug!(url = %transport.base_display, server_min = %server.min,
            server_max = %server.max, chosen = %version, "negotiated Ironic API microversion");
        Ok(transport)
    }

    pub(crate) fn api_version(&self) -> ApiVersion {
        self.version
    }

    pub(crate) fn server_versions(&self) -> ServerVersions {
        self.server
    }

    pub(crate) fn base_url(&self) -> &str {
        &self.base_display
    }

    /// The URL of `path` below the API root. Each segment is percent-encoded (a `/` in an
    /// identifier stays inside its segment); segments that URL rules would resolve away (`.`,
    /// `..`, empty) are refused, so an identifier can never address another resource.
    fn url_for(&self, path: &[&str], query: &[(&str, &str)]) -> Result<Url, IronicError> {
        if let Some(bad) = path.iter().find(|s| matches!(**s, "" | "." | "..")) {
            return Err(IronicError::InvalidIdentifier {
                identifier: (*bad).to_owned(),
            });
        }
        let mut url = self.base.clone();
        if !path.is_empty() {
            if let Ok(mut segments) = url.path_segments_mut() {
                segments.pop_if_empty().extend(path);
            }
        }
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        Ok(url)
    }

    /// Sends the request (with retries) and returns its description and the success body.
    pub(crate) fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    pub(crate) async fn send(
        &self,
        retry: &RetryPolicy,
        method: Method,
        path: &[&str],
        query: &[(&str, &str)],
        body: Option<Vec<u8>>,
        idempotent: bool,
    ) -> Result<(String, Vec<u8>), IronicError> {
        let url = self.url_for(path, query)?;
        let request = format!("{method} {}", url.path());
        let body = with_retry(retry, idempotent, |attempt| {
            self.attempt(&method, &url, &request, body.clone(), attempt)
        })
        .await?;
        Ok((request, body))
    }

    async fn attempt(
        &self,
        method: &Method,
        url: &Url,
        request: &str,
        body: Option<Vec<u8>>,
        attempt: u32,
    ) -> Result<Vec<u8>, IronicError> {
        let mut builder = self
            .http
            .request(method.clone(), url.clone())
            .header(VERSION_HEADER, self.version_header.clone())
            .header(ACCEPT, "application/json");
        builder = match &self.auth {
            Auth::None => builder,
            Auth::Basic { username, password } => {
                builder.basic_auth(username, Some(password.expose()))
            }
            Auth::Token(token) => {
                let mut value = HeaderValue::from_str(token.expose()).map_err(|_| {
                    IronicError::Config("the token holds characters not allowed in HTTP".into())
                })?;
                value.set_sensitive(true);
                builder.header(TOKEN_HEADER, value)
            }
        };
        if let Some(body) = body {
            builder = builder.header(CONTENT_TYPE, "application/json").body(body);
        }
        let started = Instant::now();
        let outcome = builder.send().await;
        let elapsed_ms = started.elapsed().as_millis() as u64;
        let response = match outcome {
            Ok(r) => r,
            Err(source) => {
                tracing::debug!(%method, path = url.path(), attempt, elapsed_ms,
                    error = %super::tls::chain(&source), "Ironic request failed");
                return Err(self.transport_error(request, source));
            }
        };
        let status = response.status().as_u16();
        self.answered
            .store(true, std::sync::atomic::Ordering::Relaxed);
        tracing::debug!(%method, path = url.path(), status, attempt, elapsed_ms, "Ironic request");
        let bytes = response
            .bytes()
            .await
            .map_err(|source| self.transport_error(request, source))?;
        if (200..300).contains(&status) {
            Ok(bytes.to_vec())
        } else {
            Err(IronicError::from_response(
                status,
                request.to_owned(),
                &bytes,
            ))
        }
    }

    fn transport_error(&self, request: &str, source: reqwest::Error) -> IronicError {
        // reqwest's message names the URL; ours never holds credentials (refused in parse_base).
        let source = source.without_url();
        let https = self.base.scheme() == "https";
        let answered = self.answered.load(std::sync::atomic::Ordering::Relaxed);
        if let Some(problem) = super::tls::explain(&source, https, answered) {
            return IronicError::Tls {
                url: self.base_display.clone(),
                request: request.to_owned(),
                problem,
            };
        }
        if source.is_timeout() {
            IronicError::Timeout {
                url: self.base_display.clone(),
                request: request.to_owned(),
                source,
            }
        } else {
            let mut detail = super::tls::chain(&source);
            let lower = detail.to_ascii_lowercase();
            let closed = lower.contains("reset by peer")
                || lower.contains("connection closed before message completed");
            if closed && !source.is_connect() {
                // Sent, and the connection closed without an answer: Ironic may have acted.
                detail.push_str(" (the request was sent; no answer came back)");
            }
            if !https && !answered && closed {
                // What a TLS port does to plain HTTP (a proxy or restart reads the same, so it
                // is still retried, and the hint goes once Ironic has answered).
                detail.push_str(" (if this port serves TLS, use https:// in the URL)");
            }
            IronicError::Unreachable {
                url: self.base_display.clone(),
                request: request.to_owned(),
                detail,
                source,
            }
        }
    }
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn base_url_rules() {
        assert!(parse_base("http://127.0.0.1:6385").is_ok());
        assert!(parse_base("ftp://x").is_err());
        assert!(parse_base("not a url").is_err());
        let err = parse_base("http://admin:hunter2@host:6385").unwrap_err();
        assert!(!err.to_string().contains("hunter2"));
    }
}
