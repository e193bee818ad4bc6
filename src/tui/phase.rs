//! Where a step belongs: creating the integration, proving it works, or both (the credentials
//! end the one and begin the other). The steps themselves are listed in [`steps`](super::steps).

/// The part of the wizard a step belongs to, for the step line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Create,
    Prove,
    Both,
    /// The first screen: what to do.
    Choose,
    /// Managing what exists (and testing a pasted token).
    Manage,
    /// A bot's own steps.
    Bot,
}

impl Phase {
    /// Whether a step of this phase shows while `current` is under way.
    pub fn shows_in(self, current: Phase) -> bool {
        self == current || (self == Phase::Both && matches!(current, Phase::Create | Phase::Prove))
    }
}
