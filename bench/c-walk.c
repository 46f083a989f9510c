// The floor of a v1 read in process, for bench/reader.mjs: open, fstat, mmap, walk every
// field (spec/format-v1.md#decoding-algorithm: sizes checked, labels checked as UTF-8, type
// signatures parsed, the buffer picked by write_buffer, the value loaded), munmap, close.
// Prints the median seconds of ROUNDS rounds over the files given.
//
//   cc -O2 -o /tmp/mmstats-c-walk bench/c-walk.c && /tmp/mmstats-c-walk ROUNDS FILE...
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static uint16_t u16(const uint8_t *b) { return (uint16_t)(b[0] | (b[1] << 8)); }

/* 1 when b[0..n) is valid UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF). */
static int valid_utf8(const uint8_t *b, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t c = b[i];
    if (c < 0x80) { i++; continue; }
    size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
    if (len == 0 || c > 0xf4 || i + len > n) return 0;
    for (size_t k = 1; k < len; k++) if ((b[i + k] & 0xc0) != 0x80) return 0;
    if (len == 3 && ((c == 0xe0 && b[i + 1] < 0xa0) || (c == 0xed && b[i + 1] >= 0xa0))) return 0;
    if (len == 4 && ((c == 0xf0 && b[i + 1] < 0x90) || (c == 0xf4 && b[i + 1] >= 0x90))) return 0;
    i += len;
  }
  return 1;
}

/* The value size of a signature, or -1 when it is not one. */
static long value_size(const uint8_t *sig, size_t n, int *is_string) {
  *is_string = 0;
  if (n == 1) {
    switch (sig[0]) {
      case 'b': case 'B': case '?': return 1;
      case 'h': case 'H': return 2;
      case 'i': case 'I': case 'f': return 4;
      case 'l': case 'L': case 'q': case 'Q': case 'd': return 8;
      case 's': *is_string = 1; return 1;
    }
    return -1;
  }
  if (n < 2 || sig[n - 1] != 's') return -1;
  long count = 0;
  for (size_t i = 0; i + 1 < n; i++) {
    if (sig[i] < '0' || sig[i] > '9') return -1;
    count = count * 10 + (sig[i] - '0');
    if (count > (1L << 40)) return -1;
  }
  *is_string = 1;
  return count;
}

/* Walks one file; adds what it read to *sum. Returns the number of fields, or -1 for a bad file. */
static long walk(const uint8_t *b, size_t n, double *sum) {
  if (n == 0 || b[0] != 1) return -1;
  size_t p = 1;
  long fields = 0;
  for (;;) {
    if (n - p == 0) break;
    if (n - p == 1) { if (b[p] == 0) break; return -1; }
    if (b[p] == 0 && b[p + 1] == 0) break;
    size_t L = u16(b + p);
    if (p + 2 + L > n || !valid_utf8(b + p + 2, L)) return -1;
    size_t t = p + 2 + L;
    if (t + 2 > n) return -1;
    size_t T = u16(b + t);
    if (t + 2 + T > n) return -1;
    int is_string;
    long size = value_size(b + t + 2, T, &is_string);
    if (size < 0) return -1;
    size_t w = t + 2 + T;
    if (w >= n || (b[w] != 0 && b[w] != 1 && b[w] != 0xff)) return -1;
    size_t v = w + 1;
    size_t k = b[w] == 0xff ? (size_t)size : 2 * (size_t)size;
    if (v + k > n) return -1;
    const uint8_t *value = b + v + (b[w] == 0 ? (size_t)size : 0);
    if (is_string) {
      size_t len = 0;
      while (len < (size_t)size && value[len] != 0) len++;
      *sum += (double)len;
    } else {
      uint64_t x = 0;
      memcpy(&x, value, (size_t)size);
      *sum += (double)x;
    }
    fields++;
    p = v + k;
  }
  return fields;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s ROUNDS FILE...\n", argv[0]);
    return 2;
  }
  int rounds = atoi(argv[1]);
  if (rounds < 1) rounds = 1;
  double *times = calloc((size_t)rounds, sizeof(double));
  double sum = 0;
  for (int r = 0; r < rounds; r++) {
    double start = now();
    for (int i = 2; i < argc; i++) {
      int fd = open(argv[i], O_RDONLY | O_NOFOLLOW);
      if (fd < 0) { perror(argv[i]); return 1; }
      struct stat st;
      if (fstat(fd, &st) != 0 || st.st_size == 0) { fprintf(stderr, "%s: empty or unreadable\n", argv[i]); return 1; }
      void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
      if (m == MAP_FAILED) { perror(argv[i]); return 1; }
      if (walk(m, (size_t)st.st_size, &sum) < 0) { fprintf(stderr, "%s: not a valid v1 file\n", argv[i]); return 1; }
      munmap(m, (size_t)st.st_size);
      close(fd);
    }
    times[r] = now() - start;
  }
  qsort(times, (size_t)rounds, sizeof(double), by_value);
  // The sum keeps the walk from being optimised away; it goes to stderr.
  fprintf(stderr, "checksum %g\n", sum);
  printf("%.6f\n", times[rounds / 2]);
  return 0;
}
