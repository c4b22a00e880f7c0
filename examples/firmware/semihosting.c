/* semihosting.c - output and exit through Arm semihosting (BKPT 0xAB on
 * M-profile), which QEMU implements with -semihosting-config enable=on. No
 * UART driver and no C library are needed. */
#include "platform.h"

#include <stdint.h>

enum {
  SYS_WRITE0 = 0x04,
  SYS_EXIT = 0x18,
  ADP_STOPPED_APPLICATION_EXIT = 0x20026,
  ADP_STOPPED_RUNTIME_ERROR = 0x20023
};

static uint32_t semihost(uint32_t op, const void *arg) {
  register uint32_t r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

void fw_puts(const char *s) { semihost(SYS_WRITE0, s); }

void fw_exit(int status) {
  /* 32-bit SYS_EXIT takes the reason itself; QEMU exits with 0 for
   * ApplicationExit and 1 for any other reason. */
  semihost(SYS_EXIT,
           (const void *)(uintptr_t)(status == 0 ? ADP_STOPPED_APPLICATION_EXIT
                                                 : ADP_STOPPED_RUNTIME_ERROR));
  for (;;)
    ;
}
