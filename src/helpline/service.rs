//! Helpline work on a signal ("case"): queue, claim and release, contact reveal,
//! call attempts, transfer and close. Every step is scoped to the caller's
//! helpline (another helpline's signal is 404) and every sensitive step is audited.

use crate::domain::Role;
use crate::domain::{HelplineId, SignalId, UserId};
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::model::{AttemptResult, CLAIM_IDLE_MINUTES, claim_holds, inside_safe_windows, next_safe_start};
use super::store::{self, NewCallAttempt};
use crate::audit::{self, Action};
use crate::db::{self, AnyConnection};
use crate::http::error::AppError;
use crate::http::pagination::{self, Cursor, Page, fetch_limit};
use crate::signals::model::SafeWindow;
use crate::signals::model::Signal;
use crate::signals::model::{Contact, Outcome, Reference, SignalStatus};
use crate::signals::service::{self as signals, CaseRow, enqueue_deliveries, read_contact};
use crate::state::AppState;
use crate::users::caller::AuthUser;

/// A signal as its helpline works it. No contact: that takes an audited reveal.
#[derive(Serialize, ToSchema)]
pub struct Case {
    pub reference: String,
    pub status: SignalStatus,
    pub urgency: String,
    pub language: String,
    pub region: String,
    /// Municipality of the relay point that filed it.
    pub municipality: String,
    pub relay_kind: String,
    pub relay_training_status: String,
    pub created_at: DateTime<Utc>,
    pub expected_callback_at: DateTime<Utc>,
    pub forwarded_at: Option<DateTime<Utc>>,
    /// Someone holds a live claim on it.
    pub claimed: bool,
    pub claimed_by_me: bool,
    /// Who holds the live claim.
    pub claimed_by: Option<UserId>,
    pub claim_expires_at: Option<DateTime<Utc>>,
    pub first_attempt_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub outcome: Option<String>,
    /// The person gave safe call windows (weekdays and times; kept beside the
    /// sealed contact, gone with it).
    pub call_windows_given: bool,
    /// When the person can next be called safely: now when inside a window, else
    /// the next window's start; none without windows or once the contact is gone.
    pub next_safe_call_at: Option<DateTime<Utc>>,
    /// When supervisors were alerted that it waited too long.
    pub escalated_at: Option<DateTime<Utc>>,
}

fn case_view((s, municipality): CaseRow, me: UserId, now: NaiveDateTime) -> Result<Case, AppError> {
    let live = s.claim_is_live(now);
    let utc = |t: Option<NaiveDateTime>| t.map(|t| t.and_utc());
    Ok(Case {
        status: s.status_at(now),
        claimed: live,
        claimed_by_me: live && s.claimed_by == Some(me),
        claimed_by: if live { s.claimed_by } else { None },
        claim_expires_at: if live {
            utc(s.claim_activity_at.map(|a| a + Duration::minutes(CLAIM_IDLE_MINUTES)))
        } else {
            None
        },
        reference: s.reference.as_str().to_string(),
        urgency: s.urgency.as_str().to_string(),
        language: s.language.as_str().to_string(),
        region: s.region.as_str().to_string(),
        municipality,
        relay_kind: s.relay_kind.as_str().to_string(),
        relay_training_status: s.relay_training_status.as_str().to_string(),
        created_at: s.created_at.and_utc(),
        expected_callback_at: s.expected_callback_at.and_utc(),
        forwarded_at: utc(s.forwarded_at),
        first_attempt_at: utc(s.first_attempt_at),
        closed_at: utc(s.closed_at),
        outcome: s.outcome.map(|o| o.as_str().to_string()),
        call_windows_given: false,
        next_safe_call_at: None,
        escalated_at: utc(s.escalated_at),
    })
}

/// The safe call windows kept beside the sealed contacts of `rows`, by signal id.
fn call_windows(c: &mut AnyConnection, rows: &[CaseRow]) -> Result<Vec<(String, Option<String>)>, AppError> {
    let ids: Vec<String> = rows.iter().map(|(s, _)| s.id.to_string()).collect();
    Ok(signals::call_windows_of(c, &ids)?)
}

/// The case with when its person can next be called safely.
fn with_windows(mut case: Case, id: SignalId, windows: &[(String, Option<String>)]) -> Result<Case, AppError> {
    let id = id.to_string();
    let Some(json) = windows.iter().find(|(i, _)| *i == id).and_then(|(_, w)| w.as_deref()) else { return Ok(case) };
    let parsed: Vec<SafeWindow> =
        serde_json::from_str(json).map_err(|_| AppError::from(db::corrupt("signal_contacts", "call_windows")))?;
    case.call_windows_given = !parsed.is_empty();
    case.next_safe_call_at = next_safe_start(&parsed, chrono_tz::Europe::Brussels, Utc::now());
    Ok(case)
}

/// The caller's helpline, for helpline roles only.
fn helpline_of(auth: &AuthUser) -> Result<HelplineId, AppError> {
    auth.require(&[Role::HelplineOperator, Role::HelplineSupervisor])?;
    auth.scope.helpline_id.ok_or(AppError::Forbidden)
}

fn find(c: &mut AnyConnection, helpline: HelplineId, reference: &Reference) -> Result<CaseRow, AppError> {
    signals::find_case(c, helpline, reference)?.ok_or(AppError::NotFound)
}

/// The open signal, claimed by `me` with a live claim — what every work step needs.
fn claimed_by(
    c: &mut AnyConnection,
    helpline: HelplineId,
    reference: &Reference,
    me: UserId,
    now: NaiveDateTime,
) -> Result<Signal, AppError> {
    let (s, _) = find(c, helpline, reference)?;
    if s.closed_at.is_some() {
        return Err(AppError::Conflict("This signal is closed.".into()));
    }
    if s.claimed_by != Some(me) || !claim_holds(s.claim_activity_at, now) {
        return Err(AppError::Conflict("Claim the signal first (POST …/claim).".into()));
    }
    Ok(s)
}

fn parse_ref(raw: &str) -> Result<Reference, AppError> {
    Reference::parse(raw).ok_or(AppError::NotFound)
}

/// Runs a step in one write transaction and answers with the case afterwards.
async fn step<F>(state: &AppState, auth: &AuthUser, reference: &str, f: F) -> Result<Case, AppError>
where
    F: FnOnce(&mut AnyConnection, HelplineId, &Reference, NaiveDateTime) -> Result<(), AppError> + Send + 'static,
{
    let helpline = helpline_of(auth)?;
    let reference = parse_ref(reference)?;
    let me = auth.id;
    state
        .db
        .write(move |c| {
            let now = db::now();
            f(c, helpline, &reference, now)?;
            case_view(find(c, helpline, &reference)?, me, now)
        })
        .await
}

pub async fn queue(
    state: &AppState,
    auth: &AuthUser,
    open: bool,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Page<Case>, AppError> {
    queue_by_claim(state, auth, open, None, after, limit).await
}

/// Which cases of the queue, by their claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ClaimFilter {
    /// Nobody holds a live claim.
    Unclaimed,
    /// The caller holds the claim.
    Mine,
    /// A colleague holds the claim.
    Others,
}

/// The queue, keeping only the cases whose claim matches `claim` (all when `None`).
pub async fn queue_by_claim(
    state: &AppState,
    auth: &AuthUser,
    open: bool,
    claim: Option<ClaimFilter>,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Page<Case>, AppError> {
    let helpline = helpline_of(auth)?;
    let scope = match claim {
        None => signals::ClaimScope::Any,
        Some(ClaimFilter::Unclaimed) => signals::ClaimScope::Unclaimed,
        Some(ClaimFilter::Mine) => signals::ClaimScope::Mine(auth.id),
        Some(ClaimFilter::Others) => signals::ClaimScope::Others(auth.id),
    };
    let after = after
        .map(|c| {
            let [p, at, id] = c.parts('|')?;
            let p = p.parse::<i32>().map_err(|_| pagination::invalid())?;
            Ok::<_, AppError>((p, Cursor::parse_time(at)?, id.to_string()))
        })
        .transpose()?;
    let me = auth.id;
    let now = db::now();
    let live_since = now - Duration::minutes(CLAIM_IDLE_MINUTES);
    let (rows, windows) = state
        .db
        .run(move |c| {
            let rows = signals::queue_by_claim(c, helpline, open, scope, live_since, after, fetch_limit(limit))?;
            let windows = call_windows(c, &rows)?;
            Ok::<_, AppError>((rows, windows))
        })
        .await?;
    let key = |row: &CaseRow| {
        Cursor::from_parts(
            &[&row.0.urgency.priority().to_string(), &Cursor::time_part(row.0.created_at), &row.0.id.to_string()],
            '|',
        )
    };
    Page::from_rows(rows, limit, key).try_map(|row| {
        let id = row.0.id;
        with_windows(case_view(row, me, now)?, id, &windows)
    })
}

pub async fn get(state: &AppState, auth: &AuthUser, reference: &str) -> Result<Case, AppError> {
    let helpline = helpline_of(auth)?;
    let reference = parse_ref(reference)?;
    let me = auth.id;
    state
        .db
        .run(move |c| {
            let row = find(c, helpline, &reference)?;
            let windows = call_windows(c, std::slice::from_ref(&row))?;
            let id = row.0.id;
            with_windows(case_view(row, me, db::now())?, id, &windows)
        })
        .await
}

pub async fn claim(state: &AppState, auth: &AuthUser, reference: &str) -> Result<Case, AppError> {
    let me = auth.id;
    step(state, auth, reference, move |c, helpline, reference, now| {
        let (s, _) = find(c, helpline, reference)?;
        if s.closed_at.is_some() {
            return Err(AppError::Conflict("This signal is closed.".into()));
        }
        if !signals::claim(c, s.id, me, now, now - Duration::minutes(CLAIM_IDLE_MINUTES))? {
            return Err(AppError::Conflict("A colleague is working on this signal.".into()));
        }
        Ok(audit::record(c, Some(me), Action::SignalClaimed, Some(&s.id.to_string()), None)?)
    })
    .await
}

/// Keeps the caller's claim alive while they have the case open (the console's
/// heartbeat): a claim lapses after its idle time, not while someone works on it.
pub async fn heartbeat(state: &AppState, auth: &AuthUser, reference: &str) -> Result<Case, AppError> {
    let me = auth.id;
    step(state, auth, reference, move |c, helpline, reference, now| {
        let s = claimed_by(c, helpline, reference, me, now)?;
        signals::touch(c, s.id, now)?;
        Ok(())
    })
    .await
}

/// Releases a claim: the holder, or a supervisor for anyone's claim.
pub async fn release(state: &AppState, auth: &AuthUser, reference: &str) -> Result<Case, AppError> {
    let (me, supervisor) = (auth.id, auth.role == Role::HelplineSupervisor);
    step(state, auth, reference, move |c, helpline, reference, now| {
        let (s, _) = find(c, helpline, reference)?;
        let mine = s.claimed_by == Some(me);
        if s.closed_at.is_some() || s.claimed_by.is_none() || !(mine || supervisor) {
            return Err(AppError::Conflict("You do not hold a claim on this open signal.".into()));
        }
        signals::release(c, &s, now)?;
        Ok(audit::record(c, Some(me), Action::SignalReleased, Some(&s.id.to_string()), None)?)
    })
    .await
}

/// Reveals the contact to the claim holder; audited in the same transaction.
pub async fn reveal(state: &AppState, auth: &AuthUser, reference: &str) -> Result<Contact, AppError> {
    let keys = state.master_keys.clone();
    let helpline = helpline_of(auth)?;
    let reference = parse_ref(reference)?;
    let me = auth.id;
    state
        .db
        .write(move |c| {
            let now = db::now();
            let s = claimed_by(c, helpline, &reference, me, now)?;
            let contact = read_contact(&keys, c, s.id)?
                .ok_or_else(|| AppError::Conflict("The contact no longer exists.".into()))?;
            signals::touch(c, s.id, now)?;
            audit::record(c, Some(me), Action::ContactRevealed, Some(&s.id.to_string()), None)?;
            Ok(contact)
        })
        .await
}

/// A recorded call attempt, with a warning when the next attempt falls outside the
/// person's safe windows.
#[derive(Serialize, ToSchema)]
pub struct AttemptRecorded {
    pub result: AttemptResult,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub outside_safe_windows: bool,
    /// A voicemail was left although the person did not allow one.
    pub voicemail_not_allowed: bool,
    pub warnings: Vec<String>,
}

pub async fn record_attempt(
    state: &AppState,
    auth: &AuthUser,
    reference: &str,
    result: AttemptResult,
    next_attempt_at: Option<DateTime<Utc>>,
) -> Result<AttemptRecorded, AppError> {
    let keys = state.master_keys.clone();
    let helpline = helpline_of(auth)?;
    let reference = parse_ref(reference)?;
    let me = auth.id;
    if next_attempt_at.is_some_and(|t| t <= Utc::now()) {
        return Err(AppError::invalid("next_attempt_at", "must be in the future"));
    }
    state
        .db
        .write(move |c| {
            let now = db::now();
            let s = claimed_by(c, helpline, &reference, me, now)?;
            let contact = read_contact(&keys, c, s.id)?;
            let voicemail_refused =
                result == AttemptResult::VoicemailLeft && contact.as_ref().is_some_and(|k| !k.voicemail_ok);
            let windows = contact.map(|k| k.safe_windows).unwrap_or_default();
            let outside =
                next_attempt_at.is_some_and(|t| !inside_safe_windows(&windows, chrono_tz::Europe::Brussels, t));
            store::insert_attempt(
                c,
                &NewCallAttempt {
                    id: uuid::Uuid::new_v4().to_string(),
                    signal_id: s.id.to_string(),
                    operator_id: me.to_string(),
                    result: result.as_str(),
                    next_attempt_at: next_attempt_at.map(|t| db::truncate_micros(t.naive_utc())),
                    outside_safe_windows: outside,
                    created_at: now,
                },
            )?;
            signals::note_attempt(c, s.id, now)?;
            let mut warnings = Vec::new();
            if outside {
                warnings.push(
                    "The next attempt is outside the person's safe call windows: calling then may put them at risk."
                        .into(),
                );
            }
            if voicemail_refused {
                warnings.push("The person did not allow voicemail: do not leave messages.".into());
            }
            Ok(AttemptRecorded {
                result,
                next_attempt_at,
                outside_safe_windows: outside,
                voicemail_not_allowed: voicemail_refused,
                warnings,
            })
        })
        .await
}

/// Moves an open signal to another helpline (supervisors): the claim is dropped,
/// undelivered notifications are cancelled and the new helpline is notified.
pub async fn transfer(state: &AppState, auth: &AuthUser, reference: &str, to: HelplineId) -> Result<Case, AppError> {
    auth.require(&[Role::HelplineSupervisor])?;
    let me = auth.id;
    let helpline_before = helpline_of(auth)?;
    let reference = parse_ref(reference)?;
    state
        .db
        .write(move |c| {
            let now = db::now();
            let (s, _) = find(c, helpline_before, &reference)?;
            if s.closed_at.is_some() {
                return Err(AppError::Conflict("This signal is closed.".into()));
            }
            let target = crate::routing::service::find_helpline(c, to)?
                .filter(|h| h.destination.active)
                .ok_or_else(|| AppError::invalid("helpline_id", "no such active helpline"))?;
            if to == s.helpline_id {
                return Err(AppError::invalid("helpline_id", "the signal is already with this helpline"));
            }
            signals::cancel_pending_deliveries(c, s.id, now)?;
            signals::transfer(c, s.id, to, now)?;
            let moved = Signal { helpline_id: to, ..s.clone() };
            enqueue_deliveries(c, &moved, &target.channels(), now)?;
            audit::record(c, Some(me), Action::SignalTransferred, Some(&s.id.to_string()), Some(&to.to_string()))?;
            // The caller's helpline no longer sees it: answer with the case as moved.
            case_view(find(c, to, &reference)?, me, now)
        })
        .await
}

/// Closes with an outcome; the contact is destroyed in the same transaction.
pub async fn close(state: &AppState, auth: &AuthUser, reference: &str, outcome: Outcome) -> Result<Case, AppError> {
    let me = auth.id;
    step(state, auth, reference, move |c, helpline, reference, now| {
        let s = claimed_by(c, helpline, reference, me, now)?;
        signals::close(c, s.id, outcome, now)?;
        signals::destroy_contact(c, s.id)?;
        signals::cancel_pending_deliveries(c, s.id, now)?;
        Ok(audit::record(c, Some(me), Action::SignalClosed, Some(&s.id.to_string()), None)?)
    })
    .await
}

/// A recorded call attempt, as the case's history shows it.
#[derive(Serialize, ToSchema)]
pub struct Attempt {
    pub result: AttemptResult,
    pub at: DateTime<Utc>,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub outside_safe_windows: bool,
    /// Recorded by the caller.
    pub by_me: bool,
}

/// The call attempts of a case of the caller's helpline, oldest first.
pub async fn attempts(state: &AppState, auth: &AuthUser, reference: &str) -> Result<Vec<Attempt>, AppError> {
    let helpline = helpline_of(auth)?;
    let reference = parse_ref(reference)?;
    let me = auth.id.to_string();
    state
        .db
        .run(move |c| {
            let (s, _) = find(c, helpline, &reference)?;
            store::attempts_of(c, &s.id.to_string())?
                .into_iter()
                .map(|r| {
                    Ok(Attempt {
                        result: r.result.parse().map_err(|_| AppError::from(db::corrupt("call_attempts", "result")))?,
                        at: r.created_at.and_utc(),
                        next_attempt_at: r.next_attempt_at.map(|t| t.and_utc()),
                        outside_safe_windows: r.outside_safe_windows,
                        by_me: r.operator_id == me,
                    })
                })
                .collect()
        })
        .await
}

/// The answer to a supervisor's confirmation of their helpline's channels.
#[derive(Serialize, ToSchema)]
pub struct ChannelsConfirmed {
    /// Whether a change of the channels was awaiting confirmation.
    pub awaiting_confirmation: bool,
    /// Deliveries held since the change, now sent to the current channels.
    pub released: usize,
}

/// A supervisor confirms the current channels of their own helpline (after an
/// admin changed them): the deliveries held since go to them. Another helpline
/// is 404.
pub async fn confirm_channels(
    state: &AppState,
    auth: &AuthUser,
    id: HelplineId,
) -> Result<ChannelsConfirmed, AppError> {
    auth.require(&[Role::HelplineSupervisor])?;
    if helpline_of(auth)? != id {
        return Err(AppError::NotFound);
    }
    let me = auth.id;
    state
        .db
        .write(move |c| {
            let now = db::now();
            let awaiting_confirmation = crate::routing::service::confirm_channels(c, id, now)?;
            let released = crate::outbox::service::release_held(c, id, now)?;
            audit::record(c, Some(me), Action::HelplineChannelsConfirmed, None, Some(&id.to_string()))?;
            Ok(ChannelsConfirmed { awaiting_confirmation, released })
        })
        .await
}

/// Gives a case's claim to an operator or supervisor of the same helpline
/// (supervisors), whoever held it; audited with the new holder as subject.
pub async fn reassign(state: &AppState, auth: &AuthUser, reference: &str, to: UserId) -> Result<Case, AppError> {
    auth.require(&[Role::HelplineSupervisor])?;
    let me = auth.id;
    step(state, auth, reference, move |c, helpline, reference, now| {
        let (s, _) = find(c, helpline, reference)?;
        if s.closed_at.is_some() {
            return Err(AppError::Conflict("This signal is closed.".into()));
        }
        let target = crate::users::service::account(c, to)?.filter(|u| {
            u.active
                && matches!(u.role, Role::HelplineOperator | Role::HelplineSupervisor)
                && u.scope.helpline_id == Some(helpline)
        });
        if target.is_none() {
            return Err(AppError::invalid("operator_id", "must be an active operator or supervisor of your helpline"));
        }
        if !signals::assign(c, s.id, to, now)? {
            return Err(AppError::Conflict("This signal is closed.".into()));
        }
        Ok(audit::record(c, Some(me), Action::SignalReassigned, Some(&s.id.to_string()), Some(&to.to_string()))?)
    })
    .await
}
