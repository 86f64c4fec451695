//! Accounts (security review, items 9, 10 and 13): nobody learns another person's
//! password (every role is invited), sessions end when they should (logout,
//! password change, second-factor enrolment, an absolute lifetime), and the
//! anonymous token endpoints cannot make the server hash (bad tokens are refused
//! first and throttled per address), while reset requests answer alike and send
//! their e-mail through the outbox.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::cases::{EVC, helpline_user};
use crate::helpers::{Backend, TestApp, problem, try_spawn_app_with};
use crate::signals::{body, relay_staff, submit};
use crate::smtp::{SmtpServer, token_in};
use crate::{on_both_backends, on_both_backends_with_smtp};

on_both_backends_with_smtp!(
    an_admin_invites_every_role_and_only_the_invitee_sets_the_password,
    reset_requests_answer_alike_and_mail_only_real_accounts_through_the_outbox,
);

on_both_backends!(
    changing_ones_password_needs_the_current_one_and_ends_the_other_sessions,
    every_account_change_writes_an_audit_row,
    me_answers_401_with_the_access_token_of_a_logged_out_session,
    a_token_from_before_second_factor_enrolment_cannot_reveal_contacts,
);

async fn an_admin_invites_every_role_and_only_the_invitee_sets_the_password(app: TestApp, smtp: SmtpServer) {
    let admin = app.admin_token().await;
    let s = app.seed_scopes();
    let roles = [
        ("new-admin@example.be", json!({"role": "admin"})),
        ("op@example.be", json!({"role": "helpline_operator", "helpline_id": s.helpline})),
        ("sup@example.be", json!({"role": "helpline_supervisor", "helpline_id": s.helpline, "language": "nl"})),
        ("pm@example.be", json!({"role": "programme_manager", "programme_id": s.programme, "language": "fr"})),
        ("staff@example.be", json!({"role": "relay_staff", "relay_point_id": s.relay_point})),
    ];
    for (email, extra) in roles {
        let mut req = extra.clone();
        req["email"] = json!(email);
        let resp = app.post("/api/v1/users", Some(&admin), &req).await;
        assert_eq!(resp.status(), StatusCode::CREATED, "{req}");
        let created: Value = resp.json().await.unwrap();
        assert!(created.get("one_time_password").is_none(), "no password in the answer: {created}");
        assert!(!created.to_string().to_lowercase().contains("password"), "{created}");
        assert_eq!(created["email_sent"], true);
        assert_eq!(created["user"]["role"], extra["role"]);
        let id = created["user"]["id"].as_str().unwrap().to_string();
        // No password exists until the invitee chooses one: nobody can sign in.
        assert_eq!(app.count(&format!("users WHERE id = '{id}' AND password_hash IS NULL")), 1);

        let mail = smtp.wait_for_account_invitation(email).await;
        let token = token_in(&mail);
        assert!(!created.to_string().contains(&token), "the token travels only by e-mail");
        let chosen = format!("my-own-{email}-passphrase");
        let resp = app.post(&format!("/api/v1/invitations/{token}/accept"), None, &json!({"password": chosen})).await;
        assert_eq!(resp.status(), StatusCode::OK, "{email}");
        let me = app.login_ok(email, &chosen).await.access;
        let me: Value = app.get("/api/v1/me", &me).await.json().await.unwrap();
        assert_eq!((me["id"].as_str().unwrap(), &me["role"]), (id.as_str(), &extra["role"]));
        assert_eq!(app.count(&format!("audit_log WHERE action = 'user.created' AND subject_id = '{id}'")), 1);
        assert_eq!(
            app.count(&format!("audit_log WHERE action = 'user.invitation_accepted' AND subject_id = '{id}'")),
            1
        );
        // The token is single use.
        let again = json!({"password": "someone-elses-pass"});
        let again = app.post(&format!("/api/v1/invitations/{token}/accept"), None, &again).await;
        problem(again, StatusCode::NOT_FOUND).await;
    }
    // Written in the invitee's language.
    assert!(smtp.wait_for_account_invitation("pm@example.be").await.subject().contains("votre compte"));
    assert!(smtp.wait_for_account_invitation("sup@example.be").await.subject().contains("Uitnodiging"));
    // A scope that does not fit the role is refused and writes nothing.
    let before = app.count("users");
    let p = problem(
        app.post("/api/v1/users", Some(&admin), &json!({"email": "x@example.be", "role": "programme_manager"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "programme_id");
    assert_eq!(app.count("users"), before);
}

async fn changing_ones_password_needs_the_current_one_and_ends_the_other_sessions(app: TestApp) {
    let admin = app.admin_token().await;
    let s = app.seed_scopes();
    let (id, pw) = app
        .create_user(&admin, json!({"email": "op@example.be", "role": "helpline_operator", "helpline_id": s.helpline}))
        .await;
    let here = app.login_ok("op@example.be", &pw).await;
    let phone = app.login_ok("op@example.be", &pw).await;

    let change = |current: &str, new: &str| json!({"current_password": current, "new_password": new});
    let p = problem(
        app.post("/api/v1/me/password", Some(&here.access), &change("not my password", "a-brand-new-passphrase")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "current_password");
    let p = problem(
        app.post("/api/v1/me/password", Some(&here.access), &change(&pw, "short")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "new_password");
    problem(
        app.post("/api/v1/me/password", None, &change(&pw, "a-brand-new-passphrase")).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    // Nothing changed so far.
    assert_eq!(app.get("/api/v1/me", &phone.access).await.status(), StatusCode::OK);
    assert_eq!(app.count("audit_log WHERE action = 'user.password_changed'"), 0);

    let resp = app.post("/api/v1/me/password", Some(&here.access), &change(&pw, "a-brand-new-passphrase")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let fresh: Value = resp.json().await.unwrap();
    let fresh_access = fresh["access_token"].as_str().unwrap();
    // The other session is over at once: its access token and its refresh token.
    problem(app.get("/api/v1/me", &phone.access).await, StatusCode::UNAUTHORIZED).await;
    let refresh = |t: &str| json!({"refresh_token": t});
    problem(app.post("/api/v1/auth/refresh", None, &refresh(&phone.refresh)).await, StatusCode::UNAUTHORIZED).await;
    problem(app.post("/api/v1/auth/refresh", None, &refresh(&here.refresh)).await, StatusCode::UNAUTHORIZED).await;
    // This device carries on with the session it was given.
    assert_eq!(app.get("/api/v1/me", fresh_access).await.status(), StatusCode::OK);
    let next = app.post("/api/v1/auth/refresh", None, &refresh(fresh["refresh_token"].as_str().unwrap())).await;
    assert_eq!(next.status(), StatusCode::OK);
    problem(app.login("op@example.be", &pw).await, StatusCode::UNAUTHORIZED).await;
    app.login_ok("op@example.be", "a-brand-new-passphrase").await;
    assert_eq!(app.count(&format!("audit_log WHERE action = 'user.password_changed' AND subject_id = '{id}'")), 1);
}

async fn every_account_change_writes_an_audit_row(app: TestApp) {
    let admin = app.admin_token().await;
    let admin_id =
        app.get("/api/v1/me", &admin).await.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let m = app.programme_with_manager(&admin, "audit-prog", "en").await;
    let relay_a = app.relay(&m.manager, "Pharmacy A", "4000", "pharmacy").await["id"].as_str().unwrap().to_string();
    let relay_b = app.relay(&m.manager, "Pharmacy B", "4020", "pharmacy").await["id"].as_str().unwrap().to_string();
    let rows = |action: &str, subject: &str| {
        app.count(&format!("audit_log WHERE action = '{action}' AND subject_id = '{subject}'"))
    };
    let by = |action: &str, subject: &str, actor: &str| {
        app.count(&format!("audit_log WHERE action = '{action}' AND subject_id = '{subject}' AND actor_id = '{actor}'"))
    };

    // Creation by an admin, and by a manager inviting relay staff.
    let (op, op_pw) = app
        .create_user(&admin, json!({"email": "op@example.be", "role": "helpline_operator", "helpline_id": EVC}))
        .await;
    assert_eq!(by("user.created", &op, &admin_id), 1);
    let invite = |relay: &str| json!({"email": "staff@example.be", "relay_point_id": relay});
    let resp = app.post("/api/v1/invitations", Some(&m.manager), &invite(&relay_a)).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let staff = resp.json::<Value>().await.unwrap()["user_id"].as_str().unwrap().to_string();
    assert_eq!(rows("user.created", &staff), 1);
    // A change of scope: the staff member moved to another relay point.
    assert_eq!(
        app.post("/api/v1/invitations", Some(&m.manager), &invite(&relay_b)).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(rows("user.scope_changed", &staff), 1);

    // Deactivation (admin and manager), then reactivation through a new invitation.
    assert_eq!(
        app.post(&format!("/api/v1/users/{op}/deactivate"), Some(&admin), &json!({})).await.status(),
        StatusCode::OK
    );
    assert_eq!(by("user.deactivated", &op, &admin_id), 1);
    let resp = app.post(&format!("/api/v1/staff/{staff}/deactivate"), Some(&m.manager), &json!({})).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(rows("user.deactivated", &staff), 1);
    problem(app.login("op@example.be", &op_pw).await, StatusCode::UNAUTHORIZED).await;
    let resp = app.post(&format!("/api/v1/users/{op}/invitation"), Some(&admin), &json!({})).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(by("user.invited", &op, &admin_id), 1);
    let op_pw = app.accept_invitation_of(&op).await;
    assert_eq!(rows("user.reactivated", &op), 1);
    let op_token = app.login_ok("op@example.be", &op_pw).await.access;

    // Second-factor enrolment and its reset by an admin.
    let enrol: Value = app.post("/api/v1/me/totp", Some(&op_token), &json!({})).await.json().await.unwrap();
    let code = totp_now(enrol["secret"].as_str().unwrap());
    assert_eq!(
        app.post("/api/v1/me/totp/confirm", Some(&op_token), &json!({"code": code})).await.status(),
        StatusCode::OK
    );
    assert_eq!(rows("user.second_factor_enrolled", &op), 1);
    assert_eq!(
        app.post(&format!("/api/v1/users/{op}/totp/reset"), Some(&admin), &json!({})).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(by("user.second_factor_reset", &op, &admin_id), 1);

    // A password reset (the e-mail goes through the outbox; the token is read back
    // by replacing its stored hash, as the fixtures do for invitations).
    assert_eq!(
        app.post("/api/v1/password-resets", None, &json!({"email": "op@example.be"})).await.status(),
        StatusCode::ACCEPTED
    );
    let token = "fixture-reset-token";
    let hash = saferelay::crypto::tokens::hash_refresh_token(token);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.execute(&format!(
        "UPDATE password_resets SET token_hash = '{hash}' WHERE user_id = '{op}' AND used_at IS NULL"
    )) == 0
    {
        assert!(std::time::Instant::now() < deadline, "the outbox made a reset token");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let resp = app
        .post(&format!("/api/v1/password-resets/{token}/accept"), None, &json!({"password": "reset-passphrase-42"}))
        .await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    assert_eq!(rows("user.password_reset", &op), 1);

    // Audit rows hold ids and actions only, never an address.
    assert!(app.count("audit_log WHERE action LIKE 'user.%'") >= 10);
    assert_eq!(
        app.count("audit_log WHERE COALESCE(subject_id, '') LIKE '%@%' OR COALESCE(actor_id, '') LIKE '%@%'"),
        0
    );
}

fn totp_now(secret_b32: &str) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret_b32).unwrap();
    let t = totp_rs::Builder::new().with_secret(secret.to_vec()).with_account_name("x".to_string()).build().unwrap();
    t.generate_current().to_string()
}

async fn me_answers_401_with_the_access_token_of_a_logged_out_session(app: TestApp) {
    let session = app.login_ok(&app.admin_email, &app.admin_password).await;
    assert_eq!(app.get("/api/v1/me", &session.access).await.status(), StatusCode::OK);
    let resp = app.post("/api/v1/auth/logout", None, &json!({"refresh_token": session.refresh})).await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    problem(app.get("/api/v1/me", &session.access).await, StatusCode::UNAUTHORIZED).await;
    problem(app.get("/api/v1/users", &session.access).await, StatusCode::UNAUTHORIZED).await;
    // Signing in again works.
    let again = app.admin_token().await;
    assert_eq!(app.get("/api/v1/me", &again).await.status(), StatusCode::OK);
}

async fn a_token_from_before_second_factor_enrolment_cannot_reveal_contacts(app: TestApp) {
    let (relay, _) = relay_staff(&app, "p@example.be").await;
    let receipt: Value = submit(&app, &relay, "k", &body("0470 31 41 59", "Hortense")).await.json().await.unwrap();
    let r = receipt["reference"].as_str().unwrap();
    let admin = app.admin_token().await;
    let (_, pw) = app
        .create_user(&admin, json!({"email": "op2@example.be", "role": "helpline_operator", "helpline_id": EVC}))
        .await;
    let before = app.login_ok("op2@example.be", &pw).await;
    let claim = app.post(&format!("/api/v1/cases/{r}/claim"), Some(&before.access), &json!({})).await;
    assert_eq!(claim.status(), StatusCode::OK);

    let enrol: Value = app.post("/api/v1/me/totp", Some(&before.access), &json!({})).await.json().await.unwrap();
    let secret = enrol["secret"].as_str().unwrap().to_string();
    let resp = app.post("/api/v1/me/totp/confirm", Some(&before.access), &json!({"code": totp_now(&secret)})).await;
    assert_eq!(resp.status(), StatusCode::OK);

    // Neither the password-only access token nor its refresh token opens the contact.
    let p = problem(
        app.post(&format!("/api/v1/cases/{r}/reveal"), Some(&before.access), &json!({})).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert!(!p.to_string().contains("314159"));
    let resp = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": before.refresh})).await;
    problem(resp, StatusCode::UNAUTHORIZED).await;
    assert_eq!(app.count("audit_log WHERE action = 'contact.revealed'"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_ends_at_its_absolute_lifetime_sqlite() {
    sign_in_lifetime(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_ends_at_its_absolute_lifetime_postgres() {
    sign_in_lifetime(Backend::Postgres).await;
}

async fn sign_in_lifetime(backend: Backend) {
    // Time is moved in the database, never slept through: the machine may be slow.
    let Some(app) = try_spawn_app_with(backend, |s| s.session_lifetime_secs = 3_600).await else { return };
    let admin = app.login_ok(&app.admin_email, &app.admin_password).await;
    let s = app.seed_scopes();
    let (_, pw) = app
        .create_user(
            &admin.access,
            json!({"email": "staff@example.be", "role": "relay_staff", "relay_point_id": s.relay_point}),
        )
        .await;
    let staff = app.login_ok("staff@example.be", &pw).await;
    let ends = |role_table_filter: &str| {
        app.count(&format!(
            "refresh_tokens WHERE family_expires_at IS NOT NULL AND user_id IN (SELECT id FROM users WHERE {role_table_filter})"
        ))
    };
    assert!(ends("role = 'admin'") >= 1, "an admin's sign-in has an end");
    // Refreshing works within the lifetime, and the new token keeps the family's end.
    let resp = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": admin.refresh})).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let rotated = resp.json::<Value>().await.unwrap()["refresh_token"].as_str().unwrap().to_string();
    let distinct_ends = app.count(
        "(SELECT DISTINCT family_expires_at FROM refresh_tokens WHERE user_id IN (SELECT id FROM users WHERE role = 'admin')) AS e",
    );
    assert_eq!(distinct_ends, 1, "the rotated token keeps the family's end");
    // The family's end passes (an hour later): refused, however recent the last refresh.
    app.execute(&format!(
        "UPDATE refresh_tokens SET family_expires_at = {} WHERE user_id IN (SELECT id FROM users WHERE role = 'admin')",
        crate::helpers::ago(chrono::Duration::seconds(1))
    ));
    let p = problem(
        app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": rotated})).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_eq!(p["status"], 401);
    // Relay staff keep theirs (30 days by default).
    let resp = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": staff.refresh})).await;
    assert_eq!(resp.status(), StatusCode::OK);
}

/// The password-hash counter of `/metrics`.
async fn hashes(app: &TestApp) -> u64 {
    let text = app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("saferelay_password_hashes_total "))
        .expect("the password_hashes_total metric")
        .trim()
        .parse()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_tokens_cost_no_hashing_and_are_throttled_per_address_sqlite() {
    bad_tokens(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_tokens_cost_no_hashing_and_are_throttled_per_address_postgres() {
    bad_tokens(Backend::Postgres).await;
}

async fn bad_tokens(backend: Backend) {
    let Some(app) = try_spawn_app_with(backend, |s| s.token_failures_per_address = 4).await else { return };
    let admin = app.admin_token().await;
    // The counter counts: a good invitation accepted is one hash.
    let resp = app.post("/api/v1/users", Some(&admin), &json!({"email": "a@example.be", "role": "admin"})).await;
    let id = resp.json::<Value>().await.unwrap()["user"]["id"].as_str().unwrap().to_string();
    let start = hashes(&app).await;
    app.accept_invitation_of(&id).await;
    assert_eq!(hashes(&app).await, start + 1);

    let before = hashes(&app).await;
    let pw = json!({"password": "a-perfectly-good-passphrase"});
    let paths = ["/api/v1/invitations/not-a-token/accept", "/api/v1/password-resets/not-a-token/accept"];
    for i in 0..4 {
        problem(app.post(paths[i % 2], None, &pw).await, StatusCode::NOT_FOUND).await;
    }
    // The address has used up its failures: both endpoints answer 429 now, a real
    // token included, until the hour is over.
    for path in paths {
        let resp = app.post(path, None, &pw).await;
        assert!(resp.headers().contains_key("retry-after"));
        problem(resp, StatusCode::TOO_MANY_REQUESTS).await;
    }
    assert_eq!(hashes(&app).await, before, "no Argon2 work for a bad token");
    // Sign-in is not affected.
    assert_eq!(app.login(&app.admin_email, &app.admin_password).await.status(), StatusCode::OK);
}

async fn reset_requests_answer_alike_and_mail_only_real_accounts_through_the_outbox(app: TestApp, smtp: SmtpServer) {
    let admin = app.admin_token().await;
    let _ = helpline_user(&app, "known@example.be", "helpline_operator", EVC).await;
    let app = &app;
    let ask =
        |email: &'static str| async move { app.post("/api/v1/password-resets", None, &json!({"email": email})).await };
    let unknown = ask("nobody@example.be").await;
    let known = ask("known@example.be").await;
    assert_eq!((unknown.status(), known.status()), (StatusCode::ACCEPTED, StatusCode::ACCEPTED));
    assert_eq!(unknown.text().await.unwrap(), known.text().await.unwrap());
    // Both requests were queued alike; only the real account gets mail.
    assert_eq!(app.count("account_mail"), 2);
    let mails = smtp.wait_for(1).await;
    assert_eq!(mails[0].to, ["known@example.be"]);
    let token = token_in(&mails[0]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.count("account_mail WHERE status IN ('sent', 'skipped')") < 2 {
        assert!(std::time::Instant::now() < deadline, "the outbox finished both rows");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(app.count("account_mail WHERE status = 'skipped' AND user_id IS NULL"), 1);
    assert!(smtp.to("nobody@example.be").is_empty());
    assert_eq!(app.count("password_resets"), 1, "a token only for the real account");
    // The token in the e-mail works.
    let resp = app
        .post(&format!("/api/v1/password-resets/{token}/accept"), None, &json!({"password": "a-new-reset-pass"}))
        .await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    app.login_ok("known@example.be", "a-new-reset-pass").await;
    let _ = admin;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_requests_are_limited_per_account_and_per_address_sqlite() {
    reset_limits(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_requests_are_limited_per_account_and_per_address_postgres() {
    reset_limits(Backend::Postgres).await;
}

async fn reset_limits(backend: Backend) {
    let smtp = SmtpServer::start();
    let url = smtp.url();
    let Some(app) = try_spawn_app_with(backend, |s| {
        s.smtp_url = Some(url);
        s.reset_requests_per_account = 2;
        s.reset_requests_per_address = 5;
    })
    .await
    else {
        return;
    };
    let _ = helpline_user(&app, "known@example.be", "helpline_operator", EVC).await;
    let app = &app;
    let ask =
        |email: &'static str| async move { app.post("/api/v1/password-resets", None, &json!({"email": email})).await };
    // Per account: the third and fourth requests answer the same 202 and send nothing.
    for _ in 0..4 {
        assert_eq!(ask("known@example.be").await.status(), StatusCode::ACCEPTED);
    }
    // Per address: the sixth request from this address is refused.
    assert_eq!(ask("other@example.be").await.status(), StatusCode::ACCEPTED);
    let resp = ask("someone@example.be").await;
    assert!(resp.headers().contains_key("retry-after"));
    problem(resp, StatusCode::TOO_MANY_REQUESTS).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.count("account_mail WHERE status IN ('sent', 'skipped')") < 5 {
        assert!(std::time::Instant::now() < deadline, "the outbox finished every row");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(smtp.to("known@example.be").len(), 2, "two e-mails, then nothing");
    assert_eq!(app.count("account_mail"), 5, "the refused request queued nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_email_waits_out_a_mail_server_that_is_down() {
    // A port with nothing listening yet.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let app =
        try_spawn_app_with(Backend::Sqlite, |s| s.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))).await.unwrap();
    let _ = helpline_user(&app, "known@example.be", "helpline_operator", EVC).await;
    let resp = app.post("/api/v1/password-resets", None, &json!({"email": "known@example.be"})).await;
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.count("account_mail WHERE attempts >= 1 AND status = 'pending'") == 0 {
        assert!(std::time::Instant::now() < deadline, "a failed attempt is kept for a retry");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let smtp = SmtpServer::start_on(port);
    let mails = smtp.wait_for(1).await;
    assert_eq!(mails[0].to, ["known@example.be"]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.count("account_mail WHERE status = 'sent' AND attempts >= 2") != 1 {
        assert!(std::time::Instant::now() < deadline, "the retried row is recorded as sent");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
