//! `doctor`: why it doesn't work here. Each check says what it found, and a failed one says
//! in one sentence what to do. The subcommand only presents them.

mod local;
mod network;

use std::net::SocketAddr;
use std::time::Duration;

use secrecy::SecretString;
use serde::Serialize;
use serde_json::{Value, json};

use crate::env::Environment;
use crate::net::Route;
use crate::webex::{Operation, WebexClient, WebexError};

/// Clock skew beyond this makes TLS and OAuth fail in odd ways.
pub const MAX_SKEW: Duration = Duration::from_secs(5 * 60);

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Fail,
    /// Worth knowing; never a failure.
    Info,
    /// Not checked (nothing to check it with).
    Skip,
}

/// One line of the report.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub check: &'static str,
    pub status: Status,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub advice: Option<String>,
    /// The same facts for scripts.
    pub data: Value,
}

impl Check {
    fn new(check: &'static str, status: Status, detail: impl Into<String>, data: Value) -> Self {
        Check {
            check,
            status,
            detail: detail.into(),
            advice: None,
            data,
        }
    }

    fn advice(mut self, advice: impl Into<String>) -> Self {
        self.advice = Some(advice.into());
        self
    }
}

/// What the checks are run with.
pub struct Subject<'a> {
    pub env: &'a Environment,
    pub client: &'a WebexClient,
    pub admin_token: Option<SecretString>,
    /// The redirect URLs of `--credentials`, if given.
    pub redirect_urls: Option<Vec<String>>,
    pub connect_timeout: Duration,
}

/// Every check, in the order a connection needs them.
pub async fn run(subject: &Subject<'_>) -> Vec<Check> {
    let base = subject.client.base();
    let mut checks = vec![Check::new(
        "environment",
        Status::Ok,
        format!("{}: {}", subject.env.label(), base),
        json!({ "apiBase": base.as_str(), "environment": subject.env.label() }),
    )];
    let route = subject.client.route().clone();
    checks.push(network::proxy_check(&route));
    let url = base.url();
    let (host, port) = match &route {
        Route::Proxy(p) => {
            let u = url::Url::parse(p.url()).ok();
            (
                u.as_ref()
                    .and_then(|u| u.host_str().map(str::to_owned))
                    .unwrap_or_default(),
                u.and_then(|u| u.port_or_known_default()).unwrap_or(80),
            )
        }
        Route::Direct(_) => (
            url.host_str().unwrap_or_default().to_owned(),
            url.port_or_known_default().unwrap_or(443),
        ),
    };
    let what = if matches!(route, Route::Proxy(_)) {
        "the proxy"
    } else {
        "the API"
    };
    let literal = host
        .trim_matches(['[', ']'])
        .parse::<std::net::IpAddr>()
        .ok();
    let addrs = match tokio::net::lookup_host((host.trim_matches(['[', ']']), port)).await {
        Ok(a) => {
            let addrs: Vec<SocketAddr> = a.collect();
            checks.push(Check::new(
                "dns",
                if literal.is_some() { Status::Info } else { Status::Ok },
                if literal.is_some() {
                    format!("{host} ({what}) is an address: nothing to look up")
                } else {
                    format!(
                    "{host} ({what}) is {}",
                    addrs
                        .iter()
                        .map(|a| a.ip().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
                },
                json!({ "host": host, "addresses": addrs.iter().map(|a| a.ip().to_string()).collect::<Vec<_>>() }),
            ));
            addrs
        }
        Err(e) => {
            checks.push(
                Check::new("dns", Status::Fail, format!("{host} ({what}) does not resolve: {e}"), json!({ "host": host, "error": e.to_string() }))
                    .advice("Check the DNS settings or VPN of this machine; on an agency network, Webex may be reached only through the proxy (HTTPS_PROXY or --proxy)."),
            );
            Vec::new()
        }
    };
    checks.push(network::tcp_check(&addrs, &host, what, subject.connect_timeout).await);
    // Without a connection, what needs one is not tried (its failure would only repeat).
    let connected = checks.iter().all(|c| c.status != Status::Fail);
    if connected {
        let (tls, date) = network::tls_check(subject.client, url.scheme() == "https").await;
        let reached = tls.status != Status::Fail;
        checks.push(tls);
        checks.push(network::clock_check(date));
        checks.push(fips_check(subject.client));
        checks.push(if reached {
            token_check(subject).await
        } else {
            unreached("admin token")
        });
    } else {
        checks.push(unreached("tls"));
        checks.push(unreached("clock"));
        checks.push(fips_check(subject.client));
        checks.push(unreached("admin token"));
    }
    checks.push(ports_check(subject.redirect_urls.as_deref()));
    checks.extend(local::checks());
    checks
}

fn unreached(check: &'static str) -> Check {
    Check::new(
        check,
        Status::Skip,
        "not checked: no connection (see above)",
        Value::Null,
    )
}

fn fips_check(client: &WebexClient) -> Check {
    let network = client.network();
    let on = network.fips();
    let module = crate::build_facts::crypto_module();
    let facts = crate::build_facts::json();
    let data = json!({
        "fips": on,
        "provider": network.provider_name(),
        "tls": facts["tls"],
        "cryptoModule": facts["cryptoModule"],
    });
    // The module and its CMVP status as the build knows them (README "Supply chain").
    let stack = format!(
        "{}; {}",
        crate::build_facts::tls_stack(),
        crate::build_facts::module_line(&module)
    );
    if on {
        Check::new("fips", Status::Ok, format!("FIPS mode on: {stack}"), data)
    } else {
        Check::new(
            "fips",
            Status::Info,
            format!("FIPS mode off: {stack} (scripts/fips.sh builds the FIPS build)"),
            data,
        )
    }
}

async fn token_check(subject: &Subject<'_>) -> Check {
    let Some(token) = &subject.admin_token else {
        return Check::new(
            "admin token",
            Status::Skip,
            "none given (WEBEX_ADMIN_TOKEN or --token-file)",
            Value::Null,
        );
    };
    let client = subject.client;
    let person = match client.people_me(token, Operation::CheckAdminToken).await {
        Ok(p) => p,
        Err(e) => {
            let advice = e.next_step();
            return Check::new(
                "admin token",
                Status::Fail,
                e.to_string(),
                json!({ "error": e.to_string() }),
            )
            .advice(advice);
        }
    };
    let expiry = crate::scope_test::token_expiry(client, token).await;
    let (detail, expires) = match &expiry {
        Ok(at) => {
            let left = *at - time::OffsetDateTime::now_utc();
            (
                format!(
                    "{}; expires {} (in {} h {} min)",
                    person.describe(),
                    crate::types::rfc3339(*at),
                    left.whole_hours(),
                    left.whole_minutes() % 60
                ),
                Some(crate::types::rfc3339(*at)),
            )
        }
        Err(e) => (
            format!("{}; expiry unknown ({})", person.describe(), short(e)),
            None,
        ),
    };
    let is_past = expiry
        .as_ref()
        .is_ok_and(|at| *at <= time::OffsetDateTime::now_utc());
    let check = Check::new(
        "admin token",
        if is_past { Status::Fail } else { Status::Ok },
        detail,
        json!({ "person": person.describe(), "personId": person.id, "orgId": person.org_id, "expires": expires }),
    );
    if is_past {
        check.advice("Get a fresh admin token from Control Hub (they last at most 12 hours).")
    } else {
        check
    }
}

fn short(e: &WebexError) -> String {
    e.to_string().lines().next().unwrap_or_default().to_owned()
}

/// Whether each loopback redirect URL's port is free for the callback listener now.
fn ports_check(redirect_urls: Option<&[String]>) -> Check {
    let Some(urls) = redirect_urls else {
        return Check::new(
            "redirect ports",
            Status::Skip,
            "no --credentials file given",
            Value::Null,
        );
    };
    let mut busy = Vec::new();
    let mut free = Vec::new();
    for u in urls.iter().filter(|u| crate::authorization::is_loopback(u)) {
        let Some(port) = url::Url::parse(u)
            .ok()
            .and_then(|u| u.port_or_known_default())
        else {
            continue;
        };
        match std::net::TcpListener::bind(("127.0.0.1", port)) {
            Ok(_) => free.push(port),
            Err(e) => busy.push(format!("{port} ({e})")),
        }
    }
    let data = json!({ "free": free, "busy": busy });
    if free.is_empty() && busy.is_empty() {
        return Check::new(
            "redirect ports",
            Status::Info,
            "no loopback redirect URL (the landed address is pasted instead)",
            data,
        );
    }
    if busy.is_empty() {
        let list: Vec<String> = free.iter().map(ToString::to_string).collect();
        Check::new(
            "redirect ports",
            Status::Ok,
            format!("free: {}", list.join(", ")),
            data,
        )
    } else {
        Check::new(
            "redirect ports",
            Status::Fail,
            format!("in use: {}", busy.join(", ")),
            data,
        )
        .advice("Stop the program that holds the port (ss -ltnp shows it), and run doctor again.")
    }
}
