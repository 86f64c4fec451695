//! Sign-in throttling, lockout, security headers and CORS.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, problem, try_spawn_app_with};
use crate::smtp::SmtpServer;

async fn statuses(app: &TestApp, email: &str, n: usize) -> Vec<u16> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(app.login(email, "wrong password").await.status().as_u16());
    }
    out
}

async fn throttling_case(backend: Backend) {
    let Some(app) = try_spawn_app_with(backend, |s| s.login_address_delay_after = 1000).await else { return };
    // Five failures, then each further attempt must wait: 429 with Retry-After.
    let known = statuses(&app, &app.admin_email, 6).await;
    let unknown = statuses(&app, "nobody@example.be", 6).await;
    assert_eq!(known, [401, 401, 401, 401, 401, 429]);
    assert_eq!(unknown, known, "an unknown account is throttled the same way");
    let resp = app.login(&app.admin_email, &app.admin_password).await;
    assert!(resp.headers()["retry-after"].to_str().unwrap().parse::<u64>().unwrap() >= 1);
    let p = problem(resp, StatusCode::TOO_MANY_REQUESTS).await;
    assert_eq!(p["code"], "too_many_requests");
    // After the wait, the right password works and resets the count.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(app.login(&app.admin_email, &app.admin_password).await.status(), StatusCode::OK);
    assert_eq!(statuses(&app, &app.admin_email, 1).await, [401]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_failures_are_delayed_for_known_and_unknown_accounts_alike_on_sqlite() {
    throttling_case(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_failures_are_delayed_for_known_and_unknown_accounts_alike_on_postgres() {
    throttling_case(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_locks_after_ten_failures_and_its_owner_is_told_once() {
    let smtp = SmtpServer::start();
    let url = smtp.url();
    let app = try_spawn_app_with(Backend::Sqlite, move |s| {
        s.smtp_url = Some(url);
        s.login_delay_after = 1000;
        s.login_address_delay_after = 1000;
    })
    .await
    .unwrap();
    let admin = app.admin_token().await;
    let (_, pw) = app.create_user(&admin, json!({"email": "op@example.be", "role": "admin", "language": "fr"})).await;
    assert_eq!(statuses(&app, "op@example.be", 10).await, [401; 10]);
    let resp = app.login("op@example.be", &pw).await;
    let wait: u64 = resp.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1700..=1800).contains(&wait), "locked for 30 minutes: {wait}");
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
    assert_eq!(statuses(&app, "ghost@example.be", 11).await.last(), Some(&429));
    let mails = smtp.wait_for(1).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(smtp.messages().len(), 1, "one notice, to the real account only: {mails:?}");
    assert_eq!(mails[0].to, ["op@example.be"]);
    assert!(mails[0].body().contains("30 minutes"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_guessing_many_accounts_is_delayed() {
    let app = try_spawn_app_with(Backend::Sqlite, |s| s.login_address_delay_after = 3).await.unwrap();
    let codes: Vec<u16> = futures_util::future::join_all((0..3).map(|i| {
        let email = format!("user{i}@example.be");
        let app = &app;
        async move { app.login(&email, "guess").await.status().as_u16() }
    }))
    .await;
    assert_eq!(codes, [401, 401, 401]);
    problem(app.login("another@example.be", "guess").await, StatusCode::TOO_MANY_REQUESTS).await;
}

/// Behind a trusted proxy, the client is the rightmost X-Forwarded-For address the
/// proxy saw: a guesser who varies the leftmost entry is still one address.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_the_client_address_comes_from_the_proxys_hop() {
    let app = try_spawn_app_with(Backend::Sqlite, |s| {
        s.login_address_delay_after = 2;
        s.trusted_proxies = "127.0.0.1/32".into();
    })
    .await
    .unwrap();
    let login = |i: u32, forwarded: String| {
        let app = &app;
        async move {
            app.client
                .post(app.url("/api/v1/auth/login"))
                .header("x-forwarded-for", forwarded)
                .json(&serde_json::json!({"email": format!("user{i}@example.be"), "password": "guess"}))
                .send()
                .await
                .unwrap()
        }
    };
    for i in 0..2 {
        let resp = login(i, format!("6.6.6.{i}, 198.51.100.7")).await;
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    }
    // A new spoofed leftmost entry does not make a new client.
    problem(login(2, "6.6.6.99, 198.51.100.7".into()).await, StatusCode::TOO_MANY_REQUESTS).await;
    // Another client behind the same proxy is not held back.
    assert_eq!(login(3, "198.51.100.8".into()).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.count("login_throttle WHERE throttle_key = 'addr:198.51.100.7'"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_carry_security_headers_and_cors_follows_the_allow_list() {
    let app = try_spawn_app_with(Backend::Sqlite, |s| {
        s.cors_origins = "https://app.example.be".into();
        s.hsts = true;
    })
    .await
    .unwrap();
    let resp = app.request(reqwest::Method::GET, "/healthz", None, None).await;
    let h = resp.headers();
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert_eq!(h["cache-control"], "no-store");
    assert!(h["strict-transport-security"].to_str().unwrap().starts_with("max-age="));
    assert!(h["content-security-policy"].to_str().unwrap().starts_with("default-src 'none'"));
    let docs = app.request(reqwest::Method::GET, "/docs/", None, None).await;
    assert!(docs.headers()["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));

    let allowed = app.client.get(app.url("/healthz")).header("origin", "https://app.example.be").send().await.unwrap();
    assert_eq!(allowed.headers()["access-control-allow-origin"], "https://app.example.be");
    let other = app.client.get(app.url("/healthz")).header("origin", "https://evil.example").send().await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/api/v1/signals"))
        .header("origin", "https://evil.example")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert!(preflight.headers().get("access-control-allow-origin").is_none());
    let body: Value = app.request(reqwest::Method::GET, "/healthz", None, None).await.json().await.unwrap();
    assert_eq!(body["status"], "ok");
}

fn code_in(body: &str) -> String {
    body.lines().map(str::trim).find(|l| l.len() == 43).expect("a reset code in the e-mail").to_string()
}

async fn a_password_reset_by_email_sets_a_new_password_and_ends_every_session(app: TestApp, smtp: SmtpServer) {
    let admin = app.admin_token().await;
    let (_, old_pw) =
        app.create_user(&admin, json!({"email": "op@example.be", "role": "admin", "language": "nl"})).await;
    let session = app.login_ok("op@example.be", &old_pw).await;

    for email in ["op@example.be", "nobody@example.be", "not an address"] {
        let resp = app.post("/api/v1/password-resets", None, &json!({"email": email})).await;
        assert_eq!(resp.status(), StatusCode::ACCEPTED, "same answer for {email}");
    }
    let mails = smtp.wait_for(1).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(smtp.messages().len(), 1, "only the real account gets mail");
    let code = code_in(&mails[0].body());

    let weak = app.post(&format!("/api/v1/password-resets/{code}/accept"), None, &json!({"password": "short"})).await;
    problem(weak, StatusCode::UNPROCESSABLE_ENTITY).await;
    let resp = app
        .post(&format!("/api/v1/password-resets/{code}/accept"), None, &json!({"password": "a brand new passphrase"}))
        .await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    problem(
        app.post(
            &format!("/api/v1/password-resets/{code}/accept"),
            None,
            &json!({"password": "another new passphrase"}),
        )
        .await,
        StatusCode::NOT_FOUND,
    )
    .await;

    // Every earlier session ended; only the new password works.
    let refreshed = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": session.refresh})).await;
    problem(refreshed, StatusCode::UNAUTHORIZED).await;
    problem(app.login("op@example.be", &old_pw).await, StatusCode::UNAUTHORIZED).await;
    assert_eq!(app.login("op@example.be", "a brand new passphrase").await.status(), StatusCode::OK);
}

crate::on_both_backends_with_smtp!(a_password_reset_by_email_sets_a_new_password_and_ends_every_session);

fn code_at(secret_b32: &str, offset_secs: u64) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret_b32).unwrap();
    let t = totp_rs::Builder::new().with_secret(secret.to_vec()).with_account_name("x".to_string()).build().unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    t.generate(now + offset_secs).to_string()
}

async fn two_factor_case(app: TestApp, smtp: SmtpServer) {
    let admin = app.admin_token().await;
    let s = app.seed_scopes();
    let (id, pw) = app
        .create_user(&admin, json!({"email": "op@example.be", "role": "helpline_operator", "helpline_id": s.helpline}))
        .await;
    let token = app.login_ok("op@example.be", &pw).await.access;

    let resp = app.post("/api/v1/me/totp", Some(&token), &json!({})).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let enrol: Value = resp.json().await.unwrap();
    let secret = enrol["secret"].as_str().unwrap().to_string();
    assert!(enrol["otpauth_uri"].as_str().unwrap().starts_with("otpauth://totp/SafeRelay:"));
    assert!(!enrol["qr_png_base64"].as_str().unwrap().is_empty());
    let p = problem(
        app.post("/api/v1/me/totp/confirm", Some(&token), &json!({"code": "000000"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "code");
    let codes: Value = app
        .post("/api/v1/me/totp/confirm", Some(&token), &json!({"code": code_at(&secret, 0)}))
        .await
        .json()
        .await
        .unwrap();
    let recovery: Vec<String> =
        codes["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    assert_eq!(recovery.len(), 10);
    assert_eq!(app.count(&format!("recovery_codes WHERE code_hash = '{}'", recovery[0])), 0, "stored hashed");

    // The password alone no longer signs in.
    let p = problem(app.login("op@example.be", &pw).await, StatusCode::UNAUTHORIZED).await;
    assert_eq!(p["code"], "second_factor_required");
    let with = |extra: Value| {
        let mut b = json!({"email": "op@example.be", "password": pw});
        b.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        b
    };
    // The confirmation code cannot be replayed; the next step's code works once.
    problem(
        app.post("/api/v1/auth/login", None, &with(json!({"totp_code": code_at(&secret, 0)}))).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    let next = code_at(&secret, 30);
    assert_eq!(app.post("/api/v1/auth/login", None, &with(json!({"totp_code": next}))).await.status(), StatusCode::OK);
    problem(app.post("/api/v1/auth/login", None, &with(json!({"totp_code": next}))).await, StatusCode::UNAUTHORIZED)
        .await;
    assert_eq!(
        app.post("/api/v1/auth/login", None, &with(json!({"recovery_code": recovery[0]}))).await.status(),
        StatusCode::OK
    );
    problem(
        app.post("/api/v1/auth/login", None, &with(json!({"recovery_code": recovery[0]}))).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;

    // An admin reset: audited, the person told by e-mail, the password alone works again.
    let resp = app.post(&format!("/api/v1/users/{id}/totp/reset"), Some(&admin), &json!({})).await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.count(&format!("audit_log WHERE action = 'user.second_factor_reset' AND subject_id = '{id}'")), 1);
    let mails = smtp.wait_for(1).await;
    assert_eq!(mails[0].to, ["op@example.be"]);
    assert_eq!(app.login("op@example.be", &pw).await.status(), StatusCode::OK);
}

crate::on_both_backends_with_smtp!(two_factor_enrolment_sign_in_replay_recovery_and_admin_reset);

async fn two_factor_enrolment_sign_in_replay_recovery_and_admin_reset(app: TestApp, smtp: SmtpServer) {
    two_factor_case(app, smtp).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_policy_keeps_helpline_staff_without_two_factors_out_of_personal_data() {
    let app = try_spawn_app_with(Backend::Sqlite, |s| s.require_totp = Some(true)).await.unwrap();
    // The bootstrap admin must enrol too before doing anything else.
    let admin = app.admin_token().await;
    let p = problem(app.get("/api/v1/users", &admin).await, StatusCode::FORBIDDEN).await;
    assert_eq!(p["code"], "second_factor_enrolment_required");
    assert_eq!(app.get("/api/v1/me", &admin).await.status(), StatusCode::OK);
    let enrol: Value = app.post("/api/v1/me/totp", Some(&admin), &json!({})).await.json().await.unwrap();
    let code = code_at(enrol["secret"].as_str().unwrap(), 0);
    assert_eq!(
        app.post("/api/v1/me/totp/confirm", Some(&admin), &json!({"code": code})).await.status(),
        StatusCode::OK
    );
    // The token got on the password alone does not gain what the second factor
    // opens: enrolment ended it. Signing in with a code does.
    problem(app.get("/api/v1/users", &admin).await, StatusCode::UNAUTHORIZED).await;
    let secret = enrol["secret"].as_str().unwrap();
    let with_code = json!({"email": app.admin_email, "password": app.admin_password, "totp_code": code_at(secret, 30)});
    let resp = app.post("/api/v1/auth/login", None, &with_code).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let admin = resp.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_string();
    assert_eq!(app.get("/api/v1/users", &admin).await.status(), StatusCode::OK);
}

/// Someone who knows an operator's e-mail can lock the password, not the person:
/// with a valid second factor the operator still signs in, and under the lock every
/// failure answers the same 429, telling a guesser nothing about the password.
async fn guessing_cannot_lock_out_an_operator_with_a_second_factor(backend: crate::helpers::Backend) {
    let Some(app) = crate::helpers::try_spawn_app_with(backend, |s| {
        s.login_lock_after = 3;
        s.login_delay_after = 1_000;
        s.login_address_delay_after = 1_000;
    })
    .await
    else {
        return;
    };
    let admin = app.admin_token().await;
    let s = app.seed_scopes();
    let (_, pw) = app
        .create_user(&admin, json!({"email": "op@example.be", "role": "helpline_operator", "helpline_id": s.helpline}))
        .await;
    let token = app.login_ok("op@example.be", &pw).await.access;
    let enrol: Value = app.post("/api/v1/me/totp", Some(&token), &json!({})).await.json().await.unwrap();
    let secret = enrol["secret"].as_str().unwrap().to_string();
    let resp = app.post("/api/v1/me/totp/confirm", Some(&token), &json!({"code": code_at(&secret, 0)})).await;
    assert_eq!(resp.status(), StatusCode::OK);

    for _ in 0..3 {
        problem(app.login("op@example.be", "a wrong guess").await, StatusCode::UNAUTHORIZED).await;
    }
    // Locked for the password alone, and for a wrong password with any code.
    problem(app.login("op@example.be", &pw).await, StatusCode::TOO_MANY_REQUESTS).await;
    let guess = json!({"email": "op@example.be", "password": "another guess", "totp_code": "123456"});
    problem(app.post("/api/v1/auth/login", None, &guess).await, StatusCode::TOO_MANY_REQUESTS).await;
    let wrong_code = json!({"email": "op@example.be", "password": pw, "totp_code": "000000"});
    problem(app.post("/api/v1/auth/login", None, &wrong_code).await, StatusCode::TOO_MANY_REQUESTS).await;
    // The operator, with the password and the current code, gets in.
    let right = json!({"email": "op@example.be", "password": pw, "totp_code": code_at(&secret, 30)});
    assert_eq!(app.post("/api/v1/auth/login", None, &right).await.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessing_cannot_lock_out_an_operator_with_a_second_factor_sqlite() {
    guessing_cannot_lock_out_an_operator_with_a_second_factor(crate::helpers::Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessing_cannot_lock_out_an_operator_with_a_second_factor_postgres() {
    guessing_cannot_lock_out_an_operator_with_a_second_factor(crate::helpers::Backend::Postgres).await;
}

/// An admin chooses the roles the two-factor policy covers; every role may enrol.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_two_factor_policy_covers_the_roles_an_admin_lists() {
    let app = try_spawn_app_with(Backend::Sqlite, |s| {
        s.require_totp = Some(true);
        s.require_totp_roles = "programme_manager".into();
    })
    .await
    .unwrap();
    let admin = app.admin_token().await;
    let s = app.seed_scopes();
    let (_, mpw) = app
        .create_user(&admin, json!({"email": "m@example.be", "role": "programme_manager", "programme_id": s.programme}))
        .await;
    let manager = app.login_ok("m@example.be", &mpw).await.access;
    let p = problem(app.get("/api/v1/relay-points", &manager).await, StatusCode::FORBIDDEN).await;
    assert_eq!(p["code"], "second_factor_enrolment_required", "{p}");
    let (_, opw) = app
        .create_user(&admin, json!({"email": "op@example.be", "role": "helpline_operator", "helpline_id": s.helpline}))
        .await;
    let op = app.login_ok("op@example.be", &opw).await.access;
    assert_eq!(app.get("/api/v1/cases", &op).await.status(), StatusCode::OK, "not a listed role");
    let (relay, _) = crate::signals::relay_staff(&app, "p@example.be").await;
    let resp = app.post("/api/v1/me/totp", Some(&relay), &json!({})).await;
    assert_eq!(resp.status(), StatusCode::CREATED, "relay staff may enrol a second factor too");
}
