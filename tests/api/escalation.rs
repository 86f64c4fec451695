//! Escalation of unclaimed signals and the demo network.

use std::time::Duration;

use serde_json::{Value, json};

use crate::cases::{EVC, helpline_user};
use crate::helpers::{Backend, TestApp, try_spawn_app_with};
use crate::signals::{body, relay_staff, submit};
use crate::smtp::SmtpServer;

async fn aged(app: &TestApp, reference: &str, minutes: i64) {
    use diesel::connection::SimpleConnection;
    let t = (chrono::Utc::now() - chrono::Duration::minutes(minutes)).naive_utc().format("%Y-%m-%d %H:%M:%S");
    app.db().batch_execute(&format!("UPDATE signals SET created_at = '{t}' WHERE reference = '{reference}'")).unwrap();
}

async fn escalation_case(backend: Backend) {
    let smtp = SmtpServer::start();
    let url = smtp.url();
    let Some(app) = try_spawn_app_with(backend, move |s| {
        s.smtp_url = Some(url);
        s.escalation_interval_secs = 1;
    })
    .await
    else {
        return;
    };
    helpline_user(&app, "sup@example.be", "helpline_supervisor", EVC).await;
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    let mut urgent = body("0470 16 18 03", "A");
    urgent["urgency"] = json!("immediate_danger");
    let u: Value = submit(&app, &relay, "u", &urgent).await.json().await.unwrap();
    let s: Value = submit(&app, &relay, "s", &body("0470 16 18 03", "A")).await.json().await.unwrap();
    let fresh: Value = submit(&app, &relay, "f", &urgent).await.json().await.unwrap();
    let (u, s) = (u["reference"].as_str().unwrap(), s["reference"].as_str().unwrap());
    // 0800 30 030 is open 24/7: 20 minutes waiting is 20 minutes of opening time.
    aged(&app, u, 20).await;
    aged(&app, s, 20).await;

    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while smtp.to("sup@example.be").is_empty() && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await; // several more passes of the job
    let alerts = smtp.to("sup@example.be");
    assert_eq!(alerts.len(), 1, "the urgent one only, and once");
    assert!(alerts[0].body().contains(u));
    assert!(!alerts[0].raw.contains("161803"));
    assert_eq!(app.count("signals WHERE escalated_at IS NOT NULL"), 1);
    assert_eq!(
        app.count(&format!(
            "signals WHERE reference = '{}' AND escalated_at IS NULL",
            fresh["reference"].as_str().unwrap()
        )),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unclaimed_urgent_signal_escalates_once_on_sqlite() {
    escalation_case(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unclaimed_urgent_signal_escalates_once_on_postgres() {
    escalation_case(Backend::Postgres).await;
}

#[test]
fn demo_seeds_a_network_and_prints_every_credential() {
    let dir = tempfile::tempdir().unwrap();
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_saferelay"))
            .arg("demo")
            .current_dir(dir.path())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("SAFERELAY_KEY_FILE", dir.path().join("keys.json"))
            .output()
            .unwrap()
    };
    let out = run();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    for who in [
        "admin",
        "pharmacist@demo",
        "hairdresser@demo",
        "operator.evc@demo",
        "supervisor.1712@demo",
        "manager.wal@demo",
    ] {
        assert!(text.contains(who), "{who} missing from:\n{text}");
    }
    let again = run();
    assert!(!again.status.success(), "a second demo run must refuse, not duplicate");
}
