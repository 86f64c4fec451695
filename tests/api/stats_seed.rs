//! Fixtures for the statistics tests: a programme with relay points in three
//! regions, and signals inserted directly in months long past.

use chrono::{Duration, NaiveDateTime};
use diesel::connection::SimpleConnection;
use reqwest::StatusCode;
use saferelay::stats::model::Month;
use serde_json::Value;

use crate::cases::EVC;
use crate::helpers::TestApp;

/// A signal to insert directly (many, in months long past).
pub struct Seed<'a> {
    pub relay: &'a str,
    pub created: NaiveDateTime,
    pub region: &'a str,
    pub kind: &'a str,
    pub helpline: &'a str,
    pub urgency: &'a str,
    /// `None`: the signal expired.
    pub outcome: Option<&'a str>,
    pub training: &'a str,
    pub first_attempt_min: Option<i64>,
    pub close_min: i64,
}

impl Default for Seed<'_> {
    fn default() -> Self {
        Self {
            relay: "",
            created: NaiveDateTime::default(),
            region: "wallonia",
            kind: "pharmacy",
            helpline: EVC,
            urgency: "standard",
            outcome: Some("referred_support"),
            training: "trained",
            first_attempt_min: Some(30),
            close_min: 600,
        }
    }
}

pub fn ts(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

fn sql_opt(v: Option<String>) -> String {
    v.map_or("NULL".into(), |v| format!("'{v}'"))
}

/// Inserts `n` signals like `s`; returns their ids.
pub fn seed(app: &TestApp, n: usize, s: &Seed<'_>) -> Vec<String> {
    let mut ids = Vec::new();
    let mut sql = String::new();
    for _ in 0..n {
        let id = uuid::Uuid::new_v4().to_string();
        let reference = id.replace('-', "")[..8].to_uppercase();
        let status = if s.outcome.is_some() { "completed" } else { "expired" };
        let first = s.first_attempt_min.map(|m| ts(s.created + Duration::minutes(m)));
        sql.push_str(&format!(
            "INSERT INTO signals (id, reference, relay_point_id, submitted_by, helpline_id, urgency, priority, language, status, region, relay_kind, relay_training_status, expected_callback_at, created_at, updated_at, first_attempt_at, closed_at, outcome)
             VALUES ('{id}', '{reference}', '{relay}', (SELECT id FROM users ORDER BY created_at LIMIT 1), '{helpline}', '{urgency}', 10, 'fr', '{status}', '{region}', '{kind}', '{training}', '{c}', '{c}', '{c}', {first}, '{closed}', {outcome});",
            relay = s.relay,
            helpline = s.helpline,
            urgency = s.urgency,
            region = s.region,
            kind = s.kind,
            training = s.training,
            c = ts(s.created),
            first = sql_opt(first),
            closed = ts(s.created + Duration::minutes(s.close_min)),
            outcome = sql_opt(s.outcome.map(str::to_string)),
        ));
        ids.push(id);
    }
    app.db().batch_execute(&sql).expect("seed signals");
    ids
}

/// A final month `back` months ago, and an instant in it.
pub fn month_ago(back: u32) -> (Month, NaiveDateTime) {
    let m = Month::of(chrono::Utc::now().naive_utc()).minus(back);
    (m, m.start_utc() + Duration::days(9) + Duration::hours(10))
}

pub async fn stats(app: &TestApp, token: &str, query: &str) -> Value {
    let resp = app.get(&format!("/api/v1/stats/signals?{query}"), token).await;
    assert_eq!(resp.status(), StatusCode::OK, "{query}");
    resp.json().await.unwrap()
}

/// A programme with a manager and relay points in Wallonia, Brussels and Flanders.
pub struct Network {
    pub programme: String,
    pub manager: String,
    pub wallonia: String,
    pub brussels: String,
    pub flanders: String,
}

pub async fn network(app: &TestApp, admin: &str, code: &str) -> Network {
    let m = app.programme_with_manager(admin, code, "fr").await;
    let id = |v: Value| v["id"].as_str().unwrap().to_string();
    Network {
        wallonia: id(app.relay(&m.manager, "Pharmacie A", "4000", "pharmacy").await),
        brussels: id(app.relay(&m.manager, "Salon B", "1000", "hairdresser").await),
        flanders: id(app.relay(&m.manager, "Apotheek C", "9000", "pharmacy").await),
        programme: m.programme,
        manager: m.manager,
    }
}
