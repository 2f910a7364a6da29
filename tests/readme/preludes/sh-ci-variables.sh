# Prelude of the decrypt-env blocks: the variables a pipeline gets from Port (the demo run's
# encrypted db_password and db_connection), and the files GitHub Actions provides.
demo_value() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["payload"]["properties"][sys.argv[2]])' "$READMETEST_DEMO/body.json" "$1"; }
DB_PASSWORD=$(demo_value db_password); DB_CONNECTION=$(demo_value db_connection)
export DB_PASSWORD DB_CONNECTION
GITHUB_OUTPUT=$(mktemp); GITHUB_ENV=$(mktemp); export GITHUB_OUTPUT GITHUB_ENV
trap 'rm -f "$GITHUB_OUTPUT" "$GITHUB_ENV"' EXIT
