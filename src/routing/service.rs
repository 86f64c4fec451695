//! Use cases for destinations and routing rules: conversions between rows and the
//! pure routing model, and the admin operations.

use crate::domain::{HelplineId, Language, Region};
use std::str::FromStr;

use chrono_tz::Tz;

use super::hours::{DateException, OpeningHours, WeeklySlot};
use super::model::{Destination, DestinationKind, RoutingRule};
use super::store::{self, HelplineChanges, HelplineRow, RoutingRuleRow};
use crate::db::{self, AnyConnection};
use crate::http::error::{AppError, FieldError};

/// A helpline with its parsed fields, as services and routes see it.
#[derive(Debug, Clone)]
pub struct Helpline {
    pub row: HelplineRow,
    pub destination: Destination,
    pub weekly: Vec<WeeklySlot>,
    pub exceptions: Vec<DateException>,
}

fn corrupt(what: &str) -> AppError {
    AppError::internal(format!("corrupt helplines.{what}"))
}

pub fn parse_languages(text: &str) -> Vec<Language> {
    text.split(',').filter_map(|l| Language::from_str(l.trim()).ok()).collect()
}

pub fn join_languages(langs: &[Language]) -> String {
    langs.iter().map(|l| l.as_str()).collect::<Vec<_>>().join(",")
}

impl TryFrom<HelplineRow> for Helpline {
    type Error = AppError;
    fn try_from(row: HelplineRow) -> Result<Self, AppError> {
        let weekly: Vec<WeeklySlot> = serde_json::from_str(&row.weekly_hours).map_err(|_| corrupt("weekly_hours"))?;
        let exceptions: Vec<DateException> =
            serde_json::from_str(&row.exceptions).map_err(|_| corrupt("exceptions"))?;
        let destination = Destination {
            id: HelplineId::parse(&row.id).ok_or_else(|| corrupt("id"))?,
            code: row.code.clone(),
            kind: DestinationKind::from_str(&row.kind).map_err(|_| corrupt("kind"))?,
            languages: parse_languages(&row.languages),
            active: row.active,
            time_zone: Tz::from_str(&row.time_zone).map_err(|_| corrupt("time_zone"))?,
            hours: OpeningHours { weekly: weekly.clone(), exceptions: exceptions.clone() },
        };
        Ok(Self { row, destination, weekly, exceptions })
    }
}

impl TryFrom<RoutingRuleRow> for RoutingRule {
    type Error = AppError;
    fn try_from(r: RoutingRuleRow) -> Result<Self, AppError> {
        let bad = || AppError::internal("corrupt routing_rules row");
        Ok(RoutingRule {
            priority: r.priority,
            region: r.region.as_deref().map(Region::from_str).transpose().map_err(|_| bad())?,
            postcodes: match (r.postcode_from, r.postcode_to) {
                (Some(f), Some(t)) => {
                    Some((u16::try_from(f).map_err(|_| bad())?, u16::try_from(t).map_err(|_| bad())?))
                }
                _ => None,
            },
            language: r.language.as_deref().map(Language::from_str).transpose().map_err(|_| bad())?,
            helpline: HelplineId::parse(&r.helpline_id).ok_or_else(bad)?,
        })
    }
}

/// Everything routing needs, read in one go.
pub fn load_network(conn: &mut AnyConnection) -> Result<(Vec<RoutingRule>, Vec<Helpline>), AppError> {
    let rules = store::all_rules(conn)?.into_iter().map(RoutingRule::try_from).collect::<Result<_, _>>()?;
    let helplines = store::all_helplines(conn)?.into_iter().map(Helpline::try_from).collect::<Result<_, _>>()?;
    Ok((rules, helplines))
}

pub fn get_helpline(conn: &mut AnyConnection, id: HelplineId) -> Result<Helpline, AppError> {
    find_helpline(conn, id)?.ok_or(AppError::NotFound)
}

/// A helpline by id, or `None`.
pub fn find_helpline(conn: &mut AnyConnection, id: HelplineId) -> Result<Option<Helpline>, AppError> {
    store::find_helpline(conn, &id.to_string())?.map(Helpline::try_from).transpose()
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

pub fn create_helpline(conn: &mut AnyConnection, row: HelplineRow) -> Result<Helpline, AppError> {
    store::insert_helpline(conn, &row)?;
    row.try_into()
}

pub fn update_helpline(
    conn: &mut AnyConnection,
    id: HelplineId,
    changes: HelplineChanges,
) -> Result<Helpline, AppError> {
    if store::update_helpline(conn, &id.to_string(), &changes)? == 0 {
        return Err(AppError::NotFound);
    }
    get_helpline(conn, id)
}

pub fn create_rule(conn: &mut AnyConnection, mut row: RoutingRuleRow) -> Result<RoutingRuleRow, AppError> {
    let helpline =
        HelplineId::parse(&row.helpline_id).ok_or_else(|| AppError::invalid("helpline_id", "no such helpline"))?;
    if store::find_helpline(conn, &helpline.to_string())?.is_none() {
        return Err(AppError::invalid("helpline_id", "no such helpline"));
    }
    row.created_at = db::now();
    store::insert_rule(conn, &row)?;
    Ok(row)
}
