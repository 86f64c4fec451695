//! The impact figures for programme managers (their programme) and admins (any
//! one programme): coverage over time, signals per month by region, urgency,
//! relay kind and outcome, time to the first callback attempt and the share of
//! signals from relay points not trained — each a chart drawn here as SVG with
//! its figures in a table beside it and a CSV download of the same figures — and
//! a one-page quarterly report to print.
//!
//! Every figure comes from the statistics service (`stats::service`), the very
//! calls behind `/api/v1/stats/*`, so a page and the API never disagree and small
//! cells are hidden by the same function. The page adds no total of its own (no
//! sum over months, regions or programmes): such a sum, set against the monthly
//! cells, could give a hidden one away. Four breakdowns are built from one read
//! of the facts (`signals_by`), and coverage from one read of the daily
//! snapshots.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{Duration, NaiveDate};
use serde::Deserialize;

use super::i18n::Tr;
use super::pages::{Layout, Stop, error_page, message, render, signed_in};
use super::session::ConsoleSession;
use crate::domain::{ProgrammeId, Region, Role};
use crate::http::error::AppError;
use crate::state::AppState;
use crate::stats::model::{Cell, Dimension, Month};
use crate::stats::report::{MonthFigures, Times};
use crate::stats::service::{
    self as stats, CoverageHistory, CoverageHistoryRequest, CoveragePoint, Every, SignalStats, SignalsRequest,
    StatusCounts,
};

// ---------------------------------------------------------------------------
// Charts: plain data the SVG partial draws

/// Drawing area of every chart (the SVG scales to its box).
const W: f64 = 720.0;
const H: f64 = 300.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 44.0;

/// Fills of the series: a colour-blind-safe colour *and* a pattern each, so no
/// series is told apart by colour alone (the patterns are in `impact_defs.html`).
const SERIES: [&str; 10] = [
    "url(#fill-0)",
    "url(#fill-1)",
    "url(#fill-2)",
    "url(#fill-3)",
    "url(#fill-4)",
    "url(#fill-5)",
    "url(#fill-6)",
    "url(#fill-7)",
    "url(#fill-8)",
    "url(#fill-9)",
];

pub struct Rect {
    pub x: String,
    pub y: String,
    pub w: String,
    pub h: String,
    pub fill: String,
    /// A hidden count: drawn as a dashed outline, not a bar.
    pub hidden: bool,
    pub title: String,
}

pub struct Text {
    pub x: String,
    pub y: String,
    pub anchor: &'static str,
    pub text: String,
}

pub struct Gridline {
    pub y: String,
}

pub struct Series {
    pub points: Vec<(String, String, String)>,
    /// Polyline segments (a hidden value breaks the line).
    pub segments: Vec<String>,
    pub dashed: bool,
    pub square: bool,
}

pub struct LegendItem {
    pub label: String,
    pub fill: String,
    /// Drawn as a line with a marker (a time series) rather than a bar swatch.
    pub line: Option<(bool, bool)>,
}

pub struct Svg {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub grid: Vec<Gridline>,
    pub y_labels: Vec<Text>,
    pub x_labels: Vec<Text>,
    pub bars: Vec<Rect>,
    pub series: Vec<Series>,
    pub axis_label: String,
    /// Some count is hidden (the legend then explains the dashed outline).
    pub hidden_any: bool,
}

pub struct TableRow {
    pub head: String,
    pub cells: Vec<String>,
}

/// The figures of a chart, as shown and as downloaded.
pub struct Table {
    pub caption: String,
    pub head: Vec<String>,
    pub rows: Vec<TableRow>,
    /// CSV: column keys and the values (a hidden share or time is empty there).
    pub csv_head: Vec<String>,
    pub csv_rows: Vec<Vec<String>>,
}

pub struct Figure {
    pub key: &'static str,
    pub title: String,
    pub svg: Svg,
    pub legend: Vec<LegendItem>,
    pub table: Table,
    pub note: Option<String>,
}

fn f1(v: f64) -> String {
    format!("{v:.1}")
}

/// A round maximum for an axis and its ticks.
fn scale(max: f64) -> (f64, Vec<f64>) {
    if max <= 0.0 {
        return (5.0, vec![0.0, 5.0]);
    }
    let raw = max / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag);
    let step = if step < 1.0 { 1.0 } else { step };
    let top = (max / step).ceil() * step;
    let ticks = (0..=((top / step).round() as i64)).map(|i| i as f64 * step).collect();
    (top, ticks)
}

struct Frame {
    top: f64,
    slots: usize,
}

impl Frame {
    fn y(&self, v: f64) -> f64 {
        TOP + (H - TOP - BOTTOM) * (1.0 - v / self.top)
    }
    fn slot(&self) -> f64 {
        (W - LEFT - RIGHT) / self.slots.max(1) as f64
    }
    fn x(&self, i: usize) -> f64 {
        LEFT + self.slot() * i as f64
    }
}

fn svg(id: &str, title: String, desc: String, axis_label: String, max: f64, labels: &[String]) -> (Svg, Frame) {
    let (top, ticks) = scale(max);
    let frame = Frame { top, slots: labels.len() };
    let fmt = |t: f64| if t.fract() == 0.0 { format!("{t:.0}") } else { format!("{t}") };
    let stride = labels.len().div_ceil(12).max(1);
    let svg = Svg {
        id: id.to_string(),
        title,
        desc,
        grid: ticks.iter().map(|t| Gridline { y: f1(frame.y(*t)) }).collect(),
        y_labels: ticks
            .iter()
            .map(|t| Text { x: f1(LEFT - 6.0), y: f1(frame.y(*t) + 4.0), anchor: "end", text: fmt(*t) })
            .collect(),
        x_labels: labels
            .iter()
            .enumerate()
            .filter(|(i, _)| i % stride == 0)
            .map(|(i, l)| Text {
                x: f1(frame.x(i) + frame.slot() / 2.0),
                y: f1(H - BOTTOM + 16.0),
                anchor: "middle",
                text: l.clone(),
            })
            .collect(),
        bars: Vec::new(),
        series: Vec::new(),
        axis_label,
        hidden_any: false,
    };
    (svg, frame)
}

/// Grouped bars: for each slot, one bar per series; `None` is a hidden count.
fn grouped_bars(svg: &mut Svg, frame: &Frame, values: &[Vec<Option<i64>>], names: &[String], labels: &[String]) {
    let n = names.len().max(1) as f64;
    let inner = (frame.slot() * 0.8).min(36.0 * n);
    let bw = inner / n;
    for (i, row) in values.iter().enumerate() {
        let x0 = frame.x(i) + (frame.slot() - inner) / 2.0;
        for (j, v) in row.iter().enumerate() {
            let x = x0 + bw * j as f64;
            let (value, hidden) = match v {
                Some(v) => (*v as f64, false),
                None => (crate::stats::model::SMALL_CELL_MAX as f64, true),
            };
            let y = frame.y(value);
            let shown = v.map_or_else(|| "<5".to_string(), |v| v.to_string());
            svg.hidden_any |= hidden;
            svg.bars.push(Rect {
                x: f1(x + 0.5),
                y: f1(y),
                w: f1((bw - 1.0).max(1.0)),
                h: f1(frame.y(0.0) - y),
                fill: SERIES[j % SERIES.len()].to_string(),
                hidden,
                title: format!("{} · {}: {shown}", labels[i], names[j]),
            });
        }
    }
}

fn cell_value(c: Cell) -> Option<i64> {
    c.count()
}

fn label(tr: Tr, prefix: &str, value: &str) -> String {
    let key = format!("{prefix}.{value}");
    let t = tr.t(&key);
    if t == key { value.to_string() } else { t.to_string() }
}

fn dimension_prefix(d: Dimension) -> &'static str {
    match d {
        Dimension::Region => "region",
        Dimension::Urgency => "urgency",
        Dimension::RelayKind => "kind",
        Dimension::Outcome => "outcome",
        _ => "value",
    }
}

fn figure_key(d: Dimension) -> &'static str {
    match d {
        Dimension::Region => "region",
        Dimension::Urgency => "urgency",
        Dimension::RelayKind => "relay_kind",
        Dimension::Outcome => "outcome",
        _ => "other",
    }
}

/// Signals per month broken down by one dimension.
fn breakdown_figure(tr: Tr, code: &str, stats: &SignalStats) -> Figure {
    let months: &[MonthFigures] = stats.programmes.first().map(|p| p.months.as_slice()).unwrap_or_default();
    let mut values: Vec<String> = months.iter().flat_map(|m| m.breakdown.iter().map(|b| b.value.clone())).collect();
    values.sort();
    values.dedup();
    let prefix = dimension_prefix(stats.by);
    let names: Vec<String> = values.iter().map(|v| label(tr, prefix, v)).collect();
    let labels: Vec<String> = months.iter().map(|m| m.month.clone()).collect();
    let cell = |m: &MonthFigures, v: &str| -> Cell {
        m.breakdown.iter().find(|b| b.value == v).map_or(Cell::Count(0), |b| b.signals)
    };
    let grid: Vec<Vec<Option<i64>>> =
        months.iter().map(|m| values.iter().map(|v| cell_value(cell(m, v))).collect()).collect();
    let max = grid.iter().flatten().map(|v| v.unwrap_or(4)).max().unwrap_or(0) as f64;
    let key = figure_key(stats.by);
    let title = tr.t(&format!("impact.fig.{key}")).to_string();
    let desc = format!("{} {}", tr.t("impact.desc.bars"), tr.t("impact.desc.hidden"));
    let (mut s, frame) =
        svg(&format!("chart-{key}"), title.clone(), desc, tr.t("impact.axis.signals").into(), max, &labels);
    grouped_bars(&mut s, &frame, &grid, &names, &labels);
    let mut head = vec![tr.t("impact.col.month").to_string(), tr.t("impact.col.all").to_string()];
    head.extend(names.iter().cloned());
    let mut csv_head = vec!["programme".to_string(), "month".to_string(), "signals".to_string()];
    csv_head.extend(values.iter().cloned());
    let rows = months
        .iter()
        .map(|m| TableRow {
            head: m.month.clone(),
            cells: std::iter::once(m.signals.to_string())
                .chain(values.iter().map(|v| cell(m, v).to_string()))
                .collect(),
        })
        .collect::<Vec<_>>();
    let csv_rows = rows
        .iter()
        .map(|r| [code.to_string(), r.head.clone()].into_iter().chain(r.cells.iter().cloned()).collect())
        .collect();
    Figure {
        key,
        title: title.clone(),
        legend: names
            .iter()
            .enumerate()
            .map(|(j, n)| LegendItem { label: n.clone(), fill: SERIES[j % SERIES.len()].into(), line: None })
            .collect(),
        svg: s,
        table: Table { caption: title, head, rows, csv_head, csv_rows },
        note: None,
    }
}

fn times_cell(tr: Tr, t: Option<Times>, f: fn(Times) -> i32) -> (String, String) {
    match t {
        Some(t) => (f(t).to_string(), f(t).to_string()),
        None => (tr.t("impact.not_shown").to_string(), String::new()),
    }
}

/// Median and p90 minutes from submission to the first call attempt, per month.
fn times_figure(tr: Tr, code: &str, stats: &SignalStats) -> Figure {
    let months: &[MonthFigures] = stats.programmes.first().map(|p| p.months.as_slice()).unwrap_or_default();
    let labels: Vec<String> = months.iter().map(|m| m.month.clone()).collect();
    let max = months.iter().filter_map(|m| m.minutes_to_first_attempt.map(|t| t.p90)).max().unwrap_or(0) as f64;
    let title = tr.t("impact.fig.first_attempt").to_string();
    let desc = tr.t("impact.desc.times").to_string();
    let (mut s, frame) =
        svg("chart-first_attempt", title.clone(), desc, tr.t("impact.axis.minutes").into(), max, &labels);
    // The p90 first: where both coincide, the median's circle is drawn over its square.
    for (k, pick) in [(1, (|t: Times| t.p90) as fn(Times) -> i32), (0, |t: Times| t.median)] {
        let mut series = Series { points: Vec::new(), segments: Vec::new(), dashed: k == 1, square: k == 1 };
        let mut current: Vec<String> = Vec::new();
        for (i, m) in months.iter().enumerate() {
            match m.minutes_to_first_attempt {
                Some(t) => {
                    let (x, y) = (frame.x(i) + frame.slot() / 2.0, frame.y(f64::from(pick(t))));
                    let name = tr.t(if k == 0 { "impact.col.median" } else { "impact.col.p90" });
                    series.points.push((f1(x), f1(y), format!("{} · {name}: {} min", m.month, pick(t))));
                    current.push(format!("{},{}", f1(x), f1(y)));
                }
                None => {
                    if !current.is_empty() {
                        series.segments.push(current.join(" "));
                    }
                    current.clear();
                }
            }
        }
        if !current.is_empty() {
            series.segments.push(current.join(" "));
        }
        s.series.push(series);
    }
    let head = vec![
        tr.t("impact.col.month").to_string(),
        tr.t("impact.col.median").to_string(),
        tr.t("impact.col.p90").to_string(),
    ];
    let mut rows = Vec::new();
    let mut csv_rows = Vec::new();
    for m in months {
        let (med, med_csv) = times_cell(tr, m.minutes_to_first_attempt, |t| t.median);
        let (p90, p90_csv) = times_cell(tr, m.minutes_to_first_attempt, |t| t.p90);
        rows.push(TableRow { head: m.month.clone(), cells: vec![med, p90] });
        csv_rows.push(vec![code.to_string(), m.month.clone(), med_csv, p90_csv]);
    }
    Figure {
        key: "first_attempt",
        title: title.clone(),
        legend: vec![
            LegendItem { label: tr.t("impact.col.median").into(), fill: "#0072b2".into(), line: Some((false, false)) },
            LegendItem { label: tr.t("impact.col.p90").into(), fill: "#a6501c".into(), line: Some((true, true)) },
        ],
        svg: s,
        table: Table {
            caption: title,
            head,
            rows,
            csv_head: ["programme", "month", "median_minutes", "p90_minutes"].map(String::from).to_vec(),
            csv_rows,
        },
        note: Some(tr.t("impact.note.times").to_string()),
    }
}

/// Share of signals from relay points not trained when they filed, per month.
fn untrained_figure(tr: Tr, code: &str, stats: &SignalStats) -> Figure {
    let months: &[MonthFigures] = stats.programmes.first().map(|p| p.months.as_slice()).unwrap_or_default();
    let labels: Vec<String> = months.iter().map(|m| m.month.clone()).collect();
    let pct = |m: &MonthFigures| m.share_not_trained.map(|s| (s * 1000.0).round() / 10.0);
    let max = months.iter().filter_map(pct).fold(0.0, f64::max).max(10.0);
    let title = tr.t("impact.fig.not_trained").to_string();
    let desc = tr.t("impact.desc.share").to_string();
    let (mut s, frame) = svg("chart-not_trained", title.clone(), desc, "%".into(), max, &labels);
    for (i, m) in months.iter().enumerate() {
        if let Some(p) = pct(m) {
            let y = frame.y(p);
            let w = (frame.slot() * 0.5).min(48.0);
            s.bars.push(Rect {
                x: f1(frame.x(i) + (frame.slot() - w) / 2.0),
                y: f1(y),
                w: f1(w),
                h: f1(frame.y(0.0) - y),
                fill: SERIES[3].into(),
                hidden: false,
                title: format!("{}: {p} %", m.month),
            });
        }
    }
    let mut rows = Vec::new();
    let mut csv_rows = Vec::new();
    for m in months {
        let (shown, csv) = match pct(m) {
            Some(p) => (format!("{p} %"), m.share_not_trained.map(|s| s.to_string()).unwrap_or_default()),
            None => (tr.t("impact.not_shown").to_string(), String::new()),
        };
        rows.push(TableRow { head: m.month.clone(), cells: vec![m.signals.to_string(), shown] });
        csv_rows.push(vec![code.to_string(), m.month.clone(), m.signals.to_string(), csv]);
    }
    Figure {
        key: "not_trained",
        title: title.clone(),
        legend: Vec::new(),
        svg: s,
        table: Table {
            caption: title,
            head: vec![tr.t("impact.col.month").into(), tr.t("impact.col.all").into(), tr.t("impact.col.share").into()],
            rows,
            csv_head: ["programme", "month", "signals", "share_not_trained"].map(String::from).to_vec(),
            csv_rows,
        },
        note: Some(tr.t("impact.note.share").to_string()),
    }
}

const STATUSES: [&str; 4] = ["trained", "expiring", "lapsed", "untrained"];
/// Coverage statuses keep their own fills (a pattern each) across pages.
const STATUS_FILLS: [&str; 4] = ["url(#fill-0)", "url(#fill-1)", "url(#fill-3)", "url(#fill-6)"];

/// Coverage over time: stacked bars of relay points by training status.
fn coverage_figure(tr: Tr, code: &str, history: &CoverageHistory, region: Option<Region>) -> Figure {
    let points: &[CoveragePoint] = history.programmes.first().map(|p| p.points.as_slice()).unwrap_or_default();
    let labels: Vec<String> = points.iter().map(|p| p.day.format("%Y-%m").to_string()).collect();
    let max = points.iter().map(|p| p.counts.relay_points).max().unwrap_or(0) as f64;
    let title = tr.t("impact.fig.coverage").to_string();
    let where_ = region.map_or_else(|| tr.t("impact.all_regions").to_string(), |r| label(tr, "region", r.as_str()));
    let desc = format!("{} ({where_})", tr.t("impact.desc.coverage"));
    let (mut s, frame) = svg("chart-coverage", title.clone(), desc, tr.t("impact.axis.relays").into(), max, &labels);
    for (i, p) in points.iter().enumerate() {
        let mut base = 0.0;
        for (k, (status, n)) in p.counts.by_status().into_iter().enumerate() {
            if n == 0 {
                continue;
            }
            let (y0, y1) = (frame.y(base), frame.y(base + n as f64));
            base += n as f64;
            let w = (frame.slot() * 0.7).min(64.0);
            s.bars.push(Rect {
                x: f1(frame.x(i) + (frame.slot() - w) / 2.0),
                y: f1(y1),
                w: f1(w),
                h: f1(y0 - y1),
                fill: STATUS_FILLS[k].into(),
                hidden: false,
                title: format!("{} · {}: {n}", p.day, label(tr, "cover", status)),
            });
        }
    }
    let names: Vec<String> = STATUSES.iter().map(|st| label(tr, "cover", st)).collect();
    let mut head = vec![tr.t("impact.col.day").to_string()];
    head.extend(names.iter().cloned());
    head.push(tr.t("impact.col.relays").into());
    let counts = |c: &StatusCounts| -> Vec<String> {
        c.by_status().iter().map(|(_, n)| n.to_string()).chain(std::iter::once(c.relay_points.to_string())).collect()
    };
    let rows = points.iter().map(|p| TableRow { head: p.day.to_string(), cells: counts(&p.counts) }).collect();
    // The CSV also holds each region on its own.
    let mut csv_rows = Vec::new();
    for p in points {
        let all = region.map_or("all", Region::as_str).to_string();
        csv_rows.push([code.to_string(), p.day.to_string(), all].into_iter().chain(counts(&p.counts)).collect());
        if region.is_none() {
            for r in &p.regions {
                csv_rows.push(
                    [code.to_string(), p.day.to_string(), r.region.clone()]
                        .into_iter()
                        .chain(counts(&r.counts))
                        .collect(),
                );
            }
        }
    }
    Figure {
        key: "coverage",
        title: title.clone(),
        legend: names
            .iter()
            .zip(STATUS_FILLS)
            .map(|(n, fill)| LegendItem { label: n.clone(), fill: fill.into(), line: None })
            .collect(),
        svg: s,
        table: Table {
            caption: format!("{title} ({where_})"),
            head,
            rows,
            csv_head: ["programme", "day", "region", "trained", "expiring", "lapsed", "untrained", "relay_points"]
                .map(String::from)
                .to_vec(),
            csv_rows,
        },
        note: Some(tr.t("impact.note.coverage").to_string()),
    }
}

/// Coverage on the last recorded day, one row per region.
fn coverage_by_region(tr: Tr, history: &CoverageHistory) -> Option<(String, Table)> {
    let last = history.programmes.first()?.points.last()?;
    let mut head = vec![tr.t("impact.col.region").to_string()];
    head.extend(STATUSES.iter().map(|st| label(tr, "cover", st)));
    head.push(tr.t("impact.col.relays").into());
    let rows = last
        .regions
        .iter()
        .map(|r| TableRow {
            head: label(tr, "region", &r.region),
            cells: r
                .counts
                .by_status()
                .iter()
                .map(|(_, n)| n.to_string())
                .chain([r.counts.relay_points.to_string()])
                .collect(),
        })
        .collect();
    let caption = format!("{} {}", tr.t("impact.by_region_on"), last.day.format("%d/%m/%Y"));
    Some((last.day.to_string(), Table { caption, head, rows, csv_head: Vec::new(), csv_rows: Vec::new() }))
}

// ---------------------------------------------------------------------------
// Requests

/// The dashboard's filters (also the CSV downloads').
#[derive(Debug, Deserialize, Default)]
pub struct ImpactQuery {
    programme: Option<String>,
    from: Option<String>,
    to: Option<String>,
    region: Option<String>,
}

struct Filters {
    programme: Option<ProgrammeId>,
    from: Month,
    to: Month,
    region: Option<Region>,
}

fn blank(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn parse_filters(q: &ImpactQuery, state: &AppState) -> Option<Filters> {
    let programme = match blank(&q.programme) {
        Some(p) => Some(ProgrammeId::parse(p)?),
        None => None,
    };
    let region = match blank(&q.region) {
        Some(r) => Some(r.parse::<Region>().ok()?),
        None => None,
    };
    let now = crate::db::now();
    let last_final = crate::stats::model::last_final_month(now, state.settings.contact_retention_days);
    let to = match blank(&q.to) {
        Some(m) => m.parse::<Month>().ok()?,
        None => Month::of(now),
    };
    let from = match blank(&q.from) {
        Some(m) => m.parse::<Month>().ok()?,
        None => last_final.min(to).minus(11),
    };
    Some(Filters { programme, from, to, region })
}

fn allowed(s: &ConsoleSession) -> Result<(), Stop> {
    if matches!(s.auth.role, Role::Admin | Role::ProgrammeManager) {
        Ok(())
    } else {
        Err(Box::new(message(StatusCode::FORBIDDEN, Tr(s.language), Some(&s.csrf), "error.title", "error.forbidden")))
    }
}

fn bad_filters(s: &ConsoleSession) -> HttpResponse {
    message(StatusCode::BAD_REQUEST, Tr(s.language), Some(&s.csrf), "error.title", "impact.bad_filters")
}

/// A service error as a page: bad filters, a programme out of scope, or the rest.
fn failed(s: &ConsoleSession, e: AppError) -> HttpResponse {
    let tr = Tr(s.language);
    match e {
        AppError::Validation(_) => bad_filters(s),
        AppError::NotFound => message(StatusCode::NOT_FOUND, tr, Some(&s.csrf), "error.title", "impact.not_found"),
        e => error_page(tr, Some(&s.csrf), e),
    }
}

fn last_day(m: Month) -> NaiveDate {
    let next = m.next().start_utc() + Duration::hours(12);
    next.date() - Duration::days(1)
}

fn first_day(m: Month) -> NaiveDate {
    (m.start_utc() + Duration::hours(12)).date()
}

/// Everything the dashboard and the downloads show: two service calls.
struct Impact {
    programmes: Vec<(ProgrammeId, String)>,
    programme: ProgrammeId,
    code: String,
    last_final: String,
    figures: Vec<Figure>,
    by_region: Option<(String, Table)>,
}

async fn impact(state: &AppState, s: &ConsoleSession, f: &Filters) -> Result<Impact, AppError> {
    let tr = Tr(s.language);
    let programmes = stats::visible_programmes(state, &s.auth).await?;
    let (programme, code) = match f.programme {
        Some(p) => {
            let found = programmes.iter().find(|(id, _)| *id == p).cloned();
            // A manager naming another programme, or an unknown one: not found.
            found.ok_or(AppError::NotFound)?
        }
        None => programmes.first().cloned().ok_or(AppError::NotFound)?,
    };
    let req = SignalsRequest { programme: Some(programme), from: Some(f.from), to: Some(f.to), by: Dimension::Region };
    let dims = [Dimension::Region, Dimension::Urgency, Dimension::RelayKind, Dimension::Outcome];
    let by = stats::signals_by(state, &s.auth, req, &dims).await?;
    let today = crate::domain::today();
    let history = stats::coverage_history(
        state,
        &s.auth,
        CoverageHistoryRequest {
            programme: Some(programme),
            from: Some(first_day(f.from).min(today)),
            to: Some(last_day(f.to).min(today)),
            region: f.region,
            every: Every::Month,
        },
    )
    .await?;
    let mut figures = vec![coverage_figure(tr, &code, &history, f.region)];
    figures.extend(by.iter().map(|st| breakdown_figure(tr, &code, st)));
    if let Some(first) = by.first() {
        figures.push(times_figure(tr, &code, first));
        figures.push(untrained_figure(tr, &code, first));
    }
    Ok(Impact {
        last_final: by.first().map(|b| b.last_final_month.clone()).unwrap_or_default(),
        by_region: coverage_by_region(tr, &history),
        programmes,
        programme,
        code,
        figures,
    })
}

// ---------------------------------------------------------------------------
// Pages

#[derive(Template)]
#[template(path = "console/impact.html")]
struct ImpactPage {
    l: Layout,
    admin: bool,
    programmes: Vec<(String, String)>,
    programme: String,
    code: String,
    from: String,
    to: String,
    region: String,
    regions: Vec<(String, String)>,
    last_final: String,
    query: String,
    figures: Vec<Figure>,
    by_region: Option<(String, Table)>,
    region_note: bool,
    quarters: Vec<String>,
}

fn query_string(programme: ProgrammeId, f: &Filters) -> String {
    let mut q = format!("programme={programme}&from={}&to={}", f.from, f.to);
    if let Some(r) = f.region {
        q.push_str(&format!("&region={}", r.as_str()));
    }
    q
}

/// Quarters of the period, newest first (for the report links).
fn quarters(from: Month, to: Month) -> Vec<String> {
    let mut out = Vec::new();
    let mut m = to;
    while m >= from {
        let label = m.to_string();
        let (y, mo) = (&label[..4], label[5..].parse::<u32>().unwrap_or(1));
        let q = format!("{y}-Q{}", (mo - 1) / 3 + 1);
        if !out.contains(&q) {
            out.push(q);
        }
        m = m.minus(1);
    }
    out
}

/// `GET /console/impact`: the dashboard.
pub async fn page(req: HttpRequest, state: web::Data<AppState>, q: web::Query<ImpactQuery>) -> HttpResponse {
    let s = match signed_in(&req, &state, true).await.and_then(|s| allowed(&s).map(|_| s)) {
        Ok(s) => s,
        Err(res) => return *res,
    };
    let tr = Tr(s.language);
    let Some(f) = parse_filters(&q, &state) else { return bad_filters(&s) };
    let i = match impact(&state, &s, &f).await {
        Ok(i) => i,
        Err(e) => return failed(&s, e),
    };
    let page = ImpactPage {
        l: Layout::new(tr, "impact.title", Some(&s.csrf)).for_role(s.auth.role),
        admin: s.auth.role == Role::Admin,
        programmes: i.programmes.iter().map(|(id, c)| (id.to_string(), c.clone())).collect(),
        programme: i.programme.to_string(),
        code: i.code,
        from: f.from.to_string(),
        to: f.to.to_string(),
        region: f.region.map(|r| r.as_str().to_string()).unwrap_or_default(),
        regions: Region::ALL.iter().map(|r| (r.as_str().to_string(), label(tr, "region", r.as_str()))).collect(),
        last_final: i.last_final,
        query: query_string(i.programme, &f),
        figures: i.figures,
        by_region: i.by_region,
        region_note: f.region.is_some(),
        quarters: quarters(f.from, f.to),
    };
    render(StatusCode::OK, &page)
}

/// `GET /console/impact/{chart}.csv`: one chart's figures.
pub async fn csv(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    q: web::Query<ImpactQuery>,
) -> HttpResponse {
    let s = match signed_in(&req, &state, true).await.and_then(|s| allowed(&s).map(|_| s)) {
        Ok(s) => s,
        Err(res) => return *res,
    };
    let tr = Tr(s.language);
    let Some(chart) = path.strip_suffix(".csv").map(str::to_string) else {
        return message(StatusCode::NOT_FOUND, tr, Some(&s.csrf), "error.title", "impact.no_chart");
    };
    let Some(f) = parse_filters(&q, &state) else { return bad_filters(&s) };
    let i = match impact(&state, &s, &f).await {
        Ok(i) => i,
        Err(e) => return failed(&s, e),
    };
    let Some(fig) = i.figures.iter().find(|fig| fig.key == chart) else {
        return message(StatusCode::NOT_FOUND, tr, Some(&s.csrf), "error.title", "impact.no_chart");
    };
    match table_csv(&fig.table) {
        Ok(body) => HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"impact-{chart}-{}-{}-{}.csv\"", safe_name(&i.code), f.from, f.to),
            ))
            .body(body),
        Err(e) => error_page(tr, Some(&s.csrf), AppError::internal(format!("writing CSV: {e}"))),
    }
}

fn safe_name(code: &str) -> String {
    code.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect()
}

/// Text a spreadsheet would run as a formula gets a leading `'`.
fn safe(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_string() }
}

fn table_csv(t: &Table) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&t.csv_head)?;
    for row in &t.csv_rows {
        w.write_record(row.iter().map(|c| safe(c)))?;
    }
    w.into_inner().map_err(|e| csv::Error::from(std::io::Error::other(e.to_string())))
}

// ---------------------------------------------------------------------------
// The quarterly report

#[derive(Deserialize)]
pub struct ReportQuery {
    programme: Option<String>,
    quarter: Option<String>,
}

/// `YYYY-Qn` → its first and last month.
fn parse_quarter(q: &str) -> Option<(Month, Month)> {
    let (y, n) = q.split_once("-Q")?;
    let n: u32 = n.parse().ok().filter(|n| (1..=4).contains(n))?;
    let first = Month::new(y.parse().ok().filter(|_| y.len() == 4)?, (n - 1) * 3 + 1)?;
    Some((first, first.next().next()))
}

/// The latest quarter whose three months are final.
fn last_final_quarter(last_final: Month) -> String {
    let mut m = last_final;
    loop {
        let label = m.to_string();
        let month: u32 = label[5..].parse().unwrap_or(1);
        if month.is_multiple_of(3) {
            return format!("{}-Q{}", &label[..4], month / 3);
        }
        m = m.minus(1);
    }
}

#[derive(Template)]
#[template(path = "console/impact_report.html")]
struct ReportPage {
    l: Layout,
    code: String,
    quarter: String,
    months: String,
    last_final: String,
    incomplete: bool,
    generated: String,
    back: String,
    query: String,
    coverage: Option<Figure>,
    by_region: Option<(String, Table)>,
    tables: Vec<Table>,
    notes: Vec<String>,
}

/// `GET /console/impact/report?quarter=2026-Q3`: one printable page.
pub async fn report(req: HttpRequest, state: web::Data<AppState>, q: web::Query<ReportQuery>) -> HttpResponse {
    let s = match signed_in(&req, &state, true).await.and_then(|s| allowed(&s).map(|_| s)) {
        Ok(s) => s,
        Err(res) => return *res,
    };
    let tr = Tr(s.language);
    let last_final = crate::stats::model::last_final_month(crate::db::now(), state.settings.contact_retention_days);
    let quarter = blank(&q.quarter).map_or_else(|| last_final_quarter(last_final), str::to_string);
    let Some((from, to)) = parse_quarter(&quarter) else { return bad_filters(&s) };
    let filters = ImpactQuery {
        programme: q.programme.clone(),
        from: Some(from.to_string()),
        to: Some(to.to_string()),
        region: None,
    };
    let Some(f) = parse_filters(&filters, &state) else { return bad_filters(&s) };
    let mut i = match impact(&state, &s, &f).await {
        Ok(i) => i,
        Err(e) => return failed(&s, e),
    };
    let coverage = (!i.figures.is_empty()).then(|| i.figures.remove(0));
    let mut notes = Vec::new();
    let mut tables = Vec::new();
    for fig in i.figures {
        if let Some(n) = fig.note {
            notes.push(n);
        }
        tables.push(fig.table);
    }
    notes.dedup();
    let page = ReportPage {
        l: Layout::new(tr, "impact.report.title", Some(&s.csrf)).for_role(s.auth.role),
        code: i.code,
        months: format!("{from} – {to}"),
        incomplete: to > last_final,
        last_final: last_final.to_string(),
        generated: crate::domain::today().format("%d/%m/%Y").to_string(),
        back: format!("/console/impact?programme={}&from={from}&to={to}", i.programme),
        query: query_string(i.programme, &f),
        quarter,
        coverage,
        by_region: i.by_region,
        tables,
        notes,
    };
    render(StatusCode::OK, &page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(scale(0.0).0, 5.0);
        assert_eq!(scale(7.0), (8.0, vec![0.0, 2.0, 4.0, 6.0, 8.0]));
        assert_eq!(scale(130.0).0, 150.0);
        assert_eq!(scale(1.0), (1.0, vec![0.0, 1.0]));
    }

    #[test]
    fn quarters_parse_and_the_last_final_one_is_whole() {
        assert_eq!(
            parse_quarter("2026-Q3").map(|(a, b)| (a.to_string(), b.to_string())),
            Some(("2026-07".into(), "2026-09".into()))
        );
        assert_eq!(parse_quarter("2026-Q5"), None);
        assert_eq!(parse_quarter("26-Q1"), None);
        assert_eq!(parse_quarter("2026-07"), None);
        assert_eq!(last_final_quarter("2026-08".parse().unwrap()), "2026-Q2");
        assert_eq!(last_final_quarter("2026-09".parse().unwrap()), "2026-Q3");
        assert_eq!(
            quarters("2026-02".parse().unwrap(), "2026-07".parse().unwrap()),
            vec!["2026-Q3", "2026-Q2", "2026-Q1"]
        );
    }

    #[test]
    fn csv_cells_never_start_a_formula() {
        assert_eq!(safe("=1+1"), "'=1+1");
        assert_eq!(safe("<5"), "<5");
    }
}
