//! Keeping the sandbox's state in a file, so separate `--demo` commands behave like one service.

use std::collections::HashMap;
use std::path::Path;
use std::time::SystemTime;

use axum::extract::{Request, State as AxumState};
use axum::middleware::Next;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::{App, Authorization, CodeGrant, RefreshGrant, Shared, State, TokenGrant, lock};
use crate::files;

/// The value of the `format` key of the state file.
pub const FORMAT: &str = "webex-wizard.demo-sandbox.v1";

/// What survives between runs: who the admin is, what was created and granted.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Saved {
    format: String,
    /// The port the last run listened on, tried first so saved `apiBase`s stay right.
    pub port: u16,
    pub admin_token: String,
    pub org_id: String,
    pub admin_id: String,
    pub apps: Vec<App>,
    pub codes: HashMap<String, CodeGrant>,
    pub access_tokens: HashMap<String, TokenGrant>,
    pub refresh_tokens: HashMap<String, RefreshGrant>,
    #[serde(default)]
    pub authorizations: Vec<Authorization>,
    pub sequence: u64,
}

/// The saved state, if the file holds one; a missing or foreign file starts afresh.
pub(super) fn load(path: &Path) -> Option<Saved> {
    let text = crate::platform::read_limited(path, crate::platform::limits::TRAIL).ok()?;
    match serde_json::from_slice::<Saved>(&text) {
        Ok(saved) if saved.format == FORMAT => Some(saved),
        _ => {
            tracing::warn!(path = %path.display(), "the sandbox state file is not readable; starting afresh");
            None
        }
    }
}

/// Write the state, dropping what has expired; errors are logged, never fatal to a request.
pub(super) fn save(state: &State, port: u16) {
    let Some(path) = &state.config.state_file else {
        return;
    };
    let now = SystemTime::now();
    let saved = Saved {
        format: FORMAT.into(),
        port,
        admin_token: state.admin_token.clone(),
        org_id: state.org_id.clone(),
        admin_id: state.admin_id.clone(),
        apps: state.apps.clone(),
        codes: state
            .codes
            .iter()
            .filter(|(_, g)| g.expires > now)
            .map(|(k, g)| (k.clone(), g.clone()))
            .collect(),
        access_tokens: state
            .access_tokens
            .iter()
            .filter(|(_, g)| g.expires > now)
            .map(|(k, g)| (k.clone(), g.clone()))
            .collect(),
        refresh_tokens: state.refresh_tokens.clone(),
        authorizations: state.authorizations.clone(),
        sequence: state.sequence,
    };
    let result = serde_json::to_vec_pretty(&saved)
        .map_err(|e| e.to_string())
        .and_then(|bytes| {
            if let Some(dir) = path.parent() {
                files::ensure_private_dir(dir).map_err(|e| e.to_string())?;
            }
            files::replace_private(path, &bytes).map_err(|e| e.to_string())
        });
    if let Err(e) = result {
        tracing::warn!(path = %path.display(), error = %e, "could not save the sandbox state");
    }
}

/// After every request, write the state while still holding the lock, so writes never reorder.
pub(super) async fn after_each_request(
    AxumState((shared, port)): AxumState<(Shared, u16)>,
    request: Request,
    next: Next,
) -> Response {
    let response = next.run(request).await;
    let state = lock(&shared);
    save(&state, port);
    response
}
