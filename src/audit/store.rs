//! Diesel queries reading the audit log (writing is `audit::record`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::db::schema::{audit_log, signals};

/// An audit row with the reference of the signal it is about, if any.
pub struct AuditRow {
    pub id: String,
    pub actor_id: Option<String>,
    pub action: String,
    pub reference: Option<String>,
    pub subject_id: Option<String>,
    pub created_at: NaiveDateTime,
}

/// An `audit_log` row with its signal's reference, as loaded.
type RawRow = (String, Option<String>, String, Option<String>, Option<String>, NaiveDateTime);
/// (signal id, actor, action, subject, when).
type ClaimEvent = (Option<String>, Option<String>, String, Option<String>, NaiveDateTime);

/// What to read: all set filters must hold.
#[derive(Default)]
pub struct Filter {
    /// Only rows about signals now with this helpline.
    pub helpline_id: Option<String>,
    pub actor_id: Option<String>,
    pub actions: Vec<&'static str>,
    pub signal_reference: Option<String>,
    pub from: Option<NaiveDateTime>,
    /// Exclusive.
    pub until: Option<NaiveDateTime>,
}

/// Newest first; `after` is the (created_at, id) of the last row of the previous page.
pub fn list(
    conn: &mut AnyConnection,
    f: &Filter,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<AuditRow>> {
    let mut q = audit_log::table
        .left_join(signals::table.on(signals::id.nullable().eq(audit_log::signal_id)))
        .select((
            audit_log::id,
            audit_log::actor_id,
            audit_log::action,
            signals::reference.nullable(),
            audit_log::subject_id,
            audit_log::created_at,
        ))
        .order((audit_log::created_at.desc(), audit_log::id.desc()))
        .limit(limit)
        .into_boxed();
    if let Some(h) = &f.helpline_id {
        q = q.filter(signals::helpline_id.nullable().eq(h.clone()));
    }
    if let Some(a) = &f.actor_id {
        q = q.filter(audit_log::actor_id.eq(a.clone()));
    }
    if !f.actions.is_empty() {
        q = q.filter(audit_log::action.eq_any(f.actions.clone()));
    }
    if let Some(r) = &f.signal_reference {
        q = q.filter(signals::reference.nullable().eq(r.clone()));
    }
    if let Some(t) = f.from {
        q = q.filter(audit_log::created_at.ge(t));
    }
    if let Some(t) = f.until {
        q = q.filter(audit_log::created_at.lt(t));
    }
    if let Some((at, id)) = after {
        q = q.filter(audit_log::created_at.lt(at).or(audit_log::created_at.eq(at).and(audit_log::id.lt(id))));
    }
    let rows: Vec<RawRow> = q.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, actor_id, action, reference, subject_id, created_at)| AuditRow {
            id,
            actor_id,
            action,
            reference,
            subject_id,
            created_at,
        })
        .collect())
}

/// The latest time each of `signal_ids` was claimed by, or reassigned to, its
/// current holder: (signal id, holder, when).
pub fn claim_starts(
    conn: &mut AnyConnection,
    signal_ids: &[String],
) -> QueryResult<Vec<(String, String, NaiveDateTime)>> {
    if signal_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<ClaimEvent> = audit_log::table
        .filter(audit_log::signal_id.eq_any(signal_ids.to_vec()))
        .filter(audit_log::action.eq_any(["signal.claimed", "signal.reassigned"]))
        .select((
            audit_log::signal_id,
            audit_log::actor_id,
            audit_log::action,
            audit_log::subject_id,
            audit_log::created_at,
        ))
        .order(audit_log::created_at.asc())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(signal, actor, action, subject, at)| {
            let holder = if action == "signal.reassigned" { subject } else { actor };
            Some((signal?, holder?, at))
        })
        .collect())
}
