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

/// Every log line of a request carries that request's id — and only it — even when
/// many requests interleave on the same worker threads. The real binary serves, with
/// its production JSON logs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_log_their_own_request_id() {
    use crate::helpers::{Backend, fresh_database_url};
    use crate::privacy::{start_server, wait_until};

    let dir = tempfile::tempdir().unwrap();
    let database_url = fresh_database_url(Backend::Sqlite, dir.path()).unwrap();
    let smtp = crate::smtp::SmtpServer::start();
    let mut server = start_server(dir.path(), &database_url, &smtp.url());
    let mut port = None;
    wait_until("the server to start", async || {
        port = server
            .lines()
            .iter()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .find_map(|v| (v["message"] == "listening").then(|| v["port"].as_u64()).flatten());
        port.is_some()
    })
    .await;
    let url = format!("http://127.0.0.1:{}/readyz", port.unwrap());

    // Each /readyz waits on the database, so the requests interleave on the workers.
    let client = reqwest::Client::new();
    let answers = futures_util::future::join_all((0..40).map(|_| client.get(&url).send())).await;
    let sent: std::collections::BTreeSet<String> =
        answers.into_iter().map(|r| r.unwrap().headers()["x-request-id"].to_str().unwrap().to_string()).collect();
    assert_eq!(sent.len(), 40);

    let mut logged = Vec::new();
    wait_until("the request lines", async || {
        logged = server
            .lines()
            .iter()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(|v| v["message"] == "request" && v["route"] == "/readyz")
            .collect();
        logged.len() >= 40
    })
    .await;
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    let ids: std::collections::BTreeSet<String> =
        logged.iter().map(|v| v["span"]["request_id"].as_str().unwrap_or_default().to_string()).collect();
    assert_eq!(ids, sent, "each request's line names that request");
    assert!(logged.iter().all(|v| v.get("spans").is_none()), "no list of other requests' spans");
}
