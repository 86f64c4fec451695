//! The supervisor's API: reassigning a claim, dead-lettered deliveries and their
//! retry, the audit log, the queue's claim filter and the helpline's figures.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::cases::{EVC, H1712, helpline_user};
use crate::helpers::{TestApp, problem};
use crate::on_both_backends;
use crate::signals::{body, relay_staff, submit};

on_both_backends!(
    a_supervisor_reassigns_a_claim_to_an_operator_of_the_helpline,
    the_queue_filters_by_claim_and_refuses_an_unknown_filter,
    dead_letters_are_listed_by_scope_and_delivered_again,
    the_audit_log_is_read_by_scope_with_filters_and_pages,
    the_helplines_figures_hide_small_counts,
);

async fn user_id(app: &TestApp, token: &str) -> String {
    let me: Value = app.get("/api/v1/me", token).await.json().await.unwrap();
    me["id"].as_str().unwrap().to_string()
}

async fn file(app: &TestApp, relay: &str, key: &str) -> String {
    let r: Value = submit(app, relay, key, &body("0470 31 41 59", "Hortense")).await.json().await.unwrap();
    r["reference"].as_str().unwrap().to_string()
}

async fn a_supervisor_reassigns_a_claim_to_an_operator_of_the_helpline(app: TestApp) {
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    let r = file(&app, &relay, "k").await;
    let a = helpline_user(&app, "a@example.be", "helpline_operator", EVC).await;
    let b = helpline_user(&app, "b@example.be", "helpline_operator", EVC).await;
    let sup = helpline_user(&app, "sup@example.be", "helpline_supervisor", EVC).await;
    let other_sup = helpline_user(&app, "sup-b@example.be", "helpline_supervisor", H1712).await;
    let other_op = helpline_user(&app, "op-1712@example.be", "helpline_operator", H1712).await;
    let (a_id, b_id, other_op_id) = (user_id(&app, &a).await, user_id(&app, &b).await, user_id(&app, &other_op).await);
    let claimed: Value =
        app.post(&format!("/api/v1/cases/{r}/claim"), Some(&a), &json!({})).await.json().await.unwrap();
    assert_eq!(claimed["claimed_by"], json!(a_id));
    let path = format!("/api/v1/cases/{r}/reassign");

    // Operators may not; another helpline's supervisor does not see the case.
    problem(app.post(&path, Some(&a), &json!({"operator_id": b_id})).await, StatusCode::FORBIDDEN).await;
    problem(app.post(&path, Some(&other_sup), &json!({"operator_id": b_id})).await, StatusCode::NOT_FOUND).await;
    // The target must be an active operator of the same helpline.
    for target in [other_op_id.clone(), "00000000-0000-4000-8000-000000000099".to_string()] {
        let p = problem(
            app.post(&path, Some(&sup), &json!({"operator_id": target})).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert!(p.to_string().contains("operator_id"), "{p}");
    }
    assert_eq!(app.count("audit_log WHERE action = 'signal.reassigned'"), 0, "a refused reassignment writes nothing");

    let moved: Value = app.post(&path, Some(&sup), &json!({"operator_id": b_id})).await.json().await.unwrap();
    assert_eq!((moved["claimed"].clone(), moved["claimed_by"].clone()), (json!(true), json!(b_id)));
    assert_eq!(
        app.count(&format!(
            "audit_log WHERE action = 'signal.reassigned' AND subject_id = '{b_id}' AND actor_id IS NOT NULL"
        )),
        1
    );
    // B now holds it and may reveal; A no longer may.
    problem(app.post(&format!("/api/v1/cases/{r}/reveal"), Some(&a), &json!({})).await, StatusCode::CONFLICT).await;
    let contact = app.post(&format!("/api/v1/cases/{r}/reveal"), Some(&b), &json!({})).await;
    assert_eq!(contact.status(), StatusCode::OK);
    let _ = a_id;
}

async fn the_queue_filters_by_claim_and_refuses_an_unknown_filter(app: TestApp) {
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    let (r1, r2, r3) = (file(&app, &relay, "1").await, file(&app, &relay, "2").await, file(&app, &relay, "3").await);
    let a = helpline_user(&app, "a@example.be", "helpline_operator", EVC).await;
    let b = helpline_user(&app, "b@example.be", "helpline_operator", EVC).await;
    app.post(&format!("/api/v1/cases/{r1}/claim"), Some(&a), &json!({})).await;
    app.post(&format!("/api/v1/cases/{r2}/claim"), Some(&b), &json!({})).await;
    let refs = |v: Value| -> Vec<String> {
        v["items"].as_array().unwrap().iter().map(|c| c["reference"].as_str().unwrap().to_string()).collect()
    };
    let get = |q: &'static str| {
        let app = &app;
        let a = a.clone();
        async move { app.get(&format!("/api/v1/cases?claim={q}"), &a).await.json::<Value>().await.unwrap() }
    };
    assert_eq!(refs(get("mine").await), vec![r1.clone()]);
    assert_eq!(refs(get("others").await), vec![r2.clone()]);
    assert_eq!(refs(get("unclaimed").await), vec![r3.clone()]);
    // A lapsed claim counts as none.
    app.execute(&format!(
        "UPDATE signals SET claim_activity_at = {} WHERE reference = '{r2}'",
        crate::helpers::ago(chrono::Duration::minutes(31))
    ));
    let mut unclaimed = refs(get("unclaimed").await);
    unclaimed.sort();
    let mut expected = vec![r2.clone(), r3.clone()];
    expected.sort();
    assert_eq!(unclaimed, expected);
    assert!(refs(get("others").await).is_empty());
    let p = problem(app.get("/api/v1/cases?claim=everyone", &a).await, StatusCode::BAD_REQUEST).await;
    assert_eq!(p["code"], "invalid_query");
}

/// Gives up every delivery of the helpline (as the worker does after its deadline).
fn kill_deliveries(app: &TestApp) {
    app.execute("UPDATE outbox SET status = 'dead', last_error = 'HTTP 410'");
}

async fn dead_letters_are_listed_by_scope_and_delivered_again(app: TestApp) {
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    let r = file(&app, &relay, "k").await;
    kill_deliveries(&app);
    let sup = helpline_user(&app, "sup@example.be", "helpline_supervisor", EVC).await;
    let other_sup = helpline_user(&app, "sup-b@example.be", "helpline_supervisor", H1712).await;
    let op = helpline_user(&app, "op@example.be", "helpline_operator", EVC).await;
    let admin = app.admin_token().await;

    let resp = app.get("/api/v1/dead-letters", &sup).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let text = resp.text().await.unwrap();
    assert!(!text.contains("314159") && !text.contains("Hortense"), "no contact data: {text}");
    let list: Value = serde_json::from_str(&text).unwrap();
    let items = list["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|d| d["reference"] == json!(r) && d["helpline_id"] == json!(EVC)));
    assert_eq!(items[0]["last_error"], "HTTP 410");
    let id = items[0]["id"].as_str().unwrap().to_string();
    let all: Value = app.get("/api/v1/dead-letters", &admin).await.json().await.unwrap();
    assert_eq!(all["items"].as_array().unwrap().len(), items.len());
    let none: Value = app.get("/api/v1/dead-letters", &other_sup).await.json().await.unwrap();
    assert_eq!(none["items"], json!([]));
    problem(app.get("/api/v1/dead-letters", &op).await, StatusCode::FORBIDDEN).await;

    let retry = format!("/api/v1/dead-letters/{id}/retry");
    problem(app.post(&retry, Some(&other_sup), &json!({})).await, StatusCode::NOT_FOUND).await;
    problem(app.post(&retry, Some(&op), &json!({})).await, StatusCode::FORBIDDEN).await;
    problem(app.post("/api/v1/dead-letters/not-an-id/retry", Some(&sup), &json!({})).await, StatusCode::NOT_FOUND)
        .await;
    assert_eq!(app.count(&format!("outbox WHERE id = '{id}' AND status = 'dead'")), 1, "refusals change nothing");
    assert_eq!(app.post(&retry, Some(&sup), &json!({})).await.status(), StatusCode::ACCEPTED);
    assert_eq!(app.count(&format!("outbox WHERE id = '{id}' AND status = 'dead'")), 0);
    assert_eq!(
        app.count(&format!(
            "audit_log WHERE action = 'delivery.retried' AND subject_id = '{id}' AND signal_id IS NOT NULL"
        )),
        1
    );
    // Not dead any more: a second retry conflicts (unless the worker gave it up again already).
    if app.count(&format!("outbox WHERE id = '{id}' AND status = 'dead'")) == 0 {
        problem(app.post(&retry, Some(&sup), &json!({})).await, StatusCode::CONFLICT).await;
    }
}

async fn the_audit_log_is_read_by_scope_with_filters_and_pages(app: TestApp) {
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    let r = file(&app, &relay, "k").await;
    let op = helpline_user(&app, "op@example.be", "helpline_operator", EVC).await;
    let op_id = user_id(&app, &op).await;
    let sup = helpline_user(&app, "sup@example.be", "helpline_supervisor", EVC).await;
    let other_sup = helpline_user(&app, "sup-b@example.be", "helpline_supervisor", H1712).await;
    let admin = app.admin_token().await;
    app.post(&format!("/api/v1/cases/{r}/claim"), Some(&op), &json!({})).await;
    assert_eq!(app.post(&format!("/api/v1/cases/{r}/reveal"), Some(&op), &json!({})).await.status(), StatusCode::OK);

    let resp = app.get("/api/v1/audit?action=contact.revealed", &sup).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let text = resp.text().await.unwrap();
    assert!(!text.contains("314159") && !text.contains("Hortense") && !text.contains("op@example.be"), "{text}");
    let page: Value = serde_json::from_str(&text).unwrap();
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!((items[0]["reference"].clone(), items[0]["actor_id"].clone()), (json!(r), json!(op_id)));
    // The supervisor sees only their helpline's signals: no account rows.
    let mine: Value = app.get("/api/v1/audit", &sup).await.json().await.unwrap();
    let actions: Vec<&str> = mine["items"].as_array().unwrap().iter().map(|i| i["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["contact.revealed", "signal.claimed"], "newest first, only about signals");
    let theirs: Value = app.get("/api/v1/audit", &other_sup).await.json().await.unwrap();
    assert_eq!(theirs["items"], json!([]));
    let all: Value = app.get("/api/v1/audit?action=user.created", &admin).await.json().await.unwrap();
    assert!(all["items"].as_array().unwrap().len() >= 4);
    // Filters: actor, reference, dates.
    let by_actor: Value = app.get(&format!("/api/v1/audit?actor={op_id}"), &admin).await.json().await.unwrap();
    assert!(by_actor["items"].as_array().unwrap().iter().all(|i| i["actor_id"] == json!(op_id)));
    let acts: Vec<&str> = by_actor["items"].as_array().unwrap().iter().map(|i| i["action"].as_str().unwrap()).collect();
    assert!(acts.contains(&"contact.revealed") && acts.contains(&"signal.claimed"), "{acts:?}");
    let by_ref: Value = app.get(&format!("/api/v1/audit?reference={r}"), &admin).await.json().await.unwrap();
    assert_eq!(by_ref["items"].as_array().unwrap().len(), 2);
    let today = chrono::Utc::now().date_naive();
    let yesterday = today - chrono::Duration::days(1);
    let dated: Value =
        app.get(&format!("/api/v1/audit?from={today}&to={today}&reference={r}"), &sup).await.json().await.unwrap();
    assert_eq!(dated["items"].as_array().unwrap().len(), 2);
    let before: Value = app.get(&format!("/api/v1/audit?to={yesterday}"), &admin).await.json().await.unwrap();
    assert_eq!(before["items"], json!([]));
    // Pages.
    let first: Value = app.get("/api/v1/audit?limit=1", &sup).await.json().await.unwrap();
    assert_eq!(first["items"][0]["action"], "contact.revealed");
    let cursor = first["next_cursor"].as_str().unwrap();
    let second: Value = app.get(&format!("/api/v1/audit?limit=1&cursor={cursor}"), &sup).await.json().await.unwrap();
    assert_eq!(second["items"][0]["action"], "signal.claimed");
    assert!(second["next_cursor"].is_null());
    // Bad filters are clear errors.
    problem(app.get("/api/v1/audit?action=contact.stolen", &sup).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    problem(app.get("/api/v1/audit?actor=someone", &sup).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    problem(
        app.get(&format!("/api/v1/audit?from={today}&to={yesterday}"), &sup).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    problem(app.get("/api/v1/audit?from=yesterday", &sup).await, StatusCode::BAD_REQUEST).await;
    problem(app.get("/api/v1/audit", &op).await, StatusCode::FORBIDDEN).await;
}

async fn the_helplines_figures_hide_small_counts(app: TestApp) {
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    for k in ["1", "2", "3"] {
        file(&app, &relay, k).await;
    }
    let sup = helpline_user(&app, "sup@example.be", "helpline_supervisor", EVC).await;
    let other_sup = helpline_user(&app, "sup-b@example.be", "helpline_supervisor", H1712).await;
    let f: Value = app.get(&format!("/api/v1/helplines/{EVC}/figures"), &sup).await.json().await.unwrap();
    assert_eq!(f["signals"], "<5");
    let days = f["per_day"].as_array().unwrap();
    assert_eq!(days.len(), 14);
    assert_eq!(days.last().unwrap()["signals"], "<5", "today's three signals are hidden");
    assert!(days[..13].iter().all(|d| d["signals"] == 0));
    assert!(f["minutes_to_first_attempt"].is_null());
    assert!(!f.to_string().contains("\"3\"") && !f.to_string().contains(":3"), "{f}");
    problem(app.get(&format!("/api/v1/helplines/{EVC}/figures"), &other_sup).await, StatusCode::NOT_FOUND).await;
}
