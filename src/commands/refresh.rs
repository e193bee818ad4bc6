//! `webex-wizard refresh`: a new access token for a refresh token.

use secrecy::SecretString;

use super::Context;
use super::authorize::{hand_over, keep_tokens, resolve_client};
use crate::cli::RefreshArgs;
use crate::error::{CliError, Ended};
use crate::oauth::{self, ScopeSource};
use crate::secret;

/// Where a refresh token may come from, besides a file.
pub const REFRESH_TOKEN_VAR: &str = "WEBEX_REFRESH_TOKEN";

/// The refresh token from a file (raw, or a tokens file from `authorize --save`) or the
/// environment, with the scopes a tokens file records for it and where they came from.
fn refresh_token(args: &RefreshArgs) -> Result<(SecretString, Vec<String>, ScopeSource), CliError> {
    let Some(path) = &args.refresh_token_file else {
        return secret::secret_from_env(REFRESH_TOKEN_VAR)
            .map(|token| (token, Vec::new(), ScopeSource::Unknown))
            .ok_or_else(|| {
            CliError::Usage("no refresh token: pass --refresh-token-file PATH (a tokens file saved by 'authorize --save' works) or set WEBEX_REFRESH_TOKEN".into())
        });
    };
    secret::read_token_file(path, "refreshToken").map_err(CliError::from)
}

pub async fn run(ctx: &Context, args: &RefreshArgs) -> Result<Ended, CliError> {
    super::check_save(args.save.as_deref())?;
    let (token, scopes, source) = refresh_token(args)?;
    let (creds, _) = resolve_client(&args.client)?;
    let client = ctx.client()?;
    eprintln!("Refreshing the access token of {} ...", creds.client_id);
    hand_over(ctx, &creds.client_id, "refresh again", async {
        let tokens = oauth::refresh(&client, &creds, &token, &scopes, source).await;
        let audit =
            crate::audit::Entry::new("refresh").application(None, Some(&creds.client_id), None);
        keep_tokens(
            ctx,
            &creds.client_id,
            tokens,
            audit,
            (args.json, args.save.as_deref()),
        )
    })
    .await
}
