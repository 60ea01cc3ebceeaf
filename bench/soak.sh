#!/usr/bin/env bash
# Soak run: one gateway (Redis sessions and rate limits, as in production) in front of a fast
# nginx backend, under a steady load at about half of its peak rate for a bounded time, with the
# heap (after a full GC) and the RSS sampled throughout. Fails when a request fails or the heap or
# RSS keep growing.
#
#   bench/soak.sh                          # 10 minutes at RATE=500 requests/s
#   DURATION=120 RATE=300 bench/soak.sh    # the short check
#   PEAK=2400 bench/soak.sh                # RATE = PEAK/2, PEAK as measured by bench/run.sh
#
# Output: samples (seconds, heap MB after GC, RSS MB) and a summary in bench/results/soak-*.
# Limits: HEAP_GROWTH_MB (default 64) between the first sample after warm-up and the last, and
# RSS_GROWTH_PCT (default 25).
source "$(dirname "$0")/soak-lib.sh"
trap cleanup EXIT

DURATION=${DURATION:-600}
if [ -n "${PEAK:-}" ]; then RATE=$((PEAK / 2)); fi
RATE=${RATE:-500}
CONNECTIONS=${CONNECTIONS:-50}
SAMPLE_EVERY=${SAMPLE_EVERY:-30}
WARMUP=${WARMUP:-30}
HEAP_GROWTH_MB=${HEAP_GROWTH_MB:-64}
RSS_GROWTH_PCT=${RSS_GROWTH_PCT:-25}
RESULTS="$BENCH_DIR/results"
STAMP=$(date +%Y%m%d-%H%M%S)
mkdir -p "$RESULTS"
SAMPLES="$RESULTS/soak-$STAMP.csv"
SUMMARY="$RESULTS/soak-$STAMP.txt"

build_jar
create_database
secrets
BACKEND_PORT=$(free_port)
nginx_start "$(backend_config "$BACKEND_PORT")"
PORT=$(free_port); MGMT=$(free_port)
gateway_start soak "$PORT" "$MGMT" --lean.session.store=redis --lean.rate-limit.default-requests-per-second=100000
GW=$GATEWAY_PID
wait_ready "$MGMT"
create_tenant "$MGMT" soak
log "gateway pid $GW on :$PORT, backend :$BACKEND_PORT; warming up for ${WARMUP}s"
SOAK_HOST="soak.$DOMAIN:$PORT" RATE=$RATE CONNECTIONS=$CONNECTIONS \
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -s "$BENCH_DIR/soak-pace.lua" "http://127.0.0.1:$PORT" >/dev/null

echo "seconds,heap_after_gc_mb,rss_mb" > "$SAMPLES"
log "soaking: ${DURATION}s at about $RATE requests/s over $CONNECTIONS connections"
SOAK_HOST="soak.$DOMAIN:$PORT" RATE=$RATE CONNECTIONS=$CONNECTIONS \
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$BENCH_DIR/soak-pace.lua" "http://127.0.0.1:$PORT" \
  > "$WORK/wrk.txt" 2>&1 &
WRK=$!
START=$(date +%s)
while kill -0 "$WRK" 2>/dev/null; do
  echo "$(( $(date +%s) - START )),$(heap_after_gc "$GW"),$(rss_mb "$GW")" >> "$SAMPLES"
  sleep "$SAMPLE_EVERY"
done
wait "$WRK" || true
echo "$(( $(date +%s) - START )),$(heap_after_gc "$GW"),$(rss_mb "$GW")" >> "$SAMPLES"

kill -0 "$GW" || { log "the gateway died"; tail -50 "$WORK/soak.log"; exit 1; }
REQUESTS=$(awk '/requests in/ { print $1 }' "$WORK/wrk.txt")
NON2XX=$(awk -F': ' '/Non-2xx or 3xx responses/ { print $2 }' "$WORK/wrk.txt"); NON2XX=${NON2XX:-0}
SOCKET=$(awk '/Socket errors/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' "$WORK/wrk.txt"); SOCKET=${SOCKET:-0}
FIRST_HEAP=$(sed -n 2p "$SAMPLES" | cut -d, -f2); LAST_HEAP=$(tail -1 "$SAMPLES" | cut -d, -f2)
FIRST_RSS=$(sed -n 2p "$SAMPLES" | cut -d, -f3); LAST_RSS=$(tail -1 "$SAMPLES" | cut -d, -f3)
{
  echo "soak $STAMP: ${DURATION}s at target $RATE req/s, $CONNECTIONS connections"
  grep -E "Requests/sec|Latency|requests in|50%|99%" "$WORK/wrk.txt"
  echo "requests: $REQUESTS, non-2xx: $NON2XX, socket errors: $SOCKET"
  echo "heap after GC: $FIRST_HEAP MB -> $LAST_HEAP MB (limit +$HEAP_GROWTH_MB MB)"
  echo "RSS: $FIRST_RSS MB -> $LAST_RSS MB (limit +$RSS_GROWTH_PCT %)"
  echo "samples: $SAMPLES"
} | tee "$SUMMARY"

FAILED=0
[ "$NON2XX" -eq 0 ] && [ "$SOCKET" -eq 0 ] || { log "FAILED: requests failed"; FAILED=1; }
[ $((LAST_HEAP - FIRST_HEAP)) -le "$HEAP_GROWTH_MB" ] || { log "FAILED: heap grew"; FAILED=1; }
[ $((LAST_RSS * 100)) -le $((FIRST_RSS * (100 + RSS_GROWTH_PCT))) ] || { log "FAILED: RSS grew"; FAILED=1; }
[ "$FAILED" -eq 0 ] && log "soak passed"
exit "$FAILED"
