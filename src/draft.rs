//! The wizard's draft (what the user typed, never a token or secret) and the recovery files
//! found at start-up.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::credentials::SavedCredentials;
use crate::env::Dirs;
use crate::files::{self, SaveError};
use crate::integration::IntegrationDraft;

/// The value of the `format` key of a draft file.
pub const FORMAT: &str = "webex-wizard.draft.v1";

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct DraftOnDisk {
    format: String,
    /// Where the user was: `details`, `redirect-urls`, `scopes` or `review`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    step: Option<String>,
    #[serde(flatten)]
    draft: IntegrationDraft,
}

/// A draft and the place in the wizard where it was left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedDraft {
    pub draft: IntegrationDraft,
    /// The step's name, as the wizard gave it; unknown names are ignored.
    pub step: Option<String>,
}

/// `state/draft.json`.
pub fn path(dirs: &Dirs) -> PathBuf {
    dirs.state.join("draft.json")
}

/// Save (replace) the draft; 0600 in a 0700 folder, atomically. A draft with nothing typed
/// in it is no draft: any earlier one is removed instead.
pub fn save(dirs: &Dirs, saved: &SavedDraft) -> Result<PathBuf, SaveError> {
    if saved.draft == IntegrationDraft::default() {
        discard(dirs).map_err(|e| SaveError::Io {
            path: path(dirs),
            source: e,
        })?;
        return Ok(path(dirs));
    }
    files::ensure_private_dir(&dirs.state).map_err(|e| SaveError::Io {
        path: dirs.state.clone(),
        source: e,
    })?;
    let path = path(dirs);
    let body = DraftOnDisk {
        format: FORMAT.into(),
        step: saved.step.clone(),
        draft: saved.draft.clone(),
    };
    let mut bytes = serde_json::to_vec_pretty(&body).expect("plain strings serialize");
    bytes.push(b'\n');
    files::replace_private(&path, &bytes)?;
    Ok(path)
}

/// The saved draft, if there is one with anything typed in it.
pub fn load(dirs: &Dirs) -> Option<SavedDraft> {
    let text =
        crate::platform::read_limited(&path(dirs), crate::platform::limits::DOCUMENT).ok()?;
    let text = String::from_utf8(text).ok()?;
    let on_disk: DraftOnDisk = serde_json::from_str(&text).ok()?;
    (on_disk.format == FORMAT && on_disk.draft != IntegrationDraft::default()).then_some(
        SavedDraft {
            draft: on_disk.draft,
            step: on_disk.step,
        },
    )
}

/// Remove the draft (after the integration was created, or when the user starts afresh).
pub fn discard(dirs: &Dirs) -> std::io::Result<()> {
    match std::fs::remove_file(path(dirs)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// A file in the recovery folder.
#[derive(Debug, Clone)]
pub enum Recovered {
    /// Credentials that were created but not yet stored by the user.
    Credentials {
        path: PathBuf,
        saved: Box<SavedCredentials>,
    },
    /// A bot whose token was not yet stored by the user.
    Bot {
        path: PathBuf,
        bot: Box<crate::bot::CreatedBot>,
        api_base: String,
    },
    /// Access and refresh tokens that were issued but never saved.
    Tokens {
        path: PathBuf,
        client_id: String,
        api_base: String,
    },
    /// A raw answer the client could not read; it may hold a one-time secret.
    Unreadable { path: PathBuf },
    /// A note that webex-wizard was stopped while a create was on its way: the integration
    /// may exist at Webex without anyone having its secret.
    PendingCreate { path: PathBuf, note: PendingCreate },
}

/// The value of the `format` key of a pending-create note.
pub const PENDING_FORMAT: &str = "webex-wizard.pending-create.v1";

/// What a pending-create note says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingCreate {
    pub format: String,
    pub name: String,
    pub api_base: String,
    pub started_at: String,
    pub note: String,
}

/// Leave a 0600 note in the recovery folder that a create of `name` on `api_base` may have
/// happened without its answer being kept.
pub fn note_pending_create(dirs: &Dirs, name: &str, api_base: &str) -> Result<PathBuf, SaveError> {
    let note = PendingCreate {
        format: PENDING_FORMAT.into(),
        name: name.to_owned(),
        api_base: api_base.to_owned(),
        started_at: crate::files::file_stamp(),
        note: "webex-wizard was stopped before Webex answered this create. An integration with this name may exist without anyone having its secret: check before creating it again, and delete it if it is there.".into(),
    };
    let mut bytes = serde_json::to_vec_pretty(&note).expect("plain strings serialize");
    bytes.push(b'\n');
    files::save_recovery(&dirs.recovery(), "pending-create", "json", &bytes)
}

impl Recovered {
    pub fn path(&self) -> &Path {
        match self {
            Recovered::Credentials { path, .. }
            | Recovered::Bot { path, .. }
            | Recovered::Tokens { path, .. }
            | Recovered::Unreadable { path }
            | Recovered::PendingCreate { path, .. } => path,
        }
    }
}

/// How old a temporary file must be before it counts as left over (a write in progress takes
/// milliseconds; one this old was cut off, by a SIGKILL or a crash during its fsync).
pub const LEFTOVER_AGE: std::time::Duration = std::time::Duration::from_secs(120);

/// Give a recovery copy that was cut off before its rename (a hidden `.webex-wizard-…`
/// temporary file) a visible name, so that it is offered like any other: it may hold the only
/// copy of a one-time secret. Empty ones are left alone.
pub fn complete_leftovers(dir: &std::path::Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let now = std::time::SystemTime::now();
    let mut completed = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(meta) = entry.metadata() else { continue };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age >= LEFTOVER_AGE);
        if !name.starts_with(".webex-wizard-") || !meta.is_file() || meta.len() == 0 || !old {
            continue;
        }
        let to = dir.join(format!(
            "unfinished-{}-{:06x}.txt",
            crate::files::file_stamp(),
            rand::random::<u32>() & 0xff_ffff
        ));
        if std::fs::rename(entry.path(), &to).is_ok() {
            completed.push(to);
        }
    }
    completed
}

/// Every file in the recovery folder, oldest first.
pub fn scan_recovery(dirs: &Dirs) -> Vec<Recovered> {
    complete_leftovers(&dirs.recovery());
    let Ok(entries) = std::fs::read_dir(dirs.recovery()) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            if let Some(note) =
                crate::platform::read_limited(&path, crate::platform::limits::DOCUMENT)
                    .ok()
                    .and_then(|b| serde_json::from_slice::<PendingCreate>(&b).ok())
                    .filter(|n| n.format == PENDING_FORMAT)
            {
                return Recovered::PendingCreate { path, note };
            }
            if let Some((bot, api_base)) =
                crate::platform::read_limited(&path, crate::platform::limits::DOCUMENT)
                    .ok()
                    .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
                    .filter(|v| v["format"] == crate::bot::BOT_FORMAT)
                    .and_then(|v| {
                        let base = v["apiBase"].as_str().unwrap_or_default().to_owned();
                        serde_json::from_value::<crate::bot::CreatedBot>(v)
                            .ok()
                            .map(|b| (b, base))
                    })
            {
                return Recovered::Bot {
                    path,
                    bot: Box::new(bot),
                    api_base,
                };
            }
            if let Some(v) = crate::platform::read_limited(&path, crate::platform::limits::DOCUMENT)
                .ok()
                .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
                .filter(|v| v["format"] == crate::oauth::TOKENS_FORMAT)
            {
                let text = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
                return Recovered::Tokens {
                    client_id: text("clientId"),
                    api_base: text("apiBase"),
                    path,
                };
            }
            match SavedCredentials::load(&path) {
                Ok(saved) => Recovered::Credentials {
                    path,
                    saved: Box::new(saved),
                },
                Err(_) => Recovered::Unreadable { path },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn dirs(root: &Path) -> Dirs {
        Dirs {
            data: root.join("data"),
            state: root.join("state"),
            store: crate::env::Store::File,
        }
    }

    #[test]
    fn unsaved_tokens_are_recognised_as_tokens_not_as_an_unreadable_answer() {
        let dir = tempfile::tempdir().unwrap();
        let dirs = dirs(dir.path());
        let tokens = serde_json::json!({
            "format": crate::oauth::TOKENS_FORMAT,
            "apiBase": "https://api-usgov.webex.com/v1",
            "clientId": "C1",
            "accessToken": "AT",
        });
        crate::files::save_recovery(
            &dirs.recovery(),
            "tokens",
            "json",
            tokens.to_string().as_bytes(),
        )
        .unwrap();
        let found = scan_recovery(&dirs);
        assert!(
            matches!(&found[..], [Recovered::Tokens { client_id, api_base, .. }]
                if client_id == "C1" && api_base == "https://api-usgov.webex.com/v1"),
            "{found:?}"
        );
    }

    #[test]
    fn a_draft_round_trips_privately_and_an_empty_one_is_not_offered() {
        let root = tempfile::tempdir().unwrap();
        let dirs = dirs(root.path());
        assert!(load(&dirs).is_none());
        let draft = SavedDraft {
            draft: IntegrationDraft {
                name: "Half typed".into(),
                scopes: vec!["spark:people_read".into()],
                ..Default::default()
            },
            step: Some("scopes".into()),
        };
        let path = save(&dirs, &draft).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let dir_mode = std::fs::metadata(&dirs.state).unwrap().permissions().mode() & 0o777;
        assert_eq!(dir_mode, 0o700);
        assert_eq!(load(&dirs), Some(draft));
        let empty = SavedDraft {
            draft: IntegrationDraft::default(),
            step: Some("details".into()),
        };
        save(&dirs, &empty).unwrap();
        assert!(load(&dirs).is_none());
        assert!(!path.exists(), "an empty draft removes the earlier one");
        discard(&dirs).unwrap();
        assert!(!path.exists());
        discard(&dirs).unwrap();
    }
}
