//! `BmcError`, what is wrong with a BMC address or its credentials. Its own file, below the
//! families and the registry, so that each can report errors without importing the others: a
//! variant carries the list it quotes (accepted schemes, privilege levels).

/// The form every error about a malformed address shows.
pub const EXPECTED_FORM: &str = "scheme://host[:port][/path]";

#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum BmcError {
    #[error("the BMC address is empty; expected {EXPECTED_FORM}, e.g. redfish://192.168.0.10/redfish/v1/Systems/1")]
    EmptyAddress,
    #[error("unknown BMC address scheme \"{scheme}\"; accepted schemes: {}", accepted.join(", "))]
    UnknownScheme {
        scheme: String,
        accepted: &'static [String],
    },
    #[error("malformed BMC address \"{address}\": {reason}; expected {EXPECTED_FORM}")]
    Malformed { address: String, reason: String },
    #[error("BMC address \"{address}\" has no host; expected {EXPECTED_FORM}")]
    MissingHost { address: String },
    #[error("port \"{port}\" in BMC address \"{address}\" is not a number from 1 to 65535; expected {EXPECTED_FORM}")]
    BadPort { address: String, port: String },
    #[error("the BMC address must not contain credentials (user:password@host); set the BMC username and password instead")]
    CredentialsInAddress,
    #[error("the BMC {field} is empty; the {scheme} scheme needs BMC credentials")]
    MissingCredential { field: &'static str, scheme: String },
    #[error("IPMI privilege level \"{value}\" in BMC address \"{address}\" is not one of {}", allowed.join(", "))]
    BadPrivilegeLevel {
        address: String,
        value: String,
        allowed: &'static [&'static str],
    },
}
