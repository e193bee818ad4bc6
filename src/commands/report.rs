//! `webex-wizard report`: every application the admin can see, for an assessor: creator,
//! created, scopes by class, redirect URLs, the secret's last rotation as this machine's trail
//! knows it, and flags. Reads only (experimental: the list endpoint is).

use std::collections::HashMap;
use std::fmt::Write as _;

use serde_json::{Value, json};

use super::Context;
use crate::catalog::{ScopeClass, class_of};
use crate::cli::ReportArgs;
use crate::error::{CliError, Ended};
use crate::output::print_stdout;
use crate::text::visible_line;
use crate::webex::Operation;

/// One application's row.
struct Row {
    kind: String,
    name: String,
    id: String,
    client_id: String,
    created: String,
    creator: Option<String>,
    classes: Vec<(ScopeClass, Vec<String>)>,
    insecure_redirects: Vec<String>,
    redirects: Vec<String>,
    secret_set: Option<String>,
    flags: Vec<&'static str>,
}

fn text<'a>(app: &'a Value, key: &str) -> &'a str {
    app[key].as_str().unwrap_or("")
}

/// A redirect URL that is neither https nor http on loopback.
fn insecure(url: &str) -> bool {
    !(url.starts_with("https://") || crate::authorization::is_loopback(url))
}

fn row(
    app: &Value,
    creators: &HashMap<String, Option<String>>,
    secrets: &HashMap<String, String>,
) -> Row {
    // The same reading of an application's lists as update's (absent or odd: empty).
    let listed = crate::integration::IntegrationDraft::from_application(app);
    let mut classes: Vec<(ScopeClass, Vec<String>)> = Vec::new();
    for scope in listed.scopes {
        let class = class_of(&scope);
        match classes.iter_mut().find(|(c, _)| *c == class) {
            Some((_, list)) => list.push(scope),
            None => classes.push((class, vec![scope])),
        }
    }
    classes.sort_by_key(|(c, _)| std::cmp::Reverse(*c));
    let redirect_urls = listed.redirect_urls;
    let insecure_redirects: Vec<String> = redirect_urls
        .iter()
        .filter(|u| insecure(u))
        .cloned()
        .collect();
    let creator = creators.get(text(app, "createdBy")).cloned().flatten();
    let client_id = text(app, "clientId").to_owned();
    let mut flags = Vec::new();
    if classes.iter().any(|(c, _)| c.is_broad()) {
        flags.push("broad scopes");
    }
    if text(app, "description").trim().is_empty() {
        flags.push("no description");
    }
    if creator.is_none() {
        flags.push("creator unknown");
    }
    if !insecure_redirects.is_empty() {
        flags.push("insecure redirect");
    }
    Row {
        kind: text(app, "type").to_owned(),
        name: text(app, "name").to_owned(),
        id: text(app, "id").to_owned(),
        secret_set: secrets.get(&client_id).cloned(),
        client_id,
        created: text(app, "created").to_owned(),
        creator,
        classes,
        redirects: redirect_urls,
        insecure_redirects,
        flags,
    }
}

fn row_json(r: &Row) -> Value {
    json!({
        "type": r.kind,
        "name": r.name,
        "id": r.id,
        "clientId": r.client_id,
        "created": r.created,
        "creator": r.creator,
        "scopesByClass": r.classes.iter().map(|(c, s)| (c.label().to_owned(), json!(s))).collect::<serde_json::Map<_, _>>(),
        "redirectUrls": r.redirects,
        "insecureRedirectUrls": r.insecure_redirects,
        "secretLastSet": r.secret_set,
        "flags": r.flags,
    })
}

/// A CSV field (RFC 4180): quoted when it holds a comma, quote or line break.
fn csv(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

pub async fn run(ctx: &Context, args: &ReportArgs) -> Result<Ended, CliError> {
    let since = args.since.as_deref().map(super::audit::since).transpose()?;
    let token = ctx.admin_token()?;
    let client = ctx.client()?;
    let mut apps = client.list_applications(&token).await?;
    if let Some(since) = &since {
        apps.retain(|a| text(a, "created") >= since.as_str());
    }
    // Each creator once: their e-mail where /people/{id} tells it.
    let mut creators: HashMap<String, Option<String>> = HashMap::new();
    for app in &apps {
        let id = text(app, "createdBy");
        if id.is_empty() || creators.contains_key(id) {
            continue;
        }
        let email = client
            .send(
                Operation::ManageApplication,
                reqwest::Method::GET,
                &format!(
                    "/people/{}",
                    url::form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>()
                ),
                Some(&token),
                crate::webex::client::Body::None,
            )
            .await
            .ok()
            .and_then(|answer| serde_json::from_slice::<Value>(&answer.body).ok())
            .and_then(|p| p["emails"][0].as_str().map(str::to_owned));
        creators.insert(id.to_owned(), email);
    }
    let secrets = crate::audit::read(&ctx.audit_log.path)
        .map(|t| t.secrets_set())
        .unwrap_or_default();
    let rows: Vec<Row> = apps.iter().map(|a| row(a, &creators, &secrets)).collect();
    let text = if args.json {
        crate::output::json_text(&rows.iter().map(row_json).collect::<Vec<_>>())
    } else if args.csv {
        csv_of(&rows)
    } else {
        table_of(&rows)
    };
    print_stdout(&text)?;
    Ok(Ended::Quit)
}

fn csv_of(rows: &[Row]) -> String {
    let mut out = String::from(
        "type,name,id,clientId,created,creator,scopesByClass,redirectUrls,insecureRedirectUrls,secretLastSet,flags\n",
    );
    for r in rows {
        let classes = r
            .classes
            .iter()
            .map(|(c, s)| format!("{}: {}", c.label(), s.join(" ")))
            .collect::<Vec<_>>()
            .join("; ");
        let fields = [
            r.kind.clone(),
            r.name.clone(),
            r.id.clone(),
            r.client_id.clone(),
            r.created.clone(),
            r.creator.clone().unwrap_or_default(),
            classes,
            r.redirects.join(" "),
            r.insecure_redirects.join(" "),
            r.secret_set.clone().unwrap_or_default(),
            r.flags.join("; "),
        ];
        let _ = writeln!(
            out,
            "{}",
            fields
                .iter()
                .map(|f| csv(&visible_line(f)))
                .collect::<Vec<_>>()
                .join(",")
        );
    }
    out.trim_end().to_owned()
}

fn table_of(rows: &[Row]) -> String {
    if rows.is_empty() {
        return "No applications.".to_owned();
    }
    let mut out = format!(
        "{:<12} {:<26} {:<11} {:<28} {:<24} FLAGS\n",
        "TYPE", "NAME", "CREATED", "CREATOR", "BROADEST SCOPES"
    );
    for r in rows {
        let broadest = r
            .classes
            .first()
            .map(|(c, s)| format!("{} ({})", c.label(), s.len()))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{:<12} {:<26} {:<11} {:<28} {:<24} {}",
            visible_line(&r.kind),
            crate::text::cut_end(&visible_line(&r.name), 26),
            r.created.get(..10).unwrap_or(""),
            crate::text::cut_end(&visible_line(r.creator.as_deref().unwrap_or("unknown")), 28),
            broadest,
            r.flags.join(", ")
        );
    }
    let flagged = rows.iter().filter(|r| !r.flags.is_empty()).count();
    let _ = write!(
        out,
        "{} application(s), {flagged} flagged. Secrets' last rotation is what this machine's audit trail knows (--json or --csv for every field).",
        rows.len()
    );
    out
}
