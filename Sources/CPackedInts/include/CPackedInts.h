#ifndef C_PACKED_INTS_H
#define C_PACKED_INTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

/// The running sums of `count` values of `bits` bits packed from `in` (the first in the
/// lowest bits of the first byte), each plus one, from `after`, into `out`; the last sum
/// into `*last`. `available` bytes from `in` may be read, and `room` values written to
/// `out` (at least `count`; up to the next multiple of eight lets the last few be written
/// with the others). Returns false, having written nothing, where the processor lacks the
/// vector instructions or `bits` is not 1...16: the caller then sums the values itself.
bool fahras_packed_sums(const uint8_t *in, intptr_t available, intptr_t bits, intptr_t count,
                        intptr_t room, intptr_t after, intptr_t *out, intptr_t *last);

/// Values `first..<(first + count)` of those of `bits` bits packed from `in`, each plus
/// `adding`, into `out`, on the terms of ``fahras_packed_sums``; `first` must be a multiple
/// of eight (the first of a group).
bool fahras_packed_values(const uint8_t *in, intptr_t available, intptr_t bits, intptr_t first, intptr_t count,
                          intptr_t room, intptr_t adding, intptr_t *out);

/// Whether this processor has the vector instructions ``fahras_packed_sums`` uses.
bool fahras_packed_vectors(void);

#endif
