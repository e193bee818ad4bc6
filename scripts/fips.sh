#!/usr/bin/env bash
# The FIPS build: cargo with `--features fips` on Cargo.fips.lock, which pins the newest rustls,
# rustls-webpki and aws-lc-rs that still link the validated AWS-LC FIPS 3 module (aws-lc-fips-sys
# 0.13; aws-lc-rs 1.18 and later link the FIPS 4.x module, not yet validated). Cargo reads only a
# file named Cargo.lock, so this works in a copy of the tree (target/fips-tree) whose Cargo.lock
# is Cargo.fips.lock, with its own target folder (target/fips).
#
#   scripts/fips.sh build --release          the FIPS binary: target/fips/release/webex-wizard
#   scripts/fips.sh test --lib               any cargo command, with --locked --features fips
#   scripts/fips.sh run -- --version         names the module and its CMVP status
#   scripts/fips.sh lock                     remake Cargo.fips.lock from Cargo.lock
#
# Needs CMake, Go and a C compiler (aws-lc-fips-sys builds the module from source).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tree=$root/target/fips-tree
[ $# -ge 1 ] || { sed -n '2,13p' "$0" >&2; exit 2; }
sub=$1
shift
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target/fips}
# The copy has no .git: build.rs takes the commit and the date from here.
export WEBEX_WIZARD_COMMIT=${WEBEX_WIZARD_COMMIT:-$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)}
rm -rf "$tree"
mkdir -p "$tree"
# Tracked files and new ones not ignored: what `cargo build` in the tree itself would see.
(cd "$root" && git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf -) |
  tar -xf - -C "$tree"
if [ "$sub" = lock ]; then
  cp "$root/Cargo.lock" "$tree/Cargo.lock"
  cd "$tree"
  # Newest first where the newest needs aws-lc-rs 1.18 (FIPS 4.x); then aws-lc-rs itself.
  cargo update --quiet -p rcgen --precise 0.14.9
  cargo update --quiet -p rustls --precise 0.23.43
  cargo update --quiet -p rustls-webpki --precise 0.103.13
  cargo update --quiet -p aws-lc-rs --precise 1.17.4
  # Ours (the module's version string) must be the very module aws-lc-rs links.
  ours=$(sed -n '/^name = "aws-lc-fips-sys"/{n;s/version = "\(.*\)"/\1/p}' Cargo.lock | sort -V | tail -1)
  cargo update --quiet -p "aws-lc-fips-sys@$ours" --precise 0.13.17
  [ "$(grep -c '^name = "aws-lc-fips-sys"' Cargo.lock)" = 1 ]
  grep -q '^name = "aws-lc-fips-sys"' Cargo.lock
  cp Cargo.lock "$root/Cargo.fips.lock"
  echo "Cargo.fips.lock: aws-lc-rs $(sed -n '/^name = "aws-lc-rs"/{n;s/version = //p}' Cargo.lock)," \
    "aws-lc-fips-sys $(sed -n '/^name = "aws-lc-fips-sys"/{n;s/version = //p}' Cargo.lock)"
  exit 0
fi
cp "$root/Cargo.fips.lock" "$tree/Cargo.lock"
cd "$tree"
exec cargo "$sub" --locked --features fips "$@"
