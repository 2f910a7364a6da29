/*
 * Negative control for the memory checkers: forgets to free a buffer this library filled.
 * scripts/test-c.sh requires valgrind and LeakSanitizer to FAIL on this program, which shows
 * that they see the library's allocations (so their clean reports on the real tests mean
 * something).
 */
#include <stdio.h>

#include "port_secret.h"

int main(void) {
  PortSecretBuffer value = {0};
  PortSecretStatus st = port_secret_encrypt_aes256_gcm(
      (const uint8_t *)"leaked", 6, "demo-client-secret-0123456789abcdefghijkl", &value);
  value.data = NULL; /* drop the only pointer: a definite leak */
  printf("leak_control: %s\n", port_secret_status_str(st));
  return st == PORT_SECRET_OK ? 0 : 3;
}
