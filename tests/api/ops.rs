//! Probes and metrics.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(probes_answer_and_metrics_use_route_templates);

async fn probes_answer_and_metrics_use_route_templates(app: TestApp) {
    let health: Value = app.request(Method::GET, "/healthz", None, None).await.json().await.unwrap();
    assert_eq!(health["status"], "ok");
    let ready = app.request(Method::GET, "/readyz", None, None).await;
    assert_eq!(ready.status(), StatusCode::OK);
    assert!(ready.headers().contains_key("x-request-id"));

    let admin = app.admin_token().await;
    let id = uuid::Uuid::new_v4();
    assert_eq!(app.get(&format!("/api/v1/users/{id}"), &admin).await.status(), StatusCode::NOT_FOUND);

    let metrics = app.request(Method::GET, "/metrics", None, None).await.text().await.unwrap();
    assert!(metrics.contains(r#"route="/api/v1/users/{id}",status="404""#), "{metrics}");
    assert!(metrics.contains(r#"route="/api/v1/auth/login",status="200""#));
    assert!(!metrics.contains(&id.to_string()), "raw path leaked into metrics");
    assert!(!metrics.contains(&app.admin_email));
}
