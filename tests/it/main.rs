//! Every integration test, in one binary: one link of the crate and its dependencies instead of
//! one per file. Each file is a module; `common` holds the helpers they share.

mod common;

mod answer_contracts;
mod answer_profiles;
mod architecture;
mod audit_trail;
mod authorize;
mod bots;
mod callback;
mod chromium;
mod clipboard;
mod create;
mod device_login;
mod doctor;
mod fuzz;
mod handoff_age;
mod handover;
mod hardening;
mod hostile_text;
mod manage;
mod new_user;
mod proxy;
mod sandbox;
mod shell;
mod signals;
mod signin;
mod test_scopes;
mod tls;
mod token_radar;
mod token_recovery;
mod tui_flow;
mod tui_manage;
mod tui_pty;
mod tui_snapshots;
mod tui_trust;
