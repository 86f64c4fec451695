//! Master-key rotation, end to end with the real binary: a server runs under one
//! master key; a new key is put in front and the server restarted; `saferelay
//! rotate-keys` runs beside it; the old key is dropped and the server restarted
//! again. Afterwards sign-in with TOTP works, the open contact still reveals, the
//! closed one stays gone, webhooks still sign correctly, and a retry filed before
//! the rotation still matches. And a TOTP secret under a key dropped without a
//! rotation gives a clear answer, never a 500.

use std::process::Command;
use std::time::Duration;

use base64::Engine;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::cases::{EVC, helpline_user};
use crate::helpers::{Backend, TestApp, fresh_database_url, problem, spawn_second_instance, try_spawn_app_with};
use crate::privacy::{Server, start_server_with, wait_until};
use crate::receiver::{Receiver, signature_valid};
use crate::signals::{body, relay_staff, submit};
use crate::smtp::SmtpServer;

const SECRET: &str = "a-webhook-secret-that-must-survive-rotation";

fn master(kid: &str, byte: u8) -> String {
    format!("{kid}:{}", base64::engine::general_purpose::STANDARD.encode([byte; 32]))
}

fn code_at(secret_b32: &str, offset_secs: u64) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret_b32).unwrap();
    let t = totp_rs::Builder::new().with_secret(secret.to_vec()).with_account_name("x".to_string()).build().unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    t.generate(now + offset_secs).to_string()
}

/// Starts the binary with `keys` as its master keys; answers the server and a
/// client for it (the admin's password is printed on the first start only).
async fn start(
    dir: &std::path::Path,
    database_url: &str,
    smtp: &SmtpServer,
    keys: &str,
    admin_password: Option<String>,
) -> (Server, TestApp) {
    let server = start_server_with(dir, database_url, &smtp.url(), &[("SAFERELAY_MASTER_KEYS", keys.to_string())]);
    let (mut password, mut port) = (admin_password, None);
    wait_until("the server to start", async || {
        for line in server.lines() {
            if let Some(p) = line.trim().strip_prefix("One-time password: ") {
                password = Some(p.to_string());
            }
            if let Ok(v) = serde_json::from_str::<Value>(&line)
                && v["message"] == "listening"
            {
                port = v["port"].as_u64();
            }
        }
        password.is_some() && port.is_some()
    })
    .await;
    let app = TestApp {
        address: format!("http://127.0.0.1:{}", port.unwrap()),
        client: reqwest::Client::new(),
        database_url: database_url.to_string(),
        key_file: dir.join("keys.json"),
        admin_email: "admin@saferelay.local".into(),
        admin_password: password.unwrap(),
        _dir: tempfile::tempdir().unwrap(),
    };
    (server, app)
}

fn stop(mut server: Server) {
    server.child.kill().unwrap();
    server.child.wait().unwrap();
}

/// The value of an unlabelled metric line, once the key-usage job has set it.
async fn metric(app: &TestApp, name: &str) -> i64 {
    let mut value = None;
    wait_until(name, async || {
        let text = app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
        value = text.lines().find_map(|l| l.strip_prefix(&format!("{name} "))).map(|v| v.trim().parse().unwrap());
        // The gauge reads 0 until the first count: wait for the sealed_rows series.
        value.is_some() && text.contains("saferelay_sealed_rows{")
    })
    .await;
    value.unwrap()
}

async fn reveal(app: &TestApp, op: &str, reference: &str) -> reqwest::Response {
    app.post(&format!("/api/v1/cases/{reference}/claim"), Some(op), &json!({})).await;
    app.post(&format!("/api/v1/cases/{reference}/reveal"), Some(op), &json!({})).await
}

async fn reference(resp: reqwest::Response) -> String {
    assert_eq!(resp.status(), StatusCode::CREATED);
    let v: Value = resp.json().await.unwrap();
    v["reference"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotate_keys_moves_everything_to_the_new_key_and_the_old_one_can_be_dropped_sqlite() {
    rotate_keys_case(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotate_keys_moves_everything_to_the_new_key_and_the_old_one_can_be_dropped_postgres() {
    rotate_keys_case(Backend::Postgres).await;
}

async fn rotate_keys_case(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(database_url) = fresh_database_url(backend, dir.path()) else { return };
    let smtp = SmtpServer::start();
    let receiver = Receiver::start(0, &[]);
    let (old, both, new) =
        (master("k-old", 1), format!("{},{}", master("k-new", 2), master("k-old", 1)), master("k-new", 2));

    // 1. Under the old key: a second factor, a webhook, two signals (one closed),
    //    and a filed request whose retry comes after the rotation.
    let (server, app) = start(dir.path(), &database_url, &smtp, &old, None).await;
    let admin = app.admin_token().await;
    let (_, op_password) = app
        .create_user(&admin, json!({"email": "totp@example.be", "role": "helpline_operator", "helpline_id": EVC}))
        .await;
    let token = app.login_ok("totp@example.be", &op_password).await.access;
    let enrol: Value = app.post("/api/v1/me/totp", Some(&token), &json!({})).await.json().await.unwrap();
    let totp_secret = enrol["secret"].as_str().unwrap().to_string();
    let resp = app.post("/api/v1/me/totp/confirm", Some(&token), &json!({"code": code_at(&totp_secret, 0)})).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let patch = json!({"webhook_url": receiver.url(), "webhook_secret": SECRET});
    let resp =
        app.request(reqwest::Method::PATCH, &format!("/api/v1/helplines/{EVC}"), Some(&admin), Some(&patch)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(app.count("helplines WHERE webhook_secret IS NOT NULL"), 0, "never stored in plaintext");
    assert_eq!(app.count("helplines WHERE webhook_secret_key_id = 'k-old'"), 1);

    let (relay, _) = relay_staff(&app, "pharmacist@example.be").await;
    let op = helpline_user(&app, "op@example.be", "helpline_operator", EVC).await;
    let open_body = body("0470 11 22 33", "Opaline");
    let open = reference(submit(&app, &relay, "k-open", &open_body).await).await;
    let closed = reference(submit(&app, &relay, "k-closed", &body("0470 44 55 66", "Clotilde")).await).await;
    assert_eq!(receiver.wait_for(2, Duration::from_secs(20)).await.len(), 2, "both webhooks delivered");
    assert!(reveal(&app, &op, &closed).await.status().is_success());
    let resp =
        app.post(&format!("/api/v1/cases/{closed}/close"), Some(&op), &json!({"outcome": "referred_support"})).await;
    assert!(resp.status().is_success());
    assert_eq!(app.count("signal_contacts"), 1, "the closed signal's contact is destroyed");
    stop(server);

    // 2. The new key in front, a restart, and rotate-keys beside the running server.
    let (server, app) = start(dir.path(), &database_url, &smtp, &both, Some(app.admin_password.clone())).await;
    assert!(
        metric(&app, "saferelay_key_rotation_pending_rows").await >= 5,
        "contact, TOTP, webhook, fingerprint, push key"
    );
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_saferelay"))
            .current_dir(dir.path())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("SAFERELAY_DATABASE_URL", &database_url)
            .env("SAFERELAY_KEY_FILE", dir.path().join("keys.json"))
            .env("SAFERELAY_MASTER_KEYS", &both)
            .env("SAFERELAY_LOG_LEVEL", "warn")
            .args(["rotate-keys", "--batch", "1"])
            .output()
            .unwrap()
    };
    let out = run();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("newest master key: k-new"), "{stdout}");
    assert!(
        stdout.contains("re-wrapped: contact 1, idempotency_fingerprint 1, push_key 1, totp 1, webhook_secret 1"),
        "{stdout}"
    );
    assert!(stdout.contains("key k-old: nothing depends on it any more; it can be dropped"), "{stdout}");
    assert!(stdout.contains("rows still to re-wrap: 0"), "{stdout}");
    assert!(!stdout.contains("+32470112233") && !stdout.contains(SECRET), "nothing secret printed");
    for table in [
        "signal_contacts WHERE key_id = 'k-old'",
        "users WHERE totp_key_id = 'k-old'",
        "helplines WHERE webhook_secret_key_id = 'k-old'",
        "fingerprint_keys WHERE key_id = 'k-old'",
        "push_keys WHERE key_id = 'k-old'",
    ] {
        assert_eq!(app.count(table), 0, "{table}");
    }
    // A second run finds nothing to do (resumable, idempotent).
    let again = run();
    assert!(again.status.success());
    let again = String::from_utf8_lossy(&again.stdout);
    assert!(
        again.contains("re-wrapped: contact 0, idempotency_fingerprint 0, push_key 0, totp 0, webhook_secret 0"),
        "{again}"
    );
    stop(server);

    // 3. The old key dropped.
    let (server, app) = start(dir.path(), &database_url, &smtp, &new, Some(app.admin_password.clone())).await;
    assert_eq!(metric(&app, "saferelay_key_rotation_pending_rows").await, 0);
    let with_code =
        json!({"email": "totp@example.be", "password": op_password, "totp_code": code_at(&totp_secret, 30)});
    assert_eq!(app.post("/api/v1/auth/login", None, &with_code).await.status(), StatusCode::OK, "TOTP sign-in works");
    // (Access tokens from before the restarts are still valid: the JWT keys did not change.)
    let revealed: Value = reveal(&app, &op, &open).await.json().await.unwrap();
    assert_eq!(revealed["phone"], "+32470112233", "the open contact still reveals");
    let gone = app.post(&format!("/api/v1/cases/{closed}/reveal"), Some(&op), &json!({})).await;
    assert!(!gone.status().is_success() && gone.status() != StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(app.count("signal_contacts"), 1, "the closed one is not resurrected");
    // The retry of a request filed before the rotation matches: same reference.
    assert_eq!(reference(submit(&app, &relay, "k-open", &open_body).await).await, open);
    assert_eq!(app.count("signals"), 2, "no second signal");
    // A new signal's webhook is signed with the same secret.
    reference(submit(&app, &relay, "k-new", &body("0470 77 88 99", "Nouvelle")).await).await;
    let hooks = receiver.wait_for(3, Duration::from_secs(20)).await;
    assert_eq!(hooks.len(), 3);
    assert!(hooks.iter().all(|d| signature_valid(d, SECRET)), "every webhook signed with the configured secret");
    stop(server);
}

/// A TOTP secret sealed under a master key that was dropped without a rotation:
/// the code cannot be checked, and the answer says so (403
/// `second_factor_unreadable`), never a 500; a recovery code still signs in, and
/// after an admin reset the person signs in and enrols again.
async fn a_totp_secret_under_a_dropped_key_gives_a_clear_answer(backend: Backend) {
    let Some(app) = try_spawn_app_with(backend, |s| s.master_keys = Some(master("k-gone", 7))).await else { return };
    let admin = app.admin_token().await;
    let (id, pw) = app
        .create_user(&admin, json!({"email": "totp@example.be", "role": "helpline_operator", "helpline_id": EVC}))
        .await;
    let token = app.login_ok("totp@example.be", &pw).await.access;
    let enrol: Value = app.post("/api/v1/me/totp", Some(&token), &json!({})).await.json().await.unwrap();
    let secret = enrol["secret"].as_str().unwrap().to_string();
    let codes: Value = app
        .post("/api/v1/me/totp/confirm", Some(&token), &json!({"code": code_at(&secret, 0)}))
        .await
        .json()
        .await
        .unwrap();
    let recovery = codes["recovery_codes"][0].as_str().unwrap().to_string();

    // Restarted with only a new key: the old one was dropped without rotate-keys.
    let app = spawn_second_instance(&app, |s| s.master_keys = Some(master("k-only", 8))).await;
    let login = |extra: Value| {
        let mut b = json!({"email": "totp@example.be", "password": pw});
        b.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        b
    };
    let resp = app.post("/api/v1/auth/login", None, &login(json!({"totp_code": code_at(&secret, 30)}))).await;
    let p = problem(resp, StatusCode::FORBIDDEN).await;
    assert_eq!(p["code"], "second_factor_unreadable");
    assert!(p["detail"].as_str().unwrap().contains("recovery code"), "{p}");
    let resp = app.post("/api/v1/auth/login", None, &login(json!({"recovery_code": recovery}))).await;
    assert_eq!(resp.status(), StatusCode::OK, "a recovery code still signs in");
    let admin = app.admin_token().await;
    let resp = app.post(&format!("/api/v1/users/{id}/totp/reset"), Some(&admin), &json!({})).await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    let token = app.login_ok("totp@example.be", &pw).await.access;
    assert_eq!(app.post("/api/v1/me/totp", Some(&token), &json!({})).await.status(), StatusCode::CREATED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_totp_secret_under_a_dropped_key_gives_a_clear_answer_sqlite() {
    a_totp_secret_under_a_dropped_key_gives_a_clear_answer(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_totp_secret_under_a_dropped_key_gives_a_clear_answer_postgres() {
    a_totp_secret_under_a_dropped_key_gives_a_clear_answer(Backend::Postgres).await;
}

crate::on_both_backends!(a_webhook_secret_stored_in_plaintext_by_an_older_version_is_sealed_on_start);

/// A database written before webhook secrets were sealed: the next start seals the
/// secret, empties the plaintext column, and webhooks still sign with it.
async fn a_webhook_secret_stored_in_plaintext_by_an_older_version_is_sealed_on_start(app: TestApp) {
    let receiver = Receiver::start(0, &[]);
    app.execute(&format!(
        "UPDATE helplines SET webhook_url = '{}', webhook_secret = '{SECRET}' WHERE id = '{EVC}'",
        receiver.url()
    ));
    let app = spawn_second_instance(&app, |_| {}).await;
    assert_eq!(app.count("helplines WHERE webhook_secret IS NOT NULL"), 0, "plaintext emptied");
    assert_eq!(app.count(&format!("helplines WHERE id = '{EVC}' AND webhook_secret_ciphertext IS NOT NULL")), 1);
    let (relay, _) = relay_staff(&app, "pharmacist@example.be").await;
    reference(submit(&app, &relay, "k", &body("0470 11 22 33", "Opaline")).await).await;
    let hooks = receiver.wait_for(1, Duration::from_secs(20)).await;
    assert!(!hooks.is_empty() && hooks.iter().all(|d| signature_valid(d, SECRET)));
}
