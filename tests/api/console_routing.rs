//! The admin's routing rules and the creating and renaming of helplines in the
//! console: in a real browser (a new helpline gets a rule, the route simulator then
//! sends a signal there because of it, its priority moves it before and after the
//! seeded rules, and it is removed), and over plain HTTP (other roles and forms
//! without the CSRF token are refused; bad input is shown beside its field and
//! writes nothing); and `PATCH /api/v1/routing-rules/{id}`.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::browser::Browser;
use crate::cases::{EVC, H1712};
use crate::console_admin::{assert_accessible, console_cookie, set_value, sign_in};
use crate::helpers::{Backend, TestApp, problem, try_spawn_app_with};

/// The simulator, for a French signal from Liège on Wednesday 10 March 2027 at 10:00.
const LIEGE_WEDNESDAY: &str =
    "/console/admin/route-simulator?postcode=4000&language=fr&urgency=standard&at=2027-03-10T10%3A00#result";

/// The `id` of the rules table's row whose text contains `needle`.
async fn rule_row(b: &Browser, needle: &str) -> String {
    let id = b
        .js(&format!(
            "const r = [...document.querySelectorAll('#rules tbody tr')].find(tr => tr.textContent.includes('{needle}')); return r ? r.id : null;"
        ))
        .await;
    id.as_str().unwrap_or_else(|| panic!("no rule row with {needle}")).to_string()
}

/// The priority of the rule `id` in a `GET /api/v1/routing-rules` answer.
fn priority_of(rules: &Value, id: &str) -> i64 {
    let rule = rules.as_array().unwrap().iter().find(|r| r["id"] == id).unwrap_or_else(|| panic!("{id}: {rules}"));
    rule["priority"].as_i64().unwrap()
}

/// The place (1-based) of a rule in the rules table.
async fn place(b: &Browser, row: &str) -> i64 {
    b.js(&format!("return [...document.querySelectorAll('#rules tbody tr')].findIndex(tr => tr.id === '{row}') + 1;"))
        .await
        .as_i64()
        .unwrap()
}

async fn an_admin_routes_liege_to_a_new_helpline(backend: Backend) {
    let Some(app) = try_spawn_app_with(backend, |_| {}).await else { return };
    let name = format!("console-routing-{}", if backend == Backend::Sqlite { "sqlite" } else { "postgres" });
    let Some(mut b) = Browser::start(&name).await else { return };
    let admin = app.admin_token().await;
    sign_in(&mut b, &app, &app.admin_email, &app.admin_password).await;

    // The helplines page: a new helpline. A code already used and a name already
    // used are refused beside their fields, and nothing is written.
    b.navigate_by("header nav a[href='/console/admin/helplines']").await;
    let helplines = app.count("helplines");
    b.fill("#name", "Écoute Violences Conjugales").await;
    b.fill("#code", "liege").await;
    b.fill("#public_phone", "04 222 22 22").await;
    b.js("document.getElementById('lang_fr').checked = true; return true;").await;
    b.navigate_by("#create-form button[type=submit]").await;
    assert!(b.text("#name-error").await.contains("already has this name"));
    assert_eq!(b.element("#lang_fr").await.prop("checked").await.unwrap().as_deref(), Some("true"), "kept");
    assert_eq!(app.count("helplines"), helplines);
    b.shot("helpline-create-refused").await;
    assert_accessible(&b, "helplines with an error").await;
    b.fill("#name", "Ligne Liège").await;
    b.fill("#code", "evc").await;
    b.navigate_by("#create-form button[type=submit]").await;
    assert!(b.text("#code-error").await.contains("already has this code"));
    assert_eq!(app.count("helplines"), helplines);
    b.fill("#code", "liege").await;
    b.navigate_by("#create-form button[type=submit]").await;
    assert!(b.text("#notice").await.contains("Helpline created"));
    assert_eq!(app.count("helplines"), helplines + 1);
    assert_eq!(app.count("audit_log WHERE action = 'helpline.created'"), 1);
    let path = b.path().await;
    let liege = path.strip_prefix("/console/admin/helplines/").unwrap().to_string();
    b.shot("helpline-created").await;
    assert_accessible(&b, "new helpline").await;

    // Renamed; a name too close to another helpline's is refused.
    b.fill("#name", "hulplijn 1712").await;
    b.navigate_by("#name-form button[type=submit]").await;
    assert!(b.text("#name-error").await.contains("already has this name"));
    assert_eq!(b.element("#name").await.prop("value").await.unwrap().as_deref(), Some("hulplijn 1712"));
    b.shot("helpline-rename-refused").await;
    assert_accessible(&b, "rename with an error").await;
    b.fill("#name", "Ligne d'écoute Liège").await;
    b.navigate_by("#name-form button[type=submit]").await;
    assert!(b.text("#notice").await.contains("Name saved"));
    assert!(b.text("h1").await.contains("Ligne d'écoute Liège"));
    let h: Value = app.get(&format!("/api/v1/helplines/{liege}"), &admin).await.json().await.unwrap();
    assert_eq!(h["name"], "Ligne d'écoute Liège");
    assert_eq!(app.count("audit_log WHERE action = 'helpline.renamed'"), 1);
    b.shot("helpline-renamed").await;
    // Open on Wednesdays from 9 to 17.
    b.js("document.getElementById('slot-day').value = 'wed'; return true;").await;
    b.fill("#slot-start", "09:00").await;
    b.fill("#slot-end", "17:00").await;
    b.navigate_by("#slot-form button[type=submit]").await;
    assert!(b.text("#slots").await.contains("09:00"));

    // The routing rules, from the header: the seeded ones, in order, in words.
    b.navigate_by("header nav a[href='/console/admin/routing']").await;
    assert_eq!(b.path().await, "/console/admin/routing");
    let rules = b.text("#rules").await;
    assert!(rules.contains("Priority 10 · Dutch → Hulplijn 1712"), "{rules}");
    assert!(rules.contains("Priority 50 · Wallonia → Écoute Violences Conjugales"), "{rules}");
    b.shot("routing").await;
    assert_accessible(&b, "routing rules").await;

    // A rule for Liège (Wallonia, 4000–4099) to the new helpline, at priority 25:
    // first a range with one end only, refused beside the field, nothing written.
    let before = app.count("routing_rules");
    b.fill("#priority", "25").await;
    set_value(&b, "region", "wallonia").await;
    b.fill("#postcode_from", "4000").await;
    set_value(&b, "helpline_id", &liege).await;
    b.navigate_by("#rule-form button[type=submit]").await;
    assert!(b.text("#postcode_to-error").await.contains("both ends"));
    assert_eq!(b.element("#postcode_from").await.prop("value").await.unwrap().as_deref(), Some("4000"));
    assert_eq!(app.count("routing_rules"), before);
    b.shot("routing-rule-refused").await;
    assert_accessible(&b, "routing rules with an error").await;
    b.fill("#postcode_to", "4099").await;
    b.navigate_by("#rule-form button[type=submit]").await;
    assert!(b.text("#notice").await.contains("Rule added"));
    assert_eq!(app.count("routing_rules"), before + 1);
    assert_eq!(app.count("audit_log WHERE action = 'routing.rule_added'"), 1);
    let row = rule_row(&b, "4000–4099").await;
    let words = b.text(&format!("#{row} .words")).await;
    assert_eq!(words, "Priority 25 · Wallonia, 4000–4099 → Ligne d'écoute Liège");
    assert_eq!(place(&b, &row).await, 3, "after the Dutch and French rules");
    b.shot("routing-rule-added").await;

    // At 25 the French rule (20) still decides for a French signal from Liège.
    b.goto(&app.url(LIEGE_WEDNESDAY)).await;
    assert!(b.text("#destination").await.contains("Écoute Violences Conjugales"));
    assert!(b.text("#rules").await.contains("Priority 25 · Wallonia, 4000–4099"), "it matches, later");

    // Raised to 5: the simulator now sends the signal to the new helpline, by it.
    b.goto(&app.url("/console/admin/routing")).await;
    b.fill(&format!("#priority-{}", row.strip_prefix("rule-").unwrap()), "5").await;
    b.navigate_by(&format!("#{row} .priority-form button")).await;
    assert!(b.text("#notice").await.contains("Priority changed"));
    assert_eq!(place(&b, &row).await, 1, "tried first");
    assert_eq!(app.count("audit_log WHERE action = 'routing.rule_priority_changed'"), 1);
    b.shot("routing-rule-raised").await;
    assert_accessible(&b, "routing rules after a change").await;
    b.goto(&app.url(LIEGE_WEDNESDAY)).await;
    let destination = b.text("#destination").await;
    assert!(destination.contains("Ligne d'écoute Liège (liege)"), "{destination}");
    let reason = b.text("#reason").await;
    assert!(reason.contains("Priority 5 · Wallonia, 4000–4099 → Ligne d'écoute Liège"), "{reason}");
    assert!(b.text("#told").await.contains("04 222 22 22"), "the relay is given its number");
    b.shot("simulator-new-helpline").await;
    assert_accessible(&b, "simulator with the new rule").await;
    // Namur is in Wallonia but not in the range: still the French helpline.
    b.goto(&app.url("/console/admin/route-simulator?postcode=5000&language=fr&urgency=standard&at=2027-03-10T10%3A00"))
        .await;
    assert!(b.text("#destination").await.contains("Écoute Violences Conjugales"));

    // The rule's link opens the simulator for an origin it covers.
    b.goto(&app.url("/console/admin/routing")).await;
    b.navigate_by(&format!("#{row} a[href^='/console/admin/route-simulator']")).await;
    assert_eq!(b.element("#postcode").await.prop("value").await.unwrap().as_deref(), Some("4000"));
    assert!(b.exists("#result").await);

    // A priority that is not a number: beside the field, nothing changed.
    b.goto(&app.url("/console/admin/routing")).await;
    let id = row.strip_prefix("rule-").unwrap().to_string();
    b.fill(&format!("#priority-{id}"), "first").await;
    b.navigate_by(&format!("#{row} .priority-form button")).await;
    assert!(b.text(&format!("#priority-{id}-error")).await.contains("whole number"));
    b.shot("routing-priority-refused").await;
    assert_accessible(&b, "routing rules with a priority error").await;
    let listed: Value = app.get("/api/v1/routing-rules", &admin).await.json().await.unwrap();
    assert_eq!(priority_of(&listed, &id), 5, "unchanged");

    // Lowered to 70: after every seeded rule; the French helpline again.
    b.fill(&format!("#priority-{id}"), "70").await;
    b.navigate_by(&format!("#{row} .priority-form button")).await;
    assert_eq!(place(&b, &row).await, 7, "tried last");
    b.goto(&app.url(LIEGE_WEDNESDAY)).await;
    assert!(b.text("#destination").await.contains("Écoute Violences Conjugales"));

    // Removed, after a confirmation page.
    b.goto(&app.url("/console/admin/routing")).await;
    b.navigate_by(&format!("#{row} a.remove")).await;
    assert!(b.text("#rule").await.contains("Priority 70 · Wallonia, 4000–4099"));
    assert_eq!(app.count("routing_rules"), before + 1, "the confirmation page writes nothing");
    b.shot("routing-remove-confirm").await;
    assert_accessible(&b, "remove confirmation").await;
    b.navigate_by("#remove-form button[type=submit]").await;
    assert!(b.text("#notice").await.contains("Rule removed"));
    assert!(!b.exists(&format!("#{row}")).await);
    assert_eq!(app.count("routing_rules"), before);
    assert_eq!(app.count("audit_log WHERE action = 'routing.rule_removed'"), 1);
    b.shot("routing-rule-removed").await;

    // The audit log names the changes.
    b.goto(&app.url("/console/admin/audit?action=routing.rule_priority_changed")).await;
    assert!(b.text("#audit").await.contains("routing rule priority changed"));
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_routes_liege_to_a_new_helpline_on_sqlite() {
    an_admin_routes_liege_to_a_new_helpline(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_routes_liege_to_a_new_helpline_on_postgres() {
    an_admin_routes_liege_to_a_new_helpline(Backend::Postgres).await;
}

// ---------------------------------------------------------------------------
// Over plain HTTP.

crate::on_both_backends!(
    the_routing_pages_refuse_other_roles_and_forms_without_a_token,
    bad_rule_input_is_shown_beside_its_field_and_writes_nothing,
    bad_helpline_input_is_shown_beside_its_field_and_writes_nothing,
    a_rules_priority_changes_through_the_api_and_every_rule_change_is_audited
);

/// A client that does not follow redirects.
fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// The admin's console cookie and the CSRF token of their session.
async fn admin_form(app: &TestApp) -> (String, String) {
    let cookie = console_cookie(app, &app.admin_email, &app.admin_password).await;
    let html = client()
        .get(app.url("/console/admin/routing"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = html.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    (cookie, csrf)
}

async fn post(app: &TestApp, cookie: &str, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    client().post(app.url(path)).header("cookie", cookie).form(form).send().await.unwrap()
}

/// A seeded rule's id (the French one, priority 20).
const FRENCH_RULE: &str = "00000000-0000-4000-8001-000000000020";

/// What the refusals below must leave as it was.
fn snapshot(app: &TestApp) -> (i64, i64, i64) {
    (app.count("routing_rules"), app.count("helplines"), app.count("audit_log"))
}

async fn the_routing_pages_refuse_other_roles_and_forms_without_a_token(app: TestApp) {
    let admin = app.admin_token().await;
    let pages = ["/console/admin/routing".to_string(), format!("/console/admin/routing/{FRENCH_RULE}/remove")];
    let c = client();
    for page in &pages {
        let resp = c.get(app.url(page)).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::SEE_OTHER, "signed out: {page}");
    }
    let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
        ("/console/admin/routing/add".into(), vec![("priority", "1"), ("region", "wallonia"), ("helpline_id", EVC)]),
        (format!("/console/admin/routing/{FRENCH_RULE}/priority"), vec![("priority", "1")]),
        (format!("/console/admin/routing/{FRENCH_RULE}/remove"), vec![]),
        (
            "/console/admin/helplines".into(),
            vec![("code", "x1"), ("name", "X"), ("public_phone", "1"), ("kind", "helpline"), ("lang_fr", "on")],
        ),
        (format!("/console/admin/helplines/{EVC}/name"), vec![("name", "Renamed")]),
    ];
    // A supervisor and a programme manager: 403 on every page and form.
    let (_, sup_pw) = app
        .create_user(&admin, json!({"email": "sup@example.be", "role": "helpline_supervisor", "helpline_id": EVC}))
        .await;
    let resp = app.post("/api/v1/programmes", Some(&admin), &json!({"code": "prog-a", "name": "Programme A"})).await;
    let programme = resp.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let (_, manager_pw) = app
        .create_user(
            &admin,
            json!({"email": "m@example.be", "role": "programme_manager", "programme_id": programme, "language": "en"}),
        )
        .await;
    let before = snapshot(&app);
    for (email, pw) in [("sup@example.be", sup_pw.as_str()), ("m@example.be", manager_pw.as_str())] {
        let cookie = console_cookie(&app, email, pw).await;
        for page in &pages {
            let resp = c.get(app.url(page)).header("cookie", &cookie).send().await.unwrap();
            assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{email}: {page}");
        }
        for (path, form) in &posts {
            assert_eq!(post(&app, &cookie, path, form).await.status(), StatusCode::FORBIDDEN, "{email}: {path}");
        }
    }
    // The admin without the session's token, or with a forged one: 403.
    let (cookie, _) = admin_form(&app).await;
    for (path, form) in &posts {
        assert_eq!(post(&app, &cookie, path, form).await.status(), StatusCode::FORBIDDEN, "no token: {path}");
        let mut forged = form.clone();
        forged.push(("csrf", "forged"));
        assert_eq!(post(&app, &cookie, path, &forged).await.status(), StatusCode::FORBIDDEN, "forged: {path}");
    }
    assert_eq!(snapshot(&app), before, "nothing written");
    let rules: Value = app.get("/api/v1/routing-rules", &admin).await.json().await.unwrap();
    assert_eq!(priority_of(&rules, FRENCH_RULE), 20);
    let evc: Value = app.get(&format!("/api/v1/helplines/{EVC}"), &admin).await.json().await.unwrap();
    assert_eq!(evc["name"], "Écoute Violences Conjugales");
}

async fn bad_rule_input_is_shown_beside_its_field_and_writes_nothing(app: TestApp) {
    let (cookie, csrf) = admin_form(&app).await;
    let before = snapshot(&app);
    let good = [
        ("priority", "5"),
        ("region", "wallonia"),
        ("postcode_from", "4000"),
        ("postcode_to", "4099"),
        ("language", "fr"),
        ("helpline_id", EVC),
    ];
    let unknown = "00000000-0000-4000-8000-00000000dead";
    let cases: &[(&str, &str, &str, &str)] = &[
        ("helpline_id", unknown, "helpline_id-error", "Choose a helpline"),
        ("helpline_id", "nope", "helpline_id-error", "Choose a helpline"),
        ("postcode_from", "12", "postcode_from-error", "four digits"),
        ("postcode_to", "99999", "postcode_to-error", "four digits"),
        ("postcode_to", "3999", "postcode_to-error", "not be below"),
        ("postcode_to", "", "postcode_to-error", "both ends"),
        ("priority", "high", "priority-error", "whole number"),
        ("priority", "99999999999", "priority-error", "whole number"),
        ("region", "mars", "region-error", "region from the list"),
        ("language", "xx", "language-error", "language from the list"),
    ];
    for (field, value, error_id, message) in cases {
        let mut form: Vec<(&str, &str)> = good.iter().filter(|(k, _)| k != field).copied().collect();
        form.push((field, value));
        form.push(("csrf", &csrf));
        let resp = post(&app, &cookie, "/console/admin/routing/add", &form).await;
        assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY, "{field}={value}");
        let html = resp.text().await.unwrap();
        let beside = html.split(&format!("id=\"{error_id}\">")).nth(1).unwrap_or_else(|| panic!("{error_id}: {html}"));
        assert!(beside[..beside.find('<').unwrap()].contains(message), "{field}={value}: {beside}");
        assert_eq!(snapshot(&app), before, "{field}={value} writes nothing");
    }
    // A priority change that is not a number, or for a rule that does not exist.
    let path = format!("/console/admin/routing/{FRENCH_RULE}/priority");
    let resp = post(&app, &cookie, &path, &[("priority", "1.5"), ("csrf", &csrf)]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains(&format!("id=\"priority-{FRENCH_RULE}-error\">Enter a whole number")), "{html}");
    assert!(html.contains("value=\"1.5\""));
    for path in [
        format!("/console/admin/routing/{unknown}/priority"),
        "/console/admin/routing/nope/priority".to_string(),
        format!("/console/admin/routing/{unknown}/remove"),
    ] {
        let resp = post(&app, &cookie, &path, &[("priority", "1"), ("csrf", &csrf)]).await;
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let resp = client()
        .get(app.url(&format!("/console/admin/routing/{unknown}/remove")))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    // The same priority again changes nothing and audits nothing.
    let resp = post(&app, &cookie, &path, &[("priority", "20"), ("csrf", &csrf)]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(snapshot(&app), before);
}

async fn bad_helpline_input_is_shown_beside_its_field_and_writes_nothing(app: TestApp) {
    let admin = app.admin_token().await;
    let (cookie, csrf) = admin_form(&app).await;
    let before = snapshot(&app);
    let long = "L".repeat(121);
    let good = [("code", "liege"), ("name", "Ligne Liège"), ("public_phone", "04 222 22 22"), ("kind", "helpline")];
    let cases: &[(&str, &str, &str, &str)] = &[
        ("name", "", "name-error", "at most 120"),
        ("name", &long, "name-error", "at most 120"),
        ("name", "  écoute violences CONJUGALES ", "name-error", "already has this name"),
        ("code", "evc", "code-error", "already has this code"),
        ("code", &"c".repeat(33), "code-error", "at most 32"),
        ("public_phone", "", "public_phone-error", "public number"),
        ("kind", "shelter", "kind-error", "kind from the list"),
    ];
    for (field, value, error_id, message) in cases {
        let mut form: Vec<(&str, &str)> = good.iter().filter(|(k, _)| k != field).copied().collect();
        form.extend([(*field, *value), ("lang_fr", "on"), ("csrf", &csrf)]);
        let resp = post(&app, &cookie, "/console/admin/helplines", &form).await;
        assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY, "{field}={value}");
        let html = resp.text().await.unwrap();
        let beside = html.split(&format!("id=\"{error_id}\">")).nth(1).unwrap_or_else(|| panic!("{error_id}: {html}"));
        assert!(beside[..beside.find('<').unwrap()].contains(message), "{field}={value}: {beside}");
        assert!(html.contains("id=\"lang_fr\" name=\"lang_fr\" checked"), "the languages ticked are kept");
        assert_eq!(snapshot(&app), before, "{field}={value} writes nothing");
    }
    // No language.
    let mut form: Vec<(&str, &str)> = good.to_vec();
    form.push(("csrf", &csrf));
    let resp = post(&app, &cookie, "/console/admin/helplines", &form).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains("id=\"languages-error\""));
    assert_eq!(snapshot(&app), before);

    // Renaming: too long, empty, another helpline's name, an unknown helpline.
    let path = format!("/console/admin/helplines/{EVC}/name");
    for (value, message) in
        [(long.as_str(), "at most 120"), ("", "at most 120"), ("HULPLIJN 1712", "already has this name")]
    {
        let resp = post(&app, &cookie, &path, &[("name", value), ("csrf", &csrf)]).await;
        assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY, "{value}");
        let html = resp.text().await.unwrap();
        assert!(html.contains("id=\"name-error\">"), "{html}");
        let beside = html.split("id=\"name-error\">").nth(1).unwrap();
        assert!(beside[..beside.find('<').unwrap()].contains(message), "{value}: {beside}");
        assert_eq!(snapshot(&app), before, "{value} writes nothing");
    }
    for id in ["00000000-0000-4000-8000-00000000dead", "nope"] {
        let resp =
            post(&app, &cookie, &format!("/console/admin/helplines/{id}/name"), &[("name", "X"), ("csrf", &csrf)])
                .await;
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{id}");
    }
    let evc: Value = app.get(&format!("/api/v1/helplines/{EVC}"), &admin).await.json().await.unwrap();
    assert_eq!(evc["name"], "Écoute Violences Conjugales");
    assert_eq!(snapshot(&app), before);

    // The API refuses another helpline's name too, on both routes.
    let p = problem(
        app.request(
            Method::PATCH,
            &format!("/api/v1/helplines/{EVC}"),
            Some(&admin),
            Some(&json!({"name": "Hulplijn 1712"})),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "name", "{p}");
    let line =
        json!({"code": "x2", "name": "hulplijn 1712", "public_phone": "1", "languages": ["nl"], "weekly_hours": []});
    let p = problem(app.post("/api/v1/helplines", Some(&admin), &line).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(p["errors"][0]["field"], "name", "{p}");
    // Its own name again is no conflict.
    let resp = app
        .request(
            Method::PATCH,
            &format!("/api/v1/helplines/{H1712}"),
            Some(&admin),
            Some(&json!({"name": "Hulplijn 1712"})),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(snapshot(&app), before, "an unchanged name is not audited");
}

async fn a_rules_priority_changes_through_the_api_and_every_rule_change_is_audited(app: TestApp) {
    let admin = app.admin_token().await;
    let path = format!("/api/v1/routing-rules/{FRENCH_RULE}");
    let patch = |body: Value| {
        let (app, admin, path) = (&app, admin.clone(), path.clone());
        async move { app.request(Method::PATCH, &path, Some(&admin), Some(&body)).await }
    };
    // Wrong-typed, missing, extra fields and an unknown rule: refused, nothing written.
    let before = snapshot(&app);
    for body in
        [json!({"priority": "high"}), json!({}), json!({"priority": 1, "region": "wallonia"}), json!({"priority": 1.5})]
    {
        let resp = patch(body.clone()).await;
        assert!(resp.status().is_client_error(), "{body}: {}", resp.status());
        assert_eq!(resp.headers()["content-type"], "application/problem+json", "{body}");
    }
    for id in ["00000000-0000-4000-8001-00000000dead", "nope"] {
        let resp = app
            .request(Method::PATCH, &format!("/api/v1/routing-rules/{id}"), Some(&admin), Some(&json!({"priority": 1})))
            .await;
        problem(resp, StatusCode::NOT_FOUND).await;
    }
    let (_, op_pw) = app
        .create_user(&admin, json!({"email": "op@example.be", "role": "helpline_operator", "helpline_id": EVC}))
        .await;
    let before = (before.0, before.1, app.count("audit_log"));
    let op = app.login_ok("op@example.be", &op_pw).await.access;
    problem(app.request(Method::PATCH, &path, Some(&op), Some(&json!({"priority": 1}))).await, StatusCode::FORBIDDEN)
        .await;
    assert_eq!(snapshot(&app), before);

    // Raised before the Dutch rule: listed first, audited once.
    let resp = patch(json!({"priority": 5})).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let v: Value = resp.json().await.unwrap();
    assert_eq!((v["id"].as_str(), v["priority"].as_i64()), (Some(FRENCH_RULE), Some(5)), "{v}");
    let rules: Value = app.get("/api/v1/routing-rules", &admin).await.json().await.unwrap();
    assert_eq!(rules[0]["id"], FRENCH_RULE, "{rules}");
    let audited = "audit_log WHERE action = 'routing.rule_priority_changed'";
    assert_eq!(app.count(&format!("{audited} AND subject_id = '{FRENCH_RULE}'")), 1);
    // The same priority: no change, no audit row.
    assert_eq!(patch(json!({"priority": 5})).await.status(), StatusCode::OK);
    assert_eq!(app.count(audited), 1);

    // A rule added and removed through the API: one audit row each, naming it.
    let rule = json!({"priority": 1, "region": "brussels", "helpline_id": H1712});
    let resp = app.post("/api/v1/routing-rules", Some(&admin), &rule).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let id = resp.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    assert_eq!(app.count(&format!("audit_log WHERE action = 'routing.rule_added' AND subject_id = '{id}'")), 1);
    let resp = app.request(Method::DELETE, &format!("/api/v1/routing-rules/{id}"), Some(&admin), None).await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.count(&format!("audit_log WHERE action = 'routing.rule_removed' AND subject_id = '{id}'")), 1);
    // A rule for a helpline that does not exist: refused, nothing written.
    let before = snapshot(&app);
    let rule = json!({"priority": 1, "helpline_id": "00000000-0000-4000-8000-00000000dead"});
    let p =
        problem(app.post("/api/v1/routing-rules", Some(&admin), &rule).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(p["errors"][0]["field"], "helpline_id", "{p}");
    assert_eq!(snapshot(&app), before);
}
