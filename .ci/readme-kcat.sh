#!/usr/bin/env bash
# Replays the README's Kafka walk-through as a new user would: start trafofn with no
# configuration but TRAFOFN_DEV_BROKER=true (it starts its development broker on 127.0.0.1:9092), paste the document's
# exec_job_1 line into kcat, read the reply with kcat and check it.
set -euo pipefail
bin="$1"
if ! command -v kcat >/dev/null; then
  echo "installing kcat (apt-get install -y kcat)"
  (apt-get install -y kcat >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y kcat >/dev/null; })
fi
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
log=$(mktemp)
# not a terminal: the development broker must be asked for (README, TRAFOFN_DEV_BROKER)
TRAFOFN_DEV_BROKER=true HTTP_PORT=$port "$bin" >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
grep -q "DEVELOPMENT Kafka broker" "$log" || { cat "$log"; echo "expected the dev broker to start"; exit 1; }
# the README's line, taken from the README itself
line=$(sed -n '/^exec_job_1:{/p' "$(dirname "$0")/../README.md" | head -1)
[ -n "$line" ] || { echo "README has no exec_job_1 line"; exit 1; }
echo "$line" | kcat -b 127.0.0.1:9092 -t hd-execution-topic -P -K:
out=$(timeout 20 kcat -b 127.0.0.1:9092 -t hd-execution-response-topic -C -o beginning -c 1 -f '%k\t%s\n')
key=${out%%$'\t'*}
value=${out#*$'\t'}
[ "$key" = "exec_job_1" ] || { echo "reply key: $key"; exit 1; }
echo "$value" | python3 -c '
import json,sys
r=json.load(sys.stdin)
assert r["result"]=="ok", r
assert r["job_id"]=="00000000-0000-0000-0000-000000000002", r["job_id"]
assert r["output_results_by_output_name"]=={"score":{},"data_and_alerts":{}}, r["output_results_by_output_name"]
print("kcat walk-through ok: reply key exec_job_1, result ok")
'
kill $pid; wait $pid 2>/dev/null || true
