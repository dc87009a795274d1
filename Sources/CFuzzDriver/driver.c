#include <stddef.h>
#include <stdint.h>
#include "CFuzzDriver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

int fahras_fuzz_run_driver(int *argc, char ***argv) {
    return LLVMFuzzerRunDriver(argc, argv, LLVMFuzzerTestOneInput);
}
