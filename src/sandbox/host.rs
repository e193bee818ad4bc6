//! Which `Host` the sandbox answers to: a web page can make a browser send requests to a
//! loopback port under any host name it controls (DNS rebinding), so only loopback's names
//! (and those the configuration adds) are answered.

use std::sync::Arc;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Refuse a request whose `Host` is not a loopback name (`127.0.0.1`, `localhost`, `[::1]`) or one
/// of `also`.
pub(super) async fn loopback_host_only(
    axum::extract::State(also): axum::extract::State<Arc<Vec<String>>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    // The name without its port ("[::1]:8080" keeps its brackets).
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    if ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .copied()
        .chain(also.iter().map(String::as_str))
        .any(|ours| name.eq_ignore_ascii_case(ours))
    {
        next.run(request).await
    } else {
        (
            StatusCode::MISDIRECTED_REQUEST,
            "The webex-wizard sandbox answers only to a loopback Host (127.0.0.1, localhost or [::1]).",
        )
            .into_response()
    }
}
