//! The scope catalog, embedded from `assets/scopes.json`.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

const SCOPES_JSON: &str = include_str!("../assets/scopes.json");

/// Who may use a scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    User,
    Admin,
    Compliance,
    Partner,
}

impl Audience {
    /// All audiences, in the order the picker groups them.
    pub const ALL: [Audience; 4] = [
        Audience::User,
        Audience::Admin,
        Audience::Compliance,
        Audience::Partner,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Audience::User => "user",
            Audience::Admin => "admin",
            Audience::Compliance => "compliance",
            Audience::Partner => "partner",
        }
    }
}

/// Whether Webex for Government offers a scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FedrampAvailability {
    Yes,
    No,
    Unknown,
}

/// How sure we are that a probe proves its scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProbeConfidence {
    Documented,
    Inferred,
    Unverified,
}

/// A call that fetches an ID a probe needs (for example a room for messages).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prerequisite {
    pub path: String,
    /// Dotted path into the JSON answer, e.g. `items.0.id`.
    pub pick: String,
    /// The `{placeholder}` in the probe path that receives the value.
    #[serde(rename = "as")]
    pub placeholder: String,
}

/// The read-only request that proves a token holds a scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Probe {
    pub method: String,
    /// Relative to the API base, query included.
    pub path: String,
    pub confidence: ProbeConfidence,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prerequisite: Option<Prerequisite>,
}

impl Probe {
    /// The path without its query string.
    pub fn route(&self) -> &str {
        self.path.split('?').next().unwrap_or(&self.path)
    }
}

/// How much a scope lets an integration do, from least to most (least privilege, AC-6): what
/// `report` groups scopes by and flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ScopeClass {
    /// Read what the user may read.
    UserRead,
    /// Change things as the user.
    UserWrite,
    /// Read the organization as an admin.
    AdminRead,
    /// Change the organization as an admin.
    AdminWrite,
    /// Compliance officers' access to everyone's content.
    Compliance,
    /// `spark:all`: everything the user can do.
    Everything,
}

impl ScopeClass {
    pub fn label(self) -> &'static str {
        match self {
            ScopeClass::UserRead => "read user data",
            ScopeClass::UserWrite => "write user data",
            ScopeClass::AdminRead => "admin read",
            ScopeClass::AdminWrite => "admin write",
            ScopeClass::Compliance => "compliance",
            ScopeClass::Everything => "everything",
        }
    }

    /// The broad classes: an assessor asks about them, and without a policy saying otherwise
    /// they need a justification.
    pub const BROAD: [ScopeClass; 3] = [
        ScopeClass::AdminWrite,
        ScopeClass::Compliance,
        ScopeClass::Everything,
    ];

    /// One of [`ScopeClass::BROAD`].
    pub fn is_broad(self) -> bool {
        Self::BROAD.contains(&self)
    }
}

/// The class of `scope`: by the catalog's audience where it knows the scope, else by its
/// prefix; a scope that writes, creates, deletes or manages is a write.
pub fn class_of(scope: &str) -> ScopeClass {
    if scope == "spark:all" {
        return ScopeClass::Everything;
    }
    let audience = Catalog::embedded().get(scope).map(|s| s.audience);
    let lower = scope.to_ascii_lowercase();
    let writes = ["write", "create", "delete", "manage", "_run", "commands"]
        .iter()
        .any(|w| lower.contains(w));
    match audience {
        Some(Audience::Compliance) => ScopeClass::Compliance,
        _ if lower.starts_with("spark-compliance:") => ScopeClass::Compliance,
        Some(Audience::Admin | Audience::Partner) if writes => ScopeClass::AdminWrite,
        Some(Audience::Admin | Audience::Partner) => ScopeClass::AdminRead,
        None if lower.starts_with("spark-admin:") || lower.starts_with("identity:") => {
            if writes {
                ScopeClass::AdminWrite
            } else {
                ScopeClass::AdminRead
            }
        }
        _ if writes => ScopeClass::UserWrite,
        _ => ScopeClass::UserRead,
    }
}

/// One OAuth scope of the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    pub name: String,
    pub summary: String,
    pub audience: Audience,
    pub category: String,
    pub fedramp: FedrampAvailability,
    pub deprecated: bool,
    pub probe: Option<Probe>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Scope {
    /// Case-insensitive match of name and summary, as the picker and `scopes --search` use it.
    pub fn matches(&self, needle_lower: &str) -> bool {
        needle_lower.is_empty()
            || contains_ignore_ascii_case(&self.name, needle_lower)
            || contains_ignore_ascii_case(&self.summary, needle_lower)
    }
}

/// `haystack` contains `needle_lower` (already lower case), ignoring ASCII case, without allocating.
fn contains_ignore_ascii_case(haystack: &str, needle_lower: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle_lower.as_bytes());
    n.len() <= h.len()
        && h.windows(n.len())
            .any(|w| w.iter().zip(n).all(|(a, b)| a.to_ascii_lowercase() == *b))
}

#[derive(Deserialize)]
struct CatalogFile {
    scopes: Vec<Scope>,
}

/// The whole catalog.
#[derive(Debug)]
pub struct Catalog {
    scopes: Vec<Scope>,
}

impl Catalog {
    /// Parse a catalog from JSON text.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        let file: CatalogFile = serde_json::from_str(text)?;
        Ok(Catalog {
            scopes: file.scopes,
        })
    }

    /// The catalog embedded in the binary.
    pub fn embedded() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| {
            Catalog::from_json(SCOPES_JSON).expect("assets/scopes.json is checked by a test")
        })
    }

    pub fn scopes(&self) -> &[Scope] {
        &self.scopes
    }

    pub fn get(&self, name: &str) -> Option<&Scope> {
        self.scopes.iter().find(|s| s.name == name)
    }

    /// Scopes whose name or summary contains `text`, ignoring case.
    pub fn search<'a>(&'a self, text: &str) -> impl Iterator<Item = &'a Scope> + 'a {
        let needle = text.trim().to_ascii_lowercase();
        self.scopes.iter().filter(move |s| s.matches(&needle))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn embedded_catalog_parses_with_unique_names_and_enough_scopes() {
        let catalog = Catalog::from_json(SCOPES_JSON).expect("scopes.json parses");
        let names: HashSet<_> = catalog.scopes().iter().map(|s| &s.name).collect();
        assert_eq!(
            names.len(),
            catalog.scopes().len(),
            "scope names are unique"
        );
        assert!(catalog.scopes().len() >= 100, "{}", catalog.scopes().len());
    }

    #[test]
    fn probes_are_read_only_and_placeholders_have_a_source() {
        for scope in Catalog::embedded().scopes() {
            let Some(probe) = &scope.probe else { continue };
            assert_eq!(probe.method, "GET", "{}", scope.name);
            assert!(probe.path.starts_with('/'), "{}", scope.name);
            let builtin = ["{now}", "{dayAgo}"];
            let mut rest = probe.path.clone();
            for b in builtin {
                rest = rest.replace(b, "");
            }
            if let Some(pre) = &probe.prerequisite {
                rest = rest.replace(&format!("{{{}}}", pre.placeholder), "");
            }
            assert!(
                !rest.contains('{'),
                "{} has an unfilled placeholder",
                scope.name
            );
        }
    }

    #[test]
    fn search_matches_name_and_summary_ignoring_case() {
        let catalog = Catalog::embedded();
        let by_name: Vec<_> = catalog.search("AUDIT:EVENTS").map(|s| &s.name).collect();
        assert_eq!(by_name, ["audit:events_read"]);
        assert!(
            catalog
                .search("company directory")
                .any(|s| s.name == "spark:people_read")
        );
        assert_eq!(catalog.search("").count(), catalog.scopes().len());
        assert_eq!(catalog.search("no such scope anywhere").count(), 0);
    }
}
