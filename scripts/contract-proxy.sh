#!/usr/bin/env bash
# Puts Prism's validating proxy (tools/openapi-lint, pinned) in front of the control plane and sends a
# round of requests through it: every answer Prism finds in breach of the served OpenAPI document is
# printed with Prism's reasons (its sl-violations header), and the script exits 1 if there was one.
#
#   scripts/contract-proxy.sh                 # starts the packaged control plane (embedded default)
#   URL=http://host:8080 scripts/contract-proxy.sh   # or checks one that is running (demo mode)
#
# Needs Node.js and npm (npm ci in tools/openapi-lint when Prism is missing) and curl.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/jdk.sh
PROXY_PORT=${PROXY_PORT:-18091}
work=$(mktemp -d)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do while kill -0 "$p" 2>/dev/null; do sleep 0.2; done; done
  rm -rf "$work"
}
trap cleanup EXIT

[[ -x tools/openapi-lint/node_modules/.bin/prism ]] || (cd tools/openapi-lint && npm ci --no-audit --no-fund)

if [[ -z "${URL:-}" ]]; then
  use_jdk
  jar=control-api/target/quarkus-app/quarkus-run.jar
  [[ -f $jar ]] || ./mvnw -B -q package -pl control-api -am -DskipTests
  URL=http://127.0.0.1:${APP_PORT:-18090}
  (cd "$work" && QUARKUS_HTTP_PORT=${URL##*:} SIMULATION_TIME_SCALE=0.05 exec "$JAVA_HOME/bin/java" -jar "$OLDPWD/$jar" \
    > "$work/app.log" 2>&1) &
  pids+=($!)
  for _ in $(seq 1 240); do curl -sf "$URL/q/health/ready" > /dev/null && break; sleep 0.5; done
  curl -sf "$URL/q/health/ready" > /dev/null || { echo "the control plane did not start:"; tail -20 "$work/app.log"; exit 1; }
fi
curl -sf "$URL/q/openapi?format=json" -o "$work/openapi.json"
tools/openapi-lint/node_modules/.bin/prism proxy "$work/openapi.json" "$URL" -h 127.0.0.1 -p "$PROXY_PORT" \
  > "$work/prism.log" 2>&1 &
pids+=($!)
P=http://127.0.0.1:$PROXY_PORT
for _ in $(seq 1 120); do curl -s -o /dev/null "$P/api/queue" -H 'X-Demo-Role: viewer' && break; sleep 0.5; done

checked=0 violations=0
# call METHOD PATH [BODY]: through the proxy as admin; prints status and any violation Prism reports
call() {
  local method=$1 path=$2 body=${3:-} headers status
  local args=(-s -o "$work/body" -D "$work/headers" -w '%{http_code}' -X "$method" "$P$path" -H 'X-Demo-Role: admin'
    -H 'Accept: application/json, application/problem+json')
  [[ -z $body ]] || args+=(-H 'Content-Type: application/json' -H "Idempotency-Key: proxy-$RANDOM$RANDOM" -d "$body")
  status=$(curl "${args[@]}")
  checked=$((checked + 1))
  headers=$(grep -i '^sl-violations:' "$work/headers" | tr -d '\r' || true)
  # Prism lists request and response violations; an invalid request sent on purpose is the former
  answer=$(python3 -c 'import json,sys; v=json.loads(sys.argv[1] or "[]"); print(json.dumps([x for x in v if x["location"][0]=="response"]) if any(x["location"][0]=="response" for x in v) else "")' "${headers#*: }")
  if [[ -n $answer ]]; then
    violations=$((violations + 1))
    printf '%-6s %-60s %s  ANSWER VIOLATES THE CONTRACT: %s\n' "$method" "$path" "$status" "$answer"
  elif [[ -n $headers ]]; then
    printf '%-6s %-60s %s  ok (the request breaks the contract on purpose)\n' "$method" "$path" "$status"
  else
    printf '%-6s %-60s %s  ok\n' "$method" "$path" "$status"
  fi
}
json() { python3 -c "import json,sys; print(json.load(open('$work/body'))$1)"; }

name="proxy-$(date +%s)"
call GET /api/projects
call POST /api/projects "{\"name\":\"$name\",\"description\":\"through Prism\"}"
project=$(json "['id']")
call GET "/api/projects/$project"
call POST "/api/projects/$project/environments" '{"name":"dev","type":"dev"}'
env=$(json "['id']")
call GET "/api/environments/$env"
call GET /api/templates
call GET /api/templates/web-app
call POST /api/deployments "{\"projectId\":\"$project\",\"envId\":\"$env\",\"templateId\":\"web-app\",\"params\":{\"image\":\"nginx:1.27\",\"replicas\":2}}"
task=$(json "['taskId']")
call GET "/api/tasks/$task"
call POST /api/tasks/diagnostic '{"entityId":"proxy/dev","steps":1,"stepMillis":10}'
call GET "/api/tasks?entityId=proxy/dev"
call GET /api/queue
call GET /api/dlq
call POST /api/cost/estimate '{"currency":"USD","resources":[{"kind":"vm","sku":"Standard_D2s_v5","region":"westeurope"}]}'
call GET /api/audit
call POST /api/projects "{\"name\":\"$name\"}"           # 409 problem
call POST /api/projects '{"name":""}'                    # 400 problem naming the field
call GET /api/projects/00000000-0000-0000-0000-000000000000   # 404 problem
call GET "/api/tasks/$task"

echo "$checked answers checked by Prism against the served document, $violations violating it"
((violations == 0))
