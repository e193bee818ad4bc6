//! Bots: `POST /applications` with a bot's name, e-mail and avatar; its token comes back once.

use reqwest::Method;
use secrecy::SecretString;

use super::applications::{keep_incomplete, unreadable};
use super::client::Body;
use super::{OneTime, Operation, WebexClient, WebexError};

impl WebexClient {
    /// Create a bot. A 2xx whose answer can't be read (or has no `botToken`) is
    /// [`WebexError::UnreadableSecretAnswer`] with what arrived, for the caller to keep. Only
    /// `botToken` is required (the bot guide's one named field); the rest comes from `draft`
    /// when the answer leaves it out.
    pub async fn create_bot(
        &self,
        token: &SecretString,
        draft: &crate::bot::BotDraft,
    ) -> Result<super::Tracked<crate::bot::CreatedBot>, WebexError> {
        let (content_type, bytes) = draft.request();
        let answer = keep_incomplete(
            self.send(
                Operation::CreateBot,
                Method::POST,
                "/applications",
                Some(token),
                Body::Encoded {
                    content_type,
                    bytes,
                },
            )
            .await,
            OneTime::Bot,
        )?;
        crate::bot::CreatedBot::read(&answer.body, draft)
            .map(|b| answer.tracked(b))
            .map_err(|detail| unreadable(OneTime::Bot, &answer, detail))
    }
}
