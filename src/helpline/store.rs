//! Diesel queries on call attempts. The signals a helpline works are read and
//! changed through `signals::service`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::db::schema::call_attempts;

/// A `call_attempts` row to insert.
#[derive(Insertable)]
#[diesel(table_name = call_attempts)]
pub struct NewCallAttempt {
    pub id: String,
    pub signal_id: String,
    pub operator_id: String,
    pub result: &'static str,
    pub next_attempt_at: Option<NaiveDateTime>,
    pub outside_safe_windows: bool,
    pub created_at: NaiveDateTime,
}

pub fn insert_attempt(conn: &mut AnyConnection, a: &NewCallAttempt) -> QueryResult<()> {
    diesel::insert_into(call_attempts::table).values(a).execute(conn).map(|_| ())
}

/// A `call_attempts` row as read.
#[derive(Queryable, Selectable)]
#[diesel(table_name = call_attempts)]
pub struct CallAttemptRow {
    pub operator_id: String,
    pub result: String,
    pub next_attempt_at: Option<NaiveDateTime>,
    pub outside_safe_windows: bool,
    pub created_at: NaiveDateTime,
}

/// A signal's call attempts, oldest first.
pub fn attempts_of(conn: &mut AnyConnection, signal_id: &str) -> QueryResult<Vec<CallAttemptRow>> {
    call_attempts::table
        .filter(call_attempts::signal_id.eq(signal_id))
        .order((call_attempts::created_at.asc(), call_attempts::id.asc()))
        .select(CallAttemptRow::as_select())
        .load(conn)
}
