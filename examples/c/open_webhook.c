/*
 * open_webhook: opens one Port webhook run: the raw body on stdin, its x-port-signature and
 * x-port-timestamp header values as arguments. Verifies the signature, decrypts every secret
 * input in place and writes the run as JSON to stdout.
 *
 *   PORT_CLIENT_SECRET=... ./open_webhook "$SIGNATURE" "$TIMESTAMP" [private_key.pem] < body.json
 *
 * Exit status: 0 on success, 1 when the run is refused (stderr names the error code and, for a
 * secret input that fails, the input), 2 on wrong usage.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "port_secret.h"

/* Reads a whole stream; *len receives its length. NUL-terminated. */
static char *read_all(FILE *f, size_t *len) {
  size_t cap = 4096, n;
  char *buf = malloc(cap);
  *len = 0;
  while (buf && (n = fread(buf + *len, 1, cap - *len - 1, f)) > 0) {
    *len += n;
    if (cap - *len - 1 == 0) {
      char *bigger = realloc(buf, cap *= 2);
      if (!bigger) free(buf);
      buf = bigger;
    }
  }
  if (buf) buf[*len] = 0;
  return buf;
}

int main(int argc, char **argv) {
  const char *secret = getenv("PORT_CLIENT_SECRET");
  if (argc < 3 || argc > 4 || !secret) {
    fprintf(stderr, "usage: PORT_CLIENT_SECRET=... %s SIGNATURE TIMESTAMP [PRIVATE_KEY_PEM] < body\n",
            argv[0]);
    return 2;
  }
  size_t body_len = 0, pem_len = 0;
  char *body = read_all(stdin, &body_len), *pem = NULL;
  if (!body) return 2;
  if (argc == 4) {
    FILE *f = fopen(argv[3], "rb");
    if (!f || !(pem = read_all(f, &pem_len))) {
      perror(argv[3]);
      return 2;
    }
    fclose(f);
  }

  /* Keys are parsed once: a server keeps this decryptor for its lifetime, across threads. */
  const char *secrets[1] = {secret};
  const char *keys[1] = {pem};
  PortSecretDecryptor *d = NULL;
  PortSecretStatus status = port_secret_decryptor_new(secrets, 1, keys, pem ? 1 : 0, &d);
  if (status != PORT_SECRET_OK) {
    fprintf(stderr, "keys: %s\n", port_secret_status_str(status));
    return 1;
  }

  /* The request's headers, as the HTTP server hands them over (names in any case). */
  PortSecretHeader headers[2] = {
      {"X-Port-Signature", (const uint8_t *)argv[1], strlen(argv[1])},
      {"X-Port-Timestamp", (const uint8_t *)argv[2], strlen(argv[2])},
  };
  PortSecretRunOptions options = port_secret_run_options_default(); /* verified, 300 s */
  PortSecretBuffer run = {0}, input = {0};
  status = port_secret_decryptor_open_webhook(d, (const uint8_t *)body, body_len, headers, 2,
                                              &options, &run, &input);
  int exit_code = 0;
  if (status == PORT_SECRET_OK) {
    printf("%s\n", (const char *)run.data); /* compact JSON, secrets decrypted */
  } else if (input.data) {
    fprintf(stderr, "open_webhook: %s (input %s)\n", port_secret_status_str(status),
            (const char *)input.data);
    exit_code = 1;
  } else {
    fprintf(stderr, "open_webhook: %s\n", port_secret_status_str(status));
    exit_code = 1;
  }
  port_secret_buffer_free(&run); /* zeroes the decrypted run, then frees it */
  port_secret_buffer_free(&input);
  port_secret_decryptor_free(d);
  free(pem);
  free(body);
  return exit_code;
}
