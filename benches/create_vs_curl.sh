#!/usr/bin/env bash
# Time `webex-wizard create` against a local sandbox, side by side with the same POST in curl:
# over plain HTTP on loopback, and over HTTPS through a TLS front whose certificate a private CA
# (made here with openssl) signed, given to webex-wizard as --ca-bundle and to curl as --cacert.
# Usage: benches/create_vs_curl.sh [RUNS]   (default 20; prints medians and both ratios)
# webex-wizard also checks the token (GET /people/me) and lists the applications (same-name
# warning) before the POST, all on one connection; curl sends the POST alone.
# Needs curl, openssl and python3 (the TLS front: Python's ssl module, a thread per connection).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
for tool in curl openssl python3; do
  command -v "$tool" >/dev/null || { echo "$tool is needed" >&2; exit 1; }
done
cargo build --release --quiet
bin=target/release/webex-wizard
out=$(mktemp -d)
front_pid=
trap 'kill $sandbox_pid $front_pid 2>/dev/null || true; rm -rf "$out"' EXIT
"$bin" sandbox --max-integrations 100000 >"$out/sandbox.txt" 2>/dev/null &
sandbox_pid=$!
for _ in $(seq 100); do grep -q '^Admin token:' "$out/sandbox.txt" 2>/dev/null && break; sleep 0.05; done
base=$(sed -n 's/^API base: *//p' "$out/sandbox.txt")
token=$(sed -n 's/^Admin token: *//p' "$out/sandbox.txt")
[ -n "$base" ] && [ -n "$token" ] || { echo "the sandbox did not start" >&2; exit 1; }
body=$(tr -d '\n' < assets/example-integration.json)
export WEBEX_ADMIN_TOKEN=$token HOME=$out XDG_STATE_HOME=$out/state XDG_DATA_HOME=$out/data

# The private CA and the front's certificate for 127.0.0.1.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -subj "/CN=webex-wizard bench CA" -keyout "$out/ca.key" -out "$out/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
  -keyout "$out/front.key" -out "$out/front.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' >"$out/ext.txt"
openssl x509 -req -in "$out/front.csr" -CA "$out/ca.pem" -CAkey "$out/ca.key" -CAcreateserial \
  -days 2 -extfile "$out/ext.txt" -out "$out/front.pem" 2>/dev/null
upstream=${base#http://}; upstream=${upstream%%/*}
python3 - "$out" "$upstream" >"$out/front.txt" <<'PY' &
import socket, ssl, sys, threading
out, upstream = sys.argv[1], sys.argv[2]
host, port = upstream.rsplit(":", 1)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(out + "/front.pem", out + "/front.key")
context.set_alpn_protocols(["http/1.1"])
listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(64)
print(listener.getsockname()[1], flush=True)
def pipe(a, b):
    try:
        while data := a.recv(65536):
            b.sendall(data)
    except OSError:
        pass
    finally:
        for s in (a, b):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
def serve(raw):
    # No Nagle delays in the relay: they would cost either side 40 ms per exchange.
    raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        tls = context.wrap_socket(raw, server_side=True)
    except (OSError, ssl.SSLError):
        return
    back = socket.create_connection((host, int(port)))
    back.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    threading.Thread(target=pipe, args=(back, tls), daemon=True).start()
    pipe(tls, back)
while True:
    conn, _ = listener.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
PY
front_pid=$!
for _ in $(seq 100); do [ -s "$out/front.txt" ] && break; sleep 0.05; done
tls_base="https://127.0.0.1:$(cat "$out/front.txt")/v1"

wizard() { "$bin" --api-base "$base" create --from assets/example-integration.json; }
curl_post() {
  curl --silent --fail --request POST "$base/applications" \
    --header "Authorization: Bearer $WEBEX_ADMIN_TOKEN" --header 'Content-Type: application/json' \
    --data-raw "$body"
}
wizard_tls() {
  "$bin" --api-base "$tls_base" --ca-bundle "$out/ca.pem" create --from assets/example-integration.json
}
curl_tls() {
  curl --silent --fail --cacert "$out/ca.pem" --request POST "$tls_base/applications" \
    --header "Authorization: Bearer $WEBEX_ADMIN_TOKEN" --header 'Content-Type: application/json' \
    --data-raw "$body"
}
wizard >/dev/null 2>&1 || { echo "webex-wizard create failed against the sandbox" >&2; exit 1; }
curl_post >/dev/null || { echo "curl failed against the sandbox" >&2; exit 1; }
wizard_tls >/dev/null 2>"$out/tls-err.txt" || { echo "webex-wizard create over HTTPS failed:" >&2; cat "$out/tls-err.txt" >&2; exit 1; }
curl_tls >/dev/null || { echo "curl over HTTPS failed" >&2; exit 1; }
# Interleaved, so that a noisy moment of the machine falls on both sides alike. Each process is
# timed from its start to its exit by Python's monotonic clock around the process alone (timing
# with `date` in the shell adds a fork and exec of date to every run, about 1.5 ms on each side).
BIN=$bin BASE=$base TLS_BASE=$tls_base CA=$out/ca.pem BODY=$body RUNS=$runs python3 - <<'PY'
import os, statistics, subprocess, time
e = os.environ
token = e["WEBEX_ADMIN_TOKEN"]
form = ["create", "--from", "assets/example-integration.json"]
def curl(base, *tls):
    return ["curl", "--silent", "--fail", *tls, "--request", "POST", base + "/applications",
            "--header", "Authorization: Bearer " + token,
            "--header", "Content-Type: application/json", "--data-raw", e["BODY"]]
commands = {
    "wizard": [e["BIN"], "--api-base", e["BASE"], *form],
    "curl": curl(e["BASE"]),
    "wizard_tls": [e["BIN"], "--api-base", e["TLS_BASE"], "--ca-bundle", e["CA"], *form],
    "curl_tls": curl(e["TLS_BASE"], "--cacert", e["CA"]),
}
times = {k: [] for k in commands}
# Write-only, as a shell's >/dev/null: a read-write /dev/null on standard output is what a
# closed one looks like to webex-wizard, which then refuses to print a secret into it.
sink = open(os.devnull, "w")
def forget_created():
    # Untimed, between rounds: the sandbox forgets what was created, so every round lists the
    # same few applications (a real admin has at most 20; a list that grew by four a round
    # would time the parsing of hundreds of them on the wizard's side only).
    import json, urllib.request
    def call(method, url):
        req = urllib.request.Request(url, method=method, headers={"Authorization": "Bearer " + token})
        with urllib.request.urlopen(req) as r:
            return r.read()
    for app in json.loads(call("GET", e["BASE"] + "/applications"))["items"]:
        call("DELETE", e["BASE"] + "/applications/" + app["id"])
for _ in range(int(e["RUNS"])):
    forget_created()
    for name, argv in commands.items():
        start = time.perf_counter()
        done = subprocess.run(argv, stdout=sink, stderr=sink)
        times[name].append((time.perf_counter() - start) * 1000)
        if done.returncode != 0:
            raise SystemExit(f"{name} failed (exit {done.returncode})")
m = {k: statistics.median(v) for k, v in times.items()}
print(f"runs:                  {e['RUNS']} each")
print("plain HTTP on loopback:")
print(f"  webex-wizard create: median {m['wizard']:.2f} ms  (token check, list, POST: whole process)")
print(f"  curl POST:           median {m['curl']:.2f} ms  (the POST alone)")
print(f"  ratio:               {m['wizard'] / m['curl']:.2f}x (target: at most 0.7x)")
print("HTTPS, private CA (--ca-bundle / --cacert):")
print(f"  webex-wizard create: median {m['wizard_tls']:.2f} ms")
print(f"  curl POST:           median {m['curl_tls']:.2f} ms")
print(f"  ratio:               {m['wizard_tls'] / m['curl_tls']:.2f}x (target: at most 1.0x)")
PY
