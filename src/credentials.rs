//! The credentials file the wizard and `create --save` write, and `authorize --credentials` reads.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::env::Dirs;
use crate::files::{self, LoadError, SaveError};
use crate::oauth::Tokens;
use crate::webex::applications::CreatedIntegration;

/// The value of the `format` key, so readers can tell the file apart.
pub const FORMAT: &str = "webex-wizard.credentials.v1";

/// A created integration together with the API base it lives on.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedCredentials {
    pub api_base: String,
    #[serde(flatten)]
    pub integration: CreatedIntegration,
}

impl SavedCredentials {
    /// The file's JSON: the whole Webex answer plus `format`, `apiBase` and `savedAt`.
    pub fn to_json_bytes(&self) -> Vec<u8> {
        let mut value = self.integration.to_json_exposing_secret();
        if let Value::Object(map) = &mut value {
            map.remove("format");
            map.insert("format".into(), FORMAT.into());
            map.insert("apiBase".into(), self.api_base.clone().into());
            map.insert("savedAt".into(), now_rfc3339().into());
        }
        let mut bytes = serde_json::to_vec_pretty(&value).expect("JSON values serialize");
        bytes.push(b'\n');
        bytes
    }

    /// Save to a new 0600 file; never overwrites.
    pub fn save(&self, path: &Path) -> Result<(), SaveError> {
        files::write_new_private(path, &self.to_json_bytes())
    }

    /// Save under the data directory, with a name made from the integration's name and ID.
    /// A name already taken (a rotated secret beside the old one's file) gets a number.
    pub fn save_default(&self, dirs: &Dirs) -> Result<PathBuf, SaveError> {
        files::write_new_default(
            dirs.store,
            &dirs.credentials(),
            &default_file_name(&self.integration),
            &self.to_json_bytes(),
        )
    }

    /// A name for the integration on screen.
    pub fn display_name(&self) -> &str {
        self.integration.name.as_deref().unwrap_or("(unnamed)")
    }

    /// Load a credentials file, decrypting it with `identity` when it is an age file (in memory).
    pub fn open(path: &Path, identity: Option<&Path>) -> Result<Self, LoadError> {
        let bytes = crate::files::read_document(path, crate::platform::limits::DOCUMENT).map_err(
            |source| LoadError::Read {
                path: path.to_owned(),
                source,
            },
        )?;
        let plain = crate::secrets::sealed::plain_of(path, bytes, identity)?;
        serde_json::from_slice(&plain).map_err(|e| {
            LoadError::Invalid(format!(
                "{} is not a webex-wizard credentials file: {e}",
                path.display()
            ))
        })
    }

    pub fn load(path: &Path) -> Result<Self, LoadError> {
        Self::open(path, None)
    }
}

/// Save `tokens` to a new 0600 file, atomically; never overwrites.
pub fn save_tokens(
    tokens: &Tokens,
    path: &Path,
    api_base: &str,
    client_id: &str,
) -> Result<(), SaveError> {
    files::write_new_private(path, &tokens_file_bytes(tokens, api_base, client_id))
}

/// A tokens file's content (the tokens themselves included), as `save_tokens` writes it.
pub fn tokens_file_bytes(tokens: &Tokens, api_base: &str, client_id: &str) -> Vec<u8> {
    let mut bytes =
        serde_json::to_vec_pretty(&tokens.to_json_exposing_secrets(api_base, client_id))
            .expect("JSON values serialize");
    bytes.push(b'\n');
    bytes
}

/// Save `tokens` under the data folder as `tokens/NAME-CLIENTID-STAMP.json` (0600 in a 0700
/// folder), next to the credentials folder.
pub fn save_tokens_default(
    tokens: &Tokens,
    dirs: &Dirs,
    api_base: &str,
    client_id: &str,
    name: &str,
) -> Result<PathBuf, SaveError> {
    let name = format!(
        "{}-{}-{}.json",
        files::slug(name, "integration"),
        short_id(client_id),
        files::file_stamp()
    );
    files::write_new_default(
        dirs.store,
        &dirs.tokens(),
        &name,
        &tokens_file_bytes(tokens, api_base, client_id),
    )
}

/// `my-admin-integration-C1234567.json`, unique per integration.
pub fn default_file_name(integration: &CreatedIntegration) -> String {
    let slug = files::slug(integration.name.as_deref().unwrap_or(""), "integration");
    format!("{slug}-{}.json", short_id(&integration.client_id))
}

/// The first 12 letters and digits of a client ID: enough to tell files apart.
pub fn short_id(client_id: &str) -> String {
    client_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(12)
        .collect()
}

fn now_rfc3339() -> String {
    crate::types::rfc3339(time::OffsetDateTime::now_utc())
}

/// Saved credentials in the data folder that carry `client_id`, and the hand-offs written next
/// to them: after a rotation they hold the old secret.
pub fn files_of_client(dirs: &crate::env::Dirs, client_id: &str) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dirs.credentials()) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let short = format!("-{}", short_id(client_id));
    for path in entries.filter_map(Result::ok).map(|e| e.path()) {
        // A hand-off can't be read without its key; its name carries the short client ID
        // (`name-C0123456789a.json.age`, or `-2` and on after a rotation).
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if path.extension().is_some_and(|e| e == "age") {
            let plain_sibling = path.with_extension("");
            if name.contains(&short) && !plain_sibling.is_file() {
                found.push(path);
            }
            continue;
        }
        let carries = crate::platform::read_limited(&path, crate::platform::limits::DOCUMENT)
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .is_some_and(|v| v["clientId"] == client_id);
        if carries {
            let sealed = crate::secrets::sealed::default_out(&path);
            found.push(path);
            if sealed.is_file() {
                found.push(sealed);
            }
        }
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn saved_file_round_trips_and_is_private() {
        let integration: CreatedIntegration =
            serde_json::from_str(r#"{"id":"A","clientId":"C0FFEE","clientSecret":"s3","name":"My App!","redirectUrls":["http://localhost:8080/callback"],"scopes":["spark:all"]}"#).unwrap();
        let saved = SavedCredentials {
            api_base: "http://127.0.0.1:1/v1".into(),
            integration,
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(default_file_name(&saved.integration));
        assert!(path.ends_with("my-app-C0FFEE.json"), "{path:?}");
        saved.save(&path).unwrap();
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let back = SavedCredentials::load(&path).unwrap();
        assert_eq!(back.integration.client_secret.expose_secret(), "s3");
        assert_eq!(
            back.integration.redirect_urls,
            ["http://localhost:8080/callback"]
        );
        assert_eq!(back.api_base, "http://127.0.0.1:1/v1");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(FORMAT));
    }
}
