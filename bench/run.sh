#!/usr/bin/env bash
# The LEAN Gateway benchmark: the gateway against its baselines, side by side, in one invocation.
# What it runs and how to read the results: bench/README.md.
#
#   bench/run.sh            the full benchmark (about 50 minutes with the defaults, 55 with BENCH_SOAK_SECONDS=300;
#                           more when JVMs take the longest to settle; bench/README.md "How long")
#   bench/run.sh --smoke    a short check that everything starts and answers (about 5 minutes)
#   bench/run.sh --serve    start everything, sign in, print how to load each run, and wait (for profiling)
#
# Settings (environment variables, defaults in brackets):
#   BENCH_DURATION [15]            seconds per measurement (issue #14's method: wrk 2 threads x 64 connections, 15 s)
#   BENCH_THREADS [2]              wrk threads
#   BENCH_CONNECTIONS [64]         wrk connections (the same for every run)
#   BENCH_ROUNDS [3]               rounds; each round runs every selected run, odd rounds 1..8, even rounds 8..1
#   BENCH_RUNS [1,2,3,4,5,6,7,8]   which runs
#   Settling: before the first round every JVM run (3, 4, 5, 6, 7) is loaded in windows until the last two windows
#   agree on throughput and on CPU per request; nginx and Apache get 5 s.
#   BENCH_SETTLE_WINDOW [15]       seconds per window
#   BENCH_SETTLE_TOLERANCE [3]     per cent by which the last two windows may differ (each of the two figures)
#   BENCH_SETTLE_MIN [120]         seconds of load at least, even when settled earlier (BENCH_WARMUP, if set, is
#                                  taken as this minimum, for older invocations)
#   BENCH_SETTLE_MAX [300]         seconds of load at most; a run that has not settled by then is marked so
#   BENCH_SIGNIN_CONCURRENCY [16]  browsers signing in at once in run 7
#   BENCH_SIGNIN_WARMUP [2]        unmeasured seconds at the start of each run-7 measurement and window
#   BENCH_SIGNIN_REFERENCE [326]   complete sign-ins/s of the run before issue #14; the target is twice this
#   Ablation: after the main rounds (and the steady run), one extra gateway (memory sessions, as runs 4-5) per
#   feature switched off, started one after the other, settled, then measured against the all-on gateway of runs
#   4-5 in alternating rounds.
#   BENCH_ABLATION [all]           all | none | a comma-separated list of: access-log, metrics, trace-context,
#                                  rate-limit, circuit-breaker, security-headers, identity-headers, session
#   BENCH_ABLATION_RUNS [5]        which runs the ablation measures (5, or 4,5)
#   BENCH_ABLATION_ROUNDS [3]      alternating rounds (off, all-on / all-on, off) per feature
#   BENCH_ABLATION_DURATION [10]   seconds per ablation measurement
#   BENCH_ABLATION_SETTLE_MIN [60] settling of each ablation gateway, in windows of BENCH_ABLATION_DURATION: a fresh
#   BENCH_ABLATION_SETTLE_MAX [180] JVM compiles again, but code the main gateway has just shown to settle
#   BENCH_JVM_OPTS [-Xms512m -Xmx512m -XX:+ExitOnOutOfMemoryError]   for the SCG baseline and every gateway
#   BENCH_PORT_BASE [18000]        ports BASE+1 .. BASE+19 on 127.0.0.1
#   BENCH_JMH [1]                  0 skips the JMH benchmarks and the tenant heap measurement
#   BENCH_JMH_ARGS [-wi 5 -w 1 -i 10 -r 1 -f 1]
#   BENCH_JMH_INCLUDE [.*]         which benchmarks of bench/jmh (a JMH regular expression); all by default
#   BENCH_SOAK_SECONDS [0]         > 0: afterwards, a steady run 5 at half its measured rate, sampling heap and RSS
#   BENCH_PROFILE [0]              1: record JFR of the memory-store gateway during runs 4-5 of the last round
#   BENCH_BUILD [1]                0 reuses what the last invocation built
#   BENCH_GATEWAY_JAR [gateway/target/lean-gateway-*.jar]   another build of the gateway, e.g. for before/after
#   BENCH_RESULTS [bench/results]  where the table, chart and raw numbers go
#   BENCH_KEEP [0]                 1 keeps the temp folder (configs, logs) for inspection
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$REPO/bench

if [[ "${1:-}" == "--smoke" ]]; then
	: "${BENCH_DURATION:=3}" "${BENCH_ROUNDS:=1}" "${BENCH_SIGNIN_WARMUP:=1}"
	: "${BENCH_SETTLE_WINDOW:=3}" "${BENCH_SETTLE_MIN:=3}" "${BENCH_SETTLE_MAX:=6}" "${BENCH_ABLATION:=none}"
	: "${BENCH_JMH_ARGS:=-wi 1 -w 1 -i 1 -r 1 -f 1}"
	: "${BENCH_RESULTS:=/tmp/lean-bench-smoke-results}"
elif [[ "${1:-}" == "--serve" ]]; then
	SERVE=1
elif [[ -n "${1:-}" ]]; then
	sed -n '2,46p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
fi
DURATION=${BENCH_DURATION:-15}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
ROUNDS=${BENCH_ROUNDS:-3}
RUNS=${BENCH_RUNS:-1,2,3,4,5,6,7,8}
SETTLE_WINDOW=${BENCH_SETTLE_WINDOW:-15}
SETTLE_TOLERANCE=${BENCH_SETTLE_TOLERANCE:-3}
SETTLE_MIN=${BENCH_SETTLE_MIN:-${BENCH_WARMUP:-120}}
SETTLE_MAX=${BENCH_SETTLE_MAX:-300}
SIGNIN_CONCURRENCY=${BENCH_SIGNIN_CONCURRENCY:-16}
SIGNIN_WARMUP=${BENCH_SIGNIN_WARMUP:-2}
SIGNIN_REFERENCE=${BENCH_SIGNIN_REFERENCE:-326}
ABLATION=${BENCH_ABLATION:-all}
ABLATION_RUNS=${BENCH_ABLATION_RUNS:-5}
ABLATION_ROUNDS=${BENCH_ABLATION_ROUNDS:-3}
ABLATION_DURATION=${BENCH_ABLATION_DURATION:-10}
ABLATION_SETTLE_MIN=${BENCH_ABLATION_SETTLE_MIN:-60}
ABLATION_SETTLE_MAX=${BENCH_ABLATION_SETTLE_MAX:-180}
JVM_OPTS=${BENCH_JVM_OPTS:--Xms512m -Xmx512m -XX:+ExitOnOutOfMemoryError}
PORT_BASE=${BENCH_PORT_BASE:-18000}
RUN_JMH=${BENCH_JMH:-1}
JMH_ARGS=${BENCH_JMH_ARGS:--wi 5 -w 1 -i 10 -r 1 -f 1}
JMH_INCLUDE=${BENCH_JMH_INCLUDE:-.*}
SOAK_SECONDS=${BENCH_SOAK_SECONDS:-0}
PROFILE=${BENCH_PROFILE:-0}
BUILD=${BENCH_BUILD:-1}
RESULTS=${BENCH_RESULTS:-$BENCH/results}
KEEP=${BENCH_KEEP:-0}
SERVE=${SERVE:-0}
JMH_STATUS=$([[ $RUN_JMH == 1 ]] && echo ran || echo off)

# the features lean.bench.ablate knows (gateway config/BenchAblation), in the ablation table's order
# "nothing" is the control: a fresh gateway with every feature on, measured as the others, shows how far two
# JVMs of the same code differ (a fresh one against the long-running all-on gateway)
ABLATION_FEATURES=(nothing access-log metrics trace-context rate-limit circuit-breaker security-headers identity-headers session)
case $ABLATION in
	all) ABLATED=("${ABLATION_FEATURES[@]}") ;;
	none | "") ABLATED=() ;;
	*) IFS=, read -r -a ABLATED <<< "$ABLATION" ;;
esac
for feature in "${ABLATED[@]}"; do
	[[ " ${ABLATION_FEATURES[*]} " == *" $feature "* ]] \
		|| { echo "BENCH_ABLATION: unknown feature '$feature' (known: ${ABLATION_FEATURES[*]})" >&2; exit 2; }
done

BACKEND_PORT=$((PORT_BASE + 1))
PROXY_PORT=$((PORT_BASE + 2))
SCG_PORT=$((PORT_BASE + 3))
GW_MEMORY_PORT=$((PORT_BASE + 4))
GW_REDIS_PORT=$((PORT_BASE + 5))
GW_SIGNIN_PORT=$((PORT_BASE + 6))
GW_ABLATION_PORT=$((PORT_BASE + 7))
APACHE_PORT=$((PORT_BASE + 8))
ENTRA_PORT=$((PORT_BASE + 9))
GW_MEMORY_MGMT=$((PORT_BASE + 14))
GW_REDIS_MGMT=$((PORT_BASE + 15))
GW_SIGNIN_MGMT=$((PORT_BASE + 16))
GW_ABLATION_MGMT=$((PORT_BASE + 17))

BASE_DOMAIN=bench.test
PLAIN_HOST=plain.$BASE_DOMAIN
SSO_HOST=acme.$BASE_DOMAIN
# the provider's directory and app registration (Entra checks both are GUIDs)
ENTRA_TID=3f6c2a1e-8b4d-4c7e-9f1a-2b3c4d5e6f70
CLIENT_ID=9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d
USER_EMAIL=bench.user@acme.example
CLK_TCK=$(getconf CLK_TCK)

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---- packages ------------------------------------------------------------------------------------
install_packages() {
	local missing=()
	command -v wrk > /dev/null || missing+=(wrk)
	command -v nginx > /dev/null || missing+=(nginx)
	[[ -x /usr/sbin/apache2 ]] || missing+=(apache2)
	[[ -f /usr/lib/apache2/modules/mod_auth_openidc.so ]] || missing+=(libapache2-mod-auth-openidc)
	command -v psql > /dev/null || missing+=(postgresql-client)
	command -v redis-cli > /dev/null || missing+=(redis-tools)
	((${#missing[@]} == 0)) && return
	log "installing Debian packages: ${missing[*]}"
	[[ $(id -u) == 0 ]] || die "not root: run 'sudo apt-get install -y ${missing[*]}' first"
	local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600)
	if ! "${apt[@]}" install -y -q --no-install-recommends "${missing[@]}" > /dev/null; then
		"${apt[@]}" update -q > /dev/null
		"${apt[@]}" install -y -q --no-install-recommends "${missing[@]}" > /dev/null
	fi
}

# ---- build ---------------------------------------------------------------------------------------
mvn_build() { # args...: offline first, then online for what the local repository lacks (JMH)
	(cd "$REPO" && ./mvnw -B -q -o "$@" > "$WORK/mvn.log" 2>&1) \
		|| (cd "$REPO" && ./mvnw -B -q "$@" > "$WORK/mvn.log" 2>&1) \
		|| { tail -40 "$WORK/mvn.log" >&2; die "./mvnw $* failed"; }
}

build() {
	GATEWAY_JAR=${BENCH_GATEWAY_JAR:-$REPO/gateway/target/lean-gateway-0.1.0-SNAPSHOT.jar}
	SCG_JAR=$BENCH/scg-baseline/target/lean-bench-scg-baseline-0.1.0-SNAPSHOT.jar
	if [[ $BUILD == 1 ]]; then
		log "building the gateway (and its test classes, for the Entra imitation)"
		mvn_build -DskipTests package
		log "building the SCG baseline"
		mvn_build -f bench/scg-baseline/pom.xml -DskipTests package
		if [[ $RUN_JMH == 1 ]]; then
			log "building the JMH benchmarks"
			mvn_build -f bench/jmh/pom.xml -DskipTests package
		fi
	fi
	[[ -f $GATEWAY_JAR && -f $SCG_JAR && -d $REPO/gateway/target/test-classes ]] || die "nothing built: run without BENCH_BUILD=0"
	mvn_build -pl gateway dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/gateway-test.cp"
	ENTRA_CP="$WORK/tools:$REPO/gateway/target/test-classes:$REPO/gateway/target/classes:$(cat "$WORK/gateway-test.cp")"
	mkdir -p "$WORK/tools"
	javac -nowarn -d "$WORK/tools" "$BENCH/tools/SignInDriver.java" "$BENCH/tools/Report.java"
	javac -nowarn -d "$WORK/tools" -cp "$ENTRA_CP" "$BENCH/tools/EntraLauncher.java"
	if [[ $RUN_JMH == 1 ]]; then
		mvn_build -f bench/jmh/pom.xml dependency:build-classpath -Dmdep.outputFile="$WORK/jmh.cp"
		JMH_CP="$BENCH/jmh/target/classes:$(cat "$WORK/jmh.cp")"
	fi
}

# ---- processes -----------------------------------------------------------------------------------
PIDS=()

cleanup() {
	local status=$?
	set +e
	# or the final wait below would wait out --serve's sleep
	[[ -n ${SERVE_SLEEP:-} ]] && kill "$SERVE_SLEEP" 2> /dev/null
	for pid in "${PIDS[@]}"; do
		kill "$pid" 2> /dev/null
	done
	[[ -f $WORK/apache.pid ]] && kill "$(cat "$WORK/apache.pid")" 2> /dev/null
	for name in nginx-backend nginx-proxy; do
		[[ -f $WORK/$name.pid ]] && kill -QUIT "$(cat "$WORK/$name.pid")" 2> /dev/null
	done
	# the gateways shut down gracefully; give every JVM a few seconds before insisting
	for ((i = 0; i < 40; i++)); do
		local alive=0
		for pid in "${PIDS[@]}"; do
			kill -0 "$pid" 2> /dev/null && alive=1
		done
		((alive == 0)) && break
		sleep 0.25
	done
	for pid in "${PIDS[@]}"; do
		kill -9 "$pid" 2> /dev/null
	done
	wait 2> /dev/null
	if [[ -n ${DATABASE:-} ]]; then
		psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $DATABASE" > /dev/null 2>&1
	fi
	if [[ -n ${REDIS_NAMESPACE:-} ]]; then
		redis-cli -h 127.0.0.1 --scan --pattern "$REDIS_NAMESPACE:*" 2> /dev/null | xargs -r -n 500 redis-cli -h 127.0.0.1 DEL > /dev/null 2>&1
	fi
	if [[ $KEEP == 1 || $status != 0 ]]; then
		log "logs and configs kept in $WORK"
	else
		rm -rf "$WORK"
	fi
	exit "$status"
}

port_free() { ! (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }

wait_http() { # url seconds [curl args...]
	local url=$1 seconds=$2
	shift 2
	for ((i = 0; i < seconds * 4; i++)); do
		curl -s -o /dev/null -m 2 "$@" "$url" && return 0
		sleep 0.25
	done
	return 1
}

fill() { # template > file, replacing @NAME@ by the value of shell variable NAME
	local text
	text=$(< "$1")
	for name in DIR BACKEND_PORT PROXY_PORT APACHE_PORT BACKEND_WORKERS PROXY_WORKERS ISSUER CLIENT_ID CLIENT_SECRET PASSPHRASE APACHE_USER; do
		text=${text//@$name@/${!name:-}}
	done
	printf '%s\n' "$text"
}

start_nginx() {
	DIR=$WORK BACKEND_WORKERS=1 PROXY_WORKERS=auto
	mkdir -p "$WORK/nginx-backend-tmp" "$WORK/nginx-proxy-tmp"
	fill "$BENCH/conf/nginx-backend.conf" > "$WORK/nginx-backend.conf"
	fill "$BENCH/conf/nginx-proxy.conf" > "$WORK/nginx-proxy.conf"
	nginx -p "$WORK" -e "$WORK/nginx-backend.error.log" -c "$WORK/nginx-backend.conf"
	nginx -p "$WORK" -e "$WORK/nginx-proxy.error.log" -c "$WORK/nginx-proxy.conf"
	wait_http "http://127.0.0.1:$BACKEND_PORT/" 10 || die "the nginx backend did not start"
	wait_http "http://127.0.0.1:$PROXY_PORT/" 10 || die "the nginx proxy did not start"
}

start_java() { # name, then the java command line; runs in the temp folder, pid in $WORK/name.pid
	local name=$1
	shift
	(cd "$WORK" && exec java "$@" > "$WORK/$name.log" 2>&1) &
	echo $! > "$WORK/$name.pid"
	PIDS+=("$!")
}

stop_java() { # name: stops one JVM started by start_java (SIGTERM, then SIGKILL after 20 s)
	local pid i p
	pid=$(cat "$WORK/$1.pid")
	kill "$pid" 2> /dev/null || true
	for ((i = 0; i < 80; i++)); do
		kill -0 "$pid" 2> /dev/null || break
		sleep 0.25
	done
	kill -9 "$pid" 2> /dev/null || true
	wait "$pid" 2> /dev/null || true
	local -a alive=()
	for p in "${PIDS[@]}"; do
		[[ $p == "$pid" ]] || alive+=("$p")
	done
	PIDS=("${alive[@]}")
}

start_entra() {
	start_java entra -Xmx256m -cp "$ENTRA_CP" EntraLauncher "$ENTRA_PORT" "$ENTRA_TID" "$CLIENT_ID" "$CLIENT_SECRET" \
		"$USER_EMAIL" "$WORK/entra.ready" \
		"http://$SSO_HOST:$GW_MEMORY_PORT/oauth/complete/" "http://$SSO_HOST:$GW_REDIS_PORT/oauth/complete/" \
		"http://$SSO_HOST:$GW_SIGNIN_PORT/oauth/complete/" "http://$SSO_HOST:$GW_ABLATION_PORT/oauth/complete/" \
		"http://127.0.0.1:$APACHE_PORT/oidc/redirect_uri"
	ISSUER=http://127.0.0.1:$ENTRA_PORT/$ENTRA_TID/v2.0
}

start_gateway() { # name port management-port store [extra args...]
	local name=$1 port=$2 management=$3 store=$4
	shift 4
	# the operator's config/application.yml applies, as when the jar runs from the repository root
	LEAN_IDENTITY_SIGNING_KEY=$(< "$WORK/identity.pem") LEAN_ADMIN_TOKENS=$ADMIN_TOKEN LEAN_SECRETS_KEY=$SECRETS_KEY \
		LEAN_SESSION_STORE=$store \
		start_java "$name" $JVM_OPTS -jar "$GATEWAY_JAR" \
		--spring.config.additional-location="optional:file:$REPO/config/" \
		--server.port="$port" --management.server.port="$management" \
		--lean.gateway.base-domain=$BASE_DOMAIN \
		--lean.database.name="$DATABASE" --lean.database.username=postgres \
		--lean.backend.default-uri="http://127.0.0.1:$BACKEND_PORT" \
		--lean.sso.entra.authority="http://127.0.0.1:$ENTRA_PORT" \
		--spring.session.data.redis.namespace="$REDIS_NAMESPACE" "$@"
}

wait_gateway() { # name management-port
	wait_http "http://127.0.0.1:$2/actuator/health/readiness" 180 || { tail -30 "$WORK/$1.log" >&2; die "$1 did not start"; }
}

start_apache() {
	DIR=$WORK PASSPHRASE=$(openssl rand -hex 24)
	APACHE_USER=""
	if [[ $(id -u) == 0 ]]; then
		APACHE_USER=$'User www-data\nGroup www-data'
		chmod 755 "$WORK"
	fi
	mkdir -p "$WORK/apache-run"
	fill "$BENCH/conf/httpd-openidc.conf" > "$WORK/httpd.conf"
	/usr/sbin/apache2 -f "$WORK/httpd.conf" || die "Apache did not start (see $WORK/apache.error.log)"
	wait_http "http://127.0.0.1:$APACHE_PORT/" 10 || die "Apache does not answer"
}

admin() { # method path json
	curl -sf -o /dev/null -X "$1" -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
		-d "$3" "http://127.0.0.1:$GW_MEMORY_MGMT$2" || die "admin API: $1 $2 failed"
}

# The driver stands in for browsers, which run elsewhere: its JVM compiles with C1 only, so its JIT (C2 compiled
# for the whole measured window of each fresh driver, 5 ms of CPU per sign-in on a busy machine) does not take
# the cores the gateway is measured on.
DRIVER_JVM=(java -XX:TieredStopAtLevel=1)
driver() { "${DRIVER_JVM[@]}" -cp "$WORK/tools" SignInDriver "$@"; }

# ---- measuring -----------------------------------------------------------------------------------
tree_pids() { # pid: the process and its children (nginx and Apache workers)
	echo "$1"
	pgrep -P "$1" || true
}

cpu_ticks() { # pids...: utime + stime (fields 14, 15 of /proc/PID/stat)
	local sum=0 stat rest
	for pid in "$@"; do
		stat=$(cat "/proc/$pid/stat" 2> /dev/null) || continue
		rest=${stat##*) }
		read -r -a f <<< "$rest"
		sum=$((sum + f[11] + f[12]))
	done
	echo "$sum"
}

peak_rss_kb() { # pids...: sum of VmHWM
	local sum=0 kb
	for pid in "$@"; do
		kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2> /dev/null || echo 0)
		sum=$((sum + ${kb:-0}))
	done
	echo "$sum"
}

serving_pid() { # run -> pid of the serving process (a4, a5: runs 4, 5 on the ablation gateway)
	case $1 in
		1) cat "$WORK/nginx-backend.pid" ;;
		2) cat "$WORK/nginx-proxy.pid" ;;
		3) cat "$WORK/scg.pid" ;;
		4 | 5) cat "$WORK/gw-memory.pid" ;;
		6) cat "$WORK/gw-redis.pid" ;;
		7) cat "$WORK/gw-signin.pid" ;;
		8) cat "$WORK/apache.pid" ;;
		a4 | a5) cat "$WORK/gw-ablation.pid" ;;
	esac
}

wrk_target() { # run -> WRK_WORDS: wrk's headers and URL for that run
	case $1 in
		1) WRK_WORDS=("http://127.0.0.1:$BACKEND_PORT/") ;;
		2) WRK_WORDS=("http://127.0.0.1:$PROXY_PORT/") ;;
		3) WRK_WORDS=("http://127.0.0.1:$SCG_PORT/") ;;
		4) WRK_WORDS=(-H "Host: $PLAIN_HOST:$GW_MEMORY_PORT" "http://127.0.0.1:$GW_MEMORY_PORT/") ;;
		5) WRK_WORDS=(-H "Host: $SSO_HOST:$GW_MEMORY_PORT" -H "Cookie: LEAN_SESSION=$SESSION_MEMORY" "http://127.0.0.1:$GW_MEMORY_PORT/") ;;
		6) WRK_WORDS=(-H "Host: $SSO_HOST:$GW_REDIS_PORT" -H "Cookie: LEAN_SESSION=$SESSION_REDIS" "http://127.0.0.1:$GW_REDIS_PORT/") ;;
		8) WRK_WORDS=(-H "Cookie: mod_auth_openidc_session=$SESSION_APACHE" "http://127.0.0.1:$APACHE_PORT/") ;;
		a4) WRK_WORDS=(-H "Host: $PLAIN_HOST:$GW_ABLATION_PORT" "http://127.0.0.1:$GW_ABLATION_PORT/") ;;
		a5) WRK_WORDS=(-H "Host: $SSO_HOST:$GW_ABLATION_PORT" -H "Cookie: LEAN_SESSION=$SESSION_ABLATION" "http://127.0.0.1:$GW_ABLATION_PORT/") ;;
	esac
}

run_wrk() { # run seconds output [lua script]
	wrk_target "$1"
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2s" --latency -s "${4:-$BENCH/lua/measure.lua}" "${WRK_WORDS[@]}" > "$3" 2>&1
}

is_jvm_run() { [[ $1 == 3 || $1 == 4 || $1 == 5 || $1 == 6 || $1 == 7 || $1 == a* ]]; }

# One load of a run for some seconds: SAMPLE holds the columns of raw.tsv after run and round
# (requests duration_us non2xx socket_errors p50_us p99_us p999_us cpu_ticks ticks_per_s rss_kb).
load_once() { # run seconds output
	local run=$1 seconds=$2 out=$3 pid before after line
	pid=$(serving_pid "$run")
	local -a pids
	mapfile -t pids < <(tree_pids "$pid")
	before=$(cpu_ticks "${pids[@]}")
	if [[ $run == 7 ]]; then
		driver flows "http://$SSO_HOST:$GW_SIGNIN_PORT/oauth/login?next=/" LEAN_SESSION "$SIGNIN_CONCURRENCY" \
			"$SIGNIN_WARMUP" "$seconds" "$pid" > "$out" 2>&1 || true
	else
		run_wrk "$run" "$seconds" "$out" || true
	fi
	after=$(cpu_ticks "${pids[@]}")
	line=$(grep '^BENCH_RESULT' "$out" || true)
	[[ -n $line ]] || { cat "$out" >&2; die "run $run produced no result ($out)"; }
	local field value ticks
	local -A r
	for field in requests duration_us non2xx socket_errors p50_us p99_us p999_us; do
		value=$(sed -nE "s/.* $field=([0-9]+).*/\1/p" <<< "$line")
		r[$field]=${value:-0}
	done
	# run 7's driver reads the gateway's CPU over its measured window itself (it warms up first)
	if [[ $line == *cpu_ticks=* ]]; then
		ticks=$(sed -E 's/.* cpu_ticks=([0-9]+).*/\1/' <<< "$line")
	else
		ticks=$((after - before))
	fi
	SAMPLE=$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s' "${r[requests]}" "${r[duration_us]}" "${r[non2xx]}" \
		"${r[socket_errors]}" "${r[p50_us]}" "${r[p99_us]}" "${r[p999_us]}" "$ticks" "$CLK_TCK" "$(peak_rss_kb "${pids[@]}")")
}

describe() { # SAMPLE -> a short line for the log
	awk -F'\t' '{printf "%8.1f /s  %6.0f µs CPU/req  p50 %6.2f ms  p99 %7.2f ms  non-2xx %s  errors %s", \
		$1 * 1000000 / $2, ($1 > 0) ? $8 * 1000000 / $9 / $1 : 0, $5 / 1000, $6 / 1000, $3, $4}' <<< "$SAMPLE"
}

# Loads a JVM run in windows of WINDOW seconds until the last two agree, within SETTLE_TOLERANCE per cent, on throughput and on CPU
# per request, after at least MIN seconds; stops at MAX seconds either way. Appends one line to settle.tsv:
# label seconds windows settled rate cpu_us_per_request rate_change_% cpu_change_%.
settle() { # run label min max window
	local run=$1 label=$2 min=$3 max=$4 window=$5
	local started=$SECONDS windows=0 settled=0 previous="" current change="" elapsed
	log "settling $label: windows of ${window}s until two in a row agree within ${SETTLE_TOLERANCE} % (${min}-${max}s)"
	while true; do
		load_once "$run" "$window" "$WORK/settle-${label// /-}-$windows.txt"
		windows=$((windows + 1))
		current=$(awk -F'\t' '{printf "%.1f\t%.1f", $1 * 1000000 / $2, ($1 > 0) ? $8 * 1000000 / $9 / $1 : 0}' <<< "$SAMPLE")
		elapsed=$((SECONDS - started))
		if [[ -n $previous ]]; then
			# each figure's change relative to the mean of the two windows, in per cent
			change=$(printf '%s\t%s\n' "$previous" "$current" | awk -F'\t' '{
				r = ($1 + $3 > 0) ? 200 * ($3 - $1) / ($1 + $3) : 100
				c = ($2 + $4 > 0) ? 200 * ($4 - $2) / ($2 + $4) : 100
				printf "%.1f\t%.1f", r, c}')
		fi
		local shown=""
		[[ -n $change ]] && shown="  change: req/s ${change%%$'\t'*} %, CPU/req ${change##*$'\t'} %"
		log "settling $label: ${elapsed}s  $(describe)$shown"
		previous=$current
		if [[ -n $change ]] && ((elapsed >= min)) \
			&& awk -F'\t' -v t="$SETTLE_TOLERANCE" '{exit !(($1 < 0 ? -$1 : $1) <= t && ($2 < 0 ? -$2 : $2) <= t)}' <<< "$change"; then
			settled=1
			break
		fi
		((elapsed < max)) || break
	done
	[[ -n $change ]] || change=$'-\t-'
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$((SECONDS - started))" "$windows" "$settled" "$current" "$change" \
		>> "$WORK/settle.tsv"
	((settled == 1)) || log "settling $label: NOT settled after $((SECONDS - started))s; measuring anyway (marked in results.md)"
}

warm_up() { # run
	if is_jvm_run "$1"; then
		settle "$1" "$1" "$SETTLE_MIN" "$SETTLE_MAX" "$SETTLE_WINDOW"
	else
		run_wrk "$1" 5 "$WORK/warmup-$1.txt" || true
	fi
}

measure() { # run round
	load_once "$1" "$DURATION" "$WORK/run-$1-round-$2.txt"
	printf '%s\t%s\t%s\n' "$1" "$2" "$SAMPLE" >> "$WORK/raw.tsv"
	log "run $1 round $2: $(describe)"
}

profile() { # start|stop
	[[ $PROFILE == 1 ]] || return 0
	local pid
	pid=$(cat "$WORK/gw-memory.pid")
	if [[ $1 == start ]]; then
		jcmd "$pid" JFR.start name=bench settings=profile filename="$RESULTS/gateway-runs-4-5.jfr" > /dev/null
	else
		jcmd "$pid" JFR.stop name=bench > /dev/null
		log "JFR recording: $RESULTS/gateway-runs-4-5.jfr"
	fi
}

soak() {
	((SOAK_SECONDS > 0)) || return 0
	local rate
	rate=$(awk -F'\t' '$1 == 5 {print $3 * 1000000 / $4}' "$WORK/raw.tsv" | sort -n | awk '{a[NR] = $1} END {print int(a[int((NR + 1) / 2)] / 2)}')
	log "soak: run 5 at about $rate requests/s (half its median) for $SOAK_SECONDS s, sampling every 10 s"
	local pid
	pid=$(cat "$WORK/gw-memory.pid")
	# per connection: one request, then a pause that keeps the total near the target rate
	local delay_ms
	delay_ms=$(awk -v c="$CONNECTIONS" -v r="$rate" 'BEGIN {print int(c * 1000 / r)}')
	{
		cat "$BENCH/lua/measure.lua"
		printf '\nfunction delay()\n\treturn %s\nend\n' "$delay_ms"
	} > "$WORK/soak.lua"
	run_wrk 5 "$SOAK_SECONDS" "$WORK/soak.txt" "$WORK/soak.lua" &
	local wrk_pid=$!
	printf 'seconds\trss_kb\theap_used_kb\told_used_kb\n' > "$WORK/soak.tsv"
	local started=$SECONDS
	while kill -0 "$wrk_pid" 2> /dev/null; do
		local rss heap
		rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
		# jstat -gc: S0U S1U EU OU are columns 3 4 6 8 (KB)
		heap=$(jstat -gc "$pid" | awk 'NR == 2 {printf "%d\t%d", $3 + $4 + $6 + $8, $8}')
		printf '%s\t%s\t%s\n' "$((SECONDS - started))" "$rss" "$heap" >> "$WORK/soak.tsv"
		sleep 10
	done
	wait "$wrk_pid" || true
	cp "$WORK/soak.tsv" "$RESULTS/soak.tsv"
	grep '^BENCH_RESULT' "$WORK/soak.txt" > "$RESULTS/soak-result.txt" || true
}

# Each feature's cost: one gateway with that feature switched off (lean.bench.ablate), started after the main rounds,
# settled, then measured in alternating rounds against the all-on gateway of runs 4-5, so that both figures come
# from the same minutes. Lines of ablation.tsv: feature run round side(off|on), then the columns of raw.tsv.
ablation() {
	((${#ABLATED[@]} > 0)) || return 0
	local -a runs
	IFS=, read -r -a runs <<< "$ABLATION_RUNS"
	for run in "${runs[@]}"; do
		[[ $run == 4 || $run == 5 ]] || die "BENCH_ABLATION_RUNS: only runs 4 and 5 can be ablated, not '$run'"
	done
	# the other JVMs are no longer needed: nothing idles beside the two gateways compared
	for name in scg gw-redis gw-signin; do
		[[ -f $WORK/$name.pid ]] && stop_java "$name"
	done
	log "ablation: ${ABLATED[*]} (runs ${runs[*]}; ${ABLATION_ROUNDS} alternating rounds of ${ABLATION_DURATION}s each)"
	for feature in "${ABLATED[@]}"; do
		log "ablation: starting a gateway with $feature switched off (:$GW_ABLATION_PORT)"
		if [[ $feature == nothing ]]; then
			start_gateway gw-ablation "$GW_ABLATION_PORT" "$GW_ABLATION_MGMT" memory
			wait_gateway gw-ablation "$GW_ABLATION_MGMT"
		else
			start_gateway gw-ablation "$GW_ABLATION_PORT" "$GW_ABLATION_MGMT" memory --lean.bench.ablate="$feature"
			wait_gateway gw-ablation "$GW_ABLATION_MGMT"
			grep -q 'lean.bench.ablate switches off' "$WORK/gw-ablation.log" \
				|| die "the ablation gateway did not take lean.bench.ablate=$feature (see $WORK/gw-ablation.log)"
		fi
		SESSION_ABLATION=""
		if [[ " ${runs[*]} " == *" 5 "* ]]; then
			if ! SESSION_ABLATION=$(driver session "http://$SSO_HOST:$GW_ABLATION_PORT/oauth/login?next=/" LEAN_SESSION \
				"http://$SSO_HOST:$GW_ABLATION_PORT/" 2> "$WORK/ablation-$feature-sign-in.txt"); then
				# without the session step a signed-in person's request passes as anonymous: any cookie does
				[[ $feature == session ]] || { cat "$WORK/ablation-$feature-sign-in.txt" >&2; die "no session from the ablation gateway ($feature off)"; }
				SESSION_ABLATION=$SESSION_MEMORY
			fi
		fi
		for run in "${runs[@]}"; do
			settle "a$run" "$run $feature off" "$ABLATION_SETTLE_MIN" "$ABLATION_SETTLE_MAX" "$ABLATION_DURATION"
		done
		for ((round = 1; round <= ABLATION_ROUNDS; round++)); do
			local -a sides=(off on)
			((round % 2 == 0)) && sides=(on off)
			for run in "${runs[@]}"; do
				for side in "${sides[@]}"; do
					local target=$run
					[[ $side == off ]] && target=a$run
					load_once "$target" "$ABLATION_DURATION" "$WORK/ablation-$feature-$run-$side-$round.txt"
					printf '%s\t%s\t%s\t%s\t%s\n' "$feature" "$run" "$round" "$side" "$SAMPLE" >> "$WORK/ablation.tsv"
					log "ablation $feature, run $run round $round, $side: $(describe)"
				done
			done
		done
		stop_java gw-ablation
	done
}

run_jmh() {
	[[ $RUN_JMH == 1 ]] || return 0
	log "tenant heap: 10,000 tenants in the tenant directory"
	java -XX:+UseSerialGC -Xmx512m -cp "$JMH_CP" com.iotorq.lean.gateway.tenant.TenantHeap 10000 > "$WORK/heap.txt"
	cat "$WORK/heap.txt" >&2
	# every benchmark bench/jmh has (PipelineBenchmark and AccessLogBenchmark included once they exist)
	log "JMH: $(java -cp "$JMH_CP" org.openjdk.jmh.Main -l "$JMH_INCLUDE" | tail -n +2 | sed 's/.*gateway\.//' | tr '\n' ' ')"
	log "JMH: $JMH_ARGS"
	# shellcheck disable=SC2086
	# a failure here (e.g. another JMH holding /tmp/jmh.lock) must not lose the runs' results: its targets are
	# then reported as not measured
	if ! java -cp "$JMH_CP" org.openjdk.jmh.Main $JMH_ARGS -rf csv -rff "$WORK/jmh.csv" "$JMH_INCLUDE" > "$WORK/jmh.txt" 2>&1; then
		tail -30 "$WORK/jmh.txt" >&2
		log "ERROR: JMH failed; its targets are reported as not measured (output: $RESULTS/jmh.txt)"
		cp "$WORK/jmh.txt" "$RESULTS/jmh.txt"
		rm -f "$WORK/jmh.csv"
		JMH_STATUS=failed
		return 0
	fi
	sed -n '/^Benchmark/,$p' "$WORK/jmh.txt" >&2
}

machine() {
	{
		echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
		echo "cpu: $(nproc) x $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
		echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
		echo "kernel: $(uname -r)"
		echo "java: $(java -version 2>&1 | head -1)"
		echo "wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
		echo "nginx: $(nginx -v 2>&1 | sed 's/.*: //')"
		echo "apache: $(/usr/sbin/apache2 -v | head -1 | sed 's/.*: //'), mod_auth_openidc $(dpkg-query -W -f '${Version}' libapache2-mod-auth-openidc 2> /dev/null)"
		echo "settings: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s; $ROUNDS rounds; JVMs settled in ${SETTLE_WINDOW}s windows within ${SETTLE_TOLERANCE} % (${SETTLE_MIN}-${SETTLE_MAX}s), nginx and Apache 5s; run 7: $SIGNIN_CONCURRENCY browsers, ${SIGNIN_WARMUP}s warm-up; JVMs: $JVM_OPTS"
		if ((${#ABLATED[@]} > 0)); then
			echo "ablation: ${ABLATED[*]}; runs $ABLATION_RUNS; $ABLATION_ROUNDS alternating rounds of ${ABLATION_DURATION}s; settled in ${ABLATION_DURATION}s windows (${ABLATION_SETTLE_MIN}-${ABLATION_SETTLE_MAX}s)"
		else
			echo "ablation: none"
		fi
		echo "steady run: ${SOAK_SECONDS}s; JMH: $JMH_ARGS '$JMH_INCLUDE'"
	} > "$WORK/machine.txt"
}

serve() {
	{
		for run in 1 2 3 4 5 6 8; do
			wrk_target "$run"
			printf 'run %s: wrk -t%s -c%s -d10s --latency -s %s' "$run" "$THREADS" "$CONNECTIONS" "$BENCH/lua/measure.lua"
			printf " '%s'" "${WRK_WORDS[@]}"
			printf '   # serving pid %s\n' "$(serving_pid "$run")"
		done
		printf 'run 7: %s -cp %s SignInDriver flows %s LEAN_SESSION %s 2 10 %s\n' \
			"${DRIVER_JVM[*]}" "$WORK/tools" "'http://$SSO_HOST:$GW_SIGNIN_PORT/oauth/login?next=/'" "$SIGNIN_CONCURRENCY" "$(serving_pid 7)"
	} | tee "$WORK/serve.txt" >&2
	# for starting more instances by hand (e.g. another build): the run's private settings
	declare -p DATABASE REDIS_NAMESPACE ADMIN_TOKEN SECRETS_KEY CLIENT_SECRET ENTRA_TID CLIENT_ID > "$WORK/serve.env"
	log "serving until stopped (Ctrl-C, or kill $$); commands also in $WORK/serve.txt"
	while true; do
		sleep 3600 &
		SERVE_SLEEP=$!
		wait $! || true
	done
}

# ---- main ----------------------------------------------------------------------------------------
main() {
	install_packages
	WORK=$(mktemp -d /tmp/lean-bench.XXXXXX)
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	mkdir -p "$RESULTS"
	# what this invocation may not write again must not linger from an earlier one (--serve writes no results)
	if [[ $SERVE != 1 ]]; then
		rm -f "$RESULTS/jmh.csv" "$RESULTS/heap.txt" "$RESULTS/soak.tsv" "$RESULTS/soak-result.txt" \
			"$RESULTS/gateway-runs-4-5.jfr" "$RESULTS/settle.tsv" "$RESULTS/ablation.tsv" "$RESULTS/jmh.txt"
	fi
	echo "start: $(uptime)" > "$WORK/load.txt"
	for port in $BACKEND_PORT $PROXY_PORT $SCG_PORT $GW_MEMORY_PORT $GW_REDIS_PORT $GW_SIGNIN_PORT $GW_ABLATION_PORT $APACHE_PORT \
		$ENTRA_PORT $GW_MEMORY_MGMT $GW_REDIS_MGMT $GW_SIGNIN_MGMT $GW_ABLATION_MGMT; do
		port_free "$port" || die "port $port is taken (another bench running?); set BENCH_PORT_BASE"
	done
	psql -h 127.0.0.1 -U postgres -q -c 'SELECT 1' > /dev/null 2>&1 || die "PostgreSQL on 127.0.0.1:5432 (user postgres) is needed"
	[[ $(redis-cli -h 127.0.0.1 ping 2> /dev/null) == PONG ]] || die "Redis on 127.0.0.1:6379 is needed"
	build
	machine

	DATABASE=lean_bench_$$
	REDIS_NAMESPACE=lean-bench-$$:session
	ADMIN_TOKEN=$(openssl rand -hex 32)
	SECRETS_KEY=$(openssl rand -base64 32)
	CLIENT_SECRET="bench~$(openssl rand -hex 16)"
	openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt > "$WORK/identity.pem" 2> /dev/null
	psql -h 127.0.0.1 -U postgres -q -c "CREATE DATABASE $DATABASE" > /dev/null

	log "starting nginx (backend :$BACKEND_PORT, proxy :$PROXY_PORT), the Entra imitation (:$ENTRA_PORT) and the SCG baseline (:$SCG_PORT)"
	start_nginx
	start_entra
	# shellcheck disable=SC2086
	start_java scg $JVM_OPTS -jar "$SCG_JAR" --server.port="$SCG_PORT" --bench.backend-uri="http://127.0.0.1:$BACKEND_PORT"
	log "starting the gateway: memory sessions (:$GW_MEMORY_PORT)"
	start_gateway gw-memory "$GW_MEMORY_PORT" "$GW_MEMORY_MGMT" memory
	wait_gateway gw-memory "$GW_MEMORY_MGMT"
	log "starting the gateway: Redis sessions (:$GW_REDIS_PORT), and one for sign-ins (:$GW_SIGNIN_PORT)"
	start_gateway gw-redis "$GW_REDIS_PORT" "$GW_REDIS_MGMT" redis
	# run 7 measures sign-ins from one address: lift the per-address limit of sign-in requests
	# and end the driver's abandoned sessions after a minute: each sign-in leaves one (about 6 KB), and with the
	# default 30 minutes a 512 MB heap fills after some 60,000 sign-ins, so that run 7 measured the garbage
	# collector (2026-12-03: 15 → 2 sign-ins/s over three rounds, after a 5-minute settle)
	start_gateway gw-signin "$GW_SIGNIN_PORT" "$GW_SIGNIN_MGMT" memory --lean.sso.sign-in-rate-limit=100000000 \
		--lean.session.idle-timeout=1m
	wait_http "http://127.0.0.1:$SCG_PORT/" 120 || die "the SCG baseline did not start"
	[[ -f $WORK/entra.ready ]] || sleep 5
	[[ -f $WORK/entra.ready ]] || { cat "$WORK/entra.log" >&2; die "the Entra imitation did not start"; }
	wait_gateway gw-redis "$GW_REDIS_MGMT"
	wait_gateway gw-signin "$GW_SIGNIN_MGMT"
	start_apache

	log "registering organisations through the admin API"
	# a large customer's own rate limit (the default, 200/s, would answer most of the load with 429)
	admin PUT /admin/tenants/plain '{"displayName":"Plain Organisation","requestsPerSecond":1000000}'
	admin PUT /admin/tenants/acme '{"displayName":"Acme","requestsPerSecond":1000000}'
	admin PUT /admin/tenants/acme/sso "{\"provider\":\"entra\",\"entraTenantId\":\"$ENTRA_TID\",\"clientId\":\"$CLIENT_ID\",\"clientSecret\":\"$CLIENT_SECRET\",\"mode\":\"REQUIRED\",\"provisioning\":\"EXISTING_ONLY\"}"
	admin PUT "/admin/tenants/acme/users/$USER_EMAIL" '{"status":"ACTIVE"}'

	log "signing in: gateway (memory), gateway (Redis), Apache"
	SESSION_MEMORY=$(driver session "http://$SSO_HOST:$GW_MEMORY_PORT/oauth/login?next=/" LEAN_SESSION "http://$SSO_HOST:$GW_MEMORY_PORT/") \
		|| die "no session from the gateway (memory)"
	SESSION_REDIS=$(driver session "http://$SSO_HOST:$GW_REDIS_PORT/oauth/login?next=/" LEAN_SESSION "http://$SSO_HOST:$GW_REDIS_PORT/") \
		|| die "no session from the gateway (Redis)"
	SESSION_APACHE=$(driver session "http://127.0.0.1:$APACHE_PORT/" mod_auth_openidc_session "http://127.0.0.1:$APACHE_PORT/") \
		|| die "no session from Apache"
	[[ $(redis-cli -h 127.0.0.1 --scan --pattern "$REDIS_NAMESPACE:*" | wc -l) -gt 0 ]] || die "the Redis gateway stored no session in Redis"

	if [[ $SERVE == 1 ]]; then
		serve
		return
	fi
	IFS=, read -r -a selected <<< "$RUNS"
	log "warming up: JVM runs until settled, 5s on nginx and Apache"
	: > "$WORK/settle.tsv"
	for run in "${selected[@]}"; do
		warm_up "$run"
	done
	: > "$WORK/raw.tsv"
	for ((round = 1; round <= ROUNDS; round++)); do
		local -a order=("${selected[@]}")
		if ((round % 2 == 0)); then
			mapfile -t order < <(printf '%s\n' "${selected[@]}" | sort -rn)
		fi
		log "round $round of $ROUNDS: runs ${order[*]}"
		((round == ROUNDS)) && profile start
		for run in "${order[@]}"; do
			measure "$run" "$round"
		done
		((round == ROUNDS)) && profile stop
	done
	soak
	: > "$WORK/ablation.tsv"
	ablation
	echo "end: $(uptime)" >> "$WORK/load.txt"
	run_jmh
	cp "$WORK/raw.tsv" "$RESULTS/raw.tsv"
	cp "$WORK/settle.tsv" "$RESULTS/settle.tsv"
	[[ -s $WORK/ablation.tsv ]] && cp "$WORK/ablation.tsv" "$RESULTS/ablation.tsv"
	[[ -f $WORK/jmh.csv ]] && cp "$WORK/jmh.csv" "$RESULTS/jmh.csv"
	[[ -f $WORK/heap.txt ]] && cp "$WORK/heap.txt" "$RESULTS/heap.txt"
	cat "$WORK/load.txt" >> "$WORK/machine.txt"
	cp "$WORK/machine.txt" "$RESULTS/machine.txt"
	java -Dbench.signinReference="$SIGNIN_REFERENCE" -Dbench.soakSeconds="$SOAK_SECONDS" -Dbench.jmh="$JMH_STATUS" \
		-cp "$WORK/tools" Report "$RESULTS" "$WORK/machine.txt"
	log "results: $RESULTS/results.md, $RESULTS/results.svg"
}

main "$@"
