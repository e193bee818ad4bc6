//! `GET /v1/authorizations?personId=|personEmail=`, `DELETE /v1/authorizations/{id}` and
//! `DELETE /v1/authorizations?clientId=&orgId=`: the grants the authorize flow recorded, and
//! revoking them, which makes their access and refresh tokens fail with 401.

use std::collections::HashMap;

use axum::extract::{Path, Query, State as AxumState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};

use super::applications::require_admin;
use super::{Authorization, Shared, State, end_grants_of, lock, no_content, ok_json, webex_error};

const ADMIN_EMAIL: &str = "admin@sandbox.example.gov";

fn describe(state: &State, a: &Authorization) -> Value {
    let app = state.apps.iter().find(|x| x.client_id == a.client_id);
    json!({
        "id": a.id,
        "applicationId": app.map(|x| x.public["id"].clone()),
        "applicationName": app.map(|x| x.public["name"].clone()),
        "clientId": a.client_id,
        "personId": a.person_id,
        "orgId": state.org_id,
        "created": a.created,
        "type": "refresh",
    })
}

/// Drop the authorizations `which` selects, and every token issued under them.
fn revoke(state: &mut State, which: impl Fn(&Authorization) -> bool) -> usize {
    let (gone, kept): (Vec<Authorization>, Vec<Authorization>) =
        std::mem::take(&mut state.authorizations)
            .into_iter()
            .partition(|a| which(a));
    state.authorizations = kept;
    for a in &gone {
        end_grants_of(state, &a.client_id);
    }
    gone.len()
}

pub(super) async fn list(
    AxumState(shared): AxumState<Shared>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let mut state = lock(&shared);
    if let Err(r) = require_admin(&mut state, &headers) {
        return r;
    }
    let person = match (query.get("personId"), query.get("personEmail")) {
        (Some(id), _) => Some(id.clone()),
        (None, Some(email)) if email.eq_ignore_ascii_case(ADMIN_EMAIL) => {
            Some(state.admin_id.clone())
        }
        (None, Some(_)) => None,
        (None, None) => {
            return webex_error(
                &mut state,
                StatusCode::BAD_REQUEST,
                "personId or personEmail is required.",
                &[],
            );
        }
    };
    let items: Vec<Value> = state
        .authorizations
        .iter()
        .filter(|a| Some(&a.person_id) == person.as_ref())
        .map(|a| describe(&state, a))
        .collect();
    ok_json(&mut state, json!({ "items": items }))
}

pub(super) async fn revoke_one(
    AxumState(shared): AxumState<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let mut state = lock(&shared);
    if let Err(r) = require_admin(&mut state, &headers) {
        return r;
    }
    if revoke(&mut state, |a| a.id == id) == 0 {
        let message = format!("Authorization '{id}' was not found.");
        return webex_error(&mut state, StatusCode::NOT_FOUND, &message, &[]);
    }
    no_content(&mut state)
}

pub(super) async fn revoke_client(
    AxumState(shared): AxumState<Shared>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let mut state = lock(&shared);
    if let Err(r) = require_admin(&mut state, &headers) {
        return r;
    }
    let Some(client_id) = query.get("clientId").cloned() else {
        return webex_error(
            &mut state,
            StatusCode::BAD_REQUEST,
            "clientId is required.",
            &[],
        );
    };
    if let Some(org) = query.get("orgId")
        && *org != state.org_id
    {
        let message = format!("Organization '{org}' was not found.");
        return webex_error(&mut state, StatusCode::NOT_FOUND, &message, &[]);
    }
    if revoke(&mut state, |a| a.client_id == client_id) == 0 {
        let message = format!("No authorization of client '{client_id}' was found.");
        return webex_error(&mut state, StatusCode::NOT_FOUND, &message, &[]);
    }
    no_content(&mut state)
}
