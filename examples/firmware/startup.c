/* startup.c - Cortex-M reset: the vector table, then .data copied from
 * flash and .bss cleared (the linker script mps2.ld defines the symbols),
 * then main. Faults report through semihosting and stop QEMU. */
#include "platform.h"

#include <stdint.h>

extern uint32_t _sidata[], _sdata[], _edata[], _sbss[], _ebss[], _estack[];
int main(void);

void Reset_Handler(void);
void Fault_Handler(void);

void Reset_Handler(void) {
  uint32_t *src = _sidata, *dst = _sdata;
  while (dst < _edata)
    *dst++ = *src++;
  for (dst = _sbss; dst < _ebss;)
    *dst++ = 0;
  fw_exit(main());
}

void Fault_Handler(void) {
  fw_puts("firmware: fault\n");
  fw_exit(1);
}

typedef void (*vector)(void);

/* Initial stack pointer, then reset, NMI, HardFault, MemManage, BusFault,
 * UsageFault. The rest (interrupts) stay unused. */
__attribute__((section(".isr_vector"), used))
const vector fw_vectors[16] = {(vector)(uintptr_t)_estack,
                               Reset_Handler,
                               Fault_Handler,
                               Fault_Handler,
                               Fault_Handler,
                               Fault_Handler,
                               Fault_Handler};
