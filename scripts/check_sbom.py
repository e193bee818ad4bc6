#!/usr/bin/env python3
"""Check a CycloneDX SBOM against the build: every crate the release build uses (cargo tree on
the committed Cargo.lock: normal and build dependencies, this target, default features) must be
a component of the SBOM with the same version, and every such crate must be in Cargo.lock.

Usage: scripts/check_sbom.py SBOM.json [TARGET]     (exit 0 complete, 1 with what is missing)
"""
import json
import re
import subprocess
import sys


def build_crates(target):
    out = subprocess.run(
        ["cargo", "tree", "--locked", "-e", "normal,build", "--target", target,
         "--prefix", "none", "--format", "{p}"],
        check=True, capture_output=True, text=True).stdout
    crates = set()
    for line in out.splitlines():
        m = re.match(r"^(\S+) v(\S+)", line)
        if m:
            crates.add((m.group(1), m.group(2)))
    return crates


def locked_crates():
    text = open("Cargo.lock", encoding="utf-8").read()
    return set(re.findall(r'name = "([^"]+)"\nversion = "([^"]+)"', text))


def sbom_crates(path):
    doc = json.load(open(path, encoding="utf-8"))
    assert doc.get("bomFormat") == "CycloneDX", "not a CycloneDX document"
    found = set()

    def walk(components):
        for c in components or []:
            found.add((c.get("name"), c.get("version")))
            walk(c.get("components"))

    walk(doc.get("components"))
    meta = doc.get("metadata", {}).get("component")
    if meta:
        found.add((meta.get("name"), meta.get("version")))
    return found


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    target = sys.argv[2] if len(sys.argv) > 2 else re.search(
        r"host: (\S+)", subprocess.run(["rustc", "-vV"], capture_output=True, text=True).stdout
    ).group(1)
    used = build_crates(target)
    in_sbom = sbom_crates(sys.argv[1])
    not_locked = sorted(used - locked_crates())
    missing = sorted(used - in_sbom)
    for name, version in not_locked:
        print(f"not in Cargo.lock: {name} {version}")
    for name, version in missing:
        print(f"missing from the SBOM: {name} {version}")
    if missing or not_locked:
        sys.exit(1)
    print(f"the SBOM lists all {len(used)} crates the build uses ({len(in_sbom)} components)")


main()
