//! Diesel queries statistics read: live signals (closed, or still open to hold a
//! month back), rollups, programmes, helpline codes and relay points.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::db::schema::{helplines, programmes, relay_points, signal_rollups, signals};
use crate::retention::store::RollupRow;

/// A live signal as statistics see it.
#[derive(Queryable, Debug, Clone)]
pub struct LiveSignal {
    pub programme_id: String,
    pub created_at: NaiveDateTime,
    pub region: String,
    pub relay_kind: String,
    pub helpline_id: String,
    pub urgency: String,
    pub status: String,
    pub outcome: Option<String>,
    pub language: String,
    pub relay_training_status: String,
    pub first_attempt_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub minutes_to_first_attempt: Option<i32>,
    pub minutes_to_close: Option<i32>,
}

/// Signals filed in `[from, to)`, of one programme or all.
pub fn live_signals(
    conn: &mut AnyConnection,
    programme: Option<&str>,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<LiveSignal>> {
    let mut q = signals::table
        .inner_join(relay_points::table)
        .filter(signals::created_at.ge(from))
        .filter(signals::created_at.lt(to))
        .select((
            relay_points::programme_id,
            signals::created_at,
            signals::region,
            signals::relay_kind,
            signals::helpline_id,
            signals::urgency,
            signals::status,
            signals::outcome,
            signals::language,
            signals::relay_training_status,
            signals::first_attempt_at,
            signals::closed_at,
            signals::minutes_to_first_attempt,
            signals::minutes_to_close,
        ))
        .into_boxed();
    if let Some(p) = programme {
        q = q.filter(relay_points::programme_id.eq(p.to_string()));
    }
    q.load(conn)
}

/// Rollups of months `from..=to` (`YYYY-MM` sorts as text), of one programme or all.
pub fn rollups(conn: &mut AnyConnection, programme: Option<&str>, from: &str, to: &str) -> QueryResult<Vec<RollupRow>> {
    let mut q = signal_rollups::table
        .filter(signal_rollups::month.ge(from.to_string()))
        .filter(signal_rollups::month.le(to.to_string()))
        .select(RollupRow::as_select())
        .into_boxed();
    if let Some(p) = programme {
        q = q.filter(signal_rollups::programme_id.eq(p.to_string()));
    }
    q.load(conn)
}

/// Programmes as (id, code), by code: one, or all.
pub fn programmes(conn: &mut AnyConnection, only: Option<&str>) -> QueryResult<Vec<(String, String)>> {
    let mut q = programmes::table.select((programmes::id, programmes::code)).order(programmes::code.asc()).into_boxed();
    if let Some(p) = only {
        q = q.filter(programmes::id.eq(p.to_string()));
    }
    q.load(conn)
}

/// Helpline id → code (what statistics show for a helpline).
pub fn helpline_codes(conn: &mut AnyConnection) -> QueryResult<HashMap<String, String>> {
    Ok(helplines::table.select((helplines::id, helplines::code)).load::<(String, String)>(conn)?.into_iter().collect())
}

/// Active relay points of a programme as (id, region, kind).
pub fn active_relay_points(conn: &mut AnyConnection, programme: &str) -> QueryResult<Vec<(String, String, String)>> {
    relay_points::table
        .filter(relay_points::programme_id.eq(programme))
        .filter(relay_points::active.eq(true))
        .select((relay_points::id, relay_points::region, relay_points::kind))
        .load(conn)
}
