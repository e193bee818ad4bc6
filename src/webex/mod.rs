//! The Webex HTTP client: applications (create; list, read, update, delete, rotate in
//! `manage`), bots, authorizations, people, errors.

pub mod applications;
pub mod authorizations;
pub mod bots;
pub mod client;
pub mod error;
pub mod manage;
pub mod people;
mod transport;

pub use client::{Timeouts, Tracked, WebexClient};
pub use error::{ApiFailure, OneTime, Operation, WebexError};
