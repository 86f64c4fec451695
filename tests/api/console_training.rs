//! The programme manager's training pages: in a real browser (modules created,
//! edited and retired; a completion recorded, corrected and deleted, with the
//! relay point's status following on its page; completions imported with a
//! preview; the reminders the job sent; axe-core on every page), and over plain
//! HTTP (another programme's module or completion not found, roles refused, forms
//! without the token or with bad values writing nothing, uploads too large).

use std::process::Command;

use chrono::{Months, NaiveDate};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::browser::Browser;
use crate::console_programme::{
    assert_accessible, client, console_cookie, csrf_of, page, programme, relay_csv, relay_id, sign_in,
};
use crate::helpers::{Backend, TestApp, try_spawn_app_with};
use crate::smtp::SmtpServer;

/// Runs the reminder job as the operator does (`saferelay remind`), on `as_of`.
fn remind(app: &TestApp, smtp: &SmtpServer, as_of: NaiveDate) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_saferelay"))
        .args(["remind", "--as-of", &as_of.to_string()])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("SAFERELAY_DATABASE_URL", &app.database_url)
        .env("SAFERELAY_SMTP_URL", smtp.url())
        .env("SAFERELAY_LOG_LEVEL", "warn")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "remind failed: {stdout} {}", String::from_utf8_lossy(&out.stderr));
    stdout
}

fn shown(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Sets a date input (its text entry depends on the browser's locale).
async fn set_date(b: &Browser, id: &str, d: NaiveDate) {
    b.js(&format!("document.getElementById('{id}').value = '{d}'; return true;")).await;
}

async fn status_on_relay_page(b: &Browser, app: &TestApp, relay: &str) -> String {
    b.goto(&app.url(&format!("/console/relay-points/{relay}"))).await;
    b.text("#training-status").await
}

async fn a_manager_keeps_the_training_records(backend: Backend) {
    let smtp = SmtpServer::start();
    let url = smtp.url();
    let Some(app) = try_spawn_app_with(backend, |s| s.smtp_url = Some(url)).await else { return };
    let name = format!("console-training-{}", if backend == Backend::Sqlite { "sqlite" } else { "postgres" });
    let Some(mut b) = Browser::start(&name).await else { return };
    let admin = app.admin_token().await;
    let (_, email, pw) = programme(&app, &admin, "be-train").await;
    let manager = app.login_ok(&email, &pw).await.access;
    assert_eq!(app.post_csv("/api/v1/relay-points/import", &manager, relay_csv(3, &[])).await.status(), StatusCode::OK);
    let relay1 = relay_id(&app, &manager, "EXT-00001").await;
    let (ana, _) = app.staff(&admin, "ana@example.be", &relay1).await;
    app.staff(&admin, "bert@example.be", &relay_id(&app, &manager, "EXT-00002").await).await;
    app.staff(&admin, "cleo@example.be", &relay_id(&app, &manager, "EXT-00003").await).await;
    let today = saferelay::domain::today();
    let ago = |n: i64| today - chrono::Duration::days(n);

    // Modules: a validity that is not a number is refused beside its field.
    sign_in(&mut b, &app, &email, &pw).await;
    assert!(b.exists("main a[href='/console/training/modules']").await, "the home page leads to training");
    b.navigate_by("header a[href='/console/training/modules']").await;
    assert!(b.text("#no-modules").await.contains("No training module yet"));
    b.shot("modules-empty").await;
    assert_accessible(&b, "modules, none yet").await;
    b.fill("#title", "Mask-19 basics").await;
    b.fill("#validity_months", "two years").await;
    b.navigate_by(".module-form button[type=submit]").await;
    assert!(b.text("#validity_months-error").await.contains("whole number"));
    assert_eq!(b.js("return document.getElementById('title').value;").await, json!("Mask-19 basics"), "kept");
    assert_eq!(app.count("training_modules"), 0, "nothing written");
    b.shot("module-create-error").await;
    assert_accessible(&b, "modules with an error").await;
    b.fill("#validity_months", "24").await;
    b.navigate_by(".module-form button[type=submit]").await;
    assert!(b.text(".notice").await.contains("created"));
    let row = b.text("#modules tbody").await;
    assert!(row.contains("Mask-19 basics") && row.contains("24 months") && row.contains("Active"), "{row}");
    b.shot("modules").await;
    assert_accessible(&b, "modules").await;

    // A completion recorded for Ana turns her relay point trained.
    assert!(status_on_relay_page(&b, &app, &relay1).await.contains("Not trained"));
    b.goto(&app.url("/console/training/completions")).await;
    assert!(b.text("#no-completions").await.contains("No completion"));
    b.fill("#staff", "ana@example.be").await;
    set_date(&b, "completed_on", ago(3)).await;
    b.navigate_by(".record-form button[type=submit]").await;
    assert!(b.text(".notice").await.contains("recorded"));
    let rows = b.text("#completions tbody").await;
    assert!(
        rows.contains("ana@example.be") && rows.contains("Relais 00001") && rows.contains(&shown(ago(3))),
        "{rows}"
    );
    b.shot("completion-recorded").await;
    assert_accessible(&b, "completions").await;
    assert!(status_on_relay_page(&b, &app, &relay1).await.contains("Trained"));
    b.shot("relay-trained").await;
    b.goto(&app.url("/console/relay-points?status=trained")).await;
    assert!(b.text("#matching").await.starts_with("1 "));

    // Corrected: the day moves, the expiry follows.
    b.goto(&app.url("/console/training/completions")).await;
    b.navigate_by("#completions tbody a[href^='/console/training/completions/']").await;
    b.shot("completion").await;
    assert_accessible(&b, "a completion").await;
    set_date(&b, "completed_on", ago(40)).await;
    b.navigate_by(".correct-form button[type=submit]").await;
    assert!(b.text(".notice").await.contains("corrected"));
    assert_eq!(b.text("#completed-on").await, shown(ago(40)));
    assert_eq!(b.text("#expires-on").await, shown(ago(40).checked_add_months(Months::new(24)).unwrap()));
    b.shot("completion-corrected").await;
    let stored: Value = app.get("/api/v1/completions", &manager).await.json().await.unwrap();
    assert_eq!(stored["items"][0]["completed_on"], json!(ago(40).to_string()));

    // Deleted after a confirmation: no longer trained; the audit log keeps it.
    let audit_before = app.count("audit_log");
    b.navigate_by("#delete-link").await;
    assert!(b.text("#confirm-what").await.contains("ana@example.be"));
    b.shot("completion-delete-confirm").await;
    assert_accessible(&b, "delete confirmation").await;
    assert_eq!(app.count("training_completions"), 1, "asking writes nothing");
    b.navigate_by(".confirm-form button[type=submit]").await;
    assert!(b.text(".notice").await.contains("deleted"));
    assert_eq!(app.count("training_completions"), 0);
    assert_eq!(app.count("audit_log"), audit_before + 1);
    assert!(status_on_relay_page(&b, &app, &relay1).await.contains("Not trained"));
    b.shot("relay-untrained-again").await;

    // A second required module makes Ana's relay point untrained; retired from
    // today, it stops counting.
    let basics: Value = app.get("/api/v1/training-modules", &manager).await.json().await.unwrap();
    let basics = basics["items"][0]["id"].as_str().unwrap().to_string();
    app.complete(&manager, &ana, &basics, &ago(3).to_string()).await;
    assert!(status_on_relay_page(&b, &app, &relay1).await.contains("Trained"));
    b.goto(&app.url("/console/training/modules")).await;
    b.fill("#title", "Refresher").await;
    b.fill("#validity_months", "12").await;
    b.navigate_by(".module-form button[type=submit]").await;
    assert!(status_on_relay_page(&b, &app, &relay1).await.contains("Not trained"));
    b.goto(&app.url("/console/training/modules")).await;
    b.js("for (const a of document.querySelectorAll('#modules a')) { if (a.textContent === 'Refresher') a.id = 'refresher'; } return true;").await;
    b.navigate_by("#refresher").await;
    b.fill("#title", "Refresher course").await;
    b.navigate_by(".module-form button[type=submit]").await;
    assert!(b.text(".notice").await.contains("saved"));
    assert_eq!(b.text("main h1").await, "Refresher course");
    b.shot("module").await;
    assert_accessible(&b, "a module").await;
    assert_eq!(b.js("return document.getElementById('from').value;").await, json!(today.to_string()));
    b.navigate_by(".retire-form button[type=submit]").await;
    let asked = b.text("#confirm-what").await;
    assert!(asked.contains("Refresher course") && asked.contains(&shown(today)), "{asked}");
    b.shot("module-retire-confirm").await;
    assert_accessible(&b, "retire confirmation").await;
    b.navigate_by(".confirm-form button[type=submit]").await;
    assert!(b.text(".notice").await.contains("retired"));
    assert!(b.text("#module-state").await.contains(&format!("Retired from {}", shown(today))));
    b.shot("module-retired").await;
    assert!(status_on_relay_page(&b, &app, &relay1).await.contains("Trained"), "a retired module no longer counts");
    b.goto(&app.url("/console/training/modules")).await;
    assert!(b.text("#modules tbody").await.contains(&format!("Retired from {}", shown(today))));
    b.shot("modules-one-retired").await;

    // Import: a file with an impossible day in row 3 is previewed, fixed, applied.
    b.navigate_by("nav.tabs a[href='/console/training/completions/import']").await;
    assert_accessible(&b, "import form").await;
    let soon = today.checked_sub_months(Months::new(24)).unwrap() + chrono::Duration::days(10);
    let file = |cleo_day: &str| {
        format!(
            "email,module,completed_on\nbert@example.be,Mask-19 basics,{}\ncleo@example.be,Mask-19 basics,{cleo_day}\n",
            ago(5)
        )
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("completions.csv");
    std::fs::write(&path, file("2026-02-30")).unwrap();
    b.element("#file").await.send_keys(path.to_str().unwrap()).await.unwrap();
    b.navigate_by("#upload-form button[type=submit]").await;
    let errors = b.text("#row-errors tbody").await;
    assert!(errors.contains('3') && errors.contains("completed_on"), "row and column of the error: {errors}");
    assert!(!b.exists("#commit-form").await, "a file with errors cannot be applied");
    assert_eq!(app.count("training_completions"), 1, "a preview writes nothing");
    b.shot("import-preview-error").await;
    assert_accessible(&b, "import preview with errors").await;
    b.js(&format!("document.getElementById('csv').value = {}; return true;", json!(file(&soon.to_string())))).await;
    b.navigate_by("#upload-form button[type=submit]").await;
    assert_eq!(b.text("#to-create").await, "2");
    assert_eq!(b.text("#error-count").await, "0");
    b.shot("import-preview-ok").await;
    assert_accessible(&b, "import preview").await;
    assert_eq!(app.count("training_completions"), 1);
    b.navigate_by("#commit-form button[type=submit]").await;
    assert!(b.text("#import-done").await.contains("applied"));
    assert_eq!(app.count("training_completions"), 3);
    b.shot("import-done").await;

    // The list is filtered on the server: by relay point, staff member, module.
    b.goto(&app.url("/console/training/completions")).await;
    assert!(b.text("#matching").await.starts_with("3 "));
    b.fill("#f-relay", "relais 00002").await;
    b.navigate_by("form.filters button[type=submit]").await;
    assert!(b.text("#matching").await.starts_with("1 "));
    assert!(b.text("#completions tbody").await.contains("bert@example.be"));
    b.shot("completions-filtered").await;
    assert_accessible(&b, "completions filtered").await;
    b.goto(&app.url(&format!("/console/training/completions?staff=CLEO&module={basics}"))).await;
    assert!(b.text("#matching").await.starts_with("1 "));
    b.goto(&app.url("/console/training/completions?relay=EXT-00001")).await;
    assert!(b.text("#completions tbody").await.contains("ana@example.be"));
    // From a relay point's page, its staff's completions.
    b.goto(&app.url(&format!("/console/relay-points/{relay1}"))).await;
    b.navigate_by("#relay-completions").await;
    assert!(b.text("#matching").await.starts_with("1 "));
    assert!(b.text("#completions tbody").await.contains("ana@example.be"));
    assert!(b.exists("a#export[href='/console/training/completions/export']").await);

    // Reminders: the job reminds Cleo, whose training expires in ten days.
    b.navigate_by("nav.tabs a[href='/console/training/reminders']").await;
    assert!(b.text("#no-reminders").await.contains("No reminder"));
    assert!(remind(&app, &smtp, today).contains("reminders sent: 1"));
    b.goto(&app.url("/console/training/reminders")).await;
    let sent = b.text("#reminders tbody").await;
    let expiry = shown(soon.checked_add_months(Months::new(24)).unwrap());
    assert!(
        sent.contains("cleo@example.be")
            && sent.contains("Relais 00003")
            && sent.contains("Mask-19 basics")
            && sent.contains(&expiry),
        "{sent}"
    );
    assert!(!sent.contains("ana@example.be"));
    b.shot("reminders").await;
    assert_accessible(&b, "reminders").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_keeps_the_training_records_on_sqlite() {
    a_manager_keeps_the_training_records(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_keeps_the_training_records_on_postgres() {
    a_manager_keeps_the_training_records(Backend::Postgres).await;
}

// ---------------------------------------------------------------------------
// Over plain HTTP

async fn post_form(app: &TestApp, cookie: &str, path: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
    let r = client().post(app.url(path)).header("cookie", cookie).form(form).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

/// A form to send, and the fields whose error must show: (path, form, error ids).
type Case<'a> = (String, Vec<(&'a str, &'a str)>, &'a [&'a str]);

const BOUNDARY: &str = "----saferelaytraining";

async fn upload(app: &TestApp, cookie: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let mut body = String::new();
    for (k, v) in fields {
        body.push_str(&format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"));
    }
    body.push_str(&format!("--{BOUNDARY}--\r\n"));
    let r = client()
        .post(app.url("/console/training/completions/import"))
        .header("cookie", cookie)
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

/// Programme A (two relay points, a staff member, a module, a completion) and
/// programme B (a module), each with its manager signed in to the console.
struct Two {
    a_token: String,
    a: String,
    b: String,
    module: String,
    completion: String,
}

async fn two_programmes(app: &TestApp) -> Two {
    let admin = app.admin_token().await;
    let (_, a_email, a_pw) = programme(app, &admin, "prog-a").await;
    let (_, b_email, b_pw) = programme(app, &admin, "prog-b").await;
    let a_token = app.login_ok(&a_email, &a_pw).await.access;
    assert_eq!(app.post_csv("/api/v1/relay-points/import", &a_token, relay_csv(2, &[])).await.status(), StatusCode::OK);
    let relay = relay_id(app, &a_token, "EXT-00001").await;
    let (staff, _) = app.staff(&admin, "ana@example.be", &relay).await;
    let module = app.module(&a_token, "Mask-19 basics", 24, true).await;
    let b_token = app.login_ok(&b_email, &b_pw).await.access;
    app.module(&b_token, "Relay induction", 12, true).await;
    let today = saferelay::domain::today();
    let completion =
        app.complete(&a_token, &staff, &module, &today.to_string()).await["id"].as_str().unwrap().to_string();
    Two {
        a: console_cookie(app, &a_email, &a_pw).await,
        b: console_cookie(app, &b_email, &b_pw).await,
        a_token,
        module,
        completion,
    }
}

async fn another_programme_and_other_roles_are_kept_out(app: TestApp) {
    let t = two_programmes(&app).await;
    let (_, b_html) = page(&app, &t.b, "/console/training/modules").await;
    let b_csrf = csrf_of(&b_html);
    let (m, c) = (t.module.as_str(), t.completion.as_str());

    // B's manager: A's module and completion are not found, to read or to change.
    for path in [
        format!("/console/training/modules/{m}"),
        format!("/console/training/completions/{c}"),
        format!("/console/training/completions/{c}/delete"),
        "/console/training/modules/not-an-id".into(),
        "/console/training/completions/not-an-id".into(),
    ] {
        let (status, html) = page(&app, &t.b, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(!html.contains("Mask-19 basics") && !html.contains("ana@example.be"), "{path}");
    }
    let audit = app.count("audit_log");
    let today = saferelay::domain::today().to_string();
    for (path, form) in [
        (format!("/console/training/modules/{m}"), vec![("title", "Taken over"), ("validity_months", "12")]),
        (format!("/console/training/modules/{m}/retire"), vec![("from", today.as_str()), ("confirm", "yes")]),
        (format!("/console/training/completions/{c}"), vec![("completed_on", today.as_str())]),
        (format!("/console/training/completions/{c}/delete"), vec![]),
    ] {
        let mut form = form;
        form.push(("csrf", b_csrf.as_str()));
        let (status, _) = post_form(&app, &t.b, &path, &form).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(app.count("training_completions"), 1);
    assert_eq!(app.count("audit_log"), audit, "nothing changed, nothing audited");
    let stored: Value = app.get("/api/v1/training-modules", &t.a_token).await.json().await.unwrap();
    assert_eq!(
        (stored["items"][0]["title"].as_str(), &stored["items"][0]["retired_on"]),
        (Some("Mask-19 basics"), &Value::Null)
    );
    // B's lists and export hold nothing of A's; recording for A's staff member with
    // A's module is refused beside the field.
    let (_, html) = page(&app, &t.b, "/console/training/completions").await;
    assert!(html.contains("<strong>0</strong> completions match") && !html.contains("ana@example.be"));
    let (_, html) = page(&app, &t.b, "/console/training/modules").await;
    assert!(!html.contains("Mask-19 basics"));
    let (status, csv) = page(&app, &t.b, "/console/training/completions/export").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!csv.contains("ana@example.be"));
    let (_, csv) = page(&app, &t.a, "/console/training/completions/export").await;
    assert!(csv.starts_with("email,relay_external_id,relay_name,module,completed_on,expires_on,certificate_ref"));
    assert!(csv.contains("ana@example.be,EXT-00001,Relais 00001,Mask-19 basics,"), "{csv}");
    let form =
        [("csrf", b_csrf.as_str()), ("staff", "ana@example.be"), ("module", m), ("completed_on", today.as_str())];
    let (status, html) = post_form(&app, &t.b, "/console/training/completions", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"staff-error\""), "{html}");
    let (_, html) = page(&app, &t.b, "/console/training/reminders").await;
    assert!(html.contains("<strong>0</strong> reminders sent"));
    assert_eq!(app.count("training_completions"), 1);

    // Helpline staff and admins are refused; relay staff never get a console
    // session; without a session, the sign-in page.
    let admin = app.admin_token().await;
    let (_, op_pw) = app
        .create_user(
            &admin,
            json!({"email": "op@example.be", "role": "helpline_operator", "helpline_id": crate::cases::EVC}),
        )
        .await;
    let op = console_cookie(&app, "op@example.be", &op_pw).await;
    let admin_cookie = console_cookie(&app, &app.admin_email, &app.admin_password).await;
    for cookie in [&op, &admin_cookie] {
        for path in [
            "/console/training/modules",
            "/console/training/completions",
            "/console/training/reminders",
            "/console/training/completions/import",
            "/console/training/completions/export",
        ] {
            assert_eq!(page(&app, cookie, path).await.0, StatusCode::FORBIDDEN, "{path}");
        }
        assert_eq!(page(&app, cookie, &format!("/console/training/completions/{c}")).await.0, StatusCode::FORBIDDEN);
    }
    let (_, html) = page(&app, &op, "/console/queue").await;
    let (status, _) =
        post_form(&app, &op, &format!("/console/training/completions/{c}/delete"), &[("csrf", &csrf_of(&html))]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, staff_pw) = app.create_user(&admin, json!({"email": "bo@example.be", "role": "relay_staff", "relay_point_id": relay_id(&app, &t.a_token, "EXT-00002").await})).await;
    let r = client()
        .post(app.url("/console/sign-in"))
        .form(&[("email", "bo@example.be"), ("password", staff_pw.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.headers().get("set-cookie").is_none(), "relay staff get no console session");
    let r = client().get(app.url("/console/training/modules")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(r.headers()["location"].to_str().unwrap().starts_with("/console/sign-in"));
    assert_eq!(app.count("training_completions"), 1);
}

async fn bad_forms_are_shown_beside_their_fields_and_write_nothing(app: TestApp) {
    let t = two_programmes(&app).await;
    let (_, html) = page(&app, &t.a, "/console/training/modules").await;
    let csrf = csrf_of(&html);
    let (m, c) = (t.module.as_str(), t.completion.as_str());
    let counts =
        |app: &TestApp| (app.count("training_modules"), app.count("training_completions"), app.count("audit_log"));
    let before = counts(&app);
    let today = saferelay::domain::today();
    let tomorrow = (today + chrono::Duration::days(1)).to_string();
    let today = today.to_string();

    // Without the session's token: refused, whatever the form.
    for (path, form) in [
        ("/console/training/modules".to_string(), vec![("title", "New"), ("kind", "video"), ("validity_months", "12")]),
        (format!("/console/training/modules/{m}"), vec![("title", "Changed"), ("validity_months", "12")]),
        (format!("/console/training/modules/{m}/retire"), vec![("from", today.as_str()), ("confirm", "yes")]),
        (
            "/console/training/completions".to_string(),
            vec![("staff", "ana@example.be"), ("module", m), ("completed_on", today.as_str())],
        ),
        (format!("/console/training/completions/{c}/delete"), vec![]),
    ] {
        for token in [None, Some("forged")] {
            let mut form = form.clone();
            if let Some(token) = token {
                form.push(("csrf", token));
            }
            let (status, html) = post_form(&app, &t.a, &path, &form).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{path} {token:?}");
            assert!(html.contains("This form was sent from outside the console"), "{html}");
        }
    }
    let (status, _) = upload(&app, &t.a, &[("step", "preview"), ("csv", "email,module,completed_on\n")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(counts(&app), before);

    // Malformed values: each beside its field, the typed values kept, nothing written.
    let cases: Vec<Case> = vec![
        (
            "/console/training/modules".into(),
            vec![("title", " "), ("kind", "lecture"), ("validity_months", "twelve")],
            &["title-error", "kind-error", "validity_months-error"],
        ),
        (
            "/console/training/modules".into(),
            vec![("title", "Refresher"), ("kind", "video"), ("validity_months", "121")],
            &["validity_months-error"],
        ),
        (
            format!("/console/training/modules/{m}"),
            vec![("title", "Changed"), ("validity_months", "1.5")],
            &["validity_months-error"],
        ),
        (format!("/console/training/modules/{m}/retire"), vec![("from", "soon"), ("confirm", "yes")], &["from-error"]),
        (
            format!("/console/training/modules/{m}/retire"),
            vec![("from", "2000-01-01"), ("confirm", "yes")],
            &["from-error"],
        ),
        (
            "/console/training/completions".into(),
            vec![("staff", "ana@example.be"), ("module", m), ("completed_on", "2026-13-45")],
            &["completed_on-error"],
        ),
        (
            "/console/training/completions".into(),
            vec![("staff", "ana@example.be"), ("module", m), ("completed_on", tomorrow.as_str())],
            &["completed_on-error"],
        ),
        (
            "/console/training/completions".into(),
            vec![
                ("staff", "ana@example.be"),
                ("module", "00000000-0000-4000-8000-000000000000"),
                ("completed_on", today.as_str()),
            ],
            &["module-error"],
        ),
        (
            "/console/training/completions".into(),
            vec![("staff", "ana@example.be"), ("module", "basics"), ("completed_on", today.as_str())],
            &["module-error"],
        ),
        (
            "/console/training/completions".into(),
            vec![("staff", "nobody@example.be"), ("module", m), ("completed_on", today.as_str())],
            &["staff-error"],
        ),
        (
            "/console/training/completions".into(),
            vec![("staff", "ana@example.be"), ("module", m), ("completed_on", today.as_str())],
            &["completed_on-error"],
        ),
        (format!("/console/training/completions/{c}"), vec![("completed_on", "31/12/2025")], &["completed_on-error"]),
        (
            format!("/console/training/completions/{c}"),
            vec![("completed_on", tomorrow.as_str())],
            &["completed_on-error"],
        ),
    ];
    for (path, form, fields) in cases {
        let mut form = form;
        form.push(("csrf", csrf.as_str()));
        let (status, html) = post_form(&app, &t.a, &path, &form).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path} {form:?}");
        for f in fields {
            assert!(html.contains(&format!("id=\"{f}\"")), "{path} {form:?}: {f} beside its field");
        }
        assert!(html.contains("Nothing was saved"), "{path}");
        for (k, v) in &form {
            if !["csrf", "module", "kind", "confirm"].contains(k) && !v.trim().is_empty() {
                assert!(html.contains(&format!("value=\"{v}\"")), "{path}: the typed {k} is kept");
            }
        }
        assert_eq!(counts(&app), before, "{path} {form:?} wrote nothing");
    }
    let stored: Value = app.get("/api/v1/training-modules", &t.a_token).await.json().await.unwrap();
    assert_eq!(stored["items"][0]["validity_months"], 24);
    assert_eq!(stored["items"][0]["retired_on"], Value::Null);

    // Retiring asks first: the first form writes nothing.
    let (status, html) =
        post_form(&app, &t.a, &format!("/console/training/modules/{m}/retire"), &[("csrf", &csrf), ("from", &today)])
            .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("name=\"confirm\" value=\"yes\""));
    assert_eq!(counts(&app), before);

    // An import: a file with a missing column, a file over the limit, a commit of
    // a file that was not previewed; nothing written.
    let (status, html) = upload(
        &app,
        &t.a,
        &[("csrf", &csrf), ("step", "preview"), ("csv", "email,completed_on\nana@example.be,2026-01-01\n")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("<code>module</code>") && !html.contains("id=\"commit-form\""), "{html}");
    let big = format!("email,module,completed_on\n{}", "ana@example.be,Mask-19 basics,2026-01-01\n".repeat(200));
    let (status, html) = upload(&app, &t.a, &[("csrf", &csrf), ("step", "preview"), ("csv", &big)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("too large"), "{html}");
    let huge = "x".repeat(80 * 1024);
    let (status, html) = upload(&app, &t.a, &[("csrf", &csrf), ("step", "preview"), ("csv", &huge)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"import-error\""), "{html}");
    let file = format!(
        "email,module,completed_on\nana@example.be,Mask-19 basics,{}\n",
        saferelay::domain::today() - chrono::Duration::days(9)
    );
    let (status, html) =
        upload(&app, &t.a, &[("csrf", &csrf), ("step", "commit"), ("digest", "0000"), ("csv", &file)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("not the one previewed"));
    assert_eq!(counts(&app), before);
    // The same file previewed, then committed with the preview's digest: written.
    let (status, html) = upload(&app, &t.a, &[("csrf", &csrf), ("step", "preview"), ("csv", &file)]).await;
    assert_eq!(status, StatusCode::OK);
    let digest = html.split("name=\"digest\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let (status, html) =
        upload(&app, &t.a, &[("csrf", &csrf), ("step", "commit"), ("digest", &digest), ("csv", &file)]).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert_eq!(app.count("training_completions"), before.1 + 1);
}

/// Both backends, with a CSV limit small enough to go over in a test.
async fn spawn_small_csv_limit(backend: Backend) -> Option<TestApp> {
    try_spawn_app_with(backend, |s| s.max_csv_bytes = 4096).await
}

mod scope_and_roles {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        another_programme_and_other_roles_are_kept_out(spawn_small_csv_limit(Backend::Sqlite).await.unwrap()).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        if let Some(app) = spawn_small_csv_limit(Backend::Postgres).await {
            another_programme_and_other_roles_are_kept_out(app).await;
        }
    }
}

mod bad_forms {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        bad_forms_are_shown_beside_their_fields_and_write_nothing(
            spawn_small_csv_limit(Backend::Sqlite).await.unwrap(),
        )
        .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        if let Some(app) = spawn_small_csv_limit(Backend::Postgres).await {
            bad_forms_are_shown_beside_their_fields_and_write_nothing(app).await;
        }
    }
}
