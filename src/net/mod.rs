//! How this machine reaches Webex: the trusted certificate authorities, the one TLS
//! configuration (FIPS mode in the `fips` build), and the proxy for an API base.

pub mod proxy;
pub mod trust;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::ClientConfig;

pub use proxy::{Direct, Proxy, Route};
pub use trust::{CertFailure, Source, Trust, Verdict};

use crate::types::ApiBase;

/// Why the network settings can't be used; nothing was sent.
#[derive(Debug, thiserror::Error)]
pub enum NetworkError {
    #[error(transparent)]
    Bundle(#[from] trust::BundleError),
    #[error("--proxy {0}")]
    Proxy(String),
    /// A proxy variable of the environment holds an address that can't be used.
    #[error("{0}; fix or unset the variable (or give --proxy)")]
    ProxyVariable(String),
    #[error("could not set up TLS: {0}")]
    Tls(String),
    #[error(
        "this is the FIPS build, but rustls does not report FIPS mode for its TLS configuration; refusing to start"
    )]
    NotFips,
}

/// The trust sources, TLS configuration and proxy choice every client of this process shares.
#[derive(Debug, Clone)]
pub struct Network {
    trust: Arc<Trust>,
    tls: Arc<ClientConfig>,
    proxy_flag: Option<String>,
}

impl Network {
    /// From `--ca-bundle`, `--proxy` and `SSL_CERT_FILE`. In the FIPS build, refuses a TLS
    /// configuration that is not in FIPS mode.
    pub fn new(ca_bundle: Option<&Path>, proxy: Option<&str>) -> Result<Self, NetworkError> {
        if let Some(p) = proxy {
            check_proxy_url(p).map_err(NetworkError::Proxy)?;
        }
        // A proxy variable this client can't use is refused, never silently gone around
        // (curl says "Unsupported proxy scheme" too).
        for name in proxy::VARIABLES {
            if let Ok(value) = std::env::var(name)
                && !value.trim().is_empty()
            {
                check_proxy_url(value.trim())
                    .map_err(|why| NetworkError::ProxyVariable(format!("{name}: {why}")))?;
            }
        }
        let ssl_cert_file = std::env::var_os("SSL_CERT_FILE")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        let trust = Trust::load(ca_bundle, ssl_cert_file.as_deref())?;
        let tls = trust
            .client_config()
            .map_err(|e| NetworkError::Tls(e.to_string()))?;
        if cfg!(feature = "fips") && !tls.fips() {
            return Err(NetworkError::NotFips);
        }
        Ok(Network {
            trust,
            tls: Arc::new(tls),
            proxy_flag: proxy.map(str::to_owned),
        })
    }

    /// No `--ca-bundle`, no `--proxy`: the system store and the environment's proxy.
    pub fn from_environment() -> Result<Self, NetworkError> {
        Network::new(None, None)
    }

    pub fn trust(&self) -> &Arc<Trust> {
        &self.trust
    }

    /// The rustls configuration every connection uses.
    pub fn tls(&self) -> &ClientConfig {
        &self.tls
    }

    /// Whether connections use rustls' FIPS mode.
    pub fn fips(&self) -> bool {
        self.tls.fips()
    }

    /// The TLS library and its cryptography, in words.
    pub fn provider_name(&self) -> &'static str {
        if cfg!(feature = "fips") {
            "rustls with the aws-lc-rs FIPS module (aws-lc-fips-sys)"
        } else {
            "rustls with aws-lc-rs"
        }
    }

    /// How requests to `base` travel.
    pub fn route(&self, base: &ApiBase) -> Route {
        proxy::route(base, self.proxy_flag.as_deref(), &|name| {
            std::env::var(name).ok()
        })
    }
}

/// In the FIPS build, fail unless rustls reports FIPS mode for the configuration every
/// connection uses; nothing to check otherwise.
pub fn fips_self_check() -> Result<(), NetworkError> {
    if cfg!(feature = "fips") {
        Network::from_environment().map(|_| ())
    } else {
        Ok(())
    }
}

/// A proxy URL reqwest can use: http or https, with a host.
fn check_proxy_url(text: &str) -> Result<(), String> {
    let with_scheme = if text.contains("://") {
        text.to_owned()
    } else {
        format!("http://{text}")
    };
    let url = url::Url::parse(&with_scheme)
        .map_err(|e| format!("'{}' is not a proxy address ({e})", redact(text)))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!(
            "'{}': give an http:// or https:// proxy with a host, such as http://proxy.agency.gov:3128",
            redact(text)
        ));
    }
    Ok(())
}

/// A proxy address as typed, without a password.
fn redact(text: &str) -> String {
    match text.rsplit_once('@') {
        Some((_, host)) => format!("…@{host}"),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_proxy_flag_is_refused_without_showing_its_password() {
        let e = Network::new(None, Some("ftp://bob:pw-123@proxy:21")).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("http://"), "{text}");
        assert!(!text.contains("pw-123"), "{text}");
        assert!(Network::new(None, Some("proxy.agency.gov:3128")).is_ok());
    }
}
