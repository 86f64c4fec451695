//! The supervisor's console page in a real browser: an operator's claim, handed
//! to a colleague; the reveal audit (reference, who, when — no phone); a webhook
//! delivery dead-lettered and delivered again; the figures with "<5"; operators
//! kept out; and axe-core finding nothing.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::browser::Browser;
use crate::cases::EVC;
use crate::helpers::{Backend, TestApp, try_spawn_app};
use crate::receiver::Receiver;
use crate::signals::{body, relay_staff, submit};

async fn account(app: &TestApp, email: &str, role: &str) -> String {
    let admin = app.admin_token().await;
    app.create_user(&admin, json!({"email": email, "role": role, "helpline_id": EVC})).await.1
}

async fn sign_in(b: &mut Browser, app: &TestApp, email: &str, password: &str) {
    b.goto(&app.url("/console/sign-in")).await;
    b.fill("#email", email).await;
    b.fill("#password", password).await;
    b.navigate_by("form.stack button[type=submit]").await;
}

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

async fn assert_accessible(b: &Browser, page: &str) {
    let violations = b.axe_violations().await;
    assert!(violations.is_empty(), "axe-core on {page}: {violations:#?}");
}

async fn a_supervisor_oversees_the_helpline(backend: Backend) {
    let Some(app) = try_spawn_app(backend).await else { return };
    let name = format!("console-supervisor-{}", if backend == Backend::Sqlite { "sqlite" } else { "postgres" });
    let Some(mut b) = Browser::start(&name).await else { return };

    // The helpline's webhook refuses the first delivery (410: given up at once), then accepts.
    let receiver = Receiver::start(0, &[410]);
    let admin = app.admin_token().await;
    let patch = json!({"webhook_url": receiver.url(), "webhook_secret": "a-webhook-secret-of-at-least-32-characters"});
    let resp =
        app.request(reqwest::Method::PATCH, &format!("/api/v1/helplines/{EVC}"), Some(&admin), Some(&patch)).await;
    assert_eq!(resp.status(), StatusCode::OK);

    let a_pw = account(&app, "a@example.be", "helpline_operator").await;
    account(&app, "b@example.be", "helpline_operator").await;
    let sup_pw = account(&app, "sup@example.be", "helpline_supervisor").await;
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    let receipt: Value = submit(&app, &relay, "k", &body("0470 55 81 23", "Hortense")).await.json().await.unwrap();
    let reference = receipt["reference"].as_str().unwrap().to_string();
    assert_eq!(eventually(&app, "outbox WHERE channel = 'webhook' AND status = 'dead'", 1).await, 1);

    // Operator A claims the case and reveals the contact.
    let a = app.login_ok("a@example.be", &a_pw).await.access;
    assert_eq!(
        app.post(&format!("/api/v1/cases/{reference}/claim"), Some(&a), &json!({})).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.post(&format!("/api/v1/cases/{reference}/reveal"), Some(&a), &json!({})).await.status(),
        StatusCode::OK
    );

    // The supervisor signs in; the header leads to the supervisor's page.
    sign_in(&mut b, &app, "sup@example.be", &sup_pw).await;
    assert_eq!(b.path().await, "/console/queue");
    b.navigate_by("header nav a[href='/console/supervisor']").await;
    assert_eq!(b.path().await, "/console/supervisor");
    assert!(b.text("#claims").await.contains(&reference));
    assert_eq!(b.text("#claims tbody tr td").await, "a@example.be");
    b.shot("claims").await;
    assert_accessible(&b, "supervisor").await;

    // The reveal audit: the reference, who, when; never the phone.
    let reveals = b.text("#reveals").await;
    assert!(reveals.contains(&reference) && reveals.contains("a@example.be"), "{reveals}");
    assert!(!b.body_text().await.contains("470"), "no phone on the page");
    b.js("document.getElementById('reveals').scrollIntoView(); return true;").await;
    b.shot("reveal-audit").await;

    // Reassign to B.
    b.js(&format!(
        "const s = document.getElementById('to-{reference}'); s.value = [...s.options].find(o => o.text === 'b@example.be').value; return true;"
    ))
    .await;
    b.navigate_by(&format!("#claims form:has(#to-{reference}) button")).await;
    assert!(b.text(".notice").await.contains("reassigned"));
    let holder = b.text("#claims tbody tr td").await;
    assert_eq!(holder, "b@example.be");
    b.shot("reassigned").await;
    let seen: Value = app.get(&format!("/api/v1/cases/{reference}"), &a).await.json().await.unwrap();
    assert_eq!(seen["claimed_by_me"], false, "A no longer holds it");

    // The dead webhook delivery, delivered again.
    let dead = b.text("#dead").await;
    assert!(dead.contains(&reference) && dead.contains("HTTP 410"), "{dead}");
    b.js("document.getElementById('dead').scrollIntoView(); return true;").await;
    b.shot("dead-letter").await;
    b.navigate_by("#dead button[aria-label*='webhook']").await;
    assert!(b.text(".notice").await.contains("queued again"));
    assert_eq!(eventually(&app, "outbox WHERE channel = 'webhook' AND status = 'delivered'", 1).await, 1);
    assert_eq!(receiver.wait_for(2, Duration::from_secs(10)).await.len(), 2, "the receiver got it again");
    b.goto(&app.url("/console/supervisor")).await;
    assert!(!b.text("#dead").await.contains("webhook"), "no dead webhook delivery left");
    b.shot("delivered-again").await;

    // The figures: one signal today, shown as <5.
    let figures = b.text("#figures").await;
    assert!(figures.contains("<5"), "{figures}");
    b.js("document.getElementById('figures').scrollIntoView(); return true;").await;
    b.shot("figures").await;
    assert_accessible(&b, "supervisor after the steps").await;

    // The case page offers the reassignment to supervisors too.
    b.goto(&app.url(&format!("/console/cases/{reference}"))).await;
    assert!(b.exists(&format!("form[action='/console/cases/{reference}/reassign'] select#operator_id")).await);
    b.shot("case-reassign").await;
    assert_accessible(&b, "case page of a supervisor").await;

    // An operator has no link and gets a refusal.
    b.navigate_by("form[action='/console/sign-out'] button").await;
    sign_in(&mut b, &app, "a@example.be", &a_pw).await;
    assert!(!b.exists("header nav a[href='/console/supervisor']").await);
    assert!(!b.exists("form[action$='/reassign']").await);
    b.goto(&app.url("/console/supervisor")).await;
    assert!(b.body_text().await.contains("cannot use these pages"));
    b.shot("operator-refused").await;
    receiver.stop().await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_oversees_the_helpline_on_sqlite() {
    a_supervisor_oversees_the_helpline(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_oversees_the_helpline_on_postgres() {
    a_supervisor_oversees_the_helpline(Backend::Postgres).await;
}
