//! Which certificate authorities every TLS connection trusts, and the one rustls
//! configuration built on them.
//!
//! The sources are tried in this order, and the first that accepts a chain wins:
//! `--ca-bundle`, `SSL_CERT_FILE`, the operating system's store (through the platform
//! verifier), and, only when the system has no store, the Mozilla roots compiled in. The
//! outcome of the last check is kept, so a refusal can name the host and the issuer that was
//! not trusted, and `doctor` can say which source accepted a chain.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};

/// Where trusted certificate authorities come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    CaBundle(PathBuf),
    SslCertFile(PathBuf),
    System,
    Bundled,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::CaBundle(p) => write!(f, "--ca-bundle {}", p.display()),
            Source::SslCertFile(p) => write!(f, "SSL_CERT_FILE {}", p.display()),
            Source::System => f.write_str("the system store"),
            Source::Bundled => f.write_str("the bundled Mozilla roots"),
        }
    }
}

/// A certificate chain no source accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertFailure {
    pub host: String,
    /// The issuer named by the topmost certificate the server sent: the authority that is
    /// missing from every source.
    pub issuer: Option<String>,
    pub reason: String,
}

/// What the last certificate check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Accepted {
        host: String,
        issuer: Option<String>,
        source: Source,
    },
    Refused(CertFailure),
}

/// A `--ca-bundle` that can't be used.
#[derive(Debug, thiserror::Error)]
#[error("--ca-bundle {}: {detail}", path.display())]
pub struct BundleError {
    pub path: PathBuf,
    pub detail: String,
}

type Verifier = Arc<dyn ServerCertVerifier>;

/// The trusted authorities, and the outcome of the last check.
#[derive(Debug)]
pub struct Trust {
    provider: Arc<CryptoProvider>,
    /// `--ca-bundle`, read at start (a bad one is a usage error before anything is sent).
    given: Vec<(Source, Verifier)>,
    /// `SSL_CERT_FILE`, when it names a file.
    ssl_cert_file: Option<PathBuf>,
    /// `SSL_CERT_FILE` and the system store (or the bundled roots), read at the first TLS
    /// handshake: a run that only talks to a loopback sandbox over http never parses them.
    system: OnceLock<Vec<(Source, Verifier)>>,
    /// Sources that were skipped (an unreadable `SSL_CERT_FILE`).
    pub notes: Vec<String>,
    last: Mutex<Option<Verdict>>,
}

/// The cryptography every connection uses: the aws-lc-rs FIPS module in the `fips` build.
pub fn provider() -> CryptoProvider {
    #[cfg(feature = "fips")]
    {
        rustls::crypto::default_fips_provider()
    }
    #[cfg(not(feature = "fips"))]
    {
        rustls::crypto::aws_lc_rs::default_provider()
    }
}

impl Trust {
    /// Load the sources: `ca_bundle` must be usable; `ssl_cert_file` (from the environment)
    /// is skipped with a note when it is not.
    pub fn load(
        ca_bundle: Option<&Path>,
        ssl_cert_file: Option<&Path>,
    ) -> Result<Arc<Self>, BundleError> {
        let provider = Arc::new(provider());
        let mut given: Vec<(Source, Verifier)> = Vec::new();
        let mut notes = Vec::new();
        if let Some(path) = ca_bundle {
            let verifier = bundle_verifier(path, &provider).map_err(|detail| BundleError {
                path: path.to_owned(),
                detail,
            })?;
            given.push((Source::CaBundle(path.to_owned()), verifier));
        }
        let ssl_cert_file = ssl_cert_file.and_then(|path| match std::fs::metadata(path) {
            Ok(m) if m.is_file() => Some(path.to_owned()),
            Ok(_) => {
                notes.push(format!(
                    "SSL_CERT_FILE {} is not a file; it is not used",
                    path.display()
                ));
                None
            }
            Err(e) => {
                notes.push(format!("SSL_CERT_FILE {} is not used: {e}", path.display()));
                None
            }
        });
        Ok(Arc::new(Trust {
            provider,
            given,
            ssl_cert_file,
            system: OnceLock::new(),
            notes,
            last: Mutex::new(None),
        }))
    }

    /// `SSL_CERT_FILE`, then the system store through the platform verifier; the bundled
    /// Mozilla roots when the system has none.
    fn system(&self) -> &[(Source, Verifier)] {
        self.system.get_or_init(|| {
            let mut found = Vec::new();
            if let Some(path) = &self.ssl_cert_file {
                match bundle_verifier(path, &self.provider) {
                    Ok(v) => found.push((Source::SslCertFile(path.clone()), v)),
                    Err(e) => tracing::warn!(path = %path.display(), error = %e, "SSL_CERT_FILE is not used"),
                }
            }
            if let Ok(v) = rustls_platform_verifier::Verifier::new(self.provider.clone()) {
                found.push((Source::System, Arc::new(v) as Verifier));
                return found;
            }
            tracing::warn!("no system certificate store; the bundled Mozilla roots are used");
            let roots = RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            };
            if let Ok(v) =
                WebPkiServerVerifier::builder_with_provider(Arc::new(roots), self.provider.clone())
                    .build()
            {
                found.push((Source::Bundled, v as Verifier));
            }
            found
        })
    }

    fn all(&self) -> impl Iterator<Item = &(Source, Verifier)> {
        self.given.iter().chain(self.system())
    }

    /// The sources in the order they are tried.
    pub fn sources(&self) -> impl Iterator<Item = &Source> {
        self.all().map(|(s, _)| s)
    }

    /// The rustls configuration for every connection: TLS 1.2 and 1.3 with this provider, these
    /// sources, HTTP/2 or HTTP/1.1.
    pub fn client_config(self: &Arc<Self>) -> Result<ClientConfig, rustls::Error> {
        let mut config = ClientConfig::builder_with_provider(self.provider.clone())
            .with_safe_default_protocol_versions()?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Checker(self.clone())))
            .with_no_client_auth();
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(config)
    }

    /// The outcome of the last certificate check, taken (so an old one is never reported twice).
    pub fn take_verdict(&self) -> Option<Verdict> {
        self.last.lock().ok()?.take()
    }

    fn record(&self, verdict: Verdict) {
        if let Ok(mut last) = self.last.lock() {
            *last = Some(verdict);
        }
    }

    /// Check a chain as a connection does; the verdict is recorded.
    fn check(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let host = server_name.to_str().into_owned();
        let issuer = issuer_of(intermediates.last().unwrap_or(end_entity));
        let mut first_error = None;
        for (source, verifier) in self.all() {
            match verifier.verify_server_cert(
                end_entity,
                intermediates,
                server_name,
                ocsp_response,
                now,
            ) {
                Ok(ok) => {
                    self.record(Verdict::Accepted {
                        host,
                        issuer,
                        source: source.clone(),
                    });
                    return Ok(ok);
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        let error = first_error.unwrap_or(rustls::Error::InvalidCertificate(
            CertificateError::UnknownIssuer,
        ));
        self.record(Verdict::Refused(CertFailure {
            host,
            issuer,
            reason: describe(&error),
        }));
        Err(error)
    }
}

fn bundle_verifier(path: &Path, provider: &Arc<CryptoProvider>) -> Result<Verifier, String> {
    let text = crate::platform::read_limited(path, crate::platform::limits::CA_BUNDLE)
        .map_err(|e| e.to_string())?;
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(&text) {
        let cert = cert.map_err(|e| format!("not a PEM certificate file ({e})"))?;
        roots
            .add(cert)
            .map_err(|e| format!("holds a certificate that can't be used ({e})"))?;
    }
    if roots.is_empty() {
        return Err("holds no certificate (no -----BEGIN CERTIFICATE----- block)".into());
    }
    WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map(|v| v as Verifier)
        .map_err(|e| e.to_string())
}

/// The issuer's distinguished name (RFC 4514), at most 200 characters.
pub fn issuer_of(cert: &CertificateDer<'_>) -> Option<String> {
    use x509_cert::der::Decode;
    let cert = x509_cert::Certificate::from_der(cert.as_ref()).ok()?;
    let name = cert.tbs_certificate.issuer.to_string();
    Some(name.chars().take(200).collect())
}

/// Why a chain was refused, in words.
fn describe(error: &rustls::Error) -> String {
    match error {
        rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer) => {
            "its certificate authority is not trusted here".into()
        }
        rustls::Error::InvalidCertificate(
            CertificateError::Expired | CertificateError::ExpiredContext { .. },
        ) => "its certificate has expired (or this machine's clock is wrong)".into(),
        rustls::Error::InvalidCertificate(
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. },
        ) => "its certificate is not valid yet (or this machine's clock is wrong)".into(),
        rustls::Error::InvalidCertificate(
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
        ) => "its certificate is for another host name".into(),
        rustls::Error::InvalidCertificate(CertificateError::Revoked) => {
            "its certificate is revoked".into()
        }
        other => other.to_string(),
    }
}

/// The verifier rustls calls: every source, in order, recording the outcome.
#[derive(Debug)]
struct Checker(Arc<Trust>);

impl ServerCertVerifier for Checker {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.0
            .check(end_entity, intermediates, server_name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0
            .provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundle_without_certificates_is_refused_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("empty.pem");
        std::fs::write(&path, "not a certificate\n").unwrap();
        let e = Trust::load(Some(&path), None).unwrap_err();
        assert!(e.to_string().contains("holds no certificate"), "{e}");
        let missing = dir.path().join("missing.pem");
        assert!(Trust::load(Some(&missing), None).is_err());
    }

    #[test]
    fn an_unreadable_ssl_cert_file_is_skipped_with_a_note() {
        let dir = tempfile::tempdir().unwrap();
        let trust = Trust::load(None, Some(&dir.path().join("missing.pem"))).unwrap();
        assert!(
            trust.notes.iter().any(|n| n.starts_with("SSL_CERT_FILE")),
            "{:?}",
            trust.notes
        );
        assert!(!trust.sources().any(|s| matches!(s, Source::SslCertFile(_))));
    }

    #[test]
    fn the_configuration_reports_fips_mode_exactly_in_the_fips_build() {
        let trust = Trust::load(None, None).unwrap();
        let config = trust.client_config().unwrap();
        assert_eq!(config.fips(), cfg!(feature = "fips"));
    }
}
