//! terraform-provider-metal3: started by Terraform (go-plugin handshake) or by hand.

use terraform_provider_metal3::server::{self, handshake};

fn main() {
    let arg = std::env::args().nth(1);
    let mode = match arg.as_deref() {
        Some("--version") | Some("-v") => {
            println!("terraform-provider-metal3 {}", env!("CARGO_PKG_VERSION"));
            return;
        }
        Some("--debug") => server::Mode::Debug,
        _ => {
            if !handshake::cookie_ok(std::env::var(handshake::MAGIC_COOKIE_KEY).ok().as_deref()) {
                eprintln!("{}", handshake::NOT_A_COMMAND);
                std::process::exit(1);
            }
            server::Mode::Plugin
        }
    };
    server::logging::init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("terraform-provider-metal3: cannot start the async runtime: {e}");
            std::process::exit(1);
        }
    };
    let registry = terraform_provider_metal3::provider::registry();
    if let Err(e) = runtime.block_on(server::serve(registry, mode)) {
        tracing::error!("{e}");
        eprintln!("terraform-provider-metal3: {e}");
        std::process::exit(1);
    }
}
