# Epilogue of python/README.md: the block decrypted the run.
import json as _json

_expected = _json.load(open("expected.json"))["payload"]["properties"]
assert run["payload"]["properties"] == _expected, "decrypted run"
assert password == _expected["db_password"]
print("open_webhook: decrypted", ", ".join(sorted(_expected)))
