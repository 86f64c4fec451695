//! Coverage history: the retention job records each day's coverage (active relay
//! points by region and training status); `/api/v1/stats/coverage-history` reads
//! it back, every day or each month's last, for one region or all, with the same
//! role and scope rules as the other statistics.

use chrono::{Duration, NaiveDate};
use diesel::connection::SimpleConnection;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::cases::{EVC, helpline_user};
use crate::helpers::{TestApp, problem};
use crate::on_both_backends;
use crate::retention::purge;
use crate::signals::relay_staff;
use crate::stats_seed::network;

on_both_backends!(
    the_daily_job_records_coverage_and_the_history_reads_it_back,
    coverage_history_keeps_to_the_callers_programme_and_refuses_bad_input,
);

/// Records `n` relay points of `programme` in `region` with `status` on `day`, as
/// the job would have on that day.
pub fn seed_coverage(app: &TestApp, programme: &str, day: NaiveDate, rows: &[(&str, &str, i64)]) {
    let mut sql = String::new();
    for (region, status, n) in rows {
        sql.push_str(&format!(
            "INSERT INTO coverage_snapshots (day, programme_id, region, training_status, relay_points) VALUES ('{day}', '{programme}', '{region}', '{status}', {n});"
        ));
    }
    app.db().batch_execute(&sql).expect("seed coverage");
}

async fn history(app: &TestApp, token: &str, query: &str) -> Value {
    let resp = app.get(&format!("/api/v1/stats/coverage-history?{query}"), token).await;
    assert_eq!(resp.status(), StatusCode::OK, "{query}");
    resp.json().await.unwrap()
}

async fn the_daily_job_records_coverage_and_the_history_reads_it_back(app: TestApp) {
    let admin = app.admin_token().await;
    let n = network(&app, &admin, "hist").await;
    let module = app.module(&n.manager, "Mask-19 basics", 24, true).await;
    let (staff, _) = app.staff(&admin, "anne@example.be", &n.flanders).await;
    let today = saferelay::domain::today();
    app.complete(&n.manager, &staff, &module, &today.format("%Y-%m-%d").to_string()).await;

    // Nothing recorded yet: no point, not a made-up one.
    let h = history(&app, &n.manager, "").await;
    assert_eq!(h["programmes"][0]["points"], json!([]));

    // The job records today (twice the same day: replaced, not doubled).
    let out = purge(&app, None).await;
    assert!(out.contains("coverage rows recorded: 3"), "{out}");
    purge(&app, None).await;
    assert_eq!(app.count(&format!("coverage_snapshots WHERE programme_id = '{}'", n.programme)), 3);

    let h = history(&app, &n.manager, "").await;
    assert_eq!(h["to"], today.to_string());
    assert_eq!(h["from"], (today - Duration::days(364)).to_string());
    assert_eq!(h["every"], "day");
    let point = &h["programmes"][0]["points"][0];
    assert_eq!(point["day"], today.to_string());
    assert_eq!(
        (&point["relay_points"], &point["trained"], &point["untrained"], &point["expiring"], &point["lapsed"]),
        (&json!(3), &json!(1), &json!(2), &json!(0), &json!(0))
    );
    assert_eq!(
        point["regions"],
        json!([
            {"region": "brussels", "relay_points": 1, "trained": 0, "expiring": 0, "lapsed": 0, "untrained": 1},
            {"region": "flanders", "relay_points": 1, "trained": 1, "expiring": 0, "lapsed": 0, "untrained": 0},
            {"region": "wallonia", "relay_points": 1, "trained": 0, "expiring": 0, "lapsed": 0, "untrained": 1},
        ])
    );
    // The same counts as today's coverage.
    let cov: Value = app.get("/api/v1/stats/coverage", &n.manager).await.json().await.unwrap();
    assert_eq!(cov["programmes"][0]["relay_points"], point["relay_points"]);

    // Earlier days: every day, or each month's last recorded day; one region.
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    seed_coverage(&app, &n.programme, d("2026-03-10"), &[("wallonia", "trained", 4), ("flanders", "lapsed", 2)]);
    seed_coverage(&app, &n.programme, d("2026-03-31"), &[("wallonia", "trained", 5), ("flanders", "expiring", 2)]);
    seed_coverage(&app, &n.programme, d("2026-04-15"), &[("wallonia", "untrained", 6)]);
    let q = "from=2026-03-01&to=2026-04-30";
    let days: Vec<Value> = history(&app, &n.manager, q).await["programmes"][0]["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| json!([p["day"], p["relay_points"]]))
        .collect();
    assert_eq!(days, vec![json!(["2026-03-10", 6]), json!(["2026-03-31", 7]), json!(["2026-04-15", 6])]);
    let monthly = history(&app, &n.manager, &format!("{q}&every=month")).await;
    let points = monthly["programmes"][0]["points"].as_array().unwrap();
    assert_eq!(points.len(), 2);
    assert_eq!(
        (&points[0]["day"], &points[0]["trained"], &points[0]["expiring"]),
        (&json!("2026-03-31"), &json!(5), &json!(2))
    );
    let wallonia = history(&app, &n.manager, &format!("{q}&region=wallonia&every=month")).await;
    assert_eq!(wallonia["region"], "wallonia");
    let p = &wallonia["programmes"][0]["points"];
    assert_eq!((&p[0]["relay_points"], &p[0]["expiring"]), (&json!(5), &json!(0)), "{p}");
    assert_eq!(p[0]["regions"].as_array().unwrap().len(), 1);
}

async fn coverage_history_keeps_to_the_callers_programme_and_refuses_bad_input(app: TestApp) {
    let admin = app.admin_token().await;
    let a = network(&app, &admin, "prog-a").await;
    let b = network(&app, &admin, "prog-b").await;
    let day = NaiveDate::from_ymd_opt(2026, 5, 31).unwrap();
    seed_coverage(&app, &a.programme, day, &[("wallonia", "trained", 11)]);
    seed_coverage(&app, &b.programme, day, &[("flanders", "lapsed", 13)]);
    let q = "from=2026-05-01&to=2026-05-31";

    // A manager sees their own programme only; another one is 404.
    let mine = history(&app, &a.manager, q).await;
    assert_eq!(mine["programmes"].as_array().unwrap().len(), 1);
    assert_eq!(mine["programmes"][0]["programme_id"], a.programme);
    assert_eq!(mine["programmes"][0]["points"][0]["trained"], 11);
    assert!(!mine.to_string().contains(&b.programme));
    let other = app.get(&format!("/api/v1/stats/coverage-history?{q}&programme_id={}", b.programme), &a.manager).await;
    problem(other, StatusCode::NOT_FOUND).await;

    // Admins: every programme on its own, or the one asked for.
    let all = history(&app, &admin, q).await;
    assert_eq!(all["programmes"].as_array().unwrap().len(), 2);
    let one = history(&app, &admin, &format!("{q}&programme_id={}", b.programme)).await;
    assert_eq!(one["programmes"][0]["points"][0]["lapsed"], 13);
    let unknown =
        app.get(&format!("/api/v1/stats/coverage-history?programme_id={}", uuid::Uuid::new_v4()), &admin).await;
    problem(unknown, StatusCode::NOT_FOUND).await;

    // Other roles: 403; no token: 401.
    let (relay, _) = relay_staff(&app, "staff@example.be").await;
    let operator = helpline_user(&app, "op@example.be", "helpline_operator", EVC).await;
    for token in [&relay, &operator] {
        problem(app.get("/api/v1/stats/coverage-history", token).await, StatusCode::FORBIDDEN).await;
    }
    let anonymous = app.request(reqwest::Method::GET, "/api/v1/stats/coverage-history", None, None).await;
    problem(anonymous, StatusCode::UNAUTHORIZED).await;

    // Bad input: 400 for what does not parse, 422 for what breaks a rule.
    for query in ["from=2026-13-01", "to=yesterday", "region=mars", "every=week", "day=2026-01-01"] {
        let resp = app.get(&format!("/api/v1/stats/coverage-history?{query}"), &admin).await;
        problem(resp, StatusCode::BAD_REQUEST).await;
    }
    for query in ["from=2026-05-02&to=2026-05-01", "from=2000-01-01&to=2026-01-01"] {
        let resp = app.get(&format!("/api/v1/stats/coverage-history?{query}"), &admin).await;
        let body = problem(resp, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(body.to_string().contains("from"), "{body}");
    }
}
