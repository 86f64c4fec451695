//! The programme manager's console pages: in a real browser (import with a
//! preview, the table's filters and paging, a relay point's page following a
//! completion recorded through the API, editing, deactivation, another
//! programme's relay point not found, axe-core on every page), and over plain
//! HTTP (scope and role rules, refused forms writing nothing, the export of a
//! filtered view, a table of 20,000 relay points paged, filtered and counted).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::browser::Browser;
use crate::helpers::{Backend, TestApp, try_spawn_app};

/// A relay-point CSV of `n` rows; `bad` rows get a postcode that is not one.
/// Rows cycle through Brussels (1000), Wallonia (4000, Liège) and Flanders (9000, Gent).
pub(crate) fn relay_csv(n: usize, bad: &[usize]) -> String {
    let mut out = String::from("external_id,kind,name,address,postcode,municipality,languages\n");
    for i in 1..=n {
        let (postcode, municipality) = match i % 3 {
            0 => ("1000", "Bruxelles"),
            1 => ("4000", "Liège"),
            _ => ("9000", "Gent"),
        };
        let postcode = if bad.contains(&i) { "12a4" } else { postcode };
        let kind = if i % 2 == 0 { "hairdresser" } else { "pharmacy" };
        out.push_str(&format!("EXT-{i:05},{kind},Relais {i:05},Rue {i},{postcode},{municipality},fr;nl\n"));
    }
    out
}

/// A programme and its manager's e-mail and password.
pub(crate) async fn programme(app: &TestApp, admin: &str, code: &str) -> (String, String, String) {
    let resp =
        app.post("/api/v1/programmes", Some(admin), &json!({"code": code, "name": format!("Programme {code}")})).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let id = resp.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let email = format!("manager-{code}@example.be");
    let (_, pw) = app
        .create_user(admin, json!({"email": email, "role": "programme_manager", "programme_id": id, "language": "en"}))
        .await;
    (id, email, pw)
}

pub(crate) async fn sign_in(b: &mut Browser, app: &TestApp, email: &str, password: &str) {
    b.goto(&app.url("/console/sign-in")).await;
    b.fill("#email", email).await;
    b.fill("#password", password).await;
    b.navigate_by("form.stack button[type=submit]").await;
}

pub(crate) async fn assert_accessible(b: &Browser, page: &str) {
    let violations = b.axe_violations().await;
    assert!(violations.is_empty(), "axe-core on {page}: {violations:#?}");
}

/// The id of the relay point with this external id (through the API).
pub(crate) async fn relay_id(app: &TestApp, token: &str, external: &str) -> String {
    let page: Value = app.get(&format!("/api/v1/relay-points?q={external}"), token).await.json().await.unwrap();
    page["items"][0]["id"].as_str().unwrap().to_string()
}

async fn a_manager_imports_and_follows_relay_points(backend: Backend) {
    let Some(app) = try_spawn_app(backend).await else { return };
    let name = format!("console-programme-{}", if backend == Backend::Sqlite { "sqlite" } else { "postgres" });
    let Some(mut b) = Browser::start(&name).await else { return };
    let admin = app.admin_token().await;
    let (_, email, pw) = programme(&app, &admin, "be-pharma").await;
    let manager = app.login_ok(&email, &pw).await.access;

    // The home page leads to the manager's pages.
    sign_in(&mut b, &app, &email, &pw).await;
    assert_eq!(b.path().await, "/console/");
    assert!(b.exists("main a[href='/console/relay-points']").await);
    b.shot("home").await;
    assert_accessible(&b, "home").await;
    b.navigate_by("main a[href='/console/relay-points']").await;
    assert!(b.text("main").await.contains("No relay point matches"));

    // Import a file with a bad postcode in row 4 (data row 3): the preview names
    // the row and the column, and nothing is written.
    b.navigate_by("header a[href='/console/relay-points/import']").await;
    assert_accessible(&b, "import form").await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("relays.csv");
    std::fs::write(&path, relay_csv(60, &[3])).unwrap();
    b.element("#file").await.send_keys(path.to_str().unwrap()).await.unwrap();
    b.shot("import-file-chosen").await;
    b.navigate_by("#upload-form button[type=submit]").await;
    let errors = b.text("#row-errors tbody").await;
    assert!(errors.contains('4') && errors.contains("postcode"), "row and column of the error: {errors}");
    assert!(!b.exists("#commit-form").await, "a file with errors cannot be applied");
    assert_eq!(app.count("relay_points"), 0, "a preview writes nothing");
    b.shot("import-preview-error").await;
    assert_accessible(&b, "import preview with errors").await;

    // The corrected file (pasted this time): 60 to create; applied.
    b.js(&format!("document.getElementById('csv').value = {}; return true;", json!(relay_csv(60, &[])))).await;
    b.navigate_by("#upload-form button[type=submit]").await;
    assert_eq!(b.text("#to-create").await, "60");
    assert_eq!(b.text("#error-count").await, "0");
    b.shot("import-preview-ok").await;
    assert_accessible(&b, "import preview").await;
    assert_eq!(app.count("relay_points"), 0);
    b.navigate_by("#commit-form button[type=submit]").await;
    assert!(b.text("#import-done").await.contains("applied"));
    assert_eq!(app.count("relay_points"), 60);
    b.shot("import-done").await;

    // The table: 60, two pages of 50, counts per status at the top.
    b.goto(&app.url("/console/relay-points")).await;
    assert!(b.text("#matching").await.starts_with("60"));
    assert_eq!(b.js("return document.querySelectorAll('table.relays tbody tr').length;").await, json!(50));
    assert!(b.text(".status-counts").await.contains("Not trained 60"));
    b.shot("table").await;
    assert_accessible(&b, "table").await;
    b.navigate_by(".paging a[rel=next]").await;
    assert_eq!(b.text(".paging a[aria-current=page]").await, "2");
    assert_eq!(b.js("return document.querySelectorAll('table.relays tbody tr').length;").await, json!(10));
    assert!(b.text("table.relays tbody").await.contains("Relais 00060"));

    // Filters are a link: Brussels hairdressers (i % 3 == 0 and even: 6, 12, …, 60).
    b.fill("#f-q", "").await;
    b.js("document.getElementById('f-region').value = 'brussels'; document.getElementById('f-kind').value = 'hairdresser'; return true;").await;
    b.navigate_by("form.filters button[type=submit]").await;
    let url = b.js("return location.search;").await.as_str().unwrap().to_string();
    assert!(url.contains("region=brussels") && url.contains("kind=hairdresser"), "{url}");
    assert!(b.text("#matching").await.starts_with("10"));
    b.shot("table-filtered").await;
    // Free text and municipality; then sorted by name, descending.
    b.goto(&app.url("/console/relay-points?q=relais%200005&municipality=li%C3%A8ge")).await;
    assert!(b.text("#matching").await.starts_with("3 "), "Relais 00052, 00055, 00058: {}", b.text("#matching").await);
    b.goto(&app.url("/console/relay-points?sort=name&dir=desc")).await;
    assert!(b.text("table.relays tbody tr:first-child th").await.contains("Relais 00060"));
    assert_eq!(
        b.js("return document.querySelector('th[aria-sort]').getAttribute('aria-sort');").await,
        json!("descending")
    );

    // A completion recorded through the API turns the relay point trained.
    let relay = relay_id(&app, &manager, "EXT-00007").await;
    let (staff, _) = app.staff(&admin, "staff7@example.be", &relay).await;
    let module = app.module(&manager, "Mask-19 basics", 24, true).await;
    b.goto(&app.url(&format!("/console/relay-points/{relay}"))).await;
    assert!(b.text("#training-status").await.contains("Not trained"));
    app.complete(&manager, &staff, &module, &chrono::Utc::now().date_naive().to_string()).await;
    b.goto(&app.url(&format!("/console/relay-points/{relay}"))).await;
    assert!(b.text("#training-status").await.contains("Trained"));
    let staff_row = b.text("#staff tbody").await;
    assert!(staff_row.contains("staff7@example.be") && staff_row.contains("Trained, valid until"), "{staff_row}");
    assert!(b.text("#signal-counts").await.contains("All signals 0"));
    b.shot("relay-trained").await;
    assert_accessible(&b, "relay page").await;
    b.goto(&app.url("/console/relay-points?status=trained")).await;
    assert!(b.text("#matching").await.starts_with("1 "));
    assert!(b.text(".status-counts").await.contains("Trained 1"));

    // Editing: a bad postcode is refused beside its field, nothing written.
    b.goto(&app.url(&format!("/console/relay-points/{relay}"))).await;
    b.fill("#postcode", "99").await;
    b.fill("#name", "Relais sept").await;
    b.navigate_by(".relay-form button[type=submit]").await;
    assert!(b.text("#postcode-error").await.contains("four digits"));
    assert_eq!(b.js("return document.getElementById('name').value;").await, json!("Relais sept"), "typed values kept");
    b.shot("relay-edit-error").await;
    assert_accessible(&b, "relay page with an error").await;
    let stored: Value = app.get(&format!("/api/v1/relay-points/{relay}"), &manager).await.json().await.unwrap();
    assert_eq!(stored["name"], "Relais 00007", "nothing written");
    b.fill("#postcode", "1050").await;
    b.navigate_by(".relay-form button[type=submit]").await;
    assert!(b.text(".notice").await.contains("saved"));
    let stored: Value = app.get(&format!("/api/v1/relay-points/{relay}"), &manager).await.json().await.unwrap();
    assert_eq!((stored["name"].as_str(), stored["region"].as_str()), (Some("Relais sept"), Some("brussels")));

    // Deactivate, then reactivate.
    b.navigate_by("form[action$='/active'] button").await;
    assert!(b.text(".notice").await.contains("deactivated"));
    assert!(b.text("#active-state").await.contains("Deactivated"));
    b.shot("relay-deactivated").await;
    let stored: Value = app.get(&format!("/api/v1/relay-points/{relay}"), &manager).await.json().await.unwrap();
    assert_eq!(stored["active"], false);
    b.navigate_by("form[action$='/active'] button").await;
    assert!(b.text("#active-state").await.contains("Active"));

    // Another programme's manager: not found.
    let (_, other_email, other_pw) = programme(&app, &admin, "be-hair").await;
    b.navigate_by("form[action='/console/sign-out'] button").await;
    sign_in(&mut b, &app, &other_email, &other_pw).await;
    b.goto(&app.url(&format!("/console/relay-points/{relay}"))).await;
    assert!(b.text("main").await.contains("no such relay point in your programme"));
    b.shot("other-programme-not-found").await;
    b.goto(&app.url("/console/relay-points")).await;
    assert!(b.text("#matching").await.starts_with("0 "));
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_imports_and_follows_relay_points_on_sqlite() {
    a_manager_imports_and_follows_relay_points(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_imports_and_follows_relay_points_on_postgres() {
    a_manager_imports_and_follows_relay_points(Backend::Postgres).await;
}

// ---------------------------------------------------------------------------
// Over plain HTTP

/// A console session cookie for this account.
pub(crate) async fn console_cookie(app: &TestApp, email: &str, pw: &str) -> String {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let resp =
        client.post(app.url("/console/sign-in")).form(&[("email", email), ("password", pw)]).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    resp.headers().get("set-cookie").unwrap().to_str().unwrap().split(';').next().unwrap().to_string()
}

pub(crate) fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

pub(crate) async fn page(app: &TestApp, cookie: &str, path: &str) -> (StatusCode, String) {
    let r = client().get(app.url(path)).header("cookie", cookie).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

pub(crate) fn csrf_of(html: &str) -> String {
    html.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string()
}

async fn scope_and_refusals(app: TestApp) {
    let admin = app.admin_token().await;
    let (_, a_email, a_pw) = programme(&app, &admin, "prog-a").await;
    let (_, b_email, b_pw) = programme(&app, &admin, "prog-b").await;
    let a_token = app.login_ok(&a_email, &a_pw).await.access;
    let b_token = app.login_ok(&b_email, &b_pw).await.access;
    assert_eq!(app.post_csv("/api/v1/relay-points/import", &a_token, relay_csv(9, &[])).await.status(), StatusCode::OK);
    assert_eq!(app.post_csv("/api/v1/relay-points/import", &b_token, relay_csv(4, &[])).await.status(), StatusCode::OK);
    let a_relay = relay_id(&app, &a_token, "EXT-00001").await;
    let a = console_cookie(&app, &a_email, &a_pw).await;
    let b = console_cookie(&app, &b_email, &b_pw).await;

    // Each manager sees their own programme; the admin sees both.
    let (status, html) = page(&app, &a, "/console/relay-points").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<strong>9</strong> relay points match"), "{html}");
    let (_, html) = page(&app, &b, "/console/relay-points").await;
    assert!(html.contains("<strong>4</strong> relay points match"));
    let admin_cookie = console_cookie(&app, &app.admin_email, &app.admin_password).await;
    let (_, html) = page(&app, &admin_cookie, "/console/relay-points").await;
    assert!(html.contains("<strong>13</strong> relay points match") && html.contains("prog-b"));
    let (status, _) = page(&app, &admin_cookie, &format!("/console/relay-points/{a_relay}")).await;
    assert_eq!(status, StatusCode::OK, "an admin opens any programme's relay point");

    // Another programme's relay point, or no relay point at all: 404.
    for path in [format!("/console/relay-points/{a_relay}"), "/console/relay-points/not-an-id".into()] {
        let (status, html) = page(&app, &b, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(!html.contains("Relais 00001"));
    }
    // The export of a filtered view holds that view only.
    let (status, csv) = page(&app, &a, "/console/relay-points/export?region=wallonia").await;
    assert_eq!(status, StatusCode::OK);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 4, "header and the three Liège rows: {csv}");
    assert!(lines[1..].iter().all(|l| l.contains(",wallonia,")));
    let (_, csv) = page(&app, &b, "/console/relay-points/export").await;
    assert!(!csv.contains(&a_relay), "another programme's relay points are never exported");

    // Helpline staff are kept out.
    let (_, op_pw) = app
        .create_user(
            &admin,
            json!({"email": "op@example.be", "role": "helpline_operator", "helpline_id": crate::cases::EVC}),
        )
        .await;
    let op = console_cookie(&app, "op@example.be", &op_pw).await;
    assert_eq!(page(&app, &op, "/console/relay-points").await.0, StatusCode::FORBIDDEN);
    assert_eq!(page(&app, &op, &format!("/console/relay-points/{a_relay}")).await.0, StatusCode::FORBIDDEN);

    // An edit without the session's token, or with a bad postcode, writes nothing.
    let (_, html) = page(&app, &a, &format!("/console/relay-points/{a_relay}")).await;
    let csrf = csrf_of(&html);
    let edit = |csrf: String, postcode: &'static str| {
        let cookie = a.clone();
        let url = app.url(&format!("/console/relay-points/{a_relay}"));
        async move {
            let form = [
                ("csrf", csrf.as_str()),
                ("name", "Changed"),
                ("address", "Rue 1"),
                ("postcode", postcode),
                ("municipality", "Liège"),
                ("languages", "fr"),
                ("external_id", "EXT-00001"),
                ("kind", "pharmacy"),
                ("region", ""),
            ];
            client().post(url).header("cookie", cookie).form(&form).send().await.unwrap()
        }
    };
    assert_eq!(edit("wrong".into(), "4000").await.status(), StatusCode::FORBIDDEN);
    let r = edit(csrf.clone(), "40").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("id=\"postcode-error\""));
    let stored: Value = app.get(&format!("/api/v1/relay-points/{a_relay}"), &a_token).await.json().await.unwrap();
    assert_eq!(stored["name"], "Relais 00001");
    // Another programme's manager cannot change it either.
    let (_, b_html) = page(&app, &b, "/console/relay-points").await;
    let r = client()
        .post(app.url(&format!("/console/relay-points/{a_relay}/active")))
        .header("cookie", &b)
        .form(&[("csrf", csrf_of(&b_html).as_str()), ("active", "false")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let stored: Value = app.get(&format!("/api/v1/relay-points/{a_relay}"), &a_token).await.json().await.unwrap();
    assert_eq!(stored["active"], true);

    // A commit whose file is not the one previewed writes nothing.
    let boundary = "----saferelaytest";
    let multipart = |fields: &[(&str, &str)]| {
        let mut body = String::new();
        for (k, v) in fields {
            body.push_str(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"));
        }
        body.push_str(&format!("--{boundary}--\r\n"));
        body
    };
    let before = app.count("relay_points");
    let body = multipart(&[("csrf", &csrf), ("step", "commit"), ("digest", "0000"), ("csv", &relay_csv(12, &[]))]);
    let r = client()
        .post(app.url("/console/relay-points/import"))
        .header("cookie", &a)
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("not the one previewed"));
    assert_eq!(app.count("relay_points"), before);
    // Without the token: refused, nothing written.
    let body = multipart(&[("csrf", "nope"), ("step", "preview"), ("csv", &relay_csv(12, &[]))]);
    let r = client()
        .post(app.url("/console/relay-points/import"))
        .header("cookie", &a)
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("relay_points"), before);
}

crate::on_both_backends!(scope_and_refusals, signal_counts_below_five_are_suppressed);

/// A relay point's signal counts on its page: two signals show as `<5`, in the
/// total and in their state, as the statistics show them; never the number.
async fn signal_counts_below_five_are_suppressed(app: TestApp) {
    let (relay_token, scopes) = crate::signals::relay_staff(&app, "p@example.be").await;
    let admin = app.admin_token().await;
    let (_, pw) = app
        .create_user(
            &admin,
            json!({"email": "m@example.be", "role": "programme_manager", "programme_id": scopes.programme, "language": "en"}),
        )
        .await;
    for (i, phone) in ["0470 12 34 56", "0470 65 43 21"].into_iter().enumerate() {
        let resp =
            crate::signals::submit(&app, &relay_token, &format!("k-{i}"), &crate::signals::body(phone, "Léa")).await;
        assert_eq!(resp.status(), StatusCode::CREATED);
    }
    let cookie = console_cookie(&app, "m@example.be", &pw).await;
    let (status, html) = page(&app, &cookie, &format!("/console/relay-points/{}", scopes.relay_point)).await;
    assert_eq!(status, StatusCode::OK);
    let table = html.split("id=\"signal-counts\"").nth(1).unwrap().split("</table>").next().unwrap();
    assert!(table.contains("<th scope=\"row\">Open</th><td>&#60;5</td>"), "{table}");
    assert!(table.contains("<th scope=\"row\">All signals</th><td>&#60;5</td>"), "{table}");
    assert!(!table.contains("<td>2</td>"), "the count itself is never shown: {table}");
    assert!(!html.contains("0470") && !html.contains("Léa"), "no contact on the page");
}

/// 20,000 relay points: a page deep into a status-filtered, status-sorted view,
/// a free-text search and the counts all answer from the server-side paging (one
/// id query, the statuses, one page of rows). How long they take is for the
/// benchmark, not for a test.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_table_of_twenty_thousand_relay_points_pages_filters_and_counts() {
    let app = try_spawn_app(Backend::Sqlite).await.unwrap();
    let admin = app.admin_token().await;
    let (_, email, pw) = programme(&app, &admin, "big").await;
    let token = app.login_ok(&email, &pw).await.access;
    let resp = app.post_csv("/api/v1/relay-points/import", &token, relay_csv(20_000, &[])).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let cookie = console_cookie(&app, &email, &pw).await;
    for path in [
        "/console/relay-points?page=200",
        "/console/relay-points?status=untrained&sort=status&dir=desc&page=300",
        "/console/relay-points?q=relais%2019&sort=municipality",
    ] {
        let (status, html) = page(&app, &cookie, path).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("relay points match") && html.contains("status-untrained"), "{path}");
    }
}

/// Staff invited in bulk from the console: a file with an error previewed, fixed
/// and sent; the e-mails arrive at the real SMTP server; one person accepts
/// (as the relay app does, with the code from the e-mail); the other's invitation
/// is sent again, then revoked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_invites_staff_in_bulk() {
    let smtp = crate::smtp::SmtpServer::start();
    let url = smtp.url();
    let app = crate::helpers::try_spawn_app_with(Backend::Sqlite, |s| s.smtp_url = Some(url)).await.unwrap();
    let Some(mut b) = Browser::start("console-invitations").await else { return };
    let admin = app.admin_token().await;
    let (_, email, pw) = programme(&app, &admin, "be-invite").await;
    let manager = app.login_ok(&email, &pw).await.access;
    assert_eq!(app.post_csv("/api/v1/relay-points/import", &manager, relay_csv(3, &[])).await.status(), StatusCode::OK);

    sign_in(&mut b, &app, &email, &pw).await;
    b.navigate_by("header a[href='/console/invitations']").await;
    assert!(b.text("#pending-h").await.contains("(0)"));
    assert_accessible(&b, "invitations").await;
    let bad = "email,relay_point_external_id,language\nana@example.be,EXT-00001,fr\nbert@example.be,EXT-00099,nl\n";
    b.js(&format!("document.getElementById('csv').value = {}; return true;", json!(bad))).await;
    b.navigate_by("#upload-form button[type=submit]").await;
    let errors = b.text("#row-errors tbody").await;
    assert!(errors.contains('3') && errors.contains("relay_point_external_id"), "{errors}");
    assert!(!b.exists("#commit-form").await);
    b.shot("invitations-preview-error").await;
    assert_accessible(&b, "invitations preview with errors").await;
    assert!(smtp.messages().is_empty(), "a preview sends nothing");

    let good = "email,relay_point_external_id,language\nana@example.be,EXT-00001,fr\nbert@example.be,EXT-00002,nl\n";
    b.js(&format!("document.getElementById('csv').value = {}; return true;", json!(good))).await;
    b.navigate_by("#upload-form button[type=submit]").await;
    assert_eq!(b.text("#to-invite").await, "2");
    b.shot("invitations-preview").await;
    b.navigate_by("#commit-form button[type=submit]").await;
    assert_eq!(b.text("#invited").await, "2");
    smtp.wait_for(2).await;
    let pending = b.text("#pending tbody").await;
    assert!(pending.contains("ana@example.be") && pending.contains("bert@example.be"), "{pending}");
    b.shot("invitations-sent").await;
    assert_accessible(&b, "invitations sent").await;

    // The relay point's page says Ana has not accepted yet.
    let relay = relay_id(&app, &manager, "EXT-00001").await;
    b.goto(&app.url(&format!("/console/relay-points/{relay}"))).await;
    assert!(b.text("#staff tbody").await.contains("Invited, not accepted yet"));
    b.shot("relay-staff-invited").await;

    // Ana accepts with the code from her e-mail.
    let mail = smtp.to("ana@example.be").pop().unwrap();
    let token = crate::smtp::token_in(&mail);
    let resp = app
        .post(&format!("/api/v1/invitations/{token}/accept"), None, &json!({"password": "a long chosen password"}))
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    b.goto(&app.url(&format!("/console/relay-points/{relay}"))).await;
    assert!(b.text("#staff tbody").await.contains("Active"));
    b.goto(&app.url("/console/invitations")).await;
    let pending = b.text("#pending tbody").await;
    assert!(!pending.contains("ana@example.be") && pending.contains("bert@example.be"), "{pending}");

    // Bert's invitation: sent again, then revoked.
    b.navigate_by("form[action$='/resend'] button").await;
    assert!(b.text(".notice").await.contains("sent again"));
    smtp.wait_for(3).await;
    b.shot("invitation-resent").await;
    b.navigate_by("form[action$='/revoke'] button").await;
    assert!(b.text(".notice").await.contains("revoked"));
    assert!(b.text("#pending-h").await.contains("(0)"));
    b.shot("invitation-revoked").await;
    assert_accessible(&b, "invitations after revoke").await;
    b.close().await;
}
