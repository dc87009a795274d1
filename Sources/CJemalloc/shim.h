/* jemalloc: the memory allocator of the fahras command. Linked into the executable,
 * it takes the place of glibc's malloc for the whole process (Swift, libxml2, zlib):
 * an indexing run allocates and frees millions of small strings and arrays on several
 * threads, which glibc's allocator serves with more instructions and page faults. */
#ifndef FAHRAS_CJEMALLOC_SHIM_H
#define FAHRAS_CJEMALLOC_SHIM_H
#include <jemalloc/jemalloc.h>
#endif
