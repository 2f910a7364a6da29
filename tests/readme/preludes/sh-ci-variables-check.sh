# Epilogue of the decrypt-env shell blocks: the job's variables now hold the plaintexts.
want=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["payload"]["properties"]["db_password"])' "$READMETEST_DEMO/expected.json")
[ "$DB_PASSWORD" = "$want" ] || { echo "DB_PASSWORD was not decrypted" >&2; exit 1; }
python3 -c 'import json, os; assert json.loads(os.environ["DB_CONNECTION"])["host"]' || { echo "DB_CONNECTION" >&2; exit 1; }
echo "decrypt-env: DB_PASSWORD and DB_CONNECTION decrypted"
