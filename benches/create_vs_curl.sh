#!/usr/bin/env bash
# Time `webex-wizard create` against a local sandbox, side by side with the same POST in curl.
# Usage: benches/create_vs_curl.sh [RUNS]   (default 20; prints medians and the ratio)
# webex-wizard also checks the token first (GET /people/me), so it makes two requests to curl's one.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 1; }
cargo build --release --quiet
bin=target/release/webex-wizard
out=$(mktemp -d)
trap 'kill $sandbox_pid 2>/dev/null || true; rm -rf "$out"' EXIT
"$bin" sandbox --max-integrations 100000 >"$out/sandbox.txt" 2>/dev/null &
sandbox_pid=$!
for _ in $(seq 100); do grep -q '^Admin token:' "$out/sandbox.txt" 2>/dev/null && break; sleep 0.05; done
base=$(sed -n 's/^API base: *//p' "$out/sandbox.txt")
token=$(sed -n 's/^Admin token: *//p' "$out/sandbox.txt")
[ -n "$base" ] && [ -n "$token" ] || { echo "the sandbox did not start" >&2; exit 1; }
body=$(tr -d '\n' < assets/example-integration.json)
export WEBEX_ADMIN_TOKEN=$token HOME=$out XDG_STATE_HOME=$out/state XDG_DATA_HOME=$out/data

ms() { # run a command quietly; print its wall time in milliseconds
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s%N)
  echo $(( (end - start) / 1000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.2f", m / 1000}'; }

wizard() { "$bin" --api-base "$base" create --from assets/example-integration.json; }
curl_post() {
  curl --silent --fail --request POST "$base/applications" \
    --header "Authorization: Bearer $WEBEX_ADMIN_TOKEN" --header 'Content-Type: application/json' \
    --data-raw "$body"
}
wizard >/dev/null 2>&1 || { echo "webex-wizard create failed against the sandbox" >&2; exit 1; }
curl_post >/dev/null || { echo "curl failed against the sandbox" >&2; exit 1; }
for _ in $(seq "$runs"); do ms wizard; done >"$out/wizard.txt"
for _ in $(seq "$runs"); do ms curl_post; done >"$out/curl.txt"
w=$(median <"$out/wizard.txt")
c=$(median <"$out/curl.txt")
echo "runs:                  $runs each"
echo "webex-wizard create:   median ${w} ms  (GET /people/me + POST /applications, whole process)"
echo "curl POST:             median ${c} ms  (POST /applications only)"
awk -v w="$w" -v c="$c" 'BEGIN { r = w / c; printf "ratio:                 %.2fx (target: at most 1.5x)\n", r }'
