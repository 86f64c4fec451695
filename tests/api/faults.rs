//! Fault injection: the server is killed (SIGKILL) while a client files 500 signals
//! with retries and idempotency keys; after a restart every signal exists exactly
//! once and every notification is delivered.

use std::collections::HashSet;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::{Backend, fresh_database_url};
use crate::signals::body;
use crate::smtp::SmtpServer;

const BIN: &str = env!("CARGO_BIN_EXE_saferelay");
const SIGNALS: usize = 500;

fn command(dir: &std::path::Path, database_url: &str, port: u16, smtp: &str) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("SAFERELAY_DATABASE_URL", database_url)
        .env("SAFERELAY_KEY_FILE", dir.join("keys.json"))
        .env("SAFERELAY_PORT", port.to_string())
        .env("SAFERELAY_SMTP_URL", smtp)
        .env("SAFERELAY_SIGNAL_RATE_LIMIT_PER_HOUR", "100000")
        .env("SAFERELAY_OUTBOX_POLL_MILLIS", "50")
        .env("SAFERELAY_LOG_LEVEL", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

async fn wait_ready(base: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if reqwest::get(format!("{base}/readyz")).await.is_ok_and(|r| r.status().is_success()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("server did not become ready");
}

/// Files one signal, retrying through refused connections, resets and 5xx.
async fn file(client: &reqwest::Client, base: &str, token: &str, key: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let sent = client
            .post(format!("{base}/api/v1/signals"))
            .bearer_auth(token)
            .header("idempotency-key", key)
            .json(&body("0470 99 88 77", "Kill"))
            .timeout(Duration::from_secs(10))
            .send()
            .await;
        if let Ok(resp) = sent {
            if resp.status().as_u16() == 201 {
                let v: Value = resp.json().await.unwrap();
                return v["reference"].as_str().unwrap().to_string();
            }
            assert!(resp.status().is_server_error(), "unexpected status {}", resp.status());
        }
        assert!(Instant::now() < deadline, "signal {key} never accepted");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn kill_mid_load(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(database_url) = fresh_database_url(backend, dir.path()) else { return };
    let smtp = SmtpServer::start();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");

    let demo =
        command(dir.path(), &database_url, port, &smtp.url()).arg("demo").stdout(Stdio::piped()).output().unwrap();
    assert!(demo.status.success());
    let creds = String::from_utf8_lossy(&demo.stdout).to_string();
    let password = creds
        .lines()
        .find(|l| l.contains("pharmacist@demo"))
        .and_then(|l| l.split_whitespace().nth(2))
        .unwrap()
        .to_string();

    let mut server: Child = command(dir.path(), &database_url, port, &smtp.url()).spawn().unwrap();
    wait_ready(&base).await;
    let client = reqwest::Client::new();
    let login: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": "pharmacist@demo.saferelay.local", "password": password}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["access_token"].as_str().unwrap().to_string();

    let done = Arc::new(AtomicUsize::new(0));
    let filer = {
        let (client, base, token, done) = (client.clone(), base.clone(), token.clone(), done.clone());
        tokio::spawn(async move {
            let mut refs = Vec::new();
            for i in 0..SIGNALS {
                refs.push(file(&client, &base, &token, &format!("kill-{i}")).await);
                done.fetch_add(1, Ordering::SeqCst);
            }
            refs
        })
    };
    while done.load(Ordering::SeqCst) < SIGNALS / 3 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill().unwrap(); // SIGKILL: no shutdown, no flush
    server.wait().unwrap();
    let killed_at = done.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut server = command(dir.path(), &database_url, port, &smtp.url()).spawn().unwrap();
    let refs = filer.await.unwrap();
    assert!(killed_at < SIGNALS, "the kill happened mid-load");

    let unique: HashSet<&String> = refs.iter().collect();
    assert_eq!(unique.len(), SIGNALS, "each idempotency key kept one reference");
    let app_db = saferelay::db::DatabaseUrl::parse(&database_url).unwrap();
    let count = |sql: &str| {
        use diesel::prelude::*;
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        diesel::sql_query(sql).get_result::<N>(&mut app_db.connect().unwrap()).unwrap().n
    };
    assert_eq!(count("SELECT COUNT(*) AS n FROM signals"), SIGNALS as i64, "every signal exactly once");
    assert_eq!(count("SELECT COUNT(*) AS n FROM signal_contacts"), SIGNALS as i64);

    // Every notification arrives (at least once: a kill between sending and
    // recording resends one, which receivers de-duplicate by reference).
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut delivered = HashSet::new();
    while delivered.len() < SIGNALS && Instant::now() < deadline {
        delivered = smtp
            .messages()
            .iter()
            .filter_map(|m| refs.iter().find(|r| m.body().contains(r.as_str())).cloned())
            .collect();
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(delivered.len(), SIGNALS, "every signal's helpline was notified");
    assert!(smtp.messages().len() <= SIGNALS + 20, "resends are limited to what was in flight at the kill");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_mid_load_loses_and_duplicates_nothing_on_sqlite() {
    kill_mid_load(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_mid_load_loses_and_duplicates_nothing_on_postgres() {
    kill_mid_load(Backend::Postgres).await;
}

/// PostgreSQL restarted mid-load: clients get 503 with Retry-After meanwhile, their
/// retries succeed afterwards, and nothing is lost or duplicated.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_restart_mid_load_gives_503_then_loses_and_duplicates_nothing() {
    let Some(cluster) = crate::postgres::Dedicated::start() else { return };
    let url = cluster.url("app");
    let app = crate::helpers::try_spawn_app_with(Backend::Sqlite, move |s| {
        s.database_url = url;
        s.signal_rate_limit_per_hour = 100_000;
    })
    .await
    .unwrap();
    let (token, _) = crate::signals::relay_staff(&app, "p@example.be").await;
    const N: usize = 120;
    let (mut unavailable, mut retry_after_seen) = (0, true);
    let mut refs = HashSet::new();
    for i in 0..N {
        if i == N / 3 {
            cluster.down();
        }
        if i == N / 3 + 5 {
            cluster.up();
        }
        loop {
            let resp = app
                .client
                .post(app.url("/api/v1/signals"))
                .bearer_auth(&token)
                .header("idempotency-key", format!("pg-{i}"))
                .json(&body("0470 55 44 33", "A"))
                .send()
                .await
                .unwrap();
            match resp.status().as_u16() {
                201 => {
                    refs.insert(resp.json::<Value>().await.unwrap()["reference"].as_str().unwrap().to_string());
                    break;
                }
                503 => {
                    unavailable += 1;
                    retry_after_seen &= resp.headers().contains_key("retry-after");
                    if i >= N / 3 + 5 {
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    } else {
                        break; // keep filing other signals while the database is down
                    }
                }
                s => panic!("unexpected status {s}"),
            }
        }
    }
    // Signals refused while the database was down are retried now.
    for i in N / 3..N / 3 + 5 {
        let key = format!("pg-{i}");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let resp = app
                .client
                .post(app.url("/api/v1/signals"))
                .bearer_auth(&token)
                .header("idempotency-key", &key)
                .json(&body("0470 55 44 33", "A"))
                .send()
                .await
                .unwrap();
            if resp.status().as_u16() == 201 {
                refs.insert(resp.json::<Value>().await.unwrap()["reference"].as_str().unwrap().to_string());
                break;
            }
            assert!(Instant::now() < deadline, "retry of {key} never succeeded");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    assert!(unavailable > 0, "the outage was seen by clients");
    assert!(retry_after_seen, "every 503 carried Retry-After");
    assert_eq!(refs.len(), N);
    assert_eq!(app.count("signals"), N as i64, "nothing lost, nothing duplicated");
}
