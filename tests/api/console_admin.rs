//! The admin pages of the console in a real browser, and the test delivery of a
//! helpline's webhook over HTTP: an admin closes a helpline for a day and the route
//! simulator then sends the signal to the other helpline; a webhook change reaches
//! the supervisors by e-mail; the test-delivery button shows the receiver's answer;
//! non-admins are kept out; axe-core finds nothing on any page.

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::browser::Browser;
use crate::cases::{EVC, H1712};
use crate::helpers::{Backend, TestApp, problem, try_spawn_app_with};
use crate::receiver::{Receiver, signature_valid};
use crate::smtp::SmtpServer;

const SECRET: &str = "a-webhook-secret-of-at-least-32-characters";

pub(crate) async fn sign_in(b: &mut Browser, app: &TestApp, email: &str, password: &str) {
    b.goto(&app.url("/console/sign-in")).await;
    b.fill("#email", email).await;
    b.fill("#password", password).await;
    b.navigate_by("form.stack button[type=submit]").await;
}

pub(crate) async fn assert_accessible(b: &Browser, page: &str) {
    let violations = b.axe_violations().await;
    assert!(violations.is_empty(), "axe-core on {page}: {violations:#?}");
}

/// A Dutch-speaking line open around the clock, also on public holidays: the
/// second candidate for a Dutch signal from Antwerp (the first is 1712, by rule).
async fn backup_line(app: &TestApp, admin: &str) -> String {
    let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let line = json!({
        "code": "nl-backup",
        "name": "Nachtlijn",
        "public_phone": "0800 11 111",
        "languages": ["nl"],
        "weekly_hours": days.iter().map(|d| json!({"day": d, "start": "00:00", "end": "24:00"})).collect::<Vec<_>>(),
        "open_on_public_holidays": true,
    });
    let resp = app.post("/api/v1/helplines", Some(admin), &line).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    resp.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string()
}

async fn mails_to(smtp: &SmtpServer, address: &str, n: usize) -> usize {
    let deadline = Instant::now() + Duration::from_secs(15);
    while smtp.to(address).len() < n && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    smtp.to(address).len()
}

/// Sets a form field by script (date and time inputs take keys by locale).
pub(crate) async fn set_value(b: &Browser, id: &str, value: &str) {
    b.js(&format!("document.getElementById('{id}').value = '{value}'; return true;")).await;
}

async fn an_admin_runs_the_helplines(backend: Backend) {
    let smtp = SmtpServer::start();
    let url = smtp.url();
    let Some(app) = try_spawn_app_with(backend, |s| s.smtp_url = Some(url)).await else { return };
    let name = format!("console-admin-{}", if backend == Backend::Sqlite { "sqlite" } else { "postgres" });
    let Some(mut b) = Browser::start(&name).await else { return };
    let admin = app.admin_token().await;
    backup_line(&app, &admin).await;
    app.create_user(
        &admin,
        json!({"email": "sup-1712@example.be", "role": "helpline_supervisor", "helpline_id": H1712}),
    )
    .await;
    let (_, op_pw) = app
        .create_user(&admin, json!({"email": "op@example.be", "role": "helpline_operator", "helpline_id": EVC}))
        .await;

    // The admin signs in; the header leads to the admin pages.
    sign_in(&mut b, &app, &app.admin_email, &app.admin_password).await;
    b.navigate_by("header nav a[href='/console/admin/helplines']").await;
    assert_eq!(b.path().await, "/console/admin/helplines");
    assert!(b.text("#helplines").await.contains("Nachtlijn"));
    b.shot("helplines").await;
    assert_accessible(&b, "helplines").await;

    // The simulator, before any change: a Dutch signal from Antwerp on Wednesday
    // 10 March 2027 at 10:00 goes to 1712, by its rule.
    b.navigate_by("header nav a[href='/console/admin/route-simulator']").await;
    b.shot("simulator-empty").await;
    assert_accessible(&b, "simulator").await;
    b.fill("#postcode", "2000").await;
    set_value(&b, "at", "2027-03-10T10:00").await;
    b.navigate_by("#simulate button[type=submit]").await;
    let usual = b.text("#destination").await;
    assert!(usual.contains("1712"), "{usual}");
    assert!(b.text("#reason").await.contains("Priority 10"), "the Dutch rule decides");
    b.shot("simulator-usual").await;
    assert_accessible(&b, "simulator with a result").await;

    // A bad postcode: the message beside the field, no result.
    b.fill("#postcode", "12").await;
    b.navigate_by("#simulate button[type=submit]").await;
    assert!(b.text("#postcode-error").await.contains("four digits"));
    assert!(!b.exists("#result").await);
    b.shot("simulator-bad-postcode").await;
    assert_accessible(&b, "simulator with an error").await;

    // The admin closes 1712 on that day, from its page: the calendar shows it.
    b.goto(&app.url(&format!("/console/admin/helplines/{H1712}?month=2027-03"))).await;
    assert_eq!(b.text("#month-title").await, "March 2027");
    b.shot("helpline-1712").await;
    assert_accessible(&b, "helpline page").await;
    set_value(&b, "exception-date", "2027-03-10").await;
    b.navigate_by("#exception-form button[type=submit]").await;
    b.shot("helpline-exception-added").await;
    assert!(b.text("#notice").await.contains("Exception added"));
    assert!(b.exists("#calendar td.exception[data-date='2027-03-10']").await);
    assert!(b.text("#exceptions").await.contains("10/03/2027"));
    assert_accessible(&b, "helpline page with an exception").await;
    // The same date again: the message beside the date, nothing written.
    let before = app.count("audit_log");
    set_value(&b, "exception-date", "2027-03-10").await;
    b.navigate_by("#exception-form button[type=submit]").await;
    assert!(b.text("#exception_date-error").await.contains("already"));
    assert_eq!(app.count("audit_log"), before);
    b.shot("helpline-exception-twice").await;

    // The simulator now sends the signal to the backup line, and says why.
    b.goto(
        &app.url(
            "/console/admin/route-simulator?postcode=2000&language=nl&urgency=standard&at=2027-03-10T10%3A00#result",
        ),
    )
    .await;
    let moved = b.text("#destination").await;
    assert!(moved.contains("Nachtlijn"), "{moved}");
    assert!(b.text("#reason").await.contains("closed"), "a rule matched but its helpline was closed");
    let candidates = b.text("#candidates").await;
    assert!(candidates.contains("dated exception on 10/03/2027"), "{candidates}");
    assert!(b.text("#told").await.contains("0800 11 111"), "the relay is given the backup line's number");
    b.shot("simulator-elsewhere").await;
    assert_accessible(&b, "simulator after the change").await;
    // The day before, the usual helpline.
    b.goto(&app.url("/console/admin/route-simulator?postcode=2000&language=nl&urgency=standard&at=2027-03-09T10%3A00"))
        .await;
    assert!(b.text("#destination").await.contains("1712"));

    // The webhook changes: the supervisor of 1712 is e-mailed, deliveries are held.
    let receiver = Receiver::start(0, &[]);
    b.goto(&app.url(&format!("/console/admin/helplines/{H1712}"))).await;
    // A URL without a secret: refused beside the secret field, nothing written.
    b.fill("#webhook_url", &receiver.url()).await;
    b.navigate_by("#channels-form button[type=submit]").await;
    assert!(b.text("#webhook_secret-error").await.contains("needs a secret"));
    assert_eq!(b.element("#webhook_url").await.prop("value").await.unwrap().as_deref(), Some(receiver.url().as_str()));
    assert_eq!(app.count("audit_log WHERE action = 'helpline.channels_changed'"), 0);
    b.shot("channels-secret-missing").await;
    assert_accessible(&b, "channels with an error").await;
    b.fill("#webhook_secret", SECRET).await;
    b.navigate_by("#channels-form button[type=submit]").await;
    assert!(b.text("#notice").await.contains("Channels saved"));
    assert!(b.exists("#held").await, "deliveries of earlier signals wait for a supervisor");
    assert_eq!(mails_to(&smtp, "sup-1712@example.be", 1).await, 1, "the supervisor is e-mailed");
    assert_eq!(app.count("audit_log WHERE action = 'helpline.channels_changed'"), 1);
    b.shot("channels-changed").await;

    // "Send a test delivery" shows the receiver's answer.
    b.navigate_by("#test-form button[type=submit]").await;
    assert_eq!(b.text("#test-status").await, "200");
    assert!(b.text("#test-result").await.contains("accepted"));
    let got = receiver.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(got.len(), 1);
    assert!(signature_valid(&got[0], SECRET), "signed like a real delivery");
    let body: Value = serde_json::from_slice(&got[0].body).unwrap();
    assert_eq!((body["event"].clone(), body["test"].clone()), (json!("test"), json!(true)));
    b.shot("test-delivery").await;
    assert_accessible(&b, "helpline page with a test result").await;
    receiver.stop().await;

    // A helpline supervisor and an operator are refused the admin pages.
    assert!(!b.exists("header nav a[href='/console/supervisor']").await);
    b.navigate_by("form[action='/console/sign-out'] button").await;
    sign_in(&mut b, &app, "op@example.be", &op_pw).await;
    assert!(!b.exists("header nav a[href='/console/admin/helplines']").await);
    for page in
        ["/console/admin/helplines", "/console/admin/route-simulator", &format!("/console/admin/helplines/{H1712}")]
    {
        b.goto(&app.url(page)).await;
        assert!(b.body_text().await.contains("cannot use these pages"), "{page}");
    }
    b.shot("operator-refused").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_runs_the_helplines_on_sqlite() {
    an_admin_runs_the_helplines(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_runs_the_helplines_on_postgres() {
    an_admin_runs_the_helplines(Backend::Postgres).await;
}

async fn an_admin_manages_accounts(backend: Backend) {
    let smtp = SmtpServer::start();
    let url = smtp.url();
    let Some(app) = try_spawn_app_with(backend, |s| s.smtp_url = Some(url)).await else { return };
    let name = format!("console-accounts-{}", if backend == Backend::Sqlite { "sqlite" } else { "postgres" });
    let Some(mut b) = Browser::start(&name).await else { return };
    let admin = app.admin_token().await;
    let (op_id, op_pw) = app
        .create_user(&admin, json!({"email": "op@example.be", "role": "helpline_operator", "helpline_id": EVC}))
        .await;
    // The operator is signed in to the console and to the API.
    let op_cookie = console_cookie(&app, "op@example.be", &op_pw).await;
    let op_token = app.login_ok("op@example.be", &op_pw).await.access;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let queue = |cookie: String| {
        let (client, url) = (client.clone(), app.url("/console/queue"));
        async move { client.get(url).header("cookie", cookie).send().await.unwrap() }
    };
    assert_eq!(queue(op_cookie.clone()).await.status(), StatusCode::OK);

    sign_in(&mut b, &app, &app.admin_email, &app.admin_password).await;
    b.navigate_by("header nav a[href='/console/admin/accounts']").await;
    assert!(b.text("#accounts").await.contains("op@example.be"));
    b.shot("accounts").await;
    assert_accessible(&b, "accounts").await;
    // Filters: by role, by a part of the e-mail, by state.
    b.goto(&app.url("/console/admin/accounts?role=helpline_operator&q=OP%40")).await;
    let rows = b.text("#accounts").await;
    assert!(rows.contains("op@example.be") && !rows.contains(&app.admin_email), "{rows}");
    b.goto(&app.url("/console/admin/accounts?state=deactivated")).await;
    assert!(!b.exists("#accounts").await, "nobody is deactivated yet");

    // Invite: bad input beside its field and nothing written; then a supervisor.
    let users = app.count("users");
    b.goto(&app.url("/console/admin/accounts")).await;
    b.fill("#email", "new@example.be").await;
    b.js("document.getElementById('role').value = 'helpline_supervisor'; return true;").await;
    b.navigate_by("#invite-form button[type=submit]").await;
    b.shot("invite-without-helpline").await;
    assert!(b.text("#helpline_id-error").await.contains("needs a helpline"));
    assert_eq!(app.count("users"), users);
    assert_accessible(&b, "invite with an error").await;
    b.js(&format!("document.getElementById('helpline_id').value = '{EVC}'; return true;")).await;
    b.navigate_by("#invite-form button[type=submit]").await;
    assert!(b.text("#notice").await.contains("Invitation sent"));
    assert_eq!(app.count("users"), users + 1);
    smtp.wait_for_account_invitation("new@example.be").await;

    // The operator's account: role changed to supervisor, then deactivated.
    b.goto(&app.url(&format!("/console/admin/accounts/{op_id}"))).await;
    b.shot("account").await;
    assert_accessible(&b, "account").await;
    b.js("document.getElementById('role').value = 'helpline_supervisor'; return true;").await;
    b.navigate_by("#role-form button[type=submit]").await;
    assert!(b.text("#notice").await.contains("Role changed"));
    assert!(b.text("#account").await.contains("Helpline supervisor"));
    // The role change ended the sessions: the operator signs in again.
    assert_eq!(queue(op_cookie).await.status(), StatusCode::SEE_OTHER);
    let op_cookie = console_cookie(&app, "op@example.be", &op_pw).await;
    let op_tokens2 = app.login_ok("op@example.be", &op_pw).await;
    let op_token2 = op_tokens2.access.clone();
    assert_eq!(queue(op_cookie.clone()).await.status(), StatusCode::OK);
    assert_eq!(app.get("/api/v1/me", &op_token).await.status(), StatusCode::UNAUTHORIZED);

    b.navigate_by("#deactivate-form button[type=submit]").await;
    assert!(b.text("#notice").await.contains("deactivated"));
    assert!(b.text("#state").await.contains("deactivated"));
    b.shot("account-deactivated").await;
    assert_accessible(&b, "account deactivated").await;
    // Its console session has ended: the next page load goes to sign-in; the API refuses it.
    let resp = queue(op_cookie).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert!(resp.headers()["location"].to_str().unwrap().starts_with("/console/sign-in"));
    assert_eq!(app.get("/api/v1/me", &op_token2).await.status(), StatusCode::UNAUTHORIZED);
    // Its API refresh token no longer gets new tokens either.
    let refreshed = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": op_tokens2.refresh})).await;
    problem(refreshed, StatusCode::UNAUTHORIZED).await;
    assert_eq!(app.login("op@example.be", &op_pw).await.status(), StatusCode::UNAUTHORIZED);
    b.goto(&app.url("/console/admin/accounts?state=deactivated")).await;
    assert!(b.text("#accounts").await.contains("op@example.be"));

    // Reactivated; second factor reset.
    b.goto(&app.url(&format!("/console/admin/accounts/{op_id}"))).await;
    b.navigate_by("#reactivate-form button[type=submit]").await;
    assert!(b.text("#notice").await.contains("reactivated"));
    b.navigate_by("#second-factor-form button[type=submit]").await;
    assert!(b.text("#notice").await.contains("Second factor reset"));
    assert_eq!(app.count("audit_log WHERE action = 'user.second_factor_reset'"), 1);

    // The audit log, filtered by action, then by a date range the wrong way round.
    b.navigate_by("header nav a[href='/console/admin/audit']").await;
    b.shot("audit").await;
    assert_accessible(&b, "audit").await;
    b.goto(&app.url("/console/admin/audit?action=user.deactivated")).await;
    let audit = b.text("#audit").await;
    assert!(audit.contains("account deactivated") && audit.contains("op@example.be"), "{audit}");
    assert!(!audit.contains("role or scope changed"), "{audit}");
    b.shot("audit-filtered").await;
    b.goto(&app.url("/console/admin/audit?from=2027-03-10&to=2027-03-01")).await;
    assert!(b.text("#to-error").await.contains("before the first"));
    b.shot("audit-bad-range").await;
    assert_accessible(&b, "audit with an error").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_manages_accounts_on_sqlite() {
    an_admin_manages_accounts(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_manages_accounts_on_postgres() {
    an_admin_manages_accounts(Backend::Postgres).await;
}

/// Opens the directory entry whose name contains `name`.
async fn open_entry(b: &Browser, name: &str) {
    let href = b
        .js(&format!(
            "return [...document.querySelectorAll('#entries a')].find(a => a.textContent.includes('{name}')).getAttribute('href');"
        ))
        .await;
    let href = href.as_str().unwrap().to_string();
    let url = b.js("return location.origin;").await.as_str().unwrap().to_string();
    b.goto(&format!("{url}{href}")).await;
}

async fn gap_rows(b: &Browser) -> i64 {
    b.js("return document.querySelectorAll('#gaps li').length;").await.as_i64().unwrap()
}

async fn tick(b: &Browser, ids: &[&str]) {
    for id in ids {
        b.js(&format!("document.getElementById('{id}').checked = true; return true;")).await;
    }
}

async fn an_admin_keeps_the_referral_directory(backend: Backend) {
    let Some(app) = try_spawn_app_with(backend, |_| {}).await else { return };
    let name = format!("console-referrals-{}", if backend == Backend::Sqlite { "sqlite" } else { "postgres" });
    let Some(mut b) = Browser::start(&name).await else { return };
    let admin = app.admin_token().await;
    sign_in(&mut b, &app, &app.admin_email, &app.admin_password).await;
    b.navigate_by("header nav a[href='/console/admin/referrals']").await;
    // No shelter, legal aid or sexual-assault centre yet: 3 regions × 4 languages × 3 kinds.
    assert_eq!(gap_rows(&b).await, 36);
    b.shot("referrals").await;
    assert_accessible(&b, "referrals").await;

    // Bad input: beside the fields, nothing written.
    let resources = app.count("resources");
    b.js("document.getElementById('kind').value = 'legal_aid'; return true;").await;
    b.fill("#name", "Bureau d'aide juridique de Bruxelles").await;
    b.fill("#website", "ftp://example.be").await;
    b.navigate_by("#add-form button[type=submit]").await;
    assert!(b.text("#regions-error").await.contains("region"));
    assert!(b.text("#website-error").await.contains("http"));
    assert_eq!(app.count("resources"), resources);
    b.shot("referral-bad-input").await;
    assert_accessible(&b, "referrals with errors").await;

    // A legal-aid office for Brussels in French and Dutch closes two gaps.
    b.fill("#website", "https://aide-juridique.example.be").await;
    b.fill("#phone", "02 519 84 00").await;
    tick(&b, &["region_brussels", "lang_fr", "lang_nl"]).await;
    b.navigate_by("#add-form button[type=submit]").await;
    assert!(b.text("#notice").await.contains("Entry added"));
    assert_eq!(gap_rows(&b).await, 34);
    assert_eq!(app.count("resources"), resources + 1);
    let relays: Value = app.get("/api/v1/resources?region=brussels&language=fr", &admin).await.json().await.unwrap();
    assert!(relays.to_string().contains("aide juridique de Bruxelles"), "relays get it: {relays}");

    // Edited: Wallonia too.
    open_entry(&b, "aide juridique").await;
    b.shot("referral-entry").await;
    assert_accessible(&b, "referral entry").await;
    tick(&b, &["region_wallonia"]).await;
    b.navigate_by("#edit-form button[type=submit]").await;
    assert!(b.text("#notice").await.contains("Entry saved"));
    b.goto(&app.url("/console/admin/referrals")).await;
    assert_eq!(gap_rows(&b).await, 32, "Wallonia in French and Dutch");
    open_entry(&b, "aide juridique").await;
    // Retired: relays no longer get it, the gaps come back, it stays listed.
    b.navigate_by("#retire-form button[type=submit]").await;
    assert!(b.text("#notice").await.contains("Entry retired"));
    assert_eq!(gap_rows(&b).await, 36);
    assert!(b.text("#entries").await.contains("retired"));
    let relays: Value = app.get("/api/v1/resources?region=brussels&language=fr", &admin).await.json().await.unwrap();
    assert!(!relays.to_string().contains("aide juridique"), "{relays}");
    b.shot("referral-retired").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_keeps_the_referral_directory_on_sqlite() {
    an_admin_keeps_the_referral_directory(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_keeps_the_referral_directory_on_postgres() {
    an_admin_keeps_the_referral_directory(Backend::Postgres).await;
}

// ---------------------------------------------------------------------------
// The admin pages over plain HTTP: roles, CSRF and bad input write nothing.

crate::on_both_backends!(
    a_test_delivery_is_signed_marked_as_a_test_and_carries_no_signal,
    a_test_delivery_reports_the_receivers_refusal,
    a_test_delivery_is_for_admins_and_a_helpline_with_a_webhook,
    the_admin_pages_refuse_other_roles_and_forms_without_a_token,
    accounts_are_listed_by_role_state_and_part_of_the_email
);

async fn accounts_are_listed_by_role_state_and_part_of_the_email(app: TestApp) {
    let admin = app.admin_token().await;
    let (op, _) = app
        .create_user(&admin, json!({"email": "op_1@example.be", "role": "helpline_operator", "helpline_id": EVC}))
        .await;
    app.create_user(&admin, json!({"email": "op21@example.be", "role": "helpline_operator", "helpline_id": EVC})).await;
    app.create_user(&admin, json!({"email": "sup@example.be", "role": "helpline_supervisor", "helpline_id": EVC}))
        .await;
    let emails = |v: Value| -> Vec<String> {
        v["items"].as_array().unwrap().iter().map(|u| u["email"].as_str().unwrap().to_string()).collect()
    };
    let list = |q: &'static str| {
        let (app, admin) = (&app, admin.clone());
        async move { app.get(&format!("/api/v1/users?{q}"), &admin).await }
    };
    let v: Value = list("role=helpline_operator").await.json().await.unwrap();
    assert_eq!(emails(v), ["op21@example.be", "op_1@example.be"]);
    // `_` matches itself, not any character; the search ignores case.
    let v: Value = list("q=OP_").await.json().await.unwrap();
    assert_eq!(emails(v), ["op_1@example.be"]);
    let resp = app.post(&format!("/api/v1/users/{op}/deactivate"), Some(&admin), &json!({})).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let v: Value = list("state=deactivated").await.json().await.unwrap();
    assert_eq!(emails(v), ["op_1@example.be"]);
    let v: Value = list("state=active&role=helpline_operator").await.json().await.unwrap();
    assert_eq!(emails(v), ["op21@example.be"]);
    problem(list("state=asleep").await, StatusCode::BAD_REQUEST).await;
    let long = "q=".to_string() + &"a".repeat(255);
    let p = problem(app.get(&format!("/api/v1/users?{long}"), &admin).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(p["errors"][0]["field"], "q", "{p}");
}

async fn set_webhook(app: &TestApp, admin: &str, helpline: &str, url: &str) {
    let patch = json!({"webhook_url": url, "webhook_secret": SECRET});
    let resp = app.request(Method::PATCH, &format!("/api/v1/helplines/{helpline}"), Some(admin), Some(&patch)).await;
    assert_eq!(resp.status(), StatusCode::OK);
}

async fn a_test_delivery_is_signed_marked_as_a_test_and_carries_no_signal(app: TestApp) {
    let admin = app.admin_token().await;
    let receiver = Receiver::start(0, &[]);
    set_webhook(&app, &admin, EVC, &receiver.url()).await;
    let outbox = app.count("outbox");
    let resp = app.post(&format!("/api/v1/helplines/{EVC}/test-delivery"), Some(&admin), &json!({})).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let v: Value = resp.json().await.unwrap();
    assert_eq!((v["delivered"].clone(), v["status"].clone()), (json!(true), json!(200)), "{v}");
    assert_eq!(v["error"], Value::Null);
    let got = receiver.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(got.len(), 1);
    assert!(signature_valid(&got[0], SECRET));
    assert_eq!(got[0].delivery_id, v["delivery_id"].as_str().unwrap());
    let body: Value = serde_json::from_slice(&got[0].body).unwrap();
    assert_eq!(body["event"], "test");
    assert_eq!(body["test"], true);
    assert_eq!(body["helpline_code"], "evc");
    for field in ["reference", "contact", "urgency", "municipality"] {
        assert!(body.get(field).is_none(), "a test carries no signal: {body}");
    }
    assert_eq!(app.count("outbox"), outbox, "nothing is queued");
    assert_eq!(app.count("audit_log WHERE action = 'helpline.test_delivery'"), 1);
    receiver.stop().await;
}

async fn a_test_delivery_reports_the_receivers_refusal(app: TestApp) {
    let admin = app.admin_token().await;
    let receiver = Receiver::start(0, &[410]);
    set_webhook(&app, &admin, EVC, &receiver.url()).await;
    let resp = app.post(&format!("/api/v1/helplines/{EVC}/test-delivery"), Some(&admin), &json!({})).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let v: Value = resp.json().await.unwrap();
    assert_eq!((v["delivered"].clone(), v["status"].clone()), (json!(false), json!(410)), "{v}");
    assert_eq!(v["error"], "HTTP 410");
    receiver.stop().await;
    // Nobody listening: no status, the reason.
    let resp = app.post(&format!("/api/v1/helplines/{EVC}/test-delivery"), Some(&admin), &json!({})).await;
    let v: Value = resp.json().await.unwrap();
    assert_eq!((v["delivered"].clone(), v["status"].clone()), (json!(false), Value::Null), "{v}");
    assert_eq!(v["error"], "connection failed");
}

async fn a_test_delivery_is_for_admins_and_a_helpline_with_a_webhook(app: TestApp) {
    let admin = app.admin_token().await;
    let receiver = Receiver::start(0, &[]);
    set_webhook(&app, &admin, EVC, &receiver.url()).await;
    let path = format!("/api/v1/helplines/{EVC}/test-delivery");
    let (_, sup_pw) = app
        .create_user(&admin, json!({"email": "sup@example.be", "role": "helpline_supervisor", "helpline_id": EVC}))
        .await;
    let sup = app.login_ok("sup@example.be", &sup_pw).await.access;
    problem(app.post(&path, Some(&sup), &json!({})).await, StatusCode::FORBIDDEN).await;
    problem(app.post(&path, None, &json!({})).await, StatusCode::UNAUTHORIZED).await;
    problem(
        app.post("/api/v1/helplines/00000000-0000-4000-8000-00000000dead/test-delivery", Some(&admin), &json!({}))
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    problem(app.post("/api/v1/helplines/nope/test-delivery", Some(&admin), &json!({})).await, StatusCode::NOT_FOUND)
        .await;
    // 1712 has no webhook: a clear 422, nothing sent, nothing written.
    let p = problem(
        app.post(&format!("/api/v1/helplines/{H1712}/test-delivery"), Some(&admin), &json!({})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "webhook_url", "{p}");
    assert!(receiver.received().is_empty());
    assert_eq!(app.count("audit_log WHERE action = 'helpline.test_delivery'"), 0);
    receiver.stop().await;
}

/// A console session's cookie for `email`, signed in over plain HTTP.
pub(crate) async fn console_cookie(app: &TestApp, email: &str, password: &str) -> String {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let resp = client
        .post(app.url("/console/sign-in"))
        .form(&[("email", email), ("password", password), ("next", "/console/")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let cookie = resp.headers()["set-cookie"].to_str().unwrap();
    cookie.split(';').next().unwrap().to_string()
}

async fn the_admin_pages_refuse_other_roles_and_forms_without_a_token(app: TestApp) {
    let admin = app.admin_token().await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let pages =
        ["/console/admin/helplines", "/console/admin/route-simulator", &format!("/console/admin/helplines/{EVC}")];
    // Signed out: to the sign-in page.
    for page in pages {
        let resp = client.get(app.url(page)).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{page}");
    }
    // A supervisor and a programme manager: 403.
    let (_, sup_pw) = app
        .create_user(&admin, json!({"email": "sup@example.be", "role": "helpline_supervisor", "helpline_id": EVC}))
        .await;
    let cookie = console_cookie(&app, "sup@example.be", &sup_pw).await;
    for page in pages {
        let resp = client.get(app.url(page)).header("cookie", &cookie).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{page}");
    }
    let resp = client
        .post(app.url(&format!("/console/admin/helplines/{EVC}/exceptions/add")))
        .header("cookie", &cookie)
        .form(&[("date", "2027-03-10"), ("closed", "on")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    // The admin, without the CSRF token: refused, nothing written.
    let cookie = console_cookie(&app, &app.admin_email, &app.admin_password).await;
    let resp = client
        .post(app.url(&format!("/console/admin/helplines/{EVC}/exceptions/add")))
        .header("cookie", &cookie)
        .form(&[("date", "2027-03-10"), ("closed", "on"), ("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let helpline: Value = app.get(&format!("/api/v1/helplines/{EVC}"), &admin).await.json().await.unwrap();
    assert!(helpline["exceptions"].as_array().unwrap().iter().all(|e| e["date"] != "2027-03-10"), "{helpline}");
    assert_eq!(app.count("audit_log WHERE action = 'helpline.channels_changed'"), 0);
    // An unknown helpline: 404.
    let resp = client
        .get(app.url("/console/admin/helplines/00000000-0000-4000-8000-00000000dead"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
}
