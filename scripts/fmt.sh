#!/bin/sh
# Format every Rust file, also the wizard's step modules: they are declared by the step list's
# macro (src/tui/mod.rs), which `cargo fmt` does not expand, so it never visits them.
# `scripts/fmt.sh --check` only checks (CI runs it).
set -e
cd "$(dirname "$0")/.."
cargo fmt "$@"
git ls-files '*.rs' | xargs rustfmt --edition 2024 "$@"
