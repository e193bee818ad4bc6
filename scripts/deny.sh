#!/usr/bin/env bash
# The dependency policy (deny.toml): licences, bans and sources always; RustSec advisories when
# the advisory database can be fetched. Where it can't (this project's build network reaches
# crates.io but not GitHub), the advisory check is skipped with a message that says so, never
# reported as passed.  Needs cargo-deny (cargo install --locked cargo-deny).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo deny --version >/dev/null 2>&1 || { echo "cargo-deny is needed: cargo install --locked cargo-deny" >&2; exit 1; }
cargo deny --locked check --hide-inclusion-graph licenses bans sources
if timeout 120 cargo deny --locked fetch db >/dev/null 2>&1; then
  cargo deny --locked check advisories
else
  echo "advisories NOT checked: the RustSec advisory database (github.com/rustsec/advisory-db)" >&2
  echo "could not be fetched from here. On a connected machine run: cargo deny check advisories" >&2
fi
