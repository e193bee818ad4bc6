//! Small types everything else uses: where the API is, what a redirect URL is, and the one
//! definition of "loopback". This module imports nothing else of the crate.

use std::fmt;
use std::net::IpAddr;

use url::{Host, Url};

/// Whether a URL's host is a loopback address or `localhost`.
pub fn is_loopback_host(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// An API base URL such as `https://api-usgov.webex.com/v1`, without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiBase(String);

impl ApiBase {
    /// Accept https anywhere, and http only on a loopback host (the sandbox, a local proxy).
    pub fn parse(text: &str) -> Result<Self, String> {
        let url = Url::parse(text.trim())
            .map_err(|e| format!("'{text}' is not an absolute URL ({e})"))?;
        match url.scheme() {
            "https" => {}
            "http" if is_loopback_host(&url) => {}
            "http" => {
                return Err(format!(
                    "'{text}' uses plain http on a host that is not loopback; tokens would travel unencrypted. Use https."
                ));
            }
            other => {
                return Err(format!(
                    "'{text}' uses {other}:; the API base must be https"
                ));
            }
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(format!("'{text}' must not have a query or fragment"));
        }
        Ok(ApiBase(url.as_str().trim_end_matches('/').to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `{base}{path}`; `path` starts with `/`.
    pub fn join(&self, path: &str) -> String {
        format!("{}{}", self.0, path)
    }

    /// An http base on a loopback host: a sandbox or a local proxy.
    pub fn is_loopback(&self) -> bool {
        Url::parse(&self.0).is_ok_and(|u| u.scheme() == "http" && is_loopback_host(&u))
    }

    /// The base as a parsed URL.
    pub fn url(&self) -> Url {
        // Built by `parse`, so it parses.
        Url::parse(&self.0).unwrap_or_else(|_| unreachable!("an ApiBase is a valid URL"))
    }

    /// The host is a loopback address or `localhost`, whatever the scheme.
    pub fn host_is_loopback(&self) -> bool {
        is_loopback_host(&self.url())
    }

    pub fn authorize_url(&self) -> String {
        self.join("/authorize")
    }

    pub fn token_url(&self) -> String {
        self.join("/access_token")
    }
}

impl fmt::Display for ApiBase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A redirect URL as webex-wizard accepts it: absolute, https (or http on a loopback host),
/// no fragment, no user or password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectUrl(Url);

impl RedirectUrl {
    /// Check `value` against the rules; each problem says how to write it instead.
    pub fn parse(value: &str) -> Result<Self, String> {
        let value = value.trim();
        if value.is_empty() {
            return Err("the redirect URL must not be blank".into());
        }
        // Two URLs glued together ("https://a/cbhttp://localhost:9000/cb") parse as one.
        if value.matches("://").count() > 1 {
            return Err(format!(
                "'{value}' holds two URLs; put each redirect URL on its own line"
            ));
        }
        let url = Url::parse(value).map_err(|e| {
        format!(
            "'{value}' is not an absolute URL ({e}); write it like https://app.example.com/callback"
        )
    })?;
        if url.cannot_be_a_base() || url.host().is_none() {
            return Err(format!(
                "'{value}' has no host; write it like https://app.example.com/callback"
            ));
        }
        match url.scheme() {
            "https" => {}
            "http" if is_loopback_host(&url) => {}
            "http" => {
                return Err(format!(
                    "'{value}' uses http on a host that is not loopback; use https (http is allowed only for localhost, 127.0.0.1 or [::1])"
                ));
            }
            other => {
                return Err(format!(
                    "'{value}' uses {other}:; redirect URLs must be https (or http on localhost)"
                ));
            }
        }
        if url.fragment().is_some() {
            return Err(format!(
                "'{value}' has a #fragment, which OAuth redirect URLs must not have"
            ));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(format!(
                "'{value}' carries a user name or password; remove them"
            ));
        }
        Ok(RedirectUrl(url))
    }

    /// Whether the wizard can listen for the redirect itself (a loopback host).
    pub fn is_loopback(&self) -> bool {
        is_loopback_host(&self.0)
    }

    pub fn as_url(&self) -> &Url {
        &self.0
    }

    pub fn into_url(self) -> Url {
        self.0
    }
}

impl fmt::Display for RedirectUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

/// A time as RFC 3339 (`2026-11-25T12:00:00Z`), as every file and `--json` writes it.
pub fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.to_string())
}

/// Where a token's scopes come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeSource {
    /// The token answer's `scope`.
    Granted,
    /// The answer had no `scope`: by RFC 6749 section 5.1 the granted scope is the requested one.
    Requested,
    /// Neither the answer nor the request said (a refresh token given without its tokens file).
    Unknown,
}

impl ScopeSource {
    /// The value of a tokens file's `scopeSource`.
    pub fn as_str(self) -> &'static str {
        match self {
            ScopeSource::Granted => "granted",
            ScopeSource::Requested => "requested",
            ScopeSource::Unknown => "unknown",
        }
    }

    /// A tokens file's `scopeSource` (files from before it was recorded held Webex's `scope`).
    pub fn from_file(value: Option<&str>) -> Self {
        match value {
            Some("requested") => ScopeSource::Requested,
            Some("unknown") => ScopeSource::Unknown,
            _ => ScopeSource::Granted,
        }
    }
}
