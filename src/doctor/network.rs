//! The network checks: proxy, TCP, TLS (and which source trusted the chain), clock.

use std::net::SocketAddr;
use std::time::{Duration, SystemTime};

use serde_json::{Value, json};

use super::{Check, MAX_SKEW, Status};
use crate::net::{Route, Verdict};
use crate::webex::WebexClient;

pub(super) fn proxy_check(route: &Route) -> Check {
    let data = match route {
        Route::Proxy(p) => json!({ "proxy": p.shown(), "from": p.from }),
        Route::Direct(crate::net::Direct::NoProxy { proxy, no_proxy }) => {
            json!({ "proxy": null, "skipped": proxy.shown(), "noProxy": no_proxy })
        }
        Route::Direct(_) => json!({ "proxy": null }),
    };
    Check::new("proxy", Status::Ok, route.to_string(), data)
}

pub(super) async fn tcp_check(
    addrs: &[SocketAddr],
    host: &str,
    what: &str,
    timeout: Duration,
) -> Check {
    let Some(addr) = addrs.first() else {
        return Check::new("tcp", Status::Skip, "no address to connect to", Value::Null);
    };
    let result = tokio::time::timeout(timeout, tokio::net::TcpStream::connect(addr)).await;
    let error = match result {
        Ok(Ok(_)) => {
            return Check::new(
                "tcp",
                Status::Ok,
                format!("connected to {host} ({what}) at {addr}"),
                json!({ "address": addr.to_string() }),
            );
        }
        Ok(Err(e)) => e.to_string(),
        Err(_) => format!("no answer within {} s", timeout.as_secs()),
    };
    Check::new("tcp", Status::Fail, format!("could not connect to {host} ({what}) at {addr}: {error}"), json!({ "address": addr.to_string(), "error": error }))
        .advice("A firewall or VPN is in the way: check that this machine may reach it on that port, or use the agency's proxy (HTTPS_PROXY or --proxy).")
}

/// TLS to the API (through the proxy, as every request goes), and the server's `Date`.
pub(super) async fn tls_check(client: &WebexClient, https: bool) -> (Check, Option<SystemTime>) {
    let answer = client.get_any("/people/me", None).await;
    let verdict = client.network().trust().take_verdict();
    let date = answer.as_ref().ok().and_then(|(_, headers)| {
        headers
            .get(reqwest::header::DATE)
            .and_then(|d| d.to_str().ok())
            .and_then(|d| httpdate::parse_http_date(d).ok())
    });
    let check = match (answer, verdict) {
        (Err(e), _) => {
            let advice = e.next_step();
            Check::new(
                "tls",
                Status::Fail,
                e.to_string(),
                json!({ "error": e.to_string() }),
            )
            .advice(advice)
        }
        (Ok(_), _) if !https => Check::new(
            "tls",
            Status::Info,
            "not used: plain http on loopback (a sandbox)",
            Value::Null,
        ),
        (Ok((status, _)), Some(Verdict::Accepted { issuer, source, .. })) => Check::new(
            "tls",
            Status::Ok,
            format!(
                "chain issued by \"{}\", trusted through {source}; the API answered HTTP {}",
                issuer.as_deref().unwrap_or("?"),
                status.as_u16()
            ),
            json!({ "issuer": issuer, "trustedBy": source.to_string(), "status": status.as_u16() }),
        ),
        (Ok((status, _)), _) => Check::new(
            "tls",
            Status::Ok,
            format!("the API answered HTTP {}", status.as_u16()),
            json!({ "status": status.as_u16() }),
        ),
    };
    (check, date)
}

pub(super) fn clock_check(server: Option<SystemTime>) -> Check {
    let Some(server) = server else {
        return Check::new(
            "clock",
            Status::Skip,
            "the API sent no Date to compare with",
            Value::Null,
        );
    };
    let now = SystemTime::now();
    let (skew, ahead) = match now.duration_since(server) {
        Ok(d) => (d, true),
        Err(e) => (e.duration(), false),
    };
    let secs = skew.as_secs() as i64 * if ahead { 1 } else { -1 };
    let detail = format!(
        "this machine is {} s {} the server",
        skew.as_secs(),
        if ahead { "ahead of" } else { "behind" }
    );
    if skew > MAX_SKEW {
        Check::new("clock", Status::Fail, detail, json!({ "skewSeconds": secs }))
            .advice("Set this machine's clock (turn on NTP time sync): TLS and OAuth fail in odd ways when it is minutes off.")
    } else {
        Check::new("clock", Status::Ok, detail, json!({ "skewSeconds": secs }))
    }
}
