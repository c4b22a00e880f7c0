/* host.c - the firmware's platform on the build machine: stdout and exit().
 * The host build runs the same main.c and generated model code, so its
 * weights checksum is what the board must print. */
#include "platform.h"

#include <stdio.h>
#include <stdlib.h>

void fw_puts(const char *s) { fputs(s, stdout); }

void fw_exit(int status) {
  fflush(stdout);
  exit(status);
}
