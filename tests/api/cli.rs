//! The `saferelay` binary: first start prints the admin's one-time password;
//! `create-admin` reads a password from standard input; `import-relays` imports a
//! relay-point file with the HTTP import's checks and report.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;

const BIN: &str = env!("CARGO_BIN_EXE_saferelay");

/// The binary in `dir`, with nothing of the caller's environment: its own home
/// folder inside `dir`, so the default key file never lands in the real one.
fn base_command(dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", dir.join("home"))
        .env("SAFERELAY_PORT", "0")
        .env("SAFERELAY_LOG_LEVEL", "info");
    cmd
}

/// Reads the binary's output lines until the "listening" log line; its port.
fn listening_port(child: &mut std::process::Child) -> Option<u64> {
    let stdout = child.stdout.take()?;
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line)
            && v["message"] == "listening"
        {
            return v["port"].as_u64();
        }
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unset_environment_refuses_a_public_address_and_an_explicit_development_one_serves_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = base_command(dir.path()).env("SAFERELAY_HOST", "0.0.0.0").output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("SAFERELAY_ENV is not set") && stderr.contains("0.0.0.0") && stderr.contains("loopback"),
        "{stderr}"
    );
    assert!(!dir.path().join("saferelay.db").exists(), "refused before touching the database");

    let mut child = base_command(dir.path())
        .env("SAFERELAY_HOST", "0.0.0.0")
        .env("SAFERELAY_ENV", "development")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let port = listening_port(&mut child).expect("an explicit development server listens");
    let health = reqwest::get(format!("http://127.0.0.1:{port}/healthz")).await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    child.kill().unwrap();
    child.wait().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_prints_the_first_admin_password_once_and_it_signs_in() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = base_command(dir.path()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let (mut password, mut port) = (None, None);
    let deadline = Instant::now() + Duration::from_secs(60);
    while (password.is_none() || port.is_none()) && Instant::now() < deadline {
        let Ok(line) = rx.recv_timeout(Duration::from_secs(1)) else { continue };
        if let Some(p) = line.trim().strip_prefix("One-time password: ") {
            password = Some(p.to_string());
        }
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line)
            && v["message"] == "listening"
        {
            port = v["port"].as_u64();
        }
    }
    let (password, port) = (password.expect("password printed"), port.expect("port logged"));
    assert!(dir.path().join("saferelay.db").exists(), "default SQLite file created");
    // With no setting at all the generated keys go to the user's data folder, private,
    // not next to the database.
    let keys = dir.path().join("home/.local/share/saferelay/keys.json");
    assert!(keys.exists(), "key file in the data folder");
    let mode =
        |p: &std::path::Path| std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(p).unwrap().permissions());
    assert_eq!(mode(&keys) & 0o777, 0o600);
    assert_eq!(mode(keys.parent().unwrap()) & 0o777, 0o700);
    assert!(!dir.path().join("saferelay-keys.json").exists() && !dir.path().join("keys.json").exists());

    let client = reqwest::Client::new();
    let resp = client
        .post(format!("http://127.0.0.1:{port}/api/v1/auth/login"))
        .json(&json!({"email": "admin@saferelay.local", "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    child.kill().unwrap();
    child.wait().unwrap();

    // A second start finds an account and prints no password.
    let out = base_command(dir.path()).arg("migrate").output().unwrap();
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stdout).contains("One-time password"));
}

#[test]
fn create_admin_reads_the_password_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = base_command(dir.path())
        .args(["create-admin", "--email", "Chief@Example.be", "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"a long enough passphrase\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("created admin chief@example.be"));
    assert!(!stdout.contains("passphrase"));

    let mut short = base_command(dir.path())
        .args(["create-admin", "--email", "other@example.be", "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    short.stdin.take().unwrap().write_all(b"short\n").unwrap();
    assert!(!short.wait().unwrap().success());
}

/// The README walkthrough, run for real: `saferelay demo`, `saferelay serve`, then
/// `scripts/walkthrough.sh` (curl) against it. The README embeds that script.
#[test]
fn the_readme_walkthrough_runs_end_to_end() {
    let root = env!("CARGO_MANIFEST_DIR");
    let script = std::fs::read_to_string(format!("{root}/scripts/walkthrough.sh")).unwrap();
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let body: String = script.lines().skip_while(|l| l.starts_with('#')).collect::<Vec<_>>().join("\n");
    assert!(readme.contains(body.trim()), "README.md must embed scripts/walkthrough.sh verbatim (after its header)");

    let dir = tempfile::tempdir().unwrap();
    let demo = base_command(dir.path()).arg("demo").output().unwrap();
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    let creds = String::from_utf8_lossy(&demo.stdout).to_string();
    let password_of = |email: &str| -> String {
        creds.lines().find(|l| l.contains(email)).and_then(|l| l.split_whitespace().nth(2)).unwrap().to_string()
    };

    let mut server = base_command(dir.path()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let port = listening_port(&mut server).expect("server listening");
    let out = Command::new("bash")
        .arg(format!("{root}/scripts/walkthrough.sh"))
        .env("BASE", format!("http://127.0.0.1:{port}"))
        .env("PHARMACIST_PW", password_of("pharmacist@demo"))
        .env("OPERATOR_PW", password_of("operator.evc@demo"))
        .output()
        .unwrap();
    server.kill().unwrap();
    server.wait().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "walkthrough failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[2..], ["in_progress", "+32470123456", "reached", "completed", "completed"], "{stdout}");
}

// ---------------------------------------------------------------------------
// `saferelay import-relays FILE --programme CODE [--dry-run]`, run for real against
// the database of a running app (SQLite file or PostgreSQL database).

const RELAY_HEADER: &str = "external_id,kind,name,address,postcode,municipality,region,languages,active\n";

/// Runs `saferelay import-relays` on `app`'s database; returns (success, stdout, stderr).
async fn import_relays(app: &TestApp, args: &[&str]) -> (bool, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = base_command(dir.path());
    cmd.env("SAFERELAY_DATABASE_URL", &app.database_url).env("SAFERELAY_LOG_LEVEL", "warn").arg("import-relays");
    cmd.args(args);
    let out = tokio::process::Command::from(cmd).output().await.unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn write_csv(dir: &std::path::Path, name: &str, rows: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, format!("{RELAY_HEADER}{rows}")).unwrap();
    path.display().to_string()
}

/// Names of the programme's relay points, as the API lists them to its manager.
async fn relay_names(app: &TestApp, manager: &str) -> Vec<String> {
    let list: Value = app.get("/api/v1/relay-points", manager).await.json().await.unwrap();
    list["items"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_string()).collect()
}

crate::on_both_backends!(
    cli_import_relays_creates_updates_and_reports,
    cli_import_relays_dry_run_writes_nothing,
    cli_import_relays_with_a_row_error_exits_non_zero_and_writes_nothing,
    cli_import_relays_refuses_an_unknown_programme_and_an_unreadable_file,
);

async fn cli_import_relays_creates_updates_and_reports(app: TestApp) {
    let admin = app.admin_token().await;
    let m = app.programme_with_manager(&admin, "wal-pharma", "fr").await;
    let files = tempfile::tempdir().unwrap();
    let good = write_csv(
        files.path(),
        "relays.csv",
        "APB-1,pharmacy,Pharmacie du Pont,Rue du Pont 1,4000,Liège,,fr,true\n\
         APB-2,pharmacy,Apotheek Centrum,Markt 2,9000,Gent,,nl;fr,\n",
    );
    let (ok, stdout, stderr) = import_relays(&app, &[&good, "--programme", "wal-pharma"]).await;
    assert!(ok, "{stdout}\n{stderr}");
    assert!(stdout.contains("rows: 2, created: 2, updated: 0, unchanged: 0, errors: 0"), "{stdout}");
    assert!(stdout.contains("programme wal-pharma"), "{stdout}");
    assert_eq!(app.count("relay_points"), 2);
    assert_eq!(relay_names(&app, &m.manager).await, ["Apotheek Centrum", "Pharmacie du Pont"]);
    // Imported rows belong to the programme, with their region derived from the postcode.
    assert_eq!(app.count(&format!("relay_points WHERE programme_id = '{}' AND region = 'flanders'", m.programme)), 1);

    // The same file again changes nothing; a changed row is updated, a new one created.
    let (ok, stdout, _) = import_relays(&app, &[&good, "--programme", "wal-pharma"]).await;
    assert!(ok);
    assert!(stdout.contains("rows: 2, created: 0, updated: 0, unchanged: 2, errors: 0"), "{stdout}");
    let changed = write_csv(
        files.path(),
        "changed.csv",
        "APB-1,pharmacy,Pharmacie du Pont (nouvelle adresse),Rue du Pont 3,4000,Liège,,fr,true\n\
         APB-2,pharmacy,Apotheek Centrum,Markt 2,9000,Gent,,nl;fr,\n\
         APB-3,hairdresser,Salon Nova,Rue 3,5000,Namur,,fr,\n",
    );
    let (ok, stdout, _) = import_relays(&app, &["--programme", "wal-pharma", &changed]).await;
    assert!(ok);
    assert!(stdout.contains("rows: 3, created: 1, updated: 1, unchanged: 1, errors: 0"), "{stdout}");
    assert_eq!(
        relay_names(&app, &m.manager).await,
        ["Apotheek Centrum", "Pharmacie du Pont (nouvelle adresse)", "Salon Nova"]
    );
}

async fn cli_import_relays_dry_run_writes_nothing(app: TestApp) {
    let admin = app.admin_token().await;
    let m = app.programme_with_manager(&admin, "wal-pharma", "fr").await;
    let files = tempfile::tempdir().unwrap();
    let good = write_csv(files.path(), "relays.csv", "APB-1,pharmacy,Pharmacie du Pont,Rue 1,4000,Liège,,fr,\n");
    let (ok, stdout, stderr) = import_relays(&app, &[&good, "--programme", "wal-pharma", "--dry-run"]).await;
    assert!(ok, "{stdout}\n{stderr}");
    assert!(stdout.contains("rows: 1, created: 1, updated: 0, unchanged: 0, errors: 0"), "{stdout}");
    assert!(stdout.contains("dry run, nothing written"), "{stdout}");
    assert_eq!(app.count("relay_points"), 0);
    assert!(relay_names(&app, &m.manager).await.is_empty());
}

async fn cli_import_relays_with_a_row_error_exits_non_zero_and_writes_nothing(app: TestApp) {
    let admin = app.admin_token().await;
    app.programme_with_manager(&admin, "wal-pharma", "fr").await;
    let files = tempfile::tempdir().unwrap();
    let bad = write_csv(
        files.path(),
        "bad.csv",
        "APB-1,pharmacy,Pharmacie du Pont,Rue 1,4000,Liège,,fr,\n\
         APB-2,bakery,Boulangerie,Rue 2,5000,Namur,,fr,\n\
         APB-3,pharmacy,Pharmacie Sud,Rue 3,99,Mons,,fr,yes\n",
    );
    for extra in [None, Some("--dry-run")] {
        let mut args = vec![bad.as_str(), "--programme", "wal-pharma"];
        args.extend(extra);
        let (ok, stdout, stderr) = import_relays(&app, &args).await;
        assert!(!ok, "{args:?} must fail: {stdout}");
        // Every error, by row (as a spreadsheet numbers it) and column, the way the HTTP report has them.
        assert!(stdout.contains("errors: 2"), "{stdout}");
        assert!(stdout.contains("(refused, nothing written)"), "{stdout}");
        assert!(stdout.contains("row 3, column kind: "), "{stdout}");
        assert!(stdout.contains("row 4, column postcode: "), "{stdout}");
        assert!(stderr.contains("nothing was written"), "{stderr}");
        assert_eq!(app.count("relay_points"), 0, "all or nothing ({args:?})");
    }
    // A header problem is row 1.
    let path = files.path().join("header.csv");
    std::fs::write(&path, "external_id,kind,colour\n").unwrap();
    let (ok, stdout, _) = import_relays(&app, &[path.to_str().unwrap(), "--programme", "wal-pharma"]).await;
    assert!(!ok);
    assert!(stdout.contains("row 1, column colour: unknown column"), "{stdout}");
    assert_eq!(app.count("relay_points"), 0);
}

async fn cli_import_relays_refuses_an_unknown_programme_and_an_unreadable_file(app: TestApp) {
    let admin = app.admin_token().await;
    app.programme_with_manager(&admin, "wal-pharma", "fr").await;
    let files = tempfile::tempdir().unwrap();
    let good = write_csv(files.path(), "relays.csv", "APB-1,pharmacy,Pharmacie du Pont,Rue 1,4000,Liège,,fr,\n");
    let (ok, _, stderr) = import_relays(&app, &[&good, "--programme", "no-such-programme"]).await;
    assert!(!ok);
    assert!(stderr.contains("no programme with code \"no-such-programme\""), "{stderr}");
    let (ok, _, stderr) = import_relays(&app, &[&good, "--programme", "no-such-programme", "--dry-run"]).await;
    assert!(!ok, "{stderr}");

    let missing = files.path().join("missing.csv");
    let (ok, _, stderr) = import_relays(&app, &[missing.to_str().unwrap(), "--programme", "wal-pharma"]).await;
    assert!(!ok);
    assert!(stderr.contains("missing.csv"), "{stderr}");
    let latin1 = files.path().join("latin1.csv");
    std::fs::write(&latin1, b"external_id,kind,name,address,postcode,municipality,region,languages,active\nA,pharmacy,Li\xe8ge,R,4000,L,,fr,\n").unwrap();
    let (ok, _, stderr) = import_relays(&app, &[latin1.to_str().unwrap(), "--programme", "wal-pharma"]).await;
    assert!(!ok);
    assert!(stderr.contains("not UTF-8"), "{stderr}");
    assert_eq!(app.count("relay_points"), 0);
}
