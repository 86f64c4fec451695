//! The route simulator (admins): where a signal from a postcode, in a callback
//! language and urgency, would go at a given moment, and why — the same `route`
//! intake runs on the stored rules and hours, and the same receipt fields the relay
//! would be told. Writes nothing.

use actix_web::{post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::Urgency;
use super::service::{Told, told};
use crate::domain::{HelplineId, Language, Region, Role};
use crate::http::error::AppError;
use crate::http::json::StrictJson;
use crate::http::responses::{AuthErrors, BodyErrors};
use crate::relays::model::Postcode;
use crate::routing::hours::ClosedReason;
use crate::routing::model::{DestinationKind, Origin, StoredRule};
use crate::routing::service::{self as routing, SimulatedCandidate};
use crate::state::AppState;
use crate::users::caller::AuthUser;

/// Body of `POST /api/v1/routing/simulate`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SimulateRequest {
    /// Belgian postcode of the relay point, four digits.
    pub postcode: String,
    /// The relay point's region; default: the postcode's (set it for a relay point
    /// whose region was overridden).
    pub region: Option<Region>,
    /// The callback language.
    pub language: Language,
    pub urgency: Urgency,
    /// The moment to simulate (RFC 3339); default: now.
    pub at: Option<DateTime<Utc>>,
}

/// A destination as the simulator names it.
#[derive(Serialize, ToSchema)]
pub struct SimulatedDestination {
    pub id: HelplineId,
    pub code: String,
    pub name: String,
    pub kind: DestinationKind,
}

/// A routing rule that matches the simulated origin.
#[derive(Serialize, ToSchema)]
pub struct SimulatedRule {
    pub id: String,
    pub priority: i32,
    pub region: Option<Region>,
    pub postcode_from: Option<i32>,
    pub postcode_to: Option<i32>,
    pub language: Option<Language>,
    pub helpline_id: HelplineId,
}

impl From<StoredRule> for SimulatedRule {
    fn from(s: StoredRule) -> Self {
        let r = s.rule;
        Self {
            id: s.id,
            priority: r.priority,
            region: r.region,
            postcode_from: r.postcodes.map(|(f, _)| i32::from(f)),
            postcode_to: r.postcodes.map(|(_, t)| i32::from(t)),
            language: r.language,
            helpline_id: r.helpline,
        }
    }
}

/// Why a candidate was closed at the simulated moment.
#[derive(Serialize, ToSchema, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub enum ClosedBecause {
    /// Its weekly hours do not cover the moment.
    OutsideHours,
    /// A dated exception closes it on `closed_on`.
    DatedException,
    /// `closed_on` is a Belgian public holiday and it does not open on them.
    PublicHoliday,
}

/// A destination routing tried, in order.
#[derive(Serialize, ToSchema)]
pub struct SimulatedCandidateView {
    pub destination: SimulatedDestination,
    pub speaks_language: bool,
    pub open: bool,
    /// Absent when open.
    pub closed_because: Option<ClosedBecause>,
    /// The local date of the exception or holiday that closes it.
    pub closed_on: Option<NaiveDate>,
}

impl From<SimulatedCandidate> for SimulatedCandidateView {
    fn from(c: SimulatedCandidate) -> Self {
        let (closed_because, closed_on) = match c.closed {
            None => (None, None),
            Some(ClosedReason::OutsideHours) => (Some(ClosedBecause::OutsideHours), None),
            Some(ClosedReason::DatedException(d)) => (Some(ClosedBecause::DatedException), Some(d)),
            Some(ClosedReason::PublicHoliday(d)) => (Some(ClosedBecause::PublicHoliday), Some(d)),
        };
        Self {
            destination: destination(&c.helpline),
            speaks_language: c.speaks_language,
            open: c.closed.is_none(),
            closed_because,
            closed_on,
        }
    }
}

fn destination(h: &crate::routing::model::Helpline) -> SimulatedDestination {
    SimulatedDestination {
        id: h.id(),
        code: h.destination.code.clone(),
        name: h.name.clone(),
        kind: h.destination.kind,
    }
}

/// What routing would decide, and why.
#[derive(Serialize, ToSchema)]
pub struct SimulationView {
    pub at: DateTime<Utc>,
    pub region: Region,
    /// The chosen destination; absent when no helpline is active at all (intake
    /// would then refuse the signal with `422` and tell the relay whom to call).
    pub destination: Option<SimulatedDestination>,
    /// Whether a matching rule named an active destination (false: the signal goes
    /// to a helpline without a rule, and intake tells the managers and admins).
    pub rule_matched: bool,
    /// The first matching rule naming the chosen destination, if any.
    pub rule: Option<SimulatedRule>,
    /// Every rule matching the origin, in the order they are tried.
    pub matching_rules: Vec<SimulatedRule>,
    /// The destinations tried, in order: the first open one takes the signal, else
    /// the first one queues it.
    pub candidates: Vec<SimulatedCandidateView>,
    /// What the relay would be told (the receipt's fields that follow from the route).
    pub relay_would_be_told: Option<Told>,
}

/// Simulate the routing of a signal (admin): the chosen destination at a moment, the
/// rule that matched, which candidates were closed and why, and what the relay would
/// be told. Runs the stored rules and hours; writes nothing.
#[utoipa::path(tag = "routing", request_body = SimulateRequest, responses(
    (status = 200, body = SimulationView),
    BodyErrors, AuthErrors,
), security(("bearer" = [])))]
#[post("/routing/simulate")]
pub async fn simulate_route(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: StrictJson<SimulateRequest>,
) -> Result<web::Json<SimulationView>, AppError> {
    auth.require(&[Role::Admin])?;
    let r = body.into_inner()?;
    let postcode = Postcode::parse(&r.postcode).map_err(|e| AppError::Validation(vec![e]))?;
    Ok(web::Json(run(&state, &postcode, r.region, r.language, r.urgency, r.at.unwrap_or_else(Utc::now)).await?))
}

/// Runs the simulation (the API's and the console's): the region defaults to the
/// postcode's. Writes nothing.
pub async fn run(
    state: &AppState,
    postcode: &Postcode,
    region: Option<Region>,
    language: Language,
    urgency: Urgency,
    at: DateTime<Utc>,
) -> Result<SimulationView, AppError> {
    let region = region.unwrap_or_else(|| postcode.region());
    let origin = Origin { region, postcode: postcode.value(), language };
    let network = state.network.clone();
    state
        .db
        .run(move |c| {
            let sim = routing::simulate(c, &origin, at)?;
            let relay_would_be_told = match (&sim.helpline, &sim.route) {
                (Some(h), Some(chosen)) => {
                    Some(told(&network.current(c)?.referrals, h, chosen, urgency, language, region))
                }
                _ => None,
            };
            Ok::<_, AppError>(SimulationView {
                at,
                region,
                destination: sim.helpline.as_ref().map(destination),
                rule_matched: sim.route.as_ref().is_some_and(|r| r.rule_matched),
                rule: sim.deciding_rule.map(SimulatedRule::from),
                matching_rules: sim.matching_rules.into_iter().map(SimulatedRule::from).collect(),
                candidates: sim.candidates.into_iter().map(SimulatedCandidateView::from).collect(),
                relay_would_be_told,
            })
        })
        .await
}
