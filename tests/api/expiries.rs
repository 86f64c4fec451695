//! Time limits, tested by moving the stored timestamps into the past (never by
//! sleeping): an idempotency key replays for 24 hours, an invitation is good for 72
//! hours, a password-reset code for one hour.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, ago, problem};
use crate::signals::{PHONE, body, relay_staff, submit};
use crate::smtp::{SmtpServer, token_in};

crate::on_both_backends!(an_idempotency_key_replays_within_24_hours_and_files_a_new_signal_after);

crate::on_both_backends_with_smtp!(
    an_invitation_accepted_after_72_hours_is_refused,
    a_password_reset_code_used_after_one_hour_is_refused,
);

async fn an_idempotency_key_replays_within_24_hours_and_files_a_new_signal_after(app: TestApp) {
    let (token, _) = relay_staff(&app, "p@example.be").await;
    let first = submit(&app, &token, "day-key", &body(PHONE, "A")).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();

    // 23 hours later the key still replays the first answer.
    let moved = app.execute(&format!(
        "UPDATE idempotency_keys SET created_at = {}, expires_at = {}",
        ago(Duration::hours(23)),
        ago(-Duration::hours(1))
    ));
    assert_eq!(moved, 1);
    let again = submit(&app, &token, "day-key", &body(PHONE, "A")).await;
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    assert_eq!(app.count("signals"), 1);

    // Past 24 hours the key is free again: the same request files a new signal.
    app.execute(&format!(
        "UPDATE idempotency_keys SET created_at = {}, expires_at = {}",
        ago(Duration::hours(24) + Duration::minutes(1)),
        ago(Duration::minutes(1))
    ));
    let later = submit(&app, &token, "day-key", &body(PHONE, "A")).await;
    assert_eq!(later.status(), StatusCode::CREATED);
    let later: Value = later.json().await.unwrap();
    assert_ne!(later["reference"], first["reference"], "a new signal, with a new reference");
    assert_eq!(app.count("signals"), 2);
    assert_eq!(app.count("idempotency_keys"), 1, "the expired record was replaced");
    // ...and from then on the key replays the new answer.
    let replayed: Value = submit(&app, &token, "day-key", &body(PHONE, "A")).await.json().await.unwrap();
    assert_eq!(replayed, later);
    assert_eq!(app.count("signals"), 2);
}

async fn accept(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    app.post(&format!("/api/v1/invitations/{token}/accept"), None, &json!({"password": password})).await
}

async fn an_invitation_accepted_after_72_hours_is_refused(app: TestApp, smtp: SmtpServer) {
    let admin = app.admin_token().await;
    let m = app.programme_with_manager(&admin, "wal-pharma", "fr").await;
    let relay = app.relay(&m.manager, "Pharmacie du Pont", "4000", "pharmacy").await;
    let relay = relay["id"].as_str().unwrap();

    // Sent 72 hours and a minute ago: refused like an unknown token, and it stays refused.
    let late = invite(&app, &smtp, &m.manager, relay, "late@example.be").await;
    let moved = app.execute(&format!(
        "UPDATE staff_invitations SET created_at = {}, expires_at = {} WHERE user_id IN (SELECT id FROM users WHERE email = 'late@example.be')",
        ago(Duration::hours(72) + Duration::minutes(1)),
        ago(Duration::minutes(1))
    ));
    assert_eq!(moved, 1);
    problem(accept(&app, &late, "tulip-harbour-quietly-42").await, StatusCode::NOT_FOUND).await;
    problem(app.login("late@example.be", "tulip-harbour-quietly-42").await, StatusCode::UNAUTHORIZED).await;
    // (The manager's own invitation, from the fixture, names no relay point.)
    assert_eq!(app.count("staff_invitations WHERE accepted_at IS NOT NULL AND relay_point_id IS NOT NULL"), 0);

    // Sent 71 hours ago: still good.
    let on_time = invite(&app, &smtp, &m.manager, relay, "on-time@example.be").await;
    app.execute(&format!(
        "UPDATE staff_invitations SET created_at = {}, expires_at = {} WHERE user_id IN (SELECT id FROM users WHERE email = 'on-time@example.be')",
        ago(Duration::hours(71)),
        ago(-Duration::hours(1))
    ));
    assert_eq!(accept(&app, &on_time, "tulip-harbour-quietly-42").await.status(), StatusCode::OK);
    assert_eq!(app.login("on-time@example.be", "tulip-harbour-quietly-42").await.status(), StatusCode::OK);

    // A fresh invitation for the late one works again.
    let renewed = invite(&app, &smtp, &m.manager, relay, "late@example.be").await;
    assert_eq!(accept(&app, &renewed, "tulip-harbour-quietly-42").await.status(), StatusCode::OK);
}

/// Invites `email` to `relay`; returns the token of the newest e-mail to it.
async fn invite(app: &TestApp, smtp: &SmtpServer, manager: &str, relay: &str, email: &str) -> String {
    let before = smtp.to(email).len();
    let body = json!({"email": email, "relay_point_id": relay, "language": "fr"});
    assert_eq!(app.post("/api/v1/invitations", Some(manager), &body).await.status(), StatusCode::CREATED);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while smtp.to(email).len() <= before && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    token_in(smtp.to(email).last().expect("the new invitation e-mail"))
}

/// Asks for a reset code for `email`; returns the code read from the newest e-mail.
async fn reset_code(app: &TestApp, smtp: &SmtpServer, email: &str) -> String {
    let before = smtp.to(email).len();
    let resp = app.post("/api/v1/password-resets", None, &json!({"email": email})).await;
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while smtp.to(email).len() <= before && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    token_in(smtp.to(email).last().expect("the reset e-mail"))
}

async fn use_reset(app: &TestApp, code: &str, password: &str) -> reqwest::Response {
    app.post(&format!("/api/v1/password-resets/{code}/accept"), None, &json!({"password": password})).await
}

async fn a_password_reset_code_used_after_one_hour_is_refused(app: TestApp, smtp: SmtpServer) {
    let admin = app.admin_token().await;
    let (_, old_pw) = app.create_user(&admin, json!({"email": "op@example.be", "role": "admin"})).await;

    // Asked for an hour and a minute ago: refused, and the old password still works.
    let late = reset_code(&app, &smtp, "op@example.be").await;
    let moved = app.execute(&format!(
        "UPDATE password_resets SET created_at = {}, expires_at = {}",
        ago(Duration::minutes(61)),
        ago(Duration::minutes(1))
    ));
    assert_eq!(moved, 1);
    problem(use_reset(&app, &late, "a brand new passphrase").await, StatusCode::NOT_FOUND).await;
    assert_eq!(app.login("op@example.be", &old_pw).await.status(), StatusCode::OK);
    problem(app.login("op@example.be", "a brand new passphrase").await, StatusCode::UNAUTHORIZED).await;

    // Asked for 59 minutes ago: accepted.
    let on_time = reset_code(&app, &smtp, "op@example.be").await;
    assert_ne!(on_time, late);
    let moved = app.execute(&format!(
        "UPDATE password_resets SET created_at = {}, expires_at = {} WHERE used_at IS NULL",
        ago(Duration::minutes(59)),
        ago(-Duration::minutes(1))
    ));
    assert_eq!(moved, 1, "only the newest code is live");
    assert_eq!(use_reset(&app, &on_time, "a brand new passphrase").await.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.login("op@example.be", "a brand new passphrase").await.status(), StatusCode::OK);
}
