# shellcheck shell=bash
# Sourced by the scripts: where the artifacts are. Under make (the Makefile's recipes) every
# PORT_SECRET_* path is set and the artifact is already built; a script run alone asks make for
# it (`make <target>`, which builds it only when stale, in its one place), so no script builds a
# shipped artifact itself.
#   need PORT_SECRET_WHEEL wheel     # sets and exports $PORT_SECRET_WHEEL
# Variables: PORT_SECRET_WHEEL (wheel), PORT_SECRET_SDIST (sdist), PORT_SECRET_NPM_TARBALL
# (npm-tarball), PORT_SECRET_LIB_DIR (lib), PORT_SECRET_CLI (cli), PORT_SECRET_CLI_DEBUG
# (cli-debug), PORT_SECRET_TOOLS (tools), PORT_SECRET_BENCH_BIN (bench-bins); the node addon has
# no variable (node/port-secret.linux-x64-gnu.node, target `addon`).
_artifacts_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/pins.sh
. "$_artifacts_root/scripts/pins.sh"

need() { # VAR make-target
  local var=$1 target=$2
  if [ -z "${!var:-}" ]; then
    make --no-print-directory -C "$_artifacts_root" "$target" >&2
    printf -v "$var" '%s' "$(make --no-print-directory -s -C "$_artifacts_root" "path-$var")"
  fi
  export "${var?}"
}

need_target() { # make-target: an artifact with no variable (the node addon), built unless under make
  [ -n "${PORT_SECRET_MAKE:-}" ] || make --no-print-directory -C "$_artifacts_root" "$1" >&2
}
