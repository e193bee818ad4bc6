//! A bot: what is sent to create one (JSON with an avatar URL, or `multipart/form-data` with a
//! local image), the checks made before sending, and the answer with its one-time `botToken`.

use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::validate;

/// The largest avatar file we send (our guard; Webex's own limit is not published).
pub const AVATAR_MAX_BYTES: usize = 1024 * 1024;
/// The avatar's form field: `logo`, as third-party code models it (unverified for uploads).
pub const AVATAR_FIELD: &str = "logo";
/// The value of the `format` key of a saved bot file.
pub const BOT_FORMAT: &str = "webex-wizard.bot.v1";

/// The bot's picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Avatar {
    Url(String),
    File {
        path: PathBuf,
        bytes: Vec<u8>,
        mime: &'static str,
    },
}

/// What a bot is created from.
/// A bot's fields as typed (not yet checked), for a form to finish.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BotPrefill {
    pub name: String,
    pub bot_email: String,
    pub description: String,
    pub contact_email: String,
    /// An https URL or a local file's path.
    pub avatar: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BotDraft {
    pub name: String,
    pub bot_email: String,
    pub description: String,
    pub contact_email: String,
    pub avatar: Avatar,
}

/// The image type of `bytes`, from its first bytes: PNG, JPEG or GIF.
pub fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"\xff\xd8\xff") {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else {
        None
    }
}

/// Read and check a local avatar: an image of a known type, at most [`AVATAR_MAX_BYTES`].
pub fn read_avatar(path: &Path) -> Result<Avatar, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if meta.len() > AVATAR_MAX_BYTES as u64 {
        return Err(format!(
            "{} is {} KiB; an avatar may be at most {} KiB",
            path.display(),
            meta.len() / 1024,
            AVATAR_MAX_BYTES / 1024
        ));
    }
    // Regular files only, capped: `/dev/stdin` or a FIFO could send far more than it said.
    let bytes = crate::platform::read_limited(path, AVATAR_MAX_BYTES as u64)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let mime = image_type(&bytes)
        .ok_or_else(|| format!("{} is not a PNG, JPEG or GIF image", path.display()))?;
    Ok(Avatar::File {
        path: path.to_owned(),
        bytes,
        mime,
    })
}

/// The bot e-mail: `name@webex.bot`, a name of letters, digits, `.`, `-` and `_`.
pub fn check_bot_email(value: &str) -> Result<(), String> {
    let value = value.trim();
    if value.is_empty() {
        return Err("the bot e-mail must not be blank (NAME@webex.bot)".into());
    }
    let Some(local) = value.strip_suffix("@webex.bot") else {
        return Err(format!("'{value}' must end in @webex.bot"));
    };
    let ok = !local.is_empty()
        && local.len() <= 64
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        && !local.starts_with('.')
        && !local.ends_with('.');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "'{value}': the part before @webex.bot may hold only letters, digits, '.', '-' and '_'"
        ))
    }
}

/// An avatar URL: https, with a host.
pub fn check_avatar_url(value: &str) -> Result<(), String> {
    match url::Url::parse(value.trim()) {
        Ok(u) if u.scheme() == "https" && u.host_str().is_some() => Ok(()),
        Ok(_) => Err(format!("the avatar URL '{value}' must be https")),
        Err(e) => Err(format!("the avatar URL '{value}' is not a URL ({e})")),
    }
}

impl BotDraft {
    /// Every problem, each naming its flag; empty when the bot may be sent.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut check = |flag: &str, r: Result<(), String>| {
            if let Err(e) = r {
                out.push(format!("{flag}: {e}"));
            }
        };
        check("--name", validate::check_name(&self.name));
        check("--bot-email", check_bot_email(&self.bot_email));
        check(
            "--description",
            validate::check_description(&self.description),
        );
        check(
            "--contact-email",
            validate::check_contact_email(&self.contact_email),
        );
        if let Avatar::Url(u) = &self.avatar {
            check("--avatar-url", check_avatar_url(u));
        }
        out
    }

    fn fields(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("type", "bot"),
            ("name", self.name.trim()),
            ("botEmail", self.bot_email.trim()),
            ("description", self.description.trim()),
            ("contactEmail", self.contact_email.trim()),
        ]
    }

    /// The request's content type and body: JSON with the avatar URL, or `multipart/form-data`
    /// with the file (RFC 7578).
    pub fn request(&self) -> (String, Vec<u8>) {
        match &self.avatar {
            Avatar::Url(url) => {
                let mut body: Map<String, Value> = self
                    .fields()
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), Value::from(v)))
                    .collect();
                body.insert(AVATAR_FIELD.into(), url.trim().into());
                (
                    "application/json".into(),
                    serde_json::to_vec(&body).expect("JSON values serialize"),
                )
            }
            Avatar::File { path, bytes, mime } => {
                let boundary = format!("webex-wizard-{}", rand::random::<u64>());
                let mut out = Vec::new();
                for (k, v) in self.fields() {
                    out.extend_from_slice(
                        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
                    );
                }
                let file_name: String = path
                    .file_name()
                    .map_or_else(|| "avatar".into(), |n| n.to_string_lossy().into_owned())
                    .chars()
                    .filter(|c| !c.is_control() && !matches!(c, '"' | '\\'))
                    .collect();
                out.extend_from_slice(
                    format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{AVATAR_FIELD}\"; filename=\"{file_name}\"\r\nContent-Type: {mime}\r\n\r\n").as_bytes(),
                );
                out.extend_from_slice(bytes);
                out.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
                (format!("multipart/form-data; boundary={boundary}"), out)
            }
        }
    }

    /// What `--dry-run` shows: the fields, and the avatar as a URL or a file's name, type and size.
    pub fn describe_request(&self) -> Value {
        let mut v: Map<String, Value> = self
            .fields()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), Value::from(v)))
            .collect();
        v.insert(
            AVATAR_FIELD.into(),
            match &self.avatar {
                Avatar::Url(u) => u.as_str().into(),
                Avatar::File { path, bytes, mime } => json!({ "file": path.display().to_string(), "type": mime, "bytes": bytes.len() }),
            },
        );
        Value::Object(v)
    }
}

/// The bot Webex created, with its one-time access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedBot {
    #[serde(default, deserialize_with = "crate::lenient::optional")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "crate::lenient::optional")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::lenient::optional")]
    pub bot_email: Option<String>,
    #[serde(skip_serializing)]
    pub bot_token: SecretString,
    /// Every other field, kept as it came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CreatedBot {
    /// Read a bot create's answer: only a non-empty `botToken` is required (the `FedRAMP` bot
    /// guide names no other field); a name or e-mail the answer leaves out is the draft's.
    pub fn read(body: &[u8], draft: &BotDraft) -> Result<CreatedBot, String> {
        let value: Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
        if value["botToken"].as_str().is_none_or(str::is_empty) {
            // Never the value itself: a malformed token is still a token.
            return Err("botToken is missing, empty or not text".into());
        }
        let mut bot: CreatedBot =
            serde_json::from_value(value).map_err(|_| "its fields could not be read".to_owned())?;
        bot.name.get_or_insert_with(|| draft.name.trim().to_owned());
        bot.bot_email
            .get_or_insert_with(|| draft.bot_email.trim().to_owned());
        Ok(bot)
    }

    /// The whole answer, the token included (for `--json` and the saved file only).
    pub fn to_json_exposing_token(&self) -> Value {
        let mut value = serde_json::to_value(self).expect("JSON values serialize");
        if let Value::Object(map) = &mut value {
            map.insert(
                "botToken".into(),
                self.bot_token.expose_secret().to_owned().into(),
            );
        }
        value
    }

    /// The saved file: the answer plus `format`, `apiBase` and `savedAt`.
    pub fn to_file_bytes(&self, api_base: &str) -> Vec<u8> {
        let mut value = self.to_json_exposing_token();
        if let Value::Object(map) = &mut value {
            map.insert("format".into(), BOT_FORMAT.into());
            map.insert("apiBase".into(), api_base.into());
            map.insert(
                "savedAt".into(),
                crate::types::rfc3339(time::OffsetDateTime::now_utc()).into(),
            );
        }
        let mut bytes = serde_json::to_vec_pretty(&value).expect("JSON values serialize");
        bytes.push(b'\n');
        bytes
    }
}

/// `bot-NAME.json`, NAME from the bot e-mail: where a bot and its token are saved by default.
pub fn default_file_name(bot: &CreatedBot) -> String {
    let local = bot
        .bot_email
        .as_deref()
        .and_then(|e| e.split('@').next())
        .unwrap_or("");
    format!("bot-{}.json", crate::files::slug(local, "bot"))
}

/// Save `bot` under the data folder's credentials, as `bot-NAME.json` (0600, never over
/// another file).
pub fn save_default(
    bot: &CreatedBot,
    api_base: &str,
    dirs: &crate::env::Dirs,
) -> Result<PathBuf, crate::files::SaveError> {
    crate::files::write_new_default(
        dirs.store,
        &dirs.credentials(),
        &default_file_name(bot),
        &bot.to_file_bytes(api_base),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(avatar: Avatar) -> BotDraft {
        BotDraft {
            name: "Notifier".into(),
            bot_email: "agency-notifier@webex.bot".into(),
            description: "Posts alerts".into(),
            contact_email: "admin@agency.example.gov".into(),
            avatar,
        }
    }

    #[test]
    fn bot_emails_must_be_webex_bot_addresses() {
        assert!(check_bot_email("ok-bot_1@webex.bot").is_ok());
        for bad in [
            "bot@example.com",
            "@webex.bot",
            "a b@webex.bot",
            "x@webex.bot.evil",
            ".a@webex.bot",
        ] {
            assert!(check_bot_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn avatars_are_checked_by_type_and_size_before_sending() {
        let dir = tempfile::tempdir().unwrap();
        let png = dir.path().join("a.png");
        std::fs::write(&png, b"\x89PNG\r\n\x1a\nrest").unwrap();
        assert!(matches!(
            read_avatar(&png),
            Ok(Avatar::File {
                mime: "image/png",
                ..
            })
        ));
        let text = dir.path().join("a.txt");
        std::fs::write(&text, b"hello").unwrap();
        assert!(read_avatar(&text).unwrap_err().contains("not a PNG"));
        let big = dir.path().join("big.png");
        let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
        bytes.resize(AVATAR_MAX_BYTES + 1, 0);
        std::fs::write(&big, bytes).unwrap();
        assert!(read_avatar(&big).unwrap_err().contains("at most"));
        assert!(
            draft(Avatar::Url("http://x.example/a.png".into())).problems()[0].contains("https")
        );
    }

    #[test]
    fn a_file_avatar_goes_as_multipart_and_a_url_as_json() {
        let (ct, body) = draft(Avatar::Url("https://cdn.example.gov/a.png".into())).request();
        assert_eq!(ct, "application/json");
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["type"], "bot");
        assert_eq!(v["logo"], "https://cdn.example.gov/a.png");
        let (ct, body) = draft(Avatar::File {
            path: "evil\"\r\nname.png".into(),
            bytes: b"\x89PNG\r\n\x1a\n".to_vec(),
            mime: "image/png",
        })
        .request();
        let boundary = ct.strip_prefix("multipart/form-data; boundary=").unwrap();
        let text = String::from_utf8_lossy(&body);
        assert!(text.contains("name=\"botEmail\"\r\n\r\nagency-notifier@webex.bot\r\n"));
        assert!(text.contains("filename=\"evilname.png\""), "{text}");
        assert!(text.ends_with(&format!("--{boundary}--\r\n")));
    }

    #[test]
    fn the_token_is_hidden_except_where_asked_for() {
        let bot: CreatedBot = serde_json::from_str(
            r#"{"id":"B1","botEmail":"x@webex.bot","botToken":"TOK-123","botPersonId":"P9"}"#,
        )
        .unwrap();
        assert!(!format!("{bot:?}").contains("TOK-123"));
        assert!(!serde_json::to_string(&bot).unwrap().contains("TOK-123"));
        assert_eq!(bot.to_json_exposing_token()["botToken"], "TOK-123");
        assert_eq!(bot.to_json_exposing_token()["botPersonId"], "P9");
    }
}
