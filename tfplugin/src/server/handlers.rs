//! The extension points: what the provider itself, a resource, a data source, a list resource
//! and an action implement (functions: `crate::function`). Every type declares its name, schema,
//! checks and docs once in a [`Declaration`], which each kind's trait returns beside its
//! operations. The server's feature modules (`resources.rs`, `data_sources.rs`, ...) decode
//! requests into codec `Value`s, call these, and encode the answers; handlers never see
//! protobuf.

use std::sync::Arc;

use async_trait::async_trait;
use tokio_util::sync::CancellationToken;

use crate::codec::Value;
use crate::diagnostics::Diagnostic;
use crate::schema::{IdentitySchema, Schema};

use super::schema_checks;

/// What Terraform told us it can handle (tfplugin6 `ClientCapabilities`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientCapabilities {
    pub deferral_allowed: bool,
    pub write_only_attributes_allowed: bool,
}

/// Checks of a configuration beyond the schema's. The server runs the schema-level ones
/// (required attributes, write-only rules) first; the configuration may contain unknowns.
/// Validation is pure: Terraform validates before the provider is configured.
pub type Validator = Arc<dyn Fn(&Value) -> Vec<Diagnostic> + Send + Sync>;

/// What every resource, data source, list resource and action declares once, and the server
/// and the docs read from it: its name, the schema of its values (a resource's state, the
/// configuration of the others), its checks, and the prose of its registry page.
#[derive(Clone)]
pub struct Declaration {
    type_name: String,
    schema: Schema,
    validator: Option<Validator>,
    doc_template: Option<&'static str>,
}

impl Declaration {
    pub fn new(type_name: impl Into<String>, schema: Schema) -> Declaration {
        Declaration {
            type_name: type_name.into(),
            schema,
            validator: None,
            doc_template: None,
        }
    }

    pub fn with_validator(
        mut self,
        validator: impl Fn(&Value) -> Vec<Diagnostic> + Send + Sync + 'static,
    ) -> Declaration {
        self.validator = Some(Arc::new(validator));
        self
    }

    /// Markdown for the type's registry page, around the reference generated from the schema:
    /// `{{reference}}` (and `{{identity}}` for a resource with an identity) mark where it goes.
    /// Without it the page is the reference alone.
    pub fn with_doc(mut self, template: &'static str) -> Declaration {
        self.doc_template = Some(template);
        self
    }

    pub fn type_name(&self) -> &str {
        &self.type_name
    }

    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    pub fn doc_template(&self) -> Option<&str> {
        self.doc_template
    }

    /// The type's own checks of `config` (none without a validator).
    pub fn validate(&self, config: &Value) -> Vec<Diagnostic> {
        self.validator
            .as_ref()
            .map(|check| check(config))
            .unwrap_or_default()
    }
}

impl std::fmt::Debug for Declaration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Declaration")
            .field("type_name", &self.type_name)
            .field("validator", &self.validator.is_some())
            .finish_non_exhaustive()
    }
}

/// Provider-level hooks: the `provider` block's validation and configuration. Implementations
/// share what `configure` builds (e.g. an API client) with their handlers through an `Arc`.
#[async_trait]
pub trait ProviderHooks: Send + Sync {
    /// Beyond the schema-level checks the server already ran.
    async fn validate_provider_config(&self, _config: &Value) -> Vec<Diagnostic> {
        Vec::new()
    }

    /// Called once per process, before any resource operation. `config` may contain unknowns
    /// (values known only after another resource is applied).
    async fn configure(&self, request: ConfigureRequest) -> Vec<Diagnostic>;
}

#[derive(Debug, Clone)]
pub struct ConfigureRequest {
    pub terraform_version: String,
    pub config: Value,
    pub client_capabilities: ClientCapabilities,
}

#[derive(Debug, Clone)]
pub struct PlanRequest {
    /// Null on create.
    pub prior_state: Value,
    /// Terraform's proposed new state with the schema's rules applied ([`rules::plan`]):
    /// defaults written in, write-only values nulled, computed values left unset made unknown
    /// when the object changes. Null on destroy (we advertise `plan_destroy`); the planned
    /// state must then be null too.
    ///
    /// [`rules::plan`]: crate::model::rules::plan
    pub proposed_new_state: Value,
    /// The schema's verdict on replacement: `requires_replace` attributes whose planned value
    /// differs from the prior one. The response's list is final, so a resource returns this
    /// one, adds to it or (knowing better, e.g. a value renamed behind Terraform's back that
    /// apply puts back) leaves a path out.
    pub requires_replace: Vec<crate::codec::AttributePath>,
    pub config: Value,
    pub prior_private: Vec<u8>,
    pub prior_identity: Option<Value>,
    pub client_capabilities: ClientCapabilities,
}

#[derive(Debug, Clone, Default)]
pub struct PlanResponse {
    pub planned_state: Value,
    /// Attributes whose change forces replacement; Terraform keeps those that actually differ.
    pub requires_replace: Vec<crate::codec::AttributePath>,
    pub planned_private: Vec<u8>,
    pub planned_identity: Option<Value>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone)]
pub struct ApplyRequest {
    /// Null on create.
    pub prior_state: Value,
    /// Null on destroy.
    pub planned_state: Value,
    /// Carries write-only values (they are null in `planned_state`).
    pub config: Value,
    pub planned_private: Vec<u8>,
    pub planned_identity: Option<Value>,
    /// Cancelled when Terraform calls StopProvider (Ctrl-C): stop waiting, return partial state.
    pub cancel: CancellationToken,
}

#[derive(Debug, Clone, Default)]
pub struct ApplyResponse {
    /// On error: the partial state (Terraform saves it). On destroy: null.
    pub new_state: Value,
    pub private: Vec<u8>,
    pub new_identity: Option<Value>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone)]
pub struct ReadRequest {
    pub current_state: Value,
    pub private: Vec<u8>,
    pub current_identity: Option<Value>,
    pub client_capabilities: ClientCapabilities,
    pub cancel: CancellationToken,
}

#[derive(Debug, Clone, Default)]
pub struct ReadResponse {
    /// Null: the remote object is gone and Terraform drops it from state.
    pub new_state: Value,
    pub private: Vec<u8>,
    pub new_identity: Option<Value>,
    pub diagnostics: Vec<Diagnostic>,
}

/// How the user asked to import: `terraform import ADDR ID` / `import { id = ... }`, or
/// `import { identity = {...} }` (Terraform >= 1.12).
#[derive(Debug, Clone)]
pub enum ImportBy {
    Id(String),
    Identity(Value),
}

#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub by: ImportBy,
    pub client_capabilities: ClientCapabilities,
    pub cancel: CancellationToken,
}

#[derive(Debug, Clone, Default)]
pub struct ImportedResource {
    pub state: Value,
    pub private: Vec<u8>,
    pub identity: Option<Value>,
}

#[derive(Debug, Clone, Default)]
pub struct ImportResponse {
    pub imported: Vec<ImportedResource>,
    pub diagnostics: Vec<Diagnostic>,
}

/// One managed resource type; its schema is the schema of its state.
#[async_trait]
pub trait ResourceHandler: Send + Sync {
    fn declaration(&self) -> &Declaration;

    fn identity_schema(&self) -> Option<&IdentitySchema> {
        None
    }

    async fn plan(&self, request: PlanRequest) -> PlanResponse;
    async fn apply(&self, request: ApplyRequest) -> ApplyResponse;
    async fn read(&self, request: ReadRequest) -> ReadResponse;

    async fn import(&self, _request: ImportRequest) -> ImportResponse {
        ImportResponse {
            imported: Vec::new(),
            diagnostics: vec![Diagnostic::error(
                "Import not supported",
                format!("{} cannot be imported.", self.declaration().type_name()),
            )],
        }
    }

    /// Turns stored state (`RawState.json`, written with schema `version`) into a value of the
    /// current schema. The default handles same-shape state: attributes the schema no longer
    /// has are dropped, missing ones become null.
    async fn upgrade_state(&self, raw_json: &[u8], version: i64) -> Result<Value, Vec<Diagnostic>> {
        schema_checks::upgrade_json_state(self.declaration().schema(), raw_json, version)
    }
}

/// One data source type.
#[async_trait]
pub trait DataSourceHandler: Send + Sync {
    fn declaration(&self) -> &Declaration;

    /// Returns the full state (config plus computed attributes) and diagnostics.
    async fn read(&self, config: Value, cancel: CancellationToken) -> (Value, Vec<Diagnostic>);
}

/// A `list` block's request (`terraform query`, Terraform >= 1.14).
#[derive(Debug, Clone)]
pub struct ListRequest {
    /// The list block's `config`, of the handler's schema; known (Terraform evaluates it first).
    pub config: Value,
    /// Terraform wants each result's full resource object (`include_resource = true`, or
    /// `-generate-config-out`).
    pub include_resource_object: bool,
    /// Most results Terraform wants; the server ends the stream there, and the handler may
    /// stop looking sooner.
    pub limit: Option<usize>,
    /// The schema of the managed resource type the results are instances of: each result's
    /// `resource_object` is a value of it.
    pub resource_schema: Schema,
    pub cancel: CancellationToken,
}

/// One result: an instance of the managed resource type of the same name.
#[derive(Debug, Clone, Default)]
pub struct ListedResource {
    /// Of the resource's identity schema: what an `import` block's `identity` takes.
    pub identity: Value,
    /// What a person reading the list recognises the instance by.
    pub display_name: String,
    /// The state a Read would produce, when the request asked for it.
    pub resource_object: Option<Value>,
    /// An error ends the list (Terraform stops reading at the first).
    pub diagnostics: Vec<Diagnostic>,
}

/// Where a list handler sends its results. `send` fails once Terraform has what it wants (the
/// limit reached, or the query stopped): the handler then stops.
pub type ListResults = tokio::sync::mpsc::Sender<ListedResource>;

/// A list resource: finds the remote objects of a managed resource type, so that `terraform
/// query` can show them and generate the configuration and `import` blocks that adopt them.
///
/// Its type name is the managed resource type's (which must have an identity); its schema is
/// the list block's `config`.
#[async_trait]
pub trait ListResourceHandler: Send + Sync {
    fn declaration(&self) -> &Declaration;

    /// Sends the results, in a stable order, until there are no more or `results` is closed.
    async fn list(&self, request: ListRequest, results: ListResults);
}

/// An action invocation (`terraform apply -invoke=action.<type>.<name>`, or an
/// `action_trigger` in a resource's lifecycle; Terraform >= 1.14).
#[derive(Debug, Clone)]
pub struct InvokeRequest {
    /// The action's `config`, known.
    pub config: Value,
    /// Cancelled when Terraform calls StopProvider (Ctrl-C).
    pub cancel: CancellationToken,
}

/// Where an action reports progress: each message is shown as the action runs.
pub type ActionProgress = tokio::sync::mpsc::Sender<String>;

/// An operation on remote objects that is not part of any resource's state: Terraform plans it
/// (the handler checks its configuration) and invokes it. Its schema is the action's `config`.
#[async_trait]
pub trait ActionHandler: Send + Sync {
    fn declaration(&self) -> &Declaration;

    /// Runs the action; the diagnostics say how it ended (errors: it failed).
    async fn invoke(&self, request: InvokeRequest, progress: ActionProgress) -> Vec<Diagnostic>;
}
