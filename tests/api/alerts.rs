//! Alerts to staff go through a durable queue: an escalation and a dead letter
//! queued while the mail server is down arrive, each once, when it comes back, even
//! after an outage longer than the delivery deadline; an alert retried past its
//! limit is given up with a metric.

use std::time::Duration;

use serde_json::{Value, json};

use crate::cases::{EVC, helpline_user};
use crate::helpers::{Backend, TestApp, ago, try_spawn_app_with};
use crate::signals::{body, relay_staff, submit};
use crate::smtp::SmtpServer;

async fn eventually(app: &TestApp, table_where: &str, n: i64) -> i64 {
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        let c = app.count(table_where);
        if c >= n || std::time::Instant::now() > deadline {
            return c;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// An app whose mail server is a port with nothing listening yet.
async fn with_mail_down(backend: Backend) -> Option<(TestApp, u16)> {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let app = try_spawn_app_with(backend, move |s| {
        s.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        s.escalation_interval_secs = 1;
    })
    .await?;
    Some((app, port))
}

/// Files an urgent signal and lets it wait 20 minutes unclaimed (EVC is open 24/7),
/// so that the next escalation pass escalates it.
async fn urgent_and_unclaimed(app: &TestApp) -> String {
    let (relay, _) = relay_staff(app, "p@example.be").await;
    let mut b = body("0470 16 18 03", "Ottilie");
    b["urgency"] = json!("immediate_danger");
    let r: Value = submit(app, &relay, "u", &b).await.json().await.unwrap();
    let reference = r["reference"].as_str().unwrap().to_string();
    let moved = app.execute(&format!(
        "UPDATE signals SET created_at = {} WHERE reference = '{reference}'",
        ago(chrono::Duration::minutes(20))
    ));
    assert_eq!(moved, 1);
    reference
}

async fn every_alert_arrives_once_after_an_outage_longer_than_the_deadline(backend: Backend) {
    let Some((app, port)) = with_mail_down(backend).await else { return };
    helpline_user(&app, "sup@example.be", "helpline_supervisor", EVC).await;
    let reference = urgent_and_unclaimed(&app).await;

    // Escalated while the mail server is down: the alert is queued with the mark.
    assert_eq!(eventually(&app, "staff_alerts WHERE kind = 'escalation' AND attempts >= 1", 1).await, 1);
    assert_eq!(app.count("signals WHERE escalated_at IS NOT NULL"), 1);
    assert_eq!(app.count("staff_alerts WHERE kind = 'escalation'"), 1, "one supervisor, one alert");

    // The intake e-mail fails until the delivery deadline: dead-lettered, and the
    // supervisors' alert is queued with it.
    assert_eq!(eventually(&app, "outbox WHERE channel = 'email' AND attempts >= 1", 1).await, 1);
    let moved = app.execute(&format!(
        "UPDATE outbox SET created_at = {}, next_attempt_at = {} WHERE channel = 'email' AND status = 'pending'",
        ago(chrono::Duration::minutes(61)),
        ago(chrono::Duration::zero())
    ));
    assert_eq!(moved, 1);
    assert_eq!(eventually(&app, "outbox WHERE channel = 'email' AND status = 'dead'", 1).await, 1);
    assert_eq!(eventually(&app, "staff_alerts WHERE kind = 'delivery_failed' AND attempts >= 1", 1).await, 1);

    // The outage outlasts the delivery deadline: the alerts are still retried.
    let moved = app.execute(&format!(
        "UPDATE staff_alerts SET created_at = {}, next_attempt_at = {}, last_error = NULL",
        ago(chrono::Duration::minutes(90)),
        ago(chrono::Duration::zero())
    ));
    assert_eq!(moved, 2);
    assert_eq!(eventually(&app, "staff_alerts WHERE status = 'pending' AND last_error IS NOT NULL", 2).await, 2);
    assert_eq!(app.count("staff_alerts WHERE status = 'dead'"), 0);
    assert!(app.count("staff_alerts WHERE attempts >= 2") == 2);

    // The mail server is back (and the backoff's next try has come).
    let smtp = SmtpServer::start_on(port);
    app.execute(&format!("UPDATE staff_alerts SET next_attempt_at = {}", ago(chrono::Duration::zero())));
    assert_eq!(eventually(&app, "staff_alerts WHERE status = 'sent'", 2).await, 2);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let about: Vec<_> =
        smtp.to("sup@example.be").into_iter().filter(|m| m.body().contains(reference.as_str())).collect();
    assert_eq!(about.len(), 2, "the escalation and the dead letter, once each");
    assert!(about.iter().any(|m| m.body().contains("email")), "the dead letter names its channel");
    for m in &about {
        for secret in ["161803", "16 18 03", "Ottilie"] {
            assert!(!m.raw.contains(secret), "an alert carries {secret}");
        }
    }
    assert!(smtp.to("intake-evc@example.be").is_empty(), "a dead letter is not sent again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_alert_arrives_once_after_an_outage_longer_than_the_deadline_on_sqlite() {
    every_alert_arrives_once_after_an_outage_longer_than_the_deadline(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_alert_arrives_once_after_an_outage_longer_than_the_deadline_on_postgres() {
    every_alert_arrives_once_after_an_outage_longer_than_the_deadline(Backend::Postgres).await;
}

async fn an_alert_retried_for_three_days_is_given_up_and_counted(backend: Backend) {
    let Some((app, port)) = with_mail_down(backend).await else { return };
    helpline_user(&app, "sup@example.be", "helpline_supervisor", EVC).await;
    let reference = urgent_and_unclaimed(&app).await;
    assert_eq!(eventually(&app, "staff_alerts WHERE kind = 'escalation' AND attempts >= 1", 1).await, 1);
    app.execute(&format!(
        "UPDATE staff_alerts SET created_at = {}, next_attempt_at = {}",
        ago(chrono::Duration::hours(73)),
        ago(chrono::Duration::zero())
    ));
    assert_eq!(eventually(&app, "staff_alerts WHERE status = 'dead'", 1).await, 1);
    let metrics = app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("saferelay_alerts_dead_total 1"), "{metrics}");
    let smtp = SmtpServer::start_on(port);
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(smtp.to("sup@example.be").iter().all(|m| !m.body().contains(reference.as_str())));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alert_retried_for_three_days_is_given_up_and_counted_on_sqlite() {
    an_alert_retried_for_three_days_is_given_up_and_counted(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alert_retried_for_three_days_is_given_up_and_counted_on_postgres() {
    an_alert_retried_for_three_days_is_given_up_and_counted(Backend::Postgres).await;
}
