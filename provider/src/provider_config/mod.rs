//! `provider "metal3" {}`: validation, environment fallbacks, and the shared provider state
//! (Ironic client + lifecycle engine + default namespace) that every handler reads.

pub mod schema;

use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use async_trait::async_trait;
use metal3_core::client::{Auth, ClientConfig, IronicClient, IronicError, RetryPolicy};
use metal3_core::lifecycle::{Lifecycle, LifecycleConfig};
use metal3_core::Secret;
use tfplugin::model::{Known, Model};
use tokio::sync::OnceCell;

pub use self::schema::DEFAULT_NAMESPACE;
use self::schema::{env_fallback, ProviderConfig, ProviderConfigNames};
use crate::codec::{AttributePath, Value};
use crate::diagnostics::Diagnostic;
use crate::host::lifecycle::Hosts;
use crate::host::names::check_namespace;
use crate::server::handlers::{ConfigureRequest, ProviderHooks};

/// The provider's arguments once every value is known (config, else environment).
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderSettings {
    pub ironic_url: String,
    pub auth: Auth,
    pub ca_file: Option<PathBuf>,
    pub insecure: bool,
    pub namespace: String,
    pub deploy_kernel_url: Option<String>,
    pub deploy_ramdisk_url: Option<String>,
    pub deploy_iso_url: Option<String>,
}

/// A provider argument: from the config, else its environment variable (empty counts as unset).
#[derive(Debug, Clone, PartialEq)]
enum Arg {
    Known(String),
    Unknown,
    Unset,
}

const N: ProviderConfigNames = ProviderConfig::NAMES;

fn read_arg(
    value: &Option<Known<String>>,
    name: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Arg {
    match value {
        Some(Known::Unknown) => Arg::Unknown,
        Some(Known::Known(s)) => Arg::Known(s.clone()),
        None => env_fallback(name)
            .and_then(env)
            .filter(|s| !s.is_empty())
            .map_or(Arg::Unset, Arg::Known),
    }
}

/// The text arguments, each from the configuration, else its environment variable.
struct Args {
    ironic_url: Arg,
    username: Arg,
    password: Arg,
    token: Arg,
    ca_file: Arg,
    namespace: Arg,
    deploy_kernel_url: Arg,
    deploy_ramdisk_url: Arg,
    deploy_iso_url: Arg,
}

impl Args {
    fn read(config: &ProviderConfig, env: &dyn Fn(&str) -> Option<String>) -> Args {
        let arg = |value: &Option<Known<String>>, name: &str| read_arg(value, name, env);
        Args {
            ironic_url: arg(&config.ironic_url, N.ironic_url),
            username: arg(&config.username, N.username),
            password: arg(&config.password, N.password),
            token: arg(&config.token, N.token),
            ca_file: arg(&config.ca_file, N.ca_file),
            namespace: arg(&config.namespace, N.namespace),
            deploy_kernel_url: arg(&config.deploy_kernel_url, N.deploy_kernel_url),
            deploy_ramdisk_url: arg(&config.deploy_ramdisk_url, N.deploy_ramdisk_url),
            deploy_iso_url: arg(&config.deploy_iso_url, N.deploy_iso_url),
        }
    }

    fn all(&self) -> [&Arg; 9] {
        [
            &self.ironic_url,
            &self.username,
            &self.password,
            &self.token,
            &self.ca_file,
            &self.namespace,
            &self.deploy_kernel_url,
            &self.deploy_ramdisk_url,
            &self.deploy_iso_url,
        ]
    }
}

/// The provider block as its model (no block at all: every argument unset); a value the model
/// cannot hold is the provider's bug.
fn decode(config: &Value) -> Result<ProviderConfig, Vec<Diagnostic>> {
    if config.is_null() {
        return Ok(ProviderConfig::default());
    }
    ProviderConfig::decode_all(config)
        .map_err(|errors| errors.iter().map(|e| e.to_diagnostic()).collect())
}

/// Checks that need only the configuration's known values (ValidateProviderConfig): `insecure`
/// warning, credential conflicts, URL form, namespace.
pub fn validate(config: &Value) -> Vec<Diagnostic> {
    match decode(config) {
        Ok(config) => check(&config),
        Err(diags) => diags,
    }
}

fn check(config: &ProviderConfig) -> Vec<Diagnostic> {
    let no_env = |_: &str| None;
    let args = Args::read(config, &no_env);
    let mut diags = Vec::new();
    if config.insecure == Some(Known::Known(true)) {
        diags.push(
            Diagnostic::warning(
                "TLS verification of Ironic is disabled",
                "`insecure = true`: Ironic's certificate is not checked, so anyone on the path \
                 can read the credentials sent to it. Use `ca_file` instead where possible.",
            )
            .at(AttributePath::attributes(&[N.insecure])),
        );
    }
    diags.extend(credential_conflicts(
        &args.username,
        &args.password,
        &args.token,
    ));
    if let Arg::Known(url) = &args.ironic_url {
        if let Err(d) = check_url(url) {
            diags.push(d);
        }
    }
    if let Arg::Known(ns) = &args.namespace {
        if let Err(e) = check_namespace(ns) {
            diags.push(
                Diagnostic::error("Invalid namespace", format!("`namespace` {e}."))
                    .at(AttributePath::attributes(&[N.namespace])),
            );
        }
    }
    diags
}

fn credential_conflicts(username: &Arg, password: &Arg, token: &Arg) -> Vec<Diagnostic> {
    let set = |a: &Arg| !matches!(a, Arg::Unset);
    let mut diags = Vec::new();
    if set(token) && (set(username) || set(password)) {
        diags.push(
            Diagnostic::error(
                "Conflicting Ironic credentials",
                "Set either `token` (IRONIC_TOKEN) or `username` and `password` \
                 (IRONIC_USERNAME, IRONIC_PASSWORD), not both.",
            )
            // Not at `token`: Terraform would quote its line (the secret) as the snippet.
            .at(AttributePath::attributes(&[N.username])),
        );
    } else if set(username) != set(password) {
        let missing = if set(username) {
            N.password
        } else {
            N.username
        };
        diags.push(
            Diagnostic::error(
                "Incomplete Ironic credentials",
                format!(
                    "HTTP basic authentication needs both `username` and `password`; `{missing}` \
                     is not set (nor {}).",
                    env_fallback(missing).unwrap_or("its environment variable")
                ),
            )
            .at(AttributePath::attributes(&[missing])),
        );
    }
    diags
}

fn check_url(url: &str) -> Result<(), Diagnostic> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"));
    let authority = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
    if authority.is_some_and(|a| a.contains('@')) {
        // No attribute path and no echo of the URL: Terraform would print the configuration
        // line, and the message would carry the password.
        return Err(Diagnostic::error(
            "Credentials in `ironic_url`",
            "`ironic_url` contains credentials (`user:password@host`), which would end up in \
             logs and error messages. Remove them from the URL and set `username` and \
             `password` (or IRONIC_USERNAME and IRONIC_PASSWORD) instead.",
        ));
    }
    match rest {
        Some(rest) if !rest.is_empty() && !rest.starts_with('/') => Ok(()),
        _ => Err(Diagnostic::error(
            "Invalid Ironic URL",
            format!(
                "`ironic_url` \"{url}\" must be an http:// or https:// URL with a host, e.g. \
                 `http://127.0.0.1:6385`."
            ),
        )
        .at(AttributePath::attributes(&[N.ironic_url]))),
    }
}

/// Reads the settings. `Ok(None)`: a value needed to connect is unknown until apply.
pub fn settings_from(
    config: &Value,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<ProviderSettings>, Vec<Diagnostic>> {
    let config = decode(config)?;
    let args = Args::read(&config, env);
    let mut diags = validate_errors(&config, &args);
    let unknown = args.all().iter().any(|a| **a == Arg::Unknown)
        || config.insecure.as_ref().is_some_and(Known::is_unknown);
    if !diags.is_empty() {
        return Err(diags);
    }
    if unknown {
        return Ok(None);
    }
    let known = |arg: Arg| match arg {
        Arg::Known(s) => Some(s),
        _ => None,
    };
    let Some(ironic_url) = known(args.ironic_url) else {
        diags.push(
            Diagnostic::error(
                "Missing Ironic URL",
                "Set `ironic_url` in the provider configuration or the IRONIC_ENDPOINT \
                 environment variable, e.g. `http://127.0.0.1:6385`.",
            )
            .at(AttributePath::attributes(&[N.ironic_url])),
        );
        return Err(diags);
    };
    let auth = match (
        known(args.username),
        known(args.password),
        known(args.token),
    ) {
        (_, _, Some(token)) => Auth::Token(Secret::new(token)),
        (Some(username), Some(password), None) => Auth::Basic {
            username,
            password: Secret::new(password),
        },
        _ => Auth::None,
    };
    Ok(Some(ProviderSettings {
        ironic_url,
        auth,
        ca_file: known(args.ca_file).map(PathBuf::from),
        insecure: config.insecure == Some(Known::Known(true)),
        namespace: known(args.namespace).unwrap_or_else(|| DEFAULT_NAMESPACE.to_owned()),
        deploy_kernel_url: known(args.deploy_kernel_url),
        deploy_ramdisk_url: known(args.deploy_ramdisk_url),
        deploy_iso_url: known(args.deploy_iso_url),
    }))
}

/// The errors of `validate` with the environment taken into account (warnings are reported
/// by ValidateProviderConfig already).
fn validate_errors(config: &ProviderConfig, args: &Args) -> Vec<Diagnostic> {
    let mut diags = credential_conflicts(&args.username, &args.password, &args.token);
    if let Arg::Known(url) = &args.ironic_url {
        if let Err(d) = check_url(url) {
            diags.push(d);
        }
    }
    diags.extend(check(config).into_iter().filter(Diagnostic::is_error));
    // `check` may report the same conflict from the config alone: keep one of each.
    let mut unique: Vec<Diagnostic> = Vec::new();
    for d in diags {
        if !unique
            .iter()
            .any(|u| u.summary == d.summary && u.attribute == d.attribute)
        {
            unique.push(d);
        }
    }
    unique
}

/// The provider as Ironic's logs name it.
const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

fn client_config(settings: &ProviderSettings) -> ClientConfig {
    let mut config = ClientConfig::new(settings.ironic_url.clone())
        .with_auth(settings.auth.clone())
        .with_user_agent(USER_AGENT);
    config.ca_file = settings.ca_file.clone();
    config.insecure = settings.insecure;
    config
}

/// Connects once and turns a failure into one diagnostic naming the attribute at fault. The
/// connect retries only briefly, so a wrong URL fails in seconds rather than minutes; the client
/// kept afterwards has the normal retry policy.
pub async fn connect(settings: &ProviderSettings) -> Result<IronicClient, Diagnostic> {
    let probe = RetryPolicy {
        max_attempts: 4,
        max_elapsed: Duration::from_secs(10),
        ..RetryPolicy::default()
    };
    let config = client_config(settings).with_retry(probe);
    let client = IronicClient::connect(config)
        .await
        .map_err(|error| connect_diagnostic(settings, &error))?;
    Ok(client.with_retry_policy(RetryPolicy::default()))
}

/// Diagnostics never point at `password` or `token`: Terraform quotes the configuration line an
/// attribute path points at, which would show the secret. The detail names them instead.
pub fn connect_diagnostic(settings: &ProviderSettings, error: &IronicError) -> Diagnostic {
    let (attribute, hint) = match error {
        IronicError::Auth { .. } => match settings.auth {
            Auth::Token(_) => {
                return Diagnostic::error(
                    "Cannot connect to Ironic",
                    format!("{error}. Check `token` (IRONIC_TOKEN)."),
                )
            }
            Auth::Basic { .. } => (
                N.username,
                "Check `username` and `password` (IRONIC_USERNAME, IRONIC_PASSWORD).",
            ),
            Auth::None => (
                N.username,
                "This Ironic requires credentials: set `username` and `password`, or `token`.",
            ),
        },
        IronicError::CaFile(_) => (N.ca_file, "Check `ca_file`."),
        IronicError::Tls { problem, .. } if problem.contains(N.ca_file) => (N.ca_file, ""),
        IronicError::Tls { .. } => (N.ironic_url, ""),
        IronicError::VersionTooOld { .. } | IronicError::VersionTooNew { .. } => {
            (N.ironic_url, "Point `ironic_url` at a supported Ironic.")
        }
        _ => (
            N.ironic_url,
            "Check `ironic_url` (IRONIC_ENDPOINT): it must be the Ironic API root, e.g. \
             `http://127.0.0.1:6385`, and Ironic must be running.",
        ),
    };
    let detail = if hint.is_empty() {
        format!("{error}.")
    } else {
        format!("{error}. {hint}")
    };
    Diagnostic::error("Cannot connect to Ironic", detail)
        .at(AttributePath::attributes(&[attribute]))
}

/// What `configure` stored: settings (None when unknown until apply) and the engine, connected
/// at configure time or lazily on first use.
#[derive(Debug)]
struct Configured {
    settings: Option<ProviderSettings>,
    engine: OnceCell<Arc<dyn Hosts>>,
}

/// Shared by the provider hooks and every handler. The lock only guards swapping the
/// configuration; it is never held across an await.
#[derive(Debug, Default)]
pub struct ProviderState {
    configured: RwLock<Option<Arc<Configured>>>,
}

impl ProviderState {
    pub fn new() -> Arc<ProviderState> {
        Arc::new(ProviderState::default())
    }

    fn current(&self) -> Option<Arc<Configured>> {
        match self.configured.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn store(&self, configured: Arc<Configured>) {
        match self.configured.write() {
            Ok(mut guard) => *guard = Some(configured),
            Err(poisoned) => *poisoned.into_inner() = Some(configured),
        }
    }

    /// The default namespace; `None` while it is unknown (provider config known only at apply).
    pub fn namespace(&self) -> Option<String> {
        match self.current() {
            None => Some(DEFAULT_NAMESPACE.to_owned()),
            Some(c) => c.settings.as_ref().map(|s| s.namespace.clone()),
        }
    }

    /// A state already connected to `hosts` (a fake in handler tests), in `namespace`.
    #[cfg(test)]
    pub(crate) fn connected_to(hosts: Arc<dyn Hosts>, namespace: &str) -> Arc<ProviderState> {
        let state = ProviderState::new();
        state.store(Arc::new(Configured {
            settings: Some(ProviderSettings {
                ironic_url: "http://127.0.0.1:1".to_owned(),
                auth: Auth::None,
                ca_file: None,
                insecure: false,
                namespace: namespace.to_owned(),
                deploy_kernel_url: None,
                deploy_ramdisk_url: None,
                deploy_iso_url: None,
            }),
            engine: OnceCell::from(hosts),
        }));
        state
    }

    /// The host lifecycle, connecting on first use when configure could not.
    pub async fn engine(&self) -> Result<Arc<dyn Hosts>, Diagnostic> {
        let Some(configured) = self.current() else {
            return Err(Diagnostic::error(
                "Provider not configured",
                "The metal3 provider was used before Terraform configured it.",
            ));
        };
        let Some(settings) = configured.settings.clone() else {
            return Err(Diagnostic::error(
                "Provider configuration not known yet",
                "The metal3 provider's configuration depends on values known only after \
                 apply, so it cannot reach Ironic yet. Apply the resources it depends on first \
                 (e.g. with -target).",
            ));
        };
        configured
            .engine
            .get_or_try_init(|| async move {
                let client = connect(&settings).await?;
                tracing::info!(
                    "connected to Ironic at {} (API {})",
                    client.url(),
                    client.api_version()
                );
                let lifecycle = Lifecycle::new(client, lifecycle_config(&settings));
                Ok(Arc::new(lifecycle) as Arc<dyn Hosts>)
            })
            .await
            .cloned()
    }
}

fn lifecycle_config(settings: &ProviderSettings) -> LifecycleConfig {
    LifecycleConfig {
        deploy_kernel_url: settings.deploy_kernel_url.clone(),
        deploy_ramdisk_url: settings.deploy_ramdisk_url.clone(),
        deploy_iso_url: settings.deploy_iso_url.clone(),
        ..LifecycleConfig::default()
    }
}

/// The `ProviderHooks` of the metal3 provider.
pub struct Metal3Provider {
    pub state: Arc<ProviderState>,
}

#[async_trait]
impl ProviderHooks for Metal3Provider {
    async fn validate_provider_config(&self, config: &Value) -> Vec<Diagnostic> {
        validate(config)
    }

    async fn configure(&self, request: ConfigureRequest) -> Vec<Diagnostic> {
        let env = |name: &str| std::env::var(name).ok();
        let settings = match settings_from(&request.config, &env) {
            Ok(settings) => settings,
            Err(diags) => return diags,
        };
        let known = settings.is_some();
        self.state.store(Arc::new(Configured {
            settings,
            engine: OnceCell::new(),
        }));
        if !known {
            tracing::info!("provider configuration has unknown values; connecting to Ironic later");
            return Vec::new();
        }
        match self.state.engine().await {
            Ok(_) => Vec::new(),
            Err(d) => vec![d],
        }
    }
}

#[cfg(test)]
mod tests;
