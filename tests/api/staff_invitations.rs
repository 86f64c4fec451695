//! Staff onboarding in bulk over the API: `POST /api/v1/invitations/import`
//! (dry run and commit), `GET /api/v1/invitations` (not accepted yet), re-send
//! and revoke; with the role and scope rules, and bad input answered with
//! problem+json and nothing written (no account, no e-mail).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, problem};
use crate::smtp::{SmtpServer, token_in};

crate::on_both_backends_with_smtp!(
    staff_are_invited_in_bulk_resent_and_revoked,
    bulk_invitations_keep_to_roles_and_scope
);

const RELAYS: &str = "external_id,kind,name,address,postcode,municipality,languages\n\
                      PH-1,pharmacy,Pharmacie Une,Rue 1,4000,Liège,fr\n\
                      PH-2,pharmacy,Pharmacie Deux,Rue 2,1000,Bruxelles,fr;nl\n";

async fn manager_with_relays(app: &TestApp, code: &str) -> String {
    let admin = app.admin_token().await;
    let m = app.programme_with_manager(&admin, code, "en").await;
    let resp = app.post_csv("/api/v1/relay-points/import", &m.manager, RELAYS).await;
    assert_eq!(resp.status(), StatusCode::OK);
    m.manager
}

async fn pending(app: &TestApp, token: &str) -> Vec<Value> {
    let resp = app.get("/api/v1/invitations", token).await;
    assert_eq!(resp.status(), StatusCode::OK);
    resp.json::<Vec<Value>>().await.unwrap()
}

async fn staff_are_invited_in_bulk_resent_and_revoked(app: TestApp, smtp: SmtpServer) {
    let manager = manager_with_relays(&app, "bulk").await;
    let users_before = app.count("users");

    // A file with errors: every one by row and column, in a dry run; a real run
    // answers 422 naming them; neither writes nor sends anything.
    let bad = "email,relay_point_external_id,language\n\
               ana@example.be,PH-1,fr\n\
               not-an-email,PH-1,fr\n\
               bert@example.be,PH-9,nl\n\
               carla@example.be,PH-2,xx\n\
               manager-bulk@example.be,PH-2,fr\n";
    let report: Value =
        app.post_csv("/api/v1/invitations/import?dry_run=true", &manager, bad).await.json().await.unwrap();
    let errors: Vec<(u64, String)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["field"].as_str().unwrap().to_string()))
        .collect();
    // A bad e-mail, an unknown relay point, a bad language, another kind of account.
    assert_eq!(
        errors,
        vec![(3, "email".into()), (4, "relay_point_external_id".into()), (5, "language".into()), (6, "email".into())],
        "{report}"
    );
    assert_eq!((report["rows"].as_u64(), report["invited"].as_u64()), (Some(5), Some(1)));
    let resp = app.post_csv("/api/v1/invitations/import", &manager, bad).await;
    let p = problem(resp, StatusCode::UNPROCESSABLE_ENTITY).await;
    let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["rows[3].email", "rows[4].relay_point_external_id", "rows[5].language", "rows[6].email"]);
    assert_eq!(app.count("users"), users_before, "nothing written");
    assert!(smtp.messages().is_empty(), "nothing sent");

    // A good file: the dry run says two to invite and sends nothing; the commit invites.
    let good = "email,relay_point_external_id,language\nana@example.be,PH-1,fr\nbert@example.be,PH-2,nl\n";
    let report: Value =
        app.post_csv("/api/v1/invitations/import?dry_run=true", &manager, good).await.json().await.unwrap();
    assert_eq!((report["invited"].as_u64(), report["errors"].as_array().unwrap().len()), (Some(2), 0));
    assert_eq!(app.count("users"), users_before);
    assert!(smtp.messages().is_empty());
    let resp = app.post_csv("/api/v1/invitations/import", &manager, good).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let report: Value = resp.json().await.unwrap();
    assert_eq!((report["invited"].as_u64(), report["emails_not_sent"].as_u64()), (Some(2), Some(0)));
    smtp.wait_for(2).await;
    let list = pending(&app, &manager).await;
    assert_eq!(list.len(), 2);
    assert!(list.iter().all(|p| p["expired"] == false));

    // The same file again: both not accepted yet, so invited again.
    let report: Value =
        app.post_csv("/api/v1/invitations/import?dry_run=true", &manager, good).await.json().await.unwrap();
    assert_eq!(report["reinvited"], 2);

    // Ana accepts: she leaves the list, and a new import leaves her alone.
    let ana_mail = smtp.to("ana@example.be").pop().unwrap();
    assert!(ana_mail.subject().contains("Invitation"), "{}", ana_mail.subject());
    let resp = app
        .post(
            &format!("/api/v1/invitations/{}/accept", token_in(&ana_mail)),
            None,
            &json!({"password": "a long chosen password"}),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let list = pending(&app, &manager).await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["email"], "bert@example.be");
    let report: Value =
        app.post_csv("/api/v1/invitations/import?dry_run=true", &manager, good).await.json().await.unwrap();
    assert_eq!((report["unchanged"].as_u64(), report["reinvited"].as_u64()), (Some(1), Some(1)));

    // Re-send to Bert: a new mail; the first link no longer works.
    let bert = list[0]["user_id"].as_str().unwrap().to_string();
    let first = token_in(&smtp.to("bert@example.be").pop().unwrap());
    let resp = app.post(&format!("/api/v1/staff/{bert}/invitation/resend"), Some(&manager), &json!({})).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    smtp.wait_for(3).await;
    let second = token_in(&smtp.to("bert@example.be").pop().unwrap());
    assert_ne!(first, second);
    let resp = app
        .post(&format!("/api/v1/invitations/{first}/accept"), None, &json!({"password": "a long chosen password"}))
        .await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);

    // Revoke: gone from the list, the link dead, the act audited; twice is 409.
    let resp = app.post(&format!("/api/v1/staff/{bert}/invitation/revoke"), Some(&manager), &json!({})).await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    assert!(pending(&app, &manager).await.is_empty());
    let resp = app
        .post(&format!("/api/v1/invitations/{second}/accept"), None, &json!({"password": "a long chosen password"}))
        .await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.count(&format!("audit_log WHERE action = 'user.invitation_revoked' AND subject_id = '{bert}'")), 1);
    for action in ["revoke", "resend"] {
        let resp = app.post(&format!("/api/v1/staff/{bert}/invitation/{action}"), Some(&manager), &json!({})).await;
        problem(resp, StatusCode::CONFLICT).await;
    }
}

async fn bulk_invitations_keep_to_roles_and_scope(app: TestApp, smtp: SmtpServer) {
    let a = manager_with_relays(&app, "prog-a").await;
    let b = manager_with_relays(&app, "prog-b").await;
    let good = "email,relay_point_external_id\nana@example.be,PH-1\n";
    assert_eq!(app.post_csv("/api/v1/invitations/import", &a, good).await.status(), StatusCode::OK);
    smtp.wait_for(1).await;
    let ana = pending(&app, &a).await[0]["user_id"].as_str().unwrap().to_string();

    // Another programme's manager: sees none of them, cannot re-send nor revoke.
    assert!(pending(&app, &b).await.is_empty());
    for action in ["resend", "revoke"] {
        let resp = app.post(&format!("/api/v1/staff/{ana}/invitation/{action}"), Some(&b), &json!({})).await;
        problem(resp, StatusCode::NOT_FOUND).await;
    }
    // Ana's e-mail in programme B's file: an account of another programme.
    let report: Value = app.post_csv("/api/v1/invitations/import?dry_run=true", &b, good).await.json().await.unwrap();
    assert_eq!(report["errors"][0]["field"], "email");
    assert_eq!(pending(&app, &a).await.len(), 1, "still pending");

    // Admins and every other role: 403, nothing written.
    let admin = app.admin_token().await;
    let users_before = app.count("users");
    let resp =
        app.post_csv("/api/v1/invitations/import", &admin, "email,relay_point_external_id\nz@example.be,PH-1\n").await;
    problem(resp, StatusCode::FORBIDDEN).await;
    problem(app.get("/api/v1/invitations", &admin).await, StatusCode::FORBIDDEN).await;
    let resp = app.post(&format!("/api/v1/staff/{ana}/invitation/revoke"), Some(&admin), &json!({})).await;
    problem(resp, StatusCode::FORBIDDEN).await;
    assert_eq!(app.count("users"), users_before);
    // Not a CSV, or a header without the columns: problem+json.
    let resp = app.post("/api/v1/invitations/import", Some(&a), &json!({"email": "x@example.be"})).await;
    problem(resp, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
    let resp = app.post_csv("/api/v1/invitations/import", &a, "mail,relay\nx@example.be,PH-1\n").await;
    let p = problem(resp, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(p["errors"].as_array().unwrap().iter().any(|e| e["field"] == "rows[1].email"), "{p}");
    assert_eq!(app.count("users"), users_before);
}
