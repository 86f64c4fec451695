//! Diesel queries and the row type of the referral directory.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use std::str::FromStr;

use super::model::{Resource, ResourceKind};
use crate::db::AnyConnection;
use crate::db::schema::resources;

/// A `resources` row; regions and languages are comma-separated codes.
#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = resources)]
pub struct ResourceRow {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub regions: String,
    pub languages: String,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub opening_hours: Option<String>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn all_active(conn: &mut AnyConnection) -> QueryResult<Vec<ResourceRow>> {
    resources::table
        .filter(resources::active.eq(true))
        .select(ResourceRow::as_select())
        .order((resources::kind.asc(), resources::name.asc()))
        .load(conn)
}

/// Every resource, retired ones too, by kind and name.
pub fn all(conn: &mut AnyConnection) -> QueryResult<Vec<ResourceRow>> {
    resources::table.select(ResourceRow::as_select()).order((resources::kind.asc(), resources::name.asc())).load(conn)
}

pub fn find(conn: &mut AnyConnection, id: &str) -> QueryResult<Option<ResourceRow>> {
    resources::table.find(id).select(ResourceRow::as_select()).first(conn).optional()
}

pub fn insert(conn: &mut AnyConnection, row: &ResourceRow) -> QueryResult<()> {
    diesel::insert_into(resources::table).values(row).execute(conn)?;
    crate::routing::cache::bump(conn)
}

/// Replaces every field but the id and creation time.
pub fn replace(conn: &mut AnyConnection, row: &ResourceRow) -> QueryResult<usize> {
    let n = diesel::update(resources::table.find(&row.id))
        .set((
            resources::kind.eq(&row.kind),
            resources::name.eq(&row.name),
            resources::regions.eq(&row.regions),
            resources::languages.eq(&row.languages),
            resources::phone.eq(&row.phone),
            resources::website.eq(&row.website),
            resources::opening_hours.eq(&row.opening_hours),
            resources::active.eq(row.active),
            resources::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    crate::routing::cache::bump(conn)?;
    Ok(n)
}

fn codes<T: FromStr>(text: &str) -> Vec<T> {
    text.split(',').filter_map(|c| T::from_str(c.trim()).ok()).collect()
}

impl From<ResourceRow> for Resource {
    fn from(r: ResourceRow) -> Self {
        Self {
            kind: ResourceKind::from_str(&r.kind).unwrap_or(ResourceKind::Other),
            regions: codes(&r.regions),
            languages: codes(&r.languages),
            id: r.id,
            name: r.name,
            phone: r.phone,
            website: r.website,
            opening_hours: r.opening_hours,
            active: r.active,
        }
    }
}
