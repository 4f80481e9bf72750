//! Where the Ironic client's trusted CAs come from, on each platform. Every platform trusts the
//! compiled-in Mozilla roots (`webpki-roots`) and the provider's `ca_file`; beside them:
//!
//! - Linux (and Windows): the system trust store through `rustls-native-certs`: the
//!   distribution's CA bundle (e.g. `/etc/ssl/certs`), or only `SSL_CERT_FILE` / `SSL_CERT_DIR`
//!   when either is set. reqwest loads it itself unless `ca_file` is given.
//! - macOS: `SSL_CERT_FILE` / `SSL_CERT_DIR` when set, never the keychains: reading them links
//!   Apple's Security framework, which the release cannot link without a macOS SDK. A CA added to
//!   the macOS keychain is therefore not trusted; give it in `ca_file` or `SSL_CERT_FILE`.

use rustls::pki_types::CertificateDer;

/// Whether the client always builds its own TLS configuration from [`platform_roots`], rather
/// than only for a `ca_file`: on macOS reqwest knows the webpki roots only.
pub(crate) const OWN_TLS_CONFIG: bool = cfg!(target_os = "macos");

/// The CAs this platform adds to the webpki roots (not `ca_file`). Unreadable ones are skipped.
#[cfg(not(target_os = "macos"))]
pub(crate) fn platform_roots() -> Vec<CertificateDer<'static>> {
    rustls_native_certs::load_native_certs().certs
}

/// The CAs this platform adds to the webpki roots (not `ca_file`). Unreadable ones are skipped.
#[cfg(target_os = "macos")]
pub(crate) fn platform_roots() -> Vec<CertificateDer<'static>> {
    env_roots(
        std::env::var_os("SSL_CERT_FILE").as_deref(),
        std::env::var_os("SSL_CERT_DIR").as_deref(),
    )
}

/// The certificates in the PEM file `file` and in every file of the folders `dirs` (a
/// `:`-separated list), as OpenSSL reads `SSL_CERT_FILE` and `SSL_CERT_DIR`. Files that cannot be
/// read or hold no PEM certificate are skipped with a warning, as the system store's loader does.
#[cfg(any(test, target_os = "macos"))]
fn env_roots(
    file: Option<&std::ffi::OsStr>,
    dirs: Option<&std::ffi::OsStr>,
) -> Vec<CertificateDer<'static>> {
    use std::path::{Path, PathBuf};
    fn from_file(path: &Path, into: &mut Vec<CertificateDer<'static>>) {
        let pem = match std::fs::read(path) {
            Ok(pem) => pem,
            Err(e) => {
                tracing::warn!("cannot read the CA certificates in {}: {e}", path.display());
                return;
            }
        };
        for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
            match cert {
                Ok(cert) => into.push(cert),
                Err(e) => tracing::warn!("skipping a certificate in {}: {e}", path.display()),
            }
        }
    }
    let mut certs = Vec::new();
    if let Some(file) = file.filter(|f| !f.is_empty()) {
        from_file(Path::new(file), &mut certs);
    }
    for dir in dirs.map(std::env::split_paths).into_iter().flatten() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            tracing::warn!("cannot list the CA folder {}", dir.display());
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for path in files {
            from_file(&path, &mut certs);
        }
    }
    certs
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    /// A self-signed certificate: (DER, PEM).
    fn cert(name: &str) -> (CertificateDer<'static>, String) {
        let key = rcgen::KeyPair::generate().unwrap();
        let params = rcgen::CertificateParams::new(vec![name.to_owned()]).unwrap();
        let cert = params.self_signed(&key).unwrap();
        (cert.der().clone(), cert.pem())
    }

    #[test]
    fn ssl_cert_file_and_every_file_of_ssl_cert_dir_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let ((a, a_pem), (b, b_pem), (c, c_pem)) = (cert("a.test"), cert("b.test"), cert("c.test"));
        let bundle = dir.path().join("bundle.pem");
        std::fs::write(&bundle, format!("{a_pem}{b_pem}")).unwrap();
        let certs_dir = dir.path().join("certs");
        std::fs::create_dir(&certs_dir).unwrap();
        std::fs::write(certs_dir.join("c.pem"), c_pem).unwrap();
        std::fs::write(certs_dir.join("README"), "not a certificate").unwrap();
        let dirs =
            std::env::join_paths([certs_dir.as_path(), &dir.path().join("missing")]).unwrap();

        let found = env_roots(Some(bundle.as_os_str()), Some(&dirs));
        assert_eq!(found, vec![a.clone(), b.clone(), c.clone()]);
        assert_eq!(env_roots(Some(bundle.as_os_str()), None), vec![a, b]);
        assert_eq!(env_roots(None, Some(certs_dir.as_os_str())), vec![c]);
    }

    #[test]
    fn unset_empty_or_unreadable_locations_add_nothing() {
        assert!(env_roots(None, None).is_empty());
        assert!(env_roots(Some(OsStr::new("")), Some(OsStr::new(""))).is_empty());
        assert!(env_roots(
            Some(OsStr::new("/nonexistent/ca.pem")),
            Some(OsStr::new("/nonexistent"))
        )
        .is_empty());
    }
}
