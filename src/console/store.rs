//! Diesel queries on `console_sessions` and `console_enrolments` (the console's
//! browser sessions and pending second-factor enrolments). Both hold only the
//! SHA-256 of their cookie's token.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::db::schema::{console_enrolments, console_sessions};
use crate::domain::UserId;

/// A `console_sessions` row to insert.
#[derive(Insertable)]
#[diesel(table_name = console_sessions)]
pub struct NewConsoleSession<'a> {
    pub id: &'a str,
    pub user_id: String,
    pub csrf_token: &'a str,
    pub language: &'a str,
    pub token_version: i32,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
}

/// A `console_sessions` row as read.
#[derive(Queryable, Selectable)]
#[diesel(table_name = console_sessions)]
pub struct ConsoleSessionRow {
    pub user_id: String,
    pub csrf_token: String,
    pub language: String,
    pub token_version: i32,
    pub last_seen_at: NaiveDateTime,
}

pub fn insert_session(c: &mut AnyConnection, s: &NewConsoleSession<'_>) -> QueryResult<()> {
    diesel::insert_into(console_sessions::table).values(s).execute(c).map(|_| ())
}

pub fn find_session(c: &mut AnyConnection, id: &str) -> QueryResult<Option<ConsoleSessionRow>> {
    console_sessions::table.find(id).select(ConsoleSessionRow::as_select()).first(c).optional()
}

pub fn touch_session(c: &mut AnyConnection, id: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(console_sessions::table.find(id)).set(console_sessions::last_seen_at.eq(now)).execute(c)
}

pub fn set_session_language(c: &mut AnyConnection, id: &str, language: &str) -> QueryResult<usize> {
    diesel::update(console_sessions::table.find(id)).set(console_sessions::language.eq(language)).execute(c)
}

pub fn delete_session(c: &mut AnyConnection, id: &str) -> QueryResult<usize> {
    diesel::delete(console_sessions::table.find(id)).execute(c)
}

pub fn delete_sessions_of(c: &mut AnyConnection, user: UserId) -> QueryResult<usize> {
    diesel::delete(console_sessions::table.filter(console_sessions::user_id.eq(user.to_string()))).execute(c)
}

/// Starts a pending enrolment for `user`, dropping expired ones and the account's
/// earlier one.
pub fn replace_enrolment(
    c: &mut AnyConnection,
    id: &str,
    user: UserId,
    csrf: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(
        console_enrolments::table
            .filter(console_enrolments::expires_at.le(now).or(console_enrolments::user_id.eq(user.to_string()))),
    )
    .execute(c)?;
    diesel::insert_into(console_enrolments::table)
        .values((
            console_enrolments::id.eq(id),
            console_enrolments::user_id.eq(user.to_string()),
            console_enrolments::csrf_token.eq(csrf),
            console_enrolments::created_at.eq(now),
            console_enrolments::expires_at.eq(expires_at),
        ))
        .execute(c)
        .map(|_| ())
}

/// A pending enrolment still valid at `now`: `(user id, CSRF token)`.
pub fn find_enrolment(c: &mut AnyConnection, id: &str, now: NaiveDateTime) -> QueryResult<Option<(String, String)>> {
    console_enrolments::table
        .find(id)
        .filter(console_enrolments::expires_at.gt(now))
        .select((console_enrolments::user_id, console_enrolments::csrf_token))
        .first(c)
        .optional()
}

pub fn delete_enrolment(c: &mut AnyConnection, id: &str) -> QueryResult<usize> {
    diesel::delete(console_enrolments::table.find(id)).execute(c)
}
