//! Training modules and completions, and the derived status of relay points at
//! boundary dates, through the API (the pure rules have their own unit tests).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, problem};
use crate::on_both_backends;

on_both_backends!(
    status_follows_completions_across_boundary_dates,
    a_relay_whose_only_trained_staff_member_is_deactivated_is_untrained,
    completions_are_checked_and_scoped,
);

async fn status_follows_completions_across_boundary_dates(app: TestApp) {
    let admin = app.admin_token().await;
    let m = app.programme_with_manager(&admin, "wal", "fr").await;
    let relay = app.relay(&m.manager, "Pharmacie", "4000", "pharmacy").await;
    let relay = relay["id"].as_str().unwrap();
    let (staff_id, staff) = app.staff(&admin, "pharma@example.be", relay).await;
    let module = app.module(&m.manager, "Mask-19 basics", 24, true).await;
    app.module(&m.manager, "Optional refresher video", 12, false).await;
    assert_eq!(app.status_of(&m.manager, relay, "2026-01-01").await, "untrained");

    let c = app.complete(&m.manager, &staff_id, &module, "2024-05-01").await;
    assert_eq!(c["expires_on"], "2026-05-01");
    for (as_of, status) in [
        ("2024-04-30", "untrained"),
        ("2024-05-01", "trained"),
        ("2026-03-31", "trained"),
        ("2026-04-01", "expiring"), // exactly 30 days before expiry
        ("2026-04-30", "expiring"),
        ("2026-05-01", "lapsed"), // the expiry day itself
    ] {
        assert_eq!(app.status_of(&m.manager, relay, as_of).await, status, "as of {as_of}");
        // The staff member sees the same status of their own relay point.
        assert_eq!(app.status_of(&staff, relay, as_of).await, status, "staff view as of {as_of}");
    }
    let lapsed: Value =
        app.get("/api/v1/relay-points?training_status=lapsed&as_of=2026-06-01", &m.manager).await.json().await.unwrap();
    assert_eq!(lapsed["items"][0]["id"], relay);

    let mine: Value = app.get("/api/v1/me/training?as_of=2026-04-15", &staff).await.json().await.unwrap();
    assert_eq!(mine["relay_training_status"], "expiring");
    assert_eq!(mine["completions"].as_array().unwrap().len(), 1);
    let standings: Vec<(String, String)> = mine["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["module"]["title"].as_str().unwrap().into(), m["standing"].as_str().unwrap().into()))
        .collect();
    assert_eq!(
        standings,
        [("Mask-19 basics".into(), "expiring".into()), ("Optional refresher video".into(), "missing".into())]
    );
    problem(app.get("/api/v1/me/training", &m.manager).await, StatusCode::FORBIDDEN).await;
}

async fn a_relay_whose_only_trained_staff_member_is_deactivated_is_untrained(app: TestApp) {
    let admin = app.admin_token().await;
    let m = app.programme_with_manager(&admin, "vl", "nl").await;
    let relay = app.relay(&m.manager, "Apotheek", "9000", "pharmacy").await;
    let relay = relay["id"].as_str().unwrap();
    let (trained, _) = app.staff(&admin, "trained@example.be", relay).await;
    app.staff(&admin, "untrained@example.be", relay).await;
    let module = app.module(&m.manager, "Basis", 24, true).await;
    app.complete(&m.manager, &trained, &module, "2025-06-01").await;
    assert_eq!(app.status_of(&m.manager, relay, "2025-07-01").await, "trained");

    let resp = app.post(&format!("/api/v1/staff/{trained}/deactivate"), Some(&m.manager), &json!({})).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(app.status_of(&m.manager, relay, "2025-07-01").await, "untrained");
    let export = app.get("/api/v1/relay-points/export?as_of=2025-07-01", &m.manager).await.text().await.unwrap();
    assert!(export.lines().nth(1).unwrap().ends_with(",untrained"), "{export}");
}

async fn completions_are_checked_and_scoped(app: TestApp) {
    let admin = app.admin_token().await;
    let m = app.programme_with_manager(&admin, "pa", "en").await;
    let other = app.programme_with_manager(&admin, "pb", "en").await;
    let relay = app.relay(&m.manager, "R", "1000", "other").await;
    let (staff_id, staff) = app.staff(&admin, "s@example.be", relay["id"].as_str().unwrap()).await;
    let module = app.module(&m.manager, "Basics", 24, true).await;
    let foreign_module = app.module(&other.manager, "Basics", 24, true).await;
    let before = app.count("training_completions");

    let cases = [
        (json!({"user_id": staff_id, "module_id": module, "completed_on": "2999-01-01"}), "completed_on"),
        (json!({"user_id": staff_id, "module_id": module, "completed_on": "1 May"}), "completed_on"),
        (json!({"user_id": staff_id, "module_id": foreign_module, "completed_on": "2025-01-01"}), "module_id"),
        (json!({"user_id": uuid::Uuid::new_v4(), "module_id": module, "completed_on": "2025-01-01"}), "user_id"),
        (json!({"user_id": "nope", "module_id": module, "completed_on": "2025-01-01"}), "user_id"),
    ];
    for (body, field) in cases {
        let p =
            problem(app.post("/api/v1/completions", Some(&m.manager), &body).await, StatusCode::UNPROCESSABLE_ENTITY)
                .await;
        assert_eq!(p["errors"][0]["field"], field, "{body}");
    }
    // The other programme's manager cannot record for this programme's staff.
    let body = json!({"user_id": staff_id, "module_id": foreign_module, "completed_on": "2025-01-01"});
    problem(app.post("/api/v1/completions", Some(&other.manager), &body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    problem(app.post("/api/v1/completions", Some(&staff), &body).await, StatusCode::FORBIDDEN).await;
    let p = problem(
        app.post(
            "/api/v1/training-modules",
            Some(&m.manager),
            &json!({"title": "X", "kind": "podcast", "validity_months": 12, "required": true}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "kind");
    let p = problem(
        app.post(
            "/api/v1/training-modules",
            Some(&m.manager),
            &json!({"title": "X", "kind": "video", "validity_months": 0, "required": true}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "validity_months");
    assert_eq!(app.count("training_completions"), before);

    app.complete(&m.manager, &staff_id, &module, "2025-01-01").await;
    let dup = json!({"user_id": staff_id, "module_id": module, "completed_on": "2025-01-01"});
    problem(app.post("/api/v1/completions", Some(&m.manager), &dup).await, StatusCode::CONFLICT).await;
    let listed: Value =
        app.get(&format!("/api/v1/completions?user_id={staff_id}"), &m.manager).await.json().await.unwrap();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    let foreign: Value = app.get("/api/v1/completions", &other.manager).await.json().await.unwrap();
    assert_eq!(foreign["items"].as_array().unwrap().len(), 0);
}
