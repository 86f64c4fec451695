//! Every migration goes up, down and up again on both backends, and the two
//! trees (`migrations/sqlite`, `migrations/postgres`) hold the same migrations
//! with the same statements.

use saferelay::db::{DatabaseUrl, pending_migrations, revert_all_migrations, run_migrations};

use crate::helpers::{Backend, fresh_database_url};

fn up_down_up(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let Some(url) = fresh_database_url(backend, dir.path()) else { return };
    let mut conn = DatabaseUrl::parse(&url).unwrap().connect().unwrap();
    let applied = run_migrations(&mut conn).unwrap();
    assert!(!applied.is_empty());
    assert_eq!(pending_migrations(&mut conn).unwrap(), 0);
    assert_eq!(revert_all_migrations(&mut conn).unwrap(), applied.len());
    assert_eq!(pending_migrations(&mut conn).unwrap(), applied.len());
    assert_eq!(run_migrations(&mut conn).unwrap(), applied);
    assert_eq!(pending_migrations(&mut conn).unwrap(), 0);
}

#[test]
fn migrations_go_up_down_up_on_sqlite() {
    up_down_up(Backend::Sqlite);
}

#[test]
fn migrations_go_up_down_up_on_postgres() {
    up_down_up(Backend::Postgres);
}

// ---------------------------------------------------------------------------
// The two trees stay aligned: same migration names, same statements once the
// spellings that legitimately differ between SQLite and PostgreSQL are normalised.

/// Statements that exist on one backend only, as `(migration, normalised statement)`.
/// Keep this list as short as possible, and say on each entry why it cannot be
/// portable. It is empty today: every statement has its twin in the other tree.
const BACKEND_SPECIFIC: &[(&str, &str)] = &[];

const TREES: [&str; 2] = ["sqlite", "postgres"];

fn migrations_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations")
}

/// Sorted entry names of a directory (hidden ones skipped, as diesel does).
fn entries(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

/// The statements of one SQL file, each as one line of tokens: comments dropped,
/// split on `;` outside string literals, whitespace collapsed, and the type
/// spellings that differ between the backends normalised to the SQLite ones:
/// `BYTEA` → `BLOB`, and a boolean `DEFAULT TRUE`/`DEFAULT FALSE` → `DEFAULT 1`/`DEFAULT 0`.
/// Nothing else is normalised: a new difference has to be made portable, added
/// here (when it is a mere spelling) or listed in `BACKEND_SPECIFIC`.
fn statements(sql: &str) -> Vec<String> {
    let mut statements = Vec::new();
    let mut tokens: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut chars = sql.chars().peekable();
    let flush = |word: &mut String, tokens: &mut Vec<String>| {
        if !word.is_empty() {
            tokens.push(std::mem::take(word));
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '-' if chars.peek() == Some(&'-') => {
                flush(&mut word, &mut tokens);
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '\'' | '"' => {
                // A literal or quoted identifier, kept verbatim (a doubled quote escapes).
                flush(&mut word, &mut tokens);
                let mut literal = String::from(c);
                while let Some(d) = chars.next() {
                    literal.push(d);
                    if d == c {
                        if chars.peek() == Some(&c) {
                            literal.push(chars.next().unwrap());
                        } else {
                            break;
                        }
                    }
                }
                tokens.push(literal);
            }
            ';' => {
                flush(&mut word, &mut tokens);
                if !tokens.is_empty() {
                    statements.push(normalise(std::mem::take(&mut tokens)));
                }
            }
            '(' | ')' | ',' => {
                flush(&mut word, &mut tokens);
                tokens.push(c.to_string());
            }
            c if c.is_whitespace() => flush(&mut word, &mut tokens),
            c => word.push(c),
        }
    }
    flush(&mut word, &mut tokens);
    if !tokens.is_empty() {
        statements.push(normalise(tokens));
    }
    statements
}

fn normalise(tokens: Vec<String>) -> String {
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    for token in tokens {
        let after_default = out.last().is_some_and(|t| t.eq_ignore_ascii_case("DEFAULT"));
        let token = match token.to_ascii_uppercase().as_str() {
            "BYTEA" => "BLOB".to_string(),
            "TRUE" if after_default => "1".to_string(),
            "FALSE" if after_default => "0".to_string(),
            _ => token,
        };
        out.push(token);
    }
    out.join(" ")
}

/// What differs between one file of both trees, after the allowed
/// backend-specific statements of `migration` are set aside; `used` collects
/// the exceptions that matched.
fn compare_file(
    migration: &str,
    file: &str,
    sqlite: &str,
    postgres: &str,
    allowed: &[(&str, &str)],
    used: &mut Vec<(String, String)>,
) -> Vec<String> {
    let mut keep = |statement: &String| {
        let exception = allowed.iter().find(|(m, s)| *m == migration && s == statement);
        if let Some((m, s)) = exception {
            used.push((m.to_string(), s.to_string()));
        }
        exception.is_none()
    };
    let sqlite: Vec<String> = statements(sqlite).into_iter().filter(&mut keep).collect();
    let postgres: Vec<String> = statements(postgres).into_iter().filter(&mut keep).collect();
    let mut problems = Vec::new();
    for s in sqlite.iter().filter(|s| !postgres.contains(s)) {
        problems.push(format!("{migration}/{file}: only in sqlite: {s}"));
    }
    for s in postgres.iter().filter(|s| !sqlite.contains(s)) {
        problems.push(format!("{migration}/{file}: only in postgres: {s}"));
    }
    if problems.is_empty() && sqlite != postgres {
        problems.push(format!("{migration}/{file}: the same statements in a different order or number"));
    }
    problems
}

#[test]
fn sqlite_and_postgres_migrations_hold_the_same_statements() {
    let root = migrations_dir();
    let [sqlite_names, postgres_names] = TREES.map(|tree| {
        entries(&root.join(tree)).into_iter().filter(|n| root.join(tree).join(n).is_dir()).collect::<Vec<_>>()
    });
    assert!(!sqlite_names.is_empty());
    assert_eq!(sqlite_names, postgres_names, "migrations/sqlite and migrations/postgres must hold the same migrations");

    let mut problems = Vec::new();
    let mut used = Vec::new();
    for migration in &sqlite_names {
        let [sqlite_files, postgres_files] = TREES.map(|tree| entries(&root.join(tree).join(migration)));
        assert_eq!(sqlite_files, postgres_files, "{migration}: both trees must hold the same files");
        for file in ["up.sql", "down.sql"] {
            assert!(sqlite_files.iter().any(|f| f == file), "{migration} has no {file}");
            let [sqlite, postgres] =
                TREES.map(|tree| std::fs::read_to_string(root.join(tree).join(migration).join(file)).unwrap());
            problems.extend(compare_file(migration, file, &sqlite, &postgres, BACKEND_SPECIFIC, &mut used));
        }
    }
    assert!(
        problems.is_empty(),
        "the migration trees differ (make the statement portable, or list it in BACKEND_SPECIFIC with the reason):\n{}",
        problems.join("\n")
    );
    let stale: Vec<_> =
        BACKEND_SPECIFIC.iter().filter(|(m, s)| !used.iter().any(|(um, us)| um == m && us == s)).collect();
    assert!(stale.is_empty(), "BACKEND_SPECIFIC lists statements no migration holds any more: {stale:?}");
}

/// The comparison itself: a statement added to one tree only is reported, known
/// spellings are not, and a listed backend-specific statement is set aside.
#[test]
fn a_statement_in_one_migration_tree_only_is_reported() {
    let sqlite = "-- a comment; with a semicolon\nCREATE TABLE t (k BLOB NOT NULL, b BOOLEAN NOT NULL DEFAULT 1);\n\
                  INSERT INTO t VALUES ('a;b', TRUE);";
    let postgres = "CREATE TABLE t (\n    k BYTEA NOT NULL,\n    b BOOLEAN NOT NULL DEFAULT TRUE\n);\n\
                    INSERT INTO t VALUES ('a;b', TRUE);";
    let mut used = Vec::new();
    assert_eq!(compare_file("m", "up.sql", sqlite, postgres, &[], &mut used), Vec::<String>::new());

    let extra = format!("{postgres}\nCREATE INDEX t_k ON t (k) WHERE b;");
    let problems = compare_file("m", "up.sql", sqlite, &extra, &[], &mut used);
    assert_eq!(problems, ["m/up.sql: only in postgres: CREATE INDEX t_k ON t ( k ) WHERE b"]);

    let allowed = [("m", "CREATE INDEX t_k ON t ( k ) WHERE b")];
    assert!(compare_file("m", "up.sql", sqlite, &extra, &allowed, &mut used).is_empty());
    assert_eq!(used, [("m".to_string(), "CREATE INDEX t_k ON t ( k ) WHERE b".to_string())]);

    let reordered =
        "INSERT INTO t VALUES ('a;b', TRUE);\nCREATE TABLE t (k BYTEA NOT NULL, b BOOLEAN NOT NULL DEFAULT TRUE);";
    assert_eq!(compare_file("m", "down.sql", sqlite, reordered, &[], &mut used).len(), 1);
}
