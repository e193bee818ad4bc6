//! The OS keyring: on Linux the freedesktop Secret Service (GNOME Keyring, `KWallet`'s service,
//! `KeePassXC`) over D-Bus, through keyring-core. Other systems have no keyring here yet, which
//! is reported as such: callers never fall back to a plaintext file on their own.

use std::sync::Arc;
use std::time::Duration;

use keyring_core::{CredentialStore, Entry};

/// How long a keyring call may take: an activatable service that never answers, or a locked
/// collection waiting for a prompt no one can see, must not hang a command.
const PATIENCE: Duration = Duration::from_secs(10);

/// Why the keyring could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyringError {
    /// No keyring here: no D-Bus session, no Secret Service, or a system without support.
    #[error("no OS keyring is usable here: {0}")]
    Unavailable(String),
    /// The keyring answered with an error (locked, refused, malformed).
    #[error("the OS keyring refused: {0}")]
    Failed(String),
}

/// The name of the backend this build uses.
pub fn backend() -> &'static str {
    if cfg!(target_os = "linux") {
        "Secret Service over D-Bus"
    } else {
        "none on this system"
    }
}

#[cfg(target_os = "linux")]
fn open_store() -> Result<Arc<CredentialStore>, KeyringError> {
    // Without a session bus address zbus would guess one; say plainly what is missing instead.
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none()
        && !std::env::var_os("XDG_RUNTIME_DIR")
            .is_some_and(|d| std::path::Path::new(&d).join("bus").exists())
    {
        return Err(KeyringError::Unavailable(
            "no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set), so no Secret Service; this is usual over SSH, in containers and under WSL".into(),
        ));
    }
    let store = zbus_secret_service_keyring_store::Store::new().map_err(|e| {
        KeyringError::Unavailable(format!("the Secret Service did not answer ({e})"))
    })?;
    Ok(store)
}

#[cfg(not(target_os = "linux"))]
fn open_store() -> Result<Arc<CredentialStore>, KeyringError> {
    Err(KeyringError::Unavailable(
        "this build has no keyring support for this system yet".into(),
    ))
}

/// Run `work` against the keyring on a thread of its own, giving up after [`PATIENCE`].
fn with_store<T: Send + 'static>(
    work: impl FnOnce(&Arc<CredentialStore>) -> Result<T, KeyringError> + Send + 'static,
) -> Result<T, KeyringError> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(open_store().and_then(|store| work(&store)));
    });
    rx.recv_timeout(PATIENCE).unwrap_or_else(|_| {
        Err(KeyringError::Unavailable(format!(
            "the keyring did not answer within {} s (is its collection locked?)",
            PATIENCE.as_secs()
        )))
    })
}

fn entry(store: &Arc<CredentialStore>, service: &str, user: &str) -> Result<Entry, KeyringError> {
    Entry::new_in_store(store, service, user).map_err(|e| KeyringError::Failed(e.to_string()))
}

/// Whether a keyring can be reached now (for `doctor` and the refusals).
pub fn probe() -> Result<(), KeyringError> {
    with_store(|_| Ok(()))
}

/// Keep `secret` under (service, user), replacing what was there.
pub fn set(service: &str, user: &str, secret: Vec<u8>) -> Result<(), KeyringError> {
    let (service, user) = (service.to_owned(), user.to_owned());
    with_store(move |store| {
        entry(store, &service, &user)?
            .set_secret(&secret)
            .map_err(|e| KeyringError::Failed(e.to_string()))
    })
}

/// What is kept under (service, user), or `None` when nothing is.
pub fn get(service: &str, user: &str) -> Result<Option<Vec<u8>>, KeyringError> {
    let (service, user) = (service.to_owned(), user.to_owned());
    with_store(
        move |store| match entry(store, &service, &user)?.get_secret() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(KeyringError::Failed(e.to_string())),
        },
    )
}

/// Remove what is kept under (service, user); `false` when nothing was.
pub fn delete(service: &str, user: &str) -> Result<bool, KeyringError> {
    let (service, user) = (service.to_owned(), user.to_owned());
    with_store(
        move |store| match entry(store, &service, &user)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring_core::Error::NoEntry) => Ok(false),
            Err(e) => Err(KeyringError::Failed(e.to_string())),
        },
    )
}
