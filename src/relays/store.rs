//! Diesel queries on `programmes` and `relay_points`. Every relay-point query takes
//! the programme it must lie in, so scope cannot be forgotten by a caller.

use crate::domain::{ProgrammeId, Region, RelayKind, RelayPointId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{Programme, RawRelayPoint, RelayPoint, RelayPointFields};
use crate::db::schema::{programmes, relay_points};
use crate::db::{AnyConnection, corrupt};

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

/// A `programmes` row, as read and as inserted: the rest of the code sees
/// [`Programme`], converted once below.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = programmes)]
struct ProgrammeRow {
    id: String,
    code: String,
    name: String,
    country: String,
    created_at: NaiveDateTime,
}

impl TryFrom<ProgrammeRow> for Programme {
    type Error = diesel::result::Error;
    fn try_from(r: ProgrammeRow) -> QueryResult<Self> {
        Ok(Programme {
            id: ProgrammeId::parse(&r.id).ok_or_else(|| corrupt("programmes", "id"))?,
            code: r.code,
            name: r.name,
            country: r.country,
            created_at: r.created_at,
        })
    }
}

impl From<&Programme> for ProgrammeRow {
    fn from(p: &Programme) -> Self {
        Self {
            id: p.id.to_string(),
            code: p.code.clone(),
            name: p.name.clone(),
            country: p.country.clone(),
            created_at: p.created_at,
        }
    }
}

/// A `relay_points` row, as read and as inserted: the rest of the code sees
/// [`RelayPoint`], converted once below.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = relay_points)]
struct RelayPointRow {
    id: String,
    programme_id: String,
    external_id: Option<String>,
    kind: String,
    name: String,
    address: String,
    postcode: String,
    municipality: String,
    region: String,
    languages: String,
    active: bool,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// Columns an update of a relay point changes.
#[derive(Debug, AsChangeset)]
#[diesel(table_name = relay_points)]
struct RelayPointChanges {
    external_id: Option<Option<String>>,
    kind: String,
    name: String,
    address: String,
    postcode: String,
    municipality: String,
    region: String,
    languages: String,
    active: bool,
    updated_at: NaiveDateTime,
}

/// A row that does not parse is a corrupt database.
impl TryFrom<RelayPointRow> for RelayPoint {
    type Error = diesel::result::Error;
    fn try_from(r: RelayPointRow) -> QueryResult<Self> {
        let corrupt = |column: &str| corrupt("relay_points", column);
        let raw = RawRelayPoint {
            external_id: r.external_id.as_deref(),
            kind: r.kind.parse::<RelayKind>().map_err(|_| corrupt("kind"))?,
            name: &r.name,
            address: &r.address,
            postcode: &r.postcode,
            municipality: &r.municipality,
            region: Some(r.region.parse::<Region>().map_err(|_| corrupt("region"))?),
            languages: r.languages.split(',').collect(),
            active: r.active,
        };
        let fields = RelayPointFields::parse(raw)
            .map_err(|errors| corrupt(errors.first().map_or("fields", |e| e.field.as_str())))?;
        Ok(RelayPoint {
            id: RelayPointId::parse(&r.id).ok_or_else(|| corrupt("id"))?,
            programme_id: ProgrammeId::parse(&r.programme_id).ok_or_else(|| corrupt("programme_id"))?,
            fields,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

impl From<&RelayPoint> for RelayPointRow {
    fn from(r: &RelayPoint) -> Self {
        let c = RelayPointChanges::new(&r.fields, r.updated_at);
        Self {
            id: r.id.to_string(),
            programme_id: r.programme_id.to_string(),
            external_id: c.external_id.flatten(),
            kind: c.kind,
            name: c.name,
            address: c.address,
            postcode: c.postcode,
            municipality: c.municipality,
            region: c.region,
            languages: c.languages,
            active: c.active,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

impl RelayPointChanges {
    fn new(f: &RelayPointFields, now: NaiveDateTime) -> Self {
        Self {
            external_id: Some(f.external_id.as_ref().map(|e| e.as_str().to_string())),
            kind: f.kind.as_str().into(),
            name: f.name.as_str().into(),
            address: f.address.as_str().into(),
            postcode: f.postcode.to_string(),
            municipality: f.municipality.as_str().into(),
            region: f.region.as_str().into(),
            languages: f.languages.to_stored(),
            active: f.active,
            updated_at: now,
        }
    }
}

pub fn insert_programme(conn: &mut AnyConnection, p: &Programme) -> QueryResult<()> {
    diesel::insert_into(programmes::table).values(ProgrammeRow::from(p)).execute(conn).map(|_| ())
}

pub fn find_programme(conn: &mut AnyConnection, id: ProgrammeId) -> QueryResult<Option<Programme>> {
    let row = programmes::table.find(id.to_string()).select(ProgrammeRow::as_select()).first(conn).optional()?;
    row.map(Programme::try_from).transpose()
}

/// The programme with this code (codes are unique).
pub fn find_programme_by_code(conn: &mut AnyConnection, code: &str) -> QueryResult<Option<Programme>> {
    let row =
        programmes::table.filter(programmes::code.eq(code)).select(ProgrammeRow::as_select()).first(conn).optional()?;
    row.map(Programme::try_from).transpose()
}

/// Programmes ordered by code, after `after`; `only` restricts to one (a manager's).
pub fn list_programmes(
    conn: &mut AnyConnection,
    only: Option<ProgrammeId>,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<Programme>> {
    let mut q =
        programmes::table.select(ProgrammeRow::as_select()).order(programmes::code.asc()).limit(limit).into_boxed();
    if let Some(id) = only {
        q = q.filter(programmes::id.eq(id.to_string()));
    }
    if let Some(after) = after {
        q = q.filter(programmes::code.gt(after.to_string()));
    }
    q.load(conn)?.into_iter().map(Programme::try_from).collect()
}

pub fn insert_relay(conn: &mut AnyConnection, relay: &RelayPoint) -> QueryResult<()> {
    diesel::insert_into(relay_points::table).values(RelayPointRow::from(relay)).execute(conn).map(|_| ())
}

/// Inserts many rows with multi-row INSERTs. `AnyConnection` cannot insert a Vec,
/// so this goes to the backend's own connection. Chunks of 500 rows keep the bind
/// count (13 per row) under SQLite's and PostgreSQL's limits.
pub fn insert_relays_bulk(conn: &mut AnyConnection, relays: &[RelayPoint]) -> QueryResult<()> {
    for chunk in relays.chunks(500) {
        let chunk: Vec<RelayPointRow> = chunk.iter().map(RelayPointRow::from).collect();
        match conn {
            AnyConnection::Sqlite(c) => diesel::insert_into(relay_points::table).values(&chunk).execute(c)?,
            AnyConnection::Postgresql(c) => diesel::insert_into(relay_points::table).values(&chunk).execute(c)?,
        };
    }
    Ok(())
}

/// Replaces every field of a relay point.
pub fn update_relay(
    conn: &mut AnyConnection,
    id: RelayPointId,
    fields: &RelayPointFields,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(relay_points::table.find(id.to_string()))
        .set(RelayPointChanges::new(fields, now))
        .execute(conn)
        .map(|_| ())
}

/// A relay point, only if it lies in `programme`.
pub fn find_relay(
    conn: &mut AnyConnection,
    programme: ProgrammeId,
    id: RelayPointId,
) -> QueryResult<Option<RelayPoint>> {
    let row = relay_points::table
        .find(id.to_string())
        .filter(relay_points::programme_id.eq(programme.to_string()))
        .select(RelayPointRow::as_select())
        .first(conn)
        .optional()?;
    row.map(RelayPoint::try_from).transpose()
}

/// SQL-side filters of a relay-point list (training status is filtered after).
#[derive(Debug, Default, Clone)]
pub struct RelayQuery {
    pub region: Option<Region>,
    pub kind: Option<RelayKind>,
    /// Case-insensitive substring of name, municipality, postcode, address or external id.
    pub text: Option<String>,
    /// Continue after this (name, id).
    pub after: Option<(String, RelayPointId)>,
    pub limit: Option<i64>,
}

/// Relay points of `programme` ordered by (name, id).
pub fn list_relays(conn: &mut AnyConnection, programme: ProgrammeId, q: &RelayQuery) -> QueryResult<Vec<RelayPoint>> {
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
        query = query.filter(r::name.gt(name.clone()).or(r::name.eq(name.clone()).and(r::id.gt(id.to_string()))));
    }
    if let Some(limit) = q.limit {
        query = query.limit(limit);
    }
    query.load(conn)?.into_iter().map(RelayPoint::try_from).collect()
}

/// The backend of every query here.
type Backend = <AnyConnection as diesel::Connection>::Backend;

/// What a relay-point table of the console may be sorted by in SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortColumn {
    #[default]
    Name,
    Municipality,
    Postcode,
    Region,
    Kind,
    Updated,
}

/// SQL-side filters of the console's relay-point table: `programme` `None` is
/// every programme (admins).
#[derive(Debug, Default, Clone)]
pub struct TableQuery {
    pub programme: Option<ProgrammeId>,
    pub region: Option<Region>,
    pub kind: Option<RelayKind>,
    /// The municipality, case-insensitive.
    pub municipality: Option<String>,
    /// Case-insensitive substring of name, municipality, postcode, address or external id.
    pub text: Option<String>,
    pub sort: SortColumn,
    pub descending: bool,
}

fn like_pattern(text: &str) -> String {
    let escaped = text.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// The relay points matching `q`'s filters (its order is not applied).
fn filtered(q: &TableQuery) -> relay_points::BoxedQuery<'_, Backend> {
    use relay_points::dsl as r;
    let mut query: relay_points::BoxedQuery<'_, Backend> = r::relay_points.into_boxed();
    if let Some(programme) = q.programme {
        query = query.filter(r::programme_id.eq(programme.to_string()));
    }
    if let Some(region) = q.region {
        query = query.filter(r::region.eq(region.as_str()));
    }
    if let Some(kind) = q.kind {
        query = query.filter(r::kind.eq(kind.as_str()));
    }
    if let Some(m) = &q.municipality {
        query = query.filter(lower(r::municipality).eq(m.to_lowercase()));
    }
    if let Some(text) = &q.text {
        let pattern = like_pattern(text);
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
    query
}

/// `query` in `q`'s order, then by id.
fn ordered<'a>(query: relay_points::BoxedQuery<'a, Backend>, q: &TableQuery) -> relay_points::BoxedQuery<'a, Backend> {
    use relay_points::dsl as r;
    let query = match (q.sort, q.descending) {
        (SortColumn::Name, false) => query.order(r::name.asc()),
        (SortColumn::Name, true) => query.order(r::name.desc()),
        (SortColumn::Municipality, false) => query.order((r::municipality.asc(), r::name.asc())),
        (SortColumn::Municipality, true) => query.order((r::municipality.desc(), r::name.asc())),
        (SortColumn::Postcode, false) => query.order((r::postcode.asc(), r::name.asc())),
        (SortColumn::Postcode, true) => query.order((r::postcode.desc(), r::name.asc())),
        (SortColumn::Region, false) => query.order((r::region.asc(), r::name.asc())),
        (SortColumn::Region, true) => query.order((r::region.desc(), r::name.asc())),
        (SortColumn::Kind, false) => query.order((r::kind.asc(), r::name.asc())),
        (SortColumn::Kind, true) => query.order((r::kind.desc(), r::name.asc())),
        (SortColumn::Updated, false) => query.order((r::updated_at.asc(), r::name.asc())),
        (SortColumn::Updated, true) => query.order((r::updated_at.desc(), r::name.asc())),
    };
    query.then_order_by(r::id.asc())
}

fn parse_ids(rows: Vec<(String, String)>) -> QueryResult<Vec<(RelayPointId, ProgrammeId)>> {
    rows.into_iter()
        .map(|(id, p)| {
            Ok((
                RelayPointId::parse(&id).ok_or_else(|| corrupt("relay_points", "id"))?,
                ProgrammeId::parse(&p).ok_or_else(|| corrupt("relay_points", "programme_id"))?,
            ))
        })
        .collect()
}

/// The ids and programmes of the relay points matching `q`, in its order (then by
/// id): one query, two short columns per row, whatever the programme's size.
pub fn table_ids(conn: &mut AnyConnection, q: &TableQuery) -> QueryResult<Vec<(RelayPointId, ProgrammeId)>> {
    use relay_points::dsl as r;
    parse_ids(ordered(filtered(q), q).select((r::id, r::programme_id)).load(conn)?)
}

/// The same ids in no particular order (what counting needs: read from the index
/// `relay_points_programme_name` when the table is scoped to one programme).
pub fn table_ids_unordered(conn: &mut AnyConnection, q: &TableQuery) -> QueryResult<Vec<(RelayPointId, ProgrammeId)>> {
    use relay_points::dsl as r;
    let Some(programme) = q.programme else {
        return parse_ids(filtered(q).select((r::id, r::programme_id)).load(conn)?);
    };
    // One programme: its id is known, and half the bytes are left in the database.
    let ids: Vec<String> = filtered(q).select(r::id).load(conn)?;
    ids.into_iter()
        .map(|id| Ok((RelayPointId::parse(&id).ok_or_else(|| corrupt("relay_points", "id"))?, programme)))
        .collect()
}

/// One page of those ids, in `q`'s order: rows `offset..offset + limit`.
pub fn table_page_ids(
    conn: &mut AnyConnection,
    q: &TableQuery,
    offset: usize,
    limit: usize,
) -> QueryResult<Vec<(RelayPointId, ProgrammeId)>> {
    use relay_points::dsl as r;
    let (offset, limit) = (i64::try_from(offset).unwrap_or(i64::MAX), i64::try_from(limit).unwrap_or(i64::MAX));
    parse_ids(ordered(filtered(q), q).select((r::id, r::programme_id)).offset(offset).limit(limit).load(conn)?)
}

/// The relay points with these ids (any programme: the caller chose the ids from
/// a scoped query), in no particular order.
pub fn relays_by_ids(conn: &mut AnyConnection, ids: &[RelayPointId]) -> QueryResult<Vec<RelayPoint>> {
    let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
    relay_points::table
        .filter(relay_points::id.eq_any(ids))
        .select(RelayPointRow::as_select())
        .load(conn)?
        .into_iter()
        .map(RelayPoint::try_from)
        .collect()
}

/// The programme a relay point lies in (any programme: for admins).
pub fn relay_programme(conn: &mut AnyConnection, id: RelayPointId) -> QueryResult<Option<ProgrammeId>> {
    let p: Option<String> =
        relay_points::table.find(id.to_string()).select(relay_points::programme_id).first(conn).optional()?;
    p.map(|p| ProgrammeId::parse(&p).ok_or_else(|| corrupt("relay_points", "programme_id"))).transpose()
}

/// Every programme, by code (admins' views; programmes are few).
pub fn all_programmes(conn: &mut AnyConnection) -> QueryResult<Vec<Programme>> {
    programmes::table
        .select(ProgrammeRow::as_select())
        .order(programmes::code.asc())
        .load(conn)?
        .into_iter()
        .map(Programme::try_from)
        .collect()
}
