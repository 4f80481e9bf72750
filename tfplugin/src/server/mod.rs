//! The Terraform plugin protocol v6 server: go-plugin handshake with AutoMTLS over a unix socket,
//! tfplugin6 over tonic, and the go-plugin side services.

mod actions;
mod answer;
pub mod convert;
mod data_sources;
mod functions;
pub mod go_plugin;
pub mod handlers;
pub mod handshake;
mod info;
mod list_resources;
pub mod listener;
pub mod logging;
mod provider;
pub mod provider_service;
pub mod registry;
mod resources;
pub mod schema_checks;
pub mod schema_proto;
mod state;
pub mod stop;
pub mod tls;
mod unsupported;

use std::io::Write;
use std::sync::Arc;

use tokio::net::UnixListener;
use tokio_util::sync::CancellationToken;

use crate::proto::{plugin as gp, tfplugin6 as pb};

pub use info::ProviderInfo;

/// Largest message in either direction; large states exceed tonic's 4 MiB default.
pub const MAX_MESSAGE_BYTES: usize = 256 * 1024 * 1024;

/// How long Shutdown waits for open connections before the process exits.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_millis(500);

pub enum Mode {
    /// Started by Terraform: handshake line, AutoMTLS when PLUGIN_CLIENT_CERT is set.
    Plugin,
    /// Started by a developer: plaintext, prints TF_REATTACH_PROVIDERS, Ctrl-C stops.
    Debug,
}

/// A provider's whole `main`: `--version`, `--debug` (for TF_REATTACH_PROVIDERS), the
/// go-plugin magic cookie check, logging, the runtime, and [`serve`]. Exits the process.
pub fn run(info: ProviderInfo, registry: impl FnOnce() -> registry::Registry) -> ! {
    let arg = std::env::args().nth(1);
    let mode = match arg.as_deref() {
        Some("--version") | Some("-v") => {
            println!("{} {}", info.binary, info.version);
            std::process::exit(0);
        }
        Some("--debug") => Mode::Debug,
        _ => {
            if !handshake::cookie_ok(std::env::var(handshake::MAGIC_COOKIE_KEY).ok().as_deref()) {
                eprintln!("{}", handshake::not_a_command(&info));
                std::process::exit(1);
            }
            Mode::Plugin
        }
    };
    logging::init(&info);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("{}: cannot start the async runtime: {e}", info.binary);
            std::process::exit(1);
        }
    };
    if let Err(e) = runtime.block_on(serve(info, registry(), mode)) {
        tracing::error!("{e}");
        eprintln!("{}: {e}", info.binary);
        std::process::exit(1);
    }
    std::process::exit(0);
}

/// Serves until GRPCController.Shutdown (or Ctrl-C in debug mode).
pub async fn serve(
    info: ProviderInfo,
    registry: registry::Registry,
    mode: Mode,
) -> Result<(), String> {
    let version = match mode {
        Mode::Plugin => {
            handshake::negotiate(std::env::var("PLUGIN_PROTOCOL_VERSIONS").ok().as_deref())?
        }
        Mode::Debug => handshake::PROTOCOL_VERSION,
    };
    let shutdown = CancellationToken::new();
    watch_interrupts(matches!(mode, Mode::Debug).then(|| shutdown.clone()));

    let socket_dir = listener::SocketDir::create()
        .map_err(|e| format!("cannot create the socket directory: {e}"))?;
    let socket = socket_dir.socket_path();
    let unix = UnixListener::bind(&socket)
        .map_err(|e| format!("cannot listen on {}: {e}", socket.display()))?;

    let client_cert = match mode {
        Mode::Plugin => std::env::var("PLUGIN_CLIENT_CERT")
            .ok()
            .filter(|s| !s.trim().is_empty()),
        Mode::Debug => None,
    };
    let (tls_config, server_cert) = match client_cert {
        Some(pem) => {
            let client = tls::parse_client_cert(&pem)?;
            let identity = tls::generate_server_identity()
                .map_err(|e| format!("cannot create the server certificate: {e}"))?;
            let config = tls::server_config(&identity, client)
                .map_err(|e| format!("TLS setup failed: {e}"))?;
            (Some(Arc::new(config)), Some(identity.cert_der))
        }
        None => (None, None),
    };

    let (health, health_service) = tonic_health::server::health_reporter();
    health
        .set_service_status("plugin", tonic_health::ServingStatus::Serving)
        .await;
    let stop = stop::StopSignal::default();
    let provider = pb::provider_server::ProviderServer::new(
        provider_service::ProviderService::new(Arc::new(registry), stop),
    )
    .max_decoding_message_size(MAX_MESSAGE_BYTES)
    .max_encoding_message_size(MAX_MESSAGE_BYTES);
    let router = tonic::transport::Server::builder()
        .add_service(health_service)
        .add_service(provider)
        .add_service(gp::grpc_controller_server::GrpcControllerServer::new(
            go_plugin::Controller {
                shutdown: shutdown.clone(),
            },
        ))
        .add_service(gp::grpc_stdio_server::GrpcStdioServer::new(
            go_plugin::Stdio {
                shutdown: shutdown.clone(),
            },
        ))
        .add_service(gp::grpc_broker_server::GrpcBrokerServer::new(
            go_plugin::Broker,
        ));

    match mode {
        Mode::Plugin => {
            let line = handshake::line(version, &socket, server_cert.as_deref());
            let mut out = std::io::stdout().lock();
            writeln!(out, "{line}")
                .and_then(|_| out.flush())
                .map_err(|e| format!("cannot write the handshake: {e}"))?;
        }
        Mode::Debug => print_reattach(&info, &socket),
    }

    let incoming = listener::incoming(unix, tls_config, shutdown.clone());
    let stopped = shutdown.clone();
    let server =
        router.serve_with_incoming_shutdown(incoming, async move { stopped.cancelled().await });
    // Graceful shutdown waits for clients to hang up, but Terraform keeps its connection open
    // after Shutdown (and kills us 2 s later): finish in-flight replies briefly, then exit.
    let grace = async {
        shutdown.cancelled().await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        result = server => result.map_err(|e| format!("gRPC server failed: {e}"))?,
        _ = grace => tracing::debug!("shutdown grace period over"),
    }
    drop(socket_dir);
    Ok(())
}

/// go-plugin servers ignore SIGINT: Terraform sends Ctrl-C to the whole process group and then
/// calls StopProvider itself. In debug mode Ctrl-C shuts down instead.
fn watch_interrupts(debug_shutdown: Option<CancellationToken>) {
    // Installed here, before the handshake is printed: in a spawned task it could come too late
    // under load, and a Ctrl-C right after the handshake would kill the plugin.
    let Ok(mut sigint) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
    else {
        return;
    };
    tokio::spawn(async move {
        while sigint.recv().await.is_some() {
            match &debug_shutdown {
                Some(token) => token.cancel(),
                None => tracing::debug!("SIGINT ignored; Terraform will call StopProvider"),
            }
        }
    });
}

fn print_reattach(info: &ProviderInfo, socket: &std::path::Path) {
    let mut reattach = serde_json::Map::new();
    reattach.insert(
        info.address.to_owned(),
        serde_json::json!({
            "Protocol": "grpc",
            "ProtocolVersion": handshake::PROTOCOL_VERSION,
            "Pid": std::process::id(),
            "Test": true,
            "Addr": {"Network": "unix", "String": socket.display().to_string()},
        }),
    );
    let reattach = serde_json::Value::Object(reattach);
    println!("Provider started in debug mode. In another shell:\n\n    export TF_REATTACH_PROVIDERS='{reattach}'\n\nCtrl-C stops the provider.");
}
