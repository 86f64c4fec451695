//! Routing: which helpline calls back, given where the relay is and the language of
//! the callback. Pure: rules, destinations and "now" come in, a decision comes out.

use crate::domain::{Email, HelplineId, Language, Region, StaffLanguage};
use crate::text_enum;
use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::hours::OpeningHours;

/// A regional helpline, or a local service that only takes what rules send it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DestinationKind {
    Helpline,
    LocalService,
}

text_enum!(DestinationKind { Helpline => "helpline", LocalService => "local_service" });

/// What routing needs to know of a destination.
#[derive(Debug, Clone)]
pub struct Destination {
    pub id: HelplineId,
    pub code: String,
    pub kind: DestinationKind,
    pub languages: Vec<Language>,
    pub active: bool,
    pub time_zone: Tz,
    pub hours: OpeningHours,
}

/// A helpline or local service as the services see it: the routing view of it
/// (`destination`: id, code, kind, languages, hours) and how it takes signals.
#[derive(Clone)]
pub struct Helpline {
    pub destination: Destination,
    pub name: String,
    /// The number a relay may give the person.
    pub public_phone: String,
    pub intake_email: Option<Email>,
    pub webhook_url: Option<String>,
    /// HMAC key of webhook signatures; never shown, never logged, stored sealed.
    pub webhook_secret: Option<WebhookSecret>,
    pub created_at: NaiveDateTime,
    /// When its delivery channels (webhook URL or secret, intake e-mail) last changed.
    pub channels_changed_at: Option<NaiveDateTime>,
    /// When a supervisor last confirmed its channels.
    pub channels_confirmed_at: Option<NaiveDateTime>,
}

impl Helpline {
    pub fn id(&self) -> HelplineId {
        self.destination.id
    }

    /// The delivery channels configured for this helpline.
    pub fn channels(&self) -> Vec<&'static str> {
        let mut c = Vec::new();
        if self.intake_email.is_some() {
            c.push("email");
        }
        if self.webhook_url.is_some() && self.webhook_secret.is_some() {
            c.push("webhook");
        }
        c
    }
}

impl Helpline {
    /// Whether a delivery of a signal filed at `filed_at` waits for a supervisor: the
    /// channels changed after the signal was filed and nobody confirmed them since.
    /// (Signals filed after the change go to the new channels: the supervisors were
    /// told of the change at once.)
    pub fn holds_deliveries_filed_at(&self, filed_at: NaiveDateTime) -> bool {
        self.channels_changed_at.is_some_and(|changed| {
            filed_at < changed && self.channels_confirmed_at.is_none_or(|confirmed| confirmed < changed)
        })
    }

    /// Whether a change of its channels awaits a supervisor's confirmation.
    pub fn channels_unconfirmed(&self) -> bool {
        self.channels_changed_at
            .is_some_and(|changed| self.channels_confirmed_at.is_none_or(|confirmed| confirmed < changed))
    }
}

/// What of a helpline its supervisors are told of when it changes: where signals
/// go (the delivery channels) and which signals come (the languages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchedField {
    WebhookUrl,
    WebhookSecret,
    IntakeEmail,
    Languages,
}

text_enum!(WatchedField {
    WebhookUrl => "webhook_url",
    WebhookSecret => "webhook_secret",
    IntakeEmail => "intake_email",
    Languages => "languages",
});

impl WatchedField {
    /// A delivery channel (its change holds deliveries filed before it).
    pub fn is_channel(self) -> bool {
        self != WatchedField::Languages
    }
}

/// The watched fields that differ between `before` and `after`; a secret given is a
/// change (it is never compared).
pub fn watched_changes(before: &Helpline, after: &Helpline, secret_given: bool) -> Vec<WatchedField> {
    let mut changed = Vec::new();
    if before.webhook_url != after.webhook_url {
        changed.push(WatchedField::WebhookUrl);
    }
    if secret_given {
        changed.push(WatchedField::WebhookSecret);
    }
    if before.intake_email != after.intake_email {
        changed.push(WatchedField::IntakeEmail);
    }
    if before.destination.languages != after.destination.languages {
        changed.push(WatchedField::Languages);
    }
    changed
}

/// A message to one supervisor that their helpline's channels or languages changed.
#[derive(Debug, Clone)]
pub struct ChangeNotice {
    pub id: String,
    pub helpline: HelplineId,
    pub recipient: Email,
    pub language: StaffLanguage,
    pub changed: Vec<WatchedField>,
    pub attempts: i32,
    pub created_at: NaiveDateTime,
}

impl std::fmt::Debug for Helpline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Helpline")
            .field("destination", &self.destination)
            .field("name", &self.name)
            .field("webhook_secret", &self.webhook_secret.as_ref().map(|_| "[redacted]"))
            .finish_non_exhaustive()
    }
}

/// A helpline's webhook signing secret: as an admin gave it (until the service
/// seals it for storage), or sealed as stored (a data key wrapped by the webhook
/// purpose key, bound to the helpline id). Its `Debug` prints `[redacted]`.
#[derive(Clone)]
pub enum WebhookSecret {
    Given(zeroize::Zeroizing<String>),
    Sealed(crate::crypto::Sealed),
}

impl WebhookSecret {
    pub fn given(secret: String) -> Self {
        WebhookSecret::Given(zeroize::Zeroizing::new(secret))
    }
}

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

/// A routing rule as stored: its id and creation time beside the rule itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRule {
    pub id: String,
    pub rule: RoutingRule,
    pub created_at: NaiveDateTime,
}

/// An admin-managed rule: when all its conditions hold, send to `helpline`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutingRule {
    pub priority: i32,
    pub region: Option<Region>,
    pub postcodes: Option<(u16, u16)>,
    pub language: Option<Language>,
    pub helpline: HelplineId,
}

/// Where a signal comes from, as far as routing cares.
#[derive(Debug, Clone, Copy)]
pub struct Origin {
    pub region: Region,
    pub postcode: u16,
    pub language: Language,
}

impl RoutingRule {
    pub fn matches(&self, o: &Origin) -> bool {
        self.region.is_none_or(|r| r == o.region)
            && self.postcodes.is_none_or(|(from, to)| (from..=to).contains(&o.postcode))
            && self.language.is_none_or(|l| l == o.language)
    }
}

/// The routing decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub helpline: HelplineId,
    /// The destination chosen first (differs from `helpline` when that one was closed
    /// and another one, open, took the signal).
    pub first_choice: HelplineId,
    pub open_now: bool,
    /// When a callback can start: now if open, else when the helpline opens (`None`
    /// if it has no opening hours in the next three weeks).
    pub callback_from: Option<DateTime<Utc>>,
    /// False when no matching rule named an active destination and the signal went to
    /// a helpline picked without a rule: the network needs a rule for this area and
    /// language, and the programme's managers and the admins should hear of it.
    pub rule_matched: bool,
}

/// Chooses the destination; `None` only when there is no active regional helpline at
/// all (and no matching rule names an active destination).
///
/// The signal goes to a destination that speaks the callback language whenever one
/// can take it:
///
/// 1. The candidates are the active destinations of the matching rules by priority,
///    then the other active regional helplines by code. Those speaking the callback
///    language are kept; the first of them open now takes the signal, and if none is
///    open it queues for the first of them (`callback_from` says when it opens). A
///    destination that does not speak the language never takes the signal then, even
///    if it is open.
/// 2. When no candidate speaks the language (`en`, `other`, or `de` with the seeded
///    network): the matching rules decide alone, as written — the first of their
///    destinations open now, else the first of them, queued. Without a matching rule
///    the first active regional helpline (by code) open now takes it, else the first
///    active regional helpline, queued.
///
/// Local services only take what a rule sends them. `rule_matched` is false when no
/// matching rule named an active destination.
pub fn route(
    rules: &[RoutingRule],
    destinations: &[Destination],
    origin: &Origin,
    now: DateTime<Utc>,
) -> Option<Route> {
    let (candidates, rule_matched) = candidates(rules, destinations, origin);
    let first = *candidates.first()?;
    if let Some(open) = candidates.iter().find(|d| d.hours.is_open(d.time_zone, now)) {
        return Some(Route {
            helpline: open.id,
            first_choice: first.id,
            open_now: true,
            callback_from: Some(now),
            rule_matched,
        });
    }
    Some(Route {
        helpline: first.id,
        first_choice: first.id,
        open_now: false,
        callback_from: first.hours.next_opening(first.time_zone, now),
        rule_matched,
    })
}

/// The destinations [`route`] tries, in order (the first open one takes the signal,
/// else the first one queues it), and whether a matching rule named an active
/// destination. Empty only when there is no active regional helpline and no
/// matching rule names an active destination.
pub fn candidates<'a>(
    rules: &[RoutingRule],
    destinations: &'a [Destination],
    origin: &Origin,
) -> (Vec<&'a Destination>, bool) {
    let find = |id: HelplineId| destinations.iter().find(|d| d.id == id && d.active);
    let mut sorted: Vec<&RoutingRule> = rules.iter().filter(|r| r.matches(origin)).collect();
    sorted.sort_by_key(|r| r.priority);
    let mut by_rule: Vec<&Destination> = Vec::new();
    for d in sorted.iter().filter_map(|r| find(r.helpline)) {
        if !by_rule.iter().any(|c| c.id == d.id) {
            by_rule.push(d);
        }
    }
    let rule_matched = !by_rule.is_empty();
    let mut helplines: Vec<&Destination> =
        destinations.iter().filter(|d| d.active && d.kind == DestinationKind::Helpline).collect();
    helplines.sort_by(|a, b| a.code.cmp(&b.code));

    let speaks = |d: &&Destination| d.languages.contains(&origin.language);
    let mut candidates: Vec<&Destination> = by_rule.iter().copied().filter(speaks).collect();
    for d in helplines.iter().copied().filter(speaks) {
        if !candidates.iter().any(|c| c.id == d.id) {
            candidates.push(d);
        }
    }
    if candidates.is_empty() {
        // Nobody speaks the language: the rules as written, else any helpline.
        candidates = if rule_matched { by_rule } else { helplines };
    }
    (candidates, rule_matched)
}
