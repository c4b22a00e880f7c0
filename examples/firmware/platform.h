/* platform.h - the two things the firmware demo needs from its platform:
 * text output and exit. semihosting.c implements them on the MPS2 board
 * (QEMU), host.c on the build machine, so that one main.c runs on both. */
#ifndef INTC_FIRMWARE_PLATFORM_H
#define INTC_FIRMWARE_PLATFORM_H

/* Writes a NUL-terminated string. */
void fw_puts(const char *s);

/* Ends the program: status 0 is success. */
void fw_exit(int status);

#endif /* INTC_FIRMWARE_PLATFORM_H */
