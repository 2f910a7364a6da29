/* Template of README.md "Using from C", a whole run: the block runs inside main with `d` (the demo
   secret and private key), `body`/`body_len` (the demo run) and `sig`/`ts` (signed now). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "port_secret.h"

static char *read_text(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *buf = malloc(1 << 20);
  size_t n = fread(buf, 1, (1 << 20) - 1, f);
  fclose(f);
  buf[n] = 0;
  if (len) *len = n;
  return buf;
}

static int run_block(PortSecretDecryptor *d, const uint8_t *body, size_t body_len, const char *sig, const char *ts) {
@@BLOCK@@
  return st == PORT_SECRET_OK ? 0 : 1;
}

int main(void) {
  size_t body_len = 0;
  char *secret = read_text("client_secret.txt", NULL);
  char *key = read_text("private_key.pem", NULL);
  char *body = read_text("body.json", &body_len);
  if (!secret || !key || !body) return 2;
  secret[strcspn(secret, "\r\n")] = 0;
  const char *secrets[] = {secret};
  const char *keys[] = {key};
  PortSecretDecryptor *d = NULL;
  if (port_secret_decryptor_new(secrets, 1, keys, 1, &d) != PORT_SECRET_OK) return 2;
  char ts[32];
  snprintf(ts, sizeof ts, "%lld", (long long)time(NULL));
  PortSecretBuffer sig = {0};
  if (port_secret_sign_payload((const uint8_t *)body, body_len, ts, secret, &sig) != PORT_SECRET_OK) return 2;
  int ok = run_block(d, (const uint8_t *)body, body_len, (const char *)sig.data, ts);
  /* A tampered body is refused: the block prints the status and returns 1. */
  body[body_len - 1] = body[body_len - 1] == ' ' ? '\n' : ' ';
  int refused = run_block(d, (const uint8_t *)body, body_len, (const char *)sig.data, ts);
  port_secret_buffer_free(&sig);
  port_secret_decryptor_free(d);
  return ok == 0 && refused == 1 ? 0 : 1;
}
