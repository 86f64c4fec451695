//! Admins change an account's role and scope (every session of it ends) and
//! reactivate a deactivated account; both are audited.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::cases::{EVC, H1712};
use crate::helpers::{TestApp, problem};
use crate::on_both_backends;

on_both_backends!(
    a_role_change_ends_the_sessions_and_is_audited,
    a_role_without_its_scope_is_refused_and_changes_nothing,
    reactivation_restores_sign_in_and_is_audited
);

async fn patch_user(app: &TestApp, admin: &str, id: &str, body: Value) -> reqwest::Response {
    app.request(Method::PATCH, &format!("/api/v1/users/{id}"), Some(admin), Some(&body)).await
}

fn audit_rows(app: &TestApp, action: &str, subject: &str) -> i64 {
    app.count(&format!("audit_log WHERE action = '{action}' AND subject_id = '{subject}'"))
}

async fn a_role_change_ends_the_sessions_and_is_audited(app: TestApp) {
    let admin = app.admin_token().await;
    let email = "moved.operator@example.be";
    let (id, password) =
        app.create_user(&admin, json!({"email": email, "role": "helpline_operator", "helpline_id": EVC})).await;
    let before = app.login_ok(email, &password).await;
    assert_eq!(app.get("/api/v1/cases", &before.access).await.status(), StatusCode::OK);

    let resp = patch_user(&app, &admin, &id, json!({"role": "helpline_supervisor", "helpline_id": H1712})).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let changed: Value = resp.json().await.unwrap();
    assert_eq!((changed["role"].clone(), changed["helpline_id"].clone()), (json!("helpline_supervisor"), json!(H1712)));

    // The old access token carried the old role and helpline: it ends at once, and so
    // does the refresh token.
    problem(app.get("/api/v1/me", &before.access).await, StatusCode::UNAUTHORIZED).await;
    problem(app.get("/api/v1/cases", &before.access).await, StatusCode::UNAUTHORIZED).await;
    let refresh = app.post("/api/v1/auth/refresh", None, &json!({"refresh_token": before.refresh})).await;
    problem(refresh, StatusCode::UNAUTHORIZED).await;
    let after = app.login_ok(email, &password).await;
    let me: Value = app.get("/api/v1/me", &after.access).await.json().await.unwrap();
    assert_eq!((me["role"].clone(), me["helpline_id"].clone()), (json!("helpline_supervisor"), json!(H1712)), "{me}");
    assert_eq!(audit_rows(&app, "user.scope_changed", &id), 1);
    let admin_id =
        app.get("/api/v1/me", &admin).await.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    assert_eq!(
        app.count(&format!(
            "audit_log WHERE action = 'user.scope_changed' AND subject_id = '{id}' AND actor_id = '{admin_id}'"
        )),
        1
    );

    // The same role and scope again changes nothing: no audit row, the session lives.
    let resp = patch_user(&app, &admin, &id, json!({"role": "helpline_supervisor", "helpline_id": H1712})).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(app.get("/api/v1/me", &after.access).await.status(), StatusCode::OK);
    assert_eq!(audit_rows(&app, "user.scope_changed", &id), 1);

    // A manager of a programme, then relay staff at one of its relay points (the
    // programme follows the relay point).
    let m = app.programme_with_manager(&admin, "role-prog", "fr").await;
    let relay =
        app.relay(&m.manager, "Pharmacie du Rôle", "4000", "pharmacy").await["id"].as_str().unwrap().to_string();
    let resp = patch_user(&app, &admin, &id, json!({"role": "programme_manager", "programme_id": m.programme})).await;
    assert_eq!(resp.status(), StatusCode::OK);
    problem(app.get("/api/v1/me", &after.access).await, StatusCode::UNAUTHORIZED).await;
    let staff: Value = patch_user(&app, &admin, &id, json!({"role": "relay_staff", "relay_point_id": relay}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            staff["role"].clone(),
            staff["relay_point_id"].clone(),
            staff["programme_id"].clone(),
            staff["helpline_id"].clone()
        ),
        (json!("relay_staff"), json!(relay), json!(m.programme), Value::Null),
        "{staff}"
    );
    assert_eq!(audit_rows(&app, "user.scope_changed", &id), 3);
    // The manager of that programme now sees them among its staff.
    let list: Value = app.get("/api/v1/staff", &m.manager).await.json().await.unwrap();
    assert!(list.to_string().contains(email), "{list}");
}

async fn a_role_without_its_scope_is_refused_and_changes_nothing(app: TestApp) {
    let admin = app.admin_token().await;
    let email = "kept.operator@example.be";
    let (id, password) =
        app.create_user(&admin, json!({"email": email, "role": "helpline_operator", "helpline_id": EVC})).await;
    let tokens = app.login_ok(email, &password).await;

    let p = problem(
        patch_user(&app, &admin, &id, json!({"role": "programme_manager"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "programme_id", "{p}");
    let p = problem(
        patch_user(&app, &admin, &id, json!({"role": "admin", "helpline_id": EVC})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "helpline_id", "{p}");
    let p = problem(
        patch_user(&app, &admin, &id, json!({"role": "programme_manager", "programme_id": uuid::Uuid::new_v4()})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "programme_id", "{p}");
    let p = problem(
        patch_user(&app, &admin, &id, json!({"role": "relay_staff", "relay_point_id": uuid::Uuid::new_v4()})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "relay_point_id", "{p}");
    problem(patch_user(&app, &admin, &id, json!({"helpline_id": EVC})).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    let p = problem(
        patch_user(&app, &admin, &id, json!({"role": "admin", "email": "x@example.be"})).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(p["code"], "unknown_field");
    let unknown = uuid::Uuid::new_v4().to_string();
    problem(patch_user(&app, &admin, &unknown, json!({"role": "admin"})).await, StatusCode::NOT_FOUND).await;
    problem(patch_user(&app, &admin, "not-an-id", json!({"role": "admin"})).await, StatusCode::NOT_FOUND).await;
    let admin_id =
        app.get("/api/v1/me", &admin).await.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    problem(
        patch_user(&app, &admin, &admin_id, json!({"role": "helpline_operator", "helpline_id": EVC})).await,
        StatusCode::CONFLICT,
    )
    .await;

    // Nothing changed: the same role, the session still works, no audit row.
    let me: Value = app.get("/api/v1/me", &tokens.access).await.json().await.unwrap();
    assert_eq!((me["role"].clone(), me["helpline_id"].clone()), (json!("helpline_operator"), json!(EVC)), "{me}");
    assert_eq!(app.count("audit_log WHERE action = 'user.scope_changed'"), 0);
}

async fn reactivation_restores_sign_in_and_is_audited(app: TestApp) {
    let admin = app.admin_token().await;
    let email = "returning.admin@example.be";
    let (id, password) = app.create_user(&admin, json!({"email": email, "role": "admin"})).await;
    let old = app.login_ok(email, &password).await;
    let resp = app.post(&format!("/api/v1/users/{id}/deactivate"), Some(&admin), &json!({})).await;
    assert_eq!(resp.status(), StatusCode::OK);
    problem(app.login(email, &password).await, StatusCode::UNAUTHORIZED).await;

    let resp = app.post(&format!("/api/v1/users/{id}/reactivate"), Some(&admin), &json!({})).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let user: Value = resp.json().await.unwrap();
    assert_eq!((user["active"].clone(), user["deactivated_at"].clone()), (json!(true), Value::Null), "{user}");
    assert_eq!(audit_rows(&app, "user.reactivated", &id), 1);
    // The person signs in with the password they had; the sessions from before the
    // deactivation stay ended.
    let again = app.login_ok(email, &password).await;
    assert_eq!(app.get("/api/v1/me", &again.access).await.status(), StatusCode::OK);
    problem(app.get("/api/v1/me", &old.access).await, StatusCode::UNAUTHORIZED).await;

    // An active account is left as it is.
    let resp = app.post(&format!("/api/v1/users/{id}/reactivate"), Some(&admin), &json!({})).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(audit_rows(&app, "user.reactivated", &id), 1);
    assert_eq!(app.get("/api/v1/me", &again.access).await.status(), StatusCode::OK);
    let unknown = uuid::Uuid::new_v4();
    problem(
        app.post(&format!("/api/v1/users/{unknown}/reactivate"), Some(&admin), &json!({})).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    let m = app.programme_with_manager(&admin, "react-prog", "fr").await;
    problem(
        app.post(&format!("/api/v1/users/{id}/reactivate"), Some(&m.manager), &json!({})).await,
        StatusCode::FORBIDDEN,
    )
    .await;
}
