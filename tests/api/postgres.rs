//! A throwaway PostgreSQL cluster for the test binary, started from the installed
//! server binaries (as the `postgres` user when the tests run as root, since
//! PostgreSQL refuses root), or `SAFERELAY_TEST_DATABASE_URL` when set. Each test
//! gets its own database. A watchdog shell stops the cluster and deletes its
//! files when this test process exits (it holds the watchdog's stdin open).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use diesel::prelude::*;

struct Cluster {
    /// URL of the maintenance database; test databases are created beside it.
    admin_url: String,
    _watchdog: Option<Mutex<ChildStdin>>,
}

static CLUSTER: OnceLock<Option<Cluster>> = OnceLock::new();

/// URL of a fresh, empty database, or `None` when PostgreSQL is unavailable
/// (then the PostgreSQL half of the suite is skipped, loudly, unless
/// `SAFERELAY_REQUIRE_POSTGRES=1`, as in CI, which makes it a failure).
pub fn fresh_database() -> Option<String> {
    let cluster = CLUSTER.get_or_init(start).as_ref()?;
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    let mut conn = PgConnection::establish(&cluster.admin_url).expect("connect to test cluster");
    diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut conn).expect("create test database");
    let base = cluster.admin_url.rsplit_once('/').expect("url with database").0;
    Some(format!("{base}/{name}"))
}

/// Drops a test database, terminating its connections (simulates an outage).
pub fn drop_database(url: &str) {
    let cluster = CLUSTER.get().and_then(Option::as_ref).expect("cluster running");
    let name = url.rsplit('/').next().expect("database name");
    let mut conn = PgConnection::establish(&cluster.admin_url).expect("connect to test cluster");
    diesel::sql_query(format!("DROP DATABASE {name} WITH (FORCE)")).execute(&mut conn).expect("drop test database");
}

fn skip(why: &str) -> Option<Cluster> {
    if std::env::var("SAFERELAY_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
        panic!("PostgreSQL is required (SAFERELAY_REQUIRE_POSTGRES=1) but unavailable: {why}");
    }
    // Written to the real stderr, not the captured test output, so it shows.
    let _ = writeln!(std::io::stderr(), "\n*** PostgreSQL tests SKIPPED: {why} ***\n");
    None
}

fn start() -> Option<Cluster> {
    if let Ok(url) = std::env::var("SAFERELAY_TEST_DATABASE_URL") {
        return Some(Cluster { admin_url: url, _watchdog: None });
    }
    let Some(bin) = find_bin_dir() else {
        return skip(
            "no PostgreSQL server binaries (initdb) found; install the `postgresql` package or set SAFERELAY_TEST_DATABASE_URL",
        );
    };
    match start_cluster(&bin) {
        Ok(cluster) => Some(cluster),
        Err(e) => skip(&format!("could not start a cluster from {}: {e}", bin.display())),
    }
}

fn find_bin_dir() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("SAFERELAY_PG_BIN") {
        return Some(PathBuf::from(dir));
    }
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("initdb").exists())
        .collect();
    dirs.sort();
    dirs.pop()
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// The command prefix that runs a program as the unprivileged `postgres` user.
fn as_postgres(root: bool) -> Vec<String> {
    if root {
        ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"].map(String::from).to_vec()
    } else {
        Vec::new()
    }
}

fn run(prefix: &[String], program: &Path, args: &[&str]) -> Result<(), String> {
    let mut cmd = if prefix.is_empty() { Command::new(program) } else { Command::new(&prefix[0]) };
    if !prefix.is_empty() {
        cmd.args(&prefix[1..]).arg(program);
    }
    let out = cmd.args(args).output().map_err(|e| format!("{}: {e}", program.display()))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("{} failed: {}", program.display(), String::from_utf8_lossy(&out.stderr)))
    }
}

fn start_cluster(bin: &Path) -> Result<Cluster, String> {
    let root = is_root();
    let dir = std::env::temp_dir().join(format!("saferelay-pg-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    if root {
        let exists = Command::new("id").arg("postgres").output().is_ok_and(|o| o.status.success());
        if !exists {
            run(
                &[],
                Path::new("useradd"),
                &["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"],
            )?;
        }
        run(&[], Path::new("chown"), &["postgres:", dir.to_str().ok_or("path")?])?;
    }
    let prefix = as_postgres(root);
    let data = dir.join("data");
    let data_s = data.to_str().ok_or("path")?;
    run(
        &prefix,
        &bin.join("initdb"),
        &["-D", data_s, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "-N"],
    )?;
    let port =
        std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();

    // Test speed over durability: this cluster lives for one test run.
    let postgres = format!(
        "{} {}/postgres -D {data_s} -c listen_addresses=127.0.0.1 -p {port} -k {dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400",
        prefix.join(" "),
        bin.display(),
        dir = dir.display(),
    );
    let script = format!(
        "{postgres} >{dir}/server.log 2>&1 & pid=$!; cat >/dev/null; kill -INT $pid; wait $pid; rm -rf {dir}",
        dir = dir.display()
    );
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let stdin = child.stdin.take().ok_or("no stdin")?;

    let admin_url = format!("postgres://postgres@127.0.0.1:{port}/postgres");
    let deadline = Instant::now() + Duration::from_secs(30);
    while PgConnection::establish(&admin_url).is_err() {
        if Instant::now() > deadline {
            let log = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
            return Err(format!("server did not accept connections: {log}"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(Cluster { admin_url, _watchdog: Some(Mutex::new(stdin)) })
}

/// A cluster of its own, for a test that stops and starts the server.
pub struct Dedicated {
    prefix: Vec<String>,
    bin: PathBuf,
    dir: PathBuf,
    pub port: u16,
}

impl Dedicated {
    /// `None` when PostgreSQL binaries are unavailable (or an external server is
    /// used), with the same skip rules as the shared cluster.
    pub fn start() -> Option<Self> {
        if std::env::var("SAFERELAY_TEST_DATABASE_URL").is_ok() {
            let _ = writeln!(
                std::io::stderr(),
                "\n*** restart test SKIPPED: an external PostgreSQL cannot be restarted ***\n"
            );
            return None;
        }
        let Some(bin) = find_bin_dir() else { return skip("no PostgreSQL server binaries").map(|_| unreachable!()) };
        let root = is_root();
        let dir = std::env::temp_dir().join(format!("saferelay-pgd-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("cluster dir");
        if root {
            run(&[], Path::new("chown"), &["postgres:", dir.to_str().expect("path")]).expect("chown");
        }
        let prefix = as_postgres(root);
        let data = dir.join("data");
        run(
            &prefix,
            &bin.join("initdb"),
            &["-D", data.to_str().expect("path"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "-N"],
        )
        .expect("initdb");
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("port").port();
        let cluster = Self { prefix, bin, dir, port };
        cluster.up();
        let mut conn = PgConnection::establish(&cluster.url("postgres")).expect("connect");
        diesel::sql_query("CREATE DATABASE app").execute(&mut conn).expect("create database");
        Some(cluster)
    }

    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    fn pg_ctl(&self, args: &[&str]) {
        let data = self.dir.join("data");
        let mut all = vec!["-D", data.to_str().expect("path"), "-w"];
        all.extend_from_slice(args);
        run(&self.prefix, &self.bin.join("pg_ctl"), &all).expect("pg_ctl");
    }

    /// Starts (or restarts) the server and waits until it accepts connections.
    pub fn up(&self) {
        let log = self.dir.join("server.log");
        let opts = format!("-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off", self.port, self.dir.display());
        self.pg_ctl(&["-l", log.to_str().expect("path"), "-o", &opts, "start"]);
    }

    /// Stops the server (fast shutdown: connections are cut).
    pub fn down(&self) {
        self.pg_ctl(&["-m", "fast", "stop"]);
    }
}

impl Drop for Dedicated {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        let _ = run(
            &self.prefix,
            &self.bin.join("pg_ctl"),
            &["-D", data.to_str().unwrap_or(""), "-m", "immediate", "stop"],
        );
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
