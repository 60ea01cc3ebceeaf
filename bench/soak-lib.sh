#!/usr/bin/env bash
# Helpers shared by bench/soak.sh and bench/rolling-restart.sh: a throw-away database, an nginx
# backend (or load balancer), gateway processes from the packaged jar. Source it; needs
# PostgreSQL on 127.0.0.1:5432 (user postgres) and Redis on 127.0.0.1:6379, as .ci/run starts them,
# plus nginx, wrk, curl, openssl and the JDK tools (jcmd).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
JAR="$REPO/gateway/target/lean-gateway-0.1.0-SNAPSHOT.jar"
WORK="${WORK:-$(mktemp -d /tmp/lean-bench.XXXXXX)}"
ADMIN_TOKEN="bench-admin-token-$(openssl rand -hex 16)"
DOMAIN="lean.test"
PIDS=()

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  if [ -n "${DB_NAME:-}" ]; then psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" >/dev/null 2>&1 || true; fi
}

build_jar() {
  if [ ! -f "$JAR" ]; then
    log "building $JAR"
    (cd "$REPO" && ./mvnw -B -q -o -pl gateway package -DskipTests)
  fi
}

create_database() {
  DB_NAME="lean_bench_$(openssl rand -hex 4)"
  psql -h 127.0.0.1 -U postgres -q -c "CREATE DATABASE $DB_NAME" >/dev/null
  log "database $DB_NAME"
}

secrets() {
  SECRETS_KEY="$(openssl rand -base64 32)"
  openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -out "$WORK/identity.pem"
}

# nginx_start <config-body>: runs nginx in the foreground-less way with a config of our own
nginx_start() {
  cat > "$WORK/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx-body;
  proxy_temp_path $WORK/nginx-proxy;
  fastcgi_temp_path $WORK/nginx-fastcgi;
  uwsgi_temp_path $WORK/nginx-uwsgi;
  scgi_temp_path $WORK/nginx-scgi;
  $1
}
CONF
  nginx -c "$WORK/nginx.conf" -p "$WORK"
}

# a backend answering every request at once with a small JSON body
backend_config() {
  echo "server { listen 127.0.0.1:$1; location / { default_type application/json; return 200 '{\"ok\":true}'; } }"
}

# gateway_start <name> <port> <management-port> [extra args...]: starts the jar in the background
gateway_start() {
  local name=$1 port=$2 mgmt=$3; shift 3
  LEAN_DATABASE_HOST=127.0.0.1 LEAN_DATABASE_PORT=5432 LEAN_DATABASE_NAME="$DB_NAME" \
  LEAN_DATABASE_USERNAME=postgres LEAN_DATABASE_PASSWORD="" \
  LEAN_GATEWAY_BASE_DOMAIN="$DOMAIN" LEAN_BACKEND_DEFAULT_URI="http://127.0.0.1:$BACKEND_PORT" \
  LEAN_ADMIN_TOKENS="$ADMIN_TOKEN" LEAN_SECRETS_KEY="$SECRETS_KEY" LEAN_IDENTITY_SIGNING_KEY="$(cat "$WORK/identity.pem")" \
  SPRING_DATA_REDIS_HOST=127.0.0.1 SPRING_DATA_REDIS_PORT=6379 \
  java ${JAVA_OPTS:--Xmx512m -XX:+ExitOnOutOfMemoryError} -jar "$JAR" --server.port="$port" \
    --management.server.port="$mgmt" --spring.session.data.redis.namespace="lean-bench-$DB_NAME:session" "$@" \
    > "$WORK/$name.log" 2>&1 &
  GATEWAY_PID=$!
  PIDS+=("$GATEWAY_PID")
}

# wait_ready <management-port> [seconds]
wait_ready() {
  local mgmt=$1 limit=${2:-300}
  for _ in $(seq 1 "$limit"); do
    if curl -fsS "http://127.0.0.1:$mgmt/actuator/health/readiness" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  log "gateway on management port $mgmt did not become ready"; return 1
}

# create_tenant <management-port> <slug> [json fields]
create_tenant() {
  local mgmt=$1 slug=$2 extra=${3:-}
  curl -fsS -X PUT "http://127.0.0.1:$mgmt/admin/tenants/$slug" -H "Authorization: Bearer $ADMIN_TOKEN" \
    -H 'Content-Type: application/json' -d "{\"displayName\":\"Bench $slug\"$extra}" >/dev/null
}

# heap_after_gc <pid>: used heap in MB right after a full GC
heap_after_gc() {
  jcmd "$1" GC.run >/dev/null 2>&1 || true
  sleep 1
  jcmd "$1" GC.heap_info 2>/dev/null | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i+1); sub(/K,?/, "", v); print int(v / 1024); exit } }'
}

rss_mb() { ps -o rss= -p "$1" | awk '{ print int($1 / 1024) }'; }
