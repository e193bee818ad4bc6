//! Secrets: where they come from. Values stay wrapped in [`SecretString`], whose `Debug`
//! is redacted; only showing, copying and saving expose them.

use std::io;
use std::path::Path;

use crate::types::ScopeSource;
use secrecy::{ExposeSecret, SecretString};

/// Clean a pasted token: trim white space and a leading `Bearer `.
pub fn clean_token(raw: &str) -> String {
    let t = raw.trim();
    let t = match t.get(..7) {
        Some(p) if p.eq_ignore_ascii_case("bearer ") => t[7..].trim_start(),
        _ => t,
    };
    t.to_owned()
}

/// Read a secret from a file, or from standard input when the path is `-`.
pub fn read_secret_file(path: &Path) -> io::Result<SecretString> {
    use crate::platform::{limits, read_capped};
    let bytes = if path == Path::new("-") {
        read_capped(io::stdin().lock(), limits::SECRET)?
    } else {
        // A file, or a document kept in the OS keyring (`--refresh-token-file keyring:NAME`).
        crate::files::read_document(path, limits::SECRET)?
    };
    let mut raw = String::from_utf8(bytes)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "it is not UTF-8 text"))?;
    let cleaned = clean_token(&raw);
    raw.clear();
    if cleaned.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "the file is empty",
        ));
    }
    Ok(SecretString::from(cleaned))
}

/// The environment variables that may hold secrets. They are taken out of the process's
/// environment at start-up ([`take_secret_variables`]), so no child (a browser, a clipboard
/// tool) ever inherits them.
pub const SECRET_VARIABLES: &[&str] = &[
    "WEBEX_ADMIN_TOKEN",
    "WEBEX_CLIENT_SECRET",
    "WEBEX_REFRESH_TOKEN",
    "WEBEX_ACCESS_TOKEN",
];

static TAKEN: std::sync::OnceLock<Vec<(&'static str, SecretString)>> = std::sync::OnceLock::new();

/// Move the secret variables out of the environment into memory. Call it first thing in
/// `main`, while the process has one thread.
pub fn take_secret_variables() {
    let mut taken = Vec::new();
    for name in SECRET_VARIABLES {
        if let Some(value) = std::env::var_os(name) {
            if let Some(v) = value.to_str() {
                taken.push((*name, SecretString::from(v.to_owned())));
            }
            // SAFETY: called at the start of main, before any other thread exists.
            unsafe { std::env::remove_var(name) };
        }
    }
    let _ = TAKEN.set(taken);
}

/// A secret from an environment variable (or what [`take_secret_variables`] took of it); an
/// empty variable counts as unset.
pub fn secret_from_env(name: &str) -> Option<SecretString> {
    let raw = match TAKEN.get() {
        Some(taken) => taken
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.expose_secret().to_owned()),
        None => std::env::var(name).ok(),
    }?;
    Some(clean_token(&raw))
        .filter(|v| !v.is_empty())
        .map(SecretString::from)
}

/// A token from a file: the file holds the token itself, or is a JSON tokens file (as
/// `authorize --save` writes) whose `key` holds it. Also returns the file's scopes and where
/// they came from (a bare token has none: [`ScopeSource::Unknown`]).
pub fn read_token_file(
    path: &Path,
    key: &str,
) -> Result<(SecretString, Vec<String>, ScopeSource), crate::files::LoadError> {
    use crate::files::LoadError;
    let text = read_secret_file(path).map_err(|source| LoadError::Read {
        path: path.to_owned(),
        source,
    })?;
    if !text.expose_secret().starts_with('{') {
        return Ok((text, Vec::new(), ScopeSource::Unknown));
    }
    let value: serde_json::Value = serde_json::from_str(text.expose_secret())
        .map_err(|e| LoadError::Invalid(format!("{} is not valid JSON: {e}", path.display())))?;
    let token = value[key]
        .as_str()
        .map(|t| SecretString::from(t.to_owned()))
        .ok_or_else(|| LoadError::Invalid(format!("{} has no {key}", path.display())))?;
    let scopes = value["scope"]
        .as_str()
        .unwrap_or("")
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    Ok((
        token,
        scopes,
        ScopeSource::from_file(value["scopeSource"].as_str()),
    ))
}

/// Ask for a secret on the controlling terminal (`/dev/tty`) with echo off, as `ssh` and `age`
/// do; `None` without a terminal. The answer never reaches argv, the environment or a log.
pub fn read_hidden_from_terminal(prompt: &str) -> Option<SecretString> {
    let line = crate::platform::stdio::read_hidden_line(prompt)?;
    Some(SecretString::from(
        line.trim_end_matches(['\r', '\n']).to_owned(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_token_strips_bearer_and_space() {
        assert_eq!(clean_token("  Bearer abc.def \n"), "abc.def");
        assert_eq!(clean_token("bearer   xyz"), "xyz");
        assert_eq!(clean_token("abc"), "abc");
    }

    #[test]
    fn debug_of_a_secret_is_redacted() {
        let s = SecretString::from("hunter2".to_string());
        assert!(!format!("{s:?}").contains("hunter2"));
    }
}
