//! Routing: which helpline calls back, given where the relay is and the language of
//! the callback. Pure: rules, destinations and "now" come in, a decision comes out.

use crate::domain::{Email, HelplineId, Language, Region};
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
    pub email_includes_contact: bool,
    pub webhook_url: Option<String>,
    /// HMAC key of webhook signatures; never shown, never logged.
    pub webhook_secret: Option<String>,
    pub created_at: NaiveDateTime,
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

impl std::fmt::Debug for Helpline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Helpline")
            .field("destination", &self.destination)
            .field("name", &self.name)
            .field("webhook_secret", &self.webhook_secret.as_ref().map(|_| "[redacted]"))
            .finish_non_exhaustive()
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
    /// The destination the rules chose first (differs from `helpline` when that
    /// one was closed and another one, open, took the signal).
    pub first_choice: HelplineId,
    pub open_now: bool,
    /// When a callback can start: now if open, else when the helpline opens (`None`
    /// if it has no opening hours in the next three weeks).
    pub callback_from: Option<DateTime<Utc>>,
}

#[derive(Debug, PartialEq, Eq)]
pub struct NoRoute;

/// Chooses the destination. Candidates are, in order: the active destinations of the
/// matching rules by priority, then any other regional helpline speaking the
/// callback language. The first candidate open now takes the signal; if none is
/// open, it queues for the first candidate. No matching rule at all is `NoRoute`.
pub fn route(
    rules: &[RoutingRule],
    destinations: &[Destination],
    origin: &Origin,
    now: DateTime<Utc>,
) -> Result<Route, NoRoute> {
    let find = |id: HelplineId| destinations.iter().find(|d| d.id == id && d.active);
    let mut sorted: Vec<&RoutingRule> = rules.iter().filter(|r| r.matches(origin)).collect();
    sorted.sort_by_key(|r| r.priority);
    let mut candidates: Vec<&Destination> = Vec::new();
    for d in sorted.iter().filter_map(|r| find(r.helpline)) {
        if !candidates.iter().any(|c| c.id == d.id) {
            candidates.push(d);
        }
    }
    if sorted.is_empty() {
        // No rule covers this area and language: an admin has to decide, so the relay
        // is told to call a helpline directly rather than guessing.
        return Err(NoRoute);
    }
    let mut fallbacks: Vec<&Destination> = destinations
        .iter()
        .filter(|d| d.active && d.kind == DestinationKind::Helpline && d.languages.contains(&origin.language))
        .filter(|d| !candidates.iter().any(|c| c.id == d.id))
        .collect();
    fallbacks.sort_by(|a, b| a.code.cmp(&b.code));
    candidates.extend(fallbacks);
    // The rules' destinations may all be inactive; a helpline for the language then
    // becomes the first choice.
    let first = *candidates.first().ok_or(NoRoute)?;

    if let Some(open) = candidates.iter().find(|d| d.hours.is_open(d.time_zone, now)) {
        return Ok(Route { helpline: open.id, first_choice: first.id, open_now: true, callback_from: Some(now) });
    }
    Ok(Route {
        helpline: first.id,
        first_choice: first.id,
        open_now: false,
        callback_from: first.hours.next_opening(first.time_zone, now),
    })
}
