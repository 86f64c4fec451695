//! Sign-in: login, token validation, refresh rotation, reuse detection, logout.

use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, problem};
use crate::on_both_backends;

on_both_backends!(
    login_returns_tokens_and_me_shows_the_account,
    wrong_password_and_unknown_email_get_the_same_401,
    expired_tampered_and_foreign_tokens_are_rejected,
    refresh_rotates_and_reuse_revokes_the_family,
    logout_ends_the_session,
    deactivation_revokes_access_and_refresh,
);

async fn login_returns_tokens_and_me_shows_the_account(app: TestApp) {
    let resp = app.login(&app.admin_email, &app.admin_password).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert!(body["expires_in"].as_i64().unwrap() <= 900);
    assert_eq!(body["user"]["role"], "admin");

    // The access token carries the required claims, signed HS256 with a kid.
    let token = body["access_token"].as_str().unwrap();
    let header = jsonwebtoken::decode_header(token).unwrap();
    assert_eq!(header.alg, Algorithm::HS256);
    assert!(header.kid.is_some());
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token.split('.').nth(1).unwrap()).unwrap(),
    )
    .unwrap();
    for claim in ["iss", "aud", "exp", "iat", "sub", "role"] {
        assert!(!claims[claim].is_null(), "claim {claim} missing");
    }
    assert!(claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap() <= 900);

    let me = app.get("/api/v1/me", token).await;
    assert_eq!(me.status(), StatusCode::OK);
    let me: Value = me.json().await.unwrap();
    assert_eq!(me["email"], app.admin_email);
    assert_eq!(me["id"], claims["sub"]);

    // The refresh token is stored only as a hash.
    let refresh = body["refresh_token"].as_str().unwrap();
    assert_eq!(app.count(&format!("refresh_tokens WHERE token_hash = '{refresh}'")), 0);
    assert_eq!(app.count("refresh_tokens"), 1);
}

async fn wrong_password_and_unknown_email_get_the_same_401(app: TestApp) {
    let wrong = problem(app.login(&app.admin_email, "not the password").await, StatusCode::UNAUTHORIZED).await;
    let unknown = problem(app.login("nobody@example.be", "not the password").await, StatusCode::UNAUTHORIZED).await;
    let malformed = problem(app.login("not-an-email", "x").await, StatusCode::UNAUTHORIZED).await;
    assert_eq!(wrong, unknown);
    assert_eq!(wrong, malformed);
    assert_eq!(app.count("refresh_tokens"), 0);
}

fn dev_secret(app: &TestApp) -> (String, Vec<u8>) {
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&app.key_file).unwrap()).unwrap();
    let key = &file["jwt"][0];
    let secret = base64::engine::general_purpose::STANDARD.decode(key["secret"].as_str().unwrap()).unwrap();
    (key["kid"].as_str().unwrap().to_string(), secret)
}

fn sign(alg: Algorithm, kid: &str, secret: &[u8], claims: &Value) -> String {
    let mut header = Header::new(alg);
    header.kid = Some(kid.into());
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_secret(secret)).unwrap()
}

async fn expired_tampered_and_foreign_tokens_are_rejected(app: TestApp) {
    let access = app.admin_token().await;
    let me: Value = app.get("/api/v1/me", &access).await.json().await.unwrap();
    let (kid, secret) = dev_secret(&app);
    let now = chrono::Utc::now().timestamp();
    let claims = |iat: i64, exp: i64, iss: &str, aud: &str| json!({"iss": iss, "aud": aud, "sub": me["id"], "role": "admin", "iat": iat, "exp": exp});

    // Control: a token we forge with the right key and claims is accepted, so the
    // rejections below are about the one thing each case changes.
    let good = sign(Algorithm::HS256, &kid, &secret, &claims(now, now + 300, "saferelay", "saferelay-api"));
    assert_eq!(app.get("/api/v1/me", &good).await.status(), StatusCode::OK);

    let expired = sign(Algorithm::HS256, &kid, &secret, &claims(now - 1000, now - 100, "saferelay", "saferelay-api"));
    let wrong_iss = sign(Algorithm::HS256, &kid, &secret, &claims(now, now + 300, "someone-else", "saferelay-api"));
    let wrong_aud = sign(Algorithm::HS256, &kid, &secret, &claims(now, now + 300, "saferelay", "other-api"));
    let other_alg = sign(Algorithm::HS512, &kid, &secret, &claims(now, now + 300, "saferelay", "saferelay-api"));
    let other_key = sign(Algorithm::HS256, &kid, &[7u8; 32], &claims(now, now + 300, "saferelay", "saferelay-api"));
    let unknown_kid =
        sign(Algorithm::HS256, "not-a-kid", &secret, &claims(now, now + 300, "saferelay", "saferelay-api"));
    let mut parts: Vec<String> = good.split('.').map(String::from).collect();
    let mut payload: Value =
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(&parts[1]).unwrap()).unwrap();
    payload["role"] = json!("admin");
    payload["exp"] = json!(now + 100_000);
    parts[1] = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(&payload).unwrap());
    let tampered = parts.join(".");
    let unsigned = {
        let header = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        format!("{header}.{}.", good.split('.').nth(1).unwrap())
    };

    for (name, token) in [
        ("expired", expired),
        ("wrong iss", wrong_iss),
        ("wrong aud", wrong_aud),
        ("HS512", other_alg),
        ("other key", other_key),
        ("unknown kid", unknown_kid),
        ("tampered payload", tampered),
        ("alg none", unsigned),
        ("garbage", "abc.def.ghi".into()),
    ] {
        let resp = app.get("/api/v1/me", &token).await;
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{name} token accepted");
        assert_eq!(resp.headers()["www-authenticate"], "Bearer");
        problem(resp, StatusCode::UNAUTHORIZED).await;
    }
    let no_header = app.request(reqwest::Method::GET, "/api/v1/me", None, None).await;
    problem(no_header, StatusCode::UNAUTHORIZED).await;
}

async fn refresh(app: &TestApp, token: &str) -> reqwest::Response {
    app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": token})).await
}

async fn refresh_rotates_and_reuse_revokes_the_family(app: TestApp) {
    let first = app.login_ok(&app.admin_email, &app.admin_password).await;
    let resp = refresh(&app, &first.refresh).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let second: Value = resp.json().await.unwrap();
    let second_refresh = second["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(second_refresh, first.refresh);
    assert_eq!(app.get("/api/v1/me", second["access_token"].as_str().unwrap()).await.status(), StatusCode::OK);

    // Another session of the same user must survive the reuse below.
    let other_session = app.login_ok(&app.admin_email, &app.admin_password).await;

    // The first token was used: presenting it again is a theft signal.
    problem(refresh(&app, &first.refresh).await, StatusCode::UNAUTHORIZED).await;
    // ...which revoked the whole family, including the legitimately rotated token.
    problem(refresh(&app, &second_refresh).await, StatusCode::UNAUTHORIZED).await;
    assert_eq!(refresh(&app, &other_session.refresh).await.status(), StatusCode::OK);

    problem(refresh(&app, "never-issued").await, StatusCode::UNAUTHORIZED).await;
}

async fn logout_ends_the_session(app: TestApp) {
    let tokens = app.login_ok(&app.admin_email, &app.admin_password).await;
    let resp = app.post("/api/v1/auth/logout", None, &json!({"refresh_token": tokens.refresh})).await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    problem(refresh(&app, &tokens.refresh).await, StatusCode::UNAUTHORIZED).await;
    // Unknown tokens are accepted silently: logout reveals nothing.
    let resp = app.post("/api/v1/auth/logout", None, &json!({"refresh_token": "unknown"})).await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
}

async fn deactivation_revokes_access_and_refresh(app: TestApp) {
    let admin = app.admin_token().await;
    let (id, password) = app.create_user(&admin, json!({"email": "second.admin@example.be", "role": "admin"})).await;
    let tokens = app.login_ok("second.admin@example.be", &password).await;
    assert_eq!(app.get("/api/v1/me", &tokens.access).await.status(), StatusCode::OK);

    let resp = app.post(&format!("/api/v1/users/{id}/deactivate"), Some(&admin), &json!({})).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["active"], false);

    problem(app.get("/api/v1/me", &tokens.access).await, StatusCode::UNAUTHORIZED).await;
    problem(refresh(&app, &tokens.refresh).await, StatusCode::UNAUTHORIZED).await;
    problem(app.login("second.admin@example.be", &password).await, StatusCode::UNAUTHORIZED).await;
    assert_eq!(app.count(&format!("refresh_tokens WHERE user_id = '{id}' AND revoked_at IS NULL")), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guessing_wave_beyond_the_hashing_queue_gets_503_at_once_sqlite() {
    guessing_wave(crate::helpers::Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guessing_wave_beyond_the_hashing_queue_gets_503_at_once_postgres() {
    guessing_wave(crate::helpers::Backend::Postgres).await;
}

/// More simultaneous guesses than the hashing thread and its queue hold: the rest
/// are answered 503 with Retry-After at once, and leave nothing in the database
/// (only verified guesses are counted by the throttle). Throttling is off here so
/// that every guess would otherwise be hashed.
async fn guessing_wave(backend: crate::helpers::Backend) {
    let Some(app) = crate::helpers::try_spawn_app_with(backend, |s| {
        s.hash_concurrency = 1;
        s.login_delay_after = 1_000_000;
        s.login_lock_after = 1_000_000;
        s.login_address_delay_after = 1_000_000;
    })
    .await
    else {
        return;
    };
    let before = app.count("login_throttle");
    let guesses = (0..80).map(|i| {
        let app = &app;
        async move { app.login(&format!("guess-{i}@example.org"), "a wrong guess").await }
    });
    let (mut verified, mut turned_away) = (0, 0);
    for answer in futures_util::future::join_all(guesses).await {
        match answer.status() {
            StatusCode::UNAUTHORIZED => verified += 1,
            StatusCode::SERVICE_UNAVAILABLE => {
                assert!(answer.headers().contains_key("retry-after"));
                problem(answer, StatusCode::SERVICE_UNAVAILABLE).await;
                turned_away += 1;
            }
            other => panic!("unexpected {other}"),
        }
    }
    // The queue (16 per thread) was filled: 16 guesses at least were hashed, 17 when
    // the thread had already taken the first one off the queue when the rest came.
    assert!(verified >= 16, "the thread and its queue were used: {verified}");
    assert!(turned_away > 0, "the rest were turned away");
    // One row per verified e-mail, one for the address; none for the others.
    assert_eq!(app.count("login_throttle") - before, verified + 1);
}
