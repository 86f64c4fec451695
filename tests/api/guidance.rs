//! Intake never leaves a relay without a next step: immediate danger is never
//! turned away by the hourly limit, and every error answer of `POST /api/v1/signals`
//! says whom to call now, in the relay's language.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, problem, try_spawn_app_with};
use crate::signals::{PHONE, body, relay_staff, submit};
use crate::smtp::SmtpServer;

fn danger() -> Value {
    let mut b = body(PHONE, "A");
    b["urgency"] = json!("immediate_danger");
    b
}

fn numbers(p: &Value) -> Vec<String> {
    p["guidance"]["call"]
        .as_array()
        .expect("guidance.call")
        .iter()
        .map(|c| c["number"].as_str().unwrap().into())
        .collect()
}

/// Over the hourly limit, a standard signal is refused (429, with the number of
/// the helpline that would have taken it); an immediate-danger one is filed,
/// counted, and the programme's managers are told once.
async fn immediate_danger_is_never_turned_away(backend: Backend) {
    let smtp = SmtpServer::start();
    let url = smtp.url();
    let Some(app) = try_spawn_app_with(backend, |s| {
        s.signal_rate_limit_per_hour = 2;
        s.smtp_url = Some(url);
    })
    .await
    else {
        return;
    };
    let admin = app.admin_token().await;
    let m = app.programme_with_manager(&admin, "wal", "nl").await;
    let relay = app.relay(&m.manager, "Pharmacie du Pont", "4000", "pharmacy").await;
    let (_, token) = app.staff(&admin, "p@example.be", relay["id"].as_str().unwrap()).await;
    for k in ["1", "2"] {
        assert_eq!(submit(&app, &token, k, &body(PHONE, "A")).await.status(), StatusCode::CREATED);
    }
    let refused = problem(submit(&app, &token, "3", &body(PHONE, "A")).await, StatusCode::TOO_MANY_REQUESTS).await;
    // Liège, French: the helpline that would have taken it, and no 112 for a standard signal.
    assert_eq!(numbers(&refused), vec!["0800 30 030".to_string()], "{refused}");

    for k in ["d1", "d2"] {
        let resp = submit(&app, &token, k, &danger()).await;
        assert_eq!(resp.status(), StatusCode::CREATED, "immediate danger is never refused");
    }
    assert_eq!(app.count("signals WHERE urgency = 'immediate_danger'"), 2);
    // The alert is queued with the signal and sent by the outbox worker, which may
    // send the helpline's notifications first.
    let to_manager = |mails: &[crate::smtp::Received]| {
        mails.iter().filter(|m| m.to.iter().any(|t| t.contains("manager-wal"))).count()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while to_manager(&smtp.wait_for(1).await) == 0 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let mails = smtp.wait_for(1).await;
    let alert: Vec<_> = mails.iter().filter(|m| m.to.iter().any(|t| t.contains("manager-wal"))).collect();
    assert_eq!(
        alert.len(),
        1,
        "the managers are told once: {:?}",
        mails.iter().map(|m| m.subject()).collect::<Vec<_>>()
    );
    let text = alert[0].body();
    assert!(text.contains("Pharmacie du Pont"), "{text}");
    assert!(!text.contains("0470") && !text.contains("987654"), "no contact in the alert");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn immediate_danger_is_never_turned_away_sqlite() {
    immediate_danger_is_never_turned_away(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn immediate_danger_is_never_turned_away_postgres() {
    immediate_danger_is_never_turned_away(Backend::Postgres).await;
}

crate::on_both_backends!(every_intake_error_says_whom_to_call_in_the_relays_language);

async fn every_intake_error_says_whom_to_call_in_the_relays_language(app: TestApp) {
    let (token, _) = relay_staff(&app, "p@example.be").await;
    let send = |key: &'static str, accept: Option<&'static str>, bearer: Option<String>, b: Value| {
        let mut req = app.client.post(app.url("/api/v1/signals")).header("idempotency-key", key).json(&b);
        if let Some(a) = accept {
            req = req.header("accept-language", a);
        }
        if let Some(t) = bearer {
            req = req.bearer_auth(t);
        }
        req.send()
    };

    // 422, immediate danger: 112 first, then the helpline that would have taken it.
    let mut bad = danger();
    bad["consent"] = json!(false);
    let p =
        problem(send("a", Some("fr-BE"), Some(token.clone()), bad).await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    assert_eq!(numbers(&p), vec!["112".to_string(), "0800 30 030".to_string()], "{p}");
    assert!(p["guidance"]["what_to_do"].as_str().unwrap().contains("112"), "{p}");
    assert!(p["guidance"]["what_to_do"].as_str().unwrap().starts_with("Le signal"), "French: {p}");

    // 400, a body that is not JSON: urgency unknown, routing could not run: 112 if in
    // danger, else both regional helplines; in Dutch.
    let p = problem(
        app.client
            .post(app.url("/api/v1/signals"))
            .bearer_auth(&token)
            .header("idempotency-key", "b")
            .header("content-type", "application/json")
            .header("accept-language", "nl")
            .body("{not json")
            .send()
            .await
            .unwrap(),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(numbers(&p), vec!["112".to_string(), "1712".to_string(), "0800 30 030".to_string()], "{p}");
    assert!(p["guidance"]["what_to_do"].as_str().unwrap().starts_with("Het signaal"), "Dutch: {p}");

    // 401, no token: still guided (in German here).
    let p = problem(send("c", Some("de"), None, body(PHONE, "A")).await.unwrap(), StatusCode::UNAUTHORIZED).await;
    assert!(numbers(&p).contains(&"0800 30 030".to_string()), "{p}");
    assert!(p["guidance"]["what_to_do"].as_str().unwrap().starts_with("Das Signal"), "German: {p}");

    // 400, no Idempotency-Key, standard: the helpline only, in English by default.
    let resp = app.client.post(app.url("/api/v1/signals")).bearer_auth(&token).json(&body(PHONE, "A")).send().await;
    let p = problem(resp.unwrap(), StatusCode::BAD_REQUEST).await;
    assert_eq!(numbers(&p), vec!["0800 30 030".to_string()], "{p}");
    assert!(p["guidance"]["what_to_do"].as_str().unwrap().starts_with("The signal"), "{p}");

    // Nothing was filed, and a successful answer carries no error guidance.
    assert_eq!(app.count("signals"), 0);
    let ok: Value = send("d", None, Some(token), body(PHONE, "A")).await.unwrap().json().await.unwrap();
    assert!(ok.get("what_to_do").is_none() && ok["reference"].is_string());
}

crate::on_both_backends!(errors_relays_read_follow_their_language);

/// The endpoints relay staff call answer errors (title and detail) in
/// `Accept-Language`, else the account's language; English keeps its texts.
async fn errors_relays_read_follow_their_language(app: TestApp) {
    let admin = app.admin_token().await;
    let s = app.seed_scopes();
    let (_, pw) = app
        .create_user(
            &admin,
            json!({"email": "de@example.be", "role": "relay_staff", "relay_point_id": s.relay_point, "language": "de"}),
        )
        .await;
    let german = app.login_ok("de@example.be", &pw).await.access;
    let get = |path: &'static str, token: Option<String>, accept: Option<&'static str>| {
        let mut req = app.client.get(app.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(a) = accept {
            req = req.header("accept-language", a);
        }
        req.send()
    };

    // The account's language when the device names none.
    let p = problem(get("/api/v1/signals/K7Q-2XPA", Some(german.clone()), None).await.unwrap(), StatusCode::NOT_FOUND)
        .await;
    assert_eq!((p["title"].as_str(), p["detail"].as_str()), (Some("Nicht gefunden"), Some("Nicht gefunden.")), "{p}");
    // The device's language first.
    let p = problem(
        get("/api/v1/signals/K7Q-2XPA", Some(german.clone()), Some("nl-BE")).await.unwrap(),
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(p["title"], "Niet gevonden", "{p}");
    let p = problem(get("/api/v1/me/training", None, Some("de")).await.unwrap(), StatusCode::UNAUTHORIZED).await;
    assert_eq!(p["title"], "Nicht angemeldet", "{p}");
    let p = problem(get("/api/v1/resources", None, Some("fr")).await.unwrap(), StatusCode::UNAUTHORIZED).await;
    assert_eq!(p["title"], "Non connecté", "{p}");
    assert!(p["detail"].as_str().unwrap().starts_with("Connexion requise"), "{p}");
    assert_eq!(p["code"], "unauthorized", "the code stays stable");

    // Sign-in: nobody is known yet, so Accept-Language decides.
    let resp = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("accept-language", "nl")
        .json(&json!({"email": "de@example.be", "password": "not the password"}))
        .send()
        .await
        .unwrap();
    let p = problem(resp, StatusCode::UNAUTHORIZED).await;
    assert_eq!(p["title"], "Niet aangemeld", "{p}");
    // English (or no preference) keeps the detailed English text.
    let p = problem(get("/api/v1/signals/K7Q-2XPA", None, Some("en")).await.unwrap(), StatusCode::UNAUTHORIZED).await;
    assert_eq!(p["title"], "Unauthorized", "{p}");
}

/// With no routing rule for the relay's area, a signal is still filed, and the
/// programme's managers and the admins hear that a rule is missing.
async fn a_missing_rule_is_reported_and_the_signal_still_filed(backend: Backend) {
    let smtp = SmtpServer::start();
    let url = smtp.url();
    let Some(app) = try_spawn_app_with(backend, |s| s.smtp_url = Some(url)).await else {
        return;
    };
    let admin = app.admin_token().await;
    let rules: Value = app.get("/api/v1/routing-rules", &admin).await.json().await.unwrap();
    for rule in rules.as_array().unwrap() {
        let path = format!("/api/v1/routing-rules/{}", rule["id"].as_str().unwrap());
        let resp = app.request(reqwest::Method::DELETE, &path, Some(&admin), None).await;
        assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    }
    let m = app.programme_with_manager(&admin, "wal", "fr").await;
    let relay = app.relay(&m.manager, "Pharmacie du Pont", "4000", "pharmacy").await;
    let (_, token) = app.staff(&admin, "p@example.be", relay["id"].as_str().unwrap()).await;
    let resp = submit(&app, &token, "k", &body(PHONE, "A")).await;
    assert_eq!(resp.status(), StatusCode::CREATED, "filed without a rule");
    let receipt: Value = resp.json().await.unwrap();
    assert_eq!(receipt["helpline"]["public_phone"], "0800 30 030", "a helpline speaking French: {receipt}");
    let mails = smtp.wait_for(2).await;
    let alerts: Vec<_> = mails.iter().filter(|m| m.body().contains("Pharmacie du Pont")).collect();
    let to: Vec<String> = alerts.iter().flat_map(|m| m.to.clone()).collect();
    assert!(to.iter().any(|t| t.contains("manager-wal")), "the managers: {to:?}");
    assert!(to.iter().any(|t| t.contains(app.admin_email.as_str())), "the admins: {to:?}");
    assert!(alerts.iter().all(|m| !m.body().contains("0470")), "no contact in the alert");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_rule_is_reported_and_the_signal_still_filed_sqlite() {
    a_missing_rule_is_reported_and_the_signal_still_filed(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_rule_is_reported_and_the_signal_still_filed_postgres() {
    a_missing_rule_is_reported_and_the_signal_still_filed(Backend::Postgres).await;
}

crate::on_both_backends!(a_deactivated_relay_point_cannot_file_and_is_told_whom_to_call);

async fn a_deactivated_relay_point_cannot_file_and_is_told_whom_to_call(app: TestApp) {
    let admin = app.admin_token().await;
    let m = app.programme_with_manager(&admin, "wal", "fr").await;
    let relay = app.relay(&m.manager, "Pharmacie du Pont", "4000", "pharmacy").await;
    let id = relay["id"].as_str().unwrap();
    let (_, token) = app.staff(&admin, "p@example.be", id).await;
    let resp = app.patch(&format!("/api/v1/relay-points/{id}"), &m.manager, &json!({"active": false})).await;
    assert_eq!(resp.status(), StatusCode::OK);

    let p = problem(submit(&app, &token, "k", &body(PHONE, "A")).await, StatusCode::FORBIDDEN).await;
    assert_eq!(p["code"], "relay_point_inactive", "{p}");
    assert!(p["detail"].as_str().unwrap().contains("call the helpline directly"), "{p}");
    assert_eq!(numbers(&p), vec!["0800 30 030".to_string()], "the number is in the answer: {p}");
    assert_eq!(app.count("signals"), 0);
}
