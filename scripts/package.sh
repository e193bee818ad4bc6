#!/usr/bin/env bash
# Build the packages an agency installs: target/package/*.deb and *.rpm, each with the binary
# (built by cargo-auditable, so scanners can read its dependency list), man pages, bash/zsh/fish
# completions, the README, the licences and a CycloneDX SBOM of the release build.
#
#   scripts/package.sh            needs cargo-auditable, cargo-cyclonedx, cargo-deb and
#                                 cargo-generate-rpm (`cargo install --locked` each)
#
# Packages hold the default build; the FIPS build is built with scripts/fips.sh build --release
# and is not packaged here yet (README "Installing").
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in auditable cyclonedx deb generate-rpm; do
  cargo "$tool" --version >/dev/null 2>&1 ||
    { echo "cargo-$tool is needed: cargo install --locked cargo-$tool" >&2; exit 1; }
done
out=target/package
rm -rf "$out"
mkdir -p "$out/man" "$out/completions"
# Reproducible: the build date is the commit's unless the packager says otherwise.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}

# The release binary, with its dependency list embedded (a .dep-v0 section).
cargo auditable build --release --locked
bin=target/release/webex-wizard

# Man pages and completions from the binary itself: they can't disagree with its --help.
"$bin" man --dir "$out/man" 2>/dev/null
gzip -9n "$out"/man/*.1
"$bin" completions bash >"$out/completions/webex-wizard.bash"
"$bin" completions zsh >"$out/completions/_webex-wizard"
"$bin" completions fish >"$out/completions/webex-wizard.fish"

# The SBOM of what the release build uses: what it links and what builds it (build scripts, proc
# macros), for this target; no dev-only crates.
target=$(rustc -vV | sed -n 's/^host: //p')
cargo cyclonedx --format json --spec-version 1.5 --target "$target" \
  --override-filename webex-wizard.cdx >/dev/null
mv webex-wizard.cdx.json "$out/webex-wizard.cdx.json"

cargo deb --no-build --output "$out/"
cargo generate-rpm --output "$out/"
ls -l "$out"/*.deb "$out"/*.rpm "$out/webex-wizard.cdx.json"
