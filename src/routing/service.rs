//! Use cases for destinations and routing rules: conversions between rows and the
//! pure routing model, and the admin operations.

use chrono::{DateTime, NaiveDateTime, Utc};

use crate::audit::{self, Action};
use crate::domain::{HelplineId, UserId, WebhookPolicy, WebhookUrl};
use crate::net::ResolveError;
use crate::users::service as users;

use super::hours::{ClosedReason, DateException, WeeklySlot};
use super::model::{
    ChangeNotice, Destination, Origin, Route, RoutingRule, StoredRule, candidates, route, watched_changes,
};
pub use super::model::{Helpline, WebhookSecret};
use super::store;
pub use super::store::HelplineChanges;
pub use super::store::join_languages;
use crate::crypto::{MasterKeyRing, Purpose, Sealed};
use crate::db::{self, AnyConnection, Db};
use crate::http::error::{AppError, FieldError};
use std::sync::Arc;
use zeroize::Zeroizing;

/// Everything routing needs, read in one go.
pub fn load_network(conn: &mut AnyConnection) -> Result<(Vec<RoutingRule>, Vec<Helpline>), AppError> {
    let rules = store::all_rules(conn)?.into_iter().map(|r| r.rule).collect();
    Ok((rules, store::all_helplines(conn)?))
}

pub fn get_helpline(conn: &mut AnyConnection, id: HelplineId) -> Result<Helpline, AppError> {
    find_helpline(conn, id)?.ok_or(AppError::NotFound)
}

/// A helpline by id, or `None`.
pub fn find_helpline(conn: &mut AnyConnection, id: HelplineId) -> Result<Option<Helpline>, AppError> {
    Ok(store::find_helpline(conn, id)?)
}

/// Checks opening hours an admin sends.
pub fn validate_hours(weekly: &[WeeklySlot], exceptions: &[DateException]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for (i, s) in weekly.iter().enumerate() {
        if s.start == s.end || s.start.minutes() >= 1440 {
            errors
                .push(FieldError::new(format!("weekly_hours[{i}]"), "start must differ from end and be before 24:00"));
        }
    }
    for (i, e) in exceptions.iter().enumerate() {
        if e.hours.iter().any(|r| !r.is_valid()) {
            errors.push(FieldError::new(
                format!("exceptions[{i}].hours"),
                "start must differ from end and be before 24:00",
            ));
        }
        if exceptions[..i].iter().any(|p| p.date == e.date) {
            errors.push(FieldError::new(format!("exceptions[{i}].date"), "date listed twice"));
        }
    }
    errors
}

/// Refuses a name another helpline already has (ignoring case): admins, staff and
/// the route simulator tell helplines apart by name.
fn check_name_free(conn: &mut AnyConnection, name: &str, except: Option<HelplineId>) -> Result<(), AppError> {
    let wanted = name.trim().to_lowercase();
    let taken =
        store::all_helplines(conn)?.iter().any(|h| Some(h.id()) != except && h.name.trim().to_lowercase() == wanted);
    if taken {
        return Err(AppError::invalid("name", "another helpline already has this name"));
    }
    Ok(())
}

/// Creates a helpline or local service (audited). A code already used is a
/// conflict; a name already used is refused on the `name` field.
pub fn create_helpline(
    conn: &mut AnyConnection,
    keys: &MasterKeyRing,
    actor: UserId,
    mut helpline: Helpline,
) -> Result<Helpline, AppError> {
    let code = helpline.destination.code.as_str();
    if store::all_helplines(conn)?.iter().any(|h| h.destination.code == code) {
        return Err(AppError::Conflict("Another helpline already has this code.".into()));
    }
    check_name_free(conn, &helpline.name, None)?;
    if let Some(WebhookSecret::Given(secret)) = &helpline.webhook_secret {
        helpline.webhook_secret = Some(WebhookSecret::Sealed(seal_secret(keys, helpline.id(), secret)?));
    }
    store::insert_helpline(conn, &helpline)?;
    audit::record(conn, Some(actor), Action::HelplineCreated, None, Some(&helpline.id().to_string()))?;
    Ok(helpline)
}

/// Applies an admin's changes. A change of the delivery channels (webhook URL or
/// secret, intake e-mail) or of the languages is written to the audit log and
/// queued as an e-mail to each of the helpline's supervisors, in the same
/// transaction; a change of a channel also holds the deliveries of signals filed
/// before it until a supervisor confirms (`confirm_channels`).
pub fn update_helpline(
    conn: &mut AnyConnection,
    keys: &MasterKeyRing,
    actor: UserId,
    id: HelplineId,
    mut changes: HelplineChanges,
) -> Result<Helpline, AppError> {
    let before = get_helpline(conn, id)?;
    let renamed = changes.name.as_ref().is_some_and(|n| *n != before.name);
    if renamed && let Some(name) = &changes.name {
        check_name_free(conn, name, Some(id))?;
    }
    let secret_given = changes.webhook_secret.is_some();
    if let Some(WebhookSecret::Given(secret)) = &changes.webhook_secret {
        let sealed = seal_secret(keys, id, secret)?;
        changes.set_sealed_secret(sealed);
    }
    if store::update_helpline(conn, id, &changes)? == 0 {
        return Err(AppError::NotFound);
    }
    if renamed {
        audit::record(conn, Some(actor), Action::HelplineRenamed, None, Some(&id.to_string()))?;
    }
    let after = get_helpline(conn, id)?;
    let changed = watched_changes(&before, &after, secret_given);
    if changed.is_empty() {
        return Ok(after);
    }
    let now = db::now();
    audit::record(conn, Some(actor), Action::HelplineChannelsChanged, None, Some(&id.to_string()))?;
    if changed.iter().any(|f| f.is_channel()) {
        store::mark_channels_changed(conn, id, now)?;
    }
    let supervisors = users::helpline_supervisors(conn, id)?;
    if supervisors.is_empty() {
        tracing::warn!(helpline = %after.destination.code, "helpline changed but it has no supervisor to tell");
    }
    for (recipient, language) in supervisors {
        let notice = ChangeNotice {
            id: uuid::Uuid::new_v4().to_string(),
            helpline: id,
            recipient,
            language,
            changed: changed.clone(),
            attempts: 0,
            created_at: now,
        };
        store::insert_notice(conn, &notice)?;
    }
    get_helpline(conn, id)
}

/// An admin's change, from the API or the console: a new webhook URL's destination
/// is checked against the deployment's policy first, then [`update_helpline`]
/// applies it (audit, supervisors' e-mail, held deliveries).
pub async fn change_helpline(
    state: &crate::state::AppState,
    actor: UserId,
    id: HelplineId,
    changes: HelplineChanges,
) -> Result<Helpline, AppError> {
    if let Some(Some(url)) = &changes.webhook_url {
        check_webhook_destination(url, state.settings.webhook_policy()).await?;
    }
    let keys = state.master_keys.clone();
    state.db.write(move |c| update_helpline(c, &keys, actor, id, changes)).await
}

fn seal_secret(keys: &MasterKeyRing, id: HelplineId, secret: &str) -> Result<Sealed, AppError> {
    Ok(keys.seal(Purpose::WebhookSecret, secret.as_bytes(), id.to_string().as_bytes())?)
}

/// The helpline's webhook secret in plaintext, to sign with; `None` when there is
/// none, an error when it cannot be opened (its master key is not configured).
pub fn open_webhook_secret(keys: &MasterKeyRing, helpline: &Helpline) -> Result<Option<Zeroizing<String>>, AppError> {
    match &helpline.webhook_secret {
        None => Ok(None),
        Some(WebhookSecret::Given(s)) => Ok(Some(s.clone())),
        Some(WebhookSecret::Sealed(sealed)) => {
            let plain = keys.open(Purpose::WebhookSecret, sealed, helpline.id().to_string().as_bytes())?;
            let text = std::str::from_utf8(&plain).map_err(|_| AppError::internal("webhook secret is not UTF-8"))?;
            Ok(Some(Zeroizing::new(text.to_string())))
        }
    }
}

/// Seals the webhook secrets still stored in plaintext (written before secrets were
/// sealed) and empties the plaintext column; run on every start and by
/// `rotate-keys`. Returns how many it sealed.
pub async fn seal_plaintext_webhook_secrets(db: &Db, keys: &Arc<MasterKeyRing>) -> Result<usize, AppError> {
    let keys = keys.clone();
    db.write(move |c| {
        let mut n = 0;
        for (id, plaintext) in store::plaintext_webhook_secrets(c)? {
            let sealed = keys.seal(Purpose::WebhookSecret, plaintext.as_bytes(), id.as_bytes())?;
            n += usize::from(store::seal_plaintext_webhook_secret(c, &id, &plaintext, sealed)?);
        }
        Ok(n)
    })
    .await
}

// Key rotation of webhook secrets (used by `rotation`).
pub use super::store::{rewrap_webhook_secret, webhook_key_usage, webhook_keys_after};

/// A supervisor confirms the helpline's current channels: deliveries held since
/// they changed may go. Returns whether a change was awaiting confirmation.
pub fn confirm_channels(conn: &mut AnyConnection, id: HelplineId, now: NaiveDateTime) -> Result<bool, AppError> {
    let helpline = get_helpline(conn, id)?;
    store::mark_channels_confirmed(conn, id, now)?;
    Ok(helpline.channels_unconfirmed())
}

/// Change notices due to be sent, leased until `lease_until`.
pub fn claim_due_notices(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> Result<Vec<ChangeNotice>, AppError> {
    Ok(store::claim_due_notices(conn, now, lease_until, limit)?)
}

/// A notice was sent: it is deleted.
pub fn notice_sent(conn: &mut AnyConnection, id: &str) -> Result<(), AppError> {
    store::delete_notice(conn, id)?;
    Ok(())
}

/// A notice could not be sent: tried again at `next`.
pub fn notice_failed(conn: &mut AnyConnection, id: &str, attempts: i32, next: NaiveDateTime) -> Result<(), AppError> {
    store::retry_notice(conn, id, attempts, next)?;
    Ok(())
}

/// Checks a webhook URL against the deployment's policy; in production its host
/// must also resolve, to public addresses only (checked again at every delivery).
pub async fn check_webhook_destination(raw: &str, policy: WebhookPolicy) -> Result<WebhookUrl, AppError> {
    let url = WebhookUrl::parse(raw, policy).map_err(|e| AppError::Validation(vec![e]))?;
    if policy == WebhookPolicy::Production
        && let Some((host, port)) = url.host_and_port()
    {
        match crate::net::resolve_public(&host, port).await {
            Ok(_) => {}
            Err(ResolveError::NotFound) => {
                return Err(AppError::invalid("webhook_url", "the host name does not resolve"));
            }
            Err(ResolveError::Refused) => {
                return Err(AppError::invalid(
                    "webhook_url",
                    "the host resolves to a loopback, private, link-local or metadata address",
                ));
            }
        }
    }
    Ok(url)
}

/// Adds a routing rule (audited); its helpline must exist.
pub fn create_rule(conn: &mut AnyConnection, actor: UserId, rule: RoutingRule) -> Result<StoredRule, AppError> {
    if store::find_helpline(conn, rule.helpline)?.is_none() {
        return Err(AppError::invalid("helpline_id", "no such helpline"));
    }
    let stored = StoredRule { id: uuid::Uuid::new_v4().to_string(), rule, created_at: db::now() };
    store::insert_rule(conn, &stored)?;
    audit::record(conn, Some(actor), Action::RoutingRuleAdded, None, Some(&stored.id))?;
    Ok(stored)
}

/// Every rule, in the order they are tried.
pub fn all_rules(conn: &mut AnyConnection) -> Result<Vec<StoredRule>, AppError> {
    Ok(store::all_rules(conn)?)
}

/// A rule by id, or `None`.
pub fn find_rule(conn: &mut AnyConnection, id: &str) -> Result<Option<StoredRule>, AppError> {
    Ok(store::find_rule(conn, id)?)
}

/// Removes a rule (audited); false when there was none with this id.
pub fn delete_rule(conn: &mut AnyConnection, actor: UserId, id: &str) -> Result<bool, AppError> {
    if store::delete_rule(conn, id)? == 0 {
        return Ok(false);
    }
    audit::record(conn, Some(actor), Action::RoutingRuleRemoved, None, Some(id))?;
    Ok(true)
}

/// Changes when a rule is tried (lower runs first), audited when it changes;
/// `NotFound` when there is no rule with this id.
pub fn set_rule_priority(
    conn: &mut AnyConnection,
    actor: UserId,
    id: &str,
    priority: i32,
) -> Result<StoredRule, AppError> {
    let mut rule = store::find_rule(conn, id)?.ok_or(AppError::NotFound)?;
    if rule.rule.priority == priority {
        return Ok(rule);
    }
    store::set_rule_priority(conn, id, priority)?;
    audit::record(conn, Some(actor), Action::RoutingRulePriorityChanged, None, Some(id))?;
    rule.rule.priority = priority;
    Ok(rule)
}

/// A destination `route` would try, as the route simulator shows it.
#[derive(Debug, Clone)]
pub struct SimulatedCandidate {
    pub helpline: Helpline,
    /// Whether it speaks the callback language.
    pub speaks_language: bool,
    /// `None` when open at the simulated time, else why it is closed.
    pub closed: Option<ClosedReason>,
}

/// What routing would decide for a signal from `origin` at `at`, with its reasons.
#[derive(Debug, Clone)]
pub struct Simulation {
    /// The decision, exactly as intake takes it (`None`: no active helpline at all).
    pub route: Option<Route>,
    /// The chosen destination.
    pub helpline: Option<Helpline>,
    /// The rules that match the origin, in the order they are tried.
    pub matching_rules: Vec<StoredRule>,
    /// The first matching rule that names the chosen destination, if any.
    pub deciding_rule: Option<StoredRule>,
    /// The destinations tried, in order.
    pub candidates: Vec<SimulatedCandidate>,
}

/// Runs the routing of a signal from `origin` at `at` on the stored rules and
/// destinations: the same [`route`] intake runs, plus why each candidate was open
/// or closed. Writes nothing.
pub fn simulate(conn: &mut AnyConnection, origin: &Origin, at: DateTime<Utc>) -> Result<Simulation, AppError> {
    let stored = store::all_rules(conn)?;
    let helplines = store::all_helplines(conn)?;
    let rules: Vec<RoutingRule> = stored.iter().map(|r| r.rule.clone()).collect();
    let destinations: Vec<Destination> = helplines.iter().map(|h| h.destination.clone()).collect();
    let decision = route(&rules, &destinations, origin, at);
    let mut matching_rules: Vec<StoredRule> = stored.into_iter().filter(|r| r.rule.matches(origin)).collect();
    matching_rules.sort_by_key(|r| r.rule.priority);
    let by_id = |id: HelplineId| helplines.iter().find(|h| h.id() == id);
    let (tried, _) = candidates(&rules, &destinations, origin);
    let candidates = tried
        .iter()
        .filter_map(|d| by_id(d.id))
        .map(|h| SimulatedCandidate {
            helpline: h.clone(),
            speaks_language: h.destination.languages.contains(&origin.language),
            closed: h.destination.hours.closed_because(h.destination.time_zone, at),
        })
        .collect();
    let chosen = decision.as_ref().map(|r| r.helpline);
    let deciding_rule = chosen.and_then(|id| matching_rules.iter().find(|r| r.rule.helpline == id).cloned());
    Ok(Simulation {
        helpline: chosen.and_then(by_id).cloned(),
        route: decision,
        matching_rules,
        deciding_rule,
        candidates,
    })
}
