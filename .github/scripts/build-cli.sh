#!/usr/bin/env bash
# Builds the `port-secret` CLI for one target as a static binary where the platform allows it
# (Linux: musl, fully static; Windows: static CRT; macOS: only libSystem, which is always
# dynamic), archives it (tar.gz, zip on Windows) with its SHA-256 file into dist/, then runs the
# shared vectors through the binary taken back out of the archive.
#   bash .github/scripts/build-cli.sh TARGET VERSION
set -euo pipefail
target=$1 version=$2
cd "$(dirname "$0")/../.."
exe=""
case "$target" in
  *-windows-*) exe=".exe"; export RUSTFLAGS="-C target-feature=+crt-static" ;;
  *-linux-musl) export RUSTFLAGS="-C target-feature=+crt-static" ;;
esac
rustup target add "$target"
cargo build --locked --release -p port-secret-cli --target "$target"
bin="target/$target/release/port-secret$exe"
if [[ "$target" == *-linux-musl ]]; then
  file "$bin"
  if ! file "$bin" | grep -Eq 'static(ally|-pie) linked'; then echo "$bin is not static" >&2; exit 1; fi
fi

name="port-secret-$version-$target"
stage="target/cli-dist/$name"
rm -rf "target/cli-dist" && mkdir -p "$stage" dist
cp "$bin" README.md SECURITY.md "$stage/"
if [ -n "$exe" ]; then
  archive="$name.zip"
  (cd target/cli-dist && 7z a -tzip -bso0 "../../dist/$archive" "$name")
else
  archive="$name.tar.gz"
  tar -C target/cli-dist -czf "dist/$archive" "$name"
fi
sha() { if command -v sha256sum >/dev/null; then sha256sum "$@"; else shasum -a 256 "$@"; fi; }
(cd dist && sha "$archive" > "$archive.sha256" && cat "$archive.sha256" && sha -c "$archive.sha256")

# The shipped bytes: unpack the archive elsewhere and test that binary.
check=target/cli-check && rm -rf "$check" && mkdir -p "$check"
if [ -n "$exe" ]; then (cd "$check" && 7z x -bso0 "../../dist/$archive"); else tar -C "$check" -xzf "dist/$archive"; fi
python=python3; command -v python3 >/dev/null && python3 -c '' 2>/dev/null || python=python
"$python" tests/release/cli_vectors.py "$check/$name/port-secret$exe"
