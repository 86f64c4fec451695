//! The end-to-end privacy test. The real `saferelay` binary serves (debug logging,
//! retention every second, a real SMTP server); one signal is worked and closed,
//! another is warned about and expires. Afterwards neither phone number (E.164,
//! digits, or as typed) nor alias is anywhere the system wrote: the database
//! (every byte of the SQLite file after a checkpoint, or every PostgreSQL row),
//! every line the server and `saferelay purge` printed, every e-mail received.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::cases::{EVC, helpline_user};
use crate::helpers::{Backend, TestApp, dump_database, fresh_database_url};
use crate::retention::{age, purge, reference_of};
use crate::signals::{body, relay_staff, submit};
use crate::smtp::SmtpServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    a_closed_or_expired_signal_leaves_no_trace_of_the_person(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    a_closed_or_expired_signal_leaves_no_trace_of_the_person(Backend::Postgres).await;
}

/// A unique Belgian mobile number: (as typed, E.164, national digits).
fn unique_phone() -> (String, String, String) {
    let d = format!("{:06}", uuid::Uuid::new_v4().as_u128() % 1_000_000);
    let typed = format!("0476 {} {} {}", &d[0..2], &d[2..4], &d[4..6]);
    (typed, format!("+32476{d}"), format!("476{d}"))
}

fn unique_alias() -> String {
    format!("Zephyrine{}", &uuid::Uuid::new_v4().simple().to_string()[..8])
}

/// The server as a child process whose every output line is kept.
pub(crate) struct Server {
    pub(crate) child: Child,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Server {
    pub(crate) fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }
}

pub(crate) fn start_server(dir: &std::path::Path, database_url: &str, smtp: &str) -> Server {
    start_server_with(dir, database_url, smtp, &[])
}

/// `start_server` with more environment (e.g. `SAFERELAY_MASTER_KEYS`).
pub(crate) fn start_server_with(
    dir: &std::path::Path,
    database_url: &str,
    smtp: &str,
    env: &[(&str, String)],
) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_saferelay"))
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("SAFERELAY_PORT", "0")
        .env("SAFERELAY_DATABASE_URL", database_url)
        .env("SAFERELAY_KEY_FILE", dir.join("keys.json"))
        .env("SAFERELAY_SMTP_URL", smtp)
        .env("SAFERELAY_LOG_LEVEL", "debug")
        .env("SAFERELAY_RETENTION_INTERVAL_SECS", "1")
        .env("SAFERELAY_OUTBOX_POLL_MILLIS", "50")
        .env("SAFERELAY_REMINDERS_ENABLED", "false")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = Arc::new(Mutex::new(Vec::new()));
    let out: Box<dyn std::io::Read + Send> = Box::new(child.stdout.take().unwrap());
    let err: Box<dyn std::io::Read + Send> = Box::new(child.stderr.take().unwrap());
    for stream in [out, err] {
        let lines = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                lines.lock().unwrap().push(line);
            }
        });
    }
    Server { child, lines }
}

pub(crate) async fn wait_until(what: &str, mut done: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn a_closed_or_expired_signal_leaves_no_trace_of_the_person(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(database_url) = fresh_database_url(backend, dir.path()) else { return };
    let smtp = SmtpServer::start();
    let mut server = start_server(dir.path(), &database_url, &smtp.url());

    let (mut password, mut port) = (None, None);
    wait_until("the server to start", async || {
        for line in server.lines() {
            if let Some(p) = line.trim().strip_prefix("One-time password: ") {
                password = Some(p.to_string());
            }
            if let Ok(v) = serde_json::from_str::<Value>(&line)
                && v["message"] == "listening"
            {
                port = v["port"].as_u64();
            }
        }
        password.is_some() && port.is_some()
    })
    .await;
    let app = TestApp {
        address: format!("http://127.0.0.1:{}", port.unwrap()),
        client: reqwest::Client::new(),
        database_url: database_url.clone(),
        key_file: dir.path().join("keys.json"),
        admin_email: "admin@saferelay.local".into(),
        admin_password: password.unwrap(),
        _dir: tempfile::tempdir().unwrap(),
    };

    let (closed_phone, expired_phone) = (unique_phone(), unique_phone());
    let (closed_alias, expired_alias) = (unique_alias(), unique_alias());
    let (relay, _) = relay_staff(&app, "pharmacist@example.be").await;
    let op = helpline_user(&app, "op@example.be", "helpline_operator", EVC).await;
    helpline_user(&app, "sup@example.be", "helpline_supervisor", EVC).await;
    // The helpline also takes signed webhooks: its signing secret is stored sealed.
    let webhook_secret = format!("privacy-webhook-secret-{}", uuid::Uuid::new_v4().simple());
    let receiver = crate::receiver::Receiver::start(0, &[]);
    let patch = json!({"webhook_url": receiver.url(), "webhook_secret": webhook_secret});
    let admin = app.admin_token().await;
    let resp =
        app.request(reqwest::Method::PATCH, &format!("/api/v1/helplines/{EVC}"), Some(&admin), Some(&patch)).await;
    assert_eq!(resp.status(), reqwest::StatusCode::OK);

    // One signal is worked and closed.
    let closed = reference_of(submit(&app, &relay, "k-closed", &body(&closed_phone.0, &closed_alias)).await).await;
    // (Closing cancels a notification not yet sent: let it go out first.)
    wait_until("the first intake notification", async || !smtp.to("intake-evc@example.be").is_empty()).await;
    app.post(&format!("/api/v1/cases/{closed}/claim"), Some(&op), &json!({})).await;
    let revealed: Value =
        app.post(&format!("/api/v1/cases/{closed}/reveal"), Some(&op), &json!({})).await.json().await.unwrap();
    assert_eq!(revealed["phone"], closed_phone.1.as_str(), "the helpline did see the contact");
    app.post(&format!("/api/v1/cases/{closed}/attempts"), Some(&op), &json!({"result": "reached"})).await;
    let resp =
        app.post(&format!("/api/v1/cases/{closed}/close"), Some(&op), &json!({"outcome": "referred_support"})).await;
    assert!(resp.status().is_success());

    // The other is never called back: warned about, then expired by the server's job.
    let expired = reference_of(submit(&app, &relay, "k-expired", &body(&expired_phone.0, &expired_alias)).await).await;
    let status = async |app: &TestApp, r: &str| {
        let v: Value = app.get(&format!("/api/v1/signals/{r}"), &relay).await.json().await.unwrap();
        v["status"].as_str().unwrap_or("").to_string()
    };
    wait_until("the intake notifications", async || smtp.to("intake-evc@example.be").len() >= 2).await;
    age(&app, &expired, 6 * 24 + 1);
    wait_until("the expiry warning", async || !smtp.to("sup@example.be").is_empty()).await;
    age(&app, &expired, 7 * 24 + 1);
    wait_until("the expiry", async || status(&app, &expired).await == "expired").await;
    assert_eq!(status(&app, &closed).await, "completed");
    wait_until("minimisation", async || app.count("signals WHERE minimised") == 2).await;
    // The server's own retention job expired the signal (its log line may reach the
    // reader a moment after the work, on a loaded machine).
    wait_until("the retention job's log line", async || {
        server.lines().iter().any(|l| l.contains("retention job ran") && l.contains("\"expired\":1"))
    })
    .await;
    // `saferelay purge` as an operator would run it, on the same database.
    let purge_output = purge(&app, Some(&smtp.url())).await;

    server.child.kill().unwrap();
    server.child.wait().unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let logs = server.lines();
    assert!(logs.len() > 20, "the server's output was captured ({} lines)", logs.len());
    assert!(logs.iter().any(|l| l.contains("retention job ran") && l.contains("\"expired\":1")), "retention logged");
    assert!(logs.iter().any(|l| l.contains("\"level\":\"DEBUG\"")), "debug logging was on");
    assert_eq!(app.count("signal_contacts"), 0);

    assert!(!receiver.received().is_empty(), "the webhook was used");
    let mails = smtp.messages();
    assert!(mails.len() >= 3, "intake notifications and the warning were sent");
    let database = dump_database(&app);
    let needles = [
        &closed_phone.0,
        &closed_phone.1,
        &closed_phone.2,
        &closed_alias,
        &expired_phone.0,
        &expired_phone.1,
        &expired_phone.2,
        &expired_alias,
        &webhook_secret,
    ];
    for needle in needles {
        assert!(!database.windows(needle.len()).any(|w| w == needle.as_bytes()), "{needle} in the database");
        for line in logs.iter().chain(purge_output.lines().map(str::to_string).collect::<Vec<_>>().iter()) {
            assert!(!line.contains(needle.as_str()), "{needle} in a log line: {line}");
        }
        for mail in &mails {
            assert!(
                !mail.raw.contains(needle.as_str()) && !mail.body().contains(needle.as_str()),
                "{needle} in a mail"
            );
        }
    }
}
