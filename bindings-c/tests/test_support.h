/* Shared by the C test program's files: check counters, CHECK, the reference HMAC, the JSON tree,
 * the userhash_call helpers. */
#ifndef USERHASH_TEST_SUPPORT_H
#define USERHASH_TEST_SUPPORT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "userhash.h"

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

#define S(lit) (const uint8_t *)(lit), (sizeof(lit) - 1) /* (ptr, len) of a literal */

/* bad_inputs.c: the shared bad-input matrix (USERHASH_BAD_INPUTS = its cases.json). */
void test_bad_inputs(void);
/* vectors.c: the golden vectors (USERHASH_VECTORS = a file or a directory of them). */
void test_vectors(void);

/* bad_inputs.c: RFC 2104 HMAC-SHA256 over FIPS 180-4 SHA-256, written here (checked against
 * RFC 4231's test cases by test_hmac_reference), as 64 lowercase hex digits + NUL. The
 * independent reference for every hash the tests do not take from a literal. */
void hmac_hex(const uint8_t *key, size_t key_len, const uint8_t *msg, size_t msg_len, char out[65]);
void test_hmac_reference(void);

/* bad_inputs.c: a growable byte buffer (always NUL-terminated past len). */
typedef struct {
  uint8_t *p;
  size_t len, cap;
} buf_t;
void buf_add(buf_t *b, const void *data, size_t n);
/* bad_inputs.c: the whole file at `path` appended to `out`; false (and a FAIL line) when it
 * cannot be opened. */
bool read_file(const char *path, const char *hint, buf_t *out);

/* bad_inputs.c: a small JSON tree. `raw`/`raw_len`: the value's source text. Strings decode
 * to UTF-8 (a lone surrogate escape to its 3-byte WTF-8 form). */
enum kind { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };
typedef struct node {
  enum kind kind;
  bool truth;
  const char *raw; /* source text of the value */
  size_t raw_len;
  buf_t str;           /* decoded string bytes */
  struct node **items; /* array items, or object values */
  buf_t *keys;         /* object keys (decoded) */
  size_t n;
} node;
node *parse_value(const char **p);
void free_node(node *v);
node *get(const node *obj, const char *key);

/* bad_inputs.c: userhash_call with a C-string op and args (NULL: none). */
userhash_status_t call(const userhash_signer_t *s, const char *op, const uint8_t *in, size_t in_len, const char *args,
                       userhash_bytes_t *out, userhash_error_t *err);
/* bad_inputs.c: the verify operation for `hash` (any bytes, sent as a JSON string); *match is
 * whether it returned true (it must return true or false when it succeeds). */
userhash_status_t verify(const userhash_signer_t *s, const uint8_t *hash, size_t hash_len, const uint8_t *in,
                         size_t in_len, bool *match, userhash_error_t *err);
/* bad_inputs.c: appends the bytes of the JSON string `text` (a call result) to `out`; false
 * when `text` is not exactly one JSON string. */
bool json_text_bytes(const uint8_t *text, size_t len, buf_t *out);

#endif
