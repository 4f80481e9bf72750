//! `provider "metal3" {}`: where Ironic is and how to talk to it.

use tfplugin::model::{Known, Model};

use crate::schema::Schema;

/// Namespace used when neither the provider nor a resource sets one.
pub const DEFAULT_NAMESPACE: &str = "metal3";

const N: ProviderConfigNames = ProviderConfig::NAMES;

/// Provider arguments that fall back to an environment variable when unset in configuration.
pub const ENV_FALLBACKS: &[(&str, &str)] = &[
    (N.ironic_url, "IRONIC_ENDPOINT"),
    (N.username, "IRONIC_USERNAME"),
    (N.password, "IRONIC_PASSWORD"),
    (N.token, "IRONIC_TOKEN"),
    (N.deploy_kernel_url, "DEPLOY_KERNEL_URL"),
    (N.deploy_ramdisk_url, "DEPLOY_RAMDISK_URL"),
    (N.deploy_iso_url, "DEPLOY_ISO_URL"),
];

/// The environment variable an argument falls back to, if any.
pub fn env_fallback(argument: &str) -> Option<&'static str> {
    ENV_FALLBACKS
        .iter()
        .find(|(arg, _)| *arg == argument)
        .map(|(_, env)| *env)
}

fn with_env(argument: &str, description: &str) -> String {
    match env_fallback(argument) {
        Some(env) => format!("{description} Falls back to the `{env}` environment variable."),
        None => description.to_owned(),
    }
}

/// Manages bare-metal hosts through an OpenStack Ironic API with Metal3 BareMetalHost
/// semantics, without Kubernetes.
#[derive(Debug, Clone, Default, PartialEq, Model)]
pub struct ProviderConfig {
    #[tf(
        optional,
        description = with_env(
            N.ironic_url,
            "Root URL of the Ironic API, e.g. `http://127.0.0.1:6385` or \
             `https://ironic.example.com:6385`. Configuring the provider checks that Ironic \
             answers and supports a recent enough API microversion. Required, either here or \
             in the environment.",
        )
    )]
    pub ironic_url: Option<Known<String>>,
    #[tf(
        optional,
        description = with_env(
            N.username,
            "User name for HTTP basic authentication to Ironic. Set together with `password`; \
             conflicts with `token`.",
        )
    )]
    pub username: Option<Known<String>>,
    #[tf(
        optional,
        sensitive,
        description = with_env(
            N.password,
            "Password for HTTP basic authentication to Ironic. Never logged or shown in plans.",
        )
    )]
    pub password: Option<Known<String>>,
    #[tf(
        optional,
        sensitive,
        description = with_env(
            N.token,
            "Bearer token sent as `Authorization: Bearer <token>` (e.g. a Keystone or \
             reverse-proxy token). Conflicts with `username`/`password`. Never logged or shown \
             in plans.",
        )
    )]
    pub token: Option<Known<String>>,
    /// Path to a PEM file of CA certificates trusted for Ironic's TLS certificate, in addition
    /// to the system roots.
    #[tf(optional)]
    pub ca_file: Option<Known<String>>,
    /// Skip verification of Ironic's TLS certificate. Defaults to `false`; must be set
    /// explicitly, and the provider warns on every run while it is `true`. Does not affect BMC
    /// certificate checks (see `bmc.disable_certificate_verification` on the resource).
    #[tf(optional)]
    pub insecure: Option<Known<bool>>,
    #[tf(
        optional,
        description = format!(
            "Default namespace of hosts that do not set their own. Ironic node names are \
             `<namespace>~<name>`, as in Metal3. Defaults to `\"{DEFAULT_NAMESPACE}\"`. \
             Changing it replaces every host that relies on it."
        )
    )]
    pub namespace: Option<Known<String>>,
    #[tf(
        optional,
        description = with_env(
            N.deploy_kernel_url,
            "URL of the Ironic Python Agent kernel, written to each node's \
             `driver_info.deploy_kernel`. Needed by network-booting BMC schemes (`ipmi`, \
             `redfish`, `idrac-redfish`, `ilo4`, `ilo5`, `irmc`, and `fake` with agent \
             inspection).",
        )
    )]
    pub deploy_kernel_url: Option<Known<String>>,
    #[tf(
        optional,
        description = with_env(
            N.deploy_ramdisk_url,
            "URL of the Ironic Python Agent initramfs, written to each node's \
             `driver_info.deploy_ramdisk`. Set together with `deploy_kernel_url`.",
        )
    )]
    pub deploy_ramdisk_url: Option<Known<String>>,
    #[tf(
        optional,
        description = with_env(
            N.deploy_iso_url,
            "URL of the Ironic Python Agent ISO, written to each node's \
             `driver_info.deploy_iso`. Needed by virtual-media BMC schemes \
             (`redfish-virtualmedia`, `idrac-virtualmedia`, `ilo4-virtualmedia`, \
             `ilo5-virtualmedia`) unless kernel and ramdisk are set.",
        )
    )]
    pub deploy_iso_url: Option<Known<String>>,
}

pub fn schema() -> Schema {
    ProviderConfig::schema(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_config_arguments() {
        let p = schema();
        let names: Vec<_> = p.block.attributes.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "ironic_url",
                "username",
                "password",
                "token",
                "ca_file",
                "insecure",
                "namespace",
                "deploy_kernel_url",
                "deploy_ramdisk_url",
                "deploy_iso_url"
            ]
        );
        assert!(p.block.attributes.iter().all(|a| a.optional && !a.required));
        assert!(p.block.attribute("password").unwrap().sensitive);
        assert!(p.block.attribute("token").unwrap().sensitive);
        for (arg, env) in ENV_FALLBACKS {
            assert!(p.block.attribute(arg).unwrap().description.contains(env));
        }
    }
}
