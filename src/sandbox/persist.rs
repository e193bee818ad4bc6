//! Keeping the sandbox's state in a file, so separate `--demo` commands behave like one service.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
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
    /// How many times the file was written, by any process.
    #[serde(default)]
    pub generation: u64,
}

/// Make `saved` the state (all but this process's configuration and pending consents).
pub(super) fn take(state: &mut State, saved: Saved) {
    state.admin_token = saved.admin_token;
    state.org_id = saved.org_id;
    state.admin_id = saved.admin_id;
    state.apps = saved.apps;
    state.codes = saved.codes;
    state.access_tokens = saved.access_tokens;
    state.refresh_tokens = saved.refresh_tokens;
    state.authorizations = saved.authorizations;
    state.sequence = saved.sequence;
    state.generation = saved.generation;
}

/// The lock file beside the state file.
fn lock_path(path: &Path) -> std::path::PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    path.with_file_name(name)
}

/// Take the lock other processes using the same state file respect (None when there is no
/// state file, or the lock can't be had: then this process goes on alone).
fn lock_state(path: &Path) -> Option<std::fs::File> {
    crate::platform::lock_exclusive(&lock_path(path)).ok()
}

/// [`save`] under the state file's lock.
pub(super) fn save_locked(state: &mut State, port: u16) {
    let _lock = state.config.state_file.as_deref().and_then(lock_state);
    save(state, port);
}

/// Whether `path` may hold the sandbox's state: it does not exist yet, or it is a regular file
/// (not a link) that already holds one. Anything else (a file of the user's, a device) is
/// refused, so `--state` can never overwrite it.
pub fn check_state_file(path: &Path) -> Result<(), String> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    if meta.file_type().is_symlink() {
        return Err(format!(
            "{} is a symbolic link; give the real path of a sandbox state file",
            path.display()
        ));
    }
    if !meta.is_file() {
        return Err(format!("{} is not a regular file", path.display()));
    }
    let ours = crate::platform::read_limited(path, crate::platform::limits::TRAIL)
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .is_some_and(|v| v["format"] == FORMAT);
    if ours {
        Ok(())
    } else {
        Err(format!(
            "{} exists and is not a sandbox state file (no \"format\": \"{FORMAT}\"), so it is left alone: give a new path",
            path.display()
        ))
    }
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

/// Write the state (one generation on), dropping what has expired; errors are logged, never
/// fatal to a request. The caller holds the state file's lock.
pub(super) fn save(state: &mut State, port: u16) {
    let Some(path) = state.config.state_file.clone() else {
        return;
    };
    state.generation += 1;
    let path = &path;
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
        generation: state.generation,
    };
    let result = serde_json::to_vec_pretty(&saved)
        .map_err(|e| e.to_string())
        .and_then(|bytes| {
            // A folder we make is 0700; one that exists is not ours to change.
            if let Some(dir) = path
                .parent()
                .filter(|d| !d.as_os_str().is_empty() && !d.exists())
            {
                files::ensure_private_dir(dir).map_err(|e| e.to_string())?;
            }
            files::replace_private(path, &bytes).map_err(|e| e.to_string())
        });
    if let Err(e) = result {
        tracing::warn!(path = %path.display(), error = %e, "could not save the sandbox state");
    }
}

/// Around every request, one at a time in this process and under the state file's lock across
/// processes: first take what another process wrote since, then answer, then write.
pub(super) async fn around_each_request(
    AxumState((shared, port, serial)): AxumState<(Shared, u16, Arc<tokio::sync::Mutex<()>>)>,
    request: Request,
    next: Next,
) -> Response {
    let _one_at_a_time = serial.lock().await;
    let path = lock(&shared).config.state_file.clone();
    let _file_lock = path.as_deref().and_then(lock_state);
    if let Some(path) = &path {
        let mut state = lock(&shared);
        if let Some(saved) = load(path).filter(|s| s.generation > state.generation) {
            take(&mut state, saved);
        }
    }
    let response = next.run(request).await;
    let mut state = lock(&shared);
    save(&mut state, port);
    response
}
