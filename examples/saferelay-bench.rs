//! The Rust half of `bench/run.sh` (issue 8): what a load generator cannot do.
//! Not part of the server: an example target, built by `cargo build --release
//! --example saferelay-bench` and driven by the script.
//!
//! - `ceiling`: the intake transaction (signal, sealed contact, outbox row,
//!   idempotency record, with the same idempotency checks) issued in a loop by bare
//!   diesel connections opened exactly as the server opens them (same PRAGMAs).
//! - `relays`: clones the demo pharmacy and its staff member into N relay points with
//!   one staff member each (so the per-relay rate limit does not dominate), signs
//!   them in over HTTP and writes their access tokens, one a line.
//! - `paced`: an open-loop constant-rate client for `POST /api/v1/signals`; latency
//!   is measured from each request's scheduled send time (no coordinated omission).
//! - `seed`: stores N signals through one SQL statement; `queue`: sequential
//!   `GET /api/v1/cases` and its latency percentiles; `explain`: the queue query plan.
//!
//! Results are printed as `RESULT name value` lines for the script.

// A benchmark tool: aborting on an unexpected error is the right behaviour, and
// `expect` messages say which step failed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use diesel::prelude::*;
use diesel::sql_types::{Text, Timestamp};
use futures_util::StreamExt;
use saferelay::db::{AnyConnection, Backend, DatabaseUrl};
use saferelay::domain::{HelplineId, Language, Region, RelayKind, RelayPointId, SignalId, TrainingStatus, UserId};
use saferelay::signals::model::{Filing, Signal, Urgency};
use saferelay::signals::store::{self, IdempotencyRecord, NewOutboxRow, SignalContact};

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    Ceiling {
        #[arg(long)]
        db: String,
        #[arg(long, default_value_t = 1)]
        clients: usize,
        #[arg(long, default_value_t = 5.0)]
        secs: f64,
    },
    Relays {
        #[arg(long)]
        db: String,
        #[arg(long)]
        base: String,
        #[arg(long)]
        password: String,
        #[arg(long, default_value_t = 500)]
        n: usize,
        #[arg(long)]
        out: String,
    },
    Paced {
        #[arg(long)]
        base: String,
        #[arg(long)]
        tokens: String,
        #[arg(long)]
        rate: f64,
        #[arg(long, default_value_t = 10.0)]
        secs: f64,
    },
    /// Signals number `from..from+n` (so that several calls add up).
    Seed {
        #[arg(long)]
        db: String,
        #[arg(long, default_value_t = 1_000_000)]
        n: i64,
        #[arg(long, default_value_t = 1)]
        from: i64,
    },
    Queue {
        #[arg(long)]
        base: String,
        #[arg(long)]
        token: String,
        #[arg(long, default_value_t = 1000)]
        n: usize,
        #[arg(long, default_value = "")]
        query: String,
    },
    Explain {
        #[arg(long)]
        db: String,
    },
    /// The impact figures' data: relay points 1..=`relays` in the demo pharmacy's
    /// programme (those already there are kept) with three staff members each and
    /// their training, then `n` closed signals spread over the last 12 months across
    /// them and a year of daily coverage snapshots (none when `n` is 0).
    ImpactSeed {
        #[arg(long)]
        db: String,
        #[arg(long, default_value_t = 20_000)]
        relays: i64,
        #[arg(long, default_value_t = 1_000_000)]
        n: i64,
    },
    /// Signs a programme manager in to the console and times each page, `n`
    /// sequential requests after two warm-up ones: `--page name=/console/path`.
    Console {
        #[arg(long)]
        base: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        password: String,
        #[arg(long, default_value_t = 20)]
        n: usize,
        #[arg(long = "page", required = true)]
        pages: Vec<String>,
    },
}

const EVC: &str = "00000000-0000-4000-8000-000000030030";
const H1712: &str = "00000000-0000-4000-8000-000000001712";

fn connect(url: &str) -> (AnyConnection, Backend) {
    let url = DatabaseUrl::parse(url).expect("database URL");
    (url.connect().expect("connect"), url.backend())
}

fn now() -> chrono::NaiveDateTime {
    saferelay::db::now()
}

#[derive(QueryableByName)]
struct OneText {
    #[diesel(sql_type = Text)]
    v: String,
}

fn one_text(c: &mut AnyConnection, sql: &str) -> String {
    diesel::sql_query(sql).get_result::<OneText>(c).expect(sql).v
}

/// A valid signal reference (`K7Q-2XPA`: six characters of the reference alphabet
/// and the check character) computed in SQL from the integer expression `x`
/// (unique below 32^6); the same text on both backends. Signals filed during the
/// run draw theirs at random from the same 32^6, so the seeding statements skip
/// the few rows whose reference is already taken (`ON CONFLICT DO NOTHING`).
fn reference_sql(x: &str) -> String {
    const ALPHABET: &str = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let digit = |i: u32| format!("((({x}) / {}) % 32)", 32_i64.pow(i));
    let char_of = |e: String| format!("substr('{ALPHABET}', CAST({e} AS INTEGER) + 1, 1)");
    let weighted = (0..6).map(|i| format!("{} * {}", digit(i), if i % 2 == 0 { 1 } else { 3 })).collect::<Vec<_>>();
    let check = format!("((32 - ({}) % 32) % 32)", weighted.join(" + "));
    let body: Vec<String> = (0..6).map(|i| char_of(digit(i))).collect();
    format!(
        "{} || {} || {} || '-' || {} || {} || {} || {}",
        body[0],
        body[1],
        body[2],
        body[3],
        body[4],
        body[5],
        char_of(check)
    )
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    match Cli::parse().cmd {
        Cmd::Ceiling { db, clients, secs } => ceiling(&db, clients, secs),
        Cmd::Relays { db, base, password, n, out } => relays(&db, &base, &password, n, &out),
        Cmd::Paced { base, tokens, rate, secs } => paced(&base, &tokens, rate, secs),
        Cmd::Seed { db, n, from } => seed(&db, n, from),
        Cmd::Queue { base, token, n, query } => queue(&base, &token, n, &query),
        Cmd::Explain { db } => explain(&db),
        Cmd::ImpactSeed { db, relays, n } => impact_seed(&db, relays, n),
        Cmd::Console { base, email, password, n, pages } => console(&base, &email, &password, n, &pages),
    }
}

// ---- raw ceiling -------------------------------------------------------------

fn ceiling(db: &str, clients: usize, secs: f64) {
    let (mut c, backend) = connect(db);
    let relay = one_text(&mut c, "SELECT id AS v FROM relay_points ORDER BY created_at LIMIT 1");
    let user = one_text(&mut c, "SELECT id AS v FROM users WHERE role = 'relay_staff' ORDER BY created_at LIMIT 1");
    drop(c);
    let keys =
        Arc::new(saferelay::crypto::MasterKeyRing::new(vec![("bench".into(), vec![7u8; 32])]).expect("key ring"));
    // The same plaintext size as a realistic contact (phone, alias, a safe window, note).
    let contact = br#"{"phone":"+32470987654","alias":"Anna","safe_windows":[{"day":"tue","start":"09:00","end":"11:30"}],"voicemail_ok":false,"note":"prefers a female voice"}"#;
    let response = "x".repeat(900); // about the size of a receipt with its referrals
    let done = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs_f64(secs);
    let start = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|_| {
            let (db, relay, user, keys, response, done) =
                (db.to_string(), relay.clone(), user.clone(), keys.clone(), response.clone(), done.clone());
            std::thread::spawn(move || {
                let (mut c, _) = connect(&db);
                while Instant::now() < deadline {
                    let t = now();
                    let signal_id = SignalId::new();
                    let id = signal_id.to_string();
                    let sealed = keys.seal(saferelay::crypto::Purpose::Contact, contact, id.as_bytes()).expect("seal");
                    let signal = Signal {
                        id: signal_id,
                        ..Signal::received(
                            Filing {
                                relay_point_id: RelayPointId::parse(&relay).expect("relay id"),
                                submitted_by: UserId::parse(&user).expect("user id"),
                                helpline_id: HelplineId::parse(EVC).expect("helpline id"),
                                urgency: Urgency::Standard,
                                language: Language::Fr,
                                region: Region::Wallonia,
                                relay_kind: RelayKind::Pharmacy,
                                relay_training_status: TrainingStatus::Trained,
                                expected_callback_at: t,
                            },
                            t,
                        )
                    };
                    let contact_row = SignalContact {
                        signal_id: id.clone(),
                        key_id: sealed.key_id,
                        wrapped_key: sealed.wrapped_key,
                        ciphertext: sealed.ciphertext,
                        created_at: t,
                        call_windows: None,
                    };
                    let record = IdempotencyRecord {
                        user_id: user.clone(),
                        idem_key: uuid::Uuid::new_v4().to_string(),
                        request_mac: "0".repeat(64),
                        status_code: 201,
                        response_body: response.clone(),
                        created_at: t,
                        expires_at: t + chrono::Duration::hours(24),
                    };
                    // The same statements as intake: the key's read, then the write
                    // (record first, then signal, contact and outbox row).
                    let _ = store::find_idempotency_any(&mut c, &record.user_id, &record.idem_key).expect("key read");
                    let r = c.transaction::<_, diesel::result::Error, _>(|c| {
                        store::insert_idempotency(c, &record)?;
                        store::insert_signal(c, &signal)?;
                        store::insert_contact(c, &contact_row)?;
                        store::insert_outbox(
                            c,
                            &NewOutboxRow {
                                id: uuid::Uuid::new_v4().to_string(),
                                signal_id: &id,
                                helpline_id: EVC,
                                channel: "email",
                                event: "signal.received",
                                priority: 10,
                                // Not "pending": the bench rows are not real work for the outbox worker.
                                status: "cancelled",
                                attempts: 0,
                                next_attempt_at: t,
                                created_at: t,
                                updated_at: t,
                            },
                        )?;
                        Ok(())
                    });
                    match r {
                        Ok(()) => {
                            done.fetch_add(1, Ordering::Relaxed);
                        }
                        // A reference collision (1 in ~10^9 per pair): the server retries too.
                        Err(diesel::result::Error::DatabaseError(
                            diesel::result::DatabaseErrorKind::UniqueViolation,
                            _,
                        )) => {}
                        Err(e) => panic!("ceiling transaction: {e}"),
                    }
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("ceiling thread");
    }
    let n = done.load(Ordering::Relaxed);
    let rate = n as f64 / start.elapsed().as_secs_f64();
    println!("RESULT ceiling_commits_per_s {rate:.0}");
    eprintln!("ceiling: {n} commits with {clients} client(s) on {backend:?} in {secs}s: {rate:.0}/s");
}

// ---- relay points and tokens -------------------------------------------------

fn relays(db: &str, base: &str, password: &str, n: usize, out: &str) {
    let (mut c, _) = connect(db);
    let pharmacy =
        one_text(&mut c, "SELECT relay_point_id AS v FROM users WHERE email = 'pharmacist@demo.saferelay.local'");
    c.transaction::<_, diesel::result::Error, _>(|c| {
        for i in 0..n {
            let rp = uuid::Uuid::new_v4().to_string();
            diesel::sql_query(
                "INSERT INTO relay_points (id, programme_id, external_id, kind, name, address, postcode, municipality, \
                 region, languages, active, created_at, updated_at) \
                 SELECT $1, programme_id, NULL, kind, $2, address, postcode, municipality, region, languages, active, \
                 created_at, updated_at FROM relay_points WHERE id = $3",
            )
            .bind::<Text, _>(&rp)
            .bind::<Text, _>(format!("Bench pharmacy {i}"))
            .bind::<Text, _>(&pharmacy)
            .execute(c)?;
            diesel::sql_query(
                "INSERT INTO users (id, email, password_hash, role, programme_id, relay_point_id, helpline_id, language, \
                 active, created_at, deactivated_at) \
                 SELECT $1, $2, password_hash, role, programme_id, $3, helpline_id, language, active, created_at, NULL \
                 FROM users WHERE email = 'pharmacist@demo.saferelay.local'",
            )
            .bind::<Text, _>(uuid::Uuid::new_v4().to_string())
            .bind::<Text, _>(format!("bench-relay-{i}@bench.saferelay.local"))
            .bind::<Text, _>(&rp)
            .execute(c)?;
        }
        Ok(())
    })
    .expect("cloning relay points");
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let tokens: Vec<String> = rt.block_on(async {
        let client = reqwest::Client::new();
        let url = format!("{base}/api/v1/auth/login");
        // A few sign-ins at a time (the server's hashing queue is bounded), each
        // retried after a 503 from that queue.
        let logins = (0..n).map(|i| {
            let (client, url) = (client.clone(), url.clone());
            let email = format!("bench-relay-{i}@bench.saferelay.local");
            let password = password.to_string();
            async move {
                loop {
                    let r = client
                        .post(&url)
                        .json(&serde_json::json!({"email": email, "password": password}))
                        .send()
                        .await
                        .expect("login");
                    if r.status() == reqwest::StatusCode::SERVICE_UNAVAILABLE {
                        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                        continue;
                    }
                    assert!(r.status().is_success(), "login of {email}: {}", r.status());
                    let v: serde_json::Value = r.json().await.expect("login body");
                    return v["access_token"].as_str().expect("access_token").to_string();
                }
            }
        });
        futures_util::stream::iter(logins).buffered(8).collect::<Vec<_>>().await
    });
    std::fs::write(out, tokens.join("\n") + "\n").expect("writing tokens");
    eprintln!("relays: {n} relay points with one signed-in staff member each");
}

// ---- paced intake client ------------------------------------------------------

fn signal_body(i: u64) -> String {
    let urgency = if i.is_multiple_of(50) { "immediate_danger" } else { "standard" };
    serde_json::json!({
        "phone": format!("0470 {:02} {:02} {:02}", (i / 10000) % 100, (i / 100) % 100, i % 100),
        "alias": "Anna",
        "language": "fr",
        "safe_windows": [{"day": "tue", "start": "09:00", "end": "11:30"}],
        "voicemail_ok": false,
        "urgency": urgency,
        "consent": true,
        "note": "prefers a female voice"
    })
    .to_string()
}

fn paced(base: &str, tokens: &str, rate: f64, secs: f64) {
    let tokens: Arc<Vec<String>> = Arc::new(
        std::fs::read_to_string(tokens)
            .expect("tokens file")
            .lines()
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect(),
    );
    // One client thread: the load generator must not take the server's second core.
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let url = format!("{base}/api/v1/signals");
    let total = (rate * secs) as u64;
    let run_id = uuid::Uuid::new_v4().simple().to_string();
    let (lat, errors, late) = rt.block_on(async move {
        let client = reqwest::Client::builder().pool_max_idle_per_host(256).build().expect("client");
        let start = tokio::time::Instant::now() + Duration::from_millis(50);
        let mut tasks = Vec::with_capacity(total as usize);
        for i in 0..total {
            let at = start + Duration::from_secs_f64(i as f64 / rate);
            let (client, url, tokens, run_id) = (client.clone(), url.clone(), tokens.clone(), run_id.clone());
            tasks.push(tokio::spawn(async move {
                tokio::time::sleep_until(at).await;
                let token = &tokens[(i as usize) % tokens.len()];
                let r = client
                    .post(&url)
                    .bearer_auth(token)
                    .header("idempotency-key", format!("{run_id}-{i}"))
                    .header("content-type", "application/json")
                    .body(signal_body(i))
                    .send()
                    .await;
                let ok = match r {
                    Ok(r) => {
                        let s = r.status().as_u16();
                        let _ = r.bytes().await;
                        s == 201
                    }
                    Err(_) => false,
                };
                // From the scheduled time, so a stalled server cannot hide its queueing.
                (at.elapsed().as_secs_f64() * 1000.0, ok)
            }));
        }
        let mut lat = Vec::with_capacity(tasks.len());
        let mut errors = 0u64;
        for t in tasks {
            let (ms, ok) = t.await.expect("request task");
            if ok { lat.push(ms) } else { errors += 1 }
        }
        let late = start.elapsed().as_secs_f64() - secs;
        (lat, errors, late)
    });
    let mut lat = lat;
    lat.sort_by(f64::total_cmp);
    println!("RESULT paced_p50_ms {:.2}", percentile(&lat, 0.50));
    println!("RESULT paced_p99_ms {:.2}", percentile(&lat, 0.99));
    println!("RESULT paced_errors {errors}");
    eprintln!(
        "paced: {} ok, {errors} failed at {rate:.0}/s for {secs}s (finished {late:.2}s after the schedule); p50 {:.2} ms p99 {:.2} ms max {:.2} ms",
        lat.len(),
        percentile(&lat, 0.5),
        percentile(&lat, 0.99),
        lat.last().copied().unwrap_or(f64::NAN)
    );
}

// ---- 1,000,000 stored signals and the queue listing ------------------------------

fn seed(db: &str, n: i64, from: i64) {
    let (mut c, backend) = connect(db);
    let relay =
        one_text(&mut c, "SELECT relay_point_id AS v FROM users WHERE email = 'pharmacist@demo.saferelay.local'");
    let user = one_text(&mut c, "SELECT id AS v FROM users WHERE email = 'pharmacist@demo.saferelay.local'");
    // Two helplines; one in ten of the signals of the last 23 days still open, the rest
    // closed (2% immediate danger), spread over the last 58 days and all older than two
    // hours, so the rate limiter's window is untouched. Older signals are all closed, as
    // the retention job leaves them (it expires the open ones after the contact
    // retention period), so their months are final.
    let base = now() - chrono::Duration::hours(2);
    let started = Instant::now();
    let sql = match backend {
        Backend::Postgres => format!(
            "INSERT INTO signals (id, reference, relay_point_id, submitted_by, helpline_id, urgency, priority, language, \
             status, region, relay_kind, relay_training_status, expected_callback_at, created_at, updated_at, closed_at, outcome) \
             SELECT md5(x::text)::uuid::text, {reference}, $1, $2, \
               CASE WHEN x % 2 = 0 THEN $4 ELSE $5 END, \
               CASE WHEN x % 50 = 0 THEN 'immediate_danger' ELSE 'standard' END, CASE WHEN x % 50 = 0 THEN 0 ELSE 10 END, \
               'fr', CASE WHEN x % 10 = 0 AND x < 400000 THEN 'received' ELSE 'completed' END, 'wallonia', 'pharmacy', 'trained', \
               $3 - (x * interval '5 seconds'), $3 - (x * interval '5 seconds'), $3 - (x * interval '5 seconds'), \
               CASE WHEN x % 10 = 0 AND x < 400000 THEN NULL ELSE $3 - (x * interval '5 seconds') + interval '1 hour' END, \
               CASE WHEN x % 10 = 0 AND x < 400000 THEN NULL ELSE 'referred_support' END \
             FROM generate_series($7, $7 + $6 - 1) AS x WHERE true ON CONFLICT DO NOTHING",
            reference = reference_sql("x")
        ),
        Backend::Sqlite => format!(
            "WITH RECURSIVE s(x) AS (SELECT ?7 UNION ALL SELECT x + 1 FROM s WHERE x < ?7 + ?6 - 1) \
             INSERT INTO signals (id, reference, relay_point_id, submitted_by, helpline_id, urgency, priority, language, \
             status, region, relay_kind, relay_training_status, expected_callback_at, created_at, updated_at, closed_at, outcome) \
             SELECT printf('%08x-0000-4000-8000-%012x', x, x), {reference}, ?1, ?2, \
               CASE WHEN x % 2 = 0 THEN ?4 ELSE ?5 END, \
               CASE WHEN x % 50 = 0 THEN 'immediate_danger' ELSE 'standard' END, CASE WHEN x % 50 = 0 THEN 0 ELSE 10 END, \
               'fr', CASE WHEN x % 10 = 0 AND x < 400000 THEN 'received' ELSE 'completed' END, 'wallonia', 'pharmacy', 'trained', \
               datetime(?3, '-' || (x * 5) || ' seconds'), datetime(?3, '-' || (x * 5) || ' seconds'), \
               datetime(?3, '-' || (x * 5) || ' seconds'), \
               CASE WHEN x % 10 = 0 AND x < 400000 THEN NULL ELSE datetime(?3, '-' || (x * 5 - 3600) || ' seconds') END, \
               CASE WHEN x % 10 = 0 AND x < 400000 THEN NULL ELSE 'referred_support' END \
             FROM s WHERE true ON CONFLICT DO NOTHING",
            reference = reference_sql("x")
        ),
    };
    diesel::sql_query(sql)
        .bind::<Text, _>(&relay)
        .bind::<Text, _>(&user)
        .bind::<Timestamp, _>(base)
        .bind::<Text, _>(EVC)
        .bind::<Text, _>(H1712)
        .bind::<diesel::sql_types::BigInt, _>(n)
        .bind::<diesel::sql_types::BigInt, _>(from)
        .execute(&mut c)
        .expect("seeding signals");
    if backend == Backend::Postgres {
        // What autovacuum would have done by the time a real table holds a million rows.
        diesel::sql_query("ANALYZE signals").execute(&mut c).expect("analyze");
    }
    eprintln!("seed: {n} signals in {:.1}s", started.elapsed().as_secs_f64());
}

fn impact_seed(db: &str, relays: i64, n: i64) {
    let (mut c, backend) = connect(db);
    let programme = one_text(
        &mut c,
        "SELECT programme_id AS v FROM relay_points WHERE id = \
         (SELECT relay_point_id FROM users WHERE email = 'pharmacist@demo.saferelay.local')",
    );
    let user = one_text(&mut c, "SELECT id AS v FROM users WHERE email = 'pharmacist@demo.saferelay.local'");
    let started = Instant::now();
    // Deterministic ids (relay k, signal x) so that signals can name their relay point.
    let (series, relay_id, signal_id, ago, hex) = match backend {
        Backend::Postgres => (
            "generate_series(1, $2) AS x",
            "lpad(to_hex(x), 8, '0') || '-0000-4000-9000-' || lpad(to_hex(x), 12, '0')",
            "lpad(to_hex(x), 8, '0') || '-0000-4000-a000-' || lpad(to_hex(x), 12, '0')",
            "$3 - (x * interval '31 seconds')",
            "lpad(to_hex(x % $5 + 1), 8, '0') || '-0000-4000-9000-' || lpad(to_hex(x % $5 + 1), 12, '0')",
        ),
        Backend::Sqlite => (
            "s",
            "printf('%08x-0000-4000-9000-%012x', x, x)",
            "printf('%08x-0000-4000-a000-%012x', x, x)",
            "datetime(?3, '-' || (x * 31) || ' seconds')",
            "printf('%08x-0000-4000-9000-%012x', x % ?5 + 1, x % ?5 + 1)",
        ),
    };
    let with = |n: &str| match backend {
        Backend::Postgres => String::new(),
        Backend::Sqlite => format!("WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < {n}) "),
    };
    let p = |i: u8| match backend {
        Backend::Postgres => format!("${i}"),
        Backend::Sqlite => format!("?{i}"),
    };
    let relay_sql = format!(
        "{}INSERT INTO relay_points (id, programme_id, kind, name, address, postcode, municipality, region, languages, active, created_at, updated_at) \
         SELECT {relay_id}, {prog}, CASE WHEN x % 4 = 0 THEN 'hairdresser' ELSE 'pharmacy' END, 'Bench relay ' || x, 'Rue 1', \
           CASE x % 3 WHEN 0 THEN '4000' WHEN 1 THEN '9000' ELSE '1000' END, 'Commune', \
           CASE x % 3 WHEN 0 THEN 'wallonia' WHEN 1 THEN 'flanders' ELSE 'brussels' END, 'fr', {t}, {now}, {now} FROM {series} \
         WHERE true ON CONFLICT DO NOTHING",
        with(&p(2)),
        prog = p(1),
        t = if backend == Backend::Postgres { "true" } else { "1" },
        now = p(3),
    );
    diesel::sql_query(relay_sql)
        .bind::<Text, _>(&programme)
        .bind::<diesel::sql_types::BigInt, _>(relays)
        .bind::<Timestamp, _>(now())
        .execute(&mut c)
        .expect("seeding relay points");
    let outcomes = "CASE x % 8 WHEN 0 THEN 'referred_support' WHEN 1 THEN 'referred_shelter' WHEN 2 THEN 'referred_police' \
                    WHEN 3 THEN 'information_given' WHEN 4 THEN 'declined' WHEN 5 THEN 'unreachable' WHEN 6 THEN 'duplicate' ELSE 'other' END";
    let base = saferelay::stats::model::Month::of(now()).minus(1).start_utc();
    let signal_sql = format!(
        "{}INSERT INTO signals (id, reference, relay_point_id, submitted_by, helpline_id, urgency, priority, language, \
         status, region, relay_kind, relay_training_status, expected_callback_at, created_at, updated_at, first_attempt_at, closed_at, outcome) \
         SELECT {signal_id}, {reference}, {hex}, {user}, CASE WHEN x % 2 = 0 THEN '{EVC}' ELSE '{H1712}' END, \
           CASE WHEN x % 50 = 0 THEN 'immediate_danger' ELSE 'standard' END, CASE WHEN x % 50 = 0 THEN 0 ELSE 10 END, 'fr', \
           CASE WHEN x % 20 = 0 THEN 'expired' ELSE 'completed' END, \
           CASE (x % {k} + 1) % 3 WHEN 0 THEN 'wallonia' WHEN 1 THEN 'flanders' ELSE 'brussels' END, \
           CASE WHEN (x % {k} + 1) % 4 = 0 THEN 'hairdresser' ELSE 'pharmacy' END, \
           CASE WHEN x % 7 = 0 THEN 'untrained' ELSE 'trained' END, {ago}, {ago}, {ago}, {first}, {closed}, \
           CASE WHEN x % 20 = 0 THEN NULL ELSE {outcomes} END FROM {series} WHERE true ON CONFLICT DO NOTHING",
        with(&p(2)),
        // Offset past the `seed` command's references (both fill one table).
        reference = reference_sql("(x + 33554432)"),
        user = p(4),
        k = p(5),
        first = match backend {
            Backend::Postgres => "$3 - (x * interval '31 seconds') + ((x % 240) * interval '1 minute')".to_string(),
            Backend::Sqlite => "datetime(?3, '-' || (x * 31 - (x % 240) * 60) || ' seconds')".to_string(),
        },
        closed = match backend {
            Backend::Postgres => "$3 - (x * interval '31 seconds') + interval '1 day'".to_string(),
            Backend::Sqlite => "datetime(?3, '-' || (x * 31 - 86400) || ' seconds')".to_string(),
        },
    );
    if n > 0 {
        diesel::sql_query(signal_sql)
            .bind::<Text, _>(&programme)
            .bind::<diesel::sql_types::BigInt, _>(n)
            .bind::<Timestamp, _>(base)
            .bind::<Text, _>(&user)
            .bind::<diesel::sql_types::BigInt, _>(relays)
            .execute(&mut c)
            .expect("seeding signals");
    }
    // Three staff members per relay point (60,000 for 20,000), and their training:
    // relay point k is trained when k % 10 < 6, expiring at 6, lapsed at 7, else
    // untrained — the programme's every required module, for every staff member.
    // Relay points, staff and completions already there are left as they are, so a
    // second call with more relay points adds the missing ones.
    let staff = relays * 3;
    // Staff member x works at relay point (x - 1) / 3 + 1, however many there are.
    let relay_of = match backend {
        Backend::Postgres => {
            "lpad(to_hex((x - 1) / 3 + 1), 8, '0') || '-0000-4000-9000-' || lpad(to_hex((x - 1) / 3 + 1), 12, '0')"
        }
        Backend::Sqlite => "printf('%08x-0000-4000-9000-%012x', (x - 1) / 3 + 1, (x - 1) / 3 + 1)",
    };
    let user_of = match backend {
        Backend::Postgres => "lpad(to_hex(x), 8, '0') || '-0000-4000-b000-' || lpad(to_hex(x), 12, '0')",
        Backend::Sqlite => "printf('%08x-0000-4000-b000-%012x', x, x)",
    };
    let staff_sql = format!(
        "{}INSERT INTO users (id, email, password_hash, role, programme_id, relay_point_id, helpline_id, language, active, created_at) \
         SELECT {user_of}, 'bench-staff-' || x || '@bench.saferelay.local', NULL, 'relay_staff', '{programme}', {relay_of}, NULL, 'fr', {t}, {now} \
         FROM {series} WHERE true ON CONFLICT DO NOTHING",
        with(&p(1)),
        t = if backend == Backend::Postgres { "true" } else { "1" },
        now = p(2),
        series = if backend == Backend::Postgres { "generate_series(1, $1) AS x" } else { "s" },
    );
    diesel::sql_query(staff_sql)
        .bind::<diesel::sql_types::BigInt, _>(staff)
        .bind::<Timestamp, _>(now())
        .execute(&mut c)
        .expect("seeding staff");
    let today = saferelay::domain::today();
    let day = |d: i64| (today + chrono::Duration::days(d)).to_string();
    let modules: Vec<String> = diesel::sql_query(format!(
        "SELECT id AS v FROM training_modules WHERE programme_id = '{programme}' AND required AND retired_on IS NULL"
    ))
    .load::<OneText>(&mut c)
    .expect("modules")
    .into_iter()
    .map(|r| r.v)
    .collect();
    for (k, module) in modules.iter().enumerate() {
        let completion_of = match backend {
            Backend::Postgres => {
                format!("lpad(to_hex(x), 8, '0') || '-{k:04x}-4000-c000-' || lpad(to_hex(x), 12, '0')")
            }
            Backend::Sqlite => format!("printf('%08x-{k:04x}-4000-c000-%012x', x, x)"),
        };
        let band = "((x - 1) / 3 + 1) % 10";
        let completions_sql = format!(
            "{}INSERT INTO training_completions (id, user_id, module_id, completed_on, expires_on, recorded_by, certificate_ref, created_at) \
             SELECT {completion_of}, {user_of}, '{module}', \
               CASE WHEN {band} < 6 THEN '{t1}' WHEN {band} = 6 THEN '{t2}' ELSE '{t3}' END, \
               CASE WHEN {band} < 6 THEN '{e1}' WHEN {band} = 6 THEN '{e2}' ELSE '{e3}' END, NULL, NULL, {now} \
             FROM {series} WHERE {band} < 8 ON CONFLICT DO NOTHING",
            with(&p(1)),
            now = p(2),
            series = if backend == Backend::Postgres { "generate_series(1, $1) AS x" } else { "s" },
            t1 = day(-100),
            e1 = day(600),
            t2 = day(-700),
            e2 = day(20),
            t3 = day(-800),
            e3 = day(-30),
        );
        let completions_sql = if backend == Backend::Postgres {
            // A CASE of bare literals is text on PostgreSQL; the column is a date.
            completions_sql.replace("THEN '", "THEN DATE '").replace("ELSE '", "ELSE DATE '")
        } else {
            completions_sql
        };
        diesel::sql_query(completions_sql)
            .bind::<diesel::sql_types::BigInt, _>(staff)
            .bind::<Timestamp, _>(now())
            .execute(&mut c)
            .expect("seeding completions");
    }
    // A year of daily coverage, as the retention job would have recorded it (once:
    // with the signals).
    for back in 0..(if n > 0 { 365 } else { 0 }) {
        let day = today - chrono::Duration::days(back);
        for (region, share) in [("wallonia", 3), ("flanders", 3), ("brussels", 3)] {
            for (status, part) in [("trained", 6), ("expiring", 1), ("lapsed", 1), ("untrained", 2)] {
                let count = relays / share * part / 10;
                diesel::sql_query(format!(
                    "INSERT INTO coverage_snapshots (day, programme_id, region, training_status, relay_points) \
                     VALUES ('{day}', '{programme}', '{region}', '{status}', {count}) ON CONFLICT DO NOTHING"
                ))
                .execute(&mut c)
                .expect("seeding coverage");
            }
        }
    }
    if backend == Backend::Postgres {
        diesel::sql_query("ANALYZE").execute(&mut c).expect("analyze");
    }
    eprintln!(
        "impact-seed: {relays} relay points, {staff} staff, {} required modules, {n} signals in {:.1}s",
        modules.len(),
        started.elapsed().as_secs_f64()
    );
}

fn console(base: &str, email: &str, password: &str, n: usize, pages: &[String]) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        let r = client
            .post(format!("{base}/console/sign-in"))
            .form(&[("email", email), ("password", password)])
            .send()
            .await
            .expect("sign in");
        let cookie = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
            .join("; ");
        assert!(!cookie.is_empty(), "console sign-in gave no session: {}", r.status());
        for page in pages {
            let (name, path) = page.split_once('=').expect("--page name=/path");
            let mut lat = Vec::with_capacity(n);
            let mut first = 0.0;
            for i in 0..n + 2 {
                let t = Instant::now();
                let r = client.get(format!("{base}{path}")).header("cookie", &cookie).send().await.expect("GET");
                assert!(r.status().is_success(), "{path}: {}", r.status());
                let body = r.text().await.expect("body");
                assert!(body.contains("<main"), "{path}: not a console page");
                let ms = t.elapsed().as_secs_f64() * 1000.0;
                if i == 0 {
                    first = ms;
                }
                if i >= 2 {
                    lat.push(ms);
                }
            }
            lat.sort_by(f64::total_cmp);
            println!("RESULT {name}_first_ms {first:.1}");
            println!("RESULT {name}_p50_ms {:.1}", percentile(&lat, 0.50));
            println!("RESULT {name}_p99_ms {:.1}", percentile(&lat, 0.99));
            eprintln!(
                "{path}: first {first:.1} ms, then {n} sequential requests, p50 {:.1} ms p99 {:.1} ms",
                percentile(&lat, 0.5),
                percentile(&lat, 0.99)
            );
        }
    });
}

fn queue(base: &str, token: &str, n: usize, query: &str) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let url = format!("{base}/api/v1/cases{query}");
    let mut lat = rt.block_on(async {
        let client = reqwest::Client::new();
        let mut lat = Vec::with_capacity(n);
        for i in 0..n + 50 {
            let t = Instant::now();
            let r = client.get(&url).bearer_auth(token).send().await.expect("GET /api/v1/cases");
            assert!(r.status().is_success(), "queue listing: {}", r.status());
            let body = r.bytes().await.expect("body");
            assert!(body.len() > 100, "the queue listing is empty");
            if i >= 50 {
                lat.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
        lat
    });
    lat.sort_by(f64::total_cmp);
    println!("RESULT queue_p50_ms {:.2}", percentile(&lat, 0.50));
    println!("RESULT queue_p99_ms {:.2}", percentile(&lat, 0.99));
    eprintln!(
        "queue{query}: {n} sequential requests, p50 {:.2} ms p99 {:.2} ms",
        percentile(&lat, 0.5),
        percentile(&lat, 0.99)
    );
}

fn explain(db: &str) {
    let (mut c, backend) = connect(db);
    // The query `signals::store::queue` builds (the helpline queue) (first page, open and closed listings).
    for closed in ["IS NULL", "IS NOT NULL"] {
        let q = format!(
            "SELECT signals.id, relay_points.municipality FROM signals INNER JOIN relay_points \
             ON signals.relay_point_id = relay_points.id WHERE signals.helpline_id = '{EVC}' \
             AND signals.closed_at {closed} ORDER BY signals.priority ASC, signals.created_at ASC, signals.id ASC LIMIT 51"
        );
        let lines: Vec<String> = match backend {
            Backend::Postgres => match &mut c {
                AnyConnection::Postgresql(pg) => diesel::sql_query(format!("EXPLAIN (ANALYZE, COSTS OFF) {q}"))
                    .load::<PgPlan>(pg)
                    .expect("explain")
                    .into_iter()
                    .map(|p| p.plan)
                    .collect(),
                AnyConnection::Sqlite(_) => unreachable!(),
            },
            Backend::Sqlite => match &mut c {
                AnyConnection::Sqlite(sq) => diesel::sql_query(format!("EXPLAIN QUERY PLAN {q}"))
                    .load::<SqlitePlan>(sq)
                    .expect("explain")
                    .into_iter()
                    .map(|p| p.detail)
                    .collect(),
                AnyConnection::Postgresql(_) => unreachable!(),
            },
        };
        println!("PLAN closed_at {closed}:");
        for l in lines {
            println!("PLAN   {l}");
        }
    }
}

#[derive(QueryableByName)]
struct PgPlan {
    #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
    plan: String,
}

#[derive(QueryableByName)]
struct SqlitePlan {
    #[diesel(sql_type = Text)]
    detail: String,
}
