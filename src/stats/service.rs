//! Statistics use cases: who may see which programme, which months are final, and
//! the facts behind them (live signals and rollups alike).

use crate::domain::{ProgrammeId, RelayPointId};
use crate::domain::{Region, Role};
use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::{Dimension, Histogram, Month, last_final_month, training_group};
use super::report::{Fact, MonthFigures, month_figures};
use super::rollup::{durations, reported_outcome};
// Retention rolls old signals up into the monthly aggregates through these.
pub use super::rollup::{cutoff as rollup_cutoff, roll_up_batch as roll_up};
use super::store::{self, CoverageSnapshotRow};
use crate::db::{self, AnyConnection};
use crate::http::error::AppError;
use crate::state::AppState;
use crate::training::status::{StatusCache, programme_statuses};
use crate::users::caller::AuthUser;

/// Longest span of months one request may ask for.
pub const MAX_MONTHS: i64 = 120;

/// The programmes the caller may see: managers their own (another one is 404),
/// admins all or the one asked for; nobody else.
pub fn programme_scope(auth: &AuthUser, asked: Option<ProgrammeId>) -> Result<Option<ProgrammeId>, AppError> {
    match auth.role {
        Role::Admin => Ok(asked),
        Role::ProgrammeManager => {
            let own = auth.scope.programme_id.ok_or(AppError::Forbidden)?;
            if asked.is_some_and(|p| p != own) {
                return Err(AppError::NotFound);
            }
            Ok(Some(own))
        }
        _ => Err(AppError::Forbidden),
    }
}

/// Signal figures of one programme.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct ProgrammeSignals {
    pub programme_id: String,
    pub programme_code: String,
    pub months: Vec<MonthFigures>,
}

/// Answer of `GET /api/v1/stats/signals`.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct SignalStats {
    pub by: Dimension,
    /// First and last month asked for, `YYYY-MM`.
    pub from: String,
    pub to: String,
    /// The most recent month whose figures are final (later months are not shown).
    pub last_final_month: String,
    pub programmes: Vec<ProgrammeSignals>,
}

/// What a signals request asks for, parsed.
pub struct SignalsRequest {
    pub programme: Option<ProgrammeId>,
    pub from: Option<Month>,
    pub to: Option<Month>,
    pub by: Dimension,
}

pub async fn signals(state: &AppState, auth: &AuthUser, req: SignalsRequest) -> Result<SignalStats, AppError> {
    let by = req.by;
    signals_by(state, auth, req, &[by]).await?.pop().ok_or_else(|| AppError::internal("no figures"))
}

/// The figures of one request broken down by each of `dims` in turn (the
/// request's own `by` is ignored): the facts are read once, then each breakdown is
/// built and suppressed exactly as `signals` does it — the console's impact page
/// shows four breakdowns for the price of one read.
pub async fn signals_by(
    state: &AppState,
    auth: &AuthUser,
    req: SignalsRequest,
    dims: &[Dimension],
) -> Result<Vec<SignalStats>, AppError> {
    let programme = programme_scope(auth, req.programme)?.map(|p| p.to_string());
    let last_final = last_final_month(db::now(), state.settings.contact_retention_days);
    let to = req.to.unwrap_or(last_final);
    let from = req.from.unwrap_or_else(|| to.minus(11));
    if from > to {
        return Err(AppError::invalid("from", "must not be after `to`"));
    }
    if from.until(to) >= MAX_MONTHS {
        return Err(AppError::invalid("from", format!("at most {MAX_MONTHS} months per request")));
    }
    let shown_to = to.min(last_final);
    let dims = dims.to_vec();
    state
        .db
        .session(move |c, writer| {
            let programmes = store::programmes(c, programme.as_deref())?;
            if programme.is_some() && programmes.is_empty() {
                return Err(AppError::NotFound);
            }
            let codes = store::helpline_codes(c)?;
            let months = month_facts(c, writer, programme.as_deref(), &programmes, from, shown_to)?;
            let figures: HashMap<(String, Month), Vec<Fact>> = months
                .iter()
                .map(|((id, m), kept)| ((id.clone(), *m), kept.iter().map(|k| k.fact(*m, &codes)).collect()))
                .collect();
            let answers = dims
                .iter()
                .map(|&by| {
                    let programmes = programmes
                        .iter()
                        .map(|(id, code)| {
                            let mut months = Vec::new();
                            let mut m = from;
                            while m <= shown_to {
                                // A month absent here still has an open signal: not final yet.
                                if let Some(of_month) = figures.get(&(id.clone(), m)) {
                                    let refs: Vec<&Fact> = of_month.iter().collect();
                                    months.push(month_figures(m, &refs, by));
                                }
                                m = m.next();
                            }
                            ProgrammeSignals { programme_id: id.clone(), programme_code: code.clone(), months }
                        })
                        .collect();
                    SignalStats {
                        by,
                        from: from.to_string(),
                        to: to.to_string(),
                        last_final_month: last_final.to_string(),
                        programmes,
                    }
                })
                .collect();
            Ok(answers)
        })
        .await
}

/// The dimensions a month's facts are aggregated by, and the aggregate: what
/// `signal_month_facts` keeps (helplines by id, training status as recorded).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct KeptFact {
    helpline_id: String,
    region: String,
    relay_kind: String,
    urgency: String,
    outcome: String,
    language: String,
    relay_training_status: String,
    count: i64,
    first_attempt: Histogram,
    close: Histogram,
}

impl KeptFact {
    fn fact(&self, month: Month, codes: &HashMap<String, String>) -> Fact {
        Fact {
            month,
            helpline: codes.get(&self.helpline_id).cloned().unwrap_or_default(),
            training: training_group(&self.relay_training_status).to_string(),
            region: self.region.clone(),
            relay_kind: self.relay_kind.clone(),
            urgency: self.urgency.clone(),
            outcome: self.outcome.clone(),
            language: self.language.clone(),
            count: self.count,
            first_attempt: self.first_attempt.clone(),
            close: self.close.clone(),
        }
    }
}

type FactKey = (String, String, String, String, String, String, String);
type MonthAggregates = HashMap<(String, Month), BTreeMap<FactKey, KeptFact>>;

/// Adds one signal (or one rollup row) to its month's aggregates.
fn aggregate(into: &mut MonthAggregates, programme: String, month: Month, f: KeptFact) {
    let key = (
        f.helpline_id.clone(),
        f.region.clone(),
        f.relay_kind.clone(),
        f.urgency.clone(),
        f.outcome.clone(),
        f.language.clone(),
        f.relay_training_status.clone(),
    );
    match into.entry((programme, month)).or_default().entry(key) {
        std::collections::btree_map::Entry::Occupied(mut e) => {
            let a = e.get_mut();
            a.count += f.count;
            a.first_attempt.merge(&f.first_attempt);
            a.close.merge(&f.close);
        }
        std::collections::btree_map::Entry::Vacant(e) => {
            e.insert(f);
        }
    }
}

/// The figures show the two durations per month only (median and p90 over all the
/// month's signals), so one pair of histograms per month is enough: they are
/// merged onto the first aggregate and the others keep none. A month kept this way
/// holds a few hundred counts and two histograms instead of two per aggregate
/// (twelve months of a million signals: ~2 MB of JSON to read per request before).
fn month_level_times(mut facts: Vec<KeptFact>) -> Vec<KeptFact> {
    let (mut first, mut close) = (Histogram::default(), Histogram::default());
    for f in &mut facts {
        first.merge(&std::mem::take(&mut f.first_attempt));
        close.merge(&std::mem::take(&mut f.close));
    }
    if let Some(f) = facts.first_mut() {
        f.first_attempt = first;
        f.close = close;
    }
    facts
}

/// The aggregated facts of every month `from..=to` of each programme that is
/// final, by (programme, month); a month with a signal still open is absent.
/// Months kept in `signal_month_facts` are read from there (one row each); the
/// others are built from the live signals and rollups, then kept — a final month
/// whose signals are all closed never changes. So a year of figures costs twelve
/// rows to read, however many signals it held, once each month has been built.
fn month_facts(
    c: &mut AnyConnection,
    writer: &db::Writer,
    programme: Option<&str>,
    programmes: &[(String, String)],
    from: Month,
    to: Month,
) -> Result<HashMap<(String, Month), Vec<KeptFact>>, AppError> {
    let mut out: HashMap<(String, Month), Vec<KeptFact>> = HashMap::new();
    for row in store::month_facts(c, programme, &from.to_string(), &to.to_string())? {
        let month: Month = row.month.parse().map_err(|_| AppError::internal("corrupt kept month"))?;
        let facts: Vec<KeptFact> =
            serde_json::from_str(&row.facts).map_err(|_| AppError::internal("corrupt kept month facts"))?;
        out.insert((row.programme_id, month), facts);
    }
    let mut missing: Vec<(String, Month)> = Vec::new();
    for (id, _) in programmes {
        let mut m = from;
        while m <= to {
            if !out.contains_key(&(id.clone(), m)) {
                missing.push((id.clone(), m));
            }
            m = m.next();
        }
    }
    let (Some(lo), Some(hi)) = (missing.iter().map(|(_, m)| *m).min(), missing.iter().map(|(_, m)| *m).max()) else {
        return Ok(out);
    };
    // A month with a signal still open is not shown: find those months first (few
    // rows: the retention job expires the open signals of final months) and build
    // only the others, rather than read a whole month of signals to drop it.
    let mut held_back: BTreeSet<(String, Month)> =
        store::open_signals(c, programme, lo.start_utc(), hi.next().start_utc())?
            .into_iter()
            .map(|(p, at)| (p, Month::of(at)))
            .collect();
    missing.retain(|k| !held_back.contains(k));
    // One month at a time, so a request holds one month of signals, never a year's.
    let months: BTreeSet<Month> = missing.iter().map(|(_, m)| *m).collect();
    let now = db::now();
    let mut keep = Vec::new();
    for month in months {
        let mut built = build_month(c, programme, month, &mut held_back)?;
        for key in missing.iter().filter(|(_, m)| *m == month) {
            if held_back.contains(key) {
                continue;
            }
            let facts = month_level_times(built.remove(key).map(|m| m.into_values().collect()).unwrap_or_default());
            keep.push(store::MonthFactsRow {
                programme_id: key.0.clone(),
                month: key.1.to_string(),
                facts: serde_json::to_string(&facts).map_err(|_| AppError::internal("month facts not serialisable"))?,
                computed_at: now,
            });
            out.insert(key.clone(), facts);
        }
    }
    if !keep.is_empty() {
        writer.transaction(c, move |c| {
            keep.iter().try_for_each(|row| store::keep_month_facts(c, row)).map_err(AppError::from)
        })?;
    }
    Ok(out)
}

/// The aggregates of one month's signals and rollups (of one programme or all),
/// read on one snapshot: a rollup running meanwhile cannot count a signal twice. A
/// programme with a signal still open is added to `held_back` for that month.
fn build_month(
    c: &mut AnyConnection,
    programme: Option<&str>,
    month: Month,
    held_back: &mut BTreeSet<(String, Month)>,
) -> Result<MonthAggregates, AppError> {
    let (live, rolled) = store::on_one_snapshot(c, |c| {
        let live = store::live_signals(c, programme, month.start_utc(), month.next().start_utc())?;
        let rolled = store::rollups(c, programme, &month.to_string(), &month.to_string())?;
        Ok::<_, AppError>((live, rolled))
    })?;
    let mut built = MonthAggregates::new();
    for s in live {
        if s.closed_at.is_none() {
            // Still open: its month is not final yet.
            held_back.insert((s.programme_id.clone(), month));
            continue;
        }
        let (first, close) =
            durations(s.created_at, s.first_attempt_at, s.closed_at, (s.minutes_to_first_attempt, s.minutes_to_close));
        let fact = KeptFact {
            helpline_id: s.helpline_id,
            outcome: reported_outcome(&s.status, s.outcome.as_deref()),
            relay_training_status: s.relay_training_status,
            region: s.region,
            relay_kind: s.relay_kind,
            urgency: s.urgency,
            language: s.language,
            count: 1,
            first_attempt: histogram(first),
            close: histogram(close),
        };
        aggregate(&mut built, s.programme_id, month, fact);
    }
    for r in rolled {
        let corrupt = || AppError::internal("corrupt rollup histogram");
        let fact = KeptFact {
            helpline_id: r.helpline_id,
            relay_training_status: r.relay_training_status,
            region: r.region,
            relay_kind: r.relay_kind,
            urgency: r.urgency,
            outcome: r.outcome,
            language: r.language,
            count: i64::from(r.signals),
            first_attempt: Histogram::from_json(&r.first_attempt_minutes).ok_or_else(corrupt)?,
            close: Histogram::from_json(&r.close_minutes).ok_or_else(corrupt)?,
        };
        aggregate(&mut built, r.programme_id, month, fact);
    }
    Ok(built)
}

fn histogram(minutes: Option<i32>) -> Histogram {
    let mut h = Histogram::default();
    if let Some(m) = minutes {
        h.add(m, 1);
    }
    h
}

/// Active relay points with one region, kind and training status.
#[derive(Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct CoverageRow {
    pub region: String,
    pub kind: String,
    pub training_status: String,
    pub relay_points: i64,
}

/// Coverage of one programme.
#[derive(Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct ProgrammeCoverage {
    pub programme_id: String,
    pub programme_code: String,
    /// Active relay points.
    pub relay_points: i64,
    pub rows: Vec<CoverageRow>,
}

/// Answer of `GET /api/v1/stats/coverage`.
#[derive(Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct Coverage {
    pub as_of: NaiveDate,
    pub programmes: Vec<ProgrammeCoverage>,
}

pub async fn coverage(
    state: &AppState,
    auth: &AuthUser,
    asked: Option<ProgrammeId>,
    as_of: NaiveDate,
) -> Result<Coverage, AppError> {
    let programme = programme_scope(auth, asked)?.map(|p| p.to_string());
    let cache = state.training_statuses.clone();
    state
        .db
        .run(move |c| {
            let programmes = store::programmes(c, programme.as_deref())?;
            if programme.is_some() && programmes.is_empty() {
                return Err(AppError::NotFound);
            }
            let mut out = Vec::new();
            for (id, code) in programmes {
                let (cells, relay_points) = coverage_cells(c, Some(&cache), &id, as_of)?;
                let rows = cells
                    .into_iter()
                    .map(|((region, kind, status), n)| CoverageRow {
                        region,
                        kind,
                        training_status: status.to_string(),
                        relay_points: n,
                    })
                    .collect();
                out.push(ProgrammeCoverage { programme_id: id, programme_code: code, relay_points, rows });
            }
            Ok(Coverage { as_of, programmes: out })
        })
        .await
}

/// Active relay points by (region, kind, training status).
type CoverageCells = BTreeMap<(String, String, &'static str), i64>;

/// Active relay points of a programme by (region, kind, training status) on
/// `as_of`, and their number: four queries whatever the programme's size.
/// (`cache`: the server's kept statuses; the retention job derives them afresh.)
fn coverage_cells(
    c: &mut AnyConnection,
    cache: Option<&StatusCache>,
    programme: &str,
    as_of: NaiveDate,
) -> Result<(CoverageCells, i64), AppError> {
    let pid = ProgrammeId::parse(programme).ok_or_else(|| AppError::internal("corrupt programme id"))?;
    let statuses = match cache {
        Some(cache) => cache.statuses(c, pid, as_of)?,
        None => std::sync::Arc::new(programme_statuses(c, pid, as_of)?),
    };
    let mut cells = CoverageCells::new();
    let relays = store::active_relay_points(c, programme)?;
    for (relay, region, kind) in &relays {
        let status = RelayPointId::parse(relay).map(|r| statuses.of(r).as_str()).unwrap_or("untrained");
        *cells.entry((region.clone(), kind.clone(), status)).or_default() += 1;
    }
    Ok((cells, relays.len() as i64))
}

/// Records the day's coverage of every programme (active relay points by region
/// and training status), replacing what an earlier run recorded for the same day.
/// The retention job calls it on each run; coverage history reads it back.
pub fn record_coverage(c: &mut AnyConnection, day: NaiveDate) -> Result<usize, AppError> {
    let mut written = 0;
    for (id, _) in store::programmes(c, None)? {
        let (cells, _) = coverage_cells(c, None, &id, day)?;
        let mut by: BTreeMap<(String, &'static str), i64> = BTreeMap::new();
        for ((region, _, status), n) in cells {
            *by.entry((region, status)).or_default() += n;
        }
        let rows: Vec<CoverageSnapshotRow> = by
            .into_iter()
            .map(|((region, status), n)| CoverageSnapshotRow {
                day,
                programme_id: id.clone(),
                region,
                training_status: status.to_string(),
                relay_points: i32::try_from(n).unwrap_or(i32::MAX),
            })
            .collect();
        written += store::replace_coverage_snapshot(c, &id, day, &rows)?;
    }
    Ok(written)
}

/// Longest span of days one coverage-history request may ask for (ten years).
pub const MAX_HISTORY_DAYS: i64 = 3660;

/// Which recorded days a coverage history shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Every {
    /// Every recorded day.
    #[default]
    Day,
    /// The last recorded day of each month.
    Month,
}

/// What a coverage-history request asks for, parsed.
pub struct CoverageHistoryRequest {
    pub programme: Option<ProgrammeId>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub region: Option<Region>,
    pub every: Every,
}

/// Active relay points by training status (in one region, or all).
#[derive(Debug, Clone, Default, Serialize, ToSchema, PartialEq, Eq)]
pub struct StatusCounts {
    pub relay_points: i64,
    pub trained: i64,
    pub expiring: i64,
    pub lapsed: i64,
    pub untrained: i64,
}

impl StatusCounts {
    fn add(&mut self, status: &str, n: i64) {
        self.relay_points += n;
        match status {
            "trained" => self.trained += n,
            "expiring" => self.expiring += n,
            "lapsed" => self.lapsed += n,
            _ => self.untrained += n,
        }
    }

    /// `(status, count)` in the order charts draw them.
    pub fn by_status(&self) -> [(&'static str, i64); 4] {
        [("trained", self.trained), ("expiring", self.expiring), ("lapsed", self.lapsed), ("untrained", self.untrained)]
    }
}

/// One region's coverage on a day.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct RegionCoverage {
    pub region: String,
    #[serde(flatten)]
    pub counts: StatusCounts,
}

/// A programme's coverage on one recorded day.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct CoveragePoint {
    pub day: NaiveDate,
    /// Every region asked for, together.
    #[serde(flatten)]
    pub counts: StatusCounts,
    pub regions: Vec<RegionCoverage>,
}

/// Coverage history of one programme.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct ProgrammeCoverageHistory {
    pub programme_id: String,
    pub programme_code: String,
    /// Recorded days, oldest first (days the job did not run are absent).
    pub points: Vec<CoveragePoint>,
}

/// Answer of `GET /api/v1/stats/coverage-history`.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct CoverageHistory {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub every: Every,
    /// The one region asked for, or null for all.
    pub region: Option<Region>,
    pub programmes: Vec<ProgrammeCoverageHistory>,
}

pub async fn coverage_history(
    state: &AppState,
    auth: &AuthUser,
    req: CoverageHistoryRequest,
) -> Result<CoverageHistory, AppError> {
    let programme = programme_scope(auth, req.programme)?.map(|p| p.to_string());
    let to = req.to.unwrap_or_else(crate::domain::today);
    let from = req.from.unwrap_or_else(|| to - chrono::Duration::days(364));
    if from > to {
        return Err(AppError::invalid("from", "must not be after `to`"));
    }
    if (to - from).num_days() >= MAX_HISTORY_DAYS {
        return Err(AppError::invalid("from", format!("at most {MAX_HISTORY_DAYS} days per request")));
    }
    let (region, every) = (req.region, req.every);
    state
        .db
        .run(move |c| {
            let programmes = store::programmes(c, programme.as_deref())?;
            if programme.is_some() && programmes.is_empty() {
                return Err(AppError::NotFound);
            }
            let rows = store::coverage_snapshots(c, programme.as_deref(), region.map(Region::as_str), from, to)?;
            let mut by_programme: HashMap<String, BTreeMap<NaiveDate, Vec<CoverageSnapshotRow>>> = HashMap::new();
            for r in rows {
                by_programme.entry(r.programme_id.clone()).or_default().entry(r.day).or_default().push(r);
            }
            let programmes = programmes
                .into_iter()
                .map(|(id, code)| {
                    let days = by_programme.remove(&id).unwrap_or_default();
                    ProgrammeCoverageHistory { programme_id: id, programme_code: code, points: points(days, every) }
                })
                .collect();
            Ok(CoverageHistory { from, to, every, region, programmes })
        })
        .await
}

/// The points of one programme from its rows by day, every day or each month's last.
fn points(days: BTreeMap<NaiveDate, Vec<CoverageSnapshotRow>>, every: Every) -> Vec<CoveragePoint> {
    let mut kept: Vec<(NaiveDate, Vec<CoverageSnapshotRow>)> = Vec::new();
    for (day, rows) in days {
        if every == Every::Month
            && let Some(last) = kept.last_mut()
            && (last.0.year(), last.0.month()) == (day.year(), day.month())
        {
            *last = (day, rows);
            continue;
        }
        kept.push((day, rows));
    }
    kept.into_iter()
        .map(|(day, rows)| {
            let mut counts = StatusCounts::default();
            let mut regions: BTreeMap<String, StatusCounts> = BTreeMap::new();
            for r in rows {
                counts.add(&r.training_status, i64::from(r.relay_points));
                regions.entry(r.region).or_default().add(&r.training_status, i64::from(r.relay_points));
            }
            let regions = regions.into_iter().map(|(region, counts)| RegionCoverage { region, counts }).collect();
            CoveragePoint { day, counts, regions }
        })
        .collect()
}

/// The programmes the caller may see, as (id, code), by code.
pub async fn visible_programmes(state: &AppState, auth: &AuthUser) -> Result<Vec<(ProgrammeId, String)>, AppError> {
    let only = programme_scope(auth, None)?.map(|p| p.to_string());
    state
        .db
        .run(move |c| {
            Ok(store::programmes(c, only.as_deref())?
                .into_iter()
                .filter_map(|(id, code)| ProgrammeId::parse(&id).map(|p| (p, code)))
                .collect())
        })
        .await
}
