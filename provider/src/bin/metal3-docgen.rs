//! Writes the registry documentation rendered from the provider's schemas.
//! Usage: `metal3-docgen [DOCS_DIR]` (default `docs`), run from the repository root.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let dir = match (args.next(), args.next()) {
        (None, _) => PathBuf::from("docs"),
        (Some(a), None) if !a.starts_with('-') => PathBuf::from(a),
        _ => {
            eprintln!(
                "usage: metal3-docgen [DOCS_DIR]   (writes index.md, resources/, data-sources/)"
            );
            return ExitCode::from(2);
        }
    };
    match terraform_provider_metal3::docs::write_all(&dir) {
        Ok(paths) => {
            for path in paths {
                println!("wrote {}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("metal3-docgen: {e}");
            ExitCode::FAILURE
        }
    }
}
