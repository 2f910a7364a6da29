/*
 * decrypt: reads one encrypted Port secret input from stdin and writes its plaintext to stdout.
 *
 *   PORT_CLIENT_SECRET=... ./decrypt aes256-gcm < value.txt
 *   PORT_CLIENT_SECRET=... ./decrypt fernet < token.txt
 *   ./decrypt client-side private_key.pem < value.txt
 *
 * Surrounding white space of the input is ignored; the plaintext is written as is. Exit status:
 * 0 on success, 1 when decryption fails (stderr names the error code), 2 on wrong usage.
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "port_secret.h"

/* Reads a whole stream into a NUL-terminated allocation. */
static char *read_all(FILE *f) {
  size_t len = 0, cap = 4096;
  char *buf = malloc(cap);
  size_t n;
  while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
    len += n;
    if (cap - len - 1 == 0) {
      char *bigger = realloc(buf, cap *= 2);
      if (!bigger) free(buf);
      buf = bigger;
    }
  }
  if (buf) buf[len] = 0;
  return buf;
}

static char *trim(char *s) {
  while (isspace((unsigned char)*s)) s++;
  size_t n = strlen(s);
  while (n > 0 && isspace((unsigned char)s[n - 1])) s[--n] = 0;
  return s;
}

int main(int argc, char **argv) {
  if (argc < 2 || (strcmp(argv[1], "client-side") == 0) != (argc == 3) || argc > 3) {
    fprintf(stderr,
            "usage: PORT_CLIENT_SECRET=... %s aes256-gcm|fernet < value\n"
            "       %s client-side PRIVATE_KEY_PEM_FILE < value\n",
            argv[0], argv[0]);
    return 2;
  }
  const char *encryption = argv[1];
  char *input = read_all(stdin);
  char *key_pem = NULL;
  if (!input) return 2;
  const char *value = trim(input);

  PortSecretBuffer plaintext = {0};
  PortSecretStatus status;
  if (strcmp(encryption, "client-side") == 0) {
    FILE *f = fopen(argv[2], "rb");
    if (!f || !(key_pem = read_all(f))) {
      perror(argv[2]);
      return 2;
    }
    fclose(f);
    /* One value: the one-shot call. Many values: build a PortSecretDecryptor once. */
    status = port_secret_decrypt_client_side_bytes(value, key_pem, &plaintext);
  } else {
    const char *secret = getenv("PORT_CLIENT_SECRET");
    if (!secret) {
      fprintf(stderr, "set PORT_CLIENT_SECRET\n");
      return 2;
    }
    if (strcmp(encryption, "aes256-gcm") == 0) {
      status = port_secret_decrypt_aes256_gcm_bytes(value, secret, &plaintext);
    } else if (strcmp(encryption, "fernet") == 0) {
      status = port_secret_decrypt_fernet_bytes(value, secret, 0 /* no TTL */, &plaintext);
    } else {
      fprintf(stderr, "unknown encryption: %s\n", encryption);
      return 2;
    }
  }

  int exit_code = 0;
  if (status == PORT_SECRET_OK) {
    fwrite(plaintext.data, 1, plaintext.len, stdout); /* may be binary: use len */
  } else {
    fprintf(stderr, "decrypt: %s\n", port_secret_status_str(status));
    exit_code = 1;
  }
  port_secret_buffer_free(&plaintext); /* zeroes the plaintext, then frees it */
  free(key_pem);
  free(input);
  return exit_code;
}
