//! What this binary is, as facts the code knows: version, commit, build date, target, features,
//! the TLS stack it links and, in the FIPS build, the cryptographic module's name, version and
//! CMVP status (`--version`, `--version --json`, `doctor`).

use serde_json::{Value, json};

/// The package version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The git commit built (or `unknown` for a tree without one).
pub const COMMIT: &str = env!("WW_BUILD_COMMIT");
/// `SOURCE_DATE_EPOCH`'s day, else the commit's, as YYYY-MM-DD (reproducible builds).
pub const BUILD_DATE: &str = env!("WW_BUILD_DATE");
/// The target triple.
pub const TARGET: &str = env!("WW_BUILD_TARGET");
/// `release` or `debug`.
pub const PROFILE: &str = env!("WW_BUILD_PROFILE");
const RUSTLS: &str = env!("WW_RUSTLS_VERSION");
const AWS_LC_RS: &str = env!("WW_AWS_LC_RS_VERSION");
#[cfg(not(feature = "fips"))]
const AWS_LC_SYS: &str = env!("WW_AWS_LC_SYS_VERSION");
#[cfg(feature = "fips")]
const AWS_LC_FIPS_SYS: &str = env!("WW_AWS_LC_FIPS_SYS_VERSION");

/// The cargo features this binary was built with.
pub fn features() -> Vec<&'static str> {
    let mut features = Vec::new();
    if cfg!(feature = "fips") {
        features.push("fips");
    }
    features
}

/// Where a module stands with NIST's Cryptographic Module Validation Program, as this release
/// knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cmvp {
    /// A module line NIST validated; its certificates.
    Validated {
        line: &'static str,
        certificates: &'static str,
    },
    /// A line submitted to NIST and not validated when this release was made.
    NotYetValidated { line: &'static str },
    /// A version this release has no record of.
    Unknown,
    /// Not a FIPS module at all (the default build).
    NotFips,
}

impl Cmvp {
    /// The status of an AWS-LC FIPS module by its version (`awslc_version_string`'s number).
    /// aws-lc-fips-sys links the module statically, so the static certificates apply.
    pub fn of_aws_lc_fips(version: &str) -> Cmvp {
        match version.split('.').next() {
            // aws-lc-rs' release notes (v1.17.1): "The AWS-LC FIPS v3 module has been awarded
            // FIPS 140-3 validation: certificate #5314 (static), #5298 (dynamic)".
            Some("3") => Cmvp::Validated {
                line: "AWS-LC FIPS 3.0",
                certificates: "CMVP #5314 (static; #5298 is the dynamic build)",
            },
            Some("2") => Cmvp::Validated {
                line: "AWS-LC FIPS 2.0",
                certificates: "CMVP #4816 (static)",
            },
            Some("4") => Cmvp::NotYetValidated {
                line: "AWS-LC FIPS 4.x",
            },
            _ => Cmvp::Unknown,
        }
    }

    /// In words, for `--version` and `doctor`.
    pub fn words(&self) -> String {
        match self {
            Cmvp::Validated { line, certificates } => {
                format!("the validated {line} module line, {certificates}")
            }
            Cmvp::NotYetValidated { line } => {
                format!("{line}: submitted to NIST, not yet validated when this release was made")
            }
            Cmvp::Unknown => "a module version this release has no CMVP record of".into(),
            Cmvp::NotFips => "not a FIPS module".into(),
        }
    }

    fn json(&self) -> Value {
        match self {
            Cmvp::Validated { line, certificates } => {
                json!({ "status": "validated", "line": line, "certificates": certificates })
            }
            Cmvp::NotYetValidated { line } => {
                json!({ "status": "not yet validated", "line": line })
            }
            Cmvp::Unknown => json!({ "status": "unknown" }),
            Cmvp::NotFips => json!({ "status": "not a FIPS module" }),
        }
    }
}

/// The cryptographic module every TLS connection uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CryptoModule {
    /// "AWS-LC FIPS 3.6.0" as the module names itself, or "AWS-LC".
    pub name: String,
    /// The crate that builds it, with its version.
    pub built_by: String,
    pub cmvp: Cmvp,
}

/// The module linked into this binary (asked of the module itself in the FIPS build).
pub fn crypto_module() -> CryptoModule {
    #[cfg(feature = "fips")]
    {
        // SAFETY: awslc_version_string takes no arguments and returns a pointer to a static,
        // NUL-terminated string owned by the library for the life of the process.
        let name = unsafe { std::ffi::CStr::from_ptr(aws_lc_fips_sys::awslc_version_string()) }
            .to_string_lossy()
            .into_owned();
        let version = name.rsplit(' ').next().unwrap_or_default().to_owned();
        CryptoModule {
            cmvp: Cmvp::of_aws_lc_fips(&version),
            name,
            built_by: format!("aws-lc-fips-sys {AWS_LC_FIPS_SYS}"),
        }
    }
    #[cfg(not(feature = "fips"))]
    {
        CryptoModule {
            name: "AWS-LC".into(),
            built_by: format!("aws-lc-sys {AWS_LC_SYS}"),
            cmvp: Cmvp::NotFips,
        }
    }
}

/// Whether rustls runs in FIPS mode with the provider every connection uses.
pub fn fips_mode() -> bool {
    crate::net::trust::provider().fips()
}

/// The TLS stack in words: "rustls 0.23.43 on aws-lc-rs 1.17.4".
pub fn tls_stack() -> String {
    format!("rustls {RUSTLS} on aws-lc-rs {AWS_LC_RS}")
}

/// The crypto module in one line: "AWS-LC FIPS 3.6.0 (aws-lc-fips-sys 0.13.17): …".
pub fn module_line(module: &CryptoModule) -> String {
    format!(
        "{} ({}): {}",
        module.name,
        module.built_by,
        module.cmvp.words()
    )
}

/// `--version`: the first line as it always was, then one fact per line.
pub fn text() -> String {
    let module = crypto_module();
    let features = features();
    format!(
        "webex-wizard {VERSION}\n\
         commit:   {COMMIT}\n\
         built:    {BUILD_DATE} for {TARGET} ({PROFILE})\n\
         features: {}\n\
         TLS:      {}, FIPS mode {}\n\
         crypto:   {}\n",
        if features.is_empty() {
            "none".to_owned()
        } else {
            features.join(", ")
        },
        tls_stack(),
        if fips_mode() { "on" } else { "off" },
        module_line(&module),
    )
}

/// `--version --json`, for inventory tools.
pub fn json() -> Value {
    let module = crypto_module();
    json!({
        "name": "webex-wizard",
        "version": VERSION,
        "commit": COMMIT,
        "buildDate": BUILD_DATE,
        "target": TARGET,
        "profile": PROFILE,
        "features": features(),
        "tls": {
            "library": "rustls",
            "libraryVersion": RUSTLS,
            "provider": "aws-lc-rs",
            "providerVersion": AWS_LC_RS,
            "fipsMode": fips_mode(),
        },
        "cryptoModule": {
            "name": module.name,
            "builtBy": module.built_by,
            "cmvp": module.cmvp.json(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cmvp_status_follows_the_module_line() {
        assert!(matches!(
            Cmvp::of_aws_lc_fips("3.6.0"),
            Cmvp::Validated {
                line: "AWS-LC FIPS 3.0",
                ..
            }
        ));
        assert_eq!(
            Cmvp::of_aws_lc_fips("4.2.0"),
            Cmvp::NotYetValidated {
                line: "AWS-LC FIPS 4.x"
            }
        );
        assert_eq!(Cmvp::of_aws_lc_fips("9.0.0"), Cmvp::Unknown);
        assert!(
            Cmvp::of_aws_lc_fips("4.2.0")
                .words()
                .contains("not yet validated")
        );
    }

    #[test]
    fn the_build_names_the_module_it_links() {
        let module = crypto_module();
        if cfg!(feature = "fips") {
            assert!(module.name.starts_with("AWS-LC FIPS "), "{}", module.name);
            assert!(module.built_by.starts_with("aws-lc-fips-sys "));
            assert!(fips_mode());
            assert_ne!(module.cmvp, Cmvp::NotFips);
        } else {
            assert_eq!(module.cmvp, Cmvp::NotFips);
            assert!(!fips_mode());
        }
        assert!(!module.built_by.ends_with("unknown"), "{}", module.built_by);
    }

    #[test]
    fn the_facts_come_from_the_build() {
        assert_eq!(json()["version"], env!("CARGO_PKG_VERSION"));
        assert!(!RUSTLS.is_empty() && RUSTLS != "unknown");
        assert!(
            BUILD_DATE == "unknown" || BUILD_DATE.len() == 10,
            "{BUILD_DATE}"
        );
        assert!(text().starts_with(&format!("webex-wizard {VERSION}\n")));
    }
}
