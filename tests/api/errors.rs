//! Every error status comes back as RFC 9457 problem+json, and bad input writes nothing.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, problem, try_spawn_app};
use crate::on_both_backends;

on_both_backends!(
    unknown_routes_and_wrong_methods_are_problems,
    bad_bodies_are_rejected_with_the_right_status_and_write_nothing,
    authorisation_failures_are_401_and_403,
    duplicates_are_409,
);

async fn unknown_routes_and_wrong_methods_are_problems(app: TestApp) {
    let token = app.admin_token().await;
    let body = problem(app.get("/api/v1/nothing-here", &token).await, StatusCode::NOT_FOUND).await;
    assert_eq!(body["code"], "route_not_found");

    let resp = app.request(Method::DELETE, "/api/v1/users", Some(&token), None).await;
    let allow = resp.headers()["allow"].to_str().unwrap().to_string();
    assert!(allow.contains("GET") && allow.contains("POST"), "Allow: {allow}");
    problem(resp, StatusCode::METHOD_NOT_ALLOWED).await;

    let resp = app.request(Method::GET, "/api/v1/auth/login", None, None).await;
    assert_eq!(resp.headers()["allow"], "POST");
    problem(resp, StatusCode::METHOD_NOT_ALLOWED).await;

    // Ids that do not parse name nothing: 404, not 400 or 500.
    problem(app.get("/api/v1/users/not-a-uuid", &token).await, StatusCode::NOT_FOUND).await;
    problem(app.get(&format!("/api/v1/users/{}", uuid::Uuid::new_v4()), &token).await, StatusCode::NOT_FOUND).await;
}

async fn raw(app: &TestApp, token: &str, content_type: &str, body: impl Into<reqwest::Body>) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/users"))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn bad_bodies_are_rejected_with_the_right_status_and_write_nothing(app: TestApp) {
    let token = app.admin_token().await;
    let users_before = app.count("users");

    let body = problem(raw(&app, &token, "application/json", "{\"email\": ").await, StatusCode::BAD_REQUEST).await;
    assert_eq!(body["code"], "malformed_json");
    let body = problem(raw(&app, &token, "application/json", "").await, StatusCode::BAD_REQUEST).await;
    assert_eq!(body["code"], "malformed_json");

    let body = problem(
        app.post("/api/v1/users", Some(&token), &json!({"email": "a@b.be", "role": "admin", "is_root": true})).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(body["code"], "unknown_field");
    assert_eq!(body["errors"][0]["field"], "is_root");

    let big = format!("{{\"email\": \"{}\", \"role\": \"admin\"}}", "x".repeat(70 * 1024));
    let body = problem(raw(&app, &token, "application/json", big).await, StatusCode::PAYLOAD_TOO_LARGE).await;
    assert_eq!(body["code"], "payload_too_large");

    let body = problem(
        raw(&app, &token, "text/plain", r#"{"email":"a@b.be","role":"admin"}"#).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
    )
    .await;
    assert_eq!(body["code"], "unsupported_media_type");

    let cases: [(Value, &str); 5] = [
        (json!({"email": 42, "role": "admin"}), "email"),
        (json!({"email": "a@b.be", "role": "overlord"}), "role"),
        (json!({"role": "admin"}), "email"),
        (json!({"email": "not an email", "role": "admin"}), "email"),
        (json!({"email": "op@b.be", "role": "helpline_operator"}), "helpline_id"),
    ];
    for (body, field) in cases {
        let resp = app.post("/api/v1/users", Some(&token), &body).await;
        let p = problem(resp, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(p["code"], "validation_failed", "{body}");
        assert_eq!(p["errors"][0]["field"], field, "{body}");
        assert!(!p["errors"][0]["message"].as_str().unwrap().is_empty());
    }

    // Ids that name nothing are validation errors, and nothing is written.
    let p = problem(
        app.post(
            "/api/v1/users",
            Some(&token),
            &json!({"email": "staff@b.be", "role": "relay_staff", "relay_point_id": uuid::Uuid::new_v4()}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "relay_point_id");

    let p = problem(app.get("/api/v1/users?limit=0", &token).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(p["errors"][0]["field"], "limit");
    problem(app.get("/api/v1/users?role=overlord", &token).await, StatusCode::BAD_REQUEST).await;
    problem(app.get("/api/v1/users?colour=red", &token).await, StatusCode::BAD_REQUEST).await;

    assert_eq!(app.count("users"), users_before);
}

async fn authorisation_failures_are_401_and_403(app: TestApp) {
    let admin = app.admin_token().await;
    let scopes = app.seed_scopes();
    let (_, password) = app
        .create_user(
            &admin,
            json!({"email": "pharmacist@example.be", "role": "relay_staff", "relay_point_id": scopes.relay_point}),
        )
        .await;
    let staff = app.login_ok("pharmacist@example.be", &password).await.access;

    problem(app.request(Method::GET, "/api/v1/users", None, None).await, StatusCode::UNAUTHORIZED).await;
    let body = problem(app.get("/api/v1/users", &staff).await, StatusCode::FORBIDDEN).await;
    assert_eq!(body["code"], "forbidden");
    problem(
        app.post("/api/v1/users", Some(&staff), &json!({"email": "x@y.be", "role": "admin"})).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    // The staff member's own account still answers.
    let me: Value = app.get("/api/v1/me", &staff).await.json().await.unwrap();
    assert_eq!(me["relay_point_id"], scopes.relay_point);
    assert_eq!(me["programme_id"], scopes.programme);
}

async fn duplicates_are_409(app: TestApp) {
    let admin = app.admin_token().await;
    app.create_user(&admin, json!({"email": "dup@example.be", "role": "admin"})).await;
    let body = problem(
        app.post("/api/v1/users", Some(&admin), &json!({"email": "DUP@example.be", "role": "admin"})).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(body["code"], "conflict");
    assert_eq!(app.count("users WHERE email = 'dup@example.be'"), 1);
}

/// With its database gone, the service answers 503 with Retry-After, not 500.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn database_outage_is_503_with_retry_after() {
    let Some(app) = try_spawn_app(Backend::Postgres).await else { return };
    let token = app.admin_token().await;
    crate::postgres::drop_database(&app.database_url);
    let resp = app.get("/api/v1/me", &token).await;
    assert_eq!(resp.headers()["retry-after"], "5");
    let body = problem(resp, StatusCode::SERVICE_UNAVAILABLE).await;
    assert_eq!(body["code"], "service_unavailable");
    let ready = app.request(Method::GET, "/readyz", None, None).await;
    problem(ready, StatusCode::SERVICE_UNAVAILABLE).await;
}
