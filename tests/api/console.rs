//! The helpline console in a real browser (Chromium over WebDriver) against the
//! real app: a whole shift, a colleague who cannot reveal, the e-mail link after
//! sign-in, CSRF refusals, the idle timeout, roles kept out, and accessibility.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::browser::Browser;
use crate::cases::EVC;
use crate::helpers::{Backend, TestApp, ago, dump_database, spawn_second_instance, try_spawn_app};
use crate::signals::{body, relay_staff, submit};

/// A helpline account; returns its password.
async fn helpline_account(app: &TestApp, email: &str, role: &str) -> String {
    let admin = app.admin_token().await;
    app.create_user(&admin, json!({"email": email, "role": role, "helpline_id": EVC})).await.1
}

fn totp_code(secret_b32: &str, offset_secs: u64) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret_b32).unwrap();
    let t = totp_rs::Builder::new().with_secret(secret.to_vec()).with_account_name("x".to_string()).build().unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    t.generate(now + offset_secs).to_string()
}

/// Enrols a second factor through the API; returns its secret.
async fn enrol_totp(app: &TestApp, email: &str, password: &str) -> String {
    let token = app.login_ok(email, password).await.access;
    let enrol: Value = app.post("/api/v1/me/totp", Some(&token), &json!({})).await.json().await.unwrap();
    let secret = enrol["secret"].as_str().unwrap().to_string();
    let resp = app.post("/api/v1/me/totp/confirm", Some(&token), &json!({"code": totp_code(&secret, 0)})).await;
    assert_eq!(resp.status(), StatusCode::OK);
    secret
}

async fn sign_in(b: &mut Browser, app: &TestApp, email: &str, password: &str, totp: Option<&str>) {
    if !b.path().await.ends_with("/console/sign-in") {
        b.goto(&app.url("/console/sign-in")).await;
    }
    b.fill("#email", email).await;
    b.fill("#password", password).await;
    if let Some(code) = totp {
        b.fill("#totp", code).await;
    }
    b.shot("sign-in-filled").await;
    b.navigate_by("form.stack button[type=submit]").await;
    b.shot("signed-in").await;
}

async fn assert_accessible(b: &Browser, page: &str) {
    let violations = b.axe_violations().await;
    assert!(violations.is_empty(), "axe-core on {page}: {violations:#?}");
}

async fn file_signal(app: &TestApp, relay: &str, key: &str, phone: &str) -> String {
    let resp = submit(app, relay, key, &body(phone, "Hortense")).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let receipt: Value = resp.json().await.unwrap();
    receipt["reference"].as_str().unwrap().to_string()
}

/// The whole shift: sign in with TOTP, a signal filed through the API appears
/// without reload, claim, reveal, a no-answer with a next attempt, reached,
/// close; the case leaves the queue and its contact is gone everywhere,
/// the browser's storage included.
async fn an_operator_works_a_whole_shift(backend: Backend) {
    let Some(app) = try_spawn_app(backend).await else { return };
    let name = format!("console-shift-{}", if backend == Backend::Sqlite { "sqlite" } else { "postgres" });
    let Some(mut b) = Browser::start(&name).await else { return };
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    let pw = helpline_account(&app, "op@example.be", "helpline_operator").await;
    let secret = enrol_totp(&app, "op@example.be", &pw).await;

    // The server's root sends a browser to the console, which asks to sign in.
    b.goto(&app.url("/")).await;
    assert_eq!(b.path().await, "/console/sign-in");
    assert_accessible(&b, "sign-in").await;
    // The password alone is not enough: the form asks for the code, beside its field.
    sign_in(&mut b, &app, "op@example.be", &pw, None).await;
    assert!(b.wait_for_text("#totp-error", "6-digit code", 10).await);
    b.shot("second-factor-asked").await;
    sign_in(&mut b, &app, "op@example.be", &pw, Some(&totp_code(&secret, 30))).await;
    assert_eq!(b.path().await, "/console/queue");
    assert!(b.wait_for_text("#queue-rows", "Nothing to show", 10).await);
    b.shot("queue-empty").await;
    assert_accessible(&b, "queue").await;

    // A signal filed now appears in the open queue without a reload — on
    // PostgreSQL filed through another instance of the app on the same database.
    let phone = "0470 55 81 23";
    let reference = if backend == Backend::Postgres {
        let other = spawn_second_instance(&app, |_| {}).await;
        file_signal(&other, &relay, "shift-1", phone).await
    } else {
        file_signal(&app, &relay, "shift-1", phone).await
    };
    assert!(b.wait_for_text("#queue-rows", &reference, 6).await, "the new signal appears by itself");
    assert_eq!(b.path().await, "/console/queue");
    b.shot("queue-new-signal").await;

    // Claim, then reveal: the phone as a tel: link.
    b.navigate_by(&format!("#queue-rows a[href='/console/cases/{reference}']")).await;
    assert_eq!(b.path().await, format!("/console/cases/{reference}"));
    b.shot("case-unclaimed").await;
    assert_accessible(&b, "case").await;
    b.navigate_by("form[action$='/claim'] button").await;
    b.shot("case-claimed").await;
    assert!(!b.body_text().await.contains("+32470558123"), "no phone before the reveal");
    b.navigate_by("form[action$='/reveal'] button").await;
    let tel = b.element("a.phone").await;
    assert_eq!(tel.attr("href").await.unwrap().as_deref(), Some("tel:+32470558123"));
    assert!(b.body_text().await.contains("NOT allowed"), "voicemail refusal is plain to see");
    b.shot("case-revealed").await;
    assert_accessible(&b, "case with contact").await;

    // No answer, try again tomorrow at 10:00 (Brussels).
    let tomorrow = (chrono::Utc::now().with_timezone(&chrono_tz::Europe::Brussels) + chrono::Duration::days(1))
        .format("%Y-%m-%dT10:00")
        .to_string();
    b.js(&format!("document.getElementById('result').value = 'no_answer'; document.getElementById('next_attempt').value = '{tomorrow}'; return true;")).await;
    b.navigate_by("form[action$='/attempts'] button").await;
    assert!(b.text(".notice").await.contains("Attempt recorded"));
    assert!(b.text("section[aria-labelledby=history-h]").await.contains("No answer"));
    assert!(!b.body_text().await.contains("+32470558123"), "the contact is hidden again after the step");
    b.shot("attempt-no-answer").await;

    // Reached.
    b.js("document.getElementById('result').value = 'reached'; return true;").await;
    b.navigate_by("form[action$='/attempts'] button").await;
    b.shot("attempt-reached").await;
    assert!(b.text("section[aria-labelledby=history-h]").await.contains("Reached"));

    // Closing asks for a confirmation that the contact will be destroyed.
    b.js("document.getElementById('outcome').value = 'referred_support'; document.getElementById('confirm').required = false; return true;").await;
    b.navigate_by("form[action$='/close'] button").await;
    assert!(b.text("#close-error").await.contains("contact will be destroyed"));
    b.shot("close-needs-confirmation").await;
    b.click("#confirm").await;
    b.js("document.getElementById('outcome').value = 'referred_support'; return true;").await;
    b.navigate_by("form[action$='/close'] button").await;
    assert!(b.text(".notice").await.contains("contact has been destroyed"));
    b.shot("case-closed").await;

    // The case left the open queue; it is in "closed today".
    b.goto(&app.url("/console/queue")).await;
    assert!(!b.text("#queue-rows").await.contains(&reference));
    b.goto(&app.url("/console/queue?view=closed_today")).await;
    assert!(b.text("#queue-rows").await.contains(&reference));
    b.shot("queue-closed-today").await;

    // The number is nowhere: not in the browser's storage, not in the database.
    let storage = b.storage_dump().await;
    for form in ["+32470558123", "0470558123", "470 55 81 23", "0470 55 81 23"] {
        assert!(!storage.contains(form), "browser storage holds the phone: {storage}");
    }
    let db = dump_database(&app);
    assert!(!db.windows(12).any(|w| w == b"+32470558123"), "the database holds the phone");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_works_a_whole_shift_on_sqlite() {
    an_operator_works_a_whole_shift(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_works_a_whole_shift_on_postgres() {
    an_operator_works_a_whole_shift(Backend::Postgres).await;
}

/// A colleague sees the claim and cannot reveal; the e-mail's link leads to the
/// case after sign-in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_colleague_sees_the_claim_and_cannot_reveal() {
    let app = try_spawn_app(Backend::Sqlite).await.unwrap();
    let Some(mut b) = Browser::start("console-colleague").await else { return };
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    let a_pw = helpline_account(&app, "a@example.be", "helpline_operator").await;
    let b_pw = helpline_account(&app, "b@example.be", "helpline_operator").await;
    let reference = file_signal(&app, &relay, "colleague-1", "0470 31 41 59").await;
    let a = app.login_ok("a@example.be", &a_pw).await.access;
    assert_eq!(
        app.post(&format!("/api/v1/cases/{reference}/claim"), Some(&a), &json!({})).await.status(),
        StatusCode::OK
    );

    // The notification e-mail's link: the console's case page, after sign-in.
    b.goto(&app.url(&format!("/console/cases/{reference}"))).await;
    assert_eq!(b.path().await, "/console/sign-in");
    sign_in(&mut b, &app, "b@example.be", &b_pw, None).await;
    assert_eq!(b.path().await, format!("/console/cases/{reference}"));
    assert!(b.body_text().await.contains("A colleague is working on this case."));
    assert!(!b.exists("form[action$='/reveal']").await, "no reveal for a colleague");
    assert!(!b.exists("form[action$='/claim']").await);
    b.shot("colleague-sees-claim").await;

    // Forcing the reveal form anyway is refused, and shows no contact.
    b.mark_page().await;
    b.js(&format!(
        "const f = document.createElement('form'); f.method = 'post'; f.action = '/console/cases/{reference}/reveal';\
         const i = document.createElement('input'); i.name = 'csrf'; i.value = document.querySelector('[data-csrf]').dataset.csrf;\
         f.appendChild(i); document.body.appendChild(f); f.submit(); return true;"
    ))
    .await;
    b.wait_new_page().await;
    assert!(b.body_text().await.contains("A colleague is working on this case."));
    assert!(!b.body_text().await.contains("+32470314159"));
    b.shot("colleague-reveal-refused").await;
    let audit = app.count("audit_log WHERE action = 'contact.revealed'");
    assert_eq!(audit, 0, "nothing was revealed");
    b.close().await;
}

/// Forms without the session's token, or from another origin, are refused; an
/// idle session ends; relay staff cannot use the console.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_need_the_token_and_the_origin_and_idle_sessions_end() {
    let app = try_spawn_app(Backend::Sqlite).await.unwrap();
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    let pw = helpline_account(&app, "op@example.be", "helpline_operator").await;
    let reference = file_signal(&app, &relay, "csrf-1", "0470 27 18 28").await;

    // Sign in over plain HTTP, as a browser would post the form.
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let resp = client
        .post(app.url("/console/sign-in"))
        .form(&[("email", "op@example.be"), ("password", pw.as_str()), ("next", "/console/queue")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let set_cookie = resp.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict"), "{set_cookie}");
    let cookie = set_cookie.split(';').next().unwrap().to_string();
    let page =
        client.get(app.url(&format!("/console/cases/{reference}"))).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page.headers().get("content-security-policy").unwrap().to_str().unwrap().to_string();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(page.headers().get("cache-control").unwrap(), "no-store");
    let html = page.text().await.unwrap();
    let csrf = html.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();

    let claim = format!("/console/cases/{reference}/claim");
    // No token: refused, nothing claimed.
    let r = client.post(app.url(&claim)).header("cookie", &cookie).form(&[("x", "1")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("sent from outside the console"));
    // The right token from another origin: refused.
    let r = client
        .post(app.url(&claim))
        .header("cookie", &cookie)
        .header("origin", "https://evil.example")
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = client
        .post(app.url(&claim))
        .header("cookie", &cookie)
        .header("sec-fetch-site", "cross-site")
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("signals WHERE claimed_by IS NOT NULL"), 0, "nothing was claimed");
    // With the token from this origin: claimed.
    let r = client
        .post(app.url(&claim))
        .header("cookie", &cookie)
        .header("origin", app.address.as_str())
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("signals WHERE claimed_by IS NOT NULL"), 1);

    // Thirty idle minutes later the session is over.
    app.execute(&format!("UPDATE console_sessions SET last_seen_at = {}", ago(chrono::Duration::minutes(31))));
    let r = client.get(app.url("/console/queue")).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(r.headers().get("location").unwrap().to_str().unwrap().contains("timed_out=1"));
    assert_eq!(app.count("console_sessions"), 0);

    // Relay staff cannot use the console.
    let admin = app.admin_token().await;
    let s = app.seed_scopes();
    let (_, relay_pw) = app
        .create_user(&admin, json!({"email": "r2@example.be", "role": "relay_staff", "relay_point_id": s.relay_point}))
        .await;
    let r = client
        .post(app.url("/console/sign-in"))
        .form(&[("email", "r2@example.be"), ("password", relay_pw.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.headers().get("set-cookie").is_none(), "no session for relay staff");
    assert!(r.text().await.unwrap().contains("cannot use these pages"));
}

/// The whole case can be closed with the keyboard alone, in French.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_is_closed_with_the_keyboard_alone() {
    let app = try_spawn_app(Backend::Sqlite).await.unwrap();
    let Some(mut b) = Browser::start("console-keyboard").await else { return };
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    let pw = helpline_account(&app, "op@example.be", "helpline_operator").await;
    let reference = file_signal(&app, &relay, "kbd-1", "0470 16 18 03").await;
    let op = app.login_ok("op@example.be", &pw).await.access;
    assert_eq!(
        app.post(&format!("/api/v1/cases/{reference}/claim"), Some(&op), &json!({})).await.status(),
        StatusCode::OK
    );

    sign_in(&mut b, &app, "op@example.be", &pw, None).await;
    // Switch to French with the header's language form.
    b.js("document.getElementById('language').value = 'fr'; return true;").await;
    b.navigate_by("form[action='/console/language'] button").await;
    assert_eq!(b.js("return document.documentElement.lang").await, "fr");
    b.goto(&app.url(&format!("/console/cases/{reference}"))).await;
    assert!(b.body_text().await.contains("Clôturer le dossier"));
    b.shot("case-in-french").await;

    // Keyboard only: focus the outcome, choose with the arrow keys, tick the
    // confirmation with the space bar, send with Enter.
    let focus = |css: &str| format!("document.querySelector(\"{css}\").focus(); return document.activeElement.id;");
    assert_eq!(b.js(&focus("#outcome")).await, "outcome");
    let active = b.client.active_element().await.unwrap();
    active.send_keys("\u{E015}").await.unwrap(); // ArrowDown: the second outcome
    active.send_keys("\t").await.unwrap(); // Tab to the confirmation
    assert_eq!(b.js("return document.activeElement.id").await, "confirm");
    b.client.active_element().await.unwrap().send_keys(" ").await.unwrap();
    assert_eq!(b.js("return document.getElementById('confirm').checked").await, true);
    b.client.active_element().await.unwrap().send_keys("\t").await.unwrap();
    let focused = b.js("return document.activeElement.textContent").await;
    assert!(focused.as_str().unwrap().contains("Clôturer et détruire"), "{focused}");
    let visible_focus = b.js("return getComputedStyle(document.activeElement).outlineStyle").await;
    assert_ne!(visible_focus, "none", "focus is visible");
    b.shot("keyboard-focus-on-close").await;
    b.client.active_element().await.unwrap().send_keys("\u{E007}").await.unwrap(); // Enter
    assert!(b.wait_for_text(".notice", "contact a été détruit", 5).await);
    b.shot("keyboard-closed").await;
    assert_eq!(app.count("signal_contacts"), 0, "the contact is destroyed");
    b.close().await;
}

/// A supervisor transfers a case to the other helpline from the case page; an
/// operator has no such form and is refused if they post it anyway.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_transfers_a_case_from_its_page() {
    let app = try_spawn_app(Backend::Sqlite).await.unwrap();
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    let reference = file_signal(&app, &relay, "transfer-1", "0470 11 22 33").await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let sign_in = async |email: &str, role: &str| {
        let pw = helpline_account(&app, email, role).await;
        let resp = client
            .post(app.url("/console/sign-in"))
            .form(&[("email", email), ("password", pw.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        resp.headers().get("set-cookie").unwrap().to_str().unwrap().split(';').next().unwrap().to_string()
    };
    let page = async |cookie: &str| {
        let r =
            client.get(app.url(&format!("/console/cases/{reference}"))).header("cookie", cookie).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        r.text().await.unwrap()
    };
    let csrf_of =
        |html: &str| html.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let transfer = format!("/console/cases/{reference}/transfer");

    // An operator sees no transfer form, and posting one anyway is refused.
    let op = sign_in("op@example.be", "helpline_operator").await;
    let html = page(&op).await;
    assert!(!html.contains("/transfer\""));
    let r = client
        .post(app.url(&transfer))
        .header("cookie", &op)
        .form(&[("csrf", csrf_of(&html).as_str()), ("helpline_id", crate::cases::H1712)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count(&format!("signals WHERE helpline_id = '{EVC}'")), 1);

    // The supervisor chooses 1712 among the other helplines.
    let sup = sign_in("sup@example.be", "helpline_supervisor").await;
    let html = page(&sup).await;
    assert!(html.contains(&format!("value=\"{}\"", crate::cases::H1712)), "1712 is offered");
    let r = client
        .post(app.url(&transfer))
        .header("cookie", &sup)
        .form(&[("csrf", csrf_of(&html).as_str()), ("helpline_id", "not-a-helpline")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "a bad choice is refused");
    assert_eq!(app.count(&format!("signals WHERE helpline_id = '{EVC}'")), 1, "and changes nothing");
    let r = client
        .post(app.url(&transfer))
        .header("cookie", &sup)
        .form(&[("csrf", csrf_of(&html).as_str()), ("helpline_id", crate::cases::H1712)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count(&format!("signals WHERE helpline_id = '{}'", crate::cases::H1712)), 1);
    assert_eq!(app.count("audit_log WHERE action = 'signal.transferred'"), 1);
    // This helpline no longer sees it.
    let r = client.get(app.url(&format!("/console/cases/{reference}"))).header("cookie", &sup).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

/// "Sign out everywhere" ends every console session of the account and its API
/// sign-ins (refresh and access tokens); "sign out" ends only this one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_out_everywhere_ends_every_session_of_the_account() {
    let app = try_spawn_app(Backend::Sqlite).await.unwrap();
    let pw = helpline_account(&app, "op@example.be", "helpline_operator").await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let console_session = async || {
        let resp = client
            .post(app.url("/console/sign-in"))
            .form(&[("email", "op@example.be"), ("password", pw.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        resp.headers().get("set-cookie").unwrap().to_str().unwrap().split(';').next().unwrap().to_string()
    };
    let queue =
        async |cookie: &str| client.get(app.url("/console/queue")).header("cookie", cookie).send().await.unwrap();
    let csrf_of =
        |html: &str| html.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();

    // Sign out ends this session only.
    let (first, second) = (console_session().await, console_session().await);
    let html = queue(&first).await.text().await.unwrap();
    let r = client
        .post(app.url("/console/sign-out"))
        .header("cookie", &first)
        .form(&[("csrf", csrf_of(&html).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(queue(&first).await.status(), StatusCode::SEE_OTHER, "signed out");
    assert_eq!(queue(&second).await.status(), StatusCode::OK, "the other session goes on");

    // Everywhere: the other console session and the API sign-in end too.
    let third = console_session().await;
    let api = app.login_ok("op@example.be", &pw).await;
    assert_eq!(app.get("/api/v1/me", &api.access).await.status(), StatusCode::OK);
    let html = queue(&third).await.text().await.unwrap();
    let r = client
        .post(app.url("/console/sign-out-everywhere"))
        .header("cookie", &third)
        .form(&[("csrf", csrf_of(&html).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    for cookie in [&second, &third] {
        let r = queue(cookie).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert!(r.headers().get("location").unwrap().to_str().unwrap().starts_with("/console/sign-in"));
    }
    assert_eq!(app.count("console_sessions"), 0);
    assert_eq!(app.get("/api/v1/me", &api.access).await.status(), StatusCode::UNAUTHORIZED);
    let refreshed = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": api.refresh})).await;
    assert_eq!(refreshed.status(), StatusCode::UNAUTHORIZED);
}
