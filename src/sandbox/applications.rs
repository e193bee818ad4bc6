//! `POST /v1/applications` and `GET /v1/applications`, strictly (the rest is in `manage`).

use axum::extract::Request;
use axum::extract::State as AxumState;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::{
    App, Caller, Shared, State, authenticate, lock, ok_json, random_hex, webex_error, webex_id,
};
use crate::catalog::Catalog;
use crate::validate;

fn string_field<'a>(
    body: &'a Map<String, Value>,
    key: &str,
    required: bool,
    problems: &mut Vec<String>,
) -> Option<&'a str> {
    match body.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s),
        Some(Value::String(_) | Value::Null) | None => {
            if required {
                problems.push(format!("{key} is required and must not be blank."));
            }
            None
        }
        Some(_) => {
            problems.push(format!("{key} must be a string."));
            None
        }
    }
}

fn string_list(body: &Map<String, Value>, key: &str, problems: &mut Vec<String>) -> Vec<String> {
    match body.get(key) {
        Some(Value::Array(items)) if !items.is_empty() => {
            let strings: Vec<String> = items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
            if strings.len() != items.len() {
                problems.push(format!("{key} must be an array of strings."));
            }
            strings
        }
        Some(Value::Array(_) | Value::Null) | None => {
            problems.push(format!(
                "{key} is required and must hold at least one value."
            ));
            Vec::new()
        }
        Some(_) => {
            problems.push(format!("{key} must be an array of strings."));
            Vec::new()
        }
    }
}

/// Check a create body the way Webex would; every problem found is listed.
pub(super) fn check_body(body: &Map<String, Value>) -> Vec<String> {
    let mut problems = Vec::new();
    match body.get("type").and_then(Value::as_str) {
        Some("integration") => {}
        Some(other) => problems.push(format!("type '{other}' is not valid; use 'integration'.")),
        None => problems.push("type is required; use 'integration'.".into()),
    }
    let single: [(&str, bool, Check); 4] = [
        ("name", true, validate::check_name),
        ("description", true, validate::check_description),
        ("contactEmail", true, validate::check_contact_email),
        ("companyName", false, validate::check_company_name),
    ];
    for (key, required, check) in single {
        if let Some(value) = string_field(body, key, required, &mut problems)
            && let Err(e) = check(value)
        {
            problems.push(format!("{key}: {e}."));
        }
    }
    let urls = string_list(body, "redirectUrls", &mut problems);
    for (i, url) in urls.iter().enumerate() {
        if let Err(e) = validate::check_redirect_url(url) {
            problems.push(format!("redirectUrls: {e}."));
        } else if urls[..i].contains(url) {
            problems.push(format!("redirectUrls: '{url}' is listed twice."));
        }
    }
    let scopes = string_list(body, "scopes", &mut problems);
    let catalog = Catalog::embedded();
    let unknown: Vec<&str> = scopes
        .iter()
        .filter(|s| catalog.get(s).is_none())
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        problems.push(format!("Invalid scope(s): {}.", unknown.join(", ")));
    }
    problems
}

/// Only a Control Hub admin may manage applications: 401 without a valid token, 403 for others.
// The error is the handler's own answer; boxing it would only add noise at every call.
#[allow(clippy::result_large_err)]
pub(super) fn require_admin(state: &mut State, headers: &HeaderMap) -> Result<(), Response> {
    match authenticate(state, headers)? {
        Caller::Admin => Ok(()),
        Caller::Integration(_) | Caller::Bot(_) => Err(webex_error(
            state,
            StatusCode::FORBIDDEN,
            "Only a Control Hub admin may manage applications.",
            &[],
        )),
    }
}

/// A field rule of webex-wizard's validation.
type Check = fn(&str) -> Result<(), String>;

#[expect(
    clippy::too_many_lines,
    reason = "Webex's create, rule by rule, as the sandbox enforces it"
)]
pub(super) async fn create(AxumState(shared): AxumState<Shared>, request: Request) -> Response {
    let headers = request.headers().clone();
    {
        let mut state = lock(&shared);
        if let Err(r) = require_admin(&mut state, &headers) {
            return r;
        }
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim();
    if essence.eq_ignore_ascii_case("multipart/form-data") {
        return super::bots::create_multipart(shared, request).await;
    }
    let body = axum::body::to_bytes(request.into_body(), 4 * 1024 * 1024)
        .await
        .unwrap_or_default();
    let mut state = lock(&shared);
    if !essence.eq_ignore_ascii_case("application/json") {
        let message =
            format!("Content type '{content_type}' not supported; send application/json.");
        return webex_error(
            &mut state,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &message,
            &[],
        );
    }
    let parsed: Map<String, Value> = match serde_json::from_slice(&body) {
        Ok(Value::Object(map)) => map,
        Ok(_) => {
            return webex_error(
                &mut state,
                StatusCode::BAD_REQUEST,
                "The request body must be a JSON object.",
                &[],
            );
        }
        Err(e) => {
            let message = format!("Unable to parse the request body as JSON: {e}");
            return webex_error(&mut state, StatusCode::BAD_REQUEST, &message, &[]);
        }
    };
    if parsed.get("type").and_then(Value::as_str) == Some("bot") {
        return super::bots::create_json(&mut state, &parsed);
    }
    let problems = check_body(&parsed);
    if !problems.is_empty() {
        return webex_error(
            &mut state,
            StatusCode::BAD_REQUEST,
            "The request is invalid.",
            &problems,
        );
    }
    if state.apps.len() >= state.config.max_integrations {
        // The --demo sandbox keeps what it created between runs: say how to start it afresh.
        let reset = if state.config.state_file.is_some() {
            " (sandbox: 'webex-wizard sandbox --reset' forgets them all)"
        } else {
            ""
        };
        let message = format!(
            "This user already owns the maximum of {} integrations; delete one first{reset}.",
            state.config.max_integrations
        );
        return webex_error(&mut state, StatusCode::BAD_REQUEST, &message, &[]);
    }
    let text = |k: &str| {
        parsed
            .get(k)
            .and_then(Value::as_str)
            .map(|s| s.trim().to_owned())
    };
    let list = |k: &str| -> Vec<String> {
        parsed[k]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    };
    let client_id = format!("C{}", random_hex(32));
    let client_secret = random_hex(32);
    let created = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let app_id = webex_id("APPLICATION", &client_id);
    let mut public = json!({
        "isNative": false,
        "id": app_id,
        "friendlyId": format!("{}-{}", text("name").unwrap_or_default().to_lowercase().replace(' ', "-"), &random_hex(2)),
        "type": "integration",
        "name": text("name"),
        "description": text("description"),
        "orgId": state.org_id,
        "contactEmail": text("contactEmail"),
        "redirectUrls": list("redirectUrls"),
        "scopes": list("scopes"),
        "clientId": client_id,
        "isFeatured": false,
        "submissionStatus": "none",
        "createdBy": state.admin_id,
        "created": created,
    });
    if let Some(company) = text("companyName") {
        public["companyName"] = company.into();
    }
    let app = App {
        client_id,
        client_secret: client_secret.clone(),
        redirect_urls: list("redirectUrls"),
        scopes: list("scopes"),
        public: public.clone(),
        bot_token: None,
    };
    state.apps.push(app);
    public["clientSecret"] = client_secret.into();
    ok_json(&mut state, public)
}

pub(super) async fn list(AxumState(shared): AxumState<Shared>, headers: HeaderMap) -> Response {
    let mut state = lock(&shared);
    if let Err(r) = require_admin(&mut state, &headers) {
        return r;
    }
    let items: Vec<Value> = state.apps.iter().map(|a| a.public.clone()).collect();
    ok_json(&mut state, json!({ "items": items }))
}
