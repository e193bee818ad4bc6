//! The embedded sandbox is strict like the real service.

use std::net::SocketAddr;

use base64::Engine;
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use webex_wizard::sandbox::{Sandbox, SandboxConfig};

async fn start(config: SandboxConfig) -> Sandbox {
    Sandbox::start(config, SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap()
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn body() -> Value {
    json!({
        "type": "integration", "name": "Probe app", "description": "d", "contactEmail": "a@example.com",
        "redirectUrls": ["http://localhost:8080/callback"], "scopes": ["spark:people_read", "spark:rooms_read", "spark:messages_read", "spark:calls_read"]
    })
}

async fn create(sb: &Sandbox, body: &Value) -> reqwest::Response {
    client()
        .post(sb.base().join("/applications"))
        .bearer_auth(sb.admin_token().expose_secret())
        .json(body)
        .send()
        .await
        .unwrap()
}

fn challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Authorize (auto-approve) and return the code from the redirect.
async fn code_for(sb: &Sandbox, client_id: &str, verifier: Option<&str>) -> String {
    let mut url = url::Url::parse(&sb.base().authorize_url()).unwrap();
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", client_id)
        .append_pair("redirect_uri", "http://localhost:8080/callback")
        .append_pair(
            "scope",
            "spark:people_read spark:rooms_read spark:messages_read",
        )
        .append_pair("state", "st4te");
    if let Some(v) = verifier {
        url.query_pairs_mut()
            .append_pair("code_challenge", &challenge(v))
            .append_pair("code_challenge_method", "S256");
    }
    let r = client().get(url).send().await.unwrap();
    assert_eq!(r.status(), 303, "{:?}", r.text().await);
    let location = url::Url::parse(r.headers()["location"].to_str().unwrap()).unwrap();
    assert_eq!(location.path(), "/callback");
    let q: std::collections::HashMap<_, _> = location.query_pairs().into_owned().collect();
    assert_eq!(q["state"], "st4te");
    q["code"].clone()
}

async fn exchange(sb: &Sandbox, form: &[(&str, &str)]) -> (u16, Value) {
    let r = client()
        .post(sb.base().token_url())
        .form(form)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test]
async fn applications_checks_token_content_type_and_fields() {
    let sb = start(SandboxConfig::default()).await;
    let no_token = client()
        .post(sb.base().join("/applications"))
        .json(&body())
        .send()
        .await
        .unwrap();
    assert_eq!(no_token.status(), 401);
    assert!(no_token.headers().contains_key("trackingid"));
    let v: Value = no_token.json().await.unwrap();
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("valid access token")
    );
    assert!(v["trackingId"].as_str().unwrap().starts_with("SANDBOX_"));
    assert!(v["errors"][0]["description"].is_string());

    let wrong_type = client()
        .post(sb.base().join("/applications"))
        .bearer_auth(sb.admin_token().expose_secret())
        .header("content-type", "text/plain")
        .body(body().to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_type.status(), 415);

    let r = create(
        &sb,
        &json!({"type": "integration", "name": "x", "scopes": []}),
    )
    .await;
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    let all: String = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["description"].as_str().unwrap().to_owned())
        .collect();
    for field in ["description", "contactEmail", "redirectUrls", "scopes"] {
        assert!(all.contains(field), "{field} missing from {all}");
    }

    let r = create(&sb, &body()).await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    for field in [
        "id",
        "clientId",
        "clientSecret",
        "orgId",
        "created",
        "createdBy",
        "friendlyId",
        "submissionStatus",
    ] {
        assert!(!v[field].is_null(), "{field}");
    }
}

#[tokio::test]
async fn the_integration_limit_is_enforced() {
    let sb = start(SandboxConfig {
        max_integrations: 1,
        ..Default::default()
    })
    .await;
    assert_eq!(create(&sb, &body()).await.status(), 200);
    let r = create(&sb, &body()).await;
    assert_eq!(r.status(), 400);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("maximum of 1 integrations")
    );
}

/// The fields Webex documents for a token answer, sorted.
const DOCUMENTED_TOKEN_FIELDS: [&str; 4] = [
    "access_token",
    "expires_in",
    "refresh_token",
    "refresh_token_expires_in",
];

/// An answer's field names, sorted.
fn fields_of(answer: &Value) -> Vec<&str> {
    let mut fields: Vec<&str> = answer
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    fields.sort_unstable();
    fields
}

#[tokio::test]
async fn the_observed_profile_adds_token_type_and_scope_and_nothing_else_differs() {
    use webex_wizard::sandbox::Answers;
    let sb = start(SandboxConfig {
        answers: Answers::Observed,
        auto_approve: true,
        ..SandboxConfig::default()
    })
    .await;
    let created: Value = create(&sb, &body()).await.json().await.unwrap();
    let id = created["clientId"].as_str().unwrap();
    let secret = created["clientSecret"].as_str().unwrap();
    let code = code_for(&sb, id, None).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", id),
        ("client_secret", secret),
        ("code", code.as_str()),
        ("redirect_uri", "http://localhost:8080/callback"),
    ];
    let (status, tokens) = exchange(&sb, &form).await;
    assert_eq!(status, 200, "{tokens}");
    let mut expected = DOCUMENTED_TOKEN_FIELDS.to_vec();
    expected.extend(["scope", "token_type"]);
    expected.sort_unstable();
    assert_eq!(fields_of(&tokens), expected);
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(
        tokens["scope"],
        "spark:people_read spark:rooms_read spark:messages_read"
    );
}

#[tokio::test]
async fn authorization_code_with_pkce_is_verified_and_single_use() {
    let sb = start(SandboxConfig {
        auto_approve: true,
        ..Default::default()
    })
    .await;
    let app: Value = create(&sb, &body()).await.json().await.unwrap();
    let (id, secret) = (
        app["clientId"].as_str().unwrap(),
        app["clientSecret"].as_str().unwrap(),
    );
    let verifier = "a-very-long-verifier-string-of-at-least-43-characters-xyz";

    // Wrong verifier: refused, and the code is spent.
    let code = code_for(&sb, id, Some(verifier)).await;
    let form = |code: &'static str, v: &'static str| {
        vec![
            ("grant_type", "authorization_code"),
            ("client_id", id),
            ("client_secret", secret),
            ("code", code),
            ("redirect_uri", "http://localhost:8080/callback"),
            ("code_verifier", v),
        ]
    };
    let code: &'static str = Box::leak(code.into_boxed_str());
    let (status, v) = exchange(
        &sb,
        &form(code, "wrong-verifier-wrong-verifier-wrong-verifier-x"),
    )
    .await;
    assert_eq!((status, v["error"].as_str()), (400, Some("invalid_grant")));
    assert!(v["trackingID"].is_string());

    let code: &'static str = Box::leak(code_for(&sb, id, Some(verifier)).await.into_boxed_str());
    let (status, tokens) = exchange(&sb, &form(code, verifier)).await;
    assert_eq!(status, 200, "{tokens}");
    // By default exactly the four fields Webex documents: no token_type, no scope.
    assert_eq!(fields_of(&tokens), DOCUMENTED_TOKEN_FIELDS);
    assert_eq!(tokens["expires_in"], 1_209_600);
    assert_eq!(tokens["refresh_token_expires_in"], 60 * 86_400);

    let (status, v) = exchange(&sb, &form(code, verifier)).await;
    assert_eq!(
        (status, v["error"].as_str()),
        (400, Some("invalid_grant")),
        "codes are single-use"
    );

    // Wrong secret.
    let code2 = code_for(&sb, id, None).await;
    let (status, v) = exchange(
        &sb,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", id),
            ("client_secret", "nope"),
            ("code", &code2),
            ("redirect_uri", "http://localhost:8080/callback"),
        ],
    )
    .await;
    assert_eq!((status, v["error"].as_str()), (401, Some("invalid_client")));

    // Refresh.
    let refresh = tokens["refresh_token"].as_str().unwrap();
    let (status, v) = exchange(
        &sb,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", id),
            ("client_secret", secret),
            ("refresh_token", refresh),
        ],
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_ne!(v["access_token"], tokens["access_token"]);

    // Probes: held scope 200, missing scope 403, FedRAMP-absent endpoint 404, 2-step needs its ID.
    let access = v["access_token"].as_str().unwrap();
    let get = |path: &str| {
        let url = sb.base().join(path);
        async move {
            client()
                .get(url)
                .bearer_auth(access)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(get("/people/me").await, 200);
    assert_eq!(get("/rooms?max=1").await, 200);
    assert_eq!(get("/messages?max=1").await, 400, "roomId is required");
    assert_eq!(get("/messages?roomId=R1&max=1").await, 200);
    assert_eq!(get("/teams?max=1").await, 403);
    assert_eq!(
        get("/telephony/calls").await,
        404,
        "FedRAMP does not offer telephony/calls"
    );
    assert_eq!(get("/nothing/here").await, 404);
}

#[tokio::test]
async fn authorize_refuses_unregistered_redirects_and_scopes_and_shows_consent() {
    let sb = start(SandboxConfig::default()).await;
    let app: Value = create(&sb, &body()).await.json().await.unwrap();
    let id = app["clientId"].as_str().unwrap();
    let authorize = |redirect: &str, scope: &str| {
        let mut url = url::Url::parse(&sb.base().authorize_url()).unwrap();
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", id)
            .append_pair("redirect_uri", redirect)
            .append_pair("scope", scope)
            .append_pair("state", "s1");
        url
    };
    let r = client()
        .get(authorize(
            "http://localhost:9999/other",
            "spark:people_read",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        400,
        "an unregistered redirect is shown, never followed"
    );

    let r = client()
        .get(authorize(
            "http://localhost:8080/callback",
            "spark:teams_read",
        ))
        .send()
        .await
        .unwrap();
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.contains("error=invalid_scope") && location.contains("state=s1"),
        "{location}"
    );

    let page = client()
        .get(authorize(
            "http://localhost:8080/callback",
            "spark:people_read",
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Allow") && page.contains("Probe app") && page.contains("spark:people_read")
    );
    let request_id = page
        .split("name=\"request\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let deny = client()
        .post(sb.base().join("/authorize/decision"))
        .form(&[("request", request_id), ("decision", "deny")])
        .send()
        .await
        .unwrap();
    let location = deny.headers()["location"].to_str().unwrap();
    assert!(
        location.contains("error=access_denied") && location.contains("state=s1"),
        "{location}"
    );
}
