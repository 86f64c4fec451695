//! Statistics: suppression (with adversarial differencing), scope, CSV, coverage,
//! and figures that do not move when old months are rolled up.

use chrono::Duration;
use diesel::connection::SimpleConnection;
use reqwest::StatusCode;
use saferelay::stats::model::Month;
use serde_json::{Value, json};

use crate::cases::{EVC, H1712, helpline_user};
use crate::helpers::{TestApp, problem};
use crate::on_both_backends;
use crate::retention::purge;
use crate::signals::relay_staff;
use crate::stats_seed::{Seed, month_ago, network, seed, stats, ts};

on_both_backends!(
    small_cells_are_hidden_and_no_query_or_total_gives_them_away,
    managers_see_only_their_programme_and_other_roles_none,
    figures_come_as_csv_too,
    coverage_counts_relay_points_by_region_kind_and_training_status,
    figures_are_the_same_before_and_after_rollup,
    a_final_month_is_kept_once_its_signals_are_closed,
);

/// Every published partition: when its total is shown, never exactly one hidden cell.
fn assert_no_lone_hidden_cell(stats: &Value) {
    for p in stats["programmes"].as_array().unwrap() {
        for m in p["months"].as_array().unwrap() {
            let hidden: Vec<&Value> =
                m["breakdown"].as_array().unwrap().iter().filter(|c| c["signals"] == "<5").collect();
            if m["signals"] != "<5" {
                assert_ne!(hidden.len(), 1, "a lone hidden cell is total minus the others: {m}");
                let visible: i64 =
                    m["breakdown"].as_array().unwrap().iter().filter_map(|c| c["signals"].as_i64()).sum();
                let rest = m["signals"].as_i64().unwrap() - visible;
                assert!(hidden.is_empty() || rest >= 2, "hidden cells sum to {rest}: {m}");
            }
        }
    }
}

async fn small_cells_are_hidden_and_no_query_or_total_gives_them_away(app: TestApp) {
    let admin = app.admin_token().await;
    let n = network(&app, &admin, "wal").await;
    let (month, at) = month_ago(3);
    let base = Seed { relay: &n.wallonia, created: at, ..Seed::default() };
    seed(&app, 17, &base);
    seed(&app, 3, &Seed { outcome: Some("referred_police"), ..base });
    seed(&app, 3, &Seed { relay: &n.brussels, region: "brussels", kind: "hairdresser", training: "untrained", ..base });
    seed(&app, 6, &Seed { relay: &n.flanders, region: "flanders", outcome: None, first_attempt_min: None, ..base });
    let m = month.to_string();

    let by_region = stats(&app, &n.manager, &format!("from={m}&to={m}&by=region")).await;
    let fig = &by_region["programmes"][0]["months"][0];
    assert_eq!(fig["month"], m);
    assert_eq!(fig["signals"], 29);
    // Brussels (3) is small; Flanders (6) is hidden with it, so 29 − 20 leaves two cells.
    assert_eq!(
        fig["breakdown"],
        json!([{"value": "brussels", "signals": "<5"}, {"value": "flanders", "signals": "<5"}, {"value": "wallonia", "signals": 20}])
    );
    // Three untrained signals: the training partition hides both cells, so no share.
    assert_eq!(fig["share_not_trained"], Value::Null);
    // Six expired of 29, police 3: the outcome partition hides police and expired (the
    // next smallest), so the share of expired, which would give 6, is not shown.
    assert_eq!(fig["share_expired"], Value::Null);
    let by_outcome = stats(&app, &n.manager, &format!("from={m}&to={m}&by=outcome")).await;
    assert_eq!(
        by_outcome["programmes"][0]["months"][0]["breakdown"],
        json!([{"value": "expired", "signals": "<5"}, {"value": "referred_police", "signals": "<5"}, {"value": "referred_support", "signals": 20}])
    );
    // Times: 23 first attempts, 29 closes — enough to show.
    assert_eq!(fig["minutes_to_first_attempt"], json!({"median": 30, "p90": 30}));
    assert_eq!(fig["minutes_to_close"], json!({"median": 600, "p90": 600}));

    // Every breakdown of the month, checked against "total minus visible cells".
    for by in ["region", "relay_kind", "helpline", "urgency", "outcome", "language", "training"] {
        let s = stats(&app, &n.manager, &format!("from={m}&to={m}&by={by}")).await;
        assert_no_lone_hidden_cell(&s);
        // The same month in every breakdown has the same total and shares.
        let f = &s["programmes"][0]["months"][0];
        assert_eq!((f["signals"].clone(), f["share_expired"].clone()), (json!(29), Value::Null), "{by}");
    }

    // Two overlapping ranges: the shared month is identical and no range total exists
    // to subtract, so differencing the answers yields nothing new.
    let earlier = month.minus(1).to_string();
    let wide = stats(&app, &n.manager, &format!("from={earlier}&to={m}&by=region")).await;
    let narrow = stats(&app, &n.manager, &format!("from={m}&to={m}&by=region")).await;
    assert_eq!(wide["programmes"][0]["months"][1], narrow["programmes"][0]["months"][0]);
    assert_eq!(wide["programmes"][0]["months"][0]["signals"], 0);
    let mut keys: Vec<&String> = wide["programmes"][0].as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["months", "programme_code", "programme_id"], "no totals across months");

    // A month still changing is never shown: asking for the current month stops at
    // the last final one, and a final month with an open signal is held back.
    let now = Month::of(chrono::Utc::now().naive_utc()).to_string();
    let s = stats(&app, &n.manager, &format!("from={m}&to={now}")).await;
    let shown: Vec<&str> =
        s["programmes"][0]["months"].as_array().unwrap().iter().map(|x| x["month"].as_str().unwrap()).collect();
    assert_eq!(shown.last().copied(), Some(s["last_final_month"].as_str().unwrap()));
    assert!(!shown.contains(&now.as_str()));
    // (A month not asked for yet: once shown, a final month is kept as it is —
    // `a_final_month_is_kept_once_its_signals_are_closed`.)
    let older = month.minus(2);
    let open = seed(&app, 1, &Seed { created: older.start_utc() + Duration::days(3), ..base });
    app.db()
        .batch_execute(&format!("UPDATE signals SET closed_at = NULL, status = 'received' WHERE id = '{}'", open[0]))
        .unwrap();
    let s = stats(&app, &n.manager, &format!("from={older}&to={older}")).await;
    assert_eq!(s["programmes"][0]["months"], json!([]), "a month with an open signal is held back");
}

async fn managers_see_only_their_programme_and_other_roles_none(app: TestApp) {
    let admin = app.admin_token().await;
    let a = network(&app, &admin, "prog-a").await;
    let b = network(&app, &admin, "prog-b").await;
    let (month, at) = month_ago(2);
    seed(&app, 7, &Seed { relay: &a.wallonia, created: at, ..Seed::default() });
    seed(&app, 9, &Seed { relay: &b.flanders, region: "flanders", created: at, ..Seed::default() });
    let m = month.to_string();

    let mine = stats(&app, &a.manager, &format!("from={m}&to={m}")).await;
    assert_eq!(mine["programmes"].as_array().unwrap().len(), 1);
    assert_eq!(mine["programmes"][0]["programme_id"], a.programme);
    assert_eq!(mine["programmes"][0]["months"][0]["signals"], 7);
    let resp = app.get(&format!("/api/v1/stats/signals?programme_id={}", b.programme), &a.manager).await;
    problem(resp, StatusCode::NOT_FOUND).await;
    let resp = app.get(&format!("/api/v1/stats/coverage?programme_id={}", b.programme), &a.manager).await;
    problem(resp, StatusCode::NOT_FOUND).await;

    // Admins: every programme, each on its own (no cross-programme sum to subtract from).
    let all = stats(&app, &admin, &format!("from={m}&to={m}")).await;
    let figures: Vec<(Value, Value)> = all["programmes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["programme_id"].clone(), p["months"][0]["signals"].clone()))
        .collect();
    assert!(figures.contains(&(json!(a.programme), json!(7))) && figures.contains(&(json!(b.programme), json!(9))));
    let one = stats(&app, &admin, &format!("from={m}&to={m}&programme_id={}", b.programme)).await;
    assert_eq!(one["programmes"].as_array().unwrap().len(), 1);
    let resp = app.get(&format!("/api/v1/stats/signals?programme_id={}", uuid::Uuid::new_v4()), &admin).await;
    problem(resp, StatusCode::NOT_FOUND).await;

    let (relay, _) = relay_staff(&app, "staff@example.be").await;
    let operator = helpline_user(&app, "op@example.be", "helpline_operator", EVC).await;
    let supervisor = helpline_user(&app, "sup@example.be", "helpline_supervisor", H1712).await;
    for token in [&relay, &operator, &supervisor] {
        problem(app.get("/api/v1/stats/signals", token).await, StatusCode::FORBIDDEN).await;
        problem(app.get("/api/v1/stats/coverage", token).await, StatusCode::FORBIDDEN).await;
    }
    problem(app.get("/api/v1/stats/signals?from=2026-13", &admin).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    problem(app.get("/api/v1/stats/signals?from=2026-05&to=2026-01", &admin).await, StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    problem(app.get("/api/v1/stats/signals?by=postcode", &admin).await, StatusCode::BAD_REQUEST).await;
    problem(app.get("/api/v1/stats/signals?month=2026-01", &admin).await, StatusCode::BAD_REQUEST).await;
}

async fn figures_come_as_csv_too(app: TestApp) {
    let admin = app.admin_token().await;
    let n = network(&app, &admin, "csv").await;
    let (month, at) = month_ago(2);
    seed(&app, 8, &Seed { relay: &n.wallonia, created: at, ..Seed::default() });
    seed(&app, 2, &Seed { relay: &n.brussels, region: "brussels", created: at, ..Seed::default() });
    let m = month.to_string();
    let by_header = app
        .client
        .get(app.url(&format!("/api/v1/stats/signals?from={m}&to={m}")))
        .bearer_auth(&n.manager)
        .header("accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert_eq!(by_header.status(), StatusCode::OK);
    assert!(by_header.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = by_header.text().await.unwrap();
    let by_query = app.get(&format!("/api/v1/stats/signals?from={m}&to={m}&format=csv"), &n.manager).await;
    assert_eq!(by_query.text().await.unwrap(), text);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "programme_id,programme,month,measure,group,value");
    let p = &n.programme;
    assert!(lines.contains(&format!("{p},csv,{m},signals,,10").as_str()), "{text}");
    assert!(lines.contains(&format!("{p},csv,{m},signals_by_region,brussels,<5").as_str()), "{text}");
    assert!(lines.contains(&format!("{p},csv,{m},signals_by_region,wallonia,<5").as_str()), "{text}");
    assert!(lines.contains(&format!("{p},csv,{m},median_minutes_to_close,,600").as_str()), "{text}");

    let cov = app.get("/api/v1/stats/coverage?format=csv", &n.manager).await.text().await.unwrap();
    assert!(cov.starts_with("programme_id,programme,region,kind,training_status,relay_points\n"), "{cov}");
    assert!(cov.contains(&format!("{p},csv,brussels,hairdresser,untrained,1")), "{cov}");
}

async fn coverage_counts_relay_points_by_region_kind_and_training_status(app: TestApp) {
    let admin = app.admin_token().await;
    let n = network(&app, &admin, "cov").await;
    app.relay(&n.manager, "Pharmacie D", "4020", "pharmacy").await;
    let module = app.module(&n.manager, "Mask-19 basics", 24, true).await;
    let (staff, _) = app.staff(&admin, "anne@example.be", &n.flanders).await;
    let today = chrono::Utc::now().date_naive();
    app.complete(&n.manager, &staff, &module, &today.format("%Y-%m-%d").to_string()).await;
    let resp = app.get("/api/v1/stats/coverage", &n.manager).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let c: Value = resp.json().await.unwrap();
    assert_eq!(c["programmes"][0]["relay_points"], 4);
    assert_eq!(
        c["programmes"][0]["rows"],
        json!([
            {"region": "brussels", "kind": "hairdresser", "training_status": "untrained", "relay_points": 1},
            {"region": "flanders", "kind": "pharmacy", "training_status": "trained", "relay_points": 1},
            {"region": "wallonia", "kind": "pharmacy", "training_status": "untrained", "relay_points": 2},
        ])
    );
}

async fn figures_are_the_same_before_and_after_rollup(app: TestApp) {
    let admin = app.admin_token().await;
    let n = network(&app, &admin, "roll").await;
    let (old, at) = month_ago(15);
    let (recent, recent_at) = month_ago(2);
    let mut old_ids = Vec::new();
    for (i, minutes) in [5, 12, 12, 40, 41, 90, 300].iter().enumerate() {
        let relay = if i % 2 == 0 { &n.wallonia } else { &n.brussels };
        let region = if i % 2 == 0 { "wallonia" } else { "brussels" };
        let s = Seed {
            relay,
            region,
            created: at + Duration::hours(i as i64),
            first_attempt_min: Some(*minutes),
            close_min: minutes * 3,
            ..Seed::default()
        };
        old_ids.extend(seed(&app, 2 + i, &s));
    }
    seed(
        &app,
        3,
        &Seed {
            relay: &n.flanders,
            region: "flanders",
            created: at,
            outcome: None,
            first_attempt_min: None,
            training: "lapsed",
            ..Seed::default()
        },
    );
    seed(&app, 6, &Seed { relay: &n.wallonia, created: recent_at, ..Seed::default() });
    // Rows that point at an old signal go with it.
    let (o, d) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    let t = ts(at);
    let s0 = &old_ids[0];
    app.db()
        .batch_execute(&format!(
            "INSERT INTO call_attempts (id, signal_id, operator_id, result, outside_safe_windows, created_at) VALUES ('{d}', '{s0}', (SELECT id FROM users LIMIT 1), 'reached', FALSE, '{t}');
             INSERT INTO outbox (id, signal_id, helpline_id, channel, event, priority, status, attempts, next_attempt_at, created_at, updated_at) VALUES ('{o}', '{s0}', '{EVC}', 'email', 'signal.received', 10, 'delivered', 1, '{t}', '{t}', '{t}');
             INSERT INTO delivery_attempts (id, outbox_id, attempted_at, outcome) VALUES ('{d}', '{o}', '{t}', 'delivered');
             INSERT INTO audit_log (id, action, signal_id, created_at) VALUES ('{d}', 'signal.closed', '{s0}', '{t}');"
        ))
        .unwrap();

    let range = format!("from={}&to={}", old.minus(1), recent);
    let mut before = Vec::new();
    for by in ["region", "outcome", "training", "helpline", "relay_kind", "urgency", "language"] {
        before.push(stats(&app, &admin, &format!("{range}&by={by}")).await);
    }
    let old_fig = &before[0]["programmes"][0]["months"][1];
    assert_eq!(old_fig["month"], old.to_string());
    assert_eq!(old_fig["signals"], 38);

    let out = purge(&app, None).await;
    assert!(out.contains("rolled up: 38"), "{out}");
    assert_eq!(app.count("signals"), 6);
    assert!(app.count("signal_rollups") >= 3);
    for table in ["call_attempts", "outbox", "delivery_attempts", "audit_log"] {
        assert_eq!(app.count(&format!("{table} WHERE id IN ('{d}', '{o}')")), 0, "{table}");
    }
    // The kept months first, then the same months built again from the rollups.
    let mut after = Vec::new();
    for by in ["region", "outcome", "training", "helpline", "relay_kind", "urgency", "language"] {
        after.push(stats(&app, &admin, &format!("{range}&by={by}")).await);
    }
    assert_eq!(before, after);
    assert!(app.count("signal_month_facts") > 0);
    app.execute("DELETE FROM signal_month_facts");
    let mut rebuilt = Vec::new();
    for by in ["region", "outcome", "training", "helpline", "relay_kind", "urgency", "language"] {
        rebuilt.push(stats(&app, &admin, &format!("{range}&by={by}")).await);
    }
    assert_eq!(before, rebuilt);
    // A second run changes nothing.
    purge(&app, None).await;
    assert_eq!(stats(&app, &admin, &format!("{range}&by=region")).await, before[0]);
}

/// A final month whose signals are all closed is built once and kept in
/// `signal_month_facts` (later requests read that row, not the signals); a month
/// with a signal still open is neither shown nor kept until it closes.
async fn a_final_month_is_kept_once_its_signals_are_closed(app: TestApp) {
    let admin = app.admin_token().await;
    let n = network(&app, &admin, "kept").await;
    let (closed_month, closed_at) = month_ago(3);
    let (open_month, open_at) = month_ago(4);
    let closed = seed(&app, 6, &Seed { relay: &n.wallonia, created: closed_at, ..Seed::default() });
    let open = seed(&app, 5, &Seed { relay: &n.brussels, region: "brussels", created: open_at, ..Seed::default() });
    app.execute(&format!(
        "UPDATE signals SET closed_at = NULL, outcome = NULL, status = 'received' WHERE id = '{}'",
        open[0]
    ));
    let range = format!("from={open_month}&to={closed_month}&by=region");
    let months = |v: &Value| -> Vec<(String, Value)> {
        v["programmes"][0]["months"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (m["month"].as_str().unwrap().to_string(), m["signals"].clone()))
            .collect()
    };
    let first = stats(&app, &n.manager, &range).await;
    assert_eq!(months(&first), vec![(closed_month.to_string(), json!(6))], "the open month is held back");
    let kept = |m: Month| app.count(&format!("signal_month_facts WHERE month = '{m}'"));
    assert_eq!(kept(closed_month), 1);
    assert_eq!(kept(open_month), 0);
    for id in closed.iter().chain(&open) {
        assert_eq!(
            app.count(&format!("signal_month_facts WHERE facts LIKE '%{id}%'")),
            0,
            "a kept month holds no signal id"
        );
    }

    // The kept row answers from now on: the month's figures no longer read its signals.
    app.execute(&format!("DELETE FROM signals WHERE id IN ('{}')", closed.join("', '")));
    assert_eq!(stats(&app, &n.manager, &range).await, first);

    // Once the last open signal is closed, its month is shown and kept.
    app.execute(&format!(
        "UPDATE signals SET closed_at = created_at, outcome = 'declined', status = 'completed' WHERE id = '{}'",
        open[0]
    ));
    let after = stats(&app, &n.manager, &range).await;
    assert_eq!(months(&after), vec![(open_month.to_string(), json!(5)), (closed_month.to_string(), json!(6))]);
    assert_eq!(kept(open_month), 1);
}
