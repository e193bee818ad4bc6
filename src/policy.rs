//! Least privilege (NIST SP 800-53 AC-6), on the form and in scripts: scopes are classed
//! ([`crate::catalog::class_of`]); a broad class needs a one-line justification, which goes into
//! the audit line; and an agency's policy (`--policy FILE`, or `policy.toml` in the config
//! folder) can deny scopes or classes, require a justification for more classes, and cap the
//! number of scopes. `create`, `update` and the wizard check it before anything is sent, and a
//! refusal names the rule. The sandbox refuses nothing of the kind: the policy is ours.
//!
//! ```toml
//! deny_scopes = ["spark:all"]
//! deny_classes = ["compliance"]
//! justify_classes = ["admin write", "everything", "write user data"]
//! max_scopes = 10
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::catalog::{ScopeClass, class_of};

/// An agency's rules; the default is "justify the broad classes".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Where the rules came from, for the refusal ("the built-in rule" without a file).
    pub source: Option<PathBuf>,
    pub deny_scopes: Vec<String>,
    pub deny_classes: Vec<ScopeClass>,
    pub justify_classes: Vec<ScopeClass>,
    pub max_scopes: Option<usize>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            source: None,
            deny_scopes: Vec::new(),
            deny_classes: Vec::new(),
            justify_classes: ScopeClass::BROAD.to_vec(),
            max_scopes: None,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    deny_scopes: Vec<String>,
    #[serde(default)]
    deny_classes: Vec<String>,
    justify_classes: Option<Vec<String>>,
    max_scopes: Option<usize>,
}

/// A class by its name: `admin write`, `admin-write` and `admin_write` alike.
fn class_named(name: &str) -> Option<ScopeClass> {
    let wanted = name.trim().to_ascii_lowercase().replace(['-', '_'], " ");
    [
        ScopeClass::UserRead,
        ScopeClass::UserWrite,
        ScopeClass::AdminRead,
        ScopeClass::AdminWrite,
        ScopeClass::Compliance,
        ScopeClass::Everything,
    ]
    .into_iter()
    .find(|c| c.label() == wanted)
}

impl Policy {
    /// Read the policy at `path`.
    pub fn load(path: &Path) -> Result<Policy, String> {
        let bytes = crate::platform::read_limited(path, crate::platform::limits::DOCUMENT)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| format!("{} is not UTF-8 text", path.display()))?;
        let file: File =
            basic_toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let classes = |names: &[String]| -> Result<Vec<ScopeClass>, String> {
            names
                .iter()
                .map(|n| {
                    class_named(n).ok_or_else(|| {
                        format!(
                            "{}: '{n}' is not a scope class (read user data, write user data, admin read, admin write, compliance, everything)",
                            path.display()
                        )
                    })
                })
                .collect()
        };
        Ok(Policy {
            source: Some(path.to_owned()),
            deny_scopes: file.deny_scopes,
            deny_classes: classes(&file.deny_classes)?,
            justify_classes: match &file.justify_classes {
                Some(names) => classes(names)?,
                None => ScopeClass::BROAD.to_vec(),
            },
            max_scopes: file.max_scopes,
        })
    }

    /// `--policy FILE`, else `policy.toml` in the config folder when there is one, else the
    /// built-in rule.
    pub fn find(chosen: Option<&Path>, config_dir: Option<&Path>) -> Result<Policy, String> {
        if let Some(path) = chosen {
            return Policy::load(path);
        }
        match config_dir.map(|d| d.join("policy.toml")) {
            Some(path) if path.exists() => Policy::load(&path),
            _ => Ok(Policy::default()),
        }
    }

    fn rule(&self, key: &str) -> String {
        match &self.source {
            Some(path) => format!("{key} in {}", path.display()),
            None => "the built-in rule: broad classes need a reason".to_owned(),
        }
    }

    /// The scopes whose class needs a justification.
    pub fn needs_justification(&self, scopes: &[String]) -> Vec<(String, ScopeClass)> {
        scopes
            .iter()
            .map(|s| (s.clone(), class_of(s)))
            // A denied scope is refused whatever the reason.
            .filter(|(s, c)| {
                self.justify_classes.contains(c)
                    && !self.deny_scopes.contains(s)
                    && !self.deny_classes.contains(c)
            })
            .collect()
    }

    /// Every rule `scopes` (with `justification`) breaks, each naming the rule; empty when the
    /// policy allows them.
    pub fn check(&self, scopes: &[String], justification: Option<&str>) -> Vec<String> {
        self.judge(scopes, None, justification).all()
    }

    /// What the policy says of `scopes`, new or replacing `before` (an update): an update that
    /// keeps the scopes as they were is not judged; otherwise denials and the cap apply to all
    /// of them, the justification only to those added.
    pub fn judge(
        &self,
        scopes: &[String],
        before: Option<&[String]>,
        justification: Option<&str>,
    ) -> Verdict {
        let added: Vec<String> = match before {
            Some(old) if old == scopes => return Verdict::default(),
            Some(old) => scopes
                .iter()
                .filter(|s| !old.contains(s))
                .cloned()
                .collect(),
            None => scopes.to_vec(),
        };
        self.verdict(scopes, &added, justification)
    }

    fn verdict(&self, scopes: &[String], added: &[String], justification: Option<&str>) -> Verdict {
        let mut refusals = Vec::new();
        for scope in scopes {
            if self.deny_scopes.iter().any(|d| d == scope) {
                refusals.push(format!("{scope} is denied ({})", self.rule("deny_scopes")));
                continue;
            }
            let class = class_of(scope);
            if self.deny_classes.contains(&class) {
                refusals.push(format!(
                    "{scope} is in the class '{}', which is denied ({})",
                    class.label(),
                    self.rule("deny_classes")
                ));
            }
        }
        if let Some(max) = self.max_scopes
            && scopes.len() > max
        {
            refusals.push(format!(
                "{} scopes asked for, at most {max} allowed ({})",
                scopes.len(),
                self.rule("max_scopes")
            ));
        }
        let justified = justification.is_some_and(|j| !clean_justification(j).is_empty());
        let needing = self.needs_justification(added);
        let reason_needed = (!justified && !needing.is_empty()).then(|| {
            let classes: Vec<String> = needing
                .iter()
                .map(|(s, c)| format!("{s} ({})", c.label()))
                .collect();
            format!(
                "{} need(s) a one-line justification, --justification TEXT ({})",
                classes.join(", "),
                self.rule("justify_classes")
            )
        });
        Verdict {
            refusals,
            reason_needed,
        }
    }
}

/// What the policy says of a set of scopes: the rules they break, and apart from those, the
/// justification still missing.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Every rule broken other than a missing justification, each naming its rule.
    pub refusals: Vec<String>,
    /// The broad scopes that need a justification not given, as a message naming the rule.
    pub reason_needed: Option<String>,
}

impl Verdict {
    pub fn is_allowed(&self) -> bool {
        self.refusals.is_empty() && self.reason_needed.is_none()
    }

    /// Every rule broken, the missing justification last.
    pub fn all(self) -> Vec<String> {
        let mut all = self.refusals;
        all.extend(self.reason_needed);
        all
    }
}

/// A justification as it goes into the audit line: one line, control characters out, at most
/// 500 characters.
pub fn clean_justification(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(500)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scopes(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| (*x).to_owned()).collect()
    }

    /// An update is judged on what it changes: the same scopes pass, an added broad scope
    /// needs only a reason, and a denied one is refused apart from any reason.
    #[test]
    fn an_update_is_judged_on_what_it_adds() {
        let p = Policy::default();
        let old = scopes(&["spark:all"]);
        assert!(p.judge(&old, Some(&old), None).is_allowed());
        let added = p.judge(
            &scopes(&["spark:people_read", "spark:all"]),
            Some(&scopes(&["spark:people_read"])),
            None,
        );
        assert!(added.refusals.is_empty(), "{added:?}");
        assert!(added.reason_needed.is_some(), "{added:?}");
        let strict = Policy {
            deny_scopes: scopes(&["spark:all"]),
            ..Policy::default()
        };
        let denied = strict.judge(&scopes(&["spark:all"]), None, None);
        assert!(
            denied.refusals[0].contains("spark:all is denied"),
            "{denied:?}"
        );
    }

    #[test]
    fn the_built_in_rule_asks_a_reason_for_broad_classes_only() {
        let p = Policy::default();
        assert!(p.check(&scopes(&["spark:people_read"]), None).is_empty());
        let refusals = p.check(&scopes(&["spark:all"]), None);
        assert_eq!(refusals.len(), 1);
        assert!(
            refusals[0].contains("spark:all (everything)"),
            "{refusals:?}"
        );
        assert!(
            p.check(&scopes(&["spark:all"]), Some("the kiosk app needs it"))
                .is_empty()
        );
        assert!(!p.check(&scopes(&["spark:all"]), Some("   ")).is_empty());
    }

    #[test]
    fn a_policy_file_denies_caps_and_names_its_rule() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("policy.toml");
        std::fs::write(
            &path,
            "deny_scopes = [\"spark:all\"]\ndeny_classes = [\"compliance\"]\njustify_classes = [\"write-user-data\"]\nmax_scopes = 2\n",
        )
        .unwrap();
        let p = Policy::load(&path).unwrap();
        let r = p.check(&scopes(&["spark:all"]), Some("x"));
        assert!(
            r[0].contains("spark:all is denied (deny_scopes in"),
            "{r:?}"
        );
        let r = p.check(
            &scopes(&[
                "spark:messages_write",
                "spark:people_read",
                "spark:rooms_read",
            ]),
            None,
        );
        assert!(
            r.iter()
                .any(|x| x.contains("at most 2 allowed (max_scopes")),
            "{r:?}"
        );
        assert!(r.iter().any(|x| x.contains("(write user data)")), "{r:?}");
        std::fs::write(&path, "deny_classes = [\"root\"]\n").unwrap();
        assert!(
            Policy::load(&path)
                .unwrap_err()
                .contains("'root' is not a scope class")
        );
        std::fs::write(&path, "dney_scopes = []\n").unwrap();
        assert!(
            Policy::load(&path).is_err(),
            "a misspelt key is refused, not ignored"
        );
    }

    #[test]
    fn a_justification_is_one_clean_line() {
        assert_eq!(clean_justification("a\nb\x1b[31m  c"), "a b [31m c");
        assert_eq!(clean_justification(&"x".repeat(900)).len(), 500);
    }
}
