#!/usr/bin/env bash
# Peak memory of a whole `webex-wizard --demo` session, measured with /usr/bin/time -v:
# launch, type the form, create the integration, copy and save the secret, quit; in tmux at 80x24.
# Usage: benches/wizard_memory.sh   (target: at most 10 MB maximum resident set size)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "tmux is needed" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time (Debian package 'time') is needed" >&2; exit 1; }
cargo build --release --quiet
bin=$PWD/target/release/webex-wizard
out=$(mktemp -d)
sock=webex-wizard-mem-$$
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$out"' EXIT
tmux -L "$sock" -f /dev/null new-session -d -x 80 -y 24 \
  "env -u SSH_CONNECTION -u SSH_TTY HOME=$out /usr/bin/time -v -o $out/time.txt $bin --demo; echo WIZARD-EXIT=\$?; sleep 30"

wait_for() { # wait until the screen shows $1
  for _ in $(seq 600); do
    tmux -L "$sock" capture-pane -p | grep -qF -- "$1" && return 0
    sleep 0.05
  done
  echo "timed out waiting for: $1" >&2; tmux -L "$sock" capture-pane -p >&2; exit 1
}
keys() { tmux -L "$sock" send-keys "$@"; }

wait_for "Create an integration"; keys Enter
wait_for "The token belongs to"; keys Enter
wait_for "What users see when they consent"
keys -l "Memory Check"; keys Enter; keys -l "Measured with /usr/bin/time"; keys Tab
keys -l "admin@agency.example.gov"; keys Enter Enter
wait_for "URL 1"; keys Right; keys Enter Enter
wait_for "Filter:"; keys -l "audit"; keys Space; wait_for "1 chosen"; keys Enter
wait_for "Nothing has been sent yet"; keys Enter
wait_for "only once"; keys c; wait_for "clipboard"; keys s; wait_for "stored"; keys q
wait_for "WIZARD-EXIT="
kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/time.txt")
awk -v kb="$kb" 'BEGIN { printf "peak RSS of a whole --demo session: %d KB (%.1f MB); target at most 10 MB\n", kb, kb / 1024 }'
