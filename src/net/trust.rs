//! Which certificate authorities every TLS connection trusts, and the one rustls
//! configuration built on them.
//!
//! The sources are tried in this order, and the first that accepts a chain wins:
//! `--ca-bundle`, `SSL_CERT_FILE`, the operating system's store (on Linux its CA bundle file,
//! then its certificate folders; elsewhere the platform verifier), and, only when the system
//! has no store, the Mozilla roots compiled in. Each source but `--ca-bundle` (read at start, so
//! a bad one is a usage error) is loaded the first time a chain reaches it, and once: a chain
//! that `--ca-bundle` accepts never costs a parse of the system store, and a file is not parsed
//! twice as two sources. The outcome of the last check is kept, so a refusal can name the host,
//! the issuer that was not trusted and every source tried, and `doctor` can say which source
//! accepted a chain.

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

/// How a lazy source is loaded: its verifier, or `None` when it holds nothing usable.
type Loader = Box<dyn Fn(&Arc<CryptoProvider>) -> Option<Verifier> + Send + Sync>;

/// A source loaded the first time a chain reaches it, and kept (or known to be unusable).
struct LazySource {
    source: Source,
    load: Loader,
    loaded: OnceLock<Option<Verifier>>,
}

impl fmt::Debug for LazySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.source)
    }
}

/// The trusted authorities, and the outcome of the last check.
#[derive(Debug)]
pub struct Trust {
    provider: Arc<CryptoProvider>,
    /// `--ca-bundle`, read at start (a bad one is a usage error before anything is sent).
    given: Vec<(Source, Verifier)>,
    /// `SSL_CERT_FILE`, then the system store, each loaded when a chain first reaches it: a
    /// run that only talks to a loopback sandbox over http, or whose chains `--ca-bundle`
    /// accepts, never parses them.
    lazy: Vec<LazySource>,
    /// The bundled Mozilla roots, used only when no system source could be loaded at all.
    bundled: OnceLock<Option<Verifier>>,
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
        let mut lazy = Vec::new();
        if let Some(path) = ssl_cert_file.clone() {
            lazy.push(LazySource {
                source: Source::SslCertFile(path.clone()),
                load: Box::new(move |provider| match bundle_verifier(&path, provider) {
                    Ok(v) => Some(v),
                    Err(e) => {
                        tracing::warn!(path = %path.display(), error = %e, "SSL_CERT_FILE is not used");
                        None
                    }
                }),
                loaded: OnceLock::new(),
            });
        }
        lazy.extend(system_sources(ssl_cert_file.as_deref()));
        Ok(Arc::new(Trust {
            provider,
            given,
            lazy,
            bundled: OnceLock::new(),
            notes,
            last: Mutex::new(None),
        }))
    }

    /// The sources in the order they are tried, each loaded only when `next` asks for it; the
    /// bundled roots come last, and only when no system source could be loaded.
    fn each(&self) -> impl Iterator<Item = (&Source, &Verifier)> {
        let given = self.given.iter().map(|(s, v)| (s, v));
        let lazy = self.lazy.iter().filter_map(|l| {
            l.loaded
                .get_or_init(|| (l.load)(&self.provider))
                .as_ref()
                .map(|v| (&l.source, v))
        });
        let bundled = std::iter::once(()).filter_map(move |()| {
            let any_system = self
                .lazy
                .iter()
                .any(|l| l.source == Source::System && l.loaded.get().is_some_and(Option::is_some));
            if any_system {
                return None;
            }
            self.bundled
                .get_or_init(|| {
                    tracing::warn!(
                        "no system certificate store; the bundled Mozilla roots are used"
                    );
                    let roots = RootCertStore {
                        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
                    };
                    WebPkiServerVerifier::builder_with_provider(
                        Arc::new(roots),
                        self.provider.clone(),
                    )
                    .build()
                    .ok()
                    .map(|v| v as Verifier)
                })
                .as_ref()
                .map(|v| (&Source::Bundled, v))
        });
        given.chain(lazy).chain(bundled)
    }

    /// The sources loaded so far, in the order they are tried (after a refusal: every source).
    pub fn sources(&self) -> impl Iterator<Item = &Source> {
        let lazy = self
            .lazy
            .iter()
            .filter(|l| l.loaded.get().is_some_and(Option::is_some))
            .map(|l| &l.source);
        let bundled = self
            .bundled
            .get()
            .is_some_and(Option::is_some)
            .then_some(&Source::Bundled);
        self.given.iter().map(|(s, _)| s).chain(lazy).chain(bundled)
    }

    /// The rustls configuration for every connection: TLS 1.2 and 1.3 with this provider, these
    /// sources, HTTP/1.1.
    pub fn client_config(self: &Arc<Self>) -> Result<ClientConfig, rustls::Error> {
        let mut config = ClientConfig::builder_with_provider(self.provider.clone())
            .with_safe_default_protocol_versions()?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Checker(self.clone())))
            .with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
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
        for (source, verifier) in self.each() {
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

/// The system store's sources, each loaded when first needed. On Linux: the CA bundle file
/// (unless it is `SSL_CERT_FILE`, already a source of its own), then the certificate folders,
/// which on most systems hold the same certificates one per file; elsewhere the platform
/// verifier.
fn system_sources(ssl_cert_file: Option<&Path>) -> Vec<LazySource> {
    let roots_of = |file: Option<PathBuf>, dirs: Vec<PathBuf>| {
        move |provider: &Arc<CryptoProvider>| -> Option<Verifier> {
            let mut result = rustls_native_certs::load_certs_from_paths(file.as_deref(), None);
            for dir in &dirs {
                let more = rustls_native_certs::load_certs_from_paths(None, Some(dir));
                result.certs.extend(more.certs);
            }
            let mut roots = RootCertStore::empty();
            roots.add_parsable_certificates(result.certs);
            if roots.is_empty() {
                return None;
            }
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .build()
                .ok()
                .map(|v| v as Verifier)
        }
    };
    if cfg!(target_os = "linux") {
        let (file, dirs) = crate::platform::system_ca_locations();
        let same_as_env =
            |f: &Path| ssl_cert_file.is_some_and(|e| crate::platform::same_file(e, f));
        let mut found = Vec::new();
        if let Some(file) = file.filter(|f| !same_as_env(f)) {
            found.push(LazySource {
                source: Source::System,
                load: Box::new(roots_of(Some(file), Vec::new())),
                loaded: OnceLock::new(),
            });
        }
        if !dirs.is_empty() {
            found.push(LazySource {
                source: Source::System,
                load: Box::new(roots_of(None, dirs)),
                loaded: OnceLock::new(),
            });
        }
        found
    } else {
        vec![LazySource {
            source: Source::System,
            load: Box::new(|provider| {
                rustls_platform_verifier::Verifier::new(provider.clone())
                    .ok()
                    .map(|v| Arc::new(v) as Verifier)
            }),
            loaded: OnceLock::new(),
        }]
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

    /// A CA made here and a server certificate it signed for `host`: the CA's PEM, the leaf.
    fn private_ca(host: &str) -> (String, CertificateDer<'static>) {
        use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
        let ca_key = KeyPair::generate().unwrap();
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let ca_pem = ca.self_signed(&ca_key).unwrap().pem();
        let issuer = Issuer::new(ca, ca_key);
        let leaf_key = KeyPair::generate().unwrap();
        let leaf = CertificateParams::new(vec![host.to_owned()])
            .unwrap()
            .signed_by(&leaf_key, &issuer)
            .unwrap();
        (ca_pem, leaf.der().clone())
    }

    /// Issue 22: a chain `--ca-bundle` accepts never loads `SSL_CERT_FILE` or the system store;
    /// one it refuses tries them, each once, and the refusal names every source tried.
    #[test]
    fn later_sources_are_loaded_only_when_a_chain_reaches_them() {
        let dir = tempfile::tempdir().unwrap();
        let (ca_pem, leaf) = private_ca("api.agency.example");
        let bundle = dir.path().join("ca.pem");
        std::fs::write(&bundle, &ca_pem).unwrap();
        // SSL_CERT_FILE points at another CA, which accepts nothing here.
        let (other_pem, _) = private_ca("elsewhere.example");
        let env_file = dir.path().join("env.pem");
        std::fs::write(&env_file, &other_pem).unwrap();
        let trust = Trust::load(Some(&bundle), Some(&env_file)).unwrap();
        let name = ServerName::try_from("api.agency.example").unwrap();
        let now = UnixTime::now();
        assert!(trust.check(&leaf, &[], &name, &[], now).is_ok());
        assert!(
            trust.lazy.iter().all(|l| l.loaded.get().is_none()),
            "loaded before it was needed: {:?}",
            trust.lazy
        );
        assert_eq!(trust.sources().count(), 1);
        // A chain nobody trusts goes through every source, each loaded once.
        let (_, stranger) = private_ca("api.agency.example");
        assert!(trust.check(&stranger, &[], &name, &[], now).is_err());
        assert!(trust.lazy.iter().all(|l| l.loaded.get().is_some()));
        let tried: Vec<String> = trust.sources().map(ToString::to_string).collect();
        assert!(
            tried[0].starts_with("--ca-bundle") && tried[1].starts_with("SSL_CERT_FILE"),
            "{tried:?}"
        );
    }
}
