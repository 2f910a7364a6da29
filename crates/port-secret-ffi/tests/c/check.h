/* Tiny test helpers shared by the C tests. Written only against include/port_secret.h. */
#ifndef PORT_SECRET_TEST_CHECK_H
#define PORT_SECRET_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

#include "port_secret.h"

static unsigned long checks_run;
static unsigned long checks_failed;

/* Records one check; on failure prints the location and a message (never a secret). */
#define CHECK(cond, ...)                                                      \
  do {                                                                        \
    checks_run++;                                                             \
    if (!(cond)) {                                                            \
      checks_failed++;                                                        \
      fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                    \
      fprintf(stderr, __VA_ARGS__);                                           \
      fputc('\n', stderr);                                                    \
    }                                                                         \
  } while (0)

/* Checks a status against an expected one, naming both. */
#define CHECK_STATUS(got, want, what)                                         \
  CHECK((got) == (want), "%s: got %s, want %s", (what),                       \
        port_secret_status_str(got), port_secret_status_str(want))

/* A buffer left by a failed call: {NULL, 0}. */
static inline int buffer_is_empty(const PortSecretBuffer *b) {
  return b->data == NULL && b->len == 0;
}

/* A buffer holding exactly `len` bytes of `want`, NUL-terminated after them. */
static inline int buffer_equals(const PortSecretBuffer *b, const void *want, size_t len) {
  return b->data != NULL && b->len == len && memcmp(b->data, want, len) == 0 &&
         b->data[len] == 0;
}

#endif
