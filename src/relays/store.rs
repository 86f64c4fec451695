//! Diesel queries on `programmes` and `relay_points`. Every relay-point query takes
//! the programme it must lie in, so scope cannot be forgotten by a caller.

use crate::domain::RelayKind;
use crate::domain::{ProgrammeId, Region, RelayPointId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{Postcode, RawRelayPoint, RelayPoint, RelayPointFields};
use crate::db::AnyConnection;
use crate::db::schema::{programmes, relay_points};

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

/// A `programmes` row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = programmes)]
pub struct Programme {
    pub id: String,
    pub code: String,
    pub name: String,
    pub country: String,
    pub created_at: NaiveDateTime,
}

/// A `relay_points` row, as read and as inserted.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = relay_points)]
pub struct RelayPointRow {
    pub id: String,
    pub programme_id: String,
    pub external_id: Option<String>,
    pub kind: String,
    pub name: String,
    pub address: String,
    pub postcode: String,
    pub municipality: String,
    pub region: String,
    pub languages: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Columns an update may change.
#[derive(Debug, AsChangeset)]
#[diesel(table_name = relay_points)]
pub struct RelayPointChanges {
    pub external_id: Option<Option<String>>,
    pub kind: String,
    pub name: String,
    pub address: String,
    pub postcode: String,
    pub municipality: String,
    pub region: String,
    pub languages: String,
    pub active: bool,
    pub updated_at: NaiveDateTime,
}

impl RelayPointRow {
    pub fn new(id: RelayPointId, programme: ProgrammeId, f: &RelayPointFields, now: NaiveDateTime) -> Self {
        let c = RelayPointChanges::from_fields(f, now);
        Self {
            id: id.to_string(),
            programme_id: programme.to_string(),
            external_id: c.external_id.flatten(),
            kind: c.kind,
            name: c.name,
            address: c.address,
            postcode: c.postcode,
            municipality: c.municipality,
            region: c.region,
            languages: c.languages,
            active: c.active,
            created_at: now,
            updated_at: now,
        }
    }

    /// Converts to the domain type; a row that does not parse is a corrupt database.
    pub fn into_domain(self) -> QueryResult<RelayPoint> {
        let corrupt =
            |what: &str| diesel::result::Error::DeserializationError(format!("corrupt relay_points.{what}").into());
        let raw = RawRelayPoint {
            external_id: self.external_id.as_deref(),
            kind: self.kind.parse::<RelayKind>().map_err(|_| corrupt("kind"))?,
            name: &self.name,
            address: &self.address,
            postcode: &self.postcode,
            municipality: &self.municipality,
            region: Some(self.region.parse::<Region>().map_err(|_| corrupt("region"))?),
            languages: self.languages.split(',').collect(),
            active: self.active,
        };
        let fields = RelayPointFields::parse(raw).map_err(|_| corrupt("fields"))?;
        Ok(RelayPoint {
            id: RelayPointId::parse(&self.id).ok_or_else(|| corrupt("id"))?,
            programme_id: ProgrammeId::parse(&self.programme_id).ok_or_else(|| corrupt("programme_id"))?,
            fields,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

impl RelayPointChanges {
    pub fn from_fields(f: &RelayPointFields, now: NaiveDateTime) -> Self {
        Self {
            external_id: Some(f.external_id.as_ref().map(|e| e.as_str().to_string())),
            kind: f.kind.as_str().into(),
            name: f.name.as_str().into(),
            address: f.address.as_str().into(),
            postcode: Postcode::to_string(&f.postcode),
            municipality: f.municipality.as_str().into(),
            region: f.region.as_str().into(),
            languages: f.languages.to_stored(),
            active: f.active,
            updated_at: now,
        }
    }
}

pub fn insert_programme(conn: &mut AnyConnection, p: &Programme) -> QueryResult<()> {
    diesel::insert_into(programmes::table).values(p).execute(conn).map(|_| ())
}

pub fn find_programme(conn: &mut AnyConnection, id: ProgrammeId) -> QueryResult<Option<Programme>> {
    programmes::table.find(id.to_string()).select(Programme::as_select()).first(conn).optional()
}

/// Programmes ordered by code, after `after`; `only` restricts to one (a manager's).
pub fn list_programmes(
    conn: &mut AnyConnection,
    only: Option<ProgrammeId>,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<Programme>> {
    let mut q =
        programmes::table.select(Programme::as_select()).order(programmes::code.asc()).limit(limit).into_boxed();
    if let Some(id) = only {
        q = q.filter(programmes::id.eq(id.to_string()));
    }
    if let Some(after) = after {
        q = q.filter(programmes::code.gt(after.to_string()));
    }
    q.load(conn)
}

pub fn insert_relay(conn: &mut AnyConnection, row: &RelayPointRow) -> QueryResult<()> {
    diesel::insert_into(relay_points::table).values(row).execute(conn).map(|_| ())
}

/// Inserts many rows with multi-row INSERTs. `AnyConnection` cannot insert a Vec,
/// so this goes to the backend's own connection. Chunks of 500 rows keep the bind
/// count (13 per row) under SQLite's and PostgreSQL's limits.
pub fn insert_relays_bulk(conn: &mut AnyConnection, rows: &[RelayPointRow]) -> QueryResult<()> {
    for chunk in rows.chunks(500) {
        match conn {
            AnyConnection::Sqlite(c) => diesel::insert_into(relay_points::table).values(chunk).execute(c)?,
            AnyConnection::Postgresql(c) => diesel::insert_into(relay_points::table).values(chunk).execute(c)?,
        };
    }
    Ok(())
}

pub fn update_relay(conn: &mut AnyConnection, id: RelayPointId, changes: &RelayPointChanges) -> QueryResult<()> {
    diesel::update(relay_points::table.find(id.to_string())).set(changes).execute(conn).map(|_| ())
}

/// A relay point, only if it lies in `programme`.
pub fn find_relay(
    conn: &mut AnyConnection,
    programme: ProgrammeId,
    id: RelayPointId,
) -> QueryResult<Option<RelayPointRow>> {
    relay_points::table
        .find(id.to_string())
        .filter(relay_points::programme_id.eq(programme.to_string()))
        .select(RelayPointRow::as_select())
        .first(conn)
        .optional()
}

/// SQL-side filters of a relay-point list (training status is filtered after).
#[derive(Debug, Default, Clone)]
pub struct RelayQuery {
    pub region: Option<Region>,
    pub kind: Option<RelayKind>,
    /// Case-insensitive substring of name, municipality, postcode, address or external id.
    pub text: Option<String>,
    /// Continue after this (name, id).
    pub after: Option<(String, String)>,
    pub limit: Option<i64>,
}

/// Relay points of `programme` ordered by (name, id).
pub fn list_relays(
    conn: &mut AnyConnection,
    programme: ProgrammeId,
    q: &RelayQuery,
) -> QueryResult<Vec<RelayPointRow>> {
    use relay_points::dsl as r;
    let mut query = r::relay_points
        .filter(r::programme_id.eq(programme.to_string()))
        .select(RelayPointRow::as_select())
        .order((r::name.asc(), r::id.asc()))
        .into_boxed();
    if let Some(region) = q.region {
        query = query.filter(r::region.eq(region.as_str()));
    }
    if let Some(kind) = q.kind {
        query = query.filter(r::kind.eq(kind.as_str()));
    }
    if let Some(text) = &q.text {
        // `ilike` is not available through AnyConnection; lower() LIKE works on both.
        let escaped = text.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        let pattern = format!("%{escaped}%");
        query = query.filter(
            lower(r::name)
                .like(pattern.clone())
                .escape('\\')
                .or(lower(r::municipality).like(pattern.clone()).escape('\\'))
                .or(r::postcode.like(pattern.clone()).escape('\\'))
                .or(lower(r::address).like(pattern.clone()).escape('\\'))
                .or(lower(r::external_id.assume_not_null()).like(pattern).escape('\\')),
        );
    }
    if let Some((name, id)) = &q.after {
        query = query.filter(r::name.gt(name.clone()).or(r::name.eq(name.clone()).and(r::id.gt(id.clone()))));
    }
    if let Some(limit) = q.limit {
        query = query.limit(limit);
    }
    query.load(conn)
}
