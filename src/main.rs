//! The `saferelay` command: serve (default), migrate, create-admin, import-relays,
//! remind, purge, rotate-keys, openapi, demo.

use saferelay::domain::{Email, StaffLanguage};
use saferelay::domain::{Role, Scope};
use std::io::Read;

use anyhow::Context;
use clap::{Parser, Subcommand};
use saferelay::config::Settings;
use saferelay::startup::{self, Application};
use saferelay::users::service::{NewAccount, insert_account};

#[derive(Parser)]
#[command(name = "saferelay", version, about = "SafeRelay: Mask-19 relay signals to helplines")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP server (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create an admin account; prints a generated password once, or reads one
    /// from standard input with --password-stdin.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Import relay points from a CSV file into a programme, with the same checks and
    /// report as the HTTP import: all or nothing, matched on external_id. Exits
    /// non-zero (writing nothing) if any row has an error.
    ImportRelays {
        /// The CSV file (header: external_id,kind,name,address,postcode,municipality,region,languages,active).
        file: std::path::PathBuf,
        /// Code of the programme to import into, e.g. be-wal-pharma.
        #[arg(long)]
        programme: String,
        /// Check every row and report what would be done; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Print the OpenAPI document (the content of openapi.yaml).
    Openapi,
    /// Seed a small demo network and print every demo credential.
    Demo,
    /// Run the training-reminder job now: e-mails staff whose required training
    /// expires within 30 days (once per expiry) and the weekly manager digests.
    Remind {
        /// Run as if today were this date (YYYY-MM-DD); default today (UTC).
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
    },
    /// Run the retention job now: destroys contacts of closed and too-old signals
    /// (which expire), warns supervisors 24 hours before, minimises closed signals,
    /// rolls old months up, purges idempotency, audit and delivery records. Prints
    /// the counts.
    Purge,
    /// Re-wrap every sealed value (contacts, TOTP secrets, webhook secrets, the
    /// idempotency fingerprint key) under the newest master key, in batches; safe
    /// beside a running server and resumable. Prints, per purpose and key, how many
    /// rows each master key wraps before and after; an old key can be dropped once
    /// nothing depends on it. Exits non-zero if some rows could not be re-wrapped.
    RotateKeys {
        /// Rows re-wrapped per transaction.
        #[arg(long, default_value_t = 200)]
        batch: i64,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Some(Command::Openapi) = cli.command {
        print!("{}", saferelay::openapi::yaml().map_err(anyhow::Error::msg)?);
        return Ok(());
    }
    let settings = Settings::load().map_err(|e| anyhow::anyhow!("configuration: {e}"))?;
    saferelay::telemetry::init(settings.log_format, &settings.log_level);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => serve(settings).await,
            Command::Migrate => {
                startup::connect_and_migrate(&settings).await?;
                println!("database is up to date");
                Ok(())
            }
            Command::CreateAdmin { email, password_stdin } => create_admin(settings, &email, password_stdin).await,
            Command::ImportRelays { file, programme, dry_run } => {
                import_relays(settings, &file, programme, dry_run).await
            }
            Command::Remind { as_of } => remind(settings, as_of).await,
            Command::Purge => purge(settings).await,
            Command::RotateKeys { batch } => rotate_keys(settings, batch).await,
            Command::Openapi => Ok(()),
            Command::Demo => demo(settings).await,
        }
    })
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let app = Application::build(settings).await?;
    if let Some((email, password)) = &app.bootstrap_admin {
        // Printed once, to the console only (not the log), so a newcomer can sign in.
        println!(
            "\n  First start: created admin account {email}\n  One-time password: {password}\n  Sign in and create named accounts; keep this password out of shared places.\n"
        );
    }
    tracing::info!(port = app.port(), "listening");
    app.run_until_stopped().await.context("server stopped with an error")
}

async fn import_relays(settings: Settings, file: &std::path::Path, code: String, dry_run: bool) -> anyhow::Result<()> {
    use saferelay::relays::{import, service};
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    // Spreadsheets often save with a byte-order mark; it is not part of the header.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes[..]);
    let text = String::from_utf8(bytes.to_vec()).map_err(|_| anyhow::anyhow!("{} is not UTF-8", file.display()))?;
    let db = startup::connect_and_migrate(&settings).await?;
    let programme = service::find_programme_by_code(&db, code.clone())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .ok_or_else(|| anyhow::anyhow!("no programme with code {code:?}"))?;
    // A dry run first: it reports every row error (a real run over a file with
    // errors only refuses it); the real run, all or nothing, follows if it is clean.
    let checked =
        import::import_relays(&db, programme.id, text.clone(), true).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let report = if dry_run || !checked.errors.is_empty() {
        checked
    } else {
        import::import_relays(&db, programme.id, text, false).await.map_err(|e| anyhow::anyhow!("{e}"))?
    };
    let written = match (report.errors.is_empty(), dry_run) {
        (false, _) => "refused, nothing written",
        (true, true) => "dry run, nothing written",
        (true, false) => "written",
    };
    println!("programme {}: {} ({written})", programme.code, file.display());
    println!(
        "rows: {}, created: {}, updated: {}, unchanged: {}, errors: {}",
        report.rows,
        report.created,
        report.updated,
        report.unchanged,
        report.errors.len()
    );
    for e in &report.errors {
        println!("row {}, column {}: {}", e.row, e.field, e.message);
    }
    anyhow::ensure!(
        report.errors.is_empty(),
        "{} error(s) in {}; nothing was written",
        report.errors.len(),
        file.display()
    );
    Ok(())
}

async fn remind(settings: Settings, as_of: Option<chrono::NaiveDate>) -> anyhow::Result<()> {
    let db = startup::connect_and_migrate(&settings).await?;
    let mailer = saferelay::mail::Mailer::from_settings(&settings)?;
    let today = as_of.unwrap_or_else(saferelay::domain::today);
    let report = saferelay::training::reminders::run(&db, &mailer, today)
        .await
        .map_err(|e| anyhow::anyhow!("reminder job: {e}"))?;
    println!(
        "reminders sent: {}, digests sent: {}, failed sends: {}",
        report.reminders_sent, report.digests_sent, report.failures
    );
    anyhow::ensure!(report.failures == 0, "some e-mails could not be sent; they will be retried on the next run");
    Ok(())
}

async fn purge(settings: Settings) -> anyhow::Result<()> {
    let db = startup::connect_and_migrate(&settings).await?;
    let mailer = saferelay::mail::Mailer::from_settings(&settings)?;
    let policy = saferelay::retention::Policy::from_settings(&settings);
    let r = saferelay::retention::run(&db, &mailer, &policy, saferelay::db::now())
        .await
        .map_err(|e| anyhow::anyhow!("retention job: {e}"))?;
    println!(
        "contacts destroyed: {}, expiry warnings: {}, expired: {}, minimised: {}, rolled up: {}, idempotency records purged: {}, audit rows purged: {}, deliveries purged: {}, coverage rows recorded: {}",
        r.contacts_destroyed,
        r.expiry_warnings,
        r.expired,
        r.minimised,
        r.rolled_up,
        r.idempotency_purged,
        r.audit_purged,
        r.deliveries_purged,
        r.coverage_recorded
    );
    anyhow::ensure!(
        r.warning_failures == 0,
        "some expiry warnings could not be sent; they will be retried on the next run"
    );
    Ok(())
}

async fn rotate_keys(settings: Settings, batch: i64) -> anyhow::Result<()> {
    let db = startup::connect_and_migrate(&settings).await?;
    let (_, keys) = startup::load_keys(&settings)?;
    let keys = std::sync::Arc::new(keys);
    let report = saferelay::rotation::service::rotate(&db, &keys, batch).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("newest master key: {}", keys.current_key_id());
    println!("before:");
    report.before.lines(&keys).iter().for_each(|l| println!("{l}"));
    if report.sealed_plaintext > 0 {
        println!("webhook secrets stored in plaintext, now sealed: {}", report.sealed_plaintext);
    }
    let rewrapped: Vec<String> = report.rewrapped.iter().map(|(p, n)| format!("{p} {n}")).collect();
    println!("re-wrapped: {}", rewrapped.join(", "));
    println!("after:");
    report.after.lines(&keys).iter().for_each(|l| println!("{l}"));
    let mut old: Vec<String> = keys.key_ids().iter().skip(1).cloned().collect();
    old.extend(report.after.key_ids().into_iter().filter(|k| !keys.key_ids().contains(k)));
    for key_id in old {
        match report.after.rows_on(&key_id) {
            0 => println!("key {key_id}: nothing depends on it any more; it can be dropped"),
            n => println!("key {key_id}: {n} rows still depend on it; keep it"),
        }
    }
    println!("rows still to re-wrap: {}", report.after.pending(keys.current_key_id()));
    let unreadable: usize = report.unreadable.values().sum();
    for ((purpose, key_id), n) in &report.unreadable {
        println!("could not re-wrap: {purpose} under key {key_id}: {n} rows (is that key configured?)");
    }
    anyhow::ensure!(unreadable == 0, "{unreadable} rows could not be re-wrapped; the rest was");
    Ok(())
}

async fn create_admin(settings: Settings, email: &str, password_stdin: bool) -> anyhow::Result<()> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("{}", e.message))?;
    let password = if password_stdin {
        let mut buf = String::new();
        std::io::stdin().read_to_string(&mut buf)?;
        let pw = buf.trim_end_matches(['\n', '\r']).to_string();
        anyhow::ensure!(pw.chars().count() >= 12, "the password must have at least 12 characters");
        pw
    } else {
        saferelay::crypto::password::generate_password()
    };
    let db = startup::connect_and_migrate(&settings).await?;
    let hasher = saferelay::crypto::password::PasswordHasher::new(1).map_err(|e| anyhow::anyhow!("{e}"))?;
    let hash = hasher.hash(password.clone()).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let account =
        NewAccount::new(email, Role::Admin, Scope::default(), StaffLanguage::En).map_err(|e| anyhow::anyhow!("{e}"))?;
    let user = db.write(move |c| insert_account(c, account, &hash)).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("created admin {} ({})", user.email.as_str(), user.id);
    if !password_stdin {
        println!("one-time password: {password}");
    }
    Ok(())
}

async fn demo(settings: Settings) -> anyhow::Result<()> {
    let state = startup::build_state(settings).await?;
    if let Some((email, password)) = startup::bootstrap_admin(&state).await? {
        println!("admin                {email:<42} {password}   (first admin of this database)");
    }
    let creds = saferelay::demo::seed(&state).await.map_err(|e| match e {
        saferelay::http::error::AppError::Conflict(_) => {
            anyhow::anyhow!("the demo network already exists in this database")
        }
        other => anyhow::anyhow!("{other}"),
    })?;
    println!("Demo network created. Sign in with (shown once):\n");
    for c in creds {
        println!("{:<20} {:<42} {}   ({})", c.role.as_str(), c.email, c.password, c.note);
    }
    Ok(())
}
