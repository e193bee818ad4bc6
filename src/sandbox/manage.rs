//! Managing what was created: `GET`, `PUT` and `DELETE /v1/applications/{id}`, and
//! `DELETE /v1/applications/{id}/clientSecret` (a new secret; the old one stops working).
//! Strict like the rest: the admin token is required and unknown IDs are a Webex-style 404.

use axum::body::Bytes;
use axum::extract::{Path, State as AxumState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::applications::{check_body, require_admin};
use super::{
    Answers, Shared, State, end_grants_of, lock, no_content, ok_json, random_hex, webex_error,
};

fn not_found(state: &mut State, id: &str) -> Response {
    let message = format!("Application '{id}' was not found.");
    webex_error(state, StatusCode::NOT_FOUND, &message, &[])
}

fn index_of(state: &State, id: &str) -> Option<usize> {
    state.apps.iter().position(|a| a.public["id"] == id)
}

fn now() -> String {
    crate::types::rfc3339(time::OffsetDateTime::now_utc())
}

pub(super) async fn get_one(
    AxumState(shared): AxumState<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let mut state = lock(&shared);
    if let Err(r) = require_admin(&mut state, &headers) {
        return r;
    }
    match index_of(&state, &id) {
        Some(i) => {
            let public = state.apps[i].public.clone();
            ok_json(&mut state, public)
        }
        None => not_found(&mut state, &id),
    }
}

pub(super) async fn delete_one(
    AxumState(shared): AxumState<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let mut state = lock(&shared);
    if let Err(r) = require_admin(&mut state, &headers) {
        return r;
    }
    let Some(i) = index_of(&state, &id) else {
        return not_found(&mut state, &id);
    };
    let app = state.apps.remove(i);
    // Its grants and tokens die with it (a bot has no client ID, and no grants).
    if !app.client_id.is_empty() {
        end_grants_of(&mut state, &app.client_id);
    }
    no_content(&mut state)
}

pub(super) async fn rotate_secret(
    AxumState(shared): AxumState<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let mut state = lock(&shared);
    if let Err(r) = require_admin(&mut state, &headers) {
        return r;
    }
    let Some(i) = index_of(&state, &id) else {
        return not_found(&mut state, &id);
    };
    let secret = random_hex(32);
    state.apps[i].client_secret.clone_from(&secret);
    state.apps[i].public["modified"] = now().into();
    // The only public evidence (wxcadm) reads just `clientSecret` from this answer.
    let answer = match state.config.answers {
        Answers::Documented => json!({ "clientSecret": secret }),
        Answers::Observed => {
            let mut whole = state.apps[i].public.clone();
            whole["clientSecret"] = secret.into();
            whole
        }
    };
    ok_json(&mut state, answer)
}

/// `PUT` with the whole object, checked by the rules of create; the client ID and secret stay.
pub(super) async fn update(
    AxumState(shared): AxumState<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut state = lock(&shared);
    if let Err(r) = require_admin(&mut state, &headers) {
        return r;
    }
    let Some(i) = index_of(&state, &id) else {
        return not_found(&mut state, &id);
    };
    let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&body) else {
        return webex_error(
            &mut state,
            StatusCode::BAD_REQUEST,
            "The request body must be a JSON object.",
            &[],
        );
    };
    let mut problems = check_body(&body);
    if body.contains_key("clientSecret") {
        problems.push("clientSecret can't be set; rotate it instead.".into());
    }
    if !problems.is_empty() {
        return webex_error(
            &mut state,
            StatusCode::BAD_REQUEST,
            "The request is invalid.",
            &problems,
        );
    }
    let list = |m: &Map<String, Value>, k: &str| -> Vec<String> {
        m[k].as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    };
    let app = &mut state.apps[i];
    for key in ["name", "description", "contactEmail", "companyName"] {
        match body.get(key).and_then(Value::as_str) {
            Some(v) => app.public[key] = v.trim().into(),
            None => {
                if let Some(m) = app.public.as_object_mut() {
                    m.remove(key);
                }
            }
        }
    }
    app.redirect_urls = list(&body, "redirectUrls");
    app.scopes = list(&body, "scopes");
    app.public["redirectUrls"] = app.redirect_urls.clone().into();
    app.public["scopes"] = app.scopes.clone().into();
    app.public["modified"] = now().into();
    let public = app.public.clone();
    ok_json(&mut state, public)
}
