//! Structured logging. Log lines carry route templates, statuses, ids and
//! durations — never request bodies, phone numbers or names.
//!
//! On a terminal the lines are human-readable (one line per event, coloured);
//! everywhere else — a pipe, a file, a log collector — they are JSON, one object
//! per line.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Installs the global subscriber (once, at process start).
pub fn init(format: LogFormat, level: &str) {
    let terminal = std::io::stdout().is_terminal();
    let filter = EnvFilter::try_new(level).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_target(false);
    let _ = match resolve(format, terminal) {
        LogFormat::Pretty => builder.compact().with_ansi(terminal).try_init(),
        LogFormat::Json | LogFormat::Auto => builder.json().flatten_event(true).with_span_list(false).try_init(),
    };
}

/// The format to write: `auto` is `pretty` when standard output is a terminal
/// and `json` otherwise; `json` and `pretty` are taken as asked.
fn resolve(format: LogFormat, terminal: bool) -> LogFormat {
    match format {
        LogFormat::Auto if terminal => LogFormat::Pretty,
        LogFormat::Auto => LogFormat::Json,
        asked => asked,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_is_human_on_a_terminal_and_json_elsewhere() {
        assert_eq!(resolve(LogFormat::Auto, true), LogFormat::Pretty);
        assert_eq!(resolve(LogFormat::Auto, false), LogFormat::Json);
        assert_eq!(resolve(LogFormat::Json, true), LogFormat::Json);
        assert_eq!(resolve(LogFormat::Pretty, false), LogFormat::Pretty);
    }
}
