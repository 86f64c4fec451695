//! Forwarding: e-mail read from a real SMTP server, signed webhooks to a real HTTP
//! receiver, retries through outages, dead-lettering, and several workers.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::cases::{EVC, helpline_user};
use crate::helpers::{Backend, TestApp, ago, spawn_second_instance, try_spawn_app_with};
use crate::receiver::{Receiver, signature_valid};
use crate::signals::{body, relay_staff, submit};
use crate::smtp::SmtpServer;

const SECRET: &str = "a-webhook-secret-of-at-least-32-characters";

async fn use_webhook(app: &TestApp, url: &str, intake_email: Option<&str>) {
    let admin = app.admin_token().await;
    let mut patch = json!({"webhook_url": url, "webhook_secret": SECRET});
    if let Some(e) = intake_email {
        patch["intake_email"] = json!(e);
    }
    let resp =
        app.request(reqwest::Method::PATCH, &format!("/api/v1/helplines/{EVC}"), Some(&admin), Some(&patch)).await;
    assert_eq!(resp.status(), StatusCode::OK);
}

/// Waits until `sql_count` (a `count()` argument) reaches `n`.
async fn eventually(app: &TestApp, table_where: &str, n: i64, within: Duration) -> i64 {
    let deadline = std::time::Instant::now() + within;
    loop {
        let c = app.count(table_where);
        if c >= n || std::time::Instant::now() > deadline {
            return c;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn spawn(backend: Backend, smtp: &SmtpServer) -> Option<TestApp> {
    let url = smtp.url();
    try_spawn_app_with(backend, move |s| {
        s.smtp_url = Some(url);
        s.signal_rate_limit_per_hour = 1000;
    })
    .await
}

crate::on_both_backends_with_smtp!(
    the_helpline_is_notified_by_email_without_the_phone_number,
    a_signed_webhook_carries_the_contact_and_survives_500s_and_an_outage,
    a_refused_webhook_is_dead_lettered_and_supervisors_are_alerted,
    a_delivery_still_failing_at_the_60_minute_deadline_is_dead_lettered_and_supervisors_are_alerted,
    the_helplines_language_decides_the_notification_language,
);

async fn the_helpline_is_notified_by_email_without_the_phone_number(app: TestApp, smtp: SmtpServer) {
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    let mut b = body("0470 27 18 28", "Ottilie");
    b["urgency"] = json!("immediate_danger");
    let r: Value = submit(&app, &relay, "k", &b).await.json().await.unwrap();
    let reference = r["reference"].as_str().unwrap();
    let mails = smtp.wait_for(1).await;
    let mail = &mails[0];
    assert_eq!(mail.to, ["intake-evc@example.be"]);
    // The subject is RFC 2047-encoded (it has accents); the body names the reference.
    assert!(mail.body().contains(reference) && mail.body().contains("URGENT"), "{}", mail.body());
    assert!(mail.body().contains("Liège"), "{}", mail.body());
    for secret in ["271828", "27 18 28", "Ottilie", "female voice"] {
        assert!(!mail.raw.contains(secret), "e-mail carries {secret}");
    }
    assert_eq!(eventually(&app, "signals WHERE status = 'forwarded'", 1, Duration::from_secs(5)).await, 1);
    let seen: Value = app.get(&format!("/api/v1/signals/{reference}"), &relay).await.json().await.unwrap();
    assert_eq!(seen["status"], "forwarded");
    assert_eq!(app.count("outbox WHERE status = 'delivered' AND channel = 'email'"), 1);
}

async fn a_signed_webhook_carries_the_contact_and_survives_500s_and_an_outage(app: TestApp, _smtp: SmtpServer) {
    // The receiver is down at first (nothing listens on its port)...
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    use_webhook(&app, &format!("http://127.0.0.1:{port}/hook"), None).await;
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    let r: Value = submit(&app, &relay, "k", &body("0470 27 18 28", "Ottilie")).await.json().await.unwrap();
    assert!(eventually(&app, "delivery_attempts WHERE outcome = 'retry'", 1, Duration::from_secs(5)).await >= 1);
    // ...then up, answering 500 twice before accepting.
    let receiver = Receiver::start(port, &[500, 500]);
    let got = receiver.wait_for(3, Duration::from_secs(20)).await;
    assert_eq!(
        eventually(&app, "outbox WHERE channel = 'webhook' AND status = 'delivered'", 1, Duration::from_secs(5)).await,
        1
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let got_after = receiver.received();
    assert_eq!(got_after.len(), got.len(), "nothing sent after the 2xx");
    assert_eq!(got.len(), 3, "two 500s, one 200");
    let ids: std::collections::HashSet<_> = got.iter().map(|d| d.delivery_id.clone()).collect();
    assert_eq!(ids.len(), 1, "retries reuse the delivery id");
    for d in &got {
        assert!(signature_valid(d, SECRET), "bad signature");
        assert!(!signature_valid(d, "another-secret-another-secret-another"));
    }
    let payload: Value = serde_json::from_slice(&got[2].body).unwrap();
    assert_eq!(payload["reference"], r["reference"]);
    assert_eq!(payload["contact"]["phone"], "+32470271828");
    assert_eq!(payload["contact"]["alias"], "Ottilie");
    receiver.stop().await;
}

async fn a_refused_webhook_is_dead_lettered_and_supervisors_are_alerted(app: TestApp, smtp: SmtpServer) {
    let receiver = Receiver::start(0, &[410]);
    use_webhook(&app, &receiver.url(), None).await;
    helpline_user(&app, "sup@example.be", "helpline_supervisor", EVC).await;
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    let r: Value = submit(&app, &relay, "k", &body("0470 27 18 28", "Ottilie")).await.json().await.unwrap();
    assert_eq!(
        eventually(&app, "outbox WHERE channel = 'webhook' AND status = 'dead'", 1, Duration::from_secs(10)).await,
        1
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while smtp.to("sup@example.be").is_empty() && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let alert = smtp.to("sup@example.be");
    assert_eq!(alert.len(), 1);
    assert!(alert[0].body().contains(r["reference"].as_str().unwrap()));
    assert!(!alert[0].raw.contains("271828"));
    assert_eq!(receiver.received().len(), 1, "a 410 is not retried");
    receiver.stop().await;
}

async fn a_delivery_still_failing_at_the_60_minute_deadline_is_dead_lettered_and_supervisors_are_alerted(
    app: TestApp,
    smtp: SmtpServer,
) {
    // The receiver fails every time; time moves by setting the delivery's creation
    // into the past and making it due at once.
    let receiver = Receiver::start(0, &[500; 20]);
    use_webhook(&app, &receiver.url(), None).await;
    helpline_user(&app, "sup@example.be", "helpline_supervisor", EVC).await;
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    let r: Value = submit(&app, &relay, "k", &body("0470 27 18 28", "Ottilie")).await.json().await.unwrap();
    let reference = r["reference"].as_str().unwrap();
    let hook = |attempts: i32, status: &str| {
        format!("outbox WHERE channel = 'webhook' AND attempts = {attempts} AND status = '{status}'")
    };
    assert_eq!(eventually(&app, &hook(1, "pending"), 1, Duration::from_secs(10)).await, 1);

    // Failing 59 minutes after the signal was filed: retried.
    let moved = app.execute(&format!(
        "UPDATE outbox SET created_at = {}, next_attempt_at = {} WHERE channel = 'webhook' AND attempts = 1 AND status = 'pending'",
        ago(chrono::Duration::minutes(59)),
        ago(chrono::Duration::zero())
    ));
    assert_eq!(moved, 1);
    assert_eq!(eventually(&app, &hook(2, "pending"), 1, Duration::from_secs(10)).await, 1);
    assert!(smtp.to("sup@example.be").is_empty(), "no alert before the deadline");

    // Failing at 60 minutes: dead-lettered, and the supervisors are told.
    let moved = app.execute(&format!(
        "UPDATE outbox SET created_at = {}, next_attempt_at = {} WHERE channel = 'webhook' AND attempts = 2 AND status = 'pending'",
        ago(chrono::Duration::minutes(60)),
        ago(chrono::Duration::zero())
    ));
    assert_eq!(moved, 1);
    assert_eq!(eventually(&app, &hook(3, "dead"), 1, Duration::from_secs(10)).await, 1);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while smtp.to("sup@example.be").is_empty() && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let alert = smtp.to("sup@example.be");
    assert_eq!(alert.len(), 1, "one alert");
    assert!(alert[0].body().contains(reference) && alert[0].body().contains("webhook"), "{}", alert[0].body());
    for secret in ["271828", "27 18 28", "Ottilie"] {
        assert!(!alert[0].raw.contains(secret), "the alert carries {secret}");
    }
    // Nothing more is sent once dead.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.received().len(), 3);
    assert_eq!(app.count("delivery_attempts WHERE outcome = 'retry'"), 3);
    assert_eq!(smtp.to("sup@example.be").len(), 1);
    receiver.stop().await;
}

async fn the_helplines_language_decides_the_notification_language(app: TestApp, smtp: SmtpServer) {
    let admin = app.admin_token().await;
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    // Every signal is in French and goes to the same helpline, which keeps French (a
    // signal goes only to a helpline speaking its language); only the helpline's
    // first language, the one it is written to in, changes between them.
    let cases = [
        ("nl", "Nieuw signaal", ["Referentie", "Gemeente", "Meldpunt", "Ontvangen (Brusselse tijd)", "Dossier openen"]),
        ("de", "Neues Signal", ["Referenz", "Gemeinde", "Anlaufstelle", "Eingang (Brüsseler Zeit)", "Fall öffnen"]),
        ("en", "New signal", ["Reference", "Municipality", "Relay point", "Received (Brussels time)", "Open the case"]),
    ];
    for (i, (language, subject, words)) in cases.into_iter().enumerate() {
        let patch = json!({"languages": [language, "fr"]});
        let resp =
            app.request(reqwest::Method::PATCH, &format!("/api/v1/helplines/{EVC}"), Some(&admin), Some(&patch)).await;
        assert_eq!(resp.status(), StatusCode::OK);
        let r: Value = submit(&app, &relay, &format!("k-{language}"), &body("0470 27 18 28", "Ottilie"))
            .await
            .json()
            .await
            .unwrap();
        let reference = r["reference"].as_str().unwrap();
        smtp.wait_for(i + 1).await;
        let mails: Vec<_> =
            smtp.to("intake-evc@example.be").into_iter().filter(|m| m.body().contains(reference)).collect();
        assert_eq!(mails.len(), 1, "one notification for {reference}");
        let mail = &mails[0];
        assert_eq!(mail.subject(), format!("{subject} {reference}"), "{language}");
        let text = mail.body();
        for word in words {
            assert!(text.contains(word), "{language}: {word} missing from {text}");
        }
        for french in ["Nouveau signal", "Référence", "Commune", "Ouvrir le dossier"] {
            assert!(
                !text.contains(french) && !mail.subject().contains(french),
                "{language}: French {french} in {text}"
            );
        }
        assert!(text.contains("Liège"), "{text}");
        for secret in ["271828", "27 18 28", "+32470", "Ottilie", "female voice"] {
            assert!(!mail.raw.contains(secret), "{language}: the e-mail carries {secret}");
        }
    }
}

/// E-mail with the SMTP server down for a while: retried, then delivered once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_survives_an_smtp_outage() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let app = try_spawn_app_with(Backend::Sqlite, move |s| {
        s.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
    })
    .await
    .unwrap();
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    assert_eq!(submit(&app, &relay, "k", &body("0470 27 18 28", "A")).await.status(), StatusCode::CREATED);
    assert!(eventually(&app, "delivery_attempts WHERE outcome = 'retry'", 1, Duration::from_secs(5)).await >= 1);
    let smtp = SmtpServer::start_on(port);
    let mails = smtp.wait_for(1).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(smtp.messages().len(), 1, "delivered once: {mails:?}");
    assert_eq!(app.count("outbox WHERE status = 'delivered'"), 1);
}

/// Two instances on one PostgreSQL database: every delivery happens exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_on_one_postgres_never_deliver_a_row_twice() {
    let smtp = SmtpServer::start();
    let Some(first) = spawn(Backend::Postgres, &smtp).await else { return };
    let url = smtp.url();
    let second = spawn_second_instance(&first, move |s| {
        s.smtp_url = Some(url);
        s.signal_rate_limit_per_hour = 1000;
    })
    .await;
    let receiver = Receiver::start(0, &[]);
    use_webhook(&first, &receiver.url(), Some("intake-evc@example.be")).await;
    let (relay, _) = relay_staff(&first, "p@example.be").await;
    const N: usize = 40;
    for i in 0..N {
        let app = if i % 2 == 0 { &first } else { &second };
        assert_eq!(
            submit(app, &relay, &format!("k{i}"), &body("0470 27 18 28", "A")).await.status(),
            StatusCode::CREATED
        );
    }
    let hooks = receiver.wait_for(N, Duration::from_secs(30)).await;
    smtp.wait_for(N).await;
    assert_eq!(
        eventually(&first, "outbox WHERE status = 'delivered'", 2 * N as i64, Duration::from_secs(10)).await,
        2 * N as i64
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    let hooks_after = receiver.received();
    assert_eq!(hooks_after.len(), hooks.len());
    let ids: std::collections::HashSet<_> = hooks_after.iter().map(|d| d.delivery_id.clone()).collect();
    assert_eq!((hooks_after.len(), ids.len()), (N, N), "each webhook delivered once");
    assert_eq!(smtp.messages().len(), N, "each e-mail sent once");
    receiver.stop().await;
}
