//! Account administration: create, list with a cursor, read, deactivate.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, problem};
use crate::on_both_backends;

on_both_backends!(accounts_are_created_with_their_scope_and_listed_by_cursor, an_admin_cannot_deactivate_itself);

async fn accounts_are_created_with_their_scope_and_listed_by_cursor(app: TestApp) {
    let admin = app.admin_token().await;
    let s = app.seed_scopes();
    let created = [
        json!({"email": "manager@example.be", "role": "programme_manager", "programme_id": s.programme, "language": "fr"}),
        json!({"email": "staff@example.be", "role": "relay_staff", "relay_point_id": s.relay_point, "language": "fr"}),
        json!({"email": "operator@example.be", "role": "helpline_operator", "helpline_id": s.helpline}),
        json!({"email": "supervisor@example.be", "role": "helpline_supervisor", "helpline_id": s.helpline, "language": "nl"}),
    ];
    for body in &created {
        let (id, password) = app.create_user(&admin, body.clone()).await;
        assert!(password.len() >= 20);
        let user: Value = app.get(&format!("/api/v1/users/{id}"), &admin).await.json().await.unwrap();
        assert_eq!(user["role"], body["role"]);
        // Each new account can sign in with its one-time password.
        let tokens = app.login_ok(body["email"].as_str().unwrap(), &password).await;
        assert_eq!(app.get("/api/v1/me", &tokens.access).await.status(), StatusCode::OK);
    }
    // Relay staff inherit their relay point's programme.
    let staff: Value = app.get("/api/v1/users?role=relay_staff", &admin).await.json().await.unwrap();
    assert_eq!(staff["items"][0]["programme_id"], s.programme);
    assert_eq!(staff["items"].as_array().unwrap().len(), 1);

    // Scope ids that do not fit the role are refused.
    let p = problem(
        app.post(
            "/api/v1/users",
            Some(&admin),
            &json!({"email": "x@example.be", "role": "admin", "helpline_id": s.helpline}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "helpline_id");

    // Five accounts in all; pages of two walk them once each, in e-mail order.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/users?limit=2&cursor={c}"),
            None => "/api/v1/users?limit=2".to_string(),
        };
        let page: Value = app.get(&path, &admin).await.json().await.unwrap();
        for item in page["items"].as_array().unwrap() {
            seen.push(item["email"].as_str().unwrap().to_string());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted);
    assert_eq!(seen.len(), 5);
    let p = problem(app.get("/api/v1/users?cursor=%%%", &admin).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(p["errors"][0]["field"], "cursor");
}

async fn an_admin_cannot_deactivate_itself(app: TestApp) {
    let admin = app.admin_token().await;
    let me: Value = app.get("/api/v1/me", &admin).await.json().await.unwrap();
    let id = me["id"].as_str().unwrap();
    problem(app.post(&format!("/api/v1/users/{id}/deactivate"), Some(&admin), &json!({})).await, StatusCode::CONFLICT)
        .await;
    assert_eq!(app.get("/api/v1/me", &admin).await.status(), StatusCode::OK);
}
