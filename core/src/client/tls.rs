//! TLS to Ironic: the trust store built from `ca_file` and the platform's roots (`roots.rs`), and
//! what went wrong when a handshake fails, in words an operator can act on.
//!
//! A certificate given in `ca_file` is trusted as a CA and, when the server presents exactly that
//! certificate, as the server's own: a self-signed certificate made with `openssl req -x509`
//! carries `CA:TRUE`, which WebPKI refuses as a server certificate (curl accepts it), so it is
//! matched byte for byte instead.

use std::path::Path;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};

use super::error::IronicError;

/// The rustls configuration trusting Mozilla's roots, the platform's (`roots.rs`) and `ca_file`.
pub(crate) fn client_config(ca_file: Option<&Path>) -> Result<rustls::ClientConfig, IronicError> {
    let pinned = match ca_file {
        Some(path) => read_ca_file(path)?,
        None => Vec::new(),
    };
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    for cert in super::roots::platform_roots() {
        let _ = roots.add(cert); // an unreadable system root is not our concern
    }
    for cert in &pinned {
        roots.add(cert.clone()).map_err(|e| {
            IronicError::CaFile(format!(
                "the CA file {} holds a certificate that cannot be a trust anchor: {e}",
                ca_file
                    .map(Path::display)
                    .map(|d| d.to_string())
                    .unwrap_or_default()
            ))
        })?;
    }
    let inner = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|e| IronicError::CaFile(format!("cannot use the CA file: {e}")))?;
    let verifier = Arc::new(PinningVerifier { inner, pinned });
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| IronicError::Config(format!("TLS setup: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(config)
}

fn read_ca_file(path: &Path) -> Result<Vec<CertificateDer<'static>>, IronicError> {
    let pem = std::fs::read(path).map_err(|e| {
        IronicError::CaFile(format!("cannot read the CA file {}: {e}", path.display()))
    })?;
    let certs: Vec<CertificateDer<'static>> = rustls_pemfile::certs(&mut pem.as_slice())
        .collect::<Result<_, _>>()
        .map_err(|e| {
            IronicError::CaFile(format!("the CA file {} is not PEM: {e}", path.display()))
        })?;
    if certs.is_empty() {
        return Err(IronicError::CaFile(format!(
            "the CA file {} holds no certificate (expected PEM blocks `-----BEGIN \
             CERTIFICATE-----`)",
            path.display()
        )));
    }
    Ok(certs)
}

#[derive(Debug)]
struct PinningVerifier {
    inner: Arc<WebPkiServerVerifier>,
    pinned: Vec<CertificateDer<'static>>,
}

impl ServerCertVerifier for PinningVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) {
            Ok(verified) => Ok(verified),
            // The very certificate the user trusts: its key is pinned, whatever WebPKI says of
            // its shape (CA:TRUE, no subjectAltName).
            Err(_)
                if self
                    .pinned
                    .iter()
                    .any(|c| c.as_ref() == end_entity.as_ref()) =>
            {
                tracing::debug!("Ironic presented a certificate of the CA file itself: trusted");
                Ok(ServerCertVerified::assertion())
            }
            Err(error) => Err(error),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// Why a request failed at the TLS or protocol level, if it did: a sentence saying what is
/// wrong and what to change. Such failures are not retried: asking again changes nothing.
/// `answered`: the server has already answered plain HTTP on this URL, so garbled or missing
/// answers are not a protocol mismatch.
pub(crate) fn explain(
    error: &(dyn std::error::Error + 'static),
    https: bool,
    answered: bool,
) -> Option<String> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    let mut texts = Vec::new();
    while let Some(current) = cause {
        if let Some(tls) = current.downcast_ref::<rustls::Error>() {
            return Some(explain_rustls(tls));
        }
        // io::Error hides the error it wraps from `source()`, sometimes twice over.
        let mut wrapped = current
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref());
        while let Some(inner) = wrapped {
            if let Some(tls) = inner.downcast_ref::<rustls::Error>() {
                return Some(explain_rustls(tls));
            }
            wrapped = inner
                .downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref());
        }
        texts.push(current.to_string());
        cause = current.source();
    }
    let text = texts.join(": ").to_ascii_lowercase();
    if https && (text.contains("corrupt message") || text.contains("invalidcontenttype")) {
        return Some(
            "the server does not speak TLS (an https:// URL for a plain HTTP port?): use http:// \
             in the URL, or point it at Ironic's TLS port"
                .to_owned(),
        );
    }
    // A connection closed without an answer is not here: a proxy or an Ironic restart does that
    // to a request it received, and it must be re-read and retried, not blamed on the URL.
    if !https && !answered && text.contains("invalid http version") {
        return Some(
            "the server did not answer plain HTTP (an http:// URL for a TLS port?): use https:// \
             in the URL"
                .to_owned(),
        );
    }
    None
}

fn explain_rustls(error: &rustls::Error) -> String {
    const CA_HINT: &str = "set `ca_file` to a PEM file with the CA that signed Ironic's \
                           certificate (for a self-signed certificate: the certificate itself)";
    match error {
        rustls::Error::InvalidCertificate(cert) => match cert {
            CertificateError::UnknownIssuer => format!(
                "Ironic's certificate is signed by an authority this provider does not trust \
                 (unknown issuer): {CA_HINT}"
            ),
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                "Ironic's certificate is not valid for the host name in the URL: use a name the \
                 certificate lists (its subjectAltName) in the URL, or reissue the certificate \
                 for this name"
                    .to_owned()
            }
            CertificateError::Expired
            | CertificateError::ExpiredContext { .. }
            | CertificateError::NotValidYet
            | CertificateError::NotValidYetContext { .. } => {
                "Ironic's certificate has expired or is not valid yet (check it, and this \
                 machine's clock)"
                    .to_owned()
            }
            CertificateError::Other(other) if other.to_string().contains("CaUsedAsEndEntity") => {
                format!(
                    "Ironic presents a CA certificate (CA:TRUE) as its own: {CA_HINT}; a \
                     certificate given in `ca_file` is trusted as is"
                )
            }
            other => format!("Ironic's certificate was refused ({other:?}): {CA_HINT}"),
        },
        rustls::Error::InvalidMessage(_) => {
            "the server does not speak TLS (an https:// URL for a plain HTTP port?): use http:// \
             in the URL, or point it at Ironic's TLS port"
                .to_owned()
        }
        other => format!("the TLS handshake with Ironic failed: {other}"),
    }
}

/// `error: source: source...`, for logs and messages that must say what really failed.
pub(crate) fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![error.to_string()];
    let mut cause = error.source();
    while let Some(current) = cause {
        let text = current.to_string();
        if !parts.last().is_some_and(|last| last.contains(&text)) {
            parts.push(text);
        }
        cause = current.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_ca_file_the_webpki_and_platform_roots_make_a_config() {
        // What macOS always uses: it must build without a `ca_file`.
        assert!(client_config(None).is_ok());
    }

    #[test]
    fn certificate_problems_say_what_to_change() {
        let unknown = explain_rustls(&rustls::Error::InvalidCertificate(
            CertificateError::UnknownIssuer,
        ));
        assert!(
            unknown.contains("unknown issuer") && unknown.contains("ca_file"),
            "{unknown}"
        );
        let name = explain_rustls(&rustls::Error::InvalidCertificate(
            CertificateError::NotValidForName,
        ));
        assert!(name.contains("subjectAltName"), "{name}");
        // As hyper-rustls reports it: an io::Error in an io::Error.
        let io = std::io::Error::other(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer),
        ));
        assert!(explain(&io, true, false)
            .unwrap()
            .contains("unknown issuer"));
    }

    #[test]
    fn a_ca_file_without_certificates_is_refused_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ca.pem");
        std::fs::write(&path, "not a certificate\n").unwrap();
        let err = client_config(Some(&path)).unwrap_err().to_string();
        assert!(err.contains("holds no certificate"), "{err}");
        let err = client_config(Some(&dir.path().join("missing.pem")))
            .unwrap_err()
            .to_string();
        assert!(err.contains("cannot read the CA file"), "{err}");
    }
}
