use std::collections::HashMap;

use super::*;

fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |name: &str| map.get(name).cloned()
}

fn paths(diags: &[Diagnostic]) -> Vec<String> {
    diags
        .iter()
        .map(|d| {
            d.attribute
                .as_ref()
                .map(|p| p.to_string())
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn env_fallbacks_fill_unset_arguments() {
    let config = Value::object([("namespace", Value::from("lab"))]);
    let settings = settings_from(
        &config,
        &env(&[
            ("IRONIC_ENDPOINT", "http://127.0.0.1:6385"),
            ("IRONIC_USERNAME", "u"),
            ("IRONIC_PASSWORD", "p"),
            ("DEPLOY_KERNEL_URL", "http://x/k"),
            ("DEPLOY_RAMDISK_URL", ""),
        ]),
    )
    .unwrap()
    .unwrap();
    assert_eq!(settings.ironic_url, "http://127.0.0.1:6385");
    assert_eq!(
        settings.auth,
        Auth::Basic {
            username: "u".into(),
            password: Secret::new("p")
        }
    );
    assert_eq!(settings.namespace, "lab");
    assert_eq!(settings.deploy_kernel_url.as_deref(), Some("http://x/k"));
    // Empty environment values count as unset.
    assert_eq!(settings.deploy_ramdisk_url, None);
    assert!(!format!("{settings:?}").contains("\"p\""));
}

#[test]
fn config_wins_over_env_and_defaults_apply() {
    let config = Value::object([
        ("ironic_url", Value::from("https://ironic:6385")),
        ("token", Value::from("t0k")),
    ]);
    let settings = settings_from(&config, &env(&[("IRONIC_ENDPOINT", "http://other")]))
        .unwrap()
        .unwrap();
    assert_eq!(settings.ironic_url, "https://ironic:6385");
    assert_eq!(settings.auth, Auth::Token(Secret::new("t0k")));
    assert_eq!(settings.namespace, DEFAULT_NAMESPACE);
    assert!(!settings.insecure);
}

#[test]
fn missing_url_conflicts_and_unknowns() {
    let errors =
        settings_from(&Value::object([("namespace", Value::Null)]), &env(&[])).unwrap_err();
    assert_eq!(paths(&errors), ["ironic_url"]);

    let config = Value::object([("ironic_url", Value::from("http://i:6385"))]);
    let errors = settings_from(
        &config,
        &env(&[("IRONIC_TOKEN", "t"), ("IRONIC_USERNAME", "u")]),
    )
    .unwrap_err();
    assert_eq!(paths(&errors), ["username"], "never at the secret `token`");

    let errors = settings_from(&config, &env(&[("IRONIC_USERNAME", "u")])).unwrap_err();
    assert_eq!(paths(&errors), ["password"]);

    let bad_url = Value::object([("ironic_url", Value::from("ironic:6385"))]);
    let errors = settings_from(&bad_url, &env(&[])).unwrap_err();
    assert_eq!(paths(&errors), ["ironic_url"]);
    assert!(errors[0].detail.contains("http://"));

    let unknown = Value::object([("ironic_url", Value::unknown())]);
    assert_eq!(settings_from(&unknown, &env(&[])).unwrap(), None);
}

#[test]
fn validate_warns_about_insecure() {
    let config = Value::object([
        ("insecure", Value::from(true)),
        ("namespace", Value::from("Bad")),
    ]);
    let diags = validate(&config);
    assert_eq!(paths(&diags), ["insecure", "namespace"]);
    assert!(!diags[0].is_error());
    assert!(diags[1].is_error());
}

#[tokio::test]
async fn wrong_url_is_one_diagnostic_on_ironic_url() {
    // A port nothing listens on: bind one, then drop it.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let state = ProviderState::new();
    let provider = Metal3Provider {
        state: state.clone(),
    };
    let config = Value::object([
        (
            "ironic_url",
            Value::from(format!("http://127.0.0.1:{port}")),
        ),
        ("password", Value::from("hunter2")),
        ("username", Value::from("u")),
    ]);
    let diags = provider
        .configure(ConfigureRequest {
            terraform_version: "1.15.0".into(),
            config,
            client_capabilities: Default::default(),
        })
        .await;
    assert_eq!(paths(&diags), ["ironic_url"]);
    assert_eq!(diags[0].summary, "Cannot connect to Ironic");
    assert!(diags[0].detail.contains(&port.to_string()));
    assert!(!diags[0].detail.contains("hunter2"));
    // Later use reports the same failure rather than panicking.
    assert!(state.engine().await.is_err());
}

#[tokio::test]
async fn unknown_config_defers_connecting() {
    let state = ProviderState::new();
    let provider = Metal3Provider {
        state: state.clone(),
    };
    let diags = provider
        .configure(ConfigureRequest {
            terraform_version: "1.15.0".into(),
            config: Value::object([("ironic_url", Value::unknown())]),
            client_capabilities: Default::default(),
        })
        .await;
    assert!(diags.is_empty());
    assert_eq!(state.namespace(), None);
    let err = state.engine().await.unwrap_err();
    assert!(err.summary.contains("not known"));
}

#[test]
fn auth_failures_never_point_at_the_secret() {
    let auth_error = || IronicError::Auth {
        status: 401,
        request: "GET /v1".into(),
        message: "Unauthorized".into(),
        hint: "",
    };
    let config = Value::object([
        ("ironic_url", Value::from("http://i:6385")),
        ("username", Value::from("u")),
        ("password", Value::from("hunter2")),
    ]);
    let basic = settings_from(&config, &env(&[])).unwrap().unwrap();
    let diag = connect_diagnostic(&basic, &auth_error());
    assert_eq!(paths(std::slice::from_ref(&diag)), ["username"]);
    assert!(diag.detail.contains("`password`") && !diag.detail.contains("hunter2"));

    let config = Value::object([
        ("ironic_url", Value::from("http://i:6385")),
        ("token", Value::from("t0k")),
    ]);
    let token = settings_from(&config, &env(&[])).unwrap().unwrap();
    let diag = connect_diagnostic(&token, &auth_error());
    assert_eq!(diag.attribute, None);
    assert!(diag.detail.contains("`token`") && !diag.detail.contains("t0k"));
}

#[test]
fn ironic_sees_the_provider_as_its_user_agent() {
    let config = Value::object([("ironic_url", Value::from("http://127.0.0.1:6385"))]);
    let settings = settings_from(&config, &env(&[])).unwrap().unwrap();
    let agent = client_config(&settings).user_agent;
    assert_eq!(
        agent,
        format!(
            "terraform-provider-metal3/{}",
            crate::provider::INFO.version
        )
    );
}

#[test]
fn no_provider_block_reads_the_environment() {
    let settings = settings_from(
        &Value::Null,
        &env(&[("IRONIC_ENDPOINT", "http://127.0.0.1:6385")]),
    )
    .unwrap()
    .unwrap();
    assert_eq!(settings.ironic_url, "http://127.0.0.1:6385");
    assert!(validate(&Value::Null).is_empty());
}
