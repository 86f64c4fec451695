//! Relay staff withdraw a signal before a helpline takes it: the contact is
//! destroyed at once, deliveries are cancelled, the queue drops it, it is audited;
//! a claimed or closed signal is refused in the relay's language, another relay
//! point's signal is not found. And the refresh token kept in an `HttpOnly`
//! cookie for browser apps.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::cases::{EVC, helpline_user};
use crate::helpers::{TestApp, ago, dump_database, problem};
use crate::on_both_backends;
use crate::signals::{body, relay_staff, submit};

on_both_backends!(
    a_relay_withdraws_an_unclaimed_signal_and_nothing_of_the_contact_remains,
    a_claimed_or_closed_signal_cannot_be_withdrawn_and_the_refusal_is_localised,
    another_relay_point_cannot_withdraw_a_signal,
    a_browser_app_keeps_the_refresh_token_in_an_http_only_cookie,
);

async fn withdraw(app: &TestApp, token: &str, reference: &str, language: &str) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/v1/signals/{reference}/withdraw")))
        .bearer_auth(token)
        .header("accept-language", language)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
}

async fn file(app: &TestApp, relay: &str, key: &str, phone: &str) -> String {
    let resp = submit(app, relay, key, &body(phone, "Hortense")).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    resp.json::<Value>().await.unwrap()["reference"].as_str().unwrap().to_string()
}

async fn a_relay_withdraws_an_unclaimed_signal_and_nothing_of_the_contact_remains(app: TestApp) {
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    let r = file(&app, &relay, "k-1", "0470 27 18 28").await;
    let kept = file(&app, &relay, "k-2", "0470 16 18 03").await;
    let op = helpline_user(&app, "op@example.be", "helpline_operator", EVC).await;
    let queue: Value = app.get("/api/v1/cases", &op).await.json().await.unwrap();
    assert_eq!(queue["items"].as_array().unwrap().len(), 2);
    // A delivery still to make (held back an hour, so the worker leaves it be).
    let of = |r: &str| format!("signal_id = (SELECT id FROM signals WHERE reference = '{r}')");
    app.execute(&format!(
        "UPDATE outbox SET status = 'pending', next_attempt_at = {} WHERE {}",
        ago(chrono::Duration::hours(-1)),
        of(&r)
    ));
    assert_eq!(app.count(&format!("outbox WHERE status = 'pending' AND {}", of(&r))), 1);

    let resp = withdraw(&app, &relay, &r, "en").await;
    assert_eq!(resp.status(), StatusCode::OK);
    let view: Value = resp.json().await.unwrap();
    assert_eq!((view["reference"].as_str(), view["status"].as_str()), (Some(r.as_str()), Some("withdrawn")));
    assert!(!view.to_string().contains("Hortense"));

    // The contact is gone, its deliveries cancelled, the action audited.
    assert_eq!(app.count("signal_contacts"), 1);
    assert_eq!(app.count(&format!("outbox WHERE status = 'cancelled' AND {}", of(&r))), 1);
    assert_eq!(app.count(&format!("outbox WHERE status <> 'cancelled' AND {}", of(&r))), 0);
    assert_eq!(app.count(&format!("outbox WHERE status = 'cancelled' AND {}", of(&kept))), 0);
    assert_eq!(app.count("audit_log WHERE action = 'signal.withdrawn'"), 1);
    let dump = dump_database(&app);
    let needle = b"+32470271828";
    assert!(!dump.windows(needle.len()).any(|w| w == needle), "the withdrawn number is still in the database");

    // The helpline's queue drops it; the other signal stays.
    let queue: Value = app.get("/api/v1/cases", &op).await.json().await.unwrap();
    let refs: Vec<&str> = queue["items"].as_array().unwrap().iter().map(|c| c["reference"].as_str().unwrap()).collect();
    assert_eq!(refs, vec![kept.as_str()]);
    problem(app.post(&format!("/api/v1/cases/{r}/claim"), Some(&op), &json!({})).await, StatusCode::CONFLICT).await;

    // The relay sees it withdrawn, and withdrawing again answers the same.
    let seen: Value = app.get(&format!("/api/v1/signals/{r}"), &relay).await.json().await.unwrap();
    assert_eq!(seen["status"], "withdrawn");
    let again = withdraw(&app, &relay, &r, "en").await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(app.count("audit_log WHERE action = 'signal.withdrawn'"), 1);
    let list: Value = app.get("/api/v1/signals?status=withdrawn", &relay).await.json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
}

async fn a_claimed_or_closed_signal_cannot_be_withdrawn_and_the_refusal_is_localised(app: TestApp) {
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    let r = file(&app, &relay, "k-1", "0470 27 18 28").await;
    let op = helpline_user(&app, "op@example.be", "helpline_operator", EVC).await;
    assert_eq!(app.post(&format!("/api/v1/cases/{r}/claim"), Some(&op), &json!({})).await.status(), StatusCode::OK);

    let p = problem(withdraw(&app, &relay, &r, "fr-BE,fr;q=0.9").await, StatusCode::CONFLICT).await;
    assert_eq!(p["code"], "signal_taken");
    assert!(p["detail"].as_str().unwrap().contains("ne peut plus être retiré"), "{p}");
    let p = problem(withdraw(&app, &relay, &r, "nl").await, StatusCode::CONFLICT).await;
    assert!(p["detail"].as_str().unwrap().contains("niet meer worden ingetrokken"), "{p}");
    let p = problem(withdraw(&app, &relay, &r, "en").await, StatusCode::CONFLICT).await;
    assert!(p["detail"].as_str().unwrap().contains("Call the helpline"), "{p}");
    // Nothing changed: the contact is still there for the operator, nothing audited.
    assert_eq!(app.count("signal_contacts"), 1);
    assert_eq!(app.count("audit_log WHERE action = 'signal.withdrawn'"), 0);

    // Released, but a call was attempted: still the helpline's.
    assert_eq!(
        app.post(&format!("/api/v1/cases/{r}/attempts"), Some(&op), &json!({"result": "no_answer"})).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(app.post(&format!("/api/v1/cases/{r}/release"), Some(&op), &json!({})).await.status(), StatusCode::OK);
    let p = problem(withdraw(&app, &relay, &r, "de").await, StatusCode::CONFLICT).await;
    assert_eq!(p["code"], "signal_taken");
    assert!(p["detail"].as_str().unwrap().contains("nicht mehr zurückgezogen"), "{p}");

    // Closed by the helpline: refused as closed.
    assert_eq!(app.post(&format!("/api/v1/cases/{r}/claim"), Some(&op), &json!({})).await.status(), StatusCode::OK);
    let closed = app.post(&format!("/api/v1/cases/{r}/close"), Some(&op), &json!({"outcome": "declined"})).await;
    assert_eq!(closed.status(), StatusCode::OK);
    let p = problem(withdraw(&app, &relay, &r, "en").await, StatusCode::CONFLICT).await;
    assert_eq!(p["code"], "signal_closed");
    let seen: Value = app.get(&format!("/api/v1/signals/{r}"), &relay).await.json().await.unwrap();
    assert_eq!(seen["status"], "completed");
}

async fn another_relay_point_cannot_withdraw_a_signal(app: TestApp) {
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    let r = file(&app, &relay, "k-1", "0470 27 18 28").await;
    let admin = app.admin_token().await;
    let b = app.programme_with_manager(&admin, "prog-b", "fr").await;
    let other = app.relay(&b.manager, "Salon B", "4020", "hairdresser").await["id"].as_str().unwrap().to_string();
    let (_, other_tok) = app.staff(&admin, "b@example.be", &other).await;
    let p = problem(withdraw(&app, &other_tok, &r, "en").await, StatusCode::NOT_FOUND).await;
    assert_eq!(p["code"], "not_found");
    problem(withdraw(&app, &relay, "K7Q-2XPA", "en").await, StatusCode::NOT_FOUND).await;
    // A helpline cannot use it either.
    let op = helpline_user(&app, "op@example.be", "helpline_operator", EVC).await;
    problem(withdraw(&app, &op, &r, "en").await, StatusCode::FORBIDDEN).await;
    assert_eq!(app.count("signal_contacts"), 1);
    assert_eq!(app.count("audit_log WHERE action = 'signal.withdrawn'"), 0);
}

/// The cookie's attributes, from a `set-cookie` header.
fn refresh_cookie(resp: &reqwest::Response) -> Option<String> {
    resp.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("saferelay_refresh="))
        .map(String::from)
}

async fn a_browser_app_keeps_the_refresh_token_in_an_http_only_cookie(app: TestApp) {
    let admin = app.admin_token().await;
    let s = app.seed_scopes();
    let (_, pw) = app
        .create_user(&admin, json!({"email": "c@example.be", "role": "relay_staff", "relay_point_id": s.relay_point}))
        .await;
    let login = |body: Value| app.client.post(app.url("/api/v1/auth/login")).json(&body).send();
    let resp = login(json!({"email": "c@example.be", "password": pw, "refresh_in_cookie": true})).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let cookie = refresh_cookie(&resp).expect("a refresh cookie");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/api/v1/auth", "Max-Age="] {
        assert!(cookie.contains(attribute), "{attribute} missing: {cookie}");
    }
    // Plain http here: not `Secure` (a browser would drop it); https sets it.
    assert!(!cookie.contains("Secure"));
    let token = cookie.split(';').next().unwrap().trim_start_matches("saferelay_refresh=").to_string();
    let body: Value = resp.json().await.unwrap();
    assert!(body["access_token"].is_string());
    assert!(body.get("refresh_token").is_none(), "the body must not carry the refresh token: {body}");

    // Refresh with the cookie and an empty body: a new cookie, still no token in the body.
    let send = |path: &str, cookie: Option<&str>| {
        let mut req = app.client.post(app.url(path)).json(&json!({}));
        if let Some(c) = cookie {
            req = req.header("cookie", format!("saferelay_refresh={c}"));
        }
        req.send()
    };
    let resp = send("/api/v1/auth/refresh", Some(&token)).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let next = refresh_cookie(&resp).expect("a rotated cookie");
    let next = next.split(';').next().unwrap().trim_start_matches("saferelay_refresh=").to_string();
    assert_ne!(next, token);
    let body: Value = resp.json().await.unwrap();
    assert!(body["access_token"].is_string() && body.get("refresh_token").is_none());
    // Single use, as in the body: the old cookie is refused (and ends the family).
    problem(send("/api/v1/auth/refresh", Some(&token)).await.unwrap(), StatusCode::UNAUTHORIZED).await;
    problem(send("/api/v1/auth/refresh", Some(&next)).await.unwrap(), StatusCode::UNAUTHORIZED).await;
    // No cookie and no token: 422 naming the field, localised.
    let resp = app
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .header("accept-language", "nl")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let p = problem(resp, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        (p["title"].as_str(), p["errors"][0]["field"].as_str()),
        (Some("Ongeldige gegevens"), Some("refresh_token"))
    );

    // Logout with the cookie ends that sign-in and removes the cookie.
    let resp = login(json!({"email": "c@example.be", "password": pw, "refresh_in_cookie": true})).await.unwrap();
    let c = refresh_cookie(&resp).unwrap();
    let c = c.split(';').next().unwrap().trim_start_matches("saferelay_refresh=").to_string();
    let out = send("/api/v1/auth/logout", Some(&c)).await.unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let removal = refresh_cookie(&out).expect("a removal cookie");
    assert!(removal.contains("Max-Age=0"), "{removal}");
    problem(send("/api/v1/auth/refresh", Some(&c)).await.unwrap(), StatusCode::UNAUTHORIZED).await;

    // Without the option, the body keeps the token, as before, and no cookie is set.
    let resp = login(json!({"email": "c@example.be", "password": pw})).await.unwrap();
    assert!(refresh_cookie(&resp).is_none());
    assert!(resp.json::<Value>().await.unwrap()["refresh_token"].is_string());
}
