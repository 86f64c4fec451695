//! Probes and metrics.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(probes_answer_and_metrics_use_route_templates, readyz_is_503_while_a_migration_is_pending);

async fn probes_answer_and_metrics_use_route_templates(app: TestApp) {
    let health: Value = app.request(Method::GET, "/healthz", None, None).await.json().await.unwrap();
    assert_eq!(health["status"], "ok");
    let ready = app.request(Method::GET, "/readyz", None, None).await;
    assert_eq!(ready.status(), StatusCode::OK);
    assert!(ready.headers().contains_key("x-request-id"));

    let admin = app.admin_token().await;
    let id = uuid::Uuid::new_v4();
    assert_eq!(app.get(&format!("/api/v1/users/{id}"), &admin).await.status(), StatusCode::NOT_FOUND);

    // Made-up methods count as OTHER: they cannot grow the series.
    for made_up in ["FOOBAR", "BAZQUX"] {
        let m = Method::from_bytes(made_up.as_bytes()).unwrap();
        app.request(m, "/api/v1/me", None, None).await;
    }

    let metrics = app.request(Method::GET, "/metrics", None, None).await.text().await.unwrap();
    assert!(metrics.contains(r#"route="/api/v1/users/{id}",status="404""#), "{metrics}");
    assert!(!metrics.contains("FOOBAR") && !metrics.contains("BAZQUX"), "{metrics}");
    assert!(metrics.contains(r#"method="OTHER""#), "{metrics}");
    assert!(metrics.contains(r#"route="/api/v1/auth/login",status="200""#));
    assert!(!metrics.contains(&id.to_string()), "raw path leaked into metrics");
    assert!(!metrics.contains(&app.admin_email));
}

async fn readyz(app: &TestApp) -> StatusCode {
    app.request(Method::GET, "/readyz", None, None).await.status()
}

/// The last migration reverted on the running app's database (its `down.sql` run,
/// its version forgotten): not ready until it is applied again.
async fn readyz_is_503_while_a_migration_is_pending(app: TestApp) {
    assert_eq!(readyz(&app).await, StatusCode::OK);
    let mut conn = app.db();
    let tree = match conn {
        saferelay::db::AnyConnection::Sqlite(_) => "sqlite",
        saferelay::db::AnyConnection::Postgresql(_) => "postgres",
    };
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(tree);
    let mut names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    let last = names.last().unwrap();
    let version: String = last.split('_').next().unwrap().replace('-', "");
    let down = std::fs::read_to_string(dir.join(last).join("down.sql")).unwrap();
    diesel::connection::SimpleConnection::batch_execute(&mut conn, &down).unwrap();
    let forgotten = app.execute(&format!("DELETE FROM __diesel_schema_migrations WHERE version = '{version}'"));
    assert_eq!(forgotten, 1, "version {version} was applied");
    assert_eq!(saferelay::db::pending_migrations(&mut conn).unwrap(), 1);

    let resp = app.request(Method::GET, "/readyz", None, None).await;
    assert!(resp.headers().contains_key("retry-after"));
    crate::helpers::problem(resp, StatusCode::SERVICE_UNAVAILABLE).await;
    // Liveness does not depend on the database.
    assert_eq!(app.request(Method::GET, "/healthz", None, None).await.status(), StatusCode::OK);

    assert_eq!(saferelay::db::run_migrations(&mut conn).unwrap(), [version]);
    assert_eq!(readyz(&app).await, StatusCode::OK);
}

/// PostgreSQL refusing connections (its server stopped): 503 meanwhile, 200 once it
/// is back, without restarting the app.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_is_503_while_postgres_refuses_connections_and_200_after() {
    let Some(cluster) = crate::postgres::Dedicated::start() else { return };
    let url = cluster.url("app");
    let app = crate::helpers::try_spawn_app_with(crate::helpers::Backend::Sqlite, move |s| s.database_url = url)
        .await
        .unwrap();
    assert_eq!(readyz(&app).await, StatusCode::OK);
    cluster.down();
    let resp = app.request(Method::GET, "/readyz", None, None).await;
    assert!(resp.headers().contains_key("retry-after"));
    crate::helpers::problem(resp, StatusCode::SERVICE_UNAVAILABLE).await;
    cluster.up();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let mut status = readyz(&app).await;
    while status != StatusCode::OK && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        status = readyz(&app).await;
    }
    assert_eq!(status, StatusCode::OK, "ready again once PostgreSQL is back");
}

/// The SQLite file made unreadable under the running app (its pages and its WAL
/// index overwritten, as a failing disk would): 503, not a 500.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_is_503_when_the_sqlite_file_is_unreadable() {
    use std::io::Write;
    let app = crate::helpers::try_spawn_app(crate::helpers::Backend::Sqlite).await.unwrap();
    assert_eq!(readyz(&app).await, StatusCode::OK);
    let path = saferelay::db::DatabaseUrl::parse(&app.database_url).unwrap().sqlite_path().unwrap().to_string();
    diesel::connection::SimpleConnection::batch_execute(&mut app.db(), "PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    // Overwritten in place (the app's connections keep the files open).
    for file in [path.clone(), format!("{path}-shm")] {
        let len = std::fs::metadata(&file).unwrap().len() as usize;
        let mut f = std::fs::OpenOptions::new().write(true).open(&file).unwrap();
        f.write_all(&vec![0xA5; len]).unwrap();
        f.sync_all().unwrap();
    }
    let resp = app.request(Method::GET, "/readyz", None, None).await;
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(resp.headers().contains_key("retry-after"));
    crate::helpers::problem(resp, StatusCode::SERVICE_UNAVAILABLE).await;
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

/// With `SAFERELAY_METRICS_ADDR`, metrics are served there only: the public
/// listener has no `/metrics`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_can_live_on_their_own_listener_and_leave_the_public_one() {
    let dir = tempfile::tempdir().unwrap();
    let url = crate::helpers::fresh_database_url(crate::helpers::Backend::Sqlite, dir.path()).unwrap();
    let mut settings = crate::helpers::test_settings(dir.path(), url);
    settings.metrics_addr = Some("127.0.0.1:0".into());
    let app = saferelay::startup::Application::build(settings).await.unwrap();
    let (public, private) = (app.port(), app.metrics_port().expect("a metrics listener"));
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::new();
    let healthz = client.get(format!("http://127.0.0.1:{public}/healthz")).send().await.unwrap();
    assert_eq!(healthz.status(), StatusCode::OK);
    let on_public = client.get(format!("http://127.0.0.1:{public}/metrics")).send().await.unwrap();
    assert_eq!(on_public.status(), StatusCode::NOT_FOUND);
    let scraped = client.get(format!("http://127.0.0.1:{private}/metrics")).send().await.unwrap();
    assert_eq!(scraped.status(), StatusCode::OK);
    let text = scraped.text().await.unwrap();
    assert!(text.contains(r#"route="/healthz",status="200""#), "{text}");
    let other = client.get(format!("http://127.0.0.1:{private}/healthz")).send().await.unwrap();
    assert_eq!(other.status(), StatusCode::NOT_FOUND, "the metrics listener serves metrics only");
}
