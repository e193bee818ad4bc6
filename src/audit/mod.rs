//! The audit trail: one JSON line per action that changes or reveals something at Webex,
//! appended to `audit.jsonl` in the state folder (0600; the folder 0700) or to `--audit-log`.
//! The fields follow NIST SP 800-53 AU-3 (what, when, where, source, outcome, who). Never a
//! token, secret or code: an entry holds only the fields set through its methods.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::webex::WebexError;
use crate::webex::people::Person;

/// The file name in the state folder.
pub const FILE_NAME: &str = "audit.jsonl";

/// One line of the trail (built by chaining; an entry not passed on is lost, hence `must_use`).
#[derive(Debug, Clone)]
#[must_use]
pub struct Entry(Map<String, Value>);

impl Entry {
    /// `action` done now, by default with outcome `ok`.
    pub fn new(action: &str) -> Self {
        let mut m = Map::new();
        m.insert(
            "time".into(),
            crate::types::rfc3339(time::OffsetDateTime::now_utc()).into(),
        );
        m.insert("action".into(), action.into());
        m.insert("outcome".into(), "ok".into());
        Entry(m)
    }

    fn set(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.0.insert(key.into(), value.into());
        self
    }

    /// The outcome of a failed call: its kind and HTTP status, and Webex's trackingId.
    pub fn failed(self, e: &WebexError) -> Self {
        let (outcome, status) = match e {
            WebexError::Api(f) => (
                if f.is_client_error() {
                    "refused"
                } else {
                    "server-error"
                },
                Some(f.status),
            ),
            WebexError::Timeout { .. } => ("timeout", None),
            WebexError::Certificate { .. } => ("certificate", None),
            WebexError::Proxy { .. } => ("proxy", None),
            WebexError::Connect { .. } | WebexError::Network { .. } => ("network", None),
            _ => ("unreadable-answer", None),
        };
        let tracking = e
            .api_failure()
            .and_then(|f| f.tracking_id.clone().or_else(|| f.sent_tracking_id.clone()));
        let mut entry = self.set("outcome", outcome);
        if let Some(s) = status {
            entry = entry.set("status", s);
        }
        if let Some(t) = tracking {
            entry = entry.set("trackingId", t);
        }
        entry
    }

    /// The outcome of a Webex call: the trackingId of its answer when it succeeded, its failure
    /// otherwise.
    pub fn outcome<T>(self, result: &Result<crate::webex::Tracked<T>, WebexError>) -> Self {
        match result {
            Ok(t) => self.tracked(Some(t.tracking_id.clone())),
            Err(e) => self.failed(e),
        }
    }

    /// Why a broad scope was asked for (the least-privilege justification), as one clean line.
    pub fn justification(self, text: Option<&str>) -> Self {
        match text
            .map(crate::policy::clean_justification)
            .filter(|t| !t.is_empty())
        {
            Some(t) => self.set("justification", t),
            None => self,
        }
    }

    /// A failure that is not a Webex call's (the authorization in the browser, a file).
    pub fn failed_locally(self, kind: &str) -> Self {
        self.set("outcome", kind)
    }

    /// [`Entry::actor`] when the person is known.
    pub fn actor_if(self, person: Option<&Person>) -> Self {
        match person {
            Some(p) => self.actor(p),
            None => self,
        }
    }

    /// Who did it, from `/people/me`.
    pub fn actor(self, person: &Person) -> Self {
        let mut entry = self.set(
            "actor",
            json!({ "id": person.id, "email": person.emails.first() }),
        );
        if let Some(org) = &person.org_id {
            entry = entry.set("orgId", org.as_str());
        }
        entry
    }

    /// The application: its ID, client ID and name.
    pub fn application(
        self,
        id: Option<&str>,
        client_id: Option<&str>,
        name: Option<&str>,
    ) -> Self {
        let mut entry = self;
        for (key, value) in [
            ("applicationId", id),
            ("clientId", client_id),
            ("name", name),
        ] {
            if let Some(v) = value.filter(|v| !v.is_empty()) {
                entry = entry.set(key, v);
            }
        }
        entry
    }

    /// The application fields of a Webex answer or a saved file (its secret is never read).
    pub fn with_file(self, v: &Value) -> Self {
        let text = |k: &str| v.get(k).and_then(Value::as_str);
        let entry = self.application(text("id"), text("clientId"), text("name"));
        match text("botEmail") {
            Some(b) => entry.set("botEmail", b),
            None => entry,
        }
    }

    /// A hand-off's recipients, as fingerprints (public).
    pub fn recipients(self, fingerprints: &[&str]) -> Self {
        self.set("recipients", fingerprints.to_vec())
    }

    /// A hand-off's recipients' public keys (public, as given: `age1…`, `ssh-ed25519 …`), so
    /// that a rotation can hand the new secret to the same people (`--handoff-again`).
    pub fn recipient_keys(self, keys: &[String]) -> Self {
        self.set("recipientKeys", keys.to_vec())
    }

    /// The trackingId of the call, unless a failure already named one.
    pub fn tracked(self, id: Option<String>) -> Self {
        match id {
            Some(id) if !self.0.contains_key("trackingId") => self.set("trackingId", id),
            _ => self,
        }
    }

    /// The authorization acted on (by its ID).
    pub fn tracking_target(self, authorization_id: &str) -> Self {
        self.set("authorizationId", authorization_id)
    }

    /// Where: the environment and API base.
    pub fn at(self, environment: &str, api_base: &str) -> Self {
        self.set("environment", environment)
            .set("apiBase", api_base)
    }

    pub fn to_line(&self) -> String {
        serde_json::to_string(&self.0).expect("JSON values serialize")
    }
}

/// Append `entry` to `path` (created 0600, its folder 0700). Appends are one `write` of one
/// line, so concurrent runs don't interleave within a line. The file is opened as the log file
/// is: never through a link, never waiting on a FIFO or device, only a regular file of ours.
/// Each line is the next link of the trail's hash chain ([`chain`]).
pub fn append(path: &Path, entry: &Entry) -> std::io::Result<(Map<String, Value>, String)> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.exists()
    {
        crate::files::ensure_private_dir(dir)?;
    }
    chain::append_linked(path, &entry.0)
}

pub mod chain;
pub mod syslog;

/// Where a session's audit lines go, and what each line carries besides its own fields: the
/// environment and API base, and, once the admin token was checked, who acts. One writer for
/// both front ends.
#[derive(Clone, Debug)]
pub struct AuditLog {
    pub path: PathBuf,
    actor: std::sync::Arc<std::sync::Mutex<Option<Person>>>,
    /// The session's environment, which names its base better than the base alone can (the
    /// embedded sandbox is on a loopback port like any custom base).
    session: Option<crate::env::Environment>,
    /// Where each line is also sent as it is written (`--audit-syslog`).
    pub syslog: Option<syslog::Target>,
}

impl AuditLog {
    pub fn new(path: PathBuf) -> Self {
        AuditLog {
            path,
            actor: std::sync::Arc::default(),
            session: None,
            syslog: None,
        }
    }

    /// The log of a session in `env`: lines for its base carry its environment's name.
    pub fn for_session(path: PathBuf, env: &crate::env::Environment) -> Self {
        AuditLog {
            session: Some(env.clone()),
            ..AuditLog::new(path)
        }
    }

    /// Who acts from now on (the admin token's person), for lines that don't name one.
    pub fn set_actor(&self, person: &Person) {
        if let Ok(mut known) = self.actor.lock() {
            *known = Some(person.clone());
        }
    }

    /// Append `entry`, done against `base`; the caller says how a failure is reported (a line
    /// that can't be written is never a reason to lose anything else).
    /// An entry that already says where (a hand-off of a file saved for another base) keeps it.
    pub fn write(&self, base: &crate::env::ApiBase, entry: Entry) -> std::io::Result<()> {
        let env = match &self.session {
            Some(env) if env.base == *base => env.clone(),
            _ => crate::env::Environment::for_base(base.clone()),
        };
        let mut entry = if entry.0.contains_key("apiBase") {
            entry
        } else {
            entry.at(env.label(), base.as_str())
        };
        if !entry.0.contains_key("actor")
            && let Some(person) = self.actor.lock().ok().and_then(|a| a.clone())
        {
            entry = entry.actor(&person);
        }
        let written = append(&self.path, &entry);
        // The local line first; then off the machine, where a failure is only a warning.
        if let Some(target) = &self.syslog {
            // As written (with its link), or as it would have been when the trail refused it.
            let (sent, line) = match &written {
                Ok((linked, line)) => (linked, line.clone()),
                Err(_) => (&entry.0, entry.to_line()),
            };
            if let Err(e) = syslog::send(target, &syslog::message(sent, &line)) {
                eprintln!(
                    "warning: the audit line was not sent to syslog ({target:?}): {e}; it is in {}",
                    self.path.display()
                );
            }
        }
        written.map(drop)
    }
}

/// Where the trail goes: `--audit-log`, or `audit.jsonl` in the state folder.
pub fn path(chosen: Option<&Path>, state: &Path) -> PathBuf {
    chosen.map_or_else(|| state.join(FILE_NAME), Path::to_path_buf)
}

/// The entries of a trail, and how many lines could not be read.
#[derive(Debug, Default)]
pub struct Trail {
    pub entries: Vec<Map<String, Value>>,
    /// Lines (or pieces of lines) that are not a JSON object: skipped, and said.
    pub unreadable: usize,
}

impl Trail {
    /// When each client's secret was last set, as far as this trail knows: the time of its
    /// last successful `create` or `rotate-secret`, by client ID.
    pub fn secrets_set(&self) -> std::collections::HashMap<String, String> {
        let mut set = std::collections::HashMap::new();
        for e in &self.entries {
            let action = e.get("action").and_then(Value::as_str);
            let ok = e.get("outcome").and_then(Value::as_str) == Some("ok");
            if ok
                && matches!(action, Some("create" | "rotate-secret"))
                && let (Some(client), Some(time)) = (
                    e.get("clientId").and_then(Value::as_str),
                    e.get("time").and_then(Value::as_str),
                )
            {
                set.insert(client.to_owned(), time.to_owned());
            }
        }
        set
    }

    /// The recipients' public keys of the last successful hand-off of `client_id`'s secret
    /// (public: age recipients and SSH public keys), for `--handoff-again`.
    pub fn last_handoff_keys(&self, client_id: &str) -> Option<Vec<String>> {
        self.entries.iter().rev().find_map(|e| {
            let ours = e.get("action").and_then(Value::as_str) == Some("handoff")
                && e.get("clientId").and_then(Value::as_str) == Some(client_id)
                && e.get("outcome").and_then(Value::as_str) == Some("ok");
            let keys: Vec<String> = e
                .get("recipientKeys")?
                .as_array()?
                .iter()
                .filter_map(|k| k.as_str().map(str::to_owned))
                .collect();
            (ours && !keys.is_empty()).then_some(keys)
        })
    }
}

/// Every entry of the trail, read line by line: a line that is not a JSON object (invalid
/// UTF-8, a partial line left by a full disk) is counted and skipped, and a complete entry
/// appended right after a partial line is still found.
pub fn read(path: &Path) -> std::io::Result<Trail> {
    Ok(trail_of(&read_bytes(path)?))
}

/// The whole trail as it is on disk (nothing when there is none yet), read once for both its
/// entries ([`trail_of`]) and its chain ([`chain::verify_bytes`]).
pub fn read_bytes(path: &Path) -> std::io::Result<Vec<u8>> {
    match crate::platform::read_limited(path, crate::platform::limits::TRAIL) {
        Ok(bytes) => Ok(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

/// The entries of a trail already read (see [`read`]).
pub fn trail_of(bytes: &[u8]) -> Trail {
    let mut trail = Trail::default();
    for line in bytes.split(|b| *b == b'\n') {
        if line.trim_ascii().is_empty() {
            continue;
        }
        match entry_in(line) {
            Some((entry, whole)) => {
                trail.entries.push(entry);
                if !whole {
                    trail.unreadable += 1;
                }
            }
            None => trail.unreadable += 1,
        }
    }
    trail
}

/// The entry a line holds, and whether it was the whole line; else the first entry that
/// starts later in it (after a partial line with no newline of its own).
fn entry_in(line: &[u8]) -> Option<(Map<String, Value>, bool)> {
    let object = |bytes: &[u8]| match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(m)) => Some(m),
        _ => None,
    };
    if let Some(m) = object(line) {
        return Some((m, true));
    }
    line.windows(2)
        .enumerate()
        .skip(1)
        .filter(|(_, w)| w == b"{\"")
        .find_map(|(at, _)| object(&line[at..]))
        .map(|m| (m, false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_partial_line_and_a_bad_byte_hide_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        let first = Entry::new("create").to_line();
        let second = Entry::new("delete").to_line();
        let third = Entry::new("refresh").to_line();
        // A line cut by a full disk, then a complete one appended right after it; a line with
        // an invalid UTF-8 byte; then a good one.
        let text = format!("{first}\n{{\"action\":\"upd{second}\n");
        let mut bytes = text.into_bytes();
        bytes.extend_from_slice(b"{\"action\":\"x\xff\"}\n");
        bytes.extend_from_slice(format!("{third}\n").as_bytes());
        std::fs::write(&path, bytes).unwrap();
        let trail = read(&path).unwrap();
        let actions: Vec<&str> = trail
            .entries
            .iter()
            .filter_map(|e| e["action"].as_str())
            .collect();
        assert_eq!(actions, ["create", "delete", "refresh"], "{trail:?}");
        assert_eq!(trail.unreadable, 2, "{trail:?}");
    }

    #[test]
    fn lines_are_appended_0600_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/audit.jsonl");
        append(
            &path,
            &Entry::new("create").application(Some("A1"), Some("C1"), Some("N")),
        )
        .unwrap();
        append(&path, &Entry::new("delete").failed_locally("cancelled")).unwrap();
        let all = read(&path).unwrap().entries;
        assert_eq!(all.len(), 2);
        assert_eq!(all[0]["clientId"], "C1");
        assert_eq!(all[1]["outcome"], "cancelled");
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(
            std::fs::metadata(path.parent().unwrap())
                .unwrap()
                .permissions()
                .mode()
                & 0o777,
            0o700
        );
    }
}
