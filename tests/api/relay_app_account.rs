//! The relay app's account side, in a real browser at a phone's size (360x640)
//! and in French: an invitation e-mailed by the programme manager accepted in the
//! app (bad input answered beside the field), the inactivity lock that hides every
//! signal detail and asks for the password again, the "this device" panel, and
//! "sign out on every device". Every screen is saved as a screenshot.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::browser::Browser;
use crate::helpers::{Backend, try_spawn_app_with};
use crate::smtp::{SmtpServer, token_in};

async fn visible(b: &Browser, css: &str) -> bool {
    b.js(&format!("const e = document.querySelector('{css}'); return !!e && !e.closest('[hidden]');")).await
        == json!(true)
}

async fn wait_visible(b: &Browser, css: &str, secs: u64) {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while std::time::Instant::now() < until {
        if visible(b, css).await {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{css} did not show within {secs} s");
}

async fn assert_accessible(b: &Browser, screen: &str) {
    let violations = b.axe_violations().await;
    assert!(violations.is_empty(), "axe-core on {screen}: {violations:#?}");
}

async fn invited_accepts_in_french_and_the_app_locks_when_idle(backend: Backend) {
    let smtp = SmtpServer::start();
    let url = smtp.url();
    let Some(app) = try_spawn_app_with(backend, |s| {
        s.smtp_url = Some(url);
        s.relay_lock_secs = 10;
    })
    .await
    else {
        return;
    };
    let name = format!("relay-app-fr-{}", if backend == Backend::Sqlite { "sqlite" } else { "postgres" });
    let Some(mut b) = Browser::start_in(&name, 360, 640, "fr-BE").await else { return };
    let admin = app.admin_token().await;
    let m = app.programme_with_manager(&admin, "wal-pharma", "fr").await;
    let relay = app.relay(&m.manager, "Pharmacie du Pont", "4000", "pharmacy").await;
    let invited = app
        .post(
            "/api/v1/invitations",
            Some(&m.manager),
            &json!({"email": "anne@example.be", "relay_point_id": relay["id"], "language": "fr"}),
        )
        .await;
    assert_eq!(invited.status(), StatusCode::CREATED);
    let mail = smtp.wait_for(1).await.remove(0);
    assert!(mail.body().contains("J'ai une invitation"), "{}", mail.body());
    // The e-mail says where the app is.
    assert!(mail.body().contains("/relay/\n"), "{}", mail.body());
    let code = token_in(&mail);

    // The shell carries the configured lock delay.
    let html = app.client.get(app.url("/relay/")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(r#"<meta name="saferelay-lock-seconds" content="10">"#));

    b.goto(&app.url("/relay/")).await;
    wait_visible(&b, "#signin", 10).await;
    assert_eq!(b.js("return document.documentElement.lang;").await, "fr");
    assert_eq!(b.text("#signin h1").await, "Connexion");
    b.click("#have-invitation").await;
    wait_visible(&b, "#accept-form", 5).await;
    b.shot("accept-invitation").await;
    assert_accessible(&b, "accept an invitation").await;

    // Bad input: told beside the field, in French, and nothing is accepted.
    b.fill("#invite-code", &code).await;
    b.fill("#new-password", "court").await;
    b.fill("#new-password2", "autre").await;
    b.click("#accept-form button[type=submit]").await;
    assert!(b.wait_for_text("#new-password2-error", "ne sont pas identiques", 5).await);
    b.fill("#new-password", "court").await;
    b.fill("#new-password2", "court").await;
    b.click("#accept-form button[type=submit]").await;
    wait_visible(&b, "#new-password-error", 5).await;
    assert_eq!(b.js("return document.querySelector('#new-password').getAttribute('aria-invalid');").await, "true");
    b.fill("#invite-code", "pas-un-code").await;
    b.fill("#new-password", "une phrase de passe bien longue").await;
    b.fill("#new-password2", "une phrase de passe bien longue").await;
    b.click("#accept-form button[type=submit]").await;
    assert!(b.wait_for_text("#invite-code-error", "inconnu", 5).await);
    b.shot("accept-errors").await;
    assert_accessible(&b, "accept with errors").await;
    assert_eq!(app.count("staff_invitations WHERE accepted_at IS NOT NULL AND user_id = (SELECT id FROM users WHERE email = 'anne@example.be')"), 0);

    // The right code: the account is active and the app signed in.
    b.fill("#invite-code", &code).await;
    b.fill("#new-password", "une phrase de passe bien longue").await;
    b.fill("#new-password2", "une phrase de passe bien longue").await;
    b.click("#accept-form button[type=submit]").await;
    wait_visible(&b, "#file-form", 10).await;
    assert_eq!(app.count("staff_invitations WHERE accepted_at IS NOT NULL AND user_id = (SELECT id FROM users WHERE email = 'anne@example.be')"), 1);
    assert_eq!(b.text("#nav-file").await, "Nouveau signal");
    let typed = b
        .js("return document.querySelector('#new-password').value + document.querySelector('#invite-code').value;")
        .await;
    assert_eq!(typed, "", "the password and code are cleared");

    // My signals, with this device's panel (this headless browser has no push service).
    b.click("#nav-signals").await;
    wait_visible(&b, "#sign-out-everywhere", 5).await;
    assert!(b.wait_for_text("#push-state", "appareil", 5).await);
    b.shot("my-signals-device").await;
    assert_accessible(&b, "my signals with the device panel").await;

    // Left alone: the lock covers everything and asks for the password.
    b.click("#nav-file").await;
    b.fill("#phone", "0470 55 66 77").await;
    b.fill("#alias", "Ghislaine").await;
    wait_visible(&b, "#lock-form", 20).await;
    assert!(!visible(&b, "#nav").await && !visible(&b, "#file-form").await);
    let shown = b.body_text().await;
    assert!(!shown.contains("Ghislaine") && !shown.contains("0470"), "visible while locked: {shown}");
    assert_eq!(b.text("#lock-who").await, "anne@example.be");
    b.shot("locked").await;
    assert_accessible(&b, "locked").await;
    // A wrong password keeps it locked.
    b.fill("#lock-password", "pas le bon mot de passe").await;
    b.click("#lock-form button[type=submit]").await;
    wait_visible(&b, "#lock-error", 10).await;
    assert!(visible(&b, "#lock-form").await);
    // The right one opens the screen it covered, the form as it was.
    b.fill("#lock-password", "une phrase de passe bien longue").await;
    b.click("#lock-form button[type=submit]").await;
    wait_visible(&b, "#file-form", 10).await;
    assert_eq!(b.js("return document.querySelector('#alias').value;").await, "Ghislaine");
    b.js("document.querySelector('#phone').value = ''; document.querySelector('#alias').value = '';").await;

    // Sign out on every device: two taps, then signed out; the session is over.
    b.click("#nav-signals").await;
    wait_visible(&b, "#sign-out-everywhere", 5).await;
    b.click("#sign-out-everywhere").await;
    assert!(b.wait_for_text("#sign-out-everywhere", "Touchez encore", 5).await);
    b.click("#sign-out-everywhere").await;
    wait_visible(&b, "#signin-form", 10).await;
    let refreshed: Value = b
        .client
        .execute_async(
            "const done = arguments[0]; fetch('/api/v1/auth/refresh', {method: 'POST', headers: {'content-type': 'application/json'}, body: '{}', credentials: 'same-origin'}).then(r => done(r.status));",
            vec![],
        )
        .await
        .unwrap();
    // The cookie is gone from the browser (the refresh has nothing to present), and
    // every sign-in of the account has ended on the server.
    assert_eq!(refreshed, json!(422));
    let anne = "(SELECT id FROM users WHERE email = 'anne@example.be')";
    assert!(app.count(&format!("refresh_tokens WHERE user_id = {anne}")) >= 2, "the unlock signed in again");
    assert_eq!(app.count(&format!("refresh_tokens WHERE user_id = {anne} AND revoked_at IS NULL")), 0);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invited_relay_staff_member_joins_in_french_and_the_app_locks_when_idle_on_sqlite() {
    invited_accepts_in_french_and_the_app_locks_when_idle(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invited_relay_staff_member_joins_in_french_and_the_app_locks_when_idle_on_postgres() {
    invited_accepts_in_french_and_the_app_locks_when_idle(Backend::Postgres).await;
}
