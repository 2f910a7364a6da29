/* Epilogue of README.md "Using from C": the block's print_secret on the demo db_password value,
   the demo client secret read from client_secret.txt; the program must print the plaintext. */
#include <stdlib.h>
#include <string.h>

static char *read_text(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  static char buf[1 << 16];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' ')) buf[--n] = 0;
  char *copy = malloc(n + 1);
  if (copy) memcpy(copy, buf, n + 1);
  return copy;
}

/* The demo value of db_password, from body.json (a string after "db_password": "). */
static char *db_password_value(void) {
  char *body = read_text("body.json");
  const char *key = "\"db_password\": \"";
  char *at = body ? strstr(body, key) : NULL;
  if (!at) return NULL;
  at += strlen(key);
  *strchr(at, '"') = 0;
  return at;
}

int main(void) {
  char *secret = read_text("client_secret.txt");
  char *value = db_password_value();
  if (!secret || !value) return 2;
  if (print_secret(value, secret) != 0) return 1;
  /* A tampered value fails with authentication_failed or invalid_base64, and returns 1. */
  value[0] = value[0] == 'A' ? 'B' : 'A';
  return print_secret(value, secret) == 1 ? 0 : 3;
}
