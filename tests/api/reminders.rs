//! Reminders arrive by real e-mail: `saferelay remind` (and the job inside `serve`)
//! write to staff whose required training expires within 30 days, once per expiry,
//! in their language, and send managers a weekly digest of relays that changed.

use std::process::Command;

use serde_json::json;

use crate::helpers::{Backend, TestApp, try_spawn_app_with};
use crate::on_both_backends_with_smtp;
use crate::smtp::SmtpServer;

on_both_backends_with_smtp!(remind_sends_once_per_expiry_and_a_weekly_digest);

fn remind(app: &TestApp, smtp: &SmtpServer, as_of: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_saferelay"))
        .args(["remind", "--as-of", as_of])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("SAFERELAY_DATABASE_URL", &app.database_url)
        .env("SAFERELAY_SMTP_URL", smtp.url())
        .env("SAFERELAY_LOG_LEVEL", "warn")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "remind failed: {stdout} {}", String::from_utf8_lossy(&out.stderr));
    stdout
}

async fn remind_sends_once_per_expiry_and_a_weekly_digest(app: TestApp, smtp: SmtpServer) {
    let admin = app.admin_token().await;
    let m = app.programme_with_manager(&admin, "vl", "fr").await;
    let relay = app.relay(&m.manager, "Apotheek Centrum", "9000", "pharmacy").await;
    let relay = relay["id"].as_str().unwrap();
    let (staff, password) = app
        .create_user(
            &admin,
            json!({"email": "jan@example.be", "role": "relay_staff", "relay_point_id": relay, "language": "nl"}),
        )
        .await;
    let _ = password;
    let module = app.module(&m.manager, "Mask-19 basis", 24, true).await;
    app.complete(&m.manager, &staff, &module, "2024-12-10").await; // expires 2026-12-10

    // 2026-12-01: nine days before expiry. One reminder (Dutch), one digest (French).
    assert!(remind(&app, &smtp, "2026-12-01").contains("reminders sent: 1, digests sent: 1"));
    let mails = smtp.wait_for(2).await;
    let to_staff = smtp.to("jan@example.be");
    assert_eq!(to_staff.len(), 1);
    assert_eq!(to_staff[0].subject(), "Uw Mask-19-opleiding verloopt binnenkort");
    assert!(to_staff[0].body().contains("Mask-19 basis: 2026-12-10"), "{}", to_staff[0].body());
    let digest = smtp.to("manager-vl@example.be");
    assert_eq!(digest.len(), 1);
    assert!(
        digest[0].body().contains("Apotheek Centrum (Commune): formation expirant dans 30 jours"),
        "{}",
        digest[0].body()
    );

    // Same expiry, same week: nothing new, however often the job runs.
    assert!(remind(&app, &smtp, "2026-12-01").contains("reminders sent: 0, digests sent: 0"));
    assert!(remind(&app, &smtp, "2026-12-05").contains("reminders sent: 0, digests sent: 0"));
    assert_eq!(smtp.messages().len(), mails.len());

    // The next week the relay has lapsed: the digest says so; the staff member is not reminded again.
    assert!(remind(&app, &smtp, "2026-12-10").contains("reminders sent: 0, digests sent: 1"));
    let digest = smtp.to("manager-vl@example.be");
    assert_eq!(digest.len(), 2);
    assert!(digest[1].body().contains("formation expirée"), "{}", digest[1].body());
    assert_eq!(smtp.to("jan@example.be").len(), 1);
    assert_eq!(app.count("training_reminders"), 1);
}

/// The job inside `serve` runs on its own (here every second) with today's date.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_job_inside_serve_sends_reminders() {
    let smtp = SmtpServer::start();
    let url = smtp.url();
    let app = try_spawn_app_with(Backend::Sqlite, |s| {
        s.smtp_url = Some(url);
        s.reminders_enabled = true;
        s.reminder_interval_secs = 1;
    })
    .await
    .unwrap();
    let admin = app.admin_token().await;
    let m = app.programme_with_manager(&admin, "job", "de").await;
    let relay = app.relay(&m.manager, "Apotheke Eupen", "4700", "pharmacy").await;
    let (staff, _) = app
        .create_user(
            &admin,
            json!({"email": "anna@example.be", "role": "relay_staff", "relay_point_id": relay["id"], "language": "de"}),
        )
        .await;
    let module = app.module(&m.manager, "Grundlagen", 12, true).await;
    // Completed eleven months and a bit ago: expires within the next 30 days.
    let completed = (chrono::Utc::now().date_naive() - chrono::Months::new(12)) + chrono::Duration::days(10);
    app.complete(&m.manager, &staff, &module, &completed.to_string()).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while smtp.to("anna@example.be").is_empty() && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let mails = smtp.to("anna@example.be");
    assert_eq!(mails.len(), 1, "one reminder from the job");
    assert!(mails[0].body().contains("Bitte erneuern Sie sie rechtzeitig"), "{}", mails[0].body());
}
