//! webex-wizard: create a Webex for Government (`FedRAMP`) OAuth integration and prove it works.
//!
//! The core (catalog, validation, the Webex client, files, the sandbox) neither draws nor
//! parses arguments; the subcommands and the wizard only present it.

pub mod audit;
pub mod authorization;
pub mod bot;
pub mod build_facts;
pub mod callback;
pub mod catalog;
pub mod cli;
pub mod clipboard;
pub mod commands;
pub mod credentials;
pub mod doctor;
pub mod draft;
pub mod env;
pub mod error;
pub mod files;
pub mod integration;
pub mod known_bases;
pub mod lenient;
pub mod logging;
pub mod net;
pub mod oauth;
pub mod output;
pub mod platform;
pub mod policy;
pub mod sandbox;
pub mod scope_test;
pub mod secret;
pub mod secrets;
pub mod session;
pub mod signin;
pub mod text;
pub mod token_radar;
pub mod token_refresh;
pub mod tui;
pub mod types;
pub mod validate;
pub mod webex;
