// zlib: deflate for the passage store, and its CRC-32 for index checksums.
#include <zlib.h>
