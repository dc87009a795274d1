#include "CPackedInts.h"

#if defined(__x86_64__)
#include <immintrin.h>

// For each width, the byte shuffle that puts each of eight values' bytes in a 32-bit lane
// (a group of eight values starts on a byte and spans `bits` bytes, read as 16), and each
// value's shift within its lane.
static uint8_t shuffles[17][32];
static uint32_t shifts[17][8];
static int supported;

__attribute__((constructor))
static void set_up(void) {
    for (int bits = 1; bits <= 16; bits++) {
        for (int k = 0; k < 8; k++) {
            int bit = k * bits;
            for (int b = 0; b < 4; b++) {
                int byte = (bit >> 3) + b;
                shuffles[bits][k * 4 + b] = byte < 16 ? (uint8_t)byte : 0x80;
            }
            shifts[bits][k] = (uint32_t)(bit & 7);
        }
    }
    supported = __builtin_cpu_supports("avx2") ? 1 : 0;
}

// The eight values of `bits` bits of the group at `group`, one a 32-bit lane.
__attribute__((target("avx2")))
static inline __m256i group_avx2(const uint8_t *group, __m256i control, __m256i shift, __m256i mask) {
    const __m256i v = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)group));
    return _mm256_and_si256(_mm256_srlv_epi32(_mm256_shuffle_epi8(v, control), shift), mask);
}

__attribute__((target("avx2")))
static intptr_t sums_avx2(const uint8_t *in, intptr_t available, intptr_t bits, intptr_t count,
                         intptr_t room, intptr_t after, intptr_t *out, intptr_t *done) {
    const __m256i control = _mm256_loadu_si256((const __m256i *)shuffles[bits]);
    const __m256i shift = _mm256_loadu_si256((const __m256i *)shifts[bits]);
    const __m256i mask = _mm256_set1_epi32((int)((1u << bits) - 1));
    const __m256i one = _mm256_set1_epi32(1);
    const __m256i third = _mm256_set1_epi32(3);
    intptr_t sum = after;
    intptr_t i = 0;
    intptr_t offset = 0;
    // A last group of fewer than eight is unpacked whole where `out` has room for eight.
    while (i < count && i + 8 <= room && offset + 16 <= available) {
        __m256i v = _mm256_add_epi32(group_avx2(in + offset, control, shift, mask), one);
        // Prefix sums within each half, then the low half's total added to the high half.
        v = _mm256_add_epi32(v, _mm256_slli_si256(v, 4));
        v = _mm256_add_epi32(v, _mm256_slli_si256(v, 8));
        v = _mm256_add_epi32(v, _mm256_blend_epi32(_mm256_setzero_si256(), _mm256_permutevar8x32_epi32(v, third), 0xF0));
        const __m256i base = _mm256_set1_epi64x(sum);
        const __m256i low = _mm256_add_epi64(_mm256_cvtepu32_epi64(_mm256_castsi256_si128(v)), base);
        const __m256i high = _mm256_add_epi64(_mm256_cvtepu32_epi64(_mm256_extracti128_si256(v, 1)), base);
        _mm256_storeu_si256((__m256i *)(out + i), low);
        _mm256_storeu_si256((__m256i *)(out + i + 4), high);
        sum = _mm256_extract_epi64(high, 3);
        offset += bits;
        i += 8;
    }
    if (i > count) {
        sum = out[count - 1];
        i = count;
    }
    *done = i;
    return sum;
}

__attribute__((target("avx2")))
static intptr_t values_avx2(const uint8_t *in, intptr_t available, intptr_t bits, intptr_t first, intptr_t count,
                            intptr_t room, intptr_t adding, intptr_t *out) {
    const __m256i control = _mm256_loadu_si256((const __m256i *)shuffles[bits]);
    const __m256i shift = _mm256_loadu_si256((const __m256i *)shifts[bits]);
    const __m256i mask = _mm256_set1_epi32((int)((1u << bits) - 1));
    const __m256i base = _mm256_set1_epi64x(adding);
    intptr_t i = 0;
    intptr_t offset = first / 8 * bits;
    while (i < count && i + 8 <= room && offset + 16 <= available) {
        const __m256i v = group_avx2(in + offset, control, shift, mask);
        _mm256_storeu_si256((__m256i *)(out + i), _mm256_add_epi64(_mm256_cvtepu32_epi64(_mm256_castsi256_si128(v)), base));
        _mm256_storeu_si256((__m256i *)(out + i + 4), _mm256_add_epi64(_mm256_cvtepu32_epi64(_mm256_extracti128_si256(v, 1)), base));
        offset += bits;
        i += 8;
    }
    return i < count ? i : count;
}
#endif

// Value `index` of those of `bits` bits (at most 16) packed from `in`, read from the (at
// most three) bytes it spans within `available`.
static inline intptr_t value_at(const uint8_t *in, intptr_t available, intptr_t bits, intptr_t index) {
    const intptr_t bit = index * bits;
    const intptr_t byte = bit >> 3;
    uint32_t word = 0;
    for (intptr_t k = 0; k < 3 && byte + k < available; k++) word |= (uint32_t)in[byte + k] << (8 * k);
    return (intptr_t)((word >> (bit & 7)) & ((1u << bits) - 1));
}

bool fahras_packed_sums(const uint8_t *in, intptr_t available, intptr_t bits, intptr_t count,
                        intptr_t room, intptr_t after, intptr_t *out, intptr_t *last) {
#if defined(__x86_64__)
    if (!supported || bits < 1 || bits > 16 || count < 0 || room < count || (count * bits + 7) / 8 > available) return false;
    intptr_t done = 0;
    intptr_t sum = sums_avx2(in, available, bits, count, room, after, out, &done);
    for (intptr_t i = done; i < count; i++) {
        sum += 1 + value_at(in, available, bits, i);
        out[i] = sum;
    }
    *last = sum;
    return true;
#else
    (void)in; (void)available; (void)bits; (void)count; (void)room; (void)after; (void)out; (void)last;
    return false;
#endif
}

bool fahras_packed_values(const uint8_t *in, intptr_t available, intptr_t bits, intptr_t first, intptr_t count,
                          intptr_t room, intptr_t adding, intptr_t *out) {
#if defined(__x86_64__)
    // From a group's first value only (a block's frequencies are taken from its first).
    if (!supported || bits < 1 || bits > 16 || first < 0 || first % 8 != 0 || count < 0 || room < count
        || ((first + count) * bits + 7) / 8 > available) return false;
    const intptr_t done = values_avx2(in, available, bits, first, count, room, adding, out);
    for (intptr_t i = done; i < count; i++) out[i] = adding + value_at(in, available, bits, first + i);
    return true;
#else
    (void)in; (void)available; (void)bits; (void)first; (void)count; (void)room; (void)adding; (void)out;
    return false;
#endif
}

bool fahras_packed_vectors(void) {
#if defined(__x86_64__)
    return supported;
#else
    return false;
#endif
}
