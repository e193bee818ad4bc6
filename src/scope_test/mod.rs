//! The scope tester: for each scope, the catalog's read-only request with the access token,
//! at most four at a time, and a verdict in words.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::Method;
use secrecy::SecretString;
use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;
use tokio::sync::{OnceCell, Semaphore};

use crate::catalog::{Catalog, FedrampAvailability, Probe};
use crate::webex::client::Body;
use crate::webex::{Operation, WebexClient, WebexError};

/// How many probes run at once.
pub const CONCURRENCY: usize = 4;

/// What a probe says about a scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Works,
    /// 403: the token lacks the scope, or the user the role or licence.
    Refused,
    /// 401: the token is expired, revoked or wrong.
    TokenInvalid,
    /// 404, or the catalog says `FedRAMP` does not offer it.
    NotAvailable,
    /// The catalog has no read-only request for this scope.
    NoProbe,
    /// The earlier call found nothing to test with (no room, no device ...).
    NothingToTest,
    /// The earlier call the probe needs (the rooms, to read messages) failed, so the scope's
    /// own request was not made.
    EarlierCallFailed,
    /// Any other answer, or no answer.
    Error,
}

impl Verdict {
    /// In words, for the table.
    pub fn words(self) -> &'static str {
        match self {
            Verdict::Works => "works",
            Verdict::Refused => "refused",
            Verdict::TokenInvalid => "token invalid",
            Verdict::NotAvailable => "not available here",
            Verdict::NoProbe => "no read-only probe",
            Verdict::NothingToTest => "nothing to test with",
            Verdict::EarlierCallFailed => "earlier call failed",
            Verdict::Error => "error",
        }
    }

    /// Whether this verdict makes `test-scopes` exit 6.
    pub fn is_refusal(self) -> bool {
        matches!(self, Verdict::Refused | Verdict::TokenInvalid)
    }

    /// Whether the scope got no usable answer (`test-scopes` exits 4 when nothing was refused).
    pub fn is_failure(self) -> bool {
        matches!(self, Verdict::Error | Verdict::EarlierCallFailed)
    }
}

/// One row of the table.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProbeResult {
    pub scope: String,
    /// `GET /path?query`, with the IDs filled in; empty without a probe.
    pub request: String,
    /// The scope's own request's status; none when it was not made.
    pub status: Option<u16>,
    /// How long the scope's own request took; none when it was not made.
    #[serde(serialize_with = "millis")]
    pub elapsed: Option<Duration>,
    /// The earlier call this probe needed, when that call is what failed or found nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub earlier_call: Option<String>,
    /// The earlier call's status, when it answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub earlier_status: Option<u16>,
    pub verdict: Verdict,
    /// `verdict` in words, for people reading the JSON.
    pub verdict_text: &'static str,
    /// Webex's message, or why there was no call.
    pub message: Option<String>,
    pub tracking_id: Option<String>,
}

#[allow(
    clippy::ref_option,
    reason = "serde's serialize_with passes the field by reference"
)]
fn millis<S: serde::Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
        None => s.serialize_none(),
    }
}

impl ProbeResult {
    fn new(scope: &str, request: String, verdict: Verdict) -> Self {
        ProbeResult {
            scope: scope.to_owned(),
            request,
            status: None,
            elapsed: None,
            earlier_call: None,
            earlier_status: None,
            verdict,
            verdict_text: verdict.words(),
            message: None,
            tracking_id: None,
        }
    }

    fn with_verdict(mut self, verdict: Verdict) -> Self {
        self.verdict = verdict;
        self.verdict_text = verdict.words();
        self
    }

    /// The time column: how long the scope's own request took, or nothing when none was made.
    pub fn time_text(&self) -> String {
        self.elapsed
            .map_or_else(|| "-".into(), |d| format!("{} ms", d.as_millis()))
    }
}

/// An earlier call's answer, shared by every probe that needs it.
type Prerequisites = Mutex<HashMap<String, Arc<OnceCell<Result<Value, WebexError>>>>>;

/// Run the probes for `scopes`; `on_result` hears each row as it finishes.
pub async fn test_scopes(
    client: &WebexClient,
    token: &SecretString,
    catalog: &'static Catalog,
    scopes: &[String],
    fedramp: bool,
    on_result: impl Fn(usize, &ProbeResult) + Send + Sync + 'static,
) -> Vec<ProbeResult> {
    let semaphore = Arc::new(Semaphore::new(CONCURRENCY));
    let prerequisites: Arc<Prerequisites> = Arc::default();
    let on_result = Arc::new(on_result);
    let mut tasks = tokio::task::JoinSet::new();
    for (index, scope) in scopes.iter().enumerate() {
        let (client, token, scope) = (client.clone(), token.clone(), scope.clone());
        let (semaphore, prerequisites, on_result) =
            (semaphore.clone(), prerequisites.clone(), on_result.clone());
        tasks.spawn(async move {
            let result = match catalog
                .get(&scope)
                .and_then(|s| s.probe.as_ref().map(|p| (s, p)))
            {
                None => {
                    let mut r = ProbeResult::new(&scope, String::new(), Verdict::NoProbe);
                    r.message = Some(if catalog.get(&scope).is_some() {
                        "the catalog has no read-only request that proves this scope".into()
                    } else {
                        "not in the catalog".into()
                    });
                    r
                }
                Some((entry, probe)) => {
                    let _permit = semaphore.acquire().await.expect("never closed");
                    let mut r = run_probe(&client, &token, &scope, probe, &prerequisites).await;
                    if fedramp
                        && entry.fedramp == FedrampAvailability::No
                        && r.verdict != Verdict::Works
                    {
                        r = r.with_verdict(Verdict::NotAvailable);
                        r.message.get_or_insert_with(|| {
                            "Webex for Government does not offer this scope".into()
                        });
                    }
                    r
                }
            };
            on_result(index, &result);
            (index, result)
        });
    }
    let mut results: Vec<Option<ProbeResult>> = vec![None; scopes.len()];
    while let Some(joined) = tasks.join_next().await {
        if let Ok((index, result)) = joined {
            results[index] = Some(result);
        }
    }
    results.into_iter().flatten().collect()
}

/// `{now}` and `{dayAgo}`: the window of audit-event probes, in ISO 8601.
fn builtin(placeholder: &str) -> Option<String> {
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].000Z");
    let now = OffsetDateTime::now_utc();
    match placeholder {
        "now" => now.format(&format).ok(),
        "dayAgo" => (now - time::Duration::days(1)).format(&format).ok(),
        _ => None,
    }
}

/// Follow a dotted path like `items.0.id` into JSON.
fn pick<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.')
        .try_fold(value, |v, key| match key.parse::<usize>() {
            Ok(i) => v.get(i),
            Err(_) => v.get(key),
        })
}

fn fill(path: &str, name: &str, value: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
    path.replace(&format!("{{{name}}}"), &encoded)
}

async fn run_probe(
    client: &WebexClient,
    token: &SecretString,
    scope: &str,
    probe: &Probe,
    prerequisites: &Prerequisites,
) -> ProbeResult {
    let mut path = probe.path.clone();
    for name in ["now", "dayAgo"] {
        if let Some(v) = builtin(name) {
            path = fill(&path, name, &v);
        }
    }
    if let Some(pre) = &probe.prerequisite {
        let cell = prerequisites
            .lock()
            .expect("not poisoned")
            .entry(pre.path.clone())
            .or_default()
            .clone();
        let answer = cell
            .get_or_init(|| async {
                client
                    .send(
                        Operation::Probe,
                        Method::GET,
                        &pre.path,
                        Some(token),
                        Body::None,
                    )
                    .await
                    .and_then(|a| {
                        serde_json::from_slice::<Value>(&a.body).map_err(|e| {
                            WebexError::UnreadableAnswer {
                                status: a.status.as_u16(),
                                detail: e.to_string(),
                            }
                        })
                    })
            })
            .await;
        let first_call = format!("GET {}", pre.path);
        match answer {
            Ok(json) => {
                if let Some(id) = pick(json, &pre.pick).and_then(Value::as_str) {
                    path = fill(&path, &pre.placeholder, id);
                } else {
                    let mut r = ProbeResult::new(
                        scope,
                        format!("{} {}", probe.method, probe.path),
                        Verdict::NothingToTest,
                    );
                    r.earlier_call = Some(first_call.clone());
                    r.message = Some(format!(
                        "{first_call} worked but found no {} to test with",
                        pre.placeholder.trim_end_matches("Id")
                    ));
                    return r;
                }
            }
            Err(e) => {
                // The scope's own request was never made: the row names the call that failed
                // and keeps the scope's request as its own, unsent.
                let earlier = from_error(scope, first_call.clone(), e);
                let mut r = ProbeResult::new(
                    scope,
                    format!("{} {}", probe.method, probe.path),
                    Verdict::EarlierCallFailed,
                );
                r.earlier_call = Some(first_call.clone());
                r.earlier_status = earlier.status;
                r.tracking_id = earlier.tracking_id;
                r.message = Some(format!(
                    "the earlier call {first_call} {}, so this scope's own request was not made{}",
                    match earlier.status {
                        Some(s) => format!("answered {s} ({})", earlier.verdict.words()),
                        None => "got no answer".into(),
                    },
                    earlier
                        .message
                        .map(|m| format!(": {m}"))
                        .unwrap_or_default()
                ));
                return r;
            }
        }
    }
    let request = format!("{} {path}", probe.method);
    let method = Method::from_bytes(probe.method.as_bytes()).unwrap_or(Method::GET);
    let started = Instant::now();
    let outcome = client
        .send(Operation::Probe, method, &path, Some(token), Body::None)
        .await;
    let mut r = match outcome {
        Ok(answer) => {
            let mut r = ProbeResult::new(scope, request, Verdict::Works);
            r.status = Some(answer.status.as_u16());
            r.tracking_id = crate::webex::error::tracking_id_header(&answer.headers);
            r
        }
        Err(e) => from_error(scope, request, &e),
    };
    r.elapsed = Some(started.elapsed());
    r
}

fn from_error(scope: &str, request: String, e: &WebexError) -> ProbeResult {
    let Some(f) = e.api_failure() else {
        let mut r = ProbeResult::new(scope, request, Verdict::Error);
        r.message = Some(e.to_string());
        return r;
    };
    let verdict = match f.status {
        401 => Verdict::TokenInvalid,
        403 => Verdict::Refused,
        404 => Verdict::NotAvailable,
        _ => Verdict::Error,
    };
    let mut r = ProbeResult::new(scope, request, verdict);
    r.status = Some(f.status);
    let mut message = f.message.clone().unwrap_or_default();
    for e in &f.errors {
        if !message.contains(e.as_str()) {
            if !message.is_empty() {
                message.push_str("; ");
            }
            message.push_str(e);
        }
    }
    r.message = (!message.is_empty()).then_some(message);
    r.tracking_id = f.tracking_id.clone().or_else(|| f.sent_tracking_id.clone());
    r
}

/// When the token expires, from `GET /authorizations/tokenExpiry` (epoch milliseconds).
pub async fn token_expiry(
    client: &WebexClient,
    token: &SecretString,
) -> Result<OffsetDateTime, WebexError> {
    let answer = client
        .send(
            Operation::Probe,
            Method::GET,
            "/authorizations/tokenExpiry",
            Some(token),
            Body::None,
        )
        .await?;
    let value: Value =
        serde_json::from_slice(&answer.body).map_err(|e| WebexError::UnreadableAnswer {
            status: answer.status.as_u16(),
            detail: e.to_string(),
        })?;
    // `exp` in epoch milliseconds (webex-admin.json); digits in a string are taken too.
    let exp = &value["exp"];
    let ms = exp
        .as_i64()
        .or_else(|| exp.as_str()?.trim().parse().ok())
        .ok_or_else(|| WebexError::UnreadableAnswer {
            status: answer.status.as_u16(),
            detail: "no exp in the answer".into(),
        })?;
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).map_err(|e| {
        WebexError::UnreadableAnswer {
            status: answer.status.as_u16(),
            detail: e.to_string(),
        }
    })
}

#[cfg(test)]
mod tests;
