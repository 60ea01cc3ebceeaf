#!/usr/bin/env bash
# Rolling restart under load: two gateway instances (Redis sessions) behind nginx, as behind the
# Kubernetes ingress; wrk sends requests through nginx without pause while each instance in turn
# gets SIGTERM (graceful shutdown: readiness flips, requests in flight finish, the process exits)
# and is started again. Passes when no request failed (0 non-2xx, 0 socket errors).
#
#   bench/rolling-restart.sh
#   CONNECTIONS=50 bench/rolling-restart.sh
#
# nginx retries a request on the other instance when a connection is refused
# (proxy_next_upstream error, its default), as the ingress controller does. The in-JVM version of
# this check runs with the tests: ReplicasIntegrationTests.
source "$(dirname "$0")/soak-lib.sh"
trap cleanup EXIT

CONNECTIONS=${CONNECTIONS:-20}
SETTLE=${SETTLE:-10}

build_jar
create_database
secrets
BACKEND_PORT=$(free_port)
A_PORT=$(free_port); A_MGMT=$(free_port); B_PORT=$(free_port); B_MGMT=$(free_port); LB_PORT=$(free_port)
nginx_start "$(backend_config "$BACKEND_PORT")
  upstream gateways { server 127.0.0.1:$A_PORT max_fails=0; server 127.0.0.1:$B_PORT max_fails=0; }
  log_format upstreams '\$status \$upstream_addr \$upstream_status \$request_time \$request';
  server {
    listen 127.0.0.1:$LB_PORT;
    access_log $WORK/access.log upstreams;
    location / {
      proxy_pass http://gateways;
      proxy_set_header Host \$http_host;
      proxy_connect_timeout 1s;
      proxy_next_upstream error timeout;
    }
  }"

declare -A PID_OF
start_instance() { # name port mgmt
  gateway_start "$1" "$2" "$3" --lean.session.store=redis --lean.rate-limit.default-requests-per-second=100000
  PID_OF[$1]=$GATEWAY_PID
}
start_instance a "$A_PORT" "$A_MGMT"
start_instance b "$B_PORT" "$B_MGMT"
wait_ready "$A_MGMT"; wait_ready "$B_MGMT"
create_tenant "$A_MGMT" rolling
log "instances a :$A_PORT and b :$B_PORT behind nginx :$LB_PORT; load starts"

# a generous client timeout: on a busy machine a starting JVM can stall requests for a while;
# what counts here is that none fails
wrk -t2 -c"$CONNECTIONS" -d1h --timeout 30s --latency -H "Host: rolling.$DOMAIN" "http://127.0.0.1:$LB_PORT/rolling" \
  > "$WORK/wrk.txt" 2>&1 &
WRK=$!
sleep "$SETTLE"

restart() { # name port mgmt
  local name=$1 started
  log "SIGTERM to $name (pid ${PID_OF[$name]})"
  started=$(date +%s%N)
  kill -TERM "${PID_OF[$name]}"
  wait "${PID_OF[$name]}" || true
  log "$name exited after $(( ($(date +%s%N) - started) / 1000000 )) ms; starting it again"
  start_instance "$name" "$2" "$3"
  wait_ready "$3"
  log "$name is ready again"
  sleep "$SETTLE"
}
restart a "$A_PORT" "$A_MGMT"
restart b "$B_PORT" "$B_MGMT"

kill -INT "$WRK"; wait "$WRK" || true
cat "$WORK/wrk.txt"
NON2XX=$(awk -F': ' '/Non-2xx or 3xx responses/ { print $2 }' "$WORK/wrk.txt"); NON2XX=${NON2XX:-0}
SOCKET=$(awk '/Socket errors/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' "$WORK/wrk.txt"); SOCKET=${SOCKET:-0}
log "non-2xx: $NON2XX, socket errors: $SOCKET"
# 499: wrk itself hung up when it was stopped at the end
awk '$1 !~ /^2/ && $1 != "499"' "$WORK/access.log" | head -20
[ "$NON2XX" -eq 0 ] && [ "$SOCKET" -eq 0 ] && { log "rolling restart lost no request"; exit 0; }
log "FAILED: requests were lost"; exit 1
