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
