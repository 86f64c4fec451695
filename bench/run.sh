#!/usr/bin/env bash
# SafeRelay benchmark: one command, both backends, loopback only, bounded.
#
#   bench/run.sh                 # about 20 minutes after the build; prints the figures
#                                # and rewrites the figures block of docs/BENCHMARKS.md
#   BENCH_REPEATS=5 BENCH_SECS=15 bench/run.sh    # more repeats / longer runs
#   BENCH_BACKENDS=sqlite bench/run.sh            # one backend only
#   BENCH_PROFILE=release bench/run.sh            # the newcomer's build instead of `dist`
#
# Per backend: a fresh database with the demo network and 500 cloned relay points
# (one signed-in staff member each), a server built with the `dist` profile and
# production durability; then the raw ceiling (bare diesel, the intake
# transaction), intake at saturation (wrk), latency at half that rate (paced
# client), the same with a login flood, resident memory, the cost curve (intake and
# queue listing at 10k, 100k and 1M stored signals, then with 5,000 and 20,000 relay
# points), the queue listing over 1,000,000 stored signals, and the programme
# console (relay-point list, a relay point's page, the dashboard) over 20,000 relay
# points, 60,000 staff and 1,000,000 more signals.
# Figures are medians of BENCH_REPEATS runs (one run per cost-curve point).
# Not part of `cargo test` or CI.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

REPEATS=${BENCH_REPEATS:-3}
SECS=${BENCH_SECS:-10}
CEILING_SECS=${BENCH_CEILING_SECS:-5}
RELAYS=${BENCH_RELAYS:-500}
SEED=${BENCH_SEED:-1000000}
IMPACT_RELAYS=${BENCH_IMPACT_RELAYS:-20000}
IMPACT_SIGNALS=${BENCH_IMPACT_SIGNALS:-1000000}
BACKENDS=${BENCH_BACKENDS:-"sqlite postgres"}
PG_CLIENTS=${BENCH_PG_CLIENTS:-8}
# PostgreSQL's intake is measured a second time with this environment (the other
# commit mode); empty: not measured.
PG_ALT=${BENCH_PG_ALT-"SAFERELAY_PG_GROUP_COMMIT=true"}
PGBIN=${SAFERELAY_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
LIMIT_SECS=${BENCH_TIME_LIMIT:-1800}

log() { printf '\n== %s\n' "$*" >&2; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}'; }
result() { sed -n "s/^RESULT $1 //p"; }
rss_kb() { awk -v k="$2:" '$1==k {print $2}' "/proc/$1/status"; }

command -v wrk >/dev/null || { log "installing wrk"; apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v curl >/dev/null || { echo "curl is required" >&2; exit 1; }

PROFILE=${BENCH_PROFILE:-dist}
log "building the $PROFILE binaries"
CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-2} cargo build --profile "$PROFILE" --quiet --bin saferelay --example saferelay-bench
BIN=$ROOT/target/$PROFILE/saferelay
BENCH=$ROOT/target/$PROFILE/examples/saferelay-bench

WORK=$(mktemp -d /tmp/saferelay-bench.XXXXXX)
chmod 755 "$WORK"
SERVER_PID=""
PG_DATA=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  if [ -n "$PG_DATA" ]; then
    setpriv --reuid=postgres --regid=postgres --init-groups -- "$PGBIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  [ -n "${WATCHDOG:-}" ] && kill "$WATCHDOG" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
# The whole run is bounded: past the limit the script stops itself (and cleans up).
( sleep "$LIMIT_SECS"; echo "bench: time limit of ${LIMIT_SECS}s reached" >&2; kill -TERM $$ ) &
WATCHDOG=$!

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_postgres() {
  id postgres >/dev/null 2>&1 || useradd --system --user-group --no-create-home --shell /usr/sbin/nologin postgres
  local d="$WORK/pg"; mkdir -p "$d"; chown postgres: "$d"
  # Not run in a subshell: PG_DATA must reach the cleanup trap.
  PG_PORT=$(free_port)
  local as_pg=(setpriv --reuid=postgres --regid=postgres --init-groups --)
  "${as_pg[@]}" "$PGBIN/initdb" -D "$d/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
  PG_DATA="$d/data"
  # Production durability, said explicitly: every commit is flushed to disk.
  "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$d/data" -l "$d/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $d -c fsync=on -c synchronous_commit=on -c full_page_writes=on -c max_connections=100" \
    start >/dev/null
  "$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres saferelay
  PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/saferelay"
}

server_env() {
  export SAFERELAY_DATABASE_URL=$1 SAFERELAY_KEY_FILE=$WORK/keys.json SAFERELAY_MAIL_DIR=$WORK/mail \
    SAFERELAY_SIGNAL_RATE_LIMIT_PER_HOUR=100000000 SAFERELAY_OUTBOX_POLL_MILLIS=3600000 \
    SAFERELAY_ESCALATION_INTERVAL_SECS=3600 SAFERELAY_REMINDERS_ENABLED=false
  # Sign-in throttling off: every guess of the login flood then costs a full Argon2
  # verification, as a wave spread over many addresses and accounts would.
  export SAFERELAY_LOGIN_DELAY_AFTER=1000000000 SAFERELAY_LOGIN_LOCK_AFTER=1000000000 \
    SAFERELAY_LOGIN_ADDRESS_DELAY_AFTER=1000000000
}

declare -A R   # R[backend.figure] = median
CURVE_SIGNALS=${BENCH_CURVE_SIGNALS:-"10000 100000 1000000"}
CURVE_RELAYS=${BENCH_CURVE_RELAYS:-"5000 20000"}

# One point of the cost curve: intake at saturation (one wrk run) and the queue
# listing's p99 (300 sequential requests).
curve_point() {
  local be=$1 key=$2 base=$3 token=$4
  BENCH_TOKENS=$WORK/tokens BENCH_RUN="curve-$key-$RANDOM" wrk -t2 -c32 -d"${SECS}s" --timeout 10s \
    -s bench/intake.lua "$base" >"$WORK/wrk-curve" 2>&1
  R[$be.curve_${key}_intake]=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$WORK/wrk-curve")
  R[$be.curve_${key}_queue]=$("$BENCH" queue --base "$base" --token "$token" --n 300 | result queue_p99_ms)
}

# CPU time (user + system) of processes, in clock ticks.
ticks() { local t=0 p; for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo $t; }
pg_pids() { pgrep -u postgres 2>/dev/null || true; }

# Intake at saturation, REPEATS wrk runs: req/s (median), errors, peak RSS, and the
# CPU each signal cost, split between SafeRelay and PostgreSQL (SQLite runs inside
# SafeRelay). Figures go to R[$be.$prefix…].
saturate() {
  local be=$1 prefix=$2 base=$3
  log "$be${prefix:+ ($prefix)}: intake at saturation (wrk -t2 -c32, ${SECS}s x $REPEATS)"
  local peak=0 rps=() non2xx=() cpu_app=() cpu_db=() cpu_load=() hz; hz=$(getconf CLK_TCK)
  for i in $(seq "$REPEATS"); do
    ( while kill -0 $SERVER_PID 2>/dev/null; do rss_kb $SERVER_PID VmRSS; sleep 0.5; done ) >"$WORK/rss-$i" &
    local sampler=$!
    local pgs; pgs=$(pg_pids)
    # shellcheck disable=SC2086
    local a0 d0; a0=$(ticks $SERVER_PID); d0=$(ticks $pgs)
    local TIMEFORMAT='%U %S'
    { time BENCH_TOKENS=$WORK/tokens BENCH_RUN="sat$prefix$i-$RANDOM" wrk -t2 -c32 -d"${SECS}s" --timeout 10s \
      -s bench/intake.lua "$base" >"$WORK/wrk-$i" 2>&1; } 2>"$WORK/wrk-time-$i"
    # shellcheck disable=SC2086
    local a1 d1; a1=$(ticks $SERVER_PID); d1=$(ticks $pgs)
    kill $sampler 2>/dev/null || true
    cat "$WORK/wrk-$i" >&2
    local n; n=$(awk '/requests in/ {print $1}' "$WORK/wrk-$i")
    rps+=("$(awk '/^Requests\/sec:/ {print $2}' "$WORK/wrk-$i")")
    non2xx+=("$(awk '/Non-2xx/ {print $NF} END {}' "$WORK/wrk-$i")")
    cpu_app+=("$(awk -v t=$((a1 - a0)) -v n="$n" -v hz="$hz" 'BEGIN {printf "%.3f", t * 1000 / hz / n}')")
    cpu_db+=("$(awk -v t=$((d1 - d0)) -v n="$n" -v hz="$hz" 'BEGIN {printf "%.3f", t * 1000 / hz / n}')")
    cpu_load+=("$(awk -v n="$n" '{printf "%.3f", ($1 + $2) * 1000 / n}' "$WORK/wrk-time-$i")")
    local p; p=$(sort -n "$WORK/rss-$i" | tail -1); [ "${p:-0}" -gt "$peak" ] && peak=$p
  done
  R[$be.${prefix}intake]=$(printf '%s\n' "${rps[@]}" | median)
  R[$be.${prefix}intake_errors]=$(printf '%s\n' "${non2xx[@]}" | awk '$1!="" {s+=$1} END {print s+0}')
  R[$be.${prefix}rss_loaded]=$(( peak / 1024 ))
  R[$be.${prefix}ratio]=$(awk -v a="${R[$be.${prefix}intake]}" -v b="${R[$be.ceiling]}" 'BEGIN {printf "%.2f", a/b}')
  R[$be.${prefix}cpu_app]=$(printf '%s\n' "${cpu_app[@]}" | median)
  R[$be.${prefix}cpu_db]=$(printf '%s\n' "${cpu_db[@]}" | median)
  R[$be.${prefix}cpu_load]=$(printf '%s\n' "${cpu_load[@]}" | median)
  # What the machine's cores could serve if CPU were the only limit.
  R[$be.${prefix}cpu_bound]=$(awk -v a="${R[$be.${prefix}cpu_app]}" -v d="${R[$be.${prefix}cpu_db]}" \
    -v l="${R[$be.${prefix}cpu_load]}" -v c="$(nproc)" 'BEGIN {printf "%.0f", c * 1000 / (a + d + l)}')
}

# Latency at half the saturation rate just measured (paced client).
paced_half() {
  local be=$1 prefix=$2 base=$3
  local rate; rate=$(awk -v r="${R[$be.${prefix}intake]}" 'BEGIN {printf "%d", r/2}')
  R[$be.${prefix}paced_rate]=$rate
  log "$be${prefix:+ ($prefix)}: latency at half the saturation rate ($rate/s, ${SECS}s x $REPEATS, paced client)"
  local p50=() p99=()
  for _ in $(seq "$REPEATS"); do
    local out; out=$("$BENCH" paced --base "$base" --tokens "$WORK/tokens" --rate "$rate" --secs "$SECS")
    p50+=("$(result paced_p50_ms <<<"$out")"); p99+=("$(result paced_p99_ms <<<"$out")")
  done
  R[$be.${prefix}p50]=$(printf '%s\n' "${p50[@]}" | median)
  R[$be.${prefix}p99]=$(printf '%s\n' "${p99[@]}" | median)
}

# Starts the server on $base's port with the environment given (VAR=value …).
start_server() {
  local be=$1 port=$2; shift 2
  env "$@" SAFERELAY_PORT="$port" "$BIN" serve >>"$WORK/server-$be.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
}

bench_backend() {
  local be=$1 url
  log "$be: database"
  case $be in
    sqlite) url="sqlite://$WORK/saferelay.db" ;;
    postgres) start_postgres; url=$PG_URL ;;
  esac
  server_env "$url"
  local creds; creds=$("$BIN" demo 2>/dev/null)
  local pharmacist_pw operator_pw
  pharmacist_pw=$(awk '$2=="pharmacist@demo.saferelay.local" {print $3}' <<<"$creds")
  operator_pw=$(awk '$2=="operator.evc@demo.saferelay.local" {print $3}' <<<"$creds")
  manager_pw=$(awk '$2=="manager.wal@demo.saferelay.local" {print $3}' <<<"$creds")

  local port; port=$(free_port)
  local base="http://127.0.0.1:$port"
  start_server "$be" "$port"
  sleep 2
  R[$be.rss_idle]=$(( $(rss_kb $SERVER_PID VmRSS) / 1024 ))
  R[$be.anon_idle]=$(( $(rss_kb $SERVER_PID RssAnon) / 1024 ))
  R[$be.file_idle]=$(( $(rss_kb $SERVER_PID RssFile) / 1024 ))
  # The binary's own pages among them (the rest: shared libraries).
  R[$be.exe_idle]=$(awk -v exe="$(readlink -f "$BIN")" '/^[0-9a-f]+-/ {f = ($6 == exe)} f && /^Rss:/ {s += $2} END {printf "%d", s / 1024}' "/proc/$SERVER_PID/smaps")
  R[$be.binary_mb]=$(( $(stat -c %s "$BIN") / 1048576 ))
  # The relay app's first load: every file a first visit fetches (the shell, its
  # script, stylesheet, manifest, worker, and the icons the worker keeps), gzip.
  local kb=0 f
  for f in /relay/ /relay/assets/libphonenumber-min.js /relay/assets/app.js /relay/assets/app.css /relay/manifest.webmanifest /relay/sw.js \
           /relay/assets/icon.svg /relay/assets/icon-192.png /relay/assets/icon-512.png; do
    kb=$(( kb + $(curl -s -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "$base$f") ))
  done
  R[$be.relay_first_load]=$(awk -v b="$kb" 'BEGIN {printf "%.1f", b/1024}')

  log "$be: $RELAYS relay points with a signed-in staff member each"
  "$BENCH" relays --db "$url" --base "$base" --password "$pharmacist_pw" --n "$RELAYS" --out "$WORK/tokens"
  local op_token
  op_token=$(curl -sf "$base/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"operator.evc@demo.saferelay.local\",\"password\":\"$operator_pw\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  R[$be.rss_after_logins]=$(( $(rss_kb $SERVER_PID VmRSS) / 1024 ))

  local clients=1
  [ "$be" = postgres ] && clients=$PG_CLIENTS
  log "$be: raw ceiling ($clients client(s), ${CEILING_SECS}s x $REPEATS)"
  R[$be.ceiling]=$(for _ in $(seq "$REPEATS"); do
    "$BENCH" ceiling --db "$url" --clients "$clients" --secs "$CEILING_SECS" | result ceiling_commits_per_s
  done | median)

  saturate "$be" "" "$base"
  paced_half "$be" "" "$base"

  log "$be: the same with a login flood (wrk -t1 -c16 on /api/v1/auth/login)"
  local fp99=() flood=() flood503=()
  for i in $(seq "$REPEATS"); do
    wrk -t1 -c16 -d"$((SECS + 2))s" --timeout 10s -s bench/login-flood.lua "$base" >"$WORK/flood-$i" 2>&1 &
    local fl=$!
    sleep 1
    local out; out=$("$BENCH" paced --base "$base" --tokens "$WORK/tokens" --rate "${R[$be.paced_rate]}" --secs "$SECS")
    fp99+=("$(result paced_p99_ms <<<"$out")")
    wait $fl || true
    cat "$WORK/flood-$i" >&2
    flood+=("$(awk '/^FLOOD/ {printf "%.1f\n", $3/$9}' "$WORK/flood-$i")")
    flood503+=("$(awk '/^FLOOD/ {printf "%.1f\n", $5/$9}' "$WORK/flood-$i")")
  done
  R[$be.flood_p99]=$(printf '%s\n' "${fp99[@]}" | median)
  R[$be.flood_rate]=$(printf '%s\n' "${flood[@]}" | median)
  R[$be.flood_503]=$(printf '%s\n' "${flood503[@]}" | median)
  R[$be.flood_factor]=$(awk -v a="${R[$be.flood_p99]}" -v b="${R[$be.p99]}" 'BEGIN {printf "%.2f", a/b}')
  R[$be.rss_hwm]=$(( $(rss_kb $SERVER_PID VmHWM) / 1024 ))

  if [ "$be" = postgres ] && [ -n "$PG_ALT" ]; then
    # The other PostgreSQL commit mode, on the same database and machine.
    kill $SERVER_PID; wait $SERVER_PID 2>/dev/null || true
    # shellcheck disable=SC2086
    start_server "$be" "$port" $PG_ALT
    saturate "$be" alt_ "$base"
    paced_half "$be" alt_ "$base"
    kill $SERVER_PID; wait $SERVER_PID 2>/dev/null || true
    start_server "$be" "$port"
  fi

  # Cost curve: one saturation run and a queue run at each stored volume, then with
  # more relay points in the network (the 500 that file, plus the rest through SQL).
  local stored=0 size
  for size in $CURVE_SIGNALS; do
    log "$be: cost curve at $size stored signals"
    "$BENCH" seed --db "$url" --n $((size - stored)) --from $((stored + 1))
    stored=$size
    curve_point "$be" "s$size" "$base" "$op_token"
  done
  for size in $CURVE_RELAYS; do
    log "$be: cost curve at $size relay points ($stored stored signals)"
    "$BENCH" impact-seed --db "$url" --relays "$size" --n 0
    curve_point "$be" "r$size" "$base" "$op_token"
  done
  if [ "$stored" -lt "$SEED" ]; then
    log "$be: storing $((SEED - stored)) more signals through SQL ($SEED in all)"
    "$BENCH" seed --db "$url" --n $((SEED - stored)) --from $((stored + 1))
  fi
  "$BENCH" explain --db "$url" | sed 's/^PLAN //' | tee "$WORK/plan-$be" >&2
  log "$be: queue listing, 1000 sequential requests x $REPEATS"
  R[$be.queue_p50]=$(for _ in $(seq "$REPEATS"); do
    "$BENCH" queue --base "$base" --token "$op_token" --n 1000 | result queue_p50_ms; done | median)
  R[$be.queue_p99]=$(for _ in $(seq "$REPEATS"); do
    "$BENCH" queue --base "$base" --token "$op_token" --n 1000 | result queue_p99_ms; done | median)
  R[$be.closed_p99]=$(for _ in $(seq "$REPEATS"); do
    "$BENCH" queue --base "$base" --token "$op_token" --n 300 --query '?state=closed' | result queue_p99_ms; done | median)
  log "$be: console over $IMPACT_RELAYS more relay points, $((IMPACT_RELAYS * 3)) staff and $IMPACT_SIGNALS closed signals in 12 months"
  "$BENCH" impact-seed --db "$url" --relays "$IMPACT_RELAYS" --n "$IMPACT_SIGNALS"
  # Relay point 1 of the seeded ones (deterministic ids).
  local rp=00000001-0000-4000-9000-000000000001
  local console_out; console_out=$("$BENCH" console --base "$base" --email manager.wal@demo.saferelay.local \
    --password "$manager_pw" --n 200 \
    --page "list=/console/relay-points" \
    --page "list_filtered=/console/relay-points?region=wallonia&kind=pharmacy&status=trained&sort=municipality&page=40" \
    --page "list_search=/console/relay-points?q=Bench+relay+1234" \
    --page "list_by_status=/console/relay-points?sort=status&page=100" \
    --page "relay_page=/console/relay-points/$rp")
  local dash_out; dash_out=$("$BENCH" console --base "$base" --email manager.wal@demo.saferelay.local \
    --password "$manager_pw" --n $((REPEATS * 10)) --page "impact=/console/impact")
  local f
  for f in list list_filtered list_search list_by_status relay_page; do
    R[$be.${f}_p50]=$(result "${f}_p50_ms" <<<"$console_out")
    R[$be.${f}_p99]=$(result "${f}_p99_ms" <<<"$console_out")
  done
  R[$be.list_worst_p99]=$(for f in list list_filtered list_search list_by_status; do echo "${R[$be.${f}_p99]}"; done | sort -g | tail -1)
  R[$be.impact_first]=$(result impact_first_ms <<<"$dash_out")
  R[$be.impact_p50]=$(result impact_p50_ms <<<"$dash_out")
  R[$be.impact_p99]=$(result impact_p99_ms <<<"$dash_out")
  R[$be.rss_end]=$(( $(rss_kb $SERVER_PID VmRSS) / 1024 ))

  kill $SERVER_PID; wait $SERVER_PID 2>/dev/null || true; SERVER_PID=""
  if [ "$be" = postgres ]; then
    setpriv --reuid=postgres --regid=postgres --init-groups -- "$PGBIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
    PG_DATA=""
  fi
}

START=$(date +%s)
for be in $BACKENDS; do bench_backend "$be"; done

# ---- report -------------------------------------------------------------------
# Intake ÷ ceiling with group commit: SQLite always commits in groups; PostgreSQL
# in whichever of its two runs had it on.
R[sqlite.gc_ratio]=${R[sqlite.ratio]:-n/a}
if [[ "$PG_ALT" == *PG_GROUP_COMMIT=true* ]]; then R[postgres.gc_ratio]=${R[postgres.alt_ratio]:-n/a}
else R[postgres.gc_ratio]=${R[postgres.ratio]:-n/a}; fi
v() { echo "${R[$1.$2]:-n/a}"; }
ok() { awk -v a="$1" -v b="$3" -v op="$2" 'BEGIN { if (a=="n/a" || a=="nan") {print "?"; exit}
  r = (op=="ge") ? (a+0 >= b+0) : (a+0 <= b+0); print r ? "met" : "MISSED" }'; }
row() { # label, figure, target text, op, bound
  local line="| $1 |" be
  for be in sqlite postgres; do
    if [ -n "${4:-}" ]; then line+=" $(v "$be" "$2") ($(ok "$(v "$be" "$2")" "$4" "$5")) |"; else line+=" $(v "$be" "$2") |"; fi
  done
  echo "$line $3 |"
}
TABLE=$(cat <<EOF
| figure (median of $REPEATS) | SQLite | PostgreSQL | target |
|---|---|---|---|
$(row "raw ceiling, intake transaction, commits/s (SQLite 1 writer; PostgreSQL $PG_CLIENTS clients)" ceiling "")
$(row "intake \`POST /api/v1/signals\` at saturation, req/s (wrk -t2 -c32, ${SECS}s)" intake "")
$(row "non-201 answers during saturation runs (sum)" intake_errors "")
$(row "intake ÷ ceiling" ratio "≥ 0.5" ge 0.5)
$(row "intake ÷ ceiling, at saturation, with group commit (SQLite: always on)" gc_ratio "≥ 1.0" ge 1.0)
$(row "CPU per signal at saturation, SafeRelay (SQLite included), ms" cpu_app "")
$(row "CPU per signal at saturation, PostgreSQL server processes, ms" cpu_db "")
$(row "CPU per signal at saturation, load generator (wrk), ms" cpu_load "")
$(row "what $(nproc) cores could serve at that CPU per signal, req/s" cpu_bound "")
$(if [ -n "$PG_ALT" ]; then
  row "PostgreSQL with \`$PG_ALT\`: intake at saturation, req/s" alt_intake ""
  row "… ÷ ceiling" alt_ratio ""
  row "… p99 at half that rate, ms" alt_p99 ""
  row "… CPU per signal: SafeRelay, ms" alt_cpu_app ""
  row "… CPU per signal: PostgreSQL, ms" alt_cpu_db ""
  row "… what $(nproc) cores could serve, req/s" alt_cpu_bound ""
fi)
$(row "paced rate (half of saturation), req/s" paced_rate "")
$(row "intake p50 at that rate, ms" p50 "")
$(row "intake p99 at that rate, ms" p99 "")
$(row "intake p99 with a login flood, ms" flood_p99 "")
$(row "login flood: guesses verified (401), per s" flood_rate "")
$(row "login flood: guesses turned away (503, hashing queue full), per s" flood_503 "")
$(row "p99 with flood ÷ p99 without" flood_factor "≤ 2" le 2)
$(for k in $CURVE_SIGNALS; do row "cost curve: intake req/s with $k signals stored, 500 relay points" "curve_s${k}_intake" ""; row "… queue listing p99, ms" "curve_s${k}_queue" ""; done)
$(for k in $CURVE_RELAYS; do row "cost curve: intake req/s with $k relay points in the network (${CURVE_SIGNALS##* } signals stored)" "curve_r${k}_intake" ""; row "… queue listing p99, ms" "curve_r${k}_queue" ""; done)
$(row "queue listing p50 with $SEED signals stored, ms" queue_p50 "")
$(row "queue listing p99 with $SEED signals stored, ms" queue_p99 "≤ 10" le 10)
$(row "relay-point list \`/console/relay-points\`, first page, p50, ms ($IMPACT_RELAYS relay points, $((IMPACT_RELAYS * 3)) staff, $IMPACT_SIGNALS more signals)" list_p50 "")
$(row "… p99, ms: first page" list_p99 "")
$(row "… p99, ms: region + kind + status filter, sorted by municipality, page 40" list_filtered_p99 "")
$(row "… p99, ms: free-text search" list_search_p99 "")
$(row "… p99, ms: sorted by training status, page 100" list_by_status_p99 "")
$(row "relay-point list p99, worst of the four views, ms" list_worst_p99 "< 50" le 50)
$(row "a relay point's page p99, ms" relay_page_p99 "")
$(row "dashboard (impact figures) \`GET /console/impact\`: first request, ms (builds and keeps 12 months)" impact_first "")
$(row "dashboard p50, ms" impact_p50 "")
$(row "dashboard p99, ms" impact_p99 "< 200" le 200)
$(row "closed-cases listing (\`?state=closed\`) p99, ms" closed_p99 "")
$(row "relay app first load, all files gzip, KB (repeat visits: none, see relay_app tests)" relay_first_load "≤ 100" le 100)
$(row "VmRSS idle (just started), MB" rss_idle "≤ 30" le 30)
$(row "of which anonymous (RssAnon: heap, stacks, allocator arenas), MB" anon_idle "")
$(row "of which mapped files (RssFile), MB" file_idle "")
$(row "… of which the binary's own code and data, MB (binary: $(v sqlite binary_mb) MB)" exe_idle "")
$(row "VmRSS after 500 sign-ins, MB" rss_after_logins "")
$(row "VmRSS peak under intake load, MB" rss_loaded "≤ 100" le 100)
$(row "VmHWM after intake + login flood, MB" rss_hwm "")
$(row "VmRSS at the end (after the queue runs), MB" rss_end "")
EOF
)
CPU=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
MEM=$(awk '/^MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
OS=$(. /etc/os-release && echo "$PRETTY_NAME"); KERNEL=$(uname -r)
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
MACHINE="$(date -u +%Y-%m-%d) · $(nproc) CPUs ($CPU) · $MEM RAM · $OS, Linux $KERNEL · load average at the end $LOAD · run took $(( $(date +%s) - START ))s"
BLOCK=$(printf '<!-- figures:begin (written by bench/run.sh) -->\n%s\n\n%s\n\nQueue plans (PostgreSQL: EXPLAIN ANALYZE; SQLite: EXPLAIN QUERY PLAN):\n\n```\n%s\n```\n<!-- figures:end -->' \
  "$MACHINE" "$TABLE" "$(for be in $BACKENDS; do echo "[$be]"; cat "$WORK/plan-$be"; done)")

echo
echo "$MACHINE"
echo
echo "$TABLE"

DOC=docs/BENCHMARKS.md
if [ -f "$DOC" ] && grep -q 'figures:begin' "$DOC"; then
  python3 - "$DOC" "$BLOCK" <<'PY'
import re, sys
path, block = sys.argv[1], sys.argv[2]
text = open(path).read()
text = re.sub(r"<!-- figures:begin.*?<!-- figures:end -->", lambda _: block, text, flags=re.S)
open(path, "w").write(text)
PY
else
  printf '# Benchmarks\n\nProduced by `bench/run.sh`.\n\n%s\n' "$BLOCK" >"$DOC"
fi
echo
echo "figures written to $DOC"
