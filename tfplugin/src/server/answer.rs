//! The one way every RPC fails: a step that cannot go on returns a [`Failure`] (diagnostics),
//! and [`answer`] (or [`answer_stream`]) turns it into the response Terraform reads, each
//! response shape saying once, in [`Reply`], where its diagnostics go. Failures travel as
//! diagnostics, never as gRPC errors: Terraform shows those as "Plugin error" without detail.
//! Functions are the exception the protocol makes: a call fails with a `FunctionError`
//! (`functions.rs`), which has no diagnostics.

use std::pin::Pin;

use futures::Stream;
use tonic::{Response, Status};

use crate::diagnostics::Diagnostic;
use crate::proto::tfplugin6 as pb;

use super::convert::diagnostics;

pub type Rpc<T> = Result<Response<T>, Status>;
pub type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

pub fn ok<T>(t: T) -> Rpc<T> {
    Ok(Response::new(t))
}

/// Why an RPC answers with diagnostics only.
#[derive(Debug)]
pub struct Failure(pub Vec<Diagnostic>);

impl From<Diagnostic> for Failure {
    fn from(d: Diagnostic) -> Failure {
        Failure(vec![d])
    }
}

impl From<Vec<Diagnostic>> for Failure {
    fn from(ds: Vec<Diagnostic>) -> Failure {
        Failure(ds)
    }
}

impl Failure {
    /// A request for a type this provider does not serve.
    pub fn unknown_type(kind: &str, type_name: &str) -> Failure {
        Diagnostic::error(
            format!("Unknown {kind} type"),
            format!("This provider has no {kind} type named \"{type_name}\"."),
        )
        .into()
    }

    /// A request for a feature this provider does not implement.
    pub fn not_supported(what: &str) -> Failure {
        Diagnostic::error(
            format!("{what} not supported"),
            format!("This provider does not implement {what}."),
        )
        .into()
    }
}

/// A response (or a stream's event) that carries diagnostics: what it is when there is nothing
/// else to say.
pub trait Reply: Sized {
    fn with_diagnostics(diagnostics: Vec<pb::Diagnostic>) -> Self;
}

macro_rules! replies {
    ($($response:ty),+ $(,)?) => {
        $(impl Reply for $response {
            // Some responses have no other field.
            #[allow(clippy::needless_update)]
            fn with_diagnostics(diagnostics: Vec<pb::Diagnostic>) -> Self {
                Self { diagnostics, ..Self::default() }
            }
        })+
    };
}

replies!(
    pb::validate_provider_config::Response,
    pb::configure_provider::Response,
    pb::validate_resource_config::Response,
    pb::read_resource::Response,
    pb::plan_resource_change::Response,
    pb::apply_resource_change::Response,
    pb::import_resource_state::Response,
    pb::upgrade_resource_state::Response,
    pb::upgrade_resource_identity::Response,
    pb::move_resource_state::Response,
    pb::generate_resource_config::Response,
    pb::validate_data_resource_config::Response,
    pb::read_data_source::Response,
    pb::validate_list_resource_config::Response,
    pb::validate_action_config::Response,
    pb::plan_action::Response,
    pb::validate_ephemeral_resource_config::Response,
    pb::open_ephemeral_resource::Response,
    pb::renew_ephemeral_resource::Response,
    pb::close_ephemeral_resource::Response,
    pb::validate_state_store::Response,
    pb::configure_state_store::Response,
    pb::read_state_bytes::Response,
    pb::write_state_bytes::Response,
    pb::get_states::Response,
    pb::delete_state::Response,
);

/// A list's failure is one event holding the diagnostics: Terraform stops at its error.
impl Reply for pb::list_resource::Event {
    fn with_diagnostics(diagnostic: Vec<pb::Diagnostic>) -> Self {
        pb::list_resource::Event {
            diagnostic,
            ..Default::default()
        }
    }
}

/// An action's stream ends with `Completed`, failed or not: Terraform cannot handle an event
/// without a type.
impl Reply for pb::invoke_action::Event {
    fn with_diagnostics(diagnostics: Vec<pb::Diagnostic>) -> Self {
        use pb::invoke_action::event::{Completed, Type};
        pb::invoke_action::Event {
            r#type: Some(Type::Completed(Completed { diagnostics })),
        }
    }
}

/// The response, or the failure in its place.
pub fn answer<T: Reply>(result: Result<T, Failure>) -> Rpc<T> {
    ok(result.unwrap_or_else(|Failure(found)| T::with_diagnostics(diagnostics(&found))))
}

/// The stream, or one item holding the failure: every stream ends.
pub fn answer_stream<T: Reply + Send + 'static>(
    result: Result<BoxStream<T>, Failure>,
) -> Rpc<BoxStream<T>> {
    ok(result.unwrap_or_else(|Failure(found)| {
        let item = T::with_diagnostics(diagnostics(&found));
        Box::pin(futures::stream::iter([Ok(item)]))
    }))
}
