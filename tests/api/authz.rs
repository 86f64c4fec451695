//! The authorisation matrix: every operation of `openapi.yaml` × every role ×
//! own/other scope. A new endpoint without an entry here fails the test.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::cases::{EVC, H1712, helpline_user};
use crate::helpers::TestApp;
use crate::on_both_backends;
use crate::signals::{body, submit};

/// Who may call an operation.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Who {
    Public,
    Any,
    Only(&'static [&'static str]),
}

/// What a path parameter names; "other-scope" callers get another tenant's view.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Param {
    None,
    /// Scoped: a signal of relay A routed to helpline EVC.
    Signal,
    /// Scoped: relay point A of programme A.
    RelayPoint,
    /// Scoped: programme A.
    Programme,
    /// Scoped: a relay staff member of relay point A (programme A).
    Staff,
    /// Scoped: helpline EVC, as its own staff act on it.
    OwnHelpline,
    /// Not scoped to a tenant (admin data or public helpline data).
    Helpline,
    User,
    Rule,
    Resource,
    Token,
    /// Scoped: a dead-lettered delivery of the fixture signal (helpline EVC).
    DeadLetter,
    /// Scoped: a training module of programme A.
    Module,
    /// Scoped: a completion of a staff member of relay point A.
    Completion,
    /// Scoped: a push subscription of relay A's signed-in staff member.
    PushSubscription,
}

const ADMIN: &[&str] = &["admin"];
const MANAGER: &[&str] = &["manager"];
const RELAY: &[&str] = &["relay"];
const HELPLINE: &[&str] = &["operator", "supervisor"];
const SUPERVISOR: &[&str] = &["supervisor"];

/// (method, path, who, parameter, body for a call that must reach the scope check).
pub(crate) const TABLE: &[(&str, &str, Who, Param, &str)] = &[
    ("POST", "/api/v1/auth/login", Who::Public, Param::None, ""),
    ("POST", "/api/v1/auth/logout", Who::Public, Param::None, ""),
    ("POST", "/api/v1/auth/refresh", Who::Public, Param::None, ""),
    ("GET", "/healthz", Who::Public, Param::None, ""),
    ("GET", "/readyz", Who::Public, Param::None, ""),
    ("GET", "/metrics", Who::Public, Param::None, ""),
    ("POST", "/api/v1/invitations/{token}/accept", Who::Public, Param::Token, ""),
    ("POST", "/api/v1/password-resets", Who::Public, Param::None, ""),
    ("POST", "/api/v1/password-resets/{token}/accept", Who::Public, Param::Token, ""),
    ("GET", "/api/v1/me", Who::Any, Param::None, ""),
    ("POST", "/api/v1/me/totp", Who::Any, Param::None, ""),
    ("POST", "/api/v1/me/totp/confirm", Who::Any, Param::None, ""),
    ("POST", "/api/v1/me/password", Who::Any, Param::None, ""),
    ("POST", "/api/v1/users/{id}/totp/reset", Who::Only(ADMIN), Param::User, ""),
    ("GET", "/api/v1/helplines", Who::Any, Param::None, ""),
    ("GET", "/api/v1/helplines/{id}", Who::Any, Param::Helpline, ""),
    ("GET", "/api/v1/resources", Who::Any, Param::None, ""),
    ("POST", "/api/v1/helplines", Who::Only(ADMIN), Param::None, ""),
    ("PATCH", "/api/v1/helplines/{id}", Who::Only(ADMIN), Param::Helpline, ""),
    ("POST", "/api/v1/helplines/{id}/confirm-channels", Who::Only(SUPERVISOR), Param::OwnHelpline, ""),
    ("POST", "/api/v1/helplines/{id}/test-delivery", Who::Only(ADMIN), Param::Helpline, ""),
    ("GET", "/api/v1/routing-rules", Who::Only(ADMIN), Param::None, ""),
    ("POST", "/api/v1/routing-rules", Who::Only(ADMIN), Param::None, ""),
    ("PATCH", "/api/v1/routing-rules/{id}", Who::Only(ADMIN), Param::Rule, ""),
    ("DELETE", "/api/v1/routing-rules/{id}", Who::Only(ADMIN), Param::Rule, ""),
    ("POST", "/api/v1/routing/simulate", Who::Only(ADMIN), Param::None, ""),
    ("POST", "/api/v1/resources", Who::Only(ADMIN), Param::None, ""),
    ("PUT", "/api/v1/resources/{id}", Who::Only(ADMIN), Param::Resource, ""),
    ("GET", "/api/v1/users", Who::Only(ADMIN), Param::None, ""),
    ("POST", "/api/v1/users", Who::Only(ADMIN), Param::None, ""),
    ("GET", "/api/v1/users/{id}", Who::Only(ADMIN), Param::User, ""),
    ("PATCH", "/api/v1/users/{id}", Who::Only(ADMIN), Param::User, ""),
    ("POST", "/api/v1/users/{id}/deactivate", Who::Only(ADMIN), Param::User, ""),
    ("POST", "/api/v1/users/{id}/reactivate", Who::Only(ADMIN), Param::User, ""),
    ("POST", "/api/v1/users/{id}/invitation", Who::Only(ADMIN), Param::User, ""),
    ("POST", "/api/v1/programmes", Who::Only(ADMIN), Param::None, ""),
    ("GET", "/api/v1/programmes", Who::Only(&["admin", "manager"]), Param::None, ""),
    ("GET", "/api/v1/programmes/{id}", Who::Only(&["admin", "manager"]), Param::Programme, ""),
    ("GET", "/api/v1/relay-points", Who::Only(MANAGER), Param::None, ""),
    ("POST", "/api/v1/relay-points", Who::Only(MANAGER), Param::None, ""),
    ("GET", "/api/v1/relay-points/export", Who::Only(MANAGER), Param::None, ""),
    ("POST", "/api/v1/relay-points/import", Who::Only(MANAGER), Param::None, ""),
    ("GET", "/api/v1/relay-points/{id}", Who::Only(&["manager", "relay"]), Param::RelayPoint, ""),
    ("PATCH", "/api/v1/relay-points/{id}", Who::Only(MANAGER), Param::RelayPoint, r#"{"name": "Renamed"}"#),
    ("GET", "/api/v1/staff", Who::Only(MANAGER), Param::None, ""),
    ("POST", "/api/v1/staff/{id}/deactivate", Who::Only(MANAGER), Param::Staff, ""),
    ("POST", "/api/v1/invitations", Who::Only(MANAGER), Param::None, ""),
    ("POST", "/api/v1/invitations/import", Who::Only(MANAGER), Param::None, ""),
    ("GET", "/api/v1/invitations", Who::Only(MANAGER), Param::None, ""),
    ("POST", "/api/v1/staff/{id}/invitation/resend", Who::Only(MANAGER), Param::Staff, ""),
    ("POST", "/api/v1/staff/{id}/invitation/revoke", Who::Only(MANAGER), Param::Staff, ""),
    ("GET", "/api/v1/training-modules", Who::Only(&["manager", "relay"]), Param::None, ""),
    ("POST", "/api/v1/training-modules", Who::Only(MANAGER), Param::None, ""),
    ("GET", "/api/v1/completions", Who::Only(MANAGER), Param::None, ""),
    ("POST", "/api/v1/completions", Who::Only(MANAGER), Param::None, ""),
    ("POST", "/api/v1/completions/import", Who::Only(MANAGER), Param::None, ""),
    ("GET", "/api/v1/completions/export", Who::Only(MANAGER), Param::None, ""),
    ("PATCH", "/api/v1/training-modules/{id}", Who::Only(MANAGER), Param::Module, r#"{"title": "Renamed"}"#),
    ("POST", "/api/v1/training-modules/{id}/retire", Who::Only(MANAGER), Param::Module, ""),
    ("PATCH", "/api/v1/completions/{id}", Who::Only(MANAGER), Param::Completion, r#"{"certificate_ref": "C-1"}"#),
    ("DELETE", "/api/v1/completions/{id}", Who::Only(MANAGER), Param::Completion, ""),
    ("GET", "/api/v1/push/public-key", Who::Only(RELAY), Param::None, ""),
    ("POST", "/api/v1/me/push-subscriptions", Who::Only(RELAY), Param::None, ""),
    ("DELETE", "/api/v1/me/push-subscriptions/{id}", Who::Only(RELAY), Param::PushSubscription, ""),
    ("GET", "/api/v1/me/training", Who::Only(RELAY), Param::None, ""),
    // Statistics are scoped by `?programme_id=`: tests/api/stats.rs checks another programme is 404.
    ("GET", "/api/v1/stats/signals", Who::Only(&["admin", "manager"]), Param::None, ""),
    ("GET", "/api/v1/stats/coverage", Who::Only(&["admin", "manager"]), Param::None, ""),
    ("GET", "/api/v1/stats/coverage-history", Who::Only(&["admin", "manager"]), Param::None, ""),
    ("POST", "/api/v1/signals", Who::Only(RELAY), Param::None, ""),
    ("GET", "/api/v1/signals", Who::Only(RELAY), Param::None, ""),
    ("GET", "/api/v1/signals/{reference}", Who::Only(RELAY), Param::Signal, ""),
    ("GET", "/api/v1/cases", Who::Only(HELPLINE), Param::None, ""),
    ("GET", "/api/v1/cases/{reference}", Who::Only(HELPLINE), Param::Signal, ""),
    ("POST", "/api/v1/cases/{reference}/claim", Who::Only(HELPLINE), Param::Signal, ""),
    ("POST", "/api/v1/cases/{reference}/reveal", Who::Only(HELPLINE), Param::Signal, ""),
    ("POST", "/api/v1/cases/{reference}/release", Who::Only(HELPLINE), Param::Signal, ""),
    ("POST", "/api/v1/cases/{reference}/heartbeat", Who::Only(HELPLINE), Param::Signal, ""),
    ("POST", "/api/v1/cases/{reference}/attempts", Who::Only(HELPLINE), Param::Signal, r#"{"result": "other"}"#),
    ("GET", "/api/v1/cases/{reference}/attempts", Who::Only(HELPLINE), Param::Signal, ""),
    ("POST", "/api/v1/cases/{reference}/close", Who::Only(HELPLINE), Param::Signal, r#"{"outcome": "other"}"#),
    (
        "POST",
        "/api/v1/cases/{reference}/transfer",
        Who::Only(SUPERVISOR),
        Param::Signal,
        r#"{"helpline_id": "00000000-0000-4000-8000-000000001712"}"#,
    ),
    (
        "POST",
        "/api/v1/cases/{reference}/reassign",
        Who::Only(SUPERVISOR),
        Param::Signal,
        r#"{"operator_id": "00000000-0000-4000-8000-000000000001"}"#,
    ),
    ("GET", "/api/v1/helplines/{id}/figures", Who::Only(SUPERVISOR), Param::OwnHelpline, ""),
    ("GET", "/api/v1/dead-letters", Who::Only(&["admin", "supervisor"]), Param::None, ""),
    ("POST", "/api/v1/dead-letters/{id}/retry", Who::Only(&["admin", "supervisor"]), Param::DeadLetter, ""),
    ("GET", "/api/v1/audit", Who::Only(&["admin", "supervisor"]), Param::None, ""),
    // Last: withdrawing closes the fixture signal (tests/api/withdraw.rs checks the rest).
    ("POST", "/api/v1/signals/{reference}/withdraw", Who::Only(RELAY), Param::Signal, ""),
    // After everything: each caller ends all of its own sessions.
    ("POST", "/api/v1/auth/logout-everywhere", Who::Any, Param::None, ""),
];

fn documented() -> BTreeSet<(String, String)> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml")).unwrap();
    let spec: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
    let mut ops = BTreeSet::new();
    for (path, item) in spec["paths"].as_mapping().unwrap() {
        for (method, _) in item.as_mapping().unwrap() {
            ops.insert((method.as_str().unwrap().to_uppercase(), path.as_str().unwrap().to_string()));
        }
    }
    ops
}

#[test]
fn every_documented_operation_has_an_authorisation_entry() {
    let table: BTreeSet<(String, String)> = TABLE.iter().map(|(m, p, ..)| (m.to_string(), p.to_string())).collect();
    let missing: Vec<_> = documented().difference(&table).cloned().collect();
    let stale: Vec<_> = table.difference(&documented()).cloned().collect();
    assert!(missing.is_empty(), "operations without an authorisation entry in tests/api/authz.rs: {missing:?}");
    assert!(stale.is_empty(), "entries for operations that no longer exist: {stale:?}");
}

pub(crate) struct Caller {
    pub(crate) role: &'static str,
    pub(crate) token: Option<String>,
    /// Belongs to another programme, relay point or helpline than the fixtures.
    pub(crate) other: bool,
}

pub(crate) struct Fixtures {
    signal: String,
    relay_point: String,
    programme: String,
    staff: String,
    user: String,
    rule: String,
    resource: String,
    dead_letter: String,
    module: String,
    completion: String,
    push_subscription: String,
}

pub(crate) async fn setup(app: &TestApp) -> (Vec<Caller>, Fixtures) {
    let admin = app.admin_token().await;
    let a = app.programme_with_manager(&admin, "prog-a", "fr").await;
    let b = app.programme_with_manager(&admin, "prog-b", "fr").await;
    let relay_a = app.relay(&a.manager, "Pharmacie A", "4000", "pharmacy").await["id"].as_str().unwrap().to_string();
    let relay_b = app.relay(&b.manager, "Pharmacie B", "4020", "pharmacy").await["id"].as_str().unwrap().to_string();
    let (_, relay_tok) = app.staff(&admin, "relay-a@example.be", &relay_a).await;
    let (_, relay_b_tok) = app.staff(&admin, "relay-b@example.be", &relay_b).await;
    let (staff, _) = app.staff(&admin, "relay-a2@example.be", &relay_a).await;
    let (user, _) = app.create_user(&admin, json!({"email": "spare@example.be", "role": "admin"})).await;
    let signal: Value = submit(app, &relay_tok, "authz", &body("0470 11 22 33", "A")).await.json().await.unwrap();
    let rules: Value = app.get("/api/v1/routing-rules", &admin).await.json().await.unwrap();
    let resources: Value = app.get("/api/v1/resources", &admin).await.json().await.unwrap();
    // The fixture signal's delivery, given up.
    app.execute("UPDATE outbox SET status = 'dead', last_error = 'HTTP 410'");
    let dead: Value = app.get("/api/v1/dead-letters", &admin).await.json().await.unwrap();
    let dead_letter = dead["items"][0]["id"].as_str().unwrap().to_string();
    let module = app.module(&a.manager, "Mask-19 basics", 24, true).await;
    let completion = app.complete(&a.manager, &staff, &module, "2026-01-15").await["id"].as_str().unwrap().to_string();
    let key = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, [4u8; 65]);
    let auth = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, [7u8; 16]);
    let subscription = json!({"endpoint": "http://127.0.0.1:9/push/authz", "keys": {"p256dh": key, "auth": auth}});
    let push: Value =
        app.post("/api/v1/me/push-subscriptions", Some(&relay_tok), &subscription).await.json().await.unwrap();
    let push_subscription = push["id"].as_str().unwrap().to_string();
    let callers = vec![
        Caller { role: "anonymous", token: None, other: false },
        Caller { role: "admin", token: Some(admin), other: false },
        Caller { role: "manager", token: Some(a.manager), other: false },
        Caller { role: "manager", token: Some(b.manager), other: true },
        Caller { role: "relay", token: Some(relay_tok), other: false },
        Caller { role: "relay", token: Some(relay_b_tok), other: true },
        Caller {
            role: "operator",
            token: Some(helpline_user(app, "op@example.be", "helpline_operator", EVC).await),
            other: false,
        },
        Caller {
            role: "operator",
            token: Some(helpline_user(app, "op-b@example.be", "helpline_operator", H1712).await),
            other: true,
        },
        Caller {
            role: "supervisor",
            token: Some(helpline_user(app, "sup@example.be", "helpline_supervisor", EVC).await),
            other: false,
        },
        Caller {
            role: "supervisor",
            token: Some(helpline_user(app, "sup-b@example.be", "helpline_supervisor", H1712).await),
            other: true,
        },
    ];
    let fixtures = Fixtures {
        signal: signal["reference"].as_str().unwrap().to_string(),
        relay_point: relay_a,
        programme: a.programme,
        staff,
        user,
        rule: rules[0]["id"].as_str().unwrap().to_string(),
        resource: resources[0]["id"].as_str().unwrap().to_string(),
        dead_letter,
        module,
        completion,
        push_subscription,
    };
    (callers, fixtures)
}

pub(crate) fn concrete(path: &str, param: Param, f: &Fixtures) -> String {
    let value = match param {
        Param::None => return path.to_string(),
        Param::Signal => f.signal.clone(),
        Param::RelayPoint => f.relay_point.clone(),
        Param::Programme => f.programme.clone(),
        Param::Staff => f.staff.clone(),
        Param::Helpline | Param::OwnHelpline => EVC.to_string(),
        Param::User => f.user.clone(),
        Param::Rule => f.rule.clone(),
        Param::Resource => f.resource.clone(),
        Param::Token => "not-a-real-token".to_string(),
        Param::DeadLetter => f.dead_letter.clone(),
        Param::Module => f.module.clone(),
        Param::Completion => f.completion.clone(),
        Param::PushSubscription => f.push_subscription.clone(),
    };
    let start = path.find('{').unwrap();
    let end = path.find('}').unwrap();
    format!("{}{}{}", &path[..start], value, &path[end + 1..])
}

on_both_backends!(every_endpoint_checks_role_and_scope);

async fn every_endpoint_checks_role_and_scope(app: TestApp) {
    let (callers, fixtures) = setup(&app).await;
    let mut failures = Vec::new();
    for &(method, path, who, param, scoped_body) in TABLE {
        // Deactivating the spare accounts last keeps every caller signed in.
        let url = concrete(path, param, &fixtures);
        for c in &callers {
            let allowed = match who {
                Who::Public => true,
                Who::Any => c.token.is_some(),
                Who::Only(roles) => roles.contains(&c.role),
            };
            let scoped = matches!(
                param,
                Param::Signal
                    | Param::RelayPoint
                    | Param::Programme
                    | Param::Staff
                    | Param::OwnHelpline
                    | Param::DeadLetter
                    | Param::Module
                    | Param::Completion
                    | Param::PushSubscription
            );
            // An allowed caller from another tenant sends a valid body, so that only
            // the scope check can stop it; everyone else sends `{}`.
            let body = if allowed && c.other && scoped && !scoped_body.is_empty() { scoped_body } else { "{}" };
            let mut req = app.client.request(Method::from_bytes(method.as_bytes()).unwrap(), app.url(&url));
            if let Some(t) = &c.token {
                req = req.bearer_auth(t);
            }
            if method != "GET" && method != "DELETE" {
                req = req.header("content-type", "application/json").body(body.to_string());
            }
            let status = req.send().await.unwrap().status();
            let expected_ok =
                |s: StatusCode| s != StatusCode::UNAUTHORIZED && s != StatusCode::FORBIDDEN && !s.is_server_error();
            let ok = match (who, c.token.is_some(), allowed) {
                (Who::Public, _, _) => expected_ok(status),
                (_, false, _) => status == StatusCode::UNAUTHORIZED,
                (_, true, false) => status == StatusCode::FORBIDDEN,
                (_, true, true) if scoped && c.other => status == StatusCode::NOT_FOUND,
                (_, true, true) => expected_ok(status) && status != StatusCode::NOT_FOUND,
            };
            if !ok {
                failures.push(format!(
                    "{method} {path} as {}{}: {status}",
                    c.role,
                    if c.other { " (other scope)" } else { "" }
                ));
            }
        }
    }
    assert!(failures.is_empty(), "authorisation matrix mismatches:\n{}", failures.join("\n"));
}

on_both_backends!(query_scoped_endpoints_give_nothing_of_another_programme);

/// Endpoints scoped by a query parameter (or by the caller's programme alone): a
/// manager of programme B asking for programme A's data gets 404 and none of it.
async fn query_scoped_endpoints_give_nothing_of_another_programme(app: TestApp) {
    let admin = app.admin_token().await;
    let a = app.programme_with_manager(&admin, "scope-a", "fr").await;
    let b = app.programme_with_manager(&admin, "scope-b", "fr").await;
    let relay_a =
        app.relay(&a.manager, "Pharmacie Secrète A", "4000", "pharmacy").await["id"].as_str().unwrap().to_string();
    app.relay(&b.manager, "Pharmacie B", "4020", "pharmacy").await;
    let (staff_a, _) = app.staff(&admin, "staff-of-a@example.be", &relay_a).await;
    let leaks = |text: &str| {
        text.contains(&a.programme) || text.contains(&relay_a) || text.contains(&staff_a) || text.contains("staff-of-a")
    };

    // The owner sees the data: the check below is not vacuous.
    for path in [
        format!("/api/v1/stats/signals?programme_id={}", a.programme),
        format!("/api/v1/stats/coverage?programme_id={}", a.programme),
        format!("/api/v1/stats/coverage-history?programme_id={}", a.programme),
        format!("/api/v1/staff?relay_point_id={relay_a}"),
    ] {
        let resp = app.get(&path, &a.manager).await;
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
        assert!(leaks(&resp.text().await.unwrap()), "{path} shows programme A's data to its manager");
    }
    for path in [
        format!("/api/v1/stats/signals?programme_id={}", a.programme),
        format!("/api/v1/stats/coverage?programme_id={}", a.programme),
        format!("/api/v1/stats/coverage-history?programme_id={}", a.programme),
        format!("/api/v1/staff?relay_point_id={relay_a}"),
    ] {
        let resp = app.get(&path, &b.manager).await;
        let status = resp.status();
        let text = resp.text().await.unwrap();
        assert!(status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN, "{path}: {status}");
        assert!(!leaks(&text), "{path}: {text}");
    }
    // Lists scoped by the caller's programme alone show nothing of programme A.
    for path in ["/api/v1/relay-points", "/api/v1/staff", "/api/v1/relay-points/export", "/api/v1/completions"] {
        let resp = app.get(path, &b.manager).await;
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
        let text = resp.text().await.unwrap();
        assert!(!leaks(&text) && !text.contains("Secrète"), "{path}: {text}");
    }
    let resp = app.get(&format!("/api/v1/completions?user_id={staff_a}"), &b.manager).await;
    let text = resp.text().await.unwrap();
    assert!(!text.contains("staff-of-a"), "{text}");
}
