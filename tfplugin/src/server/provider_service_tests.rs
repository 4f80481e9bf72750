//! The service in process, with a registry of one test resource and one data source: what
//! Terraform gets back when a request cannot be decoded, a type is unknown, a handler returns
//! a write-only value or a value off its schema, or Terraform asks the provider to stop.

use std::time::Duration;

use async_trait::async_trait;
use tokio_util::sync::CancellationToken;

use tonic::Request;

use super::*;
use crate::codec::{msgpack, Type, Value};
use crate::diagnostics::Diagnostic;
use crate::schema::{Attribute, Block, Schema};
use crate::server::handlers::*;

/// `note_test`: `name` (required), `secret` (write-only), `id` (computed). Its plan echoes the
/// configured secret into the planned state (a bug the service must not pass on); apply of
/// `name = "wait"` waits for Terraform's stop; read of `name = "bad"` returns an `id` of the
/// wrong type.
struct Note {
    declaration: Declaration,
}

impl Note {
    fn new() -> Note {
        Note {
            declaration: Declaration::new(
                "note_test",
                Schema::new(
                    0,
                    Block::new("a note").with_attributes(vec![
                        Attribute::string("name", "name").required(),
                        Attribute::string("secret", "secret")
                            .optional()
                            .sensitive()
                            .write_only(),
                        Attribute::string("id", "id").computed(),
                    ]),
                ),
            ),
        }
    }
}

#[async_trait]
impl ResourceHandler for Note {
    fn declaration(&self) -> &Declaration {
        &self.declaration
    }

    async fn plan(&self, request: PlanRequest) -> PlanResponse {
        let mut planned = request.proposed_new_state;
        if let Some(secret) = request.config.get("secret") {
            planned.set_attr("secret", secret.clone());
        }
        PlanResponse {
            planned_state: planned,
            ..PlanResponse::default()
        }
    }

    async fn apply(&self, request: ApplyRequest) -> ApplyResponse {
        let mut state = request.planned_state;
        if state.get("name").and_then(Value::as_str) == Some("wait") {
            request.cancel.cancelled().await;
            state.set_attr("id", "stopped");
        }
        ApplyResponse {
            new_state: state,
            ..ApplyResponse::default()
        }
    }

    async fn read(&self, request: ReadRequest) -> ReadResponse {
        let mut state = request.current_state;
        if state.get("name").and_then(Value::as_str) == Some("bad") {
            state.set_attr("id", true);
        }
        ReadResponse {
            new_state: state,
            ..ReadResponse::default()
        }
    }
}

/// `note_nothing`: a data source that never finds anything.
struct Nothing {
    declaration: Declaration,
}

#[async_trait]
impl DataSourceHandler for Nothing {
    fn declaration(&self) -> &Declaration {
        &self.declaration
    }

    async fn read(&self, _: Value, _: CancellationToken) -> (Value, Vec<Diagnostic>) {
        (Value::Null, vec![Diagnostic::error("Not found", "nothing")])
    }
}

struct NoHooks;

#[async_trait]
impl ProviderHooks for NoHooks {
    async fn configure(&self, _: ConfigureRequest) -> Vec<Diagnostic> {
        Vec::new()
    }
}

/// `join_test(separator, parts...)`: the parts joined; an empty separator is refused.
struct Join {
    declaration: crate::function::FunctionDeclaration,
}

impl Join {
    fn new() -> Join {
        use crate::function::{FunctionDeclaration, Parameter, Signature};
        let signature = Signature {
            summary: "Joins strings".into(),
            description: "Joins `parts` with `separator`.".into(),
            parameters: vec![Parameter::new("separator", Type::String, "between parts")],
            variadic: Some(Parameter::new("parts", Type::String, "the strings")),
            returns: Type::String,
        };
        Join {
            declaration: FunctionDeclaration::new("join_test", signature),
        }
    }
}

impl crate::function::FunctionHandler for Join {
    fn declaration(&self) -> &crate::function::FunctionDeclaration {
        &self.declaration
    }

    fn call(&self, arguments: &[Value]) -> Result<Value, crate::function::FunctionError> {
        let separator = arguments[0].as_str().unwrap_or_default();
        if separator.is_empty() {
            return Err(crate::function::FunctionError::in_argument(
                0,
                "separator must not be empty",
            ));
        }
        let parts: Vec<&str> = arguments[1..].iter().filter_map(Value::as_str).collect();
        Ok(Value::from(parts.join(separator)))
    }
}

/// `note_nothing.kind`: an argument with a rule of its schema.
fn nothing_kind() -> Attribute {
    let mut kind = Attribute::string("kind", "kind").optional();
    kind.rules = vec![crate::schema::Rule::OneOf(&["a", "b"])];
    kind
}

fn service() -> ProviderService {
    let nothing = Nothing {
        declaration: Declaration::new(
            "note_nothing",
            Schema::new(
                0,
                Block::new("nothing").with_attributes(vec![
                    Attribute::string("id", "id").computed(),
                    nothing_kind(),
                ]),
            ),
        ),
    };
    let registry = Registry::new(Schema::new(0, Block::new("none")), Arc::new(NoHooks))
        .with_resource(Arc::new(Note::new()))
        .with_data_source(Arc::new(nothing))
        .with_function(Arc::new(Join::new()));
    ProviderService::new(Arc::new(registry), StopSignal::default())
}

fn note_type() -> Type {
    Note::new().declaration().schema().block.value_type()
}

fn dynamic(value: &Value) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: msgpack::encode(value, &note_type()).unwrap(),
        json: Vec::new(),
    })
}

fn note(name: &str, secret: Option<&str>) -> Value {
    let mut v = Value::object_of_nulls(&note_type());
    v.set_attr("name", name);
    if let Some(secret) = secret {
        v.set_attr("secret", secret);
    }
    v
}

fn decoded(value: Option<pb::DynamicValue>) -> Value {
    msgpack::decode(&value.unwrap().msgpack, &note_type()).unwrap()
}

fn summaries(diags: &[pb::Diagnostic]) -> Vec<&str> {
    diags.iter().map(|d| d.summary.as_str()).collect()
}

fn plan_request(
    type_name: &str,
    config: Option<pb::DynamicValue>,
) -> pb::plan_resource_change::Request {
    pb::plan_resource_change::Request {
        type_name: type_name.into(),
        prior_state: None,
        proposed_new_state: config.clone(),
        config,
        ..Default::default()
    }
}

async fn plan(request: pb::plan_resource_change::Request) -> pb::plan_resource_change::Response {
    service()
        .plan_resource_change(Request::new(request))
        .await
        .unwrap()
        .into_inner()
}

#[tokio::test]
async fn an_unknown_type_is_a_diagnostic_not_a_grpc_error() {
    let response = plan(plan_request("note_other", dynamic(&note("a", None)))).await;
    assert_eq!(summaries(&response.diagnostics), ["Unknown resource type"]);
    assert!(response.planned_state.is_none());
}

#[tokio::test]
async fn an_undecodable_request_names_what_could_not_be_read() {
    let garbage = Some(pb::DynamicValue {
        msgpack: vec![0xc1],
        json: Vec::new(),
    });
    let mut request = plan_request("note_test", dynamic(&note("a", None)));
    request.config = garbage;
    let response = plan(request).await;
    assert_eq!(summaries(&response.diagnostics), ["Invalid configuration"]);
}

#[tokio::test]
async fn write_only_values_never_leave_the_provider() {
    let response = plan(plan_request(
        "note_test",
        dynamic(&note("a", Some("s3cret"))),
    ))
    .await;
    assert!(
        response.diagnostics.is_empty(),
        "{:?}",
        response.diagnostics
    );
    let planned = decoded(response.planned_state);
    assert_eq!(planned.get("name"), Some(&Value::from("a")));
    assert!(planned.get("secret").unwrap().is_null());
}

#[tokio::test]
async fn a_value_off_the_schema_is_reported_as_a_provider_bug() {
    let response = service()
        .read_resource(Request::new(pb::read_resource::Request {
            type_name: "note_test".into(),
            current_state: dynamic(&note("bad", None)),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        summaries(&response.diagnostics),
        ["Provider produced an invalid value"]
    );
    assert!(response.diagnostics[0].detail.contains("state after read"));
}

#[tokio::test]
async fn stop_provider_cancels_an_apply_in_flight() {
    let service = Arc::new(service());
    let applying = {
        let service = service.clone();
        tokio::spawn(async move {
            service
                .apply_resource_change(Request::new(pb::apply_resource_change::Request {
                    type_name: "note_test".into(),
                    planned_state: dynamic(&note("wait", None)),
                    config: dynamic(&note("wait", None)),
                    ..Default::default()
                }))
                .await
        })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(!applying.is_finished(), "the apply waits for the stop");
    service
        .stop_provider(Request::new(pb::stop_provider::Request {}))
        .await
        .unwrap();
    let response = tokio::time::timeout(Duration::from_secs(5), applying)
        .await
        .expect("the apply returns once stopped")
        .unwrap()
        .unwrap()
        .into_inner();
    let state = decoded(response.new_state);
    assert_eq!(state.get("id"), Some(&Value::from("stopped")));
}

#[tokio::test]
async fn a_data_source_that_finds_nothing_returns_no_state() {
    let response = service()
        .read_data_source(Request::new(pb::read_data_source::Request {
            type_name: "note_nothing".into(),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert!(response.state.is_none());
    assert_eq!(summaries(&response.diagnostics), ["Not found"]);
}

#[tokio::test]
async fn a_data_sources_schema_rules_judge_its_configuration_once() {
    let ty = Block::new("nothing")
        .with_attributes(vec![
            Attribute::string("id", "id").computed(),
            nothing_kind(),
        ])
        .value_type();
    let validate = |kind: &str| {
        let mut config = Value::object_of_nulls(&ty);
        config.set_attr("kind", kind);
        let msgpack = msgpack::encode(&config, &ty).unwrap();
        async move {
            service()
                .validate_data_resource_config(Request::new(
                    pb::validate_data_resource_config::Request {
                        type_name: "note_nothing".into(),
                        config: Some(pb::DynamicValue {
                            msgpack,
                            json: Vec::new(),
                        }),
                    },
                ))
                .await
                .unwrap()
                .into_inner()
        }
    };
    let response = validate("c").await;
    assert_eq!(
        summaries(&response.diagnostics),
        ["Invalid attribute value"]
    );
    assert!(response.diagnostics[0].detail.contains("`a`, `b`"));
    assert!(validate("a").await.diagnostics.is_empty());
}

#[tokio::test]
async fn unsupported_features_answer_with_a_diagnostic_and_streams_end() {
    use futures::StreamExt;
    let service = service();
    let events: Vec<_> = service
        .invoke_action(Request::new(pb::invoke_action::Request {
            action_type: "note_reboot".into(),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner()
        .collect()
        .await;
    assert_eq!(events.len(), 1);
    let Some(pb::invoke_action::event::Type::Completed(done)) =
        events[0].as_ref().unwrap().r#type.clone()
    else {
        panic!("an action's stream ends with Completed");
    };
    assert_eq!(summaries(&done.diagnostics), ["Unknown action type"]);
    let called = service
        .call_function(Request::new(pb::call_function::Request {
            name: "shout".into(),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert!(called.error.unwrap().text.contains("\"shout\""));
}

/// Every feature fails the same way, whatever the shape of its answer: a unary response holds
/// the diagnostics, a stream one item holding them.
#[tokio::test]
async fn every_feature_fails_through_the_same_diagnostics() {
    use futures::StreamExt;
    let service = service();
    let planned = plan(pb::plan_resource_change::Request {
        type_name: "note_missing".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(summaries(&planned.diagnostics), ["Unknown resource type"]);
    let moved = service
        .move_resource_state(Request::new(Default::default()))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        summaries(&moved.diagnostics),
        ["moving resource state between types not supported"]
    );
    let opened = service
        .open_ephemeral_resource(Request::new(pb::open_ephemeral_resource::Request {
            type_name: "note_token".into(),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        summaries(&opened.diagnostics),
        ["Unknown ephemeral resource type"]
    );
    let validated = service
        .validate_list_resource_config(Request::new(pb::validate_list_resource_config::Request {
            type_name: "note_test".into(),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        summaries(&validated.diagnostics),
        ["Unknown list resource type"]
    );
    let listed: Vec<_> = service
        .list_resource(Request::new(pb::list_resource::Request {
            type_name: "note_test".into(),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner()
        .collect()
        .await;
    assert_eq!(listed.len(), 1);
    let event = listed[0].as_ref().unwrap();
    assert_eq!(summaries(&event.diagnostic), ["Unknown list resource type"]);
    let stored: Vec<_> = service
        .read_state_bytes(Request::new(pb::read_state_bytes::Request {
            type_name: "note_s3".into(),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner()
        .collect()
        .await;
    assert_eq!(stored.len(), 1);
    let chunk = stored[0].as_ref().unwrap();
    assert_eq!(summaries(&chunk.diagnostics), ["Unknown state store type"]);
}

fn string_argument(text: &str) -> pb::DynamicValue {
    pb::DynamicValue {
        msgpack: msgpack::encode(&Value::from(text), &Type::String).unwrap(),
        json: Vec::new(),
    }
}

async fn call(
    service: &ProviderService,
    arguments: Vec<pb::DynamicValue>,
) -> pb::call_function::Response {
    service
        .call_function(Request::new(pb::call_function::Request {
            name: "join_test".into(),
            arguments,
        }))
        .await
        .unwrap()
        .into_inner()
}

#[tokio::test]
async fn functions_are_declared_in_the_schema_and_called_with_decoded_arguments() {
    let service = service();
    let schema = service
        .get_provider_schema(Request::new(pb::get_provider_schema::Request {}))
        .await
        .unwrap()
        .into_inner();
    let join = &schema.functions["join_test"];
    assert_eq!(join.parameters[0].r#type, b"\"string\"");
    assert_eq!(join.variadic_parameter.as_ref().unwrap().name, "parts");
    let listed = service
        .get_functions(Request::new(pb::get_functions::Request {}))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(listed.functions.keys().collect::<Vec<_>>(), ["join_test"]);

    let joined = call(
        &service,
        vec![
            string_argument("-"),
            string_argument("a"),
            string_argument("b"),
        ],
    )
    .await;
    assert!(joined.error.is_none(), "{:?}", joined.error);
    let result = msgpack::decode(&joined.result.unwrap().msgpack, &Type::String).unwrap();
    assert_eq!(result, Value::from("a-b"));
}

#[tokio::test]
async fn function_errors_point_at_the_argument() {
    let service = service();
    // The function's own refusal.
    let refused = call(&service, vec![string_argument(""), string_argument("a")]).await;
    let error = refused.error.unwrap();
    assert_eq!(
        (error.function_argument, error.text.as_str()),
        (Some(0), "separator must not be empty")
    );
    // A null where the parameter does not allow one, before the call.
    let null = pb::DynamicValue {
        msgpack: msgpack::encode(&Value::Null, &Type::String).unwrap(),
        json: Vec::new(),
    };
    let error = call(&service, vec![string_argument("-"), null])
        .await
        .error
        .unwrap();
    assert_eq!(error.function_argument, Some(1));
    assert!(
        error.text.contains("parts must not be null"),
        "{}",
        error.text
    );
    // Too few arguments; undecodable bytes.
    let error = call(&service, vec![]).await.error.unwrap();
    assert!(
        error.text.contains("takes 1 argument(s), got 0"),
        "{}",
        error.text
    );
    let garbage = pb::DynamicValue {
        msgpack: vec![0xc1],
        json: Vec::new(),
    };
    let error = call(&service, vec![garbage]).await.error.unwrap();
    assert_eq!(error.function_argument, Some(0));
}
