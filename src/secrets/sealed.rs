//! Handing credentials to a developer encrypted, in the age format (the `age` crate, with its
//! SSH-key support): recipients are age public keys (`age1…`) or SSH public keys
//! (`ssh-ed25519 …`, `ssh-rsa …`, or a `.pub` file); the developer decrypts with an age
//! identity file or an SSH private key. The plaintext never touches the disk.

use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use base64::Engine;
use secrecy::SecretString;
use sha2::{Digest, Sha256};

/// The start of an age file, binary or armored.
const AGE_MAGIC: &[u8] = b"age-encryption.org/v1";
const ARMOR_BEGIN: &[u8] = b"-----BEGIN AGE ENCRYPTED FILE-----";

/// One recipient and its fingerprint (for the audit trail: public, never a secret).
pub struct Recipient {
    key: Box<dyn age::Recipient + Send>,
    pub fingerprint: String,
    /// The public key as text (`age1…`, or an SSH key's type and blob without its comment):
    /// public, recorded so that a rotation can hand the new secret to the same people.
    pub public: String,
}

impl std::fmt::Debug for Recipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Recipient({})", self.fingerprint)
    }
}

/// `SHA256:…` of an SSH public key's blob, as `ssh-keygen -l` prints it.
fn ssh_fingerprint(line: &str) -> Option<String> {
    let blob = line.split_whitespace().nth(1)?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(blob)
        .ok()?;
    let digest = Sha256::digest(bytes);
    Some(format!(
        "SHA256:{}",
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(digest)
    ))
}

/// One recipient from its text: an age recipient or an SSH public key line.
fn parse_one(text: &str) -> Result<Recipient, String> {
    let text = text.trim();
    if text.starts_with("age1") {
        let key = age::x25519::Recipient::from_str(text)
            .map_err(|e| format!("not an age recipient ({e})"))?;
        return Ok(Recipient {
            key: Box::new(key),
            fingerprint: text.to_owned(),
            public: text.to_owned(),
        });
    }
    if text.starts_with("ssh-") {
        let key = age::ssh::Recipient::from_str(text).map_err(|e| {
            format!("not a usable SSH public key ({e:?}); use ssh-ed25519 or ssh-rsa")
        })?;
        let fingerprint = ssh_fingerprint(text).unwrap_or_else(|| "ssh key".into());
        let public = text
            .split_whitespace()
            .take(2)
            .collect::<Vec<_>>()
            .join(" ");
        return Ok(Recipient {
            key: Box::new(key),
            fingerprint,
            public,
        });
    }
    // Never the text itself: it may be a private key given by mistake.
    if looks_private(text) {
        return Err("this is a PRIVATE key: give its public key instead (age-keygen -y KEYFILE, or the .pub file of an SSH key)".into());
    }
    Err("neither an age recipient (age1…) nor an SSH public key (ssh-ed25519 …, ssh-rsa …) nor a file".into())
}

/// Text that is (the start of) an age identity or an SSH private key.
fn looks_private(text: &str) -> bool {
    text.contains("AGE-SECRET-KEY-") || text.contains("PRIVATE KEY")
}

/// A `--to` value: a recipient, or a file of them (a `.pub` file, or one per line as `age -R`
/// reads them; `#` starts a comment).
pub fn parse_recipient(text: &str) -> Result<Vec<Recipient>, String> {
    let looks_like_key = text.trim().starts_with("age1") || text.trim().starts_with("ssh-");
    if !looks_like_key && Path::new(text).is_file() {
        return recipients_file(Path::new(text));
    }
    parse_one(text)
        .map(|r| vec![r])
        .map_err(|e| format!("--to: {e}"))
}

/// Every recipient in a file, one per line.
pub fn recipients_file(path: &Path) -> Result<Vec<Recipient>, String> {
    let text = crate::platform::read_limited(path, crate::platform::limits::SECRET)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let text = String::from_utf8_lossy(&text);
    // A file's lines are never echoed: it may be an identity given by mistake.
    let found: Vec<Recipient> = text
        .lines()
        .enumerate()
        .map(|(n, l)| (n, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .map(|(n, l)| parse_one(l).map_err(|e| format!("{} line {}: {e}", path.display(), n + 1)))
        .collect::<Result<_, _>>()?;
    if found.is_empty() {
        return Err(format!("{} holds no recipient", path.display()));
    }
    Ok(found)
}

/// Encrypt `plaintext` to every recipient, in binary age or ASCII armor.
pub fn encrypt(plaintext: &[u8], recipients: &[Recipient], armor: bool) -> Result<Vec<u8>, String> {
    let encryptor = age::Encryptor::with_recipients(recipients.iter().map(|r| r.key.as_ref() as _))
        .map_err(|e| format!("could not encrypt: {e}"))?;
    let format = if armor {
        age::armor::Format::AsciiArmor
    } else {
        age::armor::Format::Binary
    };
    let mut out = Vec::new();
    let armored =
        age::armor::ArmoredWriter::wrap_output(&mut out, format).map_err(|e| e.to_string())?;
    let mut writer = encryptor.wrap_output(armored).map_err(|e| e.to_string())?;
    writer.write_all(plaintext).map_err(|e| e.to_string())?;
    writer
        .finish()
        .and_then(age::armor::ArmoredWriter::finish)
        .map_err(|e| e.to_string())?;
    Ok(out)
}

/// Whether `bytes` are an age file (binary or armored).
pub fn is_age(bytes: &[u8]) -> bool {
    let start = bytes.trim_ascii_start();
    start.starts_with(AGE_MAGIC) || start.starts_with(ARMOR_BEGIN)
}

/// Asks for an SSH key's passphrase on the terminal (never as a flag), echo off.
#[derive(Clone)]
struct TerminalPassphrase {
    /// Set when a passphrase was needed but there was no terminal to ask it on.
    no_terminal: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl age::Callbacks for TerminalPassphrase {
    fn display_message(&self, message: &str) {
        eprintln!("{message}");
    }

    fn confirm(&self, _message: &str, _yes: &str, _no: Option<&str>) -> Option<bool> {
        None
    }

    fn request_public_string(&self, _description: &str) -> Option<String> {
        None
    }

    fn request_passphrase(&self, description: &str) -> Option<SecretString> {
        // age wraps the path in Unicode isolation marks, which a terminal shows as boxes.
        let description = description.replace(['\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'], "");
        let answer = crate::secret::read_hidden_from_terminal(&format!("{description}: "));
        if answer.is_none() {
            self.no_terminal
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
        answer
    }
}

/// Decrypt an age file with an age identity file or an SSH private key; the plaintext stays in
/// memory.
pub fn decrypt(ciphertext: &[u8], identity: &Path) -> Result<Vec<u8>, crate::files::LoadError> {
    let no_terminal = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    decrypt_with(ciphertext, identity, &no_terminal).map_err(|why| {
        if no_terminal.load(std::sync::atomic::Ordering::Relaxed) {
            crate::files::LoadError::NoTerminal(why)
        } else {
            crate::files::LoadError::Invalid(why)
        }
    })
}

/// [`decrypt`]; `no_terminal` is set when a passphrase was needed and there was no terminal.
fn decrypt_with(
    ciphertext: &[u8],
    identity: &Path,
    no_terminal: &std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> Result<Vec<u8>, String> {
    let key_text = crate::platform::read_limited(identity, crate::platform::limits::SECRET)
        .map_err(|e| format!("--identity {}: {e}", identity.display()))?;
    let identities: Vec<Box<dyn age::Identity>> =
        if String::from_utf8_lossy(&key_text).contains("AGE-SECRET-KEY-") {
            age::IdentityFile::from_buffer(BufReader::new(key_text.as_slice()))
                .map_err(|e| format!("--identity {}: {e}", identity.display()))?
                .into_identities()
                .map_err(|e| format!("--identity {}: {e}", identity.display()))?
        } else {
            let key = age::ssh::Identity::from_buffer(
                BufReader::new(key_text.as_slice()),
                Some(identity.display().to_string()),
            )
            .map_err(|e| {
                format!(
                    "--identity {}: not an age identity or SSH private key ({e})",
                    identity.display()
                )
            })?;
            if let age::ssh::Identity::Unsupported(k) = &key {
                return Err(format!(
                    "--identity {}: unsupported SSH key ({k:?})",
                    identity.display()
                ));
            }
            vec![Box::new(key.with_callbacks(TerminalPassphrase {
                no_terminal: no_terminal.clone(),
            }))]
        };
    let decryptor = age::Decryptor::new_buffered(age::armor::ArmoredReader::new(ciphertext))
        .map_err(|e| format!("not a readable age file: {e}"))?;
    let mut reader = decryptor
        .decrypt(identities.iter().map(|i| i.as_ref() as _))
        .map_err(|e| {
            if no_terminal.load(std::sync::atomic::Ordering::Relaxed) {
                format!(
                    "{} is protected by a passphrase, and there is no terminal to ask it on (it is never taken from an argument or variable): run the command in a terminal, or use an age identity",
                    identity.display()
                )
            } else {
                format!("could not decrypt with {}: {e}", identity.display())
            }
        })?;
    let mut plaintext = Vec::new();
    reader
        .read_to_end(&mut plaintext)
        .map_err(|e| format!("the age file is damaged: {e}"))?;
    Ok(plaintext)
}

/// The plaintext of a credentials file: as it is, or decrypted with `identity` when it is an
/// age file. Decrypted once per process and kept in memory only (one passphrase question).
pub fn read_plain(
    path: &Path,
    identity: Option<&Path>,
) -> Result<Vec<u8>, crate::files::LoadError> {
    let bytes =
        crate::files::read_document(path, crate::platform::limits::DOCUMENT).map_err(|source| {
            crate::files::LoadError::Read {
                path: path.to_owned(),
                source,
            }
        })?;
    plain_of(path, bytes, identity)
}

/// [`read_plain`] for the `bytes` already read from `path`.
pub fn plain_of(
    path: &Path,
    bytes: Vec<u8>,
    identity: Option<&Path>,
) -> Result<Vec<u8>, crate::files::LoadError> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static PLAIN: OnceLock<Mutex<HashMap<PathBuf, Vec<u8>>>> = OnceLock::new();
    if !is_age(&bytes) {
        return Ok(bytes);
    }
    let Some(identity) = identity else {
        return Err(crate::files::LoadError::Invalid(format!(
            "{} is encrypted (age): give --identity KEY (an age identity file or your SSH private key)",
            path.display()
        )));
    };
    let cache = PLAIN.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(plain) = cache.lock().ok().and_then(|c| c.get(path).cloned()) {
        return Ok(plain);
    }
    let plain = decrypt(&bytes, identity)?;
    if let Ok(mut c) = cache.lock() {
        c.insert(path.to_owned(), plain.clone());
    }
    Ok(plain)
}

/// Every `--to` value and `--to-file` file, parsed: checked before anything is sent.
pub fn recipients(to: &[String], to_files: &[PathBuf]) -> Result<Vec<Recipient>, String> {
    let mut all = Vec::new();
    for t in to {
        all.extend(parse_recipient(t)?);
    }
    for f in to_files {
        all.extend(recipients_file(f)?);
    }
    Ok(all)
}

/// Encrypt `plain` to `recipients` into a new 0600 file at `out` (never over another file).
pub fn write_for(
    plain: &[u8],
    recipients: &[Recipient],
    armor: bool,
    out: &Path,
) -> Result<(), crate::files::SaveError> {
    let sealed = encrypt(plain, recipients, armor).map_err(|e| crate::files::SaveError::Io {
        path: out.to_owned(),
        source: std::io::Error::other(e),
    })?;
    crate::files::write_new_private(out, &sealed)
}

/// Where a hand-off file goes by default: next to `source`, with `.age` added.
pub fn default_out(source: &Path) -> PathBuf {
    let mut name = source.file_name().unwrap_or_default().to_os_string();
    name.push(".age");
    source.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use age::secrecy::ExposeSecret;

    #[test]
    fn a_round_trip_with_an_age_key_binary_and_armored() {
        let key = age::x25519::Identity::generate();
        let public = key.to_public().to_string();
        let dir = tempfile::tempdir().unwrap();
        let identity = dir.path().join("key.txt");
        std::fs::write(&identity, key.to_string().expose_secret()).unwrap();
        for armor in [false, true] {
            let sealed = encrypt(
                b"{\"clientSecret\":\"S\"}",
                &parse_recipient(&public).unwrap(),
                armor,
            )
            .unwrap();
            assert!(is_age(&sealed));
            assert!(!String::from_utf8_lossy(&sealed).contains("clientSecret"));
            assert_eq!(
                decrypt(&sealed, &identity).unwrap(),
                b"{\"clientSecret\":\"S\"}"
            );
        }
    }

    #[test]
    fn recipients_are_refused_with_a_reason() {
        assert!(parse_recipient("age1notakey").is_err());
        assert!(parse_recipient("hello").unwrap_err().contains("neither"));
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("r.txt");
        std::fs::write(&empty, "# nobody\n").unwrap();
        assert!(
            parse_recipient(empty.to_str().unwrap())
                .unwrap_err()
                .contains("no recipient")
        );
    }
}
