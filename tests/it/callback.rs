//! The loopback listener under attack (issue 10, items 11 to 13 and 21): a flood of idle
//! connections, a foreign Host header, HTTP/2 cleartext. The real browser still gets through.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use webex_wizard::callback::{CallbackListener, MAX_CONNECTIONS};
use webex_wizard::env::ApiBase;
use webex_wizard::oauth::AuthorizationRequest;

/// A listener on a free port for a fresh request; its address and the request's state.
async fn listening() -> (CallbackListener, u16, String, Arc<Mutex<Vec<usize>>>) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let redirect = format!("http://127.0.0.1:{port}/cb");
    let base = ApiBase::parse("https://api-usgov.webex.com/v1").unwrap();
    let request =
        AuthorizationRequest::new(&base, "C1", &redirect, &["spark:people_read".into()], true)
            .unwrap();
    let state = request
        .url
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned();
    let refused = Arc::new(Mutex::new(Vec::new()));
    let seen = refused.clone();
    let listener = CallbackListener::bind(
        &redirect,
        request.checker(),
        Arc::new(move |n| seen.lock().unwrap().push(n)),
    )
    .await
    .unwrap();
    (listener, port, state, refused)
}

/// Send one raw HTTP/1.1 request and read the whole answer.
async fn get(port: u16, host: &str, target: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let request = format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer).await;
    answer
}

#[tokio::test]
async fn a_flood_of_idle_connections_does_not_keep_the_browser_out() {
    let (listener, port, state, _) = listening().await;
    // More idle sockets than the listener keeps (the report used 1,100).
    let mut idle = Vec::new();
    for _ in 0..1_100 {
        idle.push(TcpStream::connect(("127.0.0.1", port)).await.unwrap());
    }
    assert!(idle.len() > MAX_CONNECTIONS);
    let answer = get(
        port,
        &format!("127.0.0.1:{port}"),
        &format!("/cb?code=the-code&state={state}"),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let code = tokio::time::timeout(
        Duration::from_secs(10),
        listener.wait(Duration::from_secs(30)),
    )
    .await
    .expect("the wait ended")
    .expect("the real callback was taken");
    assert_eq!(secrecy::ExposeSecret::expose_secret(&code), "the-code");
}

#[tokio::test]
async fn a_foreign_host_header_is_refused_and_the_wait_goes_on() {
    let (listener, port, state, refused) = listening().await;
    let target = format!("/cb?code=rebound&state={state}");
    // DNS rebinding: a page on attacker.example whose name now resolves to 127.0.0.1.
    let answer = get(port, &format!("attacker.example:{port}"), &target).await;
    assert!(answer.starts_with("HTTP/1.1 421"), "{answer}");
    assert_eq!(*refused.lock().unwrap(), [1]);
    let answer = get(
        port,
        &format!("127.0.0.1:{port}"),
        &format!("/cb?code=real&state={state}"),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let code = listener.wait(Duration::from_secs(30)).await.unwrap();
    assert_eq!(secrecy::ExposeSecret::expose_secret(&code), "real");
}

#[tokio::test]
async fn http2_cleartext_is_not_spoken() {
    let (_listener, port, _, _) = listening().await;
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    stream
        .write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    let text = String::from_utf8_lossy(&answer);
    // An HTTP/2 server would answer with a SETTINGS frame (type 4 at byte 3).
    assert!(
        answer.len() < 9 || answer[3] != 4 || text.starts_with("HTTP/1.1"),
        "{text:?}"
    );
    assert!(
        answer.is_empty() || text.starts_with("HTTP/1.1 4"),
        "{text:?}"
    );
}
