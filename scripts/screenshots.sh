#!/usr/bin/env bash
# Pictures of the wizard for the README, made from the real binary: it runs in tmux on the
# embedded sandbox (--demo), keys are typed as a person would, each screen is captured with its
# colours, turned into HTML and photographed by headless Chromium.
#   scripts/screenshots.sh [COLUMNS ROWS]      (default 100 32; writes docs/screens/*.png)
#   LIGHT=1 scripts/screenshots.sh             (as a light terminal shows them)
# Needs tmux, python3 and chromium (Debian: apt-get install tmux chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
cols=${1:-100} rows=${2:-32}
out=docs/screens
mkdir -p "$out"
cargo build --release --quiet
bin=$PWD/target/release/webex-wizard
work=$(mktemp -d)
trap 'tmux -L screens kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
# A browser that waits until the Authorize screen is photographed, then follows the redirects.
cat > "$work/browser" <<'SH'
#!/bin/sh
while [ ! -f "$GO" ]; do sleep 0.1; done
exec curl -sS -L -o /dev/null "$1"
SH
chmod +x "$work/browser"
t() { tmux -L screens "$@"; }
keys() { t send-keys -t w "$@"; sleep 0.3; }
text() { t send-keys -t w -l "$1"; sleep 0.3; }
wait_for() {
  for _ in $(seq 100); do t capture-pane -p -t w | grep -q -- "$1" && return 0; sleep 0.1; done
  echo "the screen never showed: $1" >&2; t capture-pane -p -t w >&2; exit 1
}
shot() {
  t capture-pane -e -N -p -t w > "$work/$1.ans"
  python3 scripts/ansi_to_html.py ${LIGHT:+--light} < "$work/$1.ans" > "$work/$1.html"
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --window-size=$((cols * 9 + 20)),$((rows * 18 + 20)) \
    --screenshot="$PWD/$out/$1.png" "file://$work/$1.html" >/dev/null 2>&1
  echo "$out/$1.png"
}
t new-session -d -s w -x "$cols" -y "$rows" \
  "env -u SSH_CONNECTION -u SSH_TTY HOME=$work XDG_STATE_HOME=$work/state XDG_DATA_HOME=$work/data TERM=xterm-256color BROWSER=$work/browser GO=$work/go $bin --demo; sleep 60"
wait_for "Create an integration"
shot start
keys Enter
wait_for "The token belongs to"
keys Enter
text "Audit Reader"; keys Tab
text "Reads the admin audit log for the security team"; keys Tab
text "admin@agency"
shot details
text ".example.gov"; keys Enter Enter
wait_for "URL 1"
text "http://127.0.0.1:9000/callback"; keys Enter Enter
wait_for "scopes shown"
text "people_read"; keys Space; keys C-u; text "audit"; keys Space; keys C-u
shot scopes
keys Enter
wait_for "Nothing has been sent yet"
keys Enter
wait_for "One-time secret"
shot credentials
keys s
wait_for "stored"
keys a
wait_for "Redirect URL"
keys Enter
wait_for "Waiting for the browser"
shot authorize
touch "$work/go"
wait_for "Webex issued tokens"
keys t
wait_for "scopes probed"
sleep 1
shot test-scopes
