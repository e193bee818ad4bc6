//! The Webex HTTP client: applications, people, errors.

pub mod applications;
pub mod client;
pub mod error;
pub mod manage;
pub mod people;
mod transport;

pub use client::{Timeouts, WebexClient};
pub use error::{ApiFailure, OneTime, Operation, WebexError};
