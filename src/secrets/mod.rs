//! Everything that guards a one-time secret, shared by the wizard and the subcommands (they
//! only present it): delivering it (a 0600 recovery copy first, then print, save or copy, and
//! the recovery copy removed only once it is stored: [`delivery`]), sealing it for a developer
//! (age: [`sealed`]), and the signal shield that lets a secret on its way arrive ([`shield`]).

pub mod delivery;
pub mod sealed;
pub mod shield;
