/*
 * Runs the shared test vectors (tests/vectors/, converted to one TSV file by
 * tests/vectors_to_tsv.py) through the C API: the one-shot text and bytes functions, a
 * PortSecretDecryptor per client secret (with a second, wrong secret first: rotation), one
 * shared multi-key decryptor for client-side, and that shared decryptor from several threads.
 * The `properties` vectors go through port_secret_decryptor_decrypt_properties: the exact output
 * JSON, or the exact status and the failing input's name in `error_input`. The `run` vectors
 * (whole deliveries) go through port_secret_decryptor_open_webhook / _open_kafka_message the
 * same way: the exact output JSON text, or the exact status and input name.
 *
 *   vectors VECTORS.tsv [--cs-limit N] [--threads N]
 *
 * --cs-limit N runs only N client-side tests (spread over the files), for slow runs under
 * valgrind. Exit status 0 when every check passed.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "port_secret.h"

enum { MAX_FIELDS = 24 };

typedef struct {
  char *line;                /* owns the strings below */
  char *field[MAX_FIELDS];   /* kind, id, flags, result, error, then per kind */
  int n_fields;
} Row;

typedef struct {
  unsigned char *data; /* NUL-terminated */
  size_t len;
} Bytes;

static const char ROTATED_OUT_SECRET[] = "an-older-client-secret-no-longer-current-0123456789";

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/* Decodes a hex field ("-" is empty) into a NUL-terminated allocation. */
static Bytes unhex(const char *h) {
  Bytes b = {0};
  size_t n = strcmp(h, "-") == 0 ? 0 : strlen(h);
  if (n % 2 != 0) {
    fprintf(stderr, "odd hex field\n");
    exit(2);
  }
  b.len = n / 2;
  b.data = malloc(b.len + 1);
  if (!b.data) exit(2);
  for (size_t i = 0; i < b.len; i++) {
    int hi = hexval(h[2 * i]), lo = hexval(h[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      fprintf(stderr, "bad hex field\n");
      exit(2);
    }
    b.data[i] = (unsigned char)(hi * 16 + lo);
  }
  b.data[b.len] = 0;
  return b;
}

static const char *str(const Bytes *b) { return (const char *)b->data; }

/* Checks one decrypt call's status and output against a vector's expectation.
 * text_api: whether the call returns text (a NonUtf8 plaintext is then invalid_utf8). */
static void expect(const Row *r, const char *what, int text_api, PortSecretStatus st,
                   PortSecretBuffer *out, const Bytes *pt) {
  const char *id = r->field[1], *result = r->field[3], *error = r->field[4];
  if (strcmp(result, "valid") == 0 && (strcmp(error, "-") == 0 || !text_api)) {
    CHECK(st == PORT_SECRET_OK, "%s %s: got %s, want ok", id, what, port_secret_status_str(st));
    CHECK(st != PORT_SECRET_OK || buffer_equals(out, pt->data, pt->len),
          "%s %s: wrong plaintext (%zu bytes, want %zu)", id, what, out->len, pt->len);
  } else {
    CHECK(strcmp(port_secret_status_str(st), error) == 0, "%s %s: got %s, want %s", id, what,
          port_secret_status_str(st), error);
    CHECK(buffer_is_empty(out), "%s %s: output not empty on error", id, what);
  }
  port_secret_buffer_free(out);
  CHECK(buffer_is_empty(out), "%s %s: buffer not cleared by free", id, what);
}

/* A decryptor for one client secret, after a secret that no longer opens anything. */
static PortSecretStatus rotated_decryptor(const char *secret, PortSecretDecryptor **d) {
  const char *secrets[2] = {ROTATED_OUT_SECRET, secret};
  return port_secret_decryptor_new(secrets, 2, NULL, 0, d);
}

/* The decryptor path for a symmetric vector: same outcome as the one-shot call. */
static void via_decryptor(const Row *r, const char *encryption, const char *secret,
                          const char *value, const Bytes *pt) {
  PortSecretDecryptor *d = NULL;
  PortSecretStatus st = rotated_decryptor(secret, &d);
  if (strcmp(r->field[4], "invalid_key") == 0) {
    CHECK_STATUS(st, PORT_SECRET_INVALID_KEY, r->field[1]);
    CHECK(d == NULL, "%s: decryptor set on error", r->field[1]);
    return;
  }
  CHECK_STATUS(st, PORT_SECRET_OK, r->field[1]);
  if (st != PORT_SECRET_OK) return;
  PortSecretBuffer out = {0};
  expect(r, "decryptor text", 1, port_secret_decryptor_decrypt(d, value, encryption, &out), &out,
         pt);
  expect(r, "decryptor bytes", 0,
         port_secret_decryptor_decrypt_bytes(d, value, encryption, &out), &out, pt);
  port_secret_decryptor_free(d);
}

static void run_gcm(const Row *r) {
  Bytes secret = unhex(r->field[5]), value = unhex(r->field[6]), pt = unhex(r->field[7]);
  PortSecretBuffer out = {0};
  expect(r, "text", 1, port_secret_decrypt_aes256_gcm(str(&value), str(&secret), &out), &out,
         &pt);
  expect(r, "bytes", 0, port_secret_decrypt_aes256_gcm_bytes(str(&value), str(&secret), &out),
         &out, &pt);
  via_decryptor(r, "aes256-gcm", str(&secret), str(&value), &pt);
  free(secret.data), free(value.data), free(pt.data);
}

static void run_fernet(const Row *r) {
  Bytes secret = unhex(r->field[5]), token = unhex(r->field[6]), pt = unhex(r->field[7]);
  uint64_t ttl = strtoull(r->field[8], NULL, 10), now = strtoull(r->field[9], NULL, 10);
  PortSecretBuffer out = {0};
  if (now == 0) {
    expect(r, "text", 1, port_secret_decrypt_fernet(str(&token), str(&secret), ttl, &out), &out,
           &pt);
    expect(r, "bytes", 0,
           port_secret_decrypt_fernet_bytes(str(&token), str(&secret), ttl, &out), &out, &pt);
    if (ttl == 0) via_decryptor(r, "\"fernet\"", str(&secret), str(&token), &pt);
  } else {
    expect(r, "bytes at", 0,
           port_secret_decrypt_fernet_bytes_at(str(&token), str(&secret), ttl, now, &out), &out,
           &pt);
    if (strcmp(r->field[3], "valid") == 0) {
      /* Without a TTL the clock does not matter. */
      expect(r, "text, no ttl", 1, port_secret_decrypt_fernet(str(&token), str(&secret), 0, &out),
             &out, &pt);
    }
  }
  free(secret.data), free(token.data), free(pt.data);
}

static void run_sig(const Row *r) {
  Bytes secret = unhex(r->field[5]), body = unhex(r->field[6]), ts = unhex(r->field[7]),
        sig = unhex(r->field[8]);
  uint64_t tolerance = strtoull(r->field[9], NULL, 10);
  int64_t now = strtoll(r->field[10], NULL, 10);
  const char *id = r->field[1];
  PortSecretStatus st = port_secret_verify_signature_at(body.data, body.len, str(&sig), str(&ts),
                                                        str(&secret), tolerance, now);
  const char *want = strcmp(r->field[3], "valid") == 0 ? "ok" : r->field[4];
  CHECK(strcmp(port_secret_status_str(st), want) == 0, "%s verify: got %s, want %s", id,
        port_secret_status_str(st), want);
  if (strcmp(r->field[3], "valid") == 0 && strchr(str(&sig), ' ') == NULL) {
    PortSecretBuffer out = {0};
    st = port_secret_sign_payload(body.data, body.len, str(&ts), str(&secret), &out);
    CHECK_STATUS(st, PORT_SECRET_OK, id);
    CHECK(buffer_equals(&out, sig.data, sig.len), "%s: sign_payload differs", id);
    port_secret_buffer_free(&out);
  }
  free(secret.data), free(body.data), free(ts.data), free(sig.data);
}

/* Appends `s` to `dst` as a JSON string literal. */
static void json_string(char *dst, const char *s) {
  char *o = dst + strlen(dst);
  *o++ = '"';
  for (; *s; s++) {
    if (*s == '\n') *o++ = '\\', *o++ = 'n';
    else if (*s == '\r') *o++ = '\\', *o++ = 'r';
    else if (*s == '"' || *s == '\\') *o++ = '\\', *o++ = *s;
    else *o++ = *s;
  }
  *o++ = '"';
  *o = 0;
}

static void run_cs(const Row *r, const PortSecretDecryptor *shared) {
  Bytes pem = unhex(r->field[5]), value = unhex(r->field[6]), pt = unhex(r->field[7]),
        pub = unhex(r->field[8]);
  PortSecretBuffer out = {0};
  expect(r, "text", 1, port_secret_decrypt_client_side(str(&value), str(&pem), &out), &out, &pt);
  expect(r, "bytes", 0, port_secret_decrypt_client_side_bytes(str(&value), str(&pem), &out), &out,
         &pt);
  if (strcmp(r->field[3], "valid") == 0) {
    expect(r, "shared decryptor, no key", 1,
           port_secret_decryptor_decrypt(shared, str(&value), "client-side", &out), &out, &pt);
    if (pub.len > 0) {
      char *enc = malloc(2 * pub.len + 64);
      if (!enc) exit(2);
      strcpy(enc, "{\"algorithm\": \"client-side\", \"key\": ");
      json_string(enc, str(&pub));
      strcat(enc, "}");
      expect(r, "shared decryptor, with key", 0,
             port_secret_decryptor_decrypt_bytes(shared, str(&value), enc, &out), &out, &pt);
      free(enc);
    }
  }
  free(pem.data), free(value.data), free(pt.data), free(pub.data);
}

/* A `properties` vector: a decryptor with the test's client secret (and private key, if any),
 * decrypt_properties on the JSON texts, with and without an error_input buffer. */
static void run_props(const Row *r) {
  const char *id = r->field[1], *result = r->field[3], *error = r->field[4];
  Bytes secret = unhex(r->field[5]), pem = unhex(r->field[6]), props = unhex(r->field[7]),
        inputs = unhex(r->field[8]), expected = unhex(r->field[9]);
  const char *input_field = r->field[10];
  const char *secrets[1] = {str(&secret)};
  const char *keys[1] = {str(&pem)};
  PortSecretDecryptor *d = NULL;
  PortSecretStatus st = port_secret_decryptor_new(secrets, 1, keys, pem.len > 0 ? 1 : 0, &d);
  CHECK_STATUS(st, PORT_SECRET_OK, id);
  if (st == PORT_SECRET_OK) {
    PortSecretBuffer out = {0}, name = {0};
    st = port_secret_decryptor_decrypt_properties(d, str(&props), str(&inputs), &out, &name);
    if (strcmp(result, "valid") == 0) {
      CHECK(st == PORT_SECRET_OK, "%s properties: got %s, want ok", id, port_secret_status_str(st));
      CHECK(st != PORT_SECRET_OK || buffer_equals(&out, expected.data, expected.len),
            "%s properties: output differs (%zu bytes, want %zu)", id, out.len, expected.len);
      CHECK(buffer_is_empty(&name), "%s properties: error_input set on success", id);
    } else {
      CHECK(strcmp(port_secret_status_str(st), error) == 0, "%s properties: got %s, want %s", id,
            port_secret_status_str(st), error);
      CHECK(buffer_is_empty(&out), "%s properties: output not empty on error", id);
      if (strcmp(input_field, "-") == 0) {
        CHECK(buffer_is_empty(&name), "%s properties: error_input set, want none", id);
      } else {
        Bytes want = unhex(input_field[1] ? input_field + 1 : "-");
        CHECK(buffer_equals(&name, want.data, want.len), "%s properties: wrong error_input", id);
        free(want.data);
      }
    }
    port_secret_buffer_free(&out);
    port_secret_buffer_free(&name);
    /* Without an error_input buffer: the same status. */
    PortSecretStatus again =
        port_secret_decryptor_decrypt_properties(d, str(&props), str(&inputs), &out, NULL);
    CHECK(again == st, "%s properties, no error_input: got %s, want %s", id,
          port_secret_status_str(again), port_secret_status_str(st));
    port_secret_buffer_free(&out);
  }
  port_secret_decryptor_free(d);
  free(secret.data), free(pem.data), free(props.data), free(inputs.data), free(expected.data);
}

/* An optional text field: "-" is NULL (the option's default), "=<hex>" the text. The caller
 * frees `*b`. */
static const char *opt_text(const char *field, Bytes *b) {
  *b = (Bytes){0};
  if (strcmp(field, "-") == 0) return NULL;
  *b = unhex(field[1] ? field + 1 : "-");
  return str(b);
}

/* The headers field of a `run` row: "=" then "<hex name>:<hex value>" pairs joined by ",".
 * Fills `headers` (names and values point into `store`, 2 allocations per header). */
static size_t parse_headers(const char *field, PortSecretHeader *headers, Bytes *store,
                            size_t max) {
  size_t n = 0;
  if (strcmp(field, "-") == 0 || strcmp(field, "=") == 0) return 0;
  const char *p = field + 1;
  while (*p) {
    if (n == max) {
      fprintf(stderr, "too many headers\n");
      exit(2);
    }
    size_t name_len = strcspn(p, ":");
    const char *v = p + name_len + 1;
    size_t value_len = strcspn(v, ",");
    char *name_hex = strndup(p, name_len), *value_hex = strndup(v, value_len);
    if (!name_hex || !value_hex || p[name_len] != ':') exit(2);
    store[2 * n] = unhex(name_hex[0] ? name_hex : "-");
    store[2 * n + 1] = unhex(value_hex[0] ? value_hex : "-");
    free(name_hex), free(value_hex);
    headers[n] = (PortSecretHeader){str(&store[2 * n]), store[2 * n + 1].data,
                                    store[2 * n + 1].len};
    n++;
    p = v + value_len;
    if (*p == ',') p++;
  }
  return n;
}

/* A `run` vector: a decryptor with the test's client secret (and private key, if any), the
 * delivery through open_webhook or open_kafka_message with the test's options and clock; the
 * exact JSON text, or the exact status and input name. Again without an error_input buffer. */
static void run_run(const Row *r) {
  enum { MAX_HEADERS = 16 };
  const char *id = r->field[1], *result = r->field[3], *error = r->field[4],
             *delivery = r->field[5];
  Bytes secret = unhex(r->field[6]), pem = unhex(r->field[7]), body = unhex(r->field[8]),
        expected = unhex(r->field[19]);
  Bytes user_inputs, ui_pointer, props_pointer, default_enc;
  PortSecretHeader headers[MAX_HEADERS];
  Bytes header_store[2 * MAX_HEADERS];
  size_t n_headers = parse_headers(r->field[9], headers, header_store, MAX_HEADERS);
  PortSecretRunOptions options = port_secret_run_options_default();
  options.delivery =
      strcmp(delivery, "agent") == 0 ? PORT_SECRET_DELIVERY_AGENT : PORT_SECRET_DELIVERY_PORT;
  options.user_inputs_json = opt_text(r->field[10], &user_inputs);
  options.user_inputs_pointer = opt_text(r->field[11], &ui_pointer);
  options.properties_pointer = opt_text(r->field[12], &props_pointer);
  options.default_encryption_json = opt_text(r->field[13], &default_enc);
  options.verify_signature = strcmp(r->field[14], "1") == 0;
  options.tolerance_seconds = strtoull(r->field[15], NULL, 10);
  options.max_body = strtoull(r->field[16], NULL, 10);
  options.max_client_side_inputs = strtoull(r->field[17], NULL, 10);
  options.has_now = true;
  options.now = strtoll(r->field[18], NULL, 10);
  const char *input_field = r->field[20];
  int kafka = strcmp(delivery, "kafka") == 0;

  const char *secrets[1] = {str(&secret)};
  const char *keys[1] = {str(&pem)};
  PortSecretDecryptor *d = NULL;
  PortSecretStatus st = port_secret_decryptor_new(secrets, 1, keys, pem.len > 0 ? 1 : 0, &d);
  CHECK_STATUS(st, PORT_SECRET_OK, id);
  for (int with_name = 1; st == PORT_SECRET_OK && with_name >= 0; with_name--) {
    PortSecretBuffer out = {0}, name = {0};
    PortSecretBuffer *name_slot = with_name ? &name : NULL;
    PortSecretStatus got =
        kafka ? port_secret_decryptor_open_kafka_message(d, body.data, body.len, &options, &out,
                                                         name_slot)
              : port_secret_decryptor_open_webhook(d, body.data, body.len, headers, n_headers,
                                                   &options, &out, name_slot);
    const char *how = with_name ? "run" : "run, no error_input";
    if (strcmp(result, "valid") == 0) {
      CHECK(got == PORT_SECRET_OK, "%s %s: got %s, want ok", id, how, port_secret_status_str(got));
      CHECK(got != PORT_SECRET_OK || buffer_equals(&out, expected.data, expected.len),
            "%s %s: output differs (%zu bytes, want %zu)\n got: %s\nwant: %s", id, how, out.len,
            expected.len, out.data ? (const char *)out.data : "", str(&expected));
      CHECK(buffer_is_empty(&name), "%s %s: error_input set on success", id, how);
    } else {
      CHECK(strcmp(port_secret_status_str(got), error) == 0, "%s %s: got %s, want %s", id, how,
            port_secret_status_str(got), error);
      CHECK(buffer_is_empty(&out), "%s %s: output not empty on error", id, how);
      if (with_name && strcmp(input_field, "-") == 0) {
        CHECK(buffer_is_empty(&name), "%s %s: error_input set, want none", id, how);
      } else if (with_name) {
        Bytes want = unhex(input_field[1] ? input_field + 1 : "-");
        CHECK(buffer_equals(&name, want.data, want.len), "%s %s: wrong error_input", id, how);
        free(want.data);
      }
    }
    port_secret_buffer_free(&out);
    port_secret_buffer_free(&name);
  }
  port_secret_decryptor_free(d);
  for (size_t i = 0; i < 2 * n_headers; i++) free(header_store[i].data);
  free(secret.data), free(pem.data), free(body.data), free(expected.data);
  free(user_inputs.data), free(ui_pointer.data), free(props_pointer.data), free(default_enc.data);
}

/* Several threads decrypting the valid client-side vectors with one shared decryptor. */
typedef struct {
  const PortSecretDecryptor *d;
  Row *const *rows;
  size_t n_rows;
  unsigned long done, wrong;
} Worker;

static void *worker(void *arg) {
  Worker *w = arg;
  for (size_t i = 0; i < w->n_rows; i++) {
    const Row *r = w->rows[i];
    Bytes value = unhex(r->field[6]), pt = unhex(r->field[7]);
    PortSecretBuffer out = {0};
    PortSecretStatus st = port_secret_decryptor_decrypt_bytes(w->d, str(&value), "client-side", &out);
    if (st != PORT_SECRET_OK || !buffer_equals(&out, pt.data, pt.len)) w->wrong++;
    w->done++;
    port_secret_buffer_free(&out);
    free(value.data), free(pt.data);
  }
  return NULL;
}

static Row *parse_line(char *line) {
  Row *r = calloc(1, sizeof *r);
  if (!r) exit(2);
  r->line = line;
  line[strcspn(line, "\n")] = 0;
  char *p = line;
  while (p && r->n_fields < MAX_FIELDS) {
    r->field[r->n_fields++] = p;
    p = strchr(p, '\t');
    if (p) *p++ = 0;
  }
  if (r->n_fields < 8) {
    fprintf(stderr, "short line: %s\n", r->field[1]);
    exit(2);
  }
  return r;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s VECTORS.tsv [--cs-limit N] [--threads N]\n", argv[0]);
    return 2;
  }
  size_t cs_limit = SIZE_MAX;
  int n_threads = 4;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--cs-limit") == 0) cs_limit = strtoul(argv[i + 1], NULL, 10);
    else if (strcmp(argv[i], "--threads") == 0) n_threads = atoi(argv[i + 1]);
  }
  FILE *f = fopen(argv[1], "r");
  if (!f) {
    perror(argv[1]);
    return 2;
  }
  Row **rows = NULL;
  size_t n_rows = 0, cap = 0;
  char *line = NULL;
  size_t line_cap = 0;
  while (getline(&line, &line_cap, f) > 0) {
    if (n_rows == cap) {
      cap = cap ? 2 * cap : 256;
      rows = realloc(rows, cap * sizeof *rows);
      if (!rows) return 2;
    }
    rows[n_rows++] = parse_line(line);
    line = NULL;
    line_cap = 0;
  }
  free(line);
  fclose(f);

  /* Client-side: which rows to run, and one decryptor holding every PKCS#8 key of them. */
  size_t n_cs = 0;
  for (size_t i = 0; i < n_rows; i++) n_cs += strcmp(rows[i]->field[0], "cs") == 0;
  Row **cs_rows = calloc(n_cs + 1, sizeof *cs_rows);
  Row **cs_valid = calloc(n_cs + 1, sizeof *cs_valid);
  Bytes keys[8];
  const char *key_ptrs[8];
  const char *key_files[8];
  size_t n_keys = 0, n_cs_run = 0, n_cs_valid = 0, k = 0;
  if (!cs_rows || !cs_valid) return 2;
  for (size_t i = 0; i < n_rows; i++) {
    Row *r = rows[i];
    if (strcmp(r->field[0], "cs") != 0) continue;
    /* Take min(cs_limit, n_cs) rows, evenly spread: row k when (k * limit / n) steps up. */
    size_t limit = cs_limit < n_cs ? cs_limit : n_cs;
    int take = (k + 1) * limit / n_cs > k * limit / n_cs;
    k++;
    if (!take) continue;
    cs_rows[n_cs_run++] = r;
    if (strcmp(r->field[3], "valid") != 0) continue;
    cs_valid[n_cs_valid++] = r;
    const char *file = r->field[9];
    if (!strstr(file, "_pkcs8.pem")) continue;
    int seen = 0;
    for (size_t j = 0; j < n_keys; j++) seen |= strcmp(key_files[j], file) == 0;
    if (!seen && n_keys < 8) {
      keys[n_keys] = unhex(r->field[5]);
      key_ptrs[n_keys] = str(&keys[n_keys]);
      key_files[n_keys++] = file;
    }
  }
  PortSecretDecryptor *shared = NULL;
  if (n_cs_valid > 0) {
    /* Rows whose key is only present as PKCS#1 use the same keys as their PKCS#8 files. */
    PortSecretStatus st = port_secret_decryptor_new(NULL, 0, key_ptrs, n_keys, &shared);
    CHECK_STATUS(st, PORT_SECRET_OK, "shared client-side decryptor");
    if (st != PORT_SECRET_OK) return 1;
  }

  unsigned long per_kind[6] = {0};
  for (size_t i = 0; i < n_rows; i++) {
    const Row *r = rows[i];
    const char *kind = r->field[0];
    if (strcmp(kind, "gcm") == 0) run_gcm(r), per_kind[0]++;
    else if (strcmp(kind, "fernet") == 0) run_fernet(r), per_kind[2]++;
    else if (strcmp(kind, "sig") == 0) run_sig(r), per_kind[3]++;
    else if (strcmp(kind, "props") == 0) run_props(r), per_kind[4]++;
    else if (strcmp(kind, "run") == 0) run_run(r), per_kind[5]++;
    else if (strcmp(kind, "cs") != 0) {
      fprintf(stderr, "unknown kind %s\n", kind);
      return 2;
    }
  }
  for (size_t i = 0; i < n_cs_run; i++) run_cs(cs_rows[i], shared), per_kind[1]++;

  /* Threads: each runs every valid client-side row on the one shared decryptor. */
  unsigned long thread_decrypts = 0;
  if (n_cs_valid > 0 && n_threads > 0) {
    pthread_t tids[16];
    Worker w[16];
    if (n_threads > 16) n_threads = 16;
    for (int t = 0; t < n_threads; t++) {
      w[t] = (Worker){shared, cs_valid, n_cs_valid, 0, 0};
      CHECK(pthread_create(&tids[t], NULL, worker, &w[t]) == 0, "pthread_create");
    }
    for (int t = 0; t < n_threads; t++) {
      pthread_join(tids[t], NULL);
      CHECK(w[t].done == n_cs_valid && w[t].wrong == 0, "thread %d: %lu of %lu wrong", t,
            w[t].wrong, w[t].done);
      thread_decrypts += w[t].done;
    }
  }

  port_secret_decryptor_free(shared);
  for (size_t j = 0; j < n_keys; j++) free(keys[j].data);
  for (size_t i = 0; i < n_rows; i++) free(rows[i]->line), free(rows[i]);
  free(rows), free(cs_rows), free(cs_valid);

  printf("vectors: aes256-gcm %lu, client-side %lu of %zu, fernet %lu, signature %lu, "
         "properties %lu, runs %lu; %d threads x %zu shared-decryptor decrypts (%lu); %lu checks, %lu failed\n",
         per_kind[0], per_kind[1], n_cs, per_kind[2], per_kind[3], per_kind[4], per_kind[5], n_threads,
         n_cs_valid, thread_decrypts, checks_run, checks_failed);
  return checks_failed == 0 && checks_run > 0 ? 0 : 1;
}
