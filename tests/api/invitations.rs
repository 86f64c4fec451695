//! Staff invitations, read from a real SMTP server: the token comes out of the
//! received message; re-inviting revokes the old token; deactivation ends sessions.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, problem};
use crate::on_both_backends_with_smtp;
use crate::smtp::{SmtpServer, token_in};

on_both_backends_with_smtp!(
    an_invited_staff_member_sets_a_password_from_the_emailed_token,
    reinviting_revokes_the_previous_token_and_deactivation_ends_sessions,
);

async fn an_invited_staff_member_sets_a_password_from_the_emailed_token(app: TestApp, smtp: SmtpServer) {
    let admin = app.admin_token().await;
    let m = app.programme_with_manager(&admin, "wal-pharma", "fr").await;
    let relay = app.relay(&m.manager, "Pharmacie du Pont", "4000", "pharmacy").await;
    let relay_id = relay["id"].as_str().unwrap();

    let resp = app
        .post(
            "/api/v1/invitations",
            Some(&m.manager),
            &json!({"email": "Anne@Example.be", "relay_point_id": relay_id, "language": "fr"}),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let invited: Value = resp.json().await.unwrap();
    assert_eq!(invited["email_sent"], true);
    assert!(invited.get("token").is_none(), "the token travels only by e-mail");

    let mail = smtp.wait_for(1).await.remove(0);
    assert_eq!(mail.to, ["anne@example.be"]);
    assert!(mail.body().contains("Pharmacie du Pont"), "{}", mail.body());
    assert!(mail.body().contains("Ouvrez l'application SafeRelay"), "written in French: {}", mail.body());
    let token = token_in(&mail);

    // Password rules: too short, too common → 422 naming the field; the token still works after.
    for bad in ["short", "Password1234"] {
        let p = problem(
            app.post(&format!("/api/v1/invitations/{token}/accept"), None, &json!({"password": bad})).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(p["errors"][0]["field"], "password");
    }
    problem(
        app.post(&format!("/api/v1/invitations/{token}/accept"), None, &json!({"password": "x", "role": "admin"}))
            .await,
        StatusCode::BAD_REQUEST,
    )
    .await;

    let resp = app
        .post(&format!("/api/v1/invitations/{token}/accept"), None, &json!({"password": "tulip-harbour-quietly-42"}))
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let user: Value = resp.json().await.unwrap();
    assert_eq!(user["role"], "relay_staff");
    assert_eq!(user["relay_point_id"], relay_id);
    assert_eq!(user["programme_id"], m.programme);
    assert_eq!(user["language"], "fr");

    let staff = app.login_ok("anne@example.be", "tulip-harbour-quietly-42").await.access;
    // Staff see their own relay point, and cannot manage anything.
    assert_eq!(app.get(&format!("/api/v1/relay-points/{relay_id}"), &staff).await.status(), StatusCode::OK);
    problem(app.get("/api/v1/relay-points", &staff).await, StatusCode::FORBIDDEN).await;
    problem(
        app.post("/api/v1/invitations", Some(&staff), &json!({"email": "x@example.be", "relay_point_id": relay_id}))
            .await,
        StatusCode::FORBIDDEN,
    )
    .await;

    // The token is single use.
    problem(
        app.post(&format!("/api/v1/invitations/{token}/accept"), None, &json!({"password": "another-long-passphrase"}))
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    problem(
        app.post("/api/v1/invitations/not-a-token/accept", None, &json!({"password": "another-long-passphrase"})).await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

async fn reinviting_revokes_the_previous_token_and_deactivation_ends_sessions(app: TestApp, smtp: SmtpServer) {
    let admin = app.admin_token().await;
    let m = app.programme_with_manager(&admin, "vl-apo", "nl").await;
    let other = app.programme_with_manager(&admin, "febelhair", "fr").await;
    let relay = app.relay(&m.manager, "Apotheek Centrum", "9000", "pharmacy").await;
    let body = json!({"email": "jan@example.be", "relay_point_id": relay["id"], "language": "nl"});

    assert_eq!(app.post("/api/v1/invitations", Some(&m.manager), &body).await.status(), StatusCode::CREATED);
    assert_eq!(app.post("/api/v1/invitations", Some(&m.manager), &body).await.status(), StatusCode::CREATED);
    let mails = smtp.wait_for(2).await;
    assert!(mails[0].body().contains("Open de SafeRelay-app"), "written in Dutch");
    let (first, second) = (token_in(&mails[0]), token_in(&mails[1]));
    assert_ne!(first, second);
    problem(
        app.post(&format!("/api/v1/invitations/{first}/accept"), None, &json!({"password": "a-long-dutch-passphrase"}))
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    let user: Value = app
        .post(&format!("/api/v1/invitations/{second}/accept"), None, &json!({"password": "a-long-dutch-passphrase"}))
        .await
        .json()
        .await
        .unwrap();
    let id = user["id"].as_str().unwrap();
    let session = app.login_ok("jan@example.be", "a-long-dutch-passphrase").await;

    // Another programme's manager cannot see, invite to, or deactivate this staff member.
    problem(
        app.post(&format!("/api/v1/staff/{id}/deactivate"), Some(&other.manager), &json!({})).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    let p =
        problem(app.post("/api/v1/invitations", Some(&other.manager), &body).await, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    assert_eq!(p["errors"][0]["field"], "relay_point_id");
    let listed: Value = app.get("/api/v1/staff", &other.manager).await.json().await.unwrap();
    assert_eq!(listed["items"].as_array().unwrap().len(), 0);
    let listed: Value = app
        .get(&format!("/api/v1/staff?relay_point_id={}", relay["id"].as_str().unwrap()), &m.manager)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"][0]["email"], "jan@example.be");

    let resp = app.post(&format!("/api/v1/staff/{id}/deactivate"), Some(&m.manager), &json!({})).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.json::<Value>().await.unwrap()["active"], false);
    problem(
        app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": session.refresh})).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    problem(app.get("/api/v1/me", &session.access).await, StatusCode::UNAUTHORIZED).await;
    // An e-mail of another programme's account cannot be invited here.
    let p = problem(
        app.post("/api/v1/invitations", Some(&other.manager), &json!({"email": "jan@example.be", "relay_point_id": app.relay(&other.manager, "Salon", "1000", "hairdresser").await["id"]})).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(p["code"], "conflict");
}
