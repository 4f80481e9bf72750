//! The smallest whole provider written with tfplugin: `hello_greeting`, two arguments (`name`,
//! and `language` with a declared default whose change replaces the greeting) and one computed
//! attribute (`text`, "Hello, <name>!"). No remote system: the state is the object itself.
//!
//! The resource is one struct, `Greeting`: `#[derive(Model)]` makes it the schema, the reader of
//! plans and the writer of states, and carries its rules (the default, the allowed languages,
//! the replacement), which the server runs for every resource. The handler only computes the text.
//!
//! Build it with `cargo build -p tfplugin --example hello_provider`, place the binary in a
//! filesystem mirror as `registry.terraform.io/example/hello/0.1.0/<os>_<arch>/
//! terraform-provider-hello_v0.1.0`, and Terraform runs it like any provider
//! (acceptance-tests/tests/test_tfplugin_example.py does exactly that).

use std::sync::Arc;

use async_trait::async_trait;
use tfplugin::codec::Value;
use tfplugin::diagnostics::Diagnostic;
use tfplugin::model::{Computed, Known, Model};
use tfplugin::schema::{Block, Schema};
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

const LANGUAGES: &[&str] = &["en", "fr"];

/// A greeting.
#[derive(Model)]
struct Greeting {
    /// Who to greet. Changing it changes the greeting in place.
    #[tf(required)]
    name: Known<String>,
    /// `en` or `fr`; defaults to `en`. Changing it replaces the greeting.
    #[tf(default = "en", one_of = LANGUAGES, requires_replace)]
    language: Known<String>,
    /// The greeting.
    #[tf(computed)]
    text: Computed<String>,
}

impl Greeting {
    /// The text follows the arguments: known when they are, else only after apply.
    fn with_text(mut self) -> Greeting {
        let arguments = self.name.clone().zip(self.language.clone());
        self.text = Some(arguments.map(|(name, language)| match language.as_str() {
            "fr" => format!("Bonjour, {name} !"),
            _ => format!("Hello, {name}!"),
        }));
        self
    }
}

/// The state (or plan) with its text, or why it does not fit the model.
fn with_text(value: &Value) -> Result<Value, Diagnostic> {
    let greeting = Greeting::decode(value).map_err(|e| e.to_diagnostic())?;
    Ok(greeting.with_text().encode())
}

struct Greetings {
    declaration: Declaration,
}

impl Greetings {
    fn new() -> Greetings {
        let declaration = Declaration::new("hello_greeting", Greeting::schema(0));
        Greetings { declaration }
    }
}

#[async_trait]
impl ResourceHandler for Greetings {
    fn declaration(&self) -> &Declaration {
        &self.declaration
    }

    /// The server has applied the schema's rules (the default language, the unknown text of
    /// a new greeting, replacement on a language change); the text is this resource's own.
    async fn plan(&self, request: PlanRequest) -> PlanResponse {
        let proposed = request.proposed_new_state;
        let (planned_state, diagnostics) = match proposed.is_null() {
            true => (Value::Null, Vec::new()),
            false => match with_text(&proposed) {
                Ok(state) => (state, Vec::new()),
                Err(diagnostic) => (proposed, vec![diagnostic]),
            },
        };
        PlanResponse {
            planned_state,
            requires_replace: request.requires_replace,
            diagnostics,
            ..PlanResponse::default()
        }
    }

    async fn apply(&self, request: ApplyRequest) -> ApplyResponse {
        if request.planned_state.is_null() {
            return ApplyResponse::default();
        }
        let (new_state, diagnostics) = match with_text(&request.planned_state) {
            Ok(state) => (state, Vec::new()),
            Err(diagnostic) => (request.planned_state, vec![diagnostic]),
        };
        ApplyResponse {
            new_state,
            diagnostics,
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

/// The provider block takes nothing.
struct Hooks;

#[async_trait]
impl ProviderHooks for Hooks {
    async fn configure(&self, _request: ConfigureRequest) -> Vec<Diagnostic> {
        Vec::new()
    }
}

fn main() {
    tfplugin::server::run(INFO, || {
        let greetings = Greetings::new();
        Registry::new(Schema::new(0, Block::new("No settings.")), Arc::new(Hooks))
            .with_resource(Arc::new(greetings))
    })
}
