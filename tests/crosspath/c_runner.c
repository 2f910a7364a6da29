/* Cross-path runner, C: every shared vector through every entry point of libport_secret
 * (include/port_secret.h), one JSON line per call (see compare.py for the format). It reads the
 * vector files itself with the small JSON reader below (no other language's parsing is
 * trusted), and hands JSON-valued arguments (properties, userInputs, options) to the library as
 * the exact text of that value in the file.
 *
 *   c_runner <tests/vectors dir> <out.jsonl>
 *
 * Tests whose C-string arguments (value, token, secret, signature, timestamp, header name,
 * pointer) hold a NUL byte cannot be passed through a NUL-terminated API: they are reported as
 * skips, with that reason (tests/vectors/README.md: C consumers skip them). */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "port_secret.h"

/* ---------------------------------------------------------------- a small JSON reader */

typedef enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } JType;

typedef struct JVal {
  JType type;
  const char *raw; /* the value's text in the file */
  size_t raw_len;
  char *str; /* J_STR: decoded UTF-8, NUL-terminated (may hold NULs: use str_len) */
  size_t str_len;
  bool boolean;
  size_t n; /* J_ARR, J_OBJ: number of items */
  struct JVal **items;
  struct JVal **keys; /* J_OBJ: J_STR keys */
} JVal;

typedef struct {
  const char *p, *end;
  const char *error;
} Parser;

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) {
    fprintf(stderr, "out of memory\n");
    exit(2);
  }
  return p;
}

static void skip_ws(Parser *ps) {
  while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\r' || *ps->p == '\t'))
    ps->p++;
}

static JVal *parse_value(Parser *ps, int depth);

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static bool read_u4(Parser *ps, unsigned *out) {
  if (ps->end - ps->p < 4) return false;
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    int h = hexval(ps->p[i]);
    if (h < 0) return false;
    v = v * 16 + (unsigned)h;
  }
  ps->p += 4;
  *out = v;
  return true;
}

static size_t put_utf8(char *o, unsigned cp) {
  if (cp < 0x80) {
    o[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (char)(0xC0 | (cp >> 6));
    o[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (char)(0xE0 | (cp >> 12));
    o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (char)(0xF0 | (cp >> 18));
  o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  o[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

static JVal *parse_string(Parser *ps) {
  JVal *v = xmalloc(sizeof *v);
  memset(v, 0, sizeof *v);
  v->type = J_STR;
  v->raw = ps->p;
  ps->p++; /* opening quote */
  /* Decoded text is never longer than the escaped one. */
  const char *q = ps->p;
  while (q < ps->end && *q != '"') q += (*q == '\\') ? 2 : 1;
  char *o = xmalloc((size_t)(q - ps->p) + 1);
  size_t n = 0;
  while (ps->p < ps->end && *ps->p != '"') {
    char c = *ps->p++;
    if (c != '\\') {
      o[n++] = c;
      continue;
    }
    if (ps->p >= ps->end) break;
    char e = *ps->p++;
    switch (e) {
      case '"': o[n++] = '"'; break;
      case '\\': o[n++] = '\\'; break;
      case '/': o[n++] = '/'; break;
      case 'b': o[n++] = '\b'; break;
      case 'f': o[n++] = '\f'; break;
      case 'n': o[n++] = '\n'; break;
      case 'r': o[n++] = '\r'; break;
      case 't': o[n++] = '\t'; break;
      case 'u': {
        unsigned cp;
        if (!read_u4(ps, &cp)) {
          ps->error = "bad \\u escape";
          return v;
        }
        if (cp >= 0xD800 && cp < 0xDC00 && ps->end - ps->p >= 6 && ps->p[0] == '\\' && ps->p[1] == 'u') {
          Parser save = *ps;
          unsigned lo;
          ps->p += 2;
          if (read_u4(ps, &lo) && lo >= 0xDC00 && lo < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else {
            *ps = save;
          }
        }
        n += put_utf8(o + n, cp); /* a lone surrogate is written as its 3 bytes (WTF-8) */
        break;
      }
      default:
        ps->error = "bad escape";
        return v;
    }
  }
  if (ps->p >= ps->end) {
    ps->error = "unterminated string";
    return v;
  }
  ps->p++; /* closing quote */
  o[n] = '\0';
  v->str = o;
  v->str_len = n;
  v->raw_len = (size_t)(ps->p - v->raw);
  return v;
}

static JVal *parse_value(Parser *ps, int depth) {
  skip_ws(ps);
  if (ps->p >= ps->end) {
    ps->error = "unexpected end";
    return NULL;
  }
  if (depth > 200) {
    ps->error = "too deep";
    return NULL;
  }
  char c = *ps->p;
  if (c == '"') return parse_string(ps);
  JVal *v = xmalloc(sizeof *v);
  memset(v, 0, sizeof *v);
  v->raw = ps->p;
  if (c == '{' || c == '[') {
    bool obj = c == '{';
    v->type = obj ? J_OBJ : J_ARR;
    size_t cap = 4;
    v->items = xmalloc(cap * sizeof *v->items);
    if (obj) v->keys = xmalloc(cap * sizeof *v->keys);
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == (obj ? '}' : ']')) {
      ps->p++;
    } else {
      for (;;) {
        if (v->n == cap) {
          cap *= 2;
          v->items = realloc(v->items, cap * sizeof *v->items);
          if (obj) v->keys = realloc(v->keys, cap * sizeof *v->keys);
          if (!v->items || (obj && !v->keys)) {
            fprintf(stderr, "out of memory\n");
            exit(2);
          }
        }
        if (obj) {
          skip_ws(ps);
          if (ps->p >= ps->end || *ps->p != '"') {
            ps->error = "expected a key";
            return v;
          }
          v->keys[v->n] = parse_string(ps);
          if (ps->error) return v;
          skip_ws(ps);
          if (ps->p >= ps->end || *ps->p != ':') {
            ps->error = "expected :";
            return v;
          }
          ps->p++;
        }
        v->items[v->n] = parse_value(ps, depth + 1);
        if (ps->error) return v;
        v->n++;
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
          ps->p++;
          continue;
        }
        if (ps->p < ps->end && *ps->p == (obj ? '}' : ']')) {
          ps->p++;
          break;
        }
        ps->error = "expected , or end";
        return v;
      }
    }
  } else if (strncmp(ps->p, "true", 4) == 0 || strncmp(ps->p, "false", 5) == 0) {
    v->type = J_BOOL;
    v->boolean = c == 't';
    ps->p += v->boolean ? 4 : 5;
  } else if (strncmp(ps->p, "null", 4) == 0) {
    v->type = J_NULL;
    ps->p += 4;
  } else if (c == '-' || (c >= '0' && c <= '9')) {
    v->type = J_NUM;
    while (ps->p < ps->end && strchr("+-0123456789.eE", *ps->p)) ps->p++;
  } else {
    ps->error = "unexpected character";
    return v;
  }
  v->raw_len = (size_t)(ps->p - v->raw);
  return v;
}

static void jfree(JVal *v) {
  if (!v) return;
  for (size_t i = 0; i < v->n; i++) {
    jfree(v->items[i]);
    if (v->keys) jfree(v->keys[i]);
  }
  free(v->items);
  free(v->keys);
  free(v->str);
  free(v);
}

static JVal *jget(const JVal *obj, const char *key) {
  if (!obj || obj->type != J_OBJ) return NULL;
  for (size_t i = 0; i < obj->n; i++)
    if (obj->keys[i]->str_len == strlen(key) && memcmp(obj->keys[i]->str, key, obj->keys[i]->str_len) == 0)
      return obj->items[i];
  return NULL;
}

static const char *jstr(const JVal *obj, const char *key) {
  JVal *v = jget(obj, key);
  return v && v->type == J_STR ? v->str : NULL;
}

static bool jhas_nul(const JVal *obj, const char *key) {
  JVal *v = jget(obj, key);
  return v && v->type == J_STR && strlen(v->str) != v->str_len;
}

static long long jint(const JVal *obj, const char *key, long long dflt) {
  JVal *v = jget(obj, key);
  if (!v || v->type != J_NUM) return dflt;
  char buf[64];
  size_t n = v->raw_len < sizeof buf - 1 ? v->raw_len : sizeof buf - 1;
  memcpy(buf, v->raw, n);
  buf[n] = '\0';
  return strtoll(buf, NULL, 10);
}

static char *jraw(const JVal *v) { /* the value's text, NUL-terminated copy */
  char *s = xmalloc(v->raw_len + 1);
  memcpy(s, v->raw, v->raw_len);
  s[v->raw_len] = '\0';
  return s;
}

static bool has_flag(const JVal *t, const char *flag) {
  JVal *flags = jget(t, "flags");
  for (size_t i = 0; flags && i < flags->n; i++)
    if (strcmp(flags->items[i]->str, flag) == 0) return true;
  return false;
}

static bool is_integer_text(const JVal *v) {
  for (size_t i = 0; i < v->raw_len; i++)
    if (strchr(".eE", v->raw[i])) return false;
  return true;
}

/* Equal as JSON values: same types, same key order, same string bytes; integers compared by
 * their digits, other numbers by value (and sign, for -0.0). */
static bool jequal(const JVal *a, const JVal *b) {
  if (a->type != b->type) return false;
  switch (a->type) {
    case J_NULL: return true;
    case J_BOOL: return a->boolean == b->boolean;
    case J_STR: return a->str_len == b->str_len && memcmp(a->str, b->str, a->str_len) == 0;
    case J_NUM: {
      if (is_integer_text(a) && is_integer_text(b))
        return a->raw_len == b->raw_len && memcmp(a->raw, b->raw, a->raw_len) == 0;
      char *x = jraw(a), *y = jraw(b);
      double dx = strtod(x, NULL), dy = strtod(y, NULL);
      free(x), free(y);
      return dx == dy && signbit(dx) == signbit(dy);
    }
    case J_ARR:
    case J_OBJ:
      if (a->n != b->n) return false;
      for (size_t i = 0; i < a->n; i++) {
        if (a->type == J_OBJ && !jequal(a->keys[i], b->keys[i])) return false;
        if (!jequal(a->items[i], b->items[i])) return false;
      }
      return true;
  }
  return false;
}

static JVal *parse_text(const char *text, size_t len) {
  Parser ps = {text, text + len, NULL};
  JVal *v = parse_value(&ps, 0);
  skip_ws(&ps);
  if (ps.error || ps.p != ps.end) {
    jfree(v);
    return NULL;
  }
  return v;
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = xmalloc((size_t)n + 1);
  size_t got = fread(buf, 1, (size_t)n, f);
  fclose(f);
  buf[got] = '\0';
  if (len) *len = got;
  return buf;
}

/* ---------------------------------------------------------------- output */

static FILE *out;
static const char *root;
static long checks;

static void put_json_string(const char *s, size_t n) {
  fputc('"', out);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') fprintf(out, "\\%c", c);
    else if (c < 0x20) fprintf(out, "\\u%04x", c);
    else fputc(c, out);
  }
  fputc('"', out);
}

static void emit(const char *vid, const char *path, const char *kind, const char *code, const PortSecretBuffer *input) {
  fprintf(out, "{\"vector\":");
  put_json_string(vid, strlen(vid));
  fprintf(out, ",\"path\":\"c:%s\",\"kind\":\"%s\",\"code\":\"%s\",\"input\":", path, kind, code);
  if (input && input->data) put_json_string((const char *)input->data, input->len);
  else fprintf(out, "null");
  fprintf(out, "}\n");
  checks++;
}

static void skip(const char *vid, const char *reason) {
  fprintf(out, "{\"vector\":");
  put_json_string(vid, strlen(vid));
  fprintf(out, ",\"path\":\"c:*\",\"skip\":\"%s\"}\n", reason);
}

static char *key_file(const char *name) {
  char path[4096];
  snprintf(path, sizeof path, "%s/keys/%s", root, name);
  char *pem = read_file(path, NULL);
  return pem ? pem : strdup("");
}

static unsigned char *unhex(const char *hex, size_t *len) {
  size_t n = strlen(hex) / 2;
  unsigned char *b = xmalloc(n + 1);
  for (size_t i = 0; i < n; i++) b[i] = (unsigned char)(hexval(hex[2 * i]) * 16 + hexval(hex[2 * i + 1]));
  *len = n;
  return b;
}

/* ---------------------------------------------------------------- checks */

typedef enum { OUT_BYTES, OUT_TEXT, OUT_JSON } OutKind;

/* The code of a decrypt call: ok only for exactly what the vector holds. */
static void result(const char *vid, const char *path, const JVal *t, PortSecretStatus st, PortSecretBuffer *buf, OutKind kind) {
  static const char *kinds[] = {"bytes", "text", "json"};
  const char *code = port_secret_status_str(st);
  if (st == PORT_SECRET_OK) {
    bool ok = false;
    const char *hex = jstr(t, "plaintextHex");
    JVal *text = jget(t, "plaintext");
    if (kind == OUT_BYTES && hex) {
      size_t n;
      unsigned char *want = unhex(hex, &n);
      ok = n == buf->len && (n == 0 || memcmp(want, buf->data, n) == 0);
      free(want);
    } else if (kind == OUT_TEXT && text) {
      ok = text->str_len == buf->len && (buf->len == 0 || memcmp(text->str, buf->data, buf->len) == 0);
    } else if (kind == OUT_JSON && text) {
      JVal *want = parse_text(text->str, text->str_len);
      JVal *got = buf->data ? parse_text((const char *)buf->data, buf->len) : NULL;
      ok = want && got && jequal(want, got);
      jfree(want), jfree(got);
    }
    code = ok ? "ok" : "wrong_output";
  }
  emit(vid, path, kinds[kind], code, NULL);
  port_secret_buffer_free(buf);
}

static bool json_applies(const JVal *t) {
  return strcmp(jstr(t, "result"), "invalid") == 0 || has_flag(t, "JsonObject");
}

/* The three decryptor functions (or the constructor's status for each). */
static void decryptor_paths(const char *vid, const JVal *t, const char *secret, const char *pem, const char *value,
                            const char *enc) {
  PortSecretDecryptor *d = NULL;
  PortSecretStatus made = secret ? port_secret_decryptor_new(&secret, 1, NULL, 0, &d)
                                 : port_secret_decryptor_new(NULL, 0, &pem, 1, &d);
  PortSecretBuffer buf = {0};
  PortSecretStatus st = made ? made : port_secret_decryptor_decrypt_bytes(d, value, enc, &buf);
  result(vid, "decryptor_decrypt_bytes", t, st, &buf, OUT_BYTES);
  st = made ? made : port_secret_decryptor_decrypt(d, value, enc, &buf);
  result(vid, "decryptor_decrypt", t, st, &buf, OUT_TEXT);
  if (json_applies(t)) {
    st = made ? made : port_secret_decryptor_decrypt_json(d, value, enc, &buf);
    result(vid, "decryptor_decrypt_json", t, st, &buf, OUT_JSON);
  }
  port_secret_decryptor_free(d);
}

static void run_aes256_gcm(const char *vid, const JVal *t) {
  if (jhas_nul(t, "value") || jhas_nul(t, "clientSecret")) return skip(vid, "NUL in a C string argument");
  const char *value = jstr(t, "value"), *secret = jstr(t, "clientSecret");
  PortSecretBuffer buf = {0};
  result(vid, "decrypt_aes256_gcm", t, port_secret_decrypt_aes256_gcm(value, secret, &buf), &buf, OUT_TEXT);
  result(vid, "decrypt_aes256_gcm_bytes", t, port_secret_decrypt_aes256_gcm_bytes(value, secret, &buf), &buf, OUT_BYTES);
  decryptor_paths(vid, t, secret, NULL, value, "aes256-gcm");
}

static void json_escape_into(char *o, const char *s) { /* o has room for 6x + 3 */
  *o++ = '"';
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') o += sprintf(o, "\\%c", c);
    else if (c < 0x20) o += sprintf(o, "\\u%04x", c);
    else *o++ = (char)c;
  }
  *o++ = '"';
  *o = '\0';
}

static void run_client_side(const char *vid, const JVal *t) {
  if (jhas_nul(t, "value")) return skip(vid, "NUL in a C string argument");
  const char *value = jstr(t, "value");
  char *pem = key_file(jstr(t, "privateKey"));
  PortSecretBuffer buf = {0};
  result(vid, "decrypt_client_side", t, port_secret_decrypt_client_side(value, pem, &buf), &buf, OUT_TEXT);
  result(vid, "decrypt_client_side_bytes", t, port_secret_decrypt_client_side_bytes(value, pem, &buf), &buf, OUT_BYTES);
  char *enc = NULL;
  if (jstr(t, "publicKey")) {
    char *pub = key_file(jstr(t, "publicKey"));
    char *quoted = xmalloc(6 * strlen(pub) + 3);
    json_escape_into(quoted, pub);
    enc = xmalloc(strlen(quoted) + 64);
    sprintf(enc, "{\"algorithm\":\"client-side\",\"key\":%s}", quoted);
    free(pub), free(quoted);
  } else {
    enc = strdup("\"client-side\"");
  }
  decryptor_paths(vid, t, NULL, pem, value, enc);
  free(enc), free(pem);
}

static void run_fernet(const char *vid, const JVal *t) {
  if (jhas_nul(t, "token") || jhas_nul(t, "clientSecret")) return skip(vid, "NUL in a C string argument");
  const char *token = jstr(t, "token"), *secret = jstr(t, "clientSecret");
  uint64_t ttl = (uint64_t)jint(t, "ttl", 0);
  PortSecretBuffer buf = {0};
  if (jget(t, "now")) {
    /* The clock hook of the C API (bytes only); a decryptor has none. */
    uint64_t now = (uint64_t)jint(t, "now", 0);
    result(vid, "decrypt_fernet_bytes_at", t, port_secret_decrypt_fernet_bytes_at(token, secret, ttl, now, &buf), &buf, OUT_BYTES);
    return;
  }
  result(vid, "decrypt_fernet", t, port_secret_decrypt_fernet(token, secret, ttl, &buf), &buf, OUT_TEXT);
  result(vid, "decrypt_fernet_bytes", t, port_secret_decrypt_fernet_bytes(token, secret, ttl, &buf), &buf, OUT_BYTES);
  decryptor_paths(vid, t, secret, NULL, token, "fernet");
}

static void run_signature(const char *vid, const JVal *t) {
  if (jhas_nul(t, "signature") || jhas_nul(t, "timestamp") || jhas_nul(t, "clientSecret"))
    return skip(vid, "NUL in a C string argument");
  JVal *body = jget(t, "body");
  PortSecretStatus st = port_secret_verify_signature_at((const uint8_t *)body->str, body->str_len, jstr(t, "signature"),
                                                        jstr(t, "timestamp"), jstr(t, "clientSecret"),
                                                        (uint64_t)jint(t, "tolerance", 0), jint(t, "now", 0));
  /* port_secret_decryptor_verify_signature has no clock parameter: not applicable here. */
  emit(vid, "verify_signature_at", "verify", port_secret_status_str(st), NULL);
}

static PortSecretStatus new_run_decryptor(const JVal *t, PortSecretDecryptor **d) {
  const char *secret = jstr(t, "clientSecret");
  char *pem = jstr(t, "privateKey") ? key_file(jstr(t, "privateKey")) : NULL;
  const char *pems[1] = {pem};
  PortSecretStatus st = port_secret_decryptor_new(&secret, 1, pems, pem ? 1 : 0, d);
  free(pem);
  return st;
}

/* A properties / run result: ok only for exactly `expected` (as JSON values). */
static void named_result(const char *vid, const char *path, const char *kind, const JVal *t, PortSecretStatus st,
                         PortSecretBuffer *buf, PortSecretBuffer *name) {
  const char *code = port_secret_status_str(st);
  if (st == PORT_SECRET_OK) {
    JVal *got = buf->data ? parse_text((const char *)buf->data, buf->len) : NULL;
    JVal *want = jget(t, "expected");
    code = got && want && jequal(got, want) ? "ok" : "wrong_output";
    jfree(got);
  }
  emit(vid, path, kind, code, st == PORT_SECRET_OK ? NULL : name);
  port_secret_buffer_free(buf);
  port_secret_buffer_free(name);
}

static void run_properties(const char *vid, const JVal *t) {
  if (jhas_nul(t, "clientSecret")) return skip(vid, "NUL in a C string argument");
  PortSecretDecryptor *d = NULL;
  PortSecretStatus made = new_run_decryptor(t, &d);
  char *props = jraw(jget(t, "properties")), *inputs = jraw(jget(t, "userInputs"));
  PortSecretBuffer buf = {0}, name = {0};
  PortSecretStatus st = made ? made : port_secret_decryptor_decrypt_properties(d, props, inputs, &buf, &name);
  named_result(vid, "decryptor_decrypt_properties", "properties", t, st, &buf, &name);
  free(props), free(inputs);
  port_secret_decryptor_free(d);
}

static void run_run(const char *vid, const JVal *t) {
  JVal *o = jget(t, "options"), *headers = jget(t, "headers");
  if (jhas_nul(t, "clientSecret") || jhas_nul(o, "userInputsPointer") || jhas_nul(o, "propertiesPointer"))
    return skip(vid, "NUL in a C string argument");
  for (size_t i = 0; headers && i < headers->n; i++)
    if (strlen(headers->items[i]->items[0]->str) != headers->items[i]->items[0]->str_len)
      return skip(vid, "NUL in a C string argument");
  if (jget(o, "maxBody") && jint(o, "maxBody", 0) == 0) return skip(vid, "0 means the default in C");
  if (jget(o, "maxClientSideInputs") && jint(o, "maxClientSideInputs", 0) == 0)
    return skip(vid, "0 means the default in C");

  PortSecretRunOptions opts = port_secret_run_options_default();
  const char *delivery = jstr(t, "delivery");
  opts.delivery = strcmp(delivery, "agent") == 0 ? PORT_SECRET_DELIVERY_AGENT : PORT_SECRET_DELIVERY_PORT;
  JVal *v;
  if ((v = jget(o, "verifySignature"))) opts.verify_signature = v->boolean;
  if (jget(o, "tolerance")) opts.tolerance_seconds = (uint64_t)jint(o, "tolerance", 0);
  char *user_inputs = (v = jget(o, "userInputs")) ? jraw(v) : NULL;
  char *default_enc = (v = jget(o, "defaultEncryption")) ? jraw(v) : NULL;
  opts.user_inputs_json = user_inputs;
  opts.default_encryption_json = default_enc;
  opts.user_inputs_pointer = jstr(o, "userInputsPointer");
  opts.properties_pointer = jstr(o, "propertiesPointer");
  if (jget(o, "maxBody")) opts.max_body = (size_t)jint(o, "maxBody", 0);
  if (jget(o, "maxClientSideInputs")) opts.max_client_side_inputs = (size_t)jint(o, "maxClientSideInputs", 0);
  opts.has_now = true;
  opts.now = jint(t, "now", 0);

  size_t body_len;
  unsigned char *body;
  if (jstr(t, "bodyHex")) {
    body = unhex(jstr(t, "bodyHex"), &body_len);
  } else {
    JVal *b = jget(t, "body");
    body_len = b->str_len;
    body = xmalloc(body_len + 1);
    memcpy(body, b->str, body_len);
  }

  PortSecretDecryptor *d = NULL;
  PortSecretStatus made = new_run_decryptor(t, &d);
  PortSecretBuffer buf = {0}, name = {0};
  PortSecretStatus st;
  if (strcmp(delivery, "kafka") == 0) {
    st = made ? made : port_secret_decryptor_open_kafka_message(d, body, body_len, &opts, &buf, &name);
    named_result(vid, "decryptor_open_kafka_message", "run", t, st, &buf, &name);
  } else {
    size_t n = headers ? headers->n : 0;
    PortSecretHeader *hs = xmalloc((n ? n : 1) * sizeof *hs);
    for (size_t i = 0; i < n; i++) {
      JVal *pair = headers->items[i];
      hs[i].name = pair->items[0]->str;
      hs[i].value = (const uint8_t *)pair->items[1]->str;
      hs[i].value_len = pair->items[1]->str_len;
    }
    st = made ? made : port_secret_decryptor_open_webhook(d, body, body_len, n ? hs : NULL, n, &opts, &buf, &name);
    named_result(vid, "decryptor_open_webhook", "run", t, st, &buf, &name);
    free(hs);
  }
  port_secret_decryptor_free(d);
  free(body), free(user_inputs), free(default_enc);
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: c_runner <tests/vectors dir> <out.jsonl>\n");
    return 2;
  }
  root = argv[1];
  out = fopen(argv[2], "w");
  if (!out) {
    perror(argv[2]);
    return 1;
  }
  static const char *dirs[] = {"aes256_gcm", "client_side", "fernet", "signature", "properties", "runs"};
  int files = 0, tests = 0;
  for (size_t k = 0; k < sizeof dirs / sizeof *dirs; k++) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/%s", root, dirs[k]);
    DIR *dh = opendir(dir);
    if (!dh) continue;
    char *names[64];
    int count = 0;
    struct dirent *e;
    while ((e = readdir(dh)) && count < 64) {
      size_t n = strlen(e->d_name);
      if (n > 10 && strcmp(e->d_name + n - 10, "_test.json") == 0) names[count++] = strdup(e->d_name);
    }
    closedir(dh);
    qsort(names, (size_t)count, sizeof *names, by_name);
    for (int i = 0; i < count; i++) {
      char path[8192];
      snprintf(path, sizeof path, "%s/%s", dir, names[i]);
      size_t len;
      char *text = read_file(path, &len);
      JVal *doc = text ? parse_text(text, len) : NULL;
      if (!doc || !jstr(doc, "schema") || strcmp(jstr(doc, "schema"), "port-secret-vectors/v1") != 0) {
        fprintf(stderr, "%s: cannot read, or unknown schema\n", path);
        return 1;
      }
      files++;
      const char *format = jstr(doc, "format");
      JVal *list = jget(doc, "tests");
      for (size_t j = 0; j < list->n; j++) {
        JVal *t = list->items[j];
        char vid[512];
        JVal *id = jget(t, "tcId");
        snprintf(vid, sizeof vid, "%s/%s#%.*s", dirs[k], names[i], (int)id->raw_len, id->raw);
        tests++;
        if (has_flag(t, "Base64Nul")) skip(vid, "NUL in a C string argument");
        else if (strcmp(format, "aes256-gcm") == 0) run_aes256_gcm(vid, t);
        else if (strcmp(format, "client-side") == 0) run_client_side(vid, t);
        else if (strcmp(format, "fernet") == 0) run_fernet(vid, t);
        else if (strcmp(format, "signature") == 0) run_signature(vid, t);
        else if (strcmp(format, "properties") == 0) run_properties(vid, t);
        else if (strcmp(format, "run") == 0) run_run(vid, t);
        else skip(vid, "unknown format");
      }
      jfree(doc);
      free(text);
      free(names[i]);
    }
  }
  if (fclose(out) != 0) {
    perror(argv[2]);
    return 1;
  }
  printf("c (%s): %d files, %d tests, %ld checks\n", port_secret_version(), files, tests, checks);
  return 0;
}
