//! Managers keep training right: edit a module, retire one from a day (it stops
//! counting as required from then on, not before), correct or delete a completion
//! (audited, the expiry follows), export every completion as CSV; another
//! programme's modules and completions are 404, bad input writes nothing.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, problem};
use crate::on_both_backends;

on_both_backends!(
    a_manager_edits_and_retires_modules_and_the_status_follows_from_that_day,
    a_manager_corrects_deletes_and_exports_completions,
);

fn day(offset: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(offset)).to_string()
}

async fn a_manager_edits_and_retires_modules_and_the_status_follows_from_that_day(app: TestApp) {
    let admin = app.admin_token().await;
    let m = app.programme_with_manager(&admin, "wal", "fr").await;
    let other = app.programme_with_manager(&admin, "vla", "nl").await;
    let relay = app.relay(&m.manager, "Pharmacie du Pont", "4000", "pharmacy").await;
    let relay_id = relay["id"].as_str().unwrap();
    let (staff, _) = app.staff(&admin, "pharma@example.be", relay_id).await;
    let basics = app.module(&m.manager, "Mask-19 basics", 24, true).await;
    let old = app.module(&m.manager, "Old listening course", 12, true).await;
    app.complete(&m.manager, &staff, &basics, &day(-10)).await;
    // One required module missing: not trained.
    assert_eq!(app.status_of(&m.manager, relay_id, &day(0)).await, "untrained");

    // Edit: title, validity, required — audited.
    let resp = app
        .patch(&format!("/api/v1/training-modules/{basics}"), &m.manager, &json!({"title": "Mask-19: the basics"}))
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let edited: Value = resp.json().await.unwrap();
    assert_eq!((edited["title"].as_str(), edited["validity_months"].as_i64()), (Some("Mask-19: the basics"), Some(24)));
    assert_eq!(app.count("audit_log WHERE action = 'training.module_changed'"), 1);
    // Bad input: named by field, nothing changed.
    for (body, field) in [
        (json!({"validity_months": 0}), "validity_months"),
        (json!({"title": ""}), "title"),
        (json!({"title": "x".repeat(201)}), "title"),
        (json!({}), "body"),
    ] {
        let p = problem(
            app.patch(&format!("/api/v1/training-modules/{basics}"), &m.manager, &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(p["errors"][0]["field"], field, "{body} → {p}");
    }
    let wrong_type =
        app.patch(&format!("/api/v1/training-modules/{basics}"), &m.manager, &json!({"required": "yes"})).await;
    assert!(wrong_type.status().is_client_error());
    // Another programme's manager, or no such module: 404.
    problem(
        app.patch(&format!("/api/v1/training-modules/{basics}"), &other.manager, &json!({"title": "Mine"})).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    problem(
        app.post(&format!("/api/v1/training-modules/{old}/retire"), Some(&other.manager), &json!({})).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    // Relay staff may not.
    let (_, staff_token) = app.staff(&admin, "colleague@example.be", relay_id).await;
    problem(
        app.patch(&format!("/api/v1/training-modules/{basics}"), &staff_token, &json!({"title": "x"})).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    assert_eq!(app.count("audit_log WHERE action = 'training.module_changed'"), 1);

    // Retire the old course from tomorrow: it still counts today, not from tomorrow.
    let p = problem(
        app.post(&format!("/api/v1/training-modules/{old}/retire"), Some(&m.manager), &json!({"from": day(-400)}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "from");
    let resp =
        app.post(&format!("/api/v1/training-modules/{old}/retire"), Some(&m.manager), &json!({"from": day(1)})).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.json::<Value>().await.unwrap()["retired_on"], day(1));
    assert_eq!(app.count("audit_log WHERE action = 'training.module_retired'"), 1);
    assert_eq!(app.status_of(&m.manager, relay_id, &day(0)).await, "untrained");
    assert_eq!(app.status_of(&m.manager, relay_id, &day(1)).await, "trained");
    // The staff member's own list leaves it out from that day.
    let mine: Value =
        app.get(&format!("/api/v1/me/training?as_of={}", day(1)), &staff_token).await.json().await.unwrap();
    let titles: Vec<&str> =
        mine["modules"].as_array().unwrap().iter().map(|m| m["module"]["title"].as_str().unwrap()).collect();
    assert_eq!(titles, vec!["Mask-19: the basics"]);
    assert_eq!(mine["relay_training_status"], "trained");
}

async fn a_manager_corrects_deletes_and_exports_completions(app: TestApp) {
    let admin = app.admin_token().await;
    let m = app.programme_with_manager(&admin, "wal", "fr").await;
    let other = app.programme_with_manager(&admin, "vla", "nl").await;
    let relay = app.relay(&m.manager, "Salon Coiffure", "4000", "hairdresser").await;
    let relay_id = relay["id"].as_str().unwrap();
    let (staff, _) = app.staff(&admin, "salon@example.be", relay_id).await;
    let module = app.module(&m.manager, "Mask-19 basics", 12, true).await;
    let done = app.complete(&m.manager, &staff, &module, &day(-30)).await;
    let id = done["id"].as_str().unwrap();
    assert_eq!(app.status_of(&m.manager, relay_id, &day(0)).await, "trained");

    // Correct the day: the expiry follows (12 months later).
    let on = chrono::Utc::now().date_naive() - chrono::Duration::days(40);
    let resp = app
        .patch(&format!("/api/v1/completions/{id}"), &m.manager, &json!({"completed_on": on, "certificate_ref": "C-7"}))
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let fixed: Value = resp.json().await.unwrap();
    assert_eq!(fixed["completed_on"], on.to_string());
    let expected = on.checked_add_months(chrono::Months::new(12)).unwrap();
    assert_eq!(fixed["expires_on"], expected.to_string());
    assert_eq!(fixed["certificate_ref"], "C-7");
    // `null` clears the reference, leaving the day.
    let cleared: Value = app
        .patch(&format!("/api/v1/completions/{id}"), &m.manager, &json!({"certificate_ref": null}))
        .await
        .json()
        .await
        .unwrap();
    assert!(cleared["certificate_ref"].is_null() && cleared["completed_on"] == on.to_string());
    assert_eq!(app.count("audit_log WHERE action = 'training.completion_corrected'"), 2);
    // Bad input, another programme, a duplicate: refused, nothing written.
    let p = problem(
        app.patch(&format!("/api/v1/completions/{id}"), &m.manager, &json!({"completed_on": day(3)})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "completed_on");
    let p = problem(
        app.patch(&format!("/api/v1/completions/{id}"), &m.manager, &json!({"certificate_ref": "x".repeat(101)})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "certificate_ref");
    assert!(
        app.patch(&format!("/api/v1/completions/{id}"), &m.manager, &json!({"completed_on": "yesterday"}))
            .await
            .status()
            .is_client_error()
    );
    app.complete(&m.manager, &staff, &module, &day(-5)).await;
    problem(
        app.patch(&format!("/api/v1/completions/{id}"), &m.manager, &json!({"completed_on": day(-5)})).await,
        StatusCode::CONFLICT,
    )
    .await;
    problem(
        app.patch(&format!("/api/v1/completions/{id}"), &other.manager, &json!({"certificate_ref": "mine"})).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    problem(
        app.request(Method::DELETE, &format!("/api/v1/completions/{id}"), Some(&other.manager), None).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(app.count("audit_log WHERE action = 'training.completion_corrected'"), 2);
    assert_eq!(app.count("training_completions"), 2);

    // Export: every completion of the programme.
    let resp = app.get("/api/v1/completions/export", &m.manager).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = resp.text().await.unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("email,relay_external_id,relay_name,module,completed_on,expires_on,certificate_ref"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 2, "{csv}");
    assert!(rows.iter().all(|r| r.starts_with("salon@example.be,") && r.contains("Salon Coiffure")), "{csv}");
    assert!(rows.iter().all(|r| r.contains(",Mask-19 basics,")), "{csv}");
    assert!(rows.iter().any(|r| r.contains(&on.to_string())), "{csv}");
    let theirs = app.get("/api/v1/completions/export", &other.manager).await.text().await.unwrap();
    assert_eq!(theirs.lines().count(), 1, "another programme sees none: {theirs}");

    // Delete both: audited, and the relay point is no longer trained.
    let list: Value = app.get("/api/v1/completions", &m.manager).await.json().await.unwrap();
    for c in list["items"].as_array().unwrap() {
        let del = app
            .request(
                Method::DELETE,
                &format!("/api/v1/completions/{}", c["id"].as_str().unwrap()),
                Some(&m.manager),
                None,
            )
            .await;
        assert_eq!(del.status(), StatusCode::NO_CONTENT);
    }
    assert_eq!(app.count("training_completions"), 0);
    assert_eq!(app.count("audit_log WHERE action = 'training.completion_deleted'"), 2);
    assert_eq!(app.status_of(&m.manager, relay_id, &day(0)).await, "untrained");
    problem(
        app.request(Method::DELETE, &format!("/api/v1/completions/{id}"), Some(&m.manager), None).await,
        StatusCode::NOT_FOUND,
    )
    .await;
}
