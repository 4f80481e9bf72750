//! Schema-only handlers, registered until the real resource and data sources land.
//! NOT IMPLEMENTED YET: plan works (echoes the proposal, unknown computed attributes); apply,
//! read, import and data source reads return an error diagnostic.

use async_trait::async_trait;
use tokio_util::sync::CancellationToken;

use crate::codec::{AttributePath, Value};
use crate::diagnostics::Diagnostic;
use crate::schema::{self, IdentitySchema, Schema};

use super::handlers::*;
use super::schema_checks::plan_unknown_computed;

fn not_implemented(what: &str) -> Diagnostic {
    Diagnostic::error(
        "Not implemented yet",
        format!("{what} is not implemented yet in this build of the metal3 provider."),
    )
}

pub struct SchemaOnlyProvider;

#[async_trait]
impl ProviderHooks for SchemaOnlyProvider {
    async fn configure(&self, _request: ConfigureRequest) -> Vec<Diagnostic> {
        Vec::new()
    }
}

pub struct SchemaOnlyResource {
    pub type_name: String,
    pub schema: Schema,
    pub identity: Option<IdentitySchema>,
    pub requires_replace: Vec<AttributePath>,
}

impl SchemaOnlyResource {
    pub fn baremetal_host() -> SchemaOnlyResource {
        use schema::baremetal_host as bh;
        SchemaOnlyResource {
            type_name: bh::TYPE_NAME.to_string(),
            schema: bh::schema(),
            identity: Some(bh::identity()),
            requires_replace: bh::REQUIRES_REPLACE
                .iter()
                .map(|p| {
                    AttributePath(
                        p.iter()
                            .map(|s| crate::codec::PathStep::Attribute(s.to_string()))
                            .collect(),
                    )
                })
                .collect(),
        }
    }
}

#[async_trait]
impl ResourceHandler for SchemaOnlyResource {
    fn type_name(&self) -> &str {
        &self.type_name
    }
    fn schema(&self) -> &Schema {
        &self.schema
    }
    fn identity_schema(&self) -> Option<&IdentitySchema> {
        self.identity.as_ref()
    }

    async fn plan(&self, request: PlanRequest) -> PlanResponse {
        if request.proposed_new_state.is_null() {
            return PlanResponse::default();
        }
        PlanResponse {
            planned_state: plan_unknown_computed(&self.schema.block, &request.proposed_new_state),
            requires_replace: if request.prior_state.is_null() {
                Vec::new()
            } else {
                self.requires_replace.clone()
            },
            planned_private: request.prior_private,
            ..PlanResponse::default()
        }
    }

    async fn apply(&self, request: ApplyRequest) -> ApplyResponse {
        ApplyResponse {
            new_state: request.prior_state,
            diagnostics: vec![not_implemented(&format!("Applying {}", self.type_name))],
            ..ApplyResponse::default()
        }
    }

    async fn read(&self, request: ReadRequest) -> ReadResponse {
        ReadResponse {
            new_state: request.current_state,
            private: request.private,
            new_identity: request.current_identity,
            diagnostics: vec![not_implemented(&format!("Reading {}", self.type_name))],
        }
    }
}

pub struct SchemaOnlyDataSource {
    pub type_name: String,
    pub schema: Schema,
}

#[async_trait]
impl DataSourceHandler for SchemaOnlyDataSource {
    fn type_name(&self) -> &str {
        &self.type_name
    }
    fn schema(&self) -> &Schema {
        &self.schema
    }
    async fn read(&self, _config: Value, _cancel: CancellationToken) -> (Value, Vec<Diagnostic>) {
        (
            Value::Null,
            vec![not_implemented(&format!(
                "Reading data source {}",
                self.type_name
            ))],
        )
    }
}

/// The registry `main` serves until the real handlers are wired in.
pub fn registry() -> super::registry::Registry {
    let mut r = super::registry::Registry::new(
        schema::provider_config(),
        std::sync::Arc::new(SchemaOnlyProvider),
    )
    .with_resource(std::sync::Arc::new(SchemaOnlyResource::baremetal_host()));
    for (name, schema) in schema::data_sources() {
        r = r.with_data_source(std::sync::Arc::new(SchemaOnlyDataSource {
            type_name: name.to_string(),
            schema,
        }));
    }
    r
}
