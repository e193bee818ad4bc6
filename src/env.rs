//! Environments (`FedRAMP`, commercial, custom base) and where files go.

use std::path::PathBuf;

pub use crate::types::ApiBase;

pub const FEDRAMP_BASE: &str = "https://api-usgov.webex.com/v1";
pub const COMMERCIAL_BASE: &str = "https://webexapis.com/v1";

/// Which Webex cloud a base belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cloud {
    Fedramp,
    Commercial,
    Custom,
    Sandbox,
}

/// An environment: a name people recognise and its API base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    pub cloud: Cloud,
    pub base: ApiBase,
}

impl Environment {
    pub fn fedramp() -> Self {
        Environment {
            cloud: Cloud::Fedramp,
            base: ApiBase::parse(FEDRAMP_BASE).expect("a valid constant"),
        }
    }

    pub fn commercial() -> Self {
        Environment {
            cloud: Cloud::Commercial,
            base: ApiBase::parse(COMMERCIAL_BASE).expect("a valid constant"),
        }
    }

    /// The environment a base belongs to: `FedRAMP` or commercial when it is theirs.
    pub fn for_base(base: ApiBase) -> Self {
        match base.as_str() {
            FEDRAMP_BASE => Environment::fedramp(),
            COMMERCIAL_BASE => Environment::commercial(),
            _ => Environment::custom(base),
        }
    }

    pub fn custom(base: ApiBase) -> Self {
        Environment {
            cloud: Cloud::Custom,
            base,
        }
    }

    pub fn sandbox(base: ApiBase) -> Self {
        Environment {
            cloud: Cloud::Sandbox,
            base,
        }
    }

    pub fn label(&self) -> &'static str {
        match self.cloud {
            Cloud::Fedramp => "Webex for Government (FedRAMP)",
            Cloud::Commercial => "Webex commercial",
            Cloud::Custom => "custom API base",
            Cloud::Sandbox => "embedded sandbox (offline demo)",
        }
    }
}

/// Where webex-wizard keeps its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dirs {
    /// Saved credentials and tokens (`~/.local/share/webex-wizard` on Linux).
    pub data: PathBuf,
    /// Drafts and crash-recovery files (`~/.local/state/webex-wizard` on Linux).
    pub state: PathBuf,
    /// Where credentials and tokens go when no path is given (`--store`).
    pub store: Store,
}

pub use crate::files::Store;

/// The config folder (`~/.config/webex-wizard` on Linux), where `policy.toml` may be.
pub fn config_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("com", "webex-wizard", "webex-wizard")
        .map(|p| p.config_dir().to_path_buf())
}

impl Dirs {
    pub fn discover() -> Result<Self, String> {
        let project = directories::ProjectDirs::from("com", "webex-wizard", "webex-wizard")
            .ok_or("no home directory is known (set HOME)")?;
        let data = project.data_dir().to_path_buf();
        let state = project
            .state_dir()
            .map_or_else(|| data.join("state"), PathBuf::from);
        Ok(Dirs {
            data,
            state,
            store: Store::File,
        })
    }

    /// Refuse folders of ours that are symbolic links (the state and data folders, and the
    /// recovery, credentials and tokens folders in them): secrets go only into real folders.
    pub fn check(&self) -> Result<(), String> {
        for dir in [
            self.state.clone(),
            self.data.clone(),
            self.recovery(),
            self.credentials(),
            self.tokens(),
        ] {
            crate::files::refuse_symlink(&dir).map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    /// Raw answers and unsaved credentials kept so a one-time secret is never lost.
    pub fn recovery(&self) -> PathBuf {
        self.state.join("recovery")
    }

    /// Where the `--demo` sandbox keeps its integrations, codes and tokens between runs.
    pub fn demo_sandbox(&self) -> PathBuf {
        self.state.join("demo-sandbox.json")
    }

    /// Default folder for saved tokens.
    pub fn tokens(&self) -> PathBuf {
        self.data.join("tokens")
    }

    /// Default folder for saved credentials.
    pub fn credentials(&self) -> PathBuf {
        self.data.join("credentials")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symlinked_state_and_data_folders_are_refused() {
        let root = tempfile::tempdir().unwrap();
        let elsewhere = root.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        let dirs = Dirs {
            data: root.path().join("data"),
            state: root.path().join("state"),
            store: Store::File,
        };
        assert!(dirs.check().is_ok());
        std::fs::create_dir(&dirs.state).unwrap();
        std::os::unix::fs::symlink(&elsewhere, dirs.recovery()).unwrap();
        let err = dirs.check().unwrap_err();
        assert!(
            err.contains("recovery") && err.contains("symbolic link"),
            "{err}"
        );
        std::fs::remove_file(dirs.recovery()).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &dirs.data).unwrap();
        assert!(dirs.check().unwrap_err().contains("data"));
    }

    #[test]
    fn api_base_rules() {
        assert_eq!(
            ApiBase::parse("https://x.example/v1/").unwrap().as_str(),
            "https://x.example/v1"
        );
        assert!(ApiBase::parse("http://127.0.0.1:4000/v1").is_ok());
        assert!(ApiBase::parse("http://localhost:4000/v1").is_ok());
        let err = ApiBase::parse("http://proxy.example/v1").unwrap_err();
        assert!(err.contains("https"), "{err}");
        assert!(ApiBase::parse("not a url").is_err());
        let b = ApiBase::parse(FEDRAMP_BASE).unwrap();
        assert_eq!(
            b.authorize_url(),
            "https://api-usgov.webex.com/v1/authorize"
        );
        assert_eq!(b.token_url(), "https://api-usgov.webex.com/v1/access_token");
    }
}
