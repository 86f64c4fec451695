//! Retention, run with the real `saferelay purge` command against the test's
//! database: contacts destroyed, old open signals expired (supervisors warned once,
//! 24 hours before, over a real SMTP server), closed signals minimised, and
//! idempotency, audit and delivery records purged after their own retention.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::cases::{EVC, helpline_user};
use crate::helpers::TestApp;
use crate::signals::{body, relay_staff, submit};
use crate::smtp::SmtpServer;
use crate::{on_both_backends, on_both_backends_with_smtp};

on_both_backends_with_smtp!(old_open_signals_expire_after_one_warning_and_lose_their_contact);
on_both_backends!(
    a_closed_signal_keeps_no_contact_and_only_what_statistics_need,
    idempotency_audit_and_delivery_records_are_purged_after_their_retention,
);

/// Runs `saferelay purge` on the app's database (and SMTP server); returns its output.
pub async fn purge(app: &TestApp, smtp: Option<&str>) -> String {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_saferelay"));
    cmd.arg("purge")
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("SAFERELAY_DATABASE_URL", &app.database_url)
        .env("SAFERELAY_KEY_FILE", &app.key_file)
        .env("SAFERELAY_LOG_LEVEL", "debug");
    if let Some(url) = smtp {
        cmd.env("SAFERELAY_SMTP_URL", url);
    }
    let out = cmd.output().await.unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "purge failed: {text}");
    text
}

/// Moves a signal's submission time `hours` into the past.
pub fn age(app: &TestApp, reference: &str, hours: i64) {
    let at = (chrono::Utc::now().naive_utc() - chrono::Duration::hours(hours)).format("%Y-%m-%d %H:%M:%S");
    app.db().batch_execute(&format!("UPDATE signals SET created_at = '{at}' WHERE reference = '{reference}'")).unwrap();
}

pub async fn reference_of(resp: reqwest::Response) -> String {
    assert_eq!(resp.status(), StatusCode::CREATED);
    resp.json::<Value>().await.unwrap()["reference"].as_str().unwrap().to_string()
}

async fn old_open_signals_expire_after_one_warning_and_lose_their_contact(app: TestApp, smtp: SmtpServer) {
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    helpline_user(&app, "sup@example.be", "helpline_supervisor", EVC).await;
    let r = reference_of(submit(&app, &relay, "k1", &body("0470 11 22 33", "Ondine")).await).await;
    let fresh = reference_of(submit(&app, &relay, "k2", &body("0470 44 55 66", "Brune")).await).await;

    // 6 days and 2 hours old: inside the last 24 hours of a 7-day life.
    age(&app, &r, 6 * 24 + 2);
    let out = purge(&app, Some(&smtp.url())).await;
    assert!(out.contains("expiry warnings: 1") && out.contains("expired: 0"), "{out}");
    purge(&app, Some(&smtp.url())).await;
    let warnings = smtp.to("sup@example.be");
    assert_eq!(warnings.len(), 1, "warned once");
    let mail = format!("{}\n{}", warnings[0].subject(), warnings[0].body());
    assert!(mail.contains(&r), "{mail}");
    for secret in ["+32470112233", "470112233", "0470 11 22 33", "Ondine"] {
        assert!(!mail.contains(secret), "the warning carries {secret}");
    }

    age(&app, &r, 7 * 24 + 1);
    let out = purge(&app, Some(&smtp.url())).await;
    assert!(out.contains("expired: 1"), "{out}");
    let seen: Value = app.get(&format!("/api/v1/signals/{r}"), &relay).await.json().await.unwrap();
    assert_eq!(seen["status"], "expired");
    let fresh_seen: Value = app.get(&format!("/api/v1/signals/{fresh}"), &relay).await.json().await.unwrap();
    assert_ne!(fresh_seen["status"], "expired");
    assert_eq!(app.count("signal_contacts"), 1, "only the fresh signal keeps its contact");
    assert_eq!(app.count(&format!("signals WHERE reference = '{r}' AND closed_at IS NOT NULL AND outcome IS NULL")), 1);
    assert_eq!(app.count("audit_log WHERE action = 'signal.expired' AND actor_id IS NULL"), 1);
    let id = signal_id(&app, &r);
    assert_eq!(app.count(&format!("outbox WHERE signal_id = '{id}' AND status IN ('pending', 'in_flight')")), 0);
    // The helpline sees it closed; no reveal is possible any more.
    let op = helpline_user(&app, "op@example.be", "helpline_operator", EVC).await;
    let closed: Value = app.get("/api/v1/cases?state=closed", &op).await.json().await.unwrap();
    assert_eq!(closed["items"][0]["reference"], r);
    assert_eq!(closed["items"][0]["status"], "expired");
    assert_eq!(smtp.to("sup@example.be").len(), 1, "no second warning after expiry");
}

pub fn signal_id(app: &TestApp, reference: &str) -> String {
    use saferelay::db::schema::signals::dsl as s;
    s::signals.filter(s::reference.eq(reference)).select(s::id).first(&mut app.db()).unwrap()
}

async fn a_closed_signal_keeps_no_contact_and_only_what_statistics_need(app: TestApp) {
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    let r = reference_of(submit(&app, &relay, "k", &body("0470 77 88 99", "Maud")).await).await;
    let op = helpline_user(&app, "op@example.be", "helpline_operator", EVC).await;
    for step in ["claim", "attempts", "close"] {
        let body = match step {
            "attempts" => json!({"result": "reached"}),
            "close" => json!({"outcome": "referred_support"}),
            _ => json!({}),
        };
        let resp = app.post(&format!("/api/v1/cases/{r}/{step}"), Some(&op), &body).await;
        assert!(resp.status().is_success(), "{step}: {}", resp.status());
    }
    // A closed signal that still held a contact (a crash, an older version) loses it too.
    let other = reference_of(submit(&app, &relay, "k2", &body("0470 12 12 12", "Lise")).await).await;
    app.db()
        .batch_execute(&format!(
            "UPDATE signals SET status = 'completed', outcome = 'declined', closed_at = created_at WHERE reference = '{other}'"
        ))
        .unwrap();
    assert_eq!(app.count("signal_contacts"), 1);

    let out = purge(&app, None).await;
    assert!(out.contains("contacts destroyed: 1") && out.contains("minimised: 2"), "{out}");
    assert_eq!(app.count("signal_contacts"), 0);
    assert_eq!(app.count("call_attempts"), 0, "attempt times hint at the safe windows");
    let id = signal_id(&app, &r);
    assert_eq!(
        app.count(&format!(
            "signals WHERE id = '{id}' AND minimised AND claimed_by IS NULL AND first_attempt_at IS NULL
             AND forwarded_at IS NULL AND minutes_to_first_attempt IS NOT NULL AND minutes_to_close IS NOT NULL"
        )),
        1
    );
    use saferelay::db::schema::signals::dsl as s;
    let created: chrono::NaiveDateTime = s::signals.find(&id).select(s::created_at).first(&mut app.db()).unwrap();
    assert_eq!(created, saferelay::stats::model::day_start(created), "only the day is kept");
    let seen: Value = app.get(&format!("/api/v1/signals/{r}"), &relay).await.json().await.unwrap();
    assert_eq!(seen["status"], "completed");
}

async fn idempotency_audit_and_delivery_records_are_purged_after_their_retention(app: TestApp) {
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    let r = reference_of(submit(&app, &relay, "k", &body("0470 31 31 31", "Iris")).await).await;
    reference_of(submit(&app, &relay, "k2", &body("0470 32 32 32", "Jade")).await).await;
    let id = signal_id(&app, &r);
    // Let the outbox worker finish the delivery first, so it does not touch the row after us.
    for _ in 0..200 {
        if app.count(&format!("outbox WHERE signal_id = '{id}' AND status = 'delivered'")) == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let (old, week) = (
        (chrono::Utc::now().naive_utc() - chrono::Duration::days(400)).format("%Y-%m-%d %H:%M:%S"),
        (chrono::Utc::now().naive_utc() - chrono::Duration::days(31)).format("%Y-%m-%d %H:%M:%S"),
    );
    let a = uuid::Uuid::new_v4();
    app.db()
        .batch_execute(&format!(
            "UPDATE idempotency_keys SET expires_at = '{old}' WHERE idem_key = 'k';
             INSERT INTO audit_log (id, action, signal_id, created_at) VALUES ('{a}', 'signal.claimed', '{id}', '{old}');
             UPDATE outbox SET status = 'delivered', updated_at = '{week}' WHERE signal_id = '{id}';
             INSERT INTO delivery_attempts (id, outbox_id, attempted_at, outcome) SELECT '{a}', id, '{week}', 'delivered' FROM outbox WHERE signal_id = '{id}';"
        ))
        .unwrap();
    let (keys, outbox) = (app.count("idempotency_keys"), app.count("outbox"));
    let out = purge(&app, None).await;
    assert!(out.contains("idempotency records purged: 1"), "{out}");
    assert!(out.contains("audit rows purged: 1"), "{out}");
    assert!(out.contains("deliveries purged: 1"), "{out}");
    assert_eq!(app.count("idempotency_keys"), keys - 1);
    assert_eq!(app.count(&format!("audit_log WHERE id = '{a}'")), 0);
    assert_eq!(app.count(&format!("delivery_attempts WHERE id = '{a}'")), 0);
    assert_eq!(app.count("outbox"), outbox - 1);
    assert_eq!(app.count("signals"), 2, "signals stay: their retention is their own");
}
