//! Use cases for destinations and routing rules: conversions between rows and the
//! pure routing model, and the admin operations.

use crate::domain::HelplineId;

use super::hours::{DateException, WeeklySlot};
pub use super::model::Helpline;
use super::model::{RoutingRule, StoredRule};
pub use super::store::join_languages;
use super::store::{self, HelplineChanges};
use crate::db::{self, AnyConnection};
use crate::http::error::{AppError, FieldError};

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

pub fn create_helpline(conn: &mut AnyConnection, helpline: Helpline) -> Result<Helpline, AppError> {
    store::insert_helpline(conn, &helpline)?;
    Ok(helpline)
}

pub fn update_helpline(
    conn: &mut AnyConnection,
    id: HelplineId,
    changes: HelplineChanges,
) -> Result<Helpline, AppError> {
    if store::update_helpline(conn, id, &changes)? == 0 {
        return Err(AppError::NotFound);
    }
    get_helpline(conn, id)
}

pub fn create_rule(conn: &mut AnyConnection, rule: RoutingRule) -> Result<StoredRule, AppError> {
    if store::find_helpline(conn, rule.helpline)?.is_none() {
        return Err(AppError::invalid("helpline_id", "no such helpline"));
    }
    let stored = StoredRule { id: uuid::Uuid::new_v4().to_string(), rule, created_at: db::now() };
    store::insert_rule(conn, &stored)?;
    Ok(stored)
}

/// Every rule, in the order they are tried.
pub fn all_rules(conn: &mut AnyConnection) -> Result<Vec<StoredRule>, AppError> {
    Ok(store::all_rules(conn)?)
}

/// Removes a rule; false when there was none with this id.
pub fn delete_rule(conn: &mut AnyConnection, id: &str) -> Result<bool, AppError> {
    Ok(store::delete_rule(conn, id)? > 0)
}
