#!/usr/bin/env bash
# The LEAN Gateway benchmark: the gateway against its baselines, side by side, in one invocation.
# What it runs and how to read the results: bench/README.md.
#
#   bench/run.sh            the full benchmark (about 20 minutes with the defaults, more on a busy machine)
#   bench/run.sh --smoke    a short check that everything starts and answers (about 4 minutes)
#   bench/run.sh --serve    start everything, sign in, print how to load each run, and wait (for profiling)
#
# Settings (environment variables, defaults in brackets):
#   BENCH_DURATION [10]            seconds per measurement
#   BENCH_THREADS [2]              wrk threads
#   BENCH_CONNECTIONS [32]         wrk connections (the same for every run)
#   BENCH_ROUNDS [3]               rounds; each round runs every selected run, odd rounds 1..8, even rounds 8..1
#   BENCH_WARMUP [150]             seconds of unmeasured load per JVM before the first round (JIT); nginx and
#                                  Apache get at most 5
#   BENCH_RUNS [1,2,3,4,5,6,7,8]   which runs
#   BENCH_SIGNIN_CONCURRENCY [16]  browsers signing in at once in run 7
#   BENCH_SIGNIN_WARMUP [2]        unmeasured seconds at the start of each run-7 measurement
#   BENCH_JVM_OPTS [-Xms512m -Xmx512m -XX:+ExitOnOutOfMemoryError]   for the SCG baseline and every gateway
#   BENCH_PORT_BASE [18000]        ports BASE+1 .. BASE+19 on 127.0.0.1
#   BENCH_JMH [1]                  0 skips the JMH benchmarks and the tenant heap measurement
#   BENCH_JMH_ARGS [-wi 5 -w 1 -i 10 -r 1 -f 2]
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
	: "${BENCH_DURATION:=3}" "${BENCH_ROUNDS:=1}" "${BENCH_WARMUP:=3}" "${BENCH_SIGNIN_WARMUP:=1}"
	: "${BENCH_JMH_ARGS:=-wi 1 -w 1 -i 1 -r 1 -f 1}"
	: "${BENCH_RESULTS:=/tmp/lean-bench-smoke-results}"
elif [[ "${1:-}" == "--serve" ]]; then
	SERVE=1
elif [[ -n "${1:-}" ]]; then
	sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
fi
DURATION=${BENCH_DURATION:-10}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
ROUNDS=${BENCH_ROUNDS:-3}
WARMUP=${BENCH_WARMUP:-150}
RUNS=${BENCH_RUNS:-1,2,3,4,5,6,7,8}
SIGNIN_CONCURRENCY=${BENCH_SIGNIN_CONCURRENCY:-16}
SIGNIN_WARMUP=${BENCH_SIGNIN_WARMUP:-2}
JVM_OPTS=${BENCH_JVM_OPTS:--Xms512m -Xmx512m -XX:+ExitOnOutOfMemoryError}
PORT_BASE=${BENCH_PORT_BASE:-18000}
RUN_JMH=${BENCH_JMH:-1}
JMH_ARGS=${BENCH_JMH_ARGS:--wi 5 -w 1 -i 10 -r 1 -f 2}
SOAK_SECONDS=${BENCH_SOAK_SECONDS:-0}
PROFILE=${BENCH_PROFILE:-0}
BUILD=${BENCH_BUILD:-1}
RESULTS=${BENCH_RESULTS:-$BENCH/results}
KEEP=${BENCH_KEEP:-0}
SERVE=${SERVE:-0}

BACKEND_PORT=$((PORT_BASE + 1))
PROXY_PORT=$((PORT_BASE + 2))
SCG_PORT=$((PORT_BASE + 3))
GW_MEMORY_PORT=$((PORT_BASE + 4))
GW_REDIS_PORT=$((PORT_BASE + 5))
GW_SIGNIN_PORT=$((PORT_BASE + 6))
APACHE_PORT=$((PORT_BASE + 8))
ENTRA_PORT=$((PORT_BASE + 9))
GW_MEMORY_MGMT=$((PORT_BASE + 14))
GW_REDIS_MGMT=$((PORT_BASE + 15))
GW_SIGNIN_MGMT=$((PORT_BASE + 16))

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

start_entra() {
	start_java entra -Xmx256m -cp "$ENTRA_CP" EntraLauncher "$ENTRA_PORT" "$ENTRA_TID" "$CLIENT_ID" "$CLIENT_SECRET" \
		"$USER_EMAIL" "$WORK/entra.ready" \
		"http://$SSO_HOST:$GW_MEMORY_PORT/oauth/complete/" "http://$SSO_HOST:$GW_REDIS_PORT/oauth/complete/" \
		"http://$SSO_HOST:$GW_SIGNIN_PORT/oauth/complete/" "http://127.0.0.1:$APACHE_PORT/oidc/redirect_uri"
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

serving_pid() { # run -> pid of the serving process
	case $1 in
		1) cat "$WORK/nginx-backend.pid" ;;
		2) cat "$WORK/nginx-proxy.pid" ;;
		3) cat "$WORK/scg.pid" ;;
		4 | 5) cat "$WORK/gw-memory.pid" ;;
		6) cat "$WORK/gw-redis.pid" ;;
		7) cat "$WORK/gw-signin.pid" ;;
		8) cat "$WORK/apache.pid" ;;
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
	esac
}

run_wrk() { # run seconds output [lua script]
	wrk_target "$1"
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2s" --latency -s "${4:-$BENCH/lua/measure.lua}" "${WRK_WORDS[@]}" > "$3" 2>&1
}

warm_up() { # run
	local seconds=$WARMUP
	if [[ $1 == 1 || $1 == 2 || $1 == 8 ]]; then
		seconds=$((WARMUP < 5 ? WARMUP : 5))
	fi
	if [[ $1 == 7 ]]; then
		driver flows "http://$SSO_HOST:$GW_SIGNIN_PORT/oauth/login?next=/" LEAN_SESSION "$SIGNIN_CONCURRENCY" 0 "$WARMUP" \
			> "$WORK/warmup-7.txt" 2>&1 || true
	else
		run_wrk "$1" "$seconds" "$WORK/warmup-$1.txt" || true
	fi
}

measure() { # run round
	local run=$1 round=$2 out="$WORK/run-$1-round-$2.txt" pid before after line
	pid=$(serving_pid "$run")
	local -a pids
	mapfile -t pids < <(tree_pids "$pid")
	before=$(cpu_ticks "${pids[@]}")
	if [[ $run == 7 ]]; then
		driver flows "http://$SSO_HOST:$GW_SIGNIN_PORT/oauth/login?next=/" LEAN_SESSION "$SIGNIN_CONCURRENCY" \
			"$SIGNIN_WARMUP" "$DURATION" "$pid" > "$out" 2>&1 || true
	else
		run_wrk "$run" "$DURATION" "$out" || true
	fi
	after=$(cpu_ticks "${pids[@]}")
	line=$(grep '^BENCH_RESULT' "$out" || true)
	[[ -n $line ]] || { cat "$out" >&2; die "run $run round $round produced no result"; }
	local requests duration non2xx errors p50 p99 p999 ticks
	requests=$(sed -E 's/.* requests=([0-9]+).*/\1/' <<< "$line")
	duration=$(sed -E 's/.* duration_us=([0-9]+).*/\1/' <<< "$line")
	non2xx=$(sed -E 's/.* non2xx=([0-9]+).*/\1/' <<< "$line")
	errors=$(sed -E 's/.* socket_errors=([0-9]+).*/\1/' <<< "$line")
	p50=$(sed -E 's/.* p50_us=([0-9]+).*/\1/' <<< "$line")
	p99=$(sed -E 's/.* p99_us=([0-9]+).*/\1/' <<< "$line")
	p999=$(sed -E 's/.* p999_us=([0-9]+).*/\1/' <<< "$line")
	# run 7's driver reads the gateway's CPU over its measured window itself (it warms up first)
	if [[ $line == *cpu_ticks=* ]]; then
		ticks=$(sed -E 's/.* cpu_ticks=([0-9]+).*/\1/' <<< "$line")
	else
		ticks=$((after - before))
	fi
	local rss
	rss=$(peak_rss_kb "${pids[@]}")
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "$round" "$requests" "$duration" "$non2xx" "$errors" \
		"$p50" "$p99" "$p999" "$ticks" "$CLK_TCK" "$rss" >> "$WORK/raw.tsv"
	log "$(printf 'run %s round %s: %8.1f /s  p50 %6.2f ms  p99 %7.2f ms  non-2xx %s  errors %s' "$run" "$round" \
		"$(echo "$requests $duration" | awk '{print $1 * 1000000 / $2}')" "$(echo "$p50" | awk '{print $1 / 1000}')" \
		"$(echo "$p99" | awk '{print $1 / 1000}')" "$non2xx" "$errors")"
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

run_jmh() {
	[[ $RUN_JMH == 1 ]] || return 0
	log "tenant heap: 10,000 tenants in the tenant directory"
	java -XX:+UseSerialGC -Xmx512m -cp "$JMH_CP" com.iotorq.lean.gateway.tenant.TenantHeap 10000 > "$WORK/heap.txt"
	cat "$WORK/heap.txt" >&2
	log "JMH: $JMH_ARGS"
	# shellcheck disable=SC2086
	java -cp "$JMH_CP" org.openjdk.jmh.Main $JMH_ARGS -rf csv -rff "$WORK/jmh.csv" \
		'com.iotorq.lean.gateway.(tenant.TenantResolution|routing.HeaderHygiene|identity.IdentityHeaders|observability.AccessLog)Benchmark' \
		> "$WORK/jmh.txt" 2>&1 || { tail -30 "$WORK/jmh.txt" >&2; die "JMH failed"; }
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
		echo "settings: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s; $ROUNDS rounds; warm-up ${WARMUP}s per server; run 7: $SIGNIN_CONCURRENCY browsers, ${SIGNIN_WARMUP}s warm-up; JVMs: $JVM_OPTS"
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
			"$RESULTS/gateway-runs-4-5.jfr"
	fi
	echo "start: $(uptime)" > "$WORK/load.txt"
	for port in $BACKEND_PORT $PROXY_PORT $SCG_PORT $GW_MEMORY_PORT $GW_REDIS_PORT $GW_SIGNIN_PORT $APACHE_PORT $ENTRA_PORT \
		$GW_MEMORY_MGMT $GW_REDIS_MGMT $GW_SIGNIN_MGMT; do
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
	start_gateway gw-signin "$GW_SIGNIN_PORT" "$GW_SIGNIN_MGMT" memory --lean.sso.sign-in-rate-limit=100000000
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
	log "warming up: ${WARMUP}s per run on a JVM, 5s on nginx and Apache"
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
	echo "end: $(uptime)" >> "$WORK/load.txt"
	soak
	run_jmh
	cp "$WORK/raw.tsv" "$RESULTS/raw.tsv"
	[[ -f $WORK/jmh.csv ]] && cp "$WORK/jmh.csv" "$RESULTS/jmh.csv"
	[[ -f $WORK/heap.txt ]] && cp "$WORK/heap.txt" "$RESULTS/heap.txt"
	cat "$WORK/load.txt" >> "$WORK/machine.txt"
	cp "$WORK/machine.txt" "$RESULTS/machine.txt"
	java -cp "$WORK/tools" Report "$RESULTS" "$WORK/machine.txt"
	log "results: $RESULTS/results.md, $RESULTS/results.svg"
}

main "$@"
