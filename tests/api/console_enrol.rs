//! Enrolling a second factor in the console, in a real browser: when the policy asks
//! a second factor of the role and the account has none, the right password opens
//! the enrolment page (and nothing else), a code from the displayed secret confirms
//! it, the recovery codes are shown once, and the person signs in with a code.

use serde_json::json;

use crate::browser::Browser;
use crate::cases::EVC;
use crate::helpers::{Backend, TestApp, try_spawn_app_with};

fn totp_code(secret_b32: &str, offset_secs: u64) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret_b32).unwrap();
    let t = totp_rs::Builder::new().with_secret(secret.to_vec()).with_account_name("x".to_string()).build().unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    t.generate(now + offset_secs).to_string()
}

async fn assert_accessible(b: &Browser, page: &str) {
    let violations = b.axe_violations().await;
    assert!(violations.is_empty(), "axe-core on {page}: {violations:#?}");
}

async fn sign_in(b: &mut Browser, app: &TestApp, email: &str, password: &str, totp: Option<&str>) {
    b.goto(&app.url("/console/sign-in")).await;
    b.fill("#email", email).await;
    b.fill("#password", password).await;
    if let Some(code) = totp {
        b.fill("#totp", code).await;
    }
    b.navigate_by("form.stack button[type=submit]").await;
}

async fn an_operator_enrols_in_the_console(backend: Backend) {
    let Some(app) = try_spawn_app_with(backend, |s| {
        s.require_totp = Some(true);
        s.require_totp_roles = "helpline_operator,helpline_supervisor".into();
    })
    .await
    else {
        return;
    };
    let name = format!("console-enrol-{}", if backend == Backend::Sqlite { "sqlite" } else { "postgres" });
    let Some(mut b) = Browser::start(&name).await else { return };
    let admin = app.admin_token().await;
    let (_, pw) = app
        .create_user(&admin, json!({"email": "op@example.be", "role": "helpline_operator", "helpline_id": EVC}))
        .await;

    // The right password alone opens the enrolment page, with the QR code and the key.
    sign_in(&mut b, &app, "op@example.be", &pw, None).await;
    assert!(b.wait_for_text("#enrol-secret", "", 10).await, "{}", b.body_text().await);
    assert_eq!(b.path().await, "/console/enrol");
    let secret = b.text("#enrol-secret").await.trim().to_string();
    assert!(secret.len() >= 32, "a 160-bit key in base32: {secret}");
    let qr_width = b.js("return document.querySelector('#enrol-qr').naturalWidth;").await;
    assert!(qr_width.as_u64().unwrap_or(0) > 0, "the QR code is shown (data: image allowed by the CSP)");
    b.shot("enrol-page").await;
    assert_accessible(&b, "enrol").await;
    assert_eq!(app.count("console_enrolments"), 1);
    assert_eq!(app.count("console_sessions"), 0, "a password alone opens no session");

    // The pending enrolment opens nothing else.
    for page in ["/console/queue", "/console/"] {
        b.goto(&app.url(page)).await;
        assert_eq!(b.path().await, "/console/sign-in", "{page} is closed to a pending enrolment");
    }
    b.goto(&app.url("/console/queue/rows")).await;
    assert_eq!(b.body_text().await.trim(), "signed out");
    b.goto(&app.url("/console/enrol")).await;
    assert_eq!(b.path().await, "/console/enrol");
    assert_eq!(b.text("#enrol-secret").await.trim(), secret, "the same key until it is confirmed");

    // A wrong code is refused beside the field.
    let wrong = if totp_code(&secret, 0) == "000000" { "111111" } else { "000000" };
    b.fill("#code", wrong).await;
    b.navigate_by("form.stack button[type=submit]").await;
    assert!(b.wait_for_text("#code-error", "does not match", 10).await);
    assert_eq!(b.path().await, "/console/enrol");
    b.shot("enrol-wrong-code").await;
    assert_accessible(&b, "enrol, wrong code").await;

    // A code from the key confirms it: the recovery codes are shown once.
    b.fill("#code", &totp_code(&secret, 0)).await;
    b.navigate_by("form.stack button[type=submit]").await;
    assert!(b.wait_for_text("#recovery-codes", "-", 10).await, "{}", b.body_text().await);
    let codes = b.text("#recovery-codes").await;
    assert_eq!(codes.lines().filter(|l| l.trim().len() == 19).count(), 10, "{codes}");
    b.shot("recovery-codes").await;
    assert_accessible(&b, "recovery codes").await;
    assert_eq!(app.count("users WHERE email = 'op@example.be' AND totp_enabled_at IS NOT NULL"), 1);
    assert_eq!(app.count("console_enrolments"), 0);
    b.goto(&app.url("/console/enrol")).await;
    assert_eq!(b.path().await, "/console/sign-in", "the enrolment is over");

    // Signing in now takes the password and the next code.
    sign_in(&mut b, &app, "op@example.be", &pw, None).await;
    assert!(b.wait_for_text("#totp-error", "6-digit code", 10).await);
    sign_in(&mut b, &app, "op@example.be", &pw, Some(&totp_code(&secret, 30))).await;
    assert!(b.wait_for_text("#queue-rows", "", 10).await, "{}", b.body_text().await);
    assert_eq!(b.path().await, "/console/queue");
    b.shot("queue-after-enrolment").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_enrols_in_the_console_on_sqlite() {
    an_operator_enrols_in_the_console(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_enrols_in_the_console_on_postgres() {
    an_operator_enrols_in_the_console(Backend::Postgres).await;
}
