/* Shared by the C test program's files: check counters, CHECK, the reference HMAC. */
#ifndef USERHASH_TEST_SUPPORT_H
#define USERHASH_TEST_SUPPORT_H
#include <stddef.h>
#include <stdint.h>
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

/* bad_inputs.c: RFC 2104 HMAC-SHA256 over FIPS 180-4 SHA-256, written here (checked against
 * RFC 4231's test cases by test_hmac_reference), as 64 lowercase hex digits + NUL. The
 * independent reference for every hash the tests do not take from a literal. */
void hmac_hex(const uint8_t *key, size_t key_len, const uint8_t *msg, size_t msg_len, char out[65]);
void test_hmac_reference(void);

#endif
