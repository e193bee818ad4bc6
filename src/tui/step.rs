//! The wizard's steps as a list: their order, titles and what each is for.

/// The wizard's steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Connect,
    Details,
    RedirectUrls,
    Scopes,
    Review,
    Creating,
    Credentials,
    Authorize,
    Tokens,
    TestScopes,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Step; 10] = [
        Step::Connect,
        Step::Details,
        Step::RedirectUrls,
        Step::Scopes,
        Step::Review,
        Step::Creating,
        Step::Credentials,
        Step::Authorize,
        Step::Tokens,
        Step::TestScopes,
    ];

    /// Creating the integration.
    pub const CREATE: [Step; 7] = [
        Step::Connect,
        Step::Details,
        Step::RedirectUrls,
        Step::Scopes,
        Step::Review,
        Step::Creating,
        Step::Credentials,
    ];
    /// Proving that it works.
    pub const PROVE: [Step; 4] = [
        Step::Credentials,
        Step::Authorize,
        Step::Tokens,
        Step::TestScopes,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Step::Connect => "Connect",
            Step::Details => "Details",
            Step::RedirectUrls => "Redirect URLs",
            Step::Scopes => "Scopes",
            Step::Review => "Review",
            Step::Creating => "Creating",
            Step::Credentials => "Credentials",
            Step::Authorize => "Authorize",
            Step::Tokens => "Tokens",
            Step::TestScopes => "Test scopes",
        }
    }

    /// One line on what the step is for, under its title.
    pub fn purpose(self) -> &'static str {
        match self {
            Step::Connect => "Which Webex, and the admin token that may create integrations there.",
            Step::Details => "What users see when they consent, and who to contact about it.",
            Step::RedirectUrls => {
                "Where Webex sends the browser after consent: https, or http on loopback only."
            }
            Step::Scopes => "What the integration may ask users for; only these can be requested.",
            Step::Review => "The exact request and the same as cURL. Nothing is sent before Enter.",
            Step::Creating => {
                "Webex creates the integration; its answer carries the one-time secret."
            }
            Step::Credentials => "Store the secret now: Webex never shows it again.",
            Step::Authorize => {
                "Prove it works: consent in the browser, and the code comes back here."
            }
            Step::Tokens => "What Webex issued for that consent, and how long it lasts.",
            Step::TestScopes => {
                "Each granted scope's read-only request, made with the access token."
            }
        }
    }
}
