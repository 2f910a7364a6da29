# Prelude of README.md "Using from C": the reader's app.c, here a program that prints the
# linked library's version (it must find libport_secret.so at run time).
cat > app.c <<'C'
#include <stdio.h>
#include "port_secret.h"

int main(void) {
  printf("libport_secret %s\n", port_secret_version());
  return 0;
}
C
