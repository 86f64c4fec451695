//! The webhook carries the contact, so its destination is guarded: HTTPS to public
//! addresses only in production (when set, and again when connecting), no redirect
//! followed, and a change of a helpline's channels or languages is audited and
//! e-mailed to its supervisors at once, while deliveries filed before the change
//! wait for a supervisor's confirmation.

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::cases::{EVC, H1712, helpline_user};
use crate::helpers::{Backend, TestApp, problem, try_spawn_app_with};
use crate::receiver::Receiver;
use crate::signals::{body, relay_staff, submit};
use crate::smtp::SmtpServer;

const SECRET: &str = "a-webhook-secret-of-at-least-32-characters";

async fn patch_helpline(app: &TestApp, admin: &str, id: &str, patch: Value) -> reqwest::Response {
    app.request(Method::PATCH, &format!("/api/v1/helplines/{id}"), Some(admin), Some(&patch)).await
}

/// Waits until `table_where` counts at least `n` rows.
async fn eventually(app: &TestApp, table_where: &str, n: i64, within: Duration) -> i64 {
    let deadline = Instant::now() + within;
    loop {
        let c = app.count(table_where);
        if c >= n || Instant::now() > deadline {
            return c;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until `address` has at least `n` messages.
async fn mails_to(smtp: &SmtpServer, address: &str, n: usize, within: Duration) -> Vec<crate::smtp::Received> {
    let deadline = Instant::now() + within;
    while smtp.to(address).len() < n && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    smtp.to(address)
}

crate::on_both_backends_with_smtp!(
    a_redirect_from_the_receiver_is_not_followed,
    changing_channels_or_languages_audits_and_emails_the_supervisors_but_the_name_does_not,
    a_delivery_queued_before_a_url_change_is_held_until_a_supervisor_confirms,
);

async fn a_redirect_from_the_receiver_is_not_followed(app: TestApp, _smtp: SmtpServer) {
    let elsewhere = Receiver::start(0, &[]);
    let redirecting = Receiver::redirecting(&elsewhere.url());
    let admin = app.admin_token().await;
    let resp =
        patch_helpline(&app, &admin, EVC, json!({"webhook_url": redirecting.url(), "webhook_secret": SECRET})).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    assert_eq!(submit(&app, &relay, "k", &body("0470 27 18 28", "Ottilie")).await.status(), StatusCode::CREATED);
    assert_eq!(
        eventually(&app, "outbox WHERE channel = 'webhook' AND status = 'dead'", 1, Duration::from_secs(10)).await,
        1,
        "a 302 is a refusal, not a new address"
    );
    assert_eq!(app.count("outbox WHERE channel = 'webhook' AND last_error = 'HTTP 302'"), 1);
    assert_eq!(redirecting.received().len(), 1);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(elsewhere.received().is_empty(), "the redirect target got the contact");
    redirecting.stop().await;
    elsewhere.stop().await;
}

async fn changing_channels_or_languages_audits_and_emails_the_supervisors_but_the_name_does_not(
    app: TestApp,
    smtp: SmtpServer,
) {
    let admin = app.admin_token().await;
    helpline_user(&app, "sup@example.be", "helpline_supervisor", EVC).await;
    helpline_user(&app, "sup-1712@example.be", "helpline_supervisor", H1712).await;
    helpline_user(&app, "op@example.be", "helpline_operator", EVC).await;
    let changed = "audit_log WHERE action = 'helpline.channels_changed'";

    // Unwatched fields: no audit row, no e-mail.
    let resp = patch_helpline(&app, &admin, EVC, json!({"name": "EVC renamed", "public_phone": "0800 30 031"})).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(app.count(changed), 0);
    assert_eq!(app.count("helpline_notices"), 0);

    let receiver = Receiver::start(0, &[]);
    let url = format!("{}?token=receiver-path-token", receiver.url());
    let steps = [
        (json!({"webhook_url": url, "webhook_secret": SECRET}), "webhook_url, webhook_secret"),
        (json!({"intake_email": "new-intake@example.be"}), "intake_email"),
        (json!({"languages": ["fr", "de"]}), "languages"),
        (json!({"webhook_secret": "another-webhook-secret-of-32-characters"}), "webhook_secret"),
    ];
    for (i, (patch, fields)) in steps.into_iter().enumerate() {
        let resp = patch_helpline(&app, &admin, EVC, patch).await;
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(app.count(changed), i as i64 + 1, "one audit row per change");
        let mails = mails_to(&smtp, "sup@example.be", i + 1, Duration::from_secs(10)).await;
        assert_eq!(mails.len(), i + 1, "the supervisor is told of {fields}");
        let mail = &mails[i];
        let text = mail.body();
        assert!(mail.subject().contains("EVC renamed"), "{}", mail.subject());
        assert!(text.contains(fields), "{fields} missing from {text}");
        assert!(text.contains(&format!("http://127.0.0.1:{}", receiver.port)), "{text}");
        assert!(!mail.raw.contains("receiver-path-token"), "the webhook path is not e-mailed");
        assert!(!mail.raw.contains("webhook-secret-of"), "the secret is never e-mailed");
    }
    // The same values again change nothing.
    let resp = patch_helpline(&app, &admin, EVC, json!({"intake_email": "new-intake@example.be"})).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(app.count(changed), 4);
    let audit = app.count(&format!("audit_log WHERE action = 'helpline.channels_changed' AND subject_id = '{EVC}'"));
    assert_eq!(audit, 4);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(smtp.to("sup@example.be").len(), 4);
    assert!(smtp.to("sup-1712@example.be").is_empty(), "another helpline's supervisor");
    assert!(smtp.to("op@example.be").is_empty(), "operators are not told");
    assert_eq!(app.count("helpline_notices"), 0, "sent notices are deleted");
    receiver.stop().await;
}

async fn a_delivery_queued_before_a_url_change_is_held_until_a_supervisor_confirms(app: TestApp, smtp: SmtpServer) {
    let admin = app.admin_token().await;
    // The first receiver is down: the first signal's delivery waits in the outbox.
    let down = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let resp = patch_helpline(
        &app,
        &admin,
        EVC,
        json!({"webhook_url": format!("http://127.0.0.1:{down}/hook"), "webhook_secret": SECRET}),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let supervisor = helpline_user(&app, "sup@example.be", "helpline_supervisor", EVC).await;
    let operator = helpline_user(&app, "op@example.be", "helpline_operator", EVC).await;
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    let first: Value = submit(&app, &relay, "k1", &body("0470 27 18 28", "Ottilie")).await.json().await.unwrap();
    let first = first["reference"].as_str().unwrap().to_string();
    assert!(eventually(&app, "delivery_attempts WHERE outcome = 'retry'", 1, Duration::from_secs(10)).await >= 1);
    // (Its e-mail notification went out: only the webhook delivery is still queued.)
    let mailed = "outbox WHERE channel = 'email' AND status = 'delivered'";
    assert_eq!(eventually(&app, mailed, 1, Duration::from_secs(10)).await, 1);

    // The admin points the webhook elsewhere: the queued delivery is held, not sent there.
    let new_receiver = Receiver::start(0, &[]);
    let resp = patch_helpline(&app, &admin, EVC, json!({"webhook_url": new_receiver.url()})).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        eventually(&app, "outbox WHERE channel = 'webhook' AND status = 'held'", 1, Duration::from_secs(15)).await,
        1
    );
    let notice = mails_to(&smtp, "sup@example.be", 1, Duration::from_secs(10)).await;
    assert!(notice[0].body().contains(&format!("/api/v1/helplines/{EVC}/confirm-channels")), "{}", notice[0].body());

    // A signal filed after the change goes to the new destination at once.
    let second: Value = submit(&app, &relay, "k2", &body("0470 31 41 59", "Hortense")).await.json().await.unwrap();
    let second = second["reference"].as_str().unwrap().to_string();
    let got = new_receiver.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(got.len(), 1);
    assert!(String::from_utf8_lossy(&got[0].body).contains(&second));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(new_receiver.received().len(), 1, "the held delivery waits");

    // An operator cannot confirm; nor can another helpline's supervisor; the admin neither.
    let path = format!("/api/v1/helplines/{EVC}/confirm-channels");
    assert_eq!(app.post(&path, Some(&operator), &json!({})).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.post(&path, Some(&admin), &json!({})).await.status(), StatusCode::FORBIDDEN);
    let other = helpline_user(&app, "sup-1712@example.be", "helpline_supervisor", H1712).await;
    assert_eq!(app.post(&path, Some(&other), &json!({})).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.count("outbox WHERE channel = 'webhook' AND status = 'held'"), 1);

    // The supervisor confirms: the held delivery goes to the confirmed destination.
    let resp = app.post(&path, Some(&supervisor), &json!({})).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let confirmed: Value = resp.json().await.unwrap();
    assert_eq!(confirmed, json!({"awaiting_confirmation": true, "released": 1}));
    let got = new_receiver.wait_for(2, Duration::from_secs(10)).await;
    assert_eq!(got.len(), 2);
    assert!(String::from_utf8_lossy(&got[1].body).contains(&first));
    assert_eq!(app.count("audit_log WHERE action = 'helpline.channels_confirmed'"), 1);
    // Confirming again finds nothing waiting.
    let again: Value = app.post(&path, Some(&supervisor), &json!({})).await.json().await.unwrap();
    assert_eq!(again, json!({"awaiting_confirmation": false, "released": 0}));
    new_receiver.stop().await;
}

/// A notice survives the mail server being down: it is retried until sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_notice_survives_an_smtp_outage() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let app = try_spawn_app_with(Backend::Sqlite, move |s| s.smtp_url = Some(format!("smtp://127.0.0.1:{port}")))
        .await
        .unwrap();
    let admin = app.admin_token().await;
    helpline_user(&app, "sup@example.be", "helpline_supervisor", EVC).await;
    let resp = patch_helpline(&app, &admin, EVC, json!({"intake_email": "moved@example.be"})).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(eventually(&app, "helpline_notices WHERE attempts >= 1", 1, Duration::from_secs(10)).await >= 1);
    let smtp = SmtpServer::start_on(port);
    let mails = mails_to(&smtp, "sup@example.be", 1, Duration::from_secs(20)).await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].body().contains("moved@example.be"));
    // Sent, then deleted (a moment after the e-mail left).
    let deadline = Instant::now() + Duration::from_secs(10);
    while app.count("helpline_notices") > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(app.count("helpline_notices"), 0, "the sent notice is deleted");
}

/// Production settings (keys given, TLS mail, https public URL), a second factor off
/// so the tests can sign in with a password.
fn production(s: &mut saferelay::config::Settings) {
    let key = "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=";
    s.env = saferelay::config::Environment::Production;
    s.jwt_keys = Some(format!("k1:{key}"));
    s.master_keys = Some(format!("m1:{key}"));
    s.smtp_url = Some("smtps://127.0.0.1:1".into());
    s.public_url = "https://saferelay.example.be".into();
    s.require_totp = Some(false);
}

mod production_refuses_plain_http_and_private_webhook_destinations {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        run(try_spawn_app_with(Backend::Sqlite, production).await.unwrap()).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        if let Some(app) = try_spawn_app_with(Backend::Postgres, production).await {
            run(app).await;
        }
    }

    async fn run(app: TestApp) {
        let admin = app.admin_token().await;
        for url in [
            "http://cases.helpline.example.be/hook",
            "http://127.0.0.1:9000/hook",
            "https://127.0.0.1/hook",
            "https://localhost/hook",
            "https://10.0.0.7/hook",
            "https://192.168.1.20/hook",
            "https://169.254.169.254/latest/meta-data/",
            "https://[::1]/hook",
            "https://[fc00::1]/hook",
            "https://[::ffff:10.0.0.7]/hook",
        ] {
            let resp = patch_helpline(&app, &admin, EVC, json!({"webhook_url": url, "webhook_secret": SECRET})).await;
            let p = problem(resp, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(p["errors"][0]["field"], "webhook_url", "{url}: {p}");
            let created = app
                .post(
                    "/api/v1/helplines",
                    Some(&admin),
                    &json!({"code": "x", "name": "X", "public_phone": "0800 1", "languages": ["fr"],
                        "weekly_hours": [], "webhook_url": url, "webhook_secret": SECRET}),
                )
                .await;
            assert_eq!(created.status(), StatusCode::UNPROCESSABLE_ENTITY, "{url}");
        }
        // Nothing was written.
        let h: Value = app.get(&format!("/api/v1/helplines/{EVC}"), &admin).await.json().await.unwrap();
        assert_eq!(h["channels"]["webhook_url"], Value::Null);
        assert_eq!(app.count("audit_log WHERE action = 'helpline.channels_changed'"), 0);
        assert_eq!(app.count("helplines WHERE code = 'x'"), 0);

        // A webhook set before (a development database run in production) pointing to
        // loopback — by address or by a name resolving to it — is refused when
        // delivering: the receiver never hears of the contact.
        let receiver = Receiver::start(0, &[]);
        let (relay, _) = relay_staff(&app, "p@example.be").await;
        for (i, url) in [receiver.url(), format!("https://localhost:{}/hook", receiver.port)].iter().enumerate() {
            app.execute(&format!(
                "UPDATE helplines SET webhook_url = '{url}', webhook_secret = '{SECRET}' WHERE id = '{EVC}'"
            ));
            // A change by hand in SQL tells the running server the way the stores do.
            app.execute("UPDATE network_version SET version = version + 1");
            let k = format!("k{i}");
            assert_eq!(submit(&app, &relay, &k, &body("0470 27 18 28", "Ottilie")).await.status(), StatusCode::CREATED);
            let dead = "outbox WHERE channel = 'webhook' AND status = 'dead'";
            assert_eq!(eventually(&app, dead, i as i64 + 1, Duration::from_secs(10)).await, i as i64 + 1, "{url}");
        }
        assert_eq!(app.count("outbox WHERE last_error = 'webhook URL refused'"), 1);
        assert_eq!(app.count("outbox WHERE last_error = 'webhook host resolves to a refused address'"), 1);
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(receiver.received().is_empty());
        receiver.stop().await;
    }
}
