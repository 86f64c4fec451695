//! The `saferelay` binary: first start prints the admin's one-time password;
//! `create-admin` reads a password from standard input.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;

const BIN: &str = env!("CARGO_BIN_EXE_saferelay");

fn base_command(dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("SAFERELAY_PORT", "0")
        .env("SAFERELAY_LOG_LEVEL", "info");
    cmd
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
    let stdout = server.stdout.take().unwrap();
    let mut port = None;
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line)
            && v["message"] == "listening"
        {
            port = v["port"].as_u64();
            break;
        }
    }
    let port = port.expect("server listening");
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
