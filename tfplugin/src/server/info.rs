//! `ProviderInfo`, the provider's identity as data: `run` takes it, and the handshake and
//! logging read it.

/// Which provider is served: data the protocol layer needs but must not know by heart.
#[derive(Debug, Clone, Copy)]
pub struct ProviderInfo {
    /// Registry address, e.g. `registry.terraform.io/metal3-io/metal3` (printed for
    /// TF_REATTACH_PROVIDERS in debug mode).
    pub address: &'static str,
    /// Binary name, e.g. `terraform-provider-metal3`.
    pub binary: &'static str,
    pub version: &'static str,
    /// One line on what the provider manages, for someone who runs the binary by hand.
    pub about: &'static str,
    /// Crates (tracing targets) logged at TF_LOG_PROVIDER's level; others stay at warn.
    pub log_targets: &'static [&'static str],
}
