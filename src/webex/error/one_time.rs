//! What an answer carries that Webex shows only once, for the words of its failure and the
//! name of its recovery copy.

/// What an answer carries that Webex shows only once: an unreadable one is kept raw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OneTime {
    /// A create's client secret.
    Integration,
    /// A rotation's new client secret.
    Rotation,
    /// A bot's access token.
    Bot,
    /// Access and refresh tokens (authorization code or refresh grant).
    Tokens,
}

impl OneTime {
    /// What a 2xx means has happened at Webex.
    pub fn happened(self) -> &'static str {
        match self {
            OneTime::Integration => "the integration was probably created",
            OneTime::Rotation => {
                "the client secret was probably rotated (the old one may no longer work)"
            }
            OneTime::Bot => "the bot was probably created",
            OneTime::Tokens => "tokens were probably issued",
        }
    }

    /// What has happened for sure once the answer was read.
    pub fn done(self) -> &'static str {
        match self {
            OneTime::Integration => "the integration WAS created",
            OneTime::Rotation => "the secret WAS rotated (the old one no longer works)",
            OneTime::Bot => "the bot WAS created",
            OneTime::Tokens => "the tokens WERE issued",
        }
    }

    /// What the answer holds, in words.
    pub fn carries(self) -> &'static str {
        match self {
            OneTime::Integration => "the one-time client secret",
            OneTime::Rotation => "the new client secret",
            OneTime::Bot => "the bot token",
            OneTime::Tokens => "the access and refresh tokens",
        }
    }

    /// The name of the 0600 recovery copy of an answer that was read (`credentials-….json`).
    pub fn kept_stem(self) -> &'static str {
        match self {
            OneTime::Integration | OneTime::Rotation => "credentials",
            OneTime::Bot => "bot",
            OneTime::Tokens => "tokens",
        }
    }

    /// The start of the recovery file's name: the raw copy of an answer that could not be read
    /// (`create-answer-….txt`).
    pub fn file_stem(self) -> &'static str {
        match self {
            OneTime::Integration => "create-answer",
            OneTime::Rotation => "rotate-answer",
            OneTime::Bot => "bot-answer",
            OneTime::Tokens => "token-answer",
        }
    }

    /// What not to do while the answer is being recovered.
    pub fn caution(self) -> &'static str {
        match self {
            OneTime::Integration => {
                "Do not create the integration again before checking Control Hub."
            }
            OneTime::Rotation => "Do not rotate again: that would end this new secret too.",
            OneTime::Bot => "Do not create the bot again before checking Control Hub.",
            OneTime::Tokens => {
                "If they can't be recovered from it, refresh again with the refresh token you had, or authorize again."
            }
        }
    }
}
