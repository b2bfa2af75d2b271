/*
 * The golden vectors (the tests/vectors files, made by the oracle from the vendors' own Node
 * snippets, docs/design.md "Golden vectors") through the C ABI. USERHASH_VECTORS names a
 * vector file or a directory of them (the Makefile exports it; default tests/vectors).
 *
 * Each vector's input goes in as its JSON text exactly as written in the file (key order,
 * escapes and lone surrogates kept), with its signer_options likewise, through
 * userhash_sign and userhash_call's sign, canonical and verify operations:
 *  - a vector with `error`: every one of them fails with that code (or the signer does);
 *  - else the hash is the vector's, the canonical form is the vector's (both decoded from
 *    their JSON strings), verify accepts the hash and refuses it with one digit changed,
 *    and the hash is also the HMAC-SHA256 written in bad_inputs.c over the vector's
 *    canonical form with the vector's key (key_hex, else the secret's bytes).
 * Expected values come from the vector files only, never from userhash.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

static int vector_failed;
static int text_ran, json_ran; /* vectors also signed through userhash_sign_text, _json */
#define VCHECK(cond, what)                                                   \
  do {                                                                       \
    if (cond) {                                                              \
      passed++;                                                              \
    } else {                                                                 \
      failed++;                                                              \
      vector_failed = 1;                                                     \
      fprintf(stderr, "FAIL vector %s: %s (%s)\n", id, what, #cond);         \
    }                                                                        \
  } while (0)

/* Node's update(string) signs a lone surrogate as U+FFFD: WTF-8 ED A0..BF xx becomes EF BF BD. */
static void as_node_utf8(buf_t *b) {
  for (size_t i = 0; i + 2 < b->len; i++)
    if (b->p[i] == 0xed && b->p[i + 1] >= 0xa0) b->p[i] = 0xef, b->p[i + 1] = 0xbf, b->p[i + 2] = 0xbd;
}

static void hex_bytes(const char *hex, buf_t *out) {
  for (size_t i = 0; hex[i] && hex[i + 1]; i += 2) {
    char pair[3] = {hex[i], hex[i + 1], 0};
    uint8_t byte = (uint8_t)strtoul(pair, NULL, 16);
    buf_add(out, &byte, 1);
  }
}

static bool code_is(userhash_status_t st, const char *want) { return strcmp(userhash_status_code(st), want) == 0; }

static void run_vector(const node *v, int *ran) {
  const char *id = (const char *)get(v, "id")->str.p;
  const node *preset = get(v, "preset"), *secret = get(v, "secret"), *input = get(v, "input");
  const node *options = get(v, "signer_options"), *want_error = get(v, "error");
  const node *want_canonical = get(v, "canonical"), *want_hash = get(v, "hash"), *key_hex = get(v, "key_hex");
  const uint8_t *in = (const uint8_t *)input->raw;
  size_t in_len = input->raw_len;
  userhash_signer_t *s = NULL;
  userhash_error_t err;
  userhash_bytes_t out = {NULL, 0};
  vector_failed = 0;
  (*ran)++;
  userhash_status_t st = userhash_signer_new(secret->str.p, secret->str.len, preset->str.p, preset->str.len, NULL, 0,
                                             options ? (const uint8_t *)options->raw : NULL,
                                             options ? options->raw_len : 0, &s, &err);
  if (st != USERHASH_OK) {
    VCHECK(want_error && code_is(st, (const char *)want_error->str.p), "userhash_signer_new");
    if (!want_error) fprintf(stderr, "  %s\n", err.message.ptr ? (const char *)err.message.ptr : "");
    userhash_error_free(&err);
    return;
  }
  char hex[65];
  bool match = true;
  userhash_status_t signed_st = userhash_sign(s, in, in_len, hex, NULL);
  userhash_status_t called_st = call(s, "sign", in, in_len, NULL, &out, NULL);
  buf_t called = {0};
  if (called_st == USERHASH_OK) VCHECK(json_text_bytes(out.ptr, out.len, &called), "sign: a JSON string");
  userhash_bytes_free(out);
  out = (userhash_bytes_t){NULL, 0};
  userhash_status_t canonical_st = call(s, "canonical", in, in_len, NULL, &out, NULL);
  buf_t canonical = {0};
  if (canonical_st == USERHASH_OK) VCHECK(json_text_bytes(out.ptr, out.len, &canonical), "canonical: a JSON string");
  userhash_bytes_free(out);

  if (want_error) {
    const char *code = (const char *)want_error->str.p;
    VCHECK(code_is(signed_st, code) && hex[0] == '\0', "userhash_sign: the vector's error");
    VCHECK(code_is(called_st, code), "sign: the vector's error");
    VCHECK(code_is(canonical_st, code), "canonical: the vector's error");
    VCHECK(code_is(verify(s, S("00"), in, in_len, &match, NULL), code) && !match, "verify: the vector's error");
  } else {
    const char *hash = (const char *)want_hash->str.p;
    VCHECK(signed_st == USERHASH_OK && strcmp(hex, hash) == 0, "userhash_sign: the vector's hash");
    VCHECK(called_st == USERHASH_OK && called.len == 64 && memcmp(called.p, hash, 64) == 0, "sign: the vector's hash");
    buf_t want = {0};
    buf_add(&want, want_canonical->str.p, want_canonical->str.len);
    VCHECK(canonical_st == USERHASH_OK && canonical.len == want.len && memcmp(canonical.p, want.p, want.len) == 0,
           "canonical: the vector's canonical form");
    VCHECK(verify(s, (const uint8_t *)hash, 64, in, in_len, &match, NULL) == USERHASH_OK && match,
           "verify: the vector's hash");
    char other[65];
    memcpy(other, hash, 65);
    other[63] = other[63] == '0' ? '1' : '0';
    VCHECK(verify(s, (const uint8_t *)other, 64, in, in_len, &match, NULL) == USERHASH_OK && !match,
           "verify: one digit changed");
    buf_t key = {0};
    if (key_hex) hex_bytes((const char *)key_hex->str.p, &key);
    else buf_add(&key, secret->str.p, secret->str.len);
    as_node_utf8(&want);
    char ref[65];
    hmac_hex(key.p, key.len, want.p, want.len, ref);
    VCHECK(strcmp(ref, hash) == 0, "HMAC-SHA256(key, canonical) = the vector's hash");
    free(key.p);
    free(want.p);
  }
  /* One value in the scheme's batch field: userhash_sign_json of its JSON text as written in
   * the file (and userhash_sign_text of a string's text) gives the vector's hash, or fails,
   * and then userhash_sign_field with an error_out fails with the same status. */
  const char *batch = userhash_signer_batch_field(s);
  if (batch && input->kind == J_OBJ && input->n == 1 && strcmp((const char *)input->keys[0].p, batch) == 0) {
    const node *value = input->items[0];
    for (int as_json = value->kind != J_STR; as_json < 2; as_json++) {
      const uint8_t *p = as_json ? (const uint8_t *)value->raw : value->str.p;
      size_t len = as_json ? value->raw_len : value->str.len;
      char fast[65] = "not written";
      userhash_status_t st = as_json ? userhash_sign_json(s, p, len, fast) : userhash_sign_text(s, p, len, fast);
      if (want_error) {
        userhash_status_t field_st = userhash_sign_field(s, NULL, 0, p, len, as_json, hex, &err);
        VCHECK(st != USERHASH_OK && fast[0] == '\0' && field_st == st && err.status == st,
               "userhash_sign_text/json: fails as userhash_sign_field does");
        userhash_error_free(&err);
      } else {
        VCHECK(st == USERHASH_OK && strcmp(fast, (const char *)want_hash->str.p) == 0,
               "userhash_sign_text/json: the vector's hash");
      }
      *(as_json ? &json_ran : &text_ran) += 1;
    }
  }
  if (!vector_failed && getenv("USERHASH_VERBOSE")) printf("  vector %s: ok\n", id);
  free(called.p);
  free(canonical.p);
  userhash_signer_free(s);
}

static void run_file(const char *path, int *files, int *ran) {
  buf_t text = {0};
  if (!read_file(path, "", &text)) return;
  const char *p = (const char *)text.p;
  node *doc = parse_value(&p);
  const node *vectors = get(doc, "vectors");
  CHECK(vectors != NULL && vectors->n > 0);
  for (size_t i = 0; vectors && i < vectors->n; i++) run_vector(vectors->items[i], ran);
  (*files)++;
  free_node(doc);
  free(text.p);
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

void test_vectors(void) {
  const char *path = getenv("USERHASH_VECTORS");
  if (!path) path = "tests/vectors";
  int files = 0, ran = 0, before = failed;
  DIR *dir = opendir(path);
  if (!dir) {
    run_file(path, &files, &ran);
  } else {
    char *names[256];
    size_t n = 0;
    for (struct dirent *e; (e = readdir(dir)) != NULL && n < 256;) {
      size_t len = strlen(e->d_name);
      if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0) {
        names[n] = malloc(strlen(path) + len + 2);
        sprintf(names[n++], "%s/%s", path, e->d_name);
      }
    }
    closedir(dir);
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
      run_file(names[i], &files, &ran);
      free(names[i]);
    }
  }
  CHECK(files > 0 && ran > 0);
  if (!getenv("USERHASH_VECTORS")) CHECK(text_ran > 0 && json_ran > 0); /* the repository's vectors have both */
  printf("vectors: %d in %d file(s) from %s (%d also through userhash_sign_text, %d userhash_sign_json), %s\n", ran,
         files, path, text_ran, json_ran, failed == before ? "ok" : "FAILED");
}
