//! Features no handler provides: ephemeral resources, state stores, generating resource
//! configuration. Each answers with an error naming what was asked, through the same
//! [`Failure`] as every other RPC; streams end after it.

use super::answer::Failure;

pub fn ephemeral(type_name: &str) -> Failure {
    Failure::unknown_type("ephemeral resource", type_name)
}

pub fn state_store(type_name: &str) -> Failure {
    Failure::unknown_type("state store", type_name)
}

pub fn state_storage() -> Failure {
    Failure::not_supported("state storage")
}

pub fn generate_resource_config() -> Failure {
    Failure::not_supported("generating resource configuration")
}
