#!/usr/bin/env bash
# Builds the Node addon for one Rust target on that platform's runner and copies it to
# OUT/port-secret.<platform>.node (napi's name for it):
#   x86_64-unknown-linux-gnu   `npm run build` (napi + the glibc 2.17 cross toolchain, as locally)
#   aarch64-unknown-linux-gnu  cargo in the manylinux2014 aarch64 image (glibc 2.17), on an arm64 runner
#   *-unknown-linux-musl       cargo in an Alpine image (musl, dynamically linked: -crt-static off)
#   *-apple-darwin, *-windows-msvc  `napi build --target` on the runner itself
#   bash .github/scripts/build-node-addon.sh TARGET SUFFIX OUT
set -euo pipefail
target=$1 suffix=$2 out=$3
cd "$(dirname "$0")/../.."
root=$PWD
mkdir -p "$out"
file="port-secret.$suffix.node"
manifest=bindings/node/Cargo.toml

# The Rust toolchain inside a container: rustup from the distribution, the workspace's rust-version.
in_container() { # image script
  docker run --rm -v "$root:/src" -w /src -e CARGO_HOME=/src/target/cargo-home \
    -e CARGO_TARGET_DIR=/src/target/node-"$suffix" "$1" sh -euc "$2"
}

case "$target" in
  x86_64-unknown-linux-gnu)
    (cd node && npm install --no-audit --no-fund --loglevel=error && npm run build)
    cp "node/$file" "$out/$file"
    ;;
  aarch64-unknown-linux-gnu)
    in_container quay.io/pypa/manylinux2014_aarch64 '
      curl -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --default-toolchain stable >/dev/null
      . /src/target/cargo-home/env
      cargo build --locked --release --manifest-path bindings/node/Cargo.toml'
    cp "target/node-$suffix/release/libport_secret_node.so" "$out/$file"
    ;;
  *-unknown-linux-musl)
    in_container rust:1-alpine '
      apk add --no-cache musl-dev gcc g++ make perl >/dev/null
      RUSTFLAGS="-C target-feature=-crt-static" cargo build --locked --release --manifest-path bindings/node/Cargo.toml'
    cp "target/node-$suffix/release/libport_secret_node.so" "$out/$file"
    ;;
  *-apple-darwin | *-pc-windows-msvc)
    rustup target add "$target"
    (cd node && npm install --no-audit --no-fund --loglevel=error)
    tmp=$(mktemp -d)
    (cd node && npx napi build --platform --release --target "$target" --manifest-path "../$manifest" \
      --output-dir "$tmp" --js binding.js --dts binding.d.ts)
    cp "$tmp/$file" "$out/$file"
    ;;
  *)
    echo "build-node-addon: no recipe for $target" >&2
    exit 1
    ;;
esac
# Containers write as root: give the checkout back to the runner's user.
[ "$(uname -s)" != Linux ] || sudo chown -R "$(id -u):$(id -g)" target 2>/dev/null || true
ls -l "$out/$file"
