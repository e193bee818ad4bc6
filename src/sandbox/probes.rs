//! The read-only endpoints of the catalog's probes: 200 with a plausible body when the
//! token holds a scope that the endpoint accepts, 403 when it does not, 404 where `FedRAMP`
//! does not offer the endpoint.

use std::sync::OnceLock;
use std::time::{Duration, UNIX_EPOCH};

use axum::extract::{Request, State as AxumState};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};

use super::{Caller, Shared, State, authenticate, lock, ok_json, uuid_like, webex_error, webex_id};
use crate::catalog::{Audience, Catalog, FedrampAvailability, Scope};

/// One endpoint the sandbox serves, and the scopes that open it.
struct Endpoint {
    segments: Vec<String>,
    /// Query parameters the probe fills from a prerequisite: the endpoint requires them.
    required_query: Vec<String>,
    scopes: Vec<&'static Scope>,
}

fn endpoints() -> &'static [Endpoint] {
    static ENDPOINTS: OnceLock<Vec<Endpoint>> = OnceLock::new();
    ENDPOINTS.get_or_init(|| {
        let mut list: Vec<Endpoint> = Vec::new();
        for scope in Catalog::embedded().scopes() {
            let Some(probe) = &scope.probe else { continue };
            let segments: Vec<String> = probe.route().split('/').map(str::to_owned).collect();
            let required_query: Vec<String> = probe
                .path
                .split_once('?')
                .map(|(_, q)| {
                    url::form_urlencoded::parse(q.as_bytes())
                        .filter(|(_, v)| v.starts_with('{'))
                        .map(|(k, _)| k.into_owned())
                        .collect()
                })
                .unwrap_or_default();
            match list.iter_mut().find(|e| e.segments == segments) {
                Some(e) => {
                    e.scopes.push(scope);
                    for q in required_query {
                        if !e.required_query.contains(&q) {
                            e.required_query.push(q);
                        }
                    }
                }
                None => list.push(Endpoint {
                    segments,
                    required_query,
                    scopes: vec![scope],
                }),
            }
        }
        list
    })
}

fn matches(template: &[String], path: &[&str]) -> bool {
    template.len() == path.len()
        && template
            .iter()
            .zip(path)
            .all(|(t, p)| (t.starts_with('{') && !p.is_empty()) || t == p)
}

/// Whether a grant's scopes open an endpoint that accepts `scope`.
fn holds(granted: &[String], scope: &Scope) -> bool {
    granted.contains(&scope.name)
        || (scope.audience == Audience::User
            && scope.name.starts_with("spark:")
            && granted.iter().any(|g| g == "spark:all"))
}

fn plausible_body(state: &State, route: &[String]) -> Value {
    let last = route.last().map_or("", String::as_str);
    if route.len() == 3 && route[1] == "people" && last == "me" {
        return state.admin_person();
    }
    let kind = route
        .get(1)
        .map(|s| s.to_ascii_uppercase())
        .unwrap_or_default();
    let item = json!({
        "id": webex_id(&kind, &uuid_like()),
        "name": format!("Sandbox {}", route[1..].join(" ")),
        "created": "2026-01-01T00:00:00.000Z",
    });
    let single = last.starts_with('{')
        || matches!(
            last,
            "me" | "count" | "status" | "commonSettings" | "meetingPreferences"
        );
    if single {
        item
    } else {
        json!({ "items": [item] })
    }
}

const REFUSED: &str = "The server understood the request, but refused to fulfill it because the access token is missing required scopes or the user is missing required roles or licenses.";

pub(super) async fn probe(AxumState(shared): AxumState<Shared>, request: Request) -> Response {
    let mut state = lock(&shared);
    let path = request.uri().path().to_owned();
    let query: Vec<(String, String)> = request
        .uri()
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let Some(route) = path.strip_prefix("/v1") else {
        return webex_error(
            &mut state,
            StatusCode::NOT_FOUND,
            "The requested resource could not be found.",
            &[],
        );
    };
    let caller = match authenticate(&mut state, request.headers()) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let parts: Vec<&str> = route.split('/').collect();
    let Some(endpoint) = endpoints().iter().find(|e| matches(&e.segments, &parts)) else {
        return webex_error(
            &mut state,
            StatusCode::NOT_FOUND,
            "The requested resource could not be found.",
            &[],
        );
    };
    if request.method() != Method::GET {
        return webex_error(
            &mut state,
            StatusCode::METHOD_NOT_ALLOWED,
            "The sandbox serves probe endpoints read-only (GET).",
            &[],
        );
    }
    if state.config.fedramp
        && endpoint
            .scopes
            .iter()
            .all(|s| s.fedramp == FedrampAvailability::No)
    {
        return webex_error(
            &mut state,
            StatusCode::NOT_FOUND,
            "The requested resource could not be found (not available in Webex for Government).",
            &[],
        );
    }
    if state.probe_rate_limit_left > 0 {
        state.probe_rate_limit_left -= 1;
        let mut r = webex_error(
            &mut state,
            StatusCode::TOO_MANY_REQUESTS,
            "Too many requests; retry after the time in Retry-After.",
            &[],
        );
        r.headers_mut()
            .insert("retry-after", "1".parse().expect("static header"));
        return r;
    }
    let allowed = match &caller {
        Caller::Admin => true,
        Caller::Integration(grant) => endpoint.scopes.iter().any(|s| holds(&grant.scopes, s)),
        // A bot acts as a user of messaging: the spark: scopes.
        Caller::Bot(_) => endpoint.scopes.iter().any(|s| s.name.starts_with("spark:")),
    };
    if !allowed {
        let wanted: Vec<String> = endpoint
            .scopes
            .iter()
            .map(|s| format!("Accepted scopes: {}", s.name))
            .collect();
        return webex_error(&mut state, StatusCode::FORBIDDEN, REFUSED, &wanted);
    }
    let missing: Vec<String> = endpoint
        .required_query
        .iter()
        .filter(|k| !query.iter().any(|(qk, qv)| qk == *k && !qv.is_empty()))
        .map(|k| format!("{k} is required."))
        .collect();
    if !missing.is_empty() {
        return webex_error(
            &mut state,
            StatusCode::BAD_REQUEST,
            "Missing required query parameters.",
            &missing,
        );
    }
    let body = match &caller {
        Caller::Bot(person) if parts == ["", "people", "me"] => person.clone(),
        _ => plausible_body(&state, &endpoint.segments),
    };
    ok_json(&mut state, body)
}

pub(super) async fn token_expiry(
    AxumState(shared): AxumState<Shared>,
    headers: HeaderMap,
) -> Response {
    let mut state = lock(&shared);
    let remaining = match authenticate(&mut state, &headers) {
        Ok(Caller::Admin) => Duration::from_secs(12 * 3600),
        // Bot tokens don't expire.
        Ok(Caller::Bot(_)) => Duration::from_secs(100 * 365 * 24 * 3600),
        Ok(Caller::Integration(grant)) => grant
            .expires
            .duration_since(state.now())
            .unwrap_or_default(),
        Err(r) => return r,
    };
    let exp = state.now() + remaining;
    let ms = exp
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis() as u64;
    ok_json(&mut state, json!({ "exp": ms }))
}

/// `GET /v1/people/{id}`: the admin's own record by ID (what `report` asks for an application's
/// creator); any other ID is not found, as Webex answers for a person it does not know.
pub(super) async fn person(
    AxumState(shared): AxumState<Shared>,
    axum::extract::Path(id): axum::extract::Path<String>,
    headers: HeaderMap,
) -> Response {
    let mut state = lock(&shared);
    if let Err(r) = authenticate(&mut state, &headers) {
        return r;
    }
    if id == "me" || id == state.admin_id {
        let person = state.admin_person();
        return ok_json(&mut state, person);
    }
    webex_error(&mut state, StatusCode::NOT_FOUND, "Person not found.", &[])
}
