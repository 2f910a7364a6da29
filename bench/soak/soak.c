/*
 * Soak (not a unit test): SOAK_THREADS pthreads (default 8) share ONE PortSecretDecryptor for
 * SOAK_SECONDS (default 10), each looping over a fixed mix of good and bad values; counts the
 * operations and the wrong outcomes and watches VmRSS (/proc/self/status).
 *
 *   python3 bench/soak/cases.py > cases.tsv && ./soak-c cases.tsv
 *
 * The mix is soak.py's: the cases of cases.py (keys, pyca-made vectors, damaged vectors, the demo
 * body through port_secret_decryptor_decrypt_properties, the demo body with one input tampered),
 * plus values made here at start with port_secret_encrypt_* and bad values made from them. A
 * wrong outcome is a status other than the expected one, a plaintext or JSON other than the
 * expected bytes, an output buffer not {NULL, 0} on error, or a wrong error_input name.
 *
 * Exit status 0 when nothing was wrong and VmRSS grew by at most SOAK_RSS_BOUND_MIB (default 16)
 * between the end of the warm-up and the end; 1 otherwise (2: bad setup).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "port_secret.h"

#define MAX_REPORTED 10
#define MAX_KEYS 8

typedef struct {
  char *data; /* NUL-terminated */
  size_t len;
} Text;

typedef struct {
  char label[96];
  int properties; /* 0: decrypt(value b, encryption a); 1: decrypt_properties(a, b) */
  Text a, b;
  uint32_t expect;
  Text output; /* expected plaintext / JSON when expect is OK */
  Text input;  /* expected error_input for a properties error */
} Case;

static Case *cases;
static size_t n_cases, cap_cases;
static PortSecretDecryptor *decryptor;
static atomic_bool stop;
static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;
static int reported;

static void die(const char *what) {
  fprintf(stderr, "soak c: %s\n", what);
  exit(2);
}

static void *checked(void *p) {
  if (!p) die("out of memory");
  return p;
}

static Text text_copy(const char *s, size_t len) {
  Text t = {checked(malloc(len + 1)), len};
  memcpy(t.data, s, len);
  t.data[len] = '\0';
  return t;
}

static Text text_of(const char *s) { return text_copy(s, strlen(s)); }

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/* A TSV field: lower-case hex of the bytes, or "-" for empty. */
static Text unhex(const char *field) {
  if (strcmp(field, "-") == 0) return text_copy("", 0);
  size_t n = strlen(field);
  if (n % 2) die("odd hex field");
  Text t = {checked(malloc(n / 2 + 1)), n / 2};
  for (size_t i = 0; i < n / 2; i++) {
    int hi = hexval(field[2 * i]), lo = hexval(field[2 * i + 1]);
    if (hi < 0 || lo < 0) die("bad hex field");
    t.data[i] = (char)(hi * 16 + lo);
  }
  t.data[n / 2] = '\0';
  return t;
}

static uint32_t status_named(const char *name) {
  for (uint32_t s = 0; s <= PORT_SECRET_INTERNAL; s++) {
    if (strcmp(port_secret_status_str(s), name) == 0) return s;
  }
  die("unknown status name in the cases file");
  return 0;
}

static void add_case(const char *label, int properties, Text a, Text b, uint32_t expect,
                     Text output, Text input) {
  if (n_cases == cap_cases) {
    cap_cases = cap_cases ? cap_cases * 2 : 64;
    cases = checked(realloc(cases, cap_cases * sizeof *cases));
  }
  Case *c = &cases[n_cases++];
  snprintf(c->label, sizeof c->label, "%s", label);
  c->properties = properties;
  c->a = a;
  c->b = b;
  c->expect = expect;
  c->output = output;
  c->input = input;
}

/* Named texts from the TSV header records (secret, private_key, public_key). */
typedef struct {
  char name[32];
  Text text;
} Named;
static Named secrets[MAX_KEYS], private_keys[MAX_KEYS], public_keys[MAX_KEYS];
static size_t n_secrets, n_private, n_public;

static const char *named(const Named *list, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++) {
    if (strcmp(list[i].name, name) == 0) return list[i].text.data;
  }
  die("a key the soak uses is missing from the cases file");
  return NULL;
}

static void add_named(Named *list, size_t *count, const char *name, const char *hex) {
  if (*count == MAX_KEYS) die("too many keys in the cases file");
  snprintf(list[*count].name, sizeof list[*count].name, "%s", name);
  list[(*count)++].text = unhex(hex);
}

static void load(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) die("cannot open the cases file");
  size_t cap = 1 << 16;
  char *line = checked(malloc(cap));
  for (;;) {
    size_t len = 0;
    int ch;
    while ((ch = fgetc(f)) != EOF && ch != '\n') {
      if (len + 1 == cap) line = checked(realloc(line, cap *= 2));
      line[len++] = (char)ch;
    }
    if (len == 0 && ch == EOF) break;
    line[len] = '\0';
    char *fields[7];
    int n = 0;
    for (char *rest = line; n < 7;) {
      fields[n++] = rest;
      char *tab = strchr(rest, '\t');
      if (!tab) break;
      *tab = '\0';
      rest = tab + 1;
    }
    if (n == 3 && strcmp(fields[0], "secret") == 0) {
      add_named(secrets, &n_secrets, fields[1], fields[2]);
    } else if (n == 3 && strcmp(fields[0], "private_key") == 0) {
      add_named(private_keys, &n_private, fields[1], fields[2]);
    } else if (n == 3 && strcmp(fields[0], "public_key") == 0) {
      add_named(public_keys, &n_public, fields[1], fields[2]);
    } else if (n == 7 && (strcmp(fields[0], "decrypt") == 0 ||
                          strcmp(fields[0], "properties") == 0)) {
      add_case(fields[1], strcmp(fields[0], "properties") == 0, unhex(fields[2]),
               unhex(fields[3]), status_named(fields[4]), unhex(fields[5]), unhex(fields[6]));
    } else {
      die("bad line in the cases file");
    }
  }
  free(line);
  fclose(f);
}

/* Encrypts with one of the library's encrypt functions; dies when that fails. */
typedef PortSecretStatus (*Encrypt)(const uint8_t *, size_t, const char *, PortSecretBuffer *);
static Text encrypt(Encrypt fn, const char *plaintext, const char *key) {
  PortSecretBuffer buf = {0};
  if (fn((const uint8_t *)plaintext, strlen(plaintext), key, &buf) != PORT_SECRET_OK) {
    die("encrypt failed");
  }
  Text t = text_copy((const char *)buf.data, buf.len);
  port_secret_buffer_free(&buf);
  return t;
}

/* The same base64 text with its middle character changed (as cases.py's tamper). */
static Text tamper(Text v) {
  Text t = text_copy(v.data, v.len);
  size_t i = t.len / 2;
  t.data[i] = t.data[i] == 'A' ? 'B' : 'A';
  return t;
}

/* {"algorithm":"client-side","key":"<pem, JSON-escaped>"} */
static Text client_side_spec(const char *pem) {
  size_t n = strlen(pem);
  char *s = checked(malloc(64 + 2 * n));
  size_t k = (size_t)sprintf(s, "{\"algorithm\":\"client-side\",\"key\":\"");
  for (size_t i = 0; i < n; i++) {
    if (pem[i] == '\n') {
      s[k++] = '\\';
      s[k++] = 'n';
    } else if (pem[i] == '\r') {
      s[k++] = '\\';
      s[k++] = 'r';
    } else {
      if (pem[i] == '"' || pem[i] == '\\') s[k++] = '\\';
      s[k++] = pem[i];
    }
  }
  strcpy(s + k, "\"}");
  Text t = text_of(s);
  free(s);
  return t;
}

/* Values made now with the library's encrypt functions, and bad values made from them. */
static void self_made(void) {
  const char *demo = named(secrets, n_secrets, "demo");
  const char *vec = named(secrets, n_secrets, "vectors");
  const char *pub_demo = named(public_keys, n_public, "demo");
  const char *pub_b = named(public_keys, n_public, "rsa2048b");
  const char *text = "pässwörd 🔑 with\nnew line";
  char *big = checked(malloc(64 * 1024 + 1));
  memset(big, 'x', 64 * 1024);
  big[64 * 1024] = '\0';
  const Text none = {NULL, 0};
  const uint32_t ok = PORT_SECRET_OK, auth = PORT_SECRET_AUTHENTICATION_FAILED;
  const uint32_t b64 = PORT_SECRET_INVALID_BASE64;
  Text aes = encrypt(port_secret_encrypt_aes256_gcm, "pw", demo);
  Text fer = encrypt(port_secret_encrypt_fernet, text, demo);
  Text cs = encrypt(port_secret_encrypt_client_side, "pw", pub_demo);
  Text fer_plus = text_copy(fer.data, fer.len);
  fer_plus.data[10] = '+';
  Text big_aes = encrypt(port_secret_encrypt_aes256_gcm, big, vec);
  Text fer_vec = encrypt(port_secret_encrypt_fernet, "pw", vec);
  Text cs_b = encrypt(port_secret_encrypt_client_side, text, pub_b);
  Text aes_name = text_of("aes256-gcm"), fernet = text_of("fernet");
  Text client = text_of("client-side");

  add_case("self aes256-gcm", 0, aes_name, aes, ok, text_of("pw"), none);
  add_case("self aes256-gcm, encryption as JSON text", 0, text_of("\"aes256-gcm\""), aes, ok,
           text_of("pw"), none);
  add_case("self aes256-gcm 64 KiB, second secret", 0, aes_name, big_aes, ok, text_of(big), none);
  add_case("self fernet", 0, fernet, fer, ok, text_of(text), none);
  add_case("self fernet, second secret", 0, fernet, fer_vec, ok, text_of("pw"), none);
  add_case("self client-side, key named", 0, client_side_spec(pub_demo), cs, ok, text_of("pw"),
           none);
  add_case("self client-side, third key, key not named", 0, client, cs_b, ok, text_of(text), none);
  add_case("self aes256-gcm tampered", 0, aes_name, tamper(aes), auth, none, none);
  add_case("self fernet tampered", 0, fernet, tamper(fer), auth, none, none);
  add_case("self client-side tampered", 0, client, tamper(cs), auth, none, none);
  add_case("not base64", 0, aes_name, text_of("not base64!"), b64, none, none);
  add_case("fernet token with '+'", 0, fernet, fer_plus, b64, none, none);
  add_case("too short", 0, aes_name, text_of("AAAA"), PORT_SECRET_MALFORMED, none, none);
  add_case("unsupported encryption", 0, text_of("rot13"), aes, PORT_SECRET_UNSUPPORTED_ENCRYPTION,
           none, none);
  free(big);
}

static int same(const PortSecretBuffer *buf, Text want) {
  return buf->len == want.len && (want.len == 0 || memcmp(buf->data, want.data, want.len) == 0);
}

/* NULL when the outcome of one case is the expected one, else what went wrong. */
static const char *run_case(const Case *c) {
  PortSecretBuffer out = {0}, input = {0};
  PortSecretStatus s;
  if (c->properties) {
    s = port_secret_decryptor_decrypt_properties(decryptor, c->a.data, c->b.data, &out, &input);
  } else {
    s = port_secret_decryptor_decrypt(decryptor, c->b.data, c->a.data, &out);
  }
  const char *what = NULL;
  if (s != c->expect) {
    what = port_secret_status_str(s);
  } else if (s == PORT_SECRET_OK && !same(&out, c->output)) {
    what = "wrong plaintext";
  } else if (s != PORT_SECRET_OK && (out.data != NULL || out.len != 0)) {
    what = "output not empty on error";
  } else if (c->properties && !same(&input, c->input)) {
    what = "wrong error_input";
  }
  port_secret_buffer_free(&out);
  port_secret_buffer_free(&input);
  return what;
}

typedef struct {
  size_t start;
  uint64_t ops, wrong;
} Worker;

static void *worker(void *arg) {
  Worker *w = arg;
  for (size_t i = w->start; !atomic_load_explicit(&stop, memory_order_relaxed); i++) {
    const Case *c = &cases[i % n_cases];
    const char *what = run_case(c);
    w->ops++;
    if (what) {
      w->wrong++;
      pthread_mutex_lock(&report_lock);
      if (reported++ < MAX_REPORTED) {
        fprintf(stderr, "soak c: WRONG %s: got %s, expected %s\n", c->label, what,
                port_secret_status_str(c->expect));
      }
      pthread_mutex_unlock(&report_lock);
    }
  }
  return NULL;
}

static long rss_kib(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kib = -1;
  if (!f) die("no /proc/self/status");
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, "VmRSS:", 6) == 0) kib = strtol(line + 6, NULL, 10);
  }
  fclose(f);
  if (kib < 0) die("no VmRSS in /proc/self/status");
  return kib;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_for(double seconds) {
  if (seconds <= 0) return;
  struct timespec ts = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
  while (nanosleep(&ts, &ts) != 0) {
  }
}

static double env_number(const char *name, double fallback) {
  const char *v = getenv(name);
  return v && *v ? strtod(v, NULL) : fallback;
}

int main(int argc, char **argv) {
  if (argc != 2) die("usage: soak-c CASES.tsv (written by bench/soak/cases.py)");
  int threads = (int)env_number("SOAK_THREADS", 8);
  double seconds = env_number("SOAK_SECONDS", 10);
  /* Deliberately loose: a leak of even a few bytes per operation adds up to far more than this
   * over a soak, while allocator noise (per-thread malloc arenas) stays well under it. It
   * catches leaks per op, not noise. */
  long bound_kib = (long)(env_number("SOAK_RSS_BOUND_MIB", 16) * 1024);
  if (threads < 1 || threads > 1024 || seconds <= 0) die("bad SOAK_THREADS or SOAK_SECONDS");

  load(argv[1]);
  const char *secret_list[MAX_KEYS], *key_list[MAX_KEYS];
  for (size_t i = 0; i < n_secrets; i++) secret_list[i] = secrets[i].text.data;
  for (size_t i = 0; i < n_private; i++) key_list[i] = private_keys[i].text.data;
  if (port_secret_decryptor_new(secret_list, n_secrets, key_list, n_private, &decryptor) !=
      PORT_SECRET_OK) {
    die("port_secret_decryptor_new failed");
  }
  self_made();
  printf("soak c: %d threads sharing one decryptor, %g s, %zu cases per pass"
         " (libport_secret %s)\n",
         threads, seconds, n_cases, port_secret_version());
  fflush(stdout);
  long rss_start = rss_kib();

  Worker *workers = checked(calloc((size_t)threads, sizeof *workers));
  pthread_t *ids = checked(calloc((size_t)threads, sizeof *ids));
  double started = now();
  for (int t = 0; t < threads; t++) {
    workers[t].start = (size_t)t; /* threads start at different places in the mix */
    if (pthread_create(&ids[t], NULL, worker, &workers[t]) != 0) die("pthread_create failed");
  }
  double warm_up = seconds / 5 < 5 ? seconds / 5 : 5;
  sleep_for(warm_up);
  long rss_warm = rss_kib();
  printf("soak c: rss start %ld KiB, after warm-up (%g s) %ld KiB\n", rss_start, warm_up,
         rss_warm);
  fflush(stdout);
  sleep_for(seconds - (now() - started));
  atomic_store(&stop, 1);
  uint64_t ops = 0, wrong = 0;
  for (int t = 0; t < threads; t++) {
    pthread_join(ids[t], NULL);
    ops += workers[t].ops;
    wrong += workers[t].wrong;
  }
  double elapsed = now() - started;
  long rss_end = rss_kib();
  port_secret_decryptor_free(decryptor);

  long delta = rss_end - rss_warm;
  int passed = wrong == 0 && delta <= bound_kib;
  printf("soak-result lang=c threads=%d seconds=%.1f ops=%llu ops_per_s=%.0f wrong=%llu"
         " rss_start_kib=%ld rss_warm_kib=%ld rss_end_kib=%ld rss_delta_kib=%ld bound_kib=%ld"
         " result=%s\n",
         threads, elapsed, (unsigned long long)ops, (double)ops / elapsed,
         (unsigned long long)wrong, rss_start, rss_warm, rss_end, delta, bound_kib,
         passed ? "pass" : "FAIL");
  free(workers);
  free(ids);
  return passed ? 0 : 1;
}
