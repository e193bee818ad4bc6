//! What the saved tokens files say about their integrations' lives: when each access token and
//! refresh token expires, and what to do. An integration whose refresh token goes unused for its
//! lifetime (60 days on `FedRAMP`) is dead until a person authorizes it again; this is the radar
//! that warns before. Shared by `tokens`, `refresh --due` and, later, the wizard and `doctor`.
//! Never reads out a token: only dates, names and scopes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use time::OffsetDateTime;

/// How a saved tokens file stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Nothing to do.
    Ok,
    /// The refresh token expires within the window: refresh soon, or it dies.
    RefreshSoon,
    /// The access token has expired; the refresh token can still get a new one.
    AccessExpired,
    /// The refresh token has expired (or there is none and the access token has): only a new
    /// authorization in a browser brings it back.
    Dead,
    /// Dead, but a newer file of the same client is alive (an authorization since): delete it.
    Replaced,
    /// Not a tokens file that can be read.
    Unreadable,
}

/// The refresh window unless one is given: a refresh token expiring within this many days is
/// "refresh soon".
pub const SOON_DAYS: u32 = 14;

/// [`SOON_DAYS`] as a duration.
pub fn soon() -> time::Duration {
    time::Duration::days(i64::from(SOON_DAYS))
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::RefreshSoon => "refresh soon",
            Status::AccessExpired => "access expired",
            Status::Dead => "dead",
            Status::Replaced => "replaced",
            Status::Unreadable => "unreadable",
        }
    }

    /// `refresh --due` refreshes it.
    pub fn is_due(self) -> bool {
        matches!(self, Status::RefreshSoon | Status::AccessExpired)
    }

    /// Its refresh token still works.
    pub fn is_alive(self) -> bool {
        matches!(
            self,
            Status::Ok | Status::RefreshSoon | Status::AccessExpired
        )
    }
}

/// One saved tokens file, as far as it can be read (never its tokens).
#[derive(Debug, Clone)]
pub struct SavedTokens {
    pub path: PathBuf,
    pub client_id: String,
    /// The integration's name, from a saved credentials file of the same client ID.
    pub name: Option<String>,
    pub api_base: String,
    pub scopes: Vec<String>,
    pub access_expires: Option<OffsetDateTime>,
    pub refresh_expires: Option<OffsetDateTime>,
    pub has_refresh_token: bool,
    pub status: Status,
    /// Why it is unreadable.
    pub problem: Option<String>,
}

/// The data folder's saved tokens at a glance: how many files, how many to refresh (within 14
/// days, or access expired), how many dead. For `doctor` and the wizard's Start screen.
pub fn at_a_glance(dirs: &crate::env::Dirs) -> (usize, usize, usize) {
    let found = scan(
        dirs,
        &[dirs.tokens()],
        &[],
        OffsetDateTime::now_utc(),
        soon(),
    );
    let (due, dead) = counts(&found);
    (found.len(), due, dead)
}

/// How many of `found` are due for a refresh, and how many are dead.
pub fn counts(found: &[SavedTokens]) -> (usize, usize) {
    let due = found.iter().filter(|t| t.status.is_due()).count();
    let dead = found.iter().filter(|t| t.status == Status::Dead).count();
    (due, dead)
}

/// Every `.json` file in `folders` (not recursing) and every file in `files`, read and judged
/// at `now` with `soon` as the refresh window; the newest file of a client first. Names come
/// from the credentials in `dirs`.
pub fn scan(
    dirs: &crate::env::Dirs,
    folders: &[PathBuf],
    files: &[PathBuf],
    now: OffsetDateTime,
    soon: time::Duration,
) -> Vec<SavedTokens> {
    let mut paths: Vec<PathBuf> = files.to_vec();
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(folder) else {
            continue;
        };
        let mut found: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.extension().is_some_and(|e| e == "json")
                    && p.is_file()
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        found.sort();
        paths.extend(found);
    }
    // The same file named twice (a file and its folder, `--dir` of the default folder) once.
    let mut seen = std::collections::HashSet::new();
    paths.retain(|p| seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())));
    let names = names_by_client(dirs);
    let mut found: Vec<SavedTokens> = paths
        .into_iter()
        .map(|path| judge(&names, path, now, soon))
        .collect();
    // A dead file whose client has a living one (authorized again since) is only left over.
    let alive: std::collections::HashSet<String> = found
        .iter()
        .filter(|t| t.status.is_alive())
        .map(|t| t.client_id.clone())
        .collect();
    for t in &mut found {
        if t.status == Status::Dead && alive.contains(&t.client_id) {
            t.status = Status::Replaced;
        }
    }
    found
}

fn judge(
    names: &HashMap<String, Option<String>>,
    path: PathBuf,
    now: OffsetDateTime,
    soon: time::Duration,
) -> SavedTokens {
    let unreadable = |path: PathBuf, why: String| SavedTokens {
        path,
        client_id: String::new(),
        name: None,
        api_base: String::new(),
        scopes: Vec::new(),
        access_expires: None,
        refresh_expires: None,
        has_refresh_token: false,
        status: Status::Unreadable,
        problem: Some(why),
    };
    let value = match crate::files::read_document(&path, crate::platform::limits::DOCUMENT)
        .map_err(|e| e.to_string())
        .and_then(|b| serde_json::from_slice::<Value>(&b).map_err(|e| e.to_string()))
    {
        Ok(v) => v,
        Err(why) => return unreadable(path, why),
    };
    if value["format"] != crate::oauth::TOKENS_FORMAT {
        return unreadable(path, "not a tokens file saved by webex-wizard".into());
    }
    let text = |k: &str| value[k].as_str().unwrap_or_default().to_owned();
    let when = |k: &str| {
        value[k].as_str().and_then(|t| {
            OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok()
        })
    };
    let client_id = text("clientId");
    let access_expires = when("expiresAt");
    let refresh_expires = when("refreshTokenExpiresAt");
    let has_refresh_token = value["refreshToken"]
        .as_str()
        .is_some_and(|t| !t.is_empty());
    let access_gone = access_expires.is_some_and(|t| t <= now);
    let status = if (has_refresh_token && refresh_expires.is_some_and(|t| t <= now))
        || (!has_refresh_token && access_gone)
    {
        Status::Dead
    } else if access_gone {
        Status::AccessExpired
    } else if has_refresh_token && refresh_expires.is_some_and(|t| t <= now + soon) {
        Status::RefreshSoon
    } else {
        Status::Ok
    };
    SavedTokens {
        name: names.get(&client_id).cloned().flatten(),
        scopes: text("scope")
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        api_base: text("apiBase"),
        client_id,
        path,
        access_expires,
        refresh_expires,
        has_refresh_token,
        status,
        problem: None,
    }
}

/// Each client ID's name, from the first (by path) saved credentials file of it in the data
/// folder: the folder read once per scan, not once per tokens file.
fn names_by_client(dirs: &crate::env::Dirs) -> HashMap<String, Option<String>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dirs.credentials())
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut names = HashMap::new();
    for p in files {
        if let Ok(c) = crate::credentials::SavedCredentials::load(&p) {
            names
                .entry(c.integration.client_id)
                .or_insert(c.integration.name);
        }
    }
    names
}

/// The newest saved credentials of `client_id` in the data folder (by modification time: after a
/// rotation the newest holds the living secret), with its path: plain `.json` files, and with
/// `identity` also `.age` hand-offs there (any name), decrypted in memory. The error says what
/// was tried.
pub fn credentials_of(
    dirs: &crate::env::Dirs,
    client_id: &str,
    identity: Option<&Path>,
) -> Result<(PathBuf, crate::credentials::SavedCredentials), String> {
    let folder = dirs.credentials();
    let mut candidates: Vec<PathBuf> = std::fs::read_dir(&folder)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && (p.extension().is_some_and(|e| e == "json")
                    || (identity.is_some() && p.extension().is_some_and(|e| e == "age")))
        })
        .collect();
    let modified = |p: &PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    candidates.sort_by_key(|p| std::cmp::Reverse(modified(p)));
    let mut undecryptable = None;
    for p in candidates {
        match crate::credentials::SavedCredentials::open(&p, identity) {
            Ok(c) if c.integration.client_id == client_id => return Ok((p, c)),
            Err(e) if p.extension().is_some_and(|x| x == "age") => {
                undecryptable.get_or_insert(format!("{}: {e}", p.display()));
            }
            // Another client's file, or not a credentials file.
            _ => {}
        }
    }
    Err(match undecryptable {
        Some(why) => format!("no saved credentials of {client_id} could be read ({why})"),
        None => format!(
            "no saved credentials of {client_id} in {} (the secret is needed to refresh; a hand-off there needs --identity KEY)",
            folder.display()
        ),
    })
}

/// "2026-12-08 (in 7 days)", "2026-11-30 (2 days ago)", or "unknown".
pub fn when_words(t: Option<OffsetDateTime>, now: OffsetDateTime) -> String {
    let Some(t) = t else {
        return "unknown".into();
    };
    let date = format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day());
    format!("{date} ({})", relative(t, now))
}

/// "in 3 days", "in 5 h", "12 h ago", "1 day ago": within a day, in hours.
pub fn relative(t: OffsetDateTime, now: OffsetDateTime) -> String {
    let hours = (t - now).whole_hours();
    if (0..24).contains(&hours) {
        return format!("in {hours} h");
    }
    if (-23..0).contains(&hours) {
        return format!("{} h ago", -hours);
    }
    let days = days_left(Some(t), now).unwrap_or_default();
    let n = days.abs();
    let unit = if n == 1 { "day" } else { "days" };
    if days >= 0 {
        format!("in {n} {unit}")
    } else {
        format!("{n} {unit} ago")
    }
}

/// Days from `now` to `t`, to the nearest day (negative when past).
#[expect(
    clippy::cast_possible_truncation,
    reason = "days between token dates fit an i64 many times over"
)]
pub fn days_left(t: Option<OffsetDateTime>, now: OffsetDateTime) -> Option<i64> {
    t.map(|t| ((t - now).as_seconds_f64() / 86_400.0).round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dirs(root: &Path) -> crate::env::Dirs {
        crate::env::Dirs {
            data: root.join("data"),
            state: root.join("state"),
            store: crate::env::Store::File,
        }
    }

    fn write(dir: &Path, name: &str, access_days: i64, refresh_days: Option<i64>) -> PathBuf {
        let now = OffsetDateTime::now_utc();
        let at = |d: i64| crate::types::rfc3339(now + time::Duration::days(d));
        let mut v = serde_json::json!({
            "format": crate::oauth::TOKENS_FORMAT,
            "apiBase": "https://api-usgov.webex.com/v1",
            "clientId": format!("C-{name}"),
            "accessToken": "AT-SECRET",
            "scope": "spark:people_read",
            "expiresAt": at(access_days),
        });
        if let Some(r) = refresh_days {
            v["refreshToken"] = "RT-SECRET".into();
            v["refreshTokenExpiresAt"] = at(r).into();
        }
        let path = dir.join(format!("{name}.json"));
        std::fs::write(&path, v.to_string()).unwrap();
        path
    }

    #[test]
    fn each_file_gets_the_status_its_dates_say() {
        let root = tempfile::tempdir().unwrap();
        let folder = root.path().join("tokens");
        std::fs::create_dir_all(&folder).unwrap();
        write(&folder, "a-fine", 10, Some(50));
        write(&folder, "b-soon", 10, Some(3));
        write(&folder, "c-expired", -1, Some(40));
        write(&folder, "d-dead", -5, Some(-1));
        write(&folder, "e-no-refresh", -1, None);
        std::fs::write(folder.join("f-junk.json"), "{not json").unwrap();
        let found = scan(
            &dirs(root.path()),
            &[folder],
            &[],
            OffsetDateTime::now_utc(),
            soon(),
        );
        let statuses: Vec<Status> = found.iter().map(|s| s.status).collect();
        assert_eq!(
            statuses,
            [
                Status::Ok,
                Status::RefreshSoon,
                Status::AccessExpired,
                Status::Dead,
                Status::Dead,
                Status::Unreadable
            ]
        );
        assert!(found[1].status.is_due() && found[2].status.is_due());
        assert!(!found[0].status.is_due() && !found[3].status.is_due());
        let words = when_words(found[1].refresh_expires, OffsetDateTime::now_utc());
        assert!(words.ends_with("(in 3 days)"), "{words}");
        let now = OffsetDateTime::now_utc();
        assert_eq!(relative(now - time::Duration::hours(12), now), "12 h ago");
        assert_eq!(relative(now - time::Duration::days(1), now), "1 day ago");
        assert_eq!(relative(now + time::Duration::days(2), now), "in 2 days");
    }

    #[test]
    fn a_dead_file_whose_client_has_a_living_one_is_replaced_and_a_file_is_listed_once() {
        let root = tempfile::tempdir().unwrap();
        let folder = root.path().join("tokens");
        std::fs::create_dir_all(&folder).unwrap();
        let old = write(&folder, "same", -5, Some(-1));
        // The same client, authorized again since.
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&old).unwrap()).unwrap();
        let mut newer = v.clone();
        let at =
            |d: i64| crate::types::rfc3339(OffsetDateTime::now_utc() + time::Duration::days(d));
        newer["expiresAt"] = at(10).into();
        newer["refreshTokenExpiresAt"] = at(50).into();
        std::fs::write(folder.join("same-2.json"), newer.to_string()).unwrap();
        let found = scan(
            &dirs(root.path()),
            &[folder.clone(), folder],
            &[old],
            OffsetDateTime::now_utc(),
            soon(),
        );
        assert_eq!(found.len(), 2, "{found:?}");
        let statuses: Vec<Status> = found.iter().map(|s| s.status).collect();
        assert!(
            statuses.contains(&Status::Replaced) && statuses.contains(&Status::Ok),
            "{statuses:?}"
        );
    }
}
