/* Shared by the C test program's files: check counters and CHECK. */
#ifndef USERHASH_TEST_SUPPORT_H
#define USERHASH_TEST_SUPPORT_H
#include <stdio.h>

extern int passed, failed;

#define CHECK(cond)                                                   \
  do {                                                                \
    if (cond) {                                                       \
      passed++;                                                       \
    } else {                                                          \
      failed++;                                                       \
      fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                 \
  } while (0)

/* bad_inputs.c: the shared bad-input matrix (USERHASH_BAD_INPUTS = its cases.json). */
void test_bad_inputs(void);

#endif
