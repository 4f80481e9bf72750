//! The smallest whole provider written with tfplugin: `hello_greeting`, two arguments (`name`,
//! and `language` with a declared default whose change replaces the greeting) and one computed
//! attribute (`text`, "Hello, <name>!"). No remote system: the state is the object itself.
//!
//! Build it with `cargo build -p tfplugin --example hello_provider`, place the binary in a
//! filesystem mirror as `registry.terraform.io/example/hello/0.1.0/<os>_<arch>/
//! terraform-provider-hello_v0.1.0`, and Terraform runs it like any provider
//! (acceptance-tests/tests/test_tfplugin_example.py does exactly that).

use std::sync::Arc;

use async_trait::async_trait;
use tfplugin::codec::Value;
use tfplugin::diagnostics::Diagnostic;
use tfplugin::schema::{values, Attribute, Block, Schema};
use tfplugin::server::handlers::{
    ApplyRequest, ApplyResponse, ConfigureRequest, Declaration, PlanRequest, PlanResponse,
    ProviderHooks, ReadRequest, ReadResponse, ResourceHandler,
};
use tfplugin::server::registry::Registry;
use tfplugin::server::ProviderInfo;

const INFO: ProviderInfo = ProviderInfo {
    address: "registry.terraform.io/example/hello",
    binary: "terraform-provider-hello",
    version: "0.1.0",
    about: "an example provider of the tfplugin crate",
    log_targets: &["hello_provider", "tfplugin"],
};

/// The provider block takes nothing.
struct Hooks;

#[async_trait]
impl ProviderHooks for Hooks {
    async fn configure(&self, _request: ConfigureRequest) -> Vec<Diagnostic> {
        Vec::new()
    }
}

struct Greeting {
    declaration: Declaration,
}

impl Greeting {
    fn new() -> Greeting {
        let attributes = vec![
            Attribute::string(
                "name",
                "Who to greet. Changing it changes the greeting in place.",
            )
            .required(),
            Attribute::string(
                "language",
                "`en` or `fr`; defaults to `en`. Changing it replaces the greeting.",
            )
            .default("en")
            .requires_replace(),
            Attribute::string("text", "The greeting.").computed(),
        ];
        let schema = Schema::new(0, Block::new("A greeting.").with_attributes(attributes));
        Greeting {
            declaration: Declaration::new("hello_greeting", schema),
        }
    }
}

fn greeting(language: &str, name: &str) -> String {
    match language {
        "fr" => format!("Bonjour, {name} !"),
        _ => format!("Hello, {name}!"),
    }
}

/// The greeting for a state's `language` and `name`, if both are known.
fn text_of(state: &Value) -> Option<String> {
    let language = state.get("language").and_then(Value::as_str)?;
    let name = state.get("name").and_then(Value::as_str)?;
    Some(greeting(language, name))
}

#[async_trait]
impl ResourceHandler for Greeting {
    fn declaration(&self) -> &Declaration {
        &self.declaration
    }

    async fn plan(&self, request: PlanRequest) -> PlanResponse {
        let block = &self.declaration.schema().block;
        let mut planned = request.proposed_new_state;
        if !planned.is_null() {
            // The schema's defaults go into the plan, so it shows what apply will use.
            values::apply_defaults(block, &request.config, &mut planned);
            // The text follows the arguments: known when they are, else only after apply.
            let text = text_of(&planned).map_or_else(Value::unknown, Value::from);
            planned.set_attr("text", text);
        }
        PlanResponse {
            requires_replace: values::requires_replace(block, &request.prior_state, &planned),
            planned_state: planned,
            ..PlanResponse::default()
        }
    }

    async fn apply(&self, request: ApplyRequest) -> ApplyResponse {
        let mut state = request.planned_state;
        if let Some(text) = text_of(&state) {
            state.set_attr("text", text);
        }
        ApplyResponse {
            new_state: state,
            ..ApplyResponse::default()
        }
    }

    async fn read(&self, request: ReadRequest) -> ReadResponse {
        ReadResponse {
            new_state: request.current_state,
            private: request.private,
            ..ReadResponse::default()
        }
    }
}

fn main() {
    tfplugin::server::run(INFO, || {
        Registry::new(Schema::new(0, Block::new("No settings.")), Arc::new(Hooks))
            .with_resource(Arc::new(Greeting::new()))
    })
}
