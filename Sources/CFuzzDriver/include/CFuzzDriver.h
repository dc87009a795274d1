#ifndef C_FUZZ_DRIVER_H
#define C_FUZZ_DRIVER_H

/// Runs libFuzzer's driver on the command line, with LLVMFuzzerTestOneInput as the target:
/// what libFuzzer's own `main` does. SwiftPM links an executable's `main` to its module's
/// entry point on Linux, so libFuzzer's cannot be used as it is.
int fahras_fuzz_run_driver(int *argc, char ***argv);

#endif
