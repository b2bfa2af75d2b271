/*
 * C tests for libuserhash (built and run under valgrind by `make test-c`).
 *
 * Every expected hash below is a literal computed with Node's crypto module,
 * i.e. the vendors' own snippets (never with userhash itself), e.g.
 *   node -e "console.log(require('crypto').createHmac('sha256','s3cr3t')
 *            .update('Alice@Example.COM'.toLowerCase()).digest('hex'))"
 * The command used for each value is given next to it.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"
#include "userhash.h"

int passed = 0, failed = 0;

#define S(lit) (const uint8_t *)(lit), (sizeof(lit) - 1) /* (ptr, len) of a literal */
#define SECRET S("s3cr3t")

/* node: createHmac('sha256','s3cr3t').update('Alice@Example.COM'.toLowerCase()) */
static const char *ENSORAS_ALICE = "ab95b46c56bf1e130a97a04151c226e8916a5b09561edf60d4f91c4a1860f995";
/* node: createHmac('sha256','s3cr3t').update('Alice@Example.COM') */
static const char *LAYERUP_ALICE = "4d6c781e70af26e6da96cea2d7ae4928dbe6d9d7ab87ace6d0aabf32179367e7";
/* node: createHmac('sha256','s3cr3t').update('a\u0000b@x.com') */
static const char *LAYERUP_NUL = "0b3d76603a2917432c095742709b8970107aae943d1f053f8500cb5449c55922";
/* node: createHmac('sha256','s3cr3t').update(String(42)) */
static const char *INVIARO_42 = "7b25340b646377b8707a55deb0f09149bfd93b074f7fadbf7316f978f236fb53";
/* node: createHmac('sha256','s3cr3t').update('usr_42') */
static const char *INVIARO_USR42 = "c451a3012303337343394e83c045807aa4a46c78c1b348526584253a91accbb0";
/* node: createHmac('sha256','s3cr3t').update(' Alice@Example.COM '.trim().toLowerCase()) */
static const char *SUPPORTWIRE_ALICE = "ab95b46c56bf1e130a97a04151c226e8916a5b09561edf60d4f91c4a1860f995";
/* node: createHmac('sha256','s3cr3t').update(JSON.stringify({name:'Alice',email:'Alice@Example.COM',data:{plan:'pro'}})) */
static const char *FLUENTBOT_ALICE = "7ad2c3cf57e91d292e4103e52a15f91f5fe63ef96ebd75c41782c0106ae57120";
/* node: JSON.stringify({email:'x',data:{b:1,'10':2,'2':'</script>\u2028'}}) signed with 's3cr3t' */
static const char *FLUENTBOT_ORDER = "173dba41a371c8bf744890b9f3908987ac32d5f2221a49b75a118fd7e4120f0f";
/* node: createHmac('sha256','old').update('a@b.c') */
static const char *LAYERUP_OLD_ABC = "f574acb1ab8be03a4ed9b8625de39bd3f2220d2eb8a668c55a10cc206502736f";
/* node: createHmac('sha256','k'.repeat(100)).update('alice@example.com') */
static const char *ENSORAS_LONG_KEY = "da52fd927659ee918a599d1ba4a61818852770cf242d30e8ee75056dfeade7b9";
/* node: createHmac('sha256',Buffer.from([0xff,0x00,0xfe])).update('a@b.c') */
static const char *LAYERUP_BINARY_KEY = "60f3f1b2762f014d7955348b404384e16d4e25d3b65e9213770fb389455ad5e0";

static userhash_signer_t *make(const char *preset) {
  userhash_signer_t *s = NULL;
  userhash_status_t st = userhash_signer_new(SECRET, (const uint8_t *)preset, strlen(preset), NULL, 0, &s, NULL);
  if (st != USERHASH_OK || s == NULL) {
    fprintf(stderr, "cannot create signer %s: %d\n", preset, st);
    exit(2);
  }
  return s;
}

/* Signs JSON text; returns the status, hash in out. */
static userhash_status_t sign_json(const userhash_signer_t *s, const char *json, char out[65]) {
  return userhash_sign(s, (const uint8_t *)json, strlen(json), out, NULL);
}

/* The status of signing `json`, checking error_out carries a non-empty message. */
static userhash_status_t sign_error(const userhash_signer_t *s, const void *json, size_t len) {
  char hex[65] = "x";
  userhash_bytes_t err = {(uint8_t *)1, 99};
  userhash_status_t st = userhash_sign(s, json, len, hex, &err);
  if (st == USERHASH_OK) {
    CHECK(err.ptr == NULL && err.len == 0);
  } else {
    CHECK(err.ptr != NULL && err.len > 0 && err.ptr[err.len] == 0);
    CHECK(hex[0] == '\0');
  }
  userhash_bytes_free(err);
  return st;
}

static void test_status_codes(void) {
  CHECK(strcmp(userhash_status_code(USERHASH_OK), "ok") == 0);
  CHECK(strcmp(userhash_status_code(USERHASH_EMPTY_SECRET), "empty_secret") == 0);
  CHECK(strcmp(userhash_status_code(USERHASH_EMPTY_IDENTITY), "empty_identity") == 0);
  CHECK(strcmp(userhash_status_code(USERHASH_INVALID_INPUT), "invalid_input") == 0);
  CHECK(strcmp(userhash_status_code(USERHASH_INVALID_JSON), "invalid_json") == 0);
  CHECK(strcmp(userhash_status_code(USERHASH_INVALID_UTF8), "invalid_utf8") == 0);
  CHECK(strcmp(userhash_status_code(USERHASH_TOO_DEEP), "too_deep") == 0);
  CHECK(strcmp(userhash_status_code(USERHASH_UNKNOWN_PRESET), "unknown_preset") == 0);
  CHECK(strcmp(userhash_status_code(USERHASH_NULL_ARGUMENT), "null_argument") == 0);
  CHECK(strcmp(userhash_status_code(USERHASH_PANIC), "panic") == 0);
  CHECK(strcmp(userhash_status_code((userhash_status_t)42), "unknown") == 0);
  CHECK(USERHASH_HEX_BUFFER_LEN == 65);
}

static void test_presets(void) {
  char hex[65];
  userhash_signer_t *s = make("ensoras");
  CHECK(sign_json(s, "{\"email\":\"Alice@Example.COM\"}", hex) == USERHASH_OK);
  CHECK(strcmp(hex, ENSORAS_ALICE) == 0 && hex[64] == '\0');
  userhash_signer_free(s);

  s = make("layerup");
  CHECK(sign_json(s, "{\"email\":\"Alice@Example.COM\"}", hex) == USERHASH_OK);
  CHECK(strcmp(hex, LAYERUP_ALICE) == 0);
  userhash_signer_free(s);

  s = make("inviaro");
  CHECK(sign_json(s, "{\"user_id\":42}", hex) == USERHASH_OK);
  CHECK(strcmp(hex, INVIARO_42) == 0);
  CHECK(sign_json(s, "{\"user_id\":\"42\"}", hex) == USERHASH_OK);
  CHECK(strcmp(hex, INVIARO_42) == 0);
  CHECK(sign_json(s, "{\"userId\":\"usr_42\"}", hex) == USERHASH_OK);
  CHECK(strcmp(hex, INVIARO_USR42) == 0);
  userhash_signer_free(s);

  s = make("supportwire");
  CHECK(sign_json(s, "{\"email\":\" Alice@Example.COM \"}", hex) == USERHASH_OK);
  CHECK(strcmp(hex, SUPPORTWIRE_ALICE) == 0);
  CHECK(sign_json(s, "{\"external_id\":null,\"email\":\" Alice@Example.COM \"}", hex) == USERHASH_OK);
  CHECK(strcmp(hex, SUPPORTWIRE_ALICE) == 0);
  userhash_signer_free(s);

  s = make("fluentbot");
  CHECK(sign_json(s, "{\"visitor\":{\"name\":\"Alice\",\"email\":\"Alice@Example.COM\",\"data\":{\"plan\":\"pro\"}}}", hex) ==
        USERHASH_OK);
  CHECK(strcmp(hex, FLUENTBOT_ALICE) == 0);
  /* Key order: array-index keys first, numerically; JSON.parse-style input with whitespace. */
  CHECK(sign_json(s, "{ \"visitor\" : {\"data\":{\"b\":1,\"10\":2.0,\"2\":\"</script>\\u2028\"},\"email\":\"x\"} }", hex) ==
        USERHASH_OK);
  CHECK(strcmp(hex, FLUENTBOT_ORDER) == 0);
  userhash_signer_free(s);
}

static void test_sign_field(void) {
  char hex[65];
  userhash_signer_t *s = make("ensoras");
  userhash_bytes_t err = {NULL, 0};
  CHECK(userhash_sign_field(s, USERHASH_FIELD_EMAIL, S("Alice@Example.COM"), hex, &err) == USERHASH_OK);
  CHECK(strcmp(hex, ENSORAS_ALICE) == 0 && err.ptr == NULL && err.len == 0);
  /* The preset signs email, not user_id. */
  CHECK(userhash_sign_field(s, USERHASH_FIELD_USER_ID, S("42"), hex, &err) == USERHASH_INVALID_INPUT);
  CHECK(err.ptr != NULL && strstr((const char *)err.ptr, "user_id") != NULL);
  userhash_bytes_free(err);
  CHECK(userhash_sign_field(s, USERHASH_FIELD_EMAIL, S(""), hex, NULL) == USERHASH_EMPTY_IDENTITY);
  CHECK(hex[0] == '\0');
  CHECK(userhash_sign_field(s, USERHASH_FIELD_EMAIL, S("\xff\xfe"), hex, NULL) == USERHASH_INVALID_UTF8);
  CHECK(userhash_sign_field(s, (userhash_field_t)7, S("a@b.c"), hex, NULL) == USERHASH_INVALID_INPUT);
  CHECK(userhash_sign_field(s, USERHASH_FIELD_EMAIL, NULL, 0, hex, NULL) == USERHASH_EMPTY_IDENTITY);
  userhash_signer_free(s);

  s = make("inviaro");
  CHECK(userhash_sign_field(s, USERHASH_FIELD_USER_ID, S("usr_42"), hex, NULL) == USERHASH_OK);
  CHECK(strcmp(hex, INVIARO_USR42) == 0);
  userhash_signer_free(s);

  s = make("supportwire");
  CHECK(userhash_sign_field(s, USERHASH_FIELD_EXTERNAL_ID, S(" ALICE@example.com\n"), hex, NULL) == USERHASH_OK);
  CHECK(strcmp(hex, SUPPORTWIRE_ALICE) == 0);
  CHECK(userhash_sign_field(s, USERHASH_FIELD_EXTERNAL_ID, S(" \t "), hex, NULL) == USERHASH_EMPTY_IDENTITY);
  userhash_signer_free(s);
}

static void test_nul_is_data(void) {
  char hex[65];
  userhash_signer_t *s = make("layerup");
  /* A NUL inside the value is signed, not a terminator. */
  CHECK(userhash_sign_field(s, USERHASH_FIELD_EMAIL, S("a\0b@x.com"), hex, NULL) == USERHASH_OK);
  CHECK(strcmp(hex, LAYERUP_NUL) == 0);
  /* The same through JSON text ("\u0000" escape). */
  CHECK(sign_json(s, "{\"email\":\"a\\u0000b@x.com\"}", hex) == USERHASH_OK);
  CHECK(strcmp(hex, LAYERUP_NUL) == 0);
  /* A raw NUL byte in JSON text is a control character: not valid JSON. */
  static const char raw[] = "{\"email\":\"a\0b\"}";
  CHECK(sign_error(s, raw, sizeof(raw) - 1) == USERHASH_INVALID_JSON);
  /* A NUL after the JSON text is trailing garbage, not a terminator. */
  static const char trailing[] = "{\"email\":\"a@b.c\"}\0";
  CHECK(sign_error(s, trailing, sizeof(trailing) - 1) == USERHASH_INVALID_JSON);

  /* The canonical form keeps the NUL and reports its length. */
  userhash_bytes_t out = {NULL, 0};
  CHECK(userhash_canonical(s, S("{\"email\":\"a\\u0000b@x.com\"}"), &out, NULL) == USERHASH_OK);
  CHECK(out.len == 9 && memcmp(out.ptr, "a\0b@x.com", 9) == 0 && out.ptr[9] == 0);
  userhash_bytes_free(out);
  userhash_signer_free(s);

  /* A secret with a NUL byte, and a secret that is not UTF-8, are raw bytes. */
  static const uint8_t bin[] = {0xff, 0x00, 0xfe};
  CHECK(userhash_signer_new(bin, sizeof bin, S("layerup"), NULL, 0, &s, NULL) == USERHASH_OK);
  CHECK(userhash_sign_field(s, USERHASH_FIELD_EMAIL, S("a@b.c"), hex, NULL) == USERHASH_OK);
  CHECK(strcmp(hex, LAYERUP_BINARY_KEY) == 0);
  userhash_signer_free(s);
}

static void test_long_key(void) {
  char key[100], hex[65];
  memset(key, 'k', sizeof key);
  userhash_signer_t *s = NULL;
  CHECK(userhash_signer_new((const uint8_t *)key, sizeof key, S("ensoras"), NULL, 0, &s, NULL) == USERHASH_OK);
  CHECK(userhash_sign_field(s, USERHASH_FIELD_EMAIL, S("Alice@Example.com"), hex, NULL) == USERHASH_OK);
  CHECK(strcmp(hex, ENSORAS_LONG_KEY) == 0);
  userhash_signer_free(s);
}

static void test_signer_new_errors(void) {
  userhash_signer_t *s = (userhash_signer_t *)&passed; /* must be reset to NULL */
  userhash_bytes_t err = {NULL, 0};
  CHECK(userhash_signer_new(S(""), S("ensoras"), NULL, 0, &s, &err) == USERHASH_EMPTY_SECRET);
  CHECK(s == NULL && err.ptr != NULL);
  userhash_bytes_free(err);
  CHECK(userhash_signer_new(NULL, 0, S("ensoras"), NULL, 0, &s, NULL) == USERHASH_EMPTY_SECRET);
  CHECK(userhash_signer_new(SECRET, S("nope"), NULL, 0, &s, &err) == USERHASH_UNKNOWN_PRESET);
  CHECK(s == NULL && err.len > 0 && strstr((const char *)err.ptr, "nope") != NULL);
  userhash_bytes_free(err);
  CHECK(userhash_signer_new(SECRET, S("ens\xffras"), NULL, 0, &s, NULL) == USERHASH_INVALID_UTF8);
  CHECK(userhash_signer_new(SECRET, S("ensoras\0"), NULL, 0, &s, NULL) == USERHASH_UNKNOWN_PRESET);
  /* A scheme spec instead of a preset name. */
  CHECK(userhash_signer_new(SECRET, S("email:trim_lowercase"), NULL, 0, &s, NULL) == USERHASH_OK);
  char hex[65];
  CHECK(userhash_sign_field(s, USERHASH_FIELD_EMAIL, S(" Alice@Example.COM "), hex, NULL) == USERHASH_OK);
  CHECK(strcmp(hex, SUPPORTWIRE_ALICE) == 0);
  userhash_signer_free(s);
  /* The secret never appears in a message. */
  CHECK(userhash_signer_new(SECRET, S("bogus"), NULL, 0, &s, &err) == USERHASH_UNKNOWN_PRESET);
  CHECK(err.ptr != NULL && strstr((const char *)err.ptr, "s3cr3t") == NULL);
  userhash_bytes_free(err);
}

static void test_previous_secrets(void) {
  userhash_slice_t prev[2] = {{(const uint8_t *)"older", 5}, {(const uint8_t *)"old", 3}};
  userhash_signer_t *s = NULL;
  CHECK(userhash_signer_new(S("new"), S("layerup"), prev, 2, &s, NULL) == USERHASH_OK);
  bool match = false;
  CHECK(userhash_verify(s, (const uint8_t *)LAYERUP_OLD_ABC, 64, S("{\"email\":\"a@b.c\"}"), &match, NULL) == USERHASH_OK);
  CHECK(match);
  /* Signing uses the current secret, so it differs from the old hash. */
  char hex[65];
  CHECK(userhash_sign_field(s, USERHASH_FIELD_EMAIL, S("a@b.c"), hex, NULL) == USERHASH_OK);
  CHECK(strcmp(hex, LAYERUP_OLD_ABC) != 0);
  match = false;
  CHECK(userhash_verify(s, (const uint8_t *)hex, 64, S("{\"email\":\"a@b.c\"}"), &match, NULL) == USERHASH_OK);
  CHECK(match);
  userhash_signer_free(s);

  /* Without the previous secret, the old hash no longer verifies. */
  CHECK(userhash_signer_new(S("new"), S("layerup"), NULL, 0, &s, NULL) == USERHASH_OK);
  CHECK(userhash_verify(s, (const uint8_t *)LAYERUP_OLD_ABC, 64, S("{\"email\":\"a@b.c\"}"), &match, NULL) == USERHASH_OK);
  CHECK(!match);
  userhash_signer_free(s);

  /* An empty previous secret, a NULL previous array with a length, a NULL entry with a length. */
  userhash_bytes_t err = {NULL, 0};
  userhash_slice_t bad[1] = {{(const uint8_t *)"", 0}};
  CHECK(userhash_signer_new(S("new"), S("layerup"), bad, 1, &s, &err) == USERHASH_EMPTY_SECRET);
  CHECK(s == NULL && strstr((const char *)err.ptr, "previous") != NULL);
  userhash_bytes_free(err);
  CHECK(userhash_signer_new(S("new"), S("layerup"), NULL, 1, &s, NULL) == USERHASH_NULL_ARGUMENT);
  userhash_slice_t null_entry[1] = {{NULL, 3}};
  CHECK(userhash_signer_new(S("new"), S("layerup"), null_entry, 1, &s, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(s == NULL);
}

static void test_verify(void) {
  userhash_signer_t *s = make("ensoras");
  bool match = false;
  userhash_bytes_t err = {NULL, 0};
  CHECK(userhash_verify(s, (const uint8_t *)ENSORAS_ALICE, 64, S("{\"email\":\"ALICE@example.com\"}"), &match, &err) ==
        USERHASH_OK);
  CHECK(match && err.ptr == NULL);
  /* One character changed, wrong length, upper case, not UTF-8: false, never an error. */
  char bad[65];
  memcpy(bad, ENSORAS_ALICE, 65);
  bad[0] = bad[0] == 'a' ? 'b' : 'a';
  CHECK(userhash_verify(s, (const uint8_t *)bad, 64, S("{\"email\":\"alice@example.com\"}"), &match, NULL) == USERHASH_OK);
  CHECK(!match);
  match = true;
  CHECK(userhash_verify(s, (const uint8_t *)ENSORAS_ALICE, 63, S("{\"email\":\"alice@example.com\"}"), &match, NULL) ==
        USERHASH_OK);
  CHECK(!match);
  memcpy(bad, ENSORAS_ALICE, 65);
  for (int i = 0; i < 64; i++)
    if (bad[i] >= 'a' && bad[i] <= 'f') bad[i] = (char)(bad[i] - 'a' + 'A');
  CHECK(userhash_verify(s, (const uint8_t *)bad, 64, S("{\"email\":\"alice@example.com\"}"), &match, NULL) == USERHASH_OK);
  CHECK(!match);
  CHECK(userhash_verify(s, S("\xff\xfe"), S("{\"email\":\"alice@example.com\"}"), &match, NULL) == USERHASH_OK);
  CHECK(!match);
  CHECK(userhash_verify(s, NULL, 0, S("{\"email\":\"alice@example.com\"}"), &match, NULL) == USERHASH_OK);
  CHECK(!match);
  /* Input errors are errors, with match false. */
  match = true;
  CHECK(userhash_verify(s, (const uint8_t *)ENSORAS_ALICE, 64, S("{\"email\":\"\"}"), &match, &err) ==
        USERHASH_EMPTY_IDENTITY);
  CHECK(!match && err.ptr != NULL);
  userhash_bytes_free(err);
  CHECK(userhash_verify(s, (const uint8_t *)ENSORAS_ALICE, 64, S("{"), &match, NULL) == USERHASH_INVALID_JSON);
  CHECK(userhash_verify(s, (const uint8_t *)ENSORAS_ALICE, 64, S("{\"email\":\"\xc3\"}"), &match, NULL) ==
        USERHASH_INVALID_UTF8);
  userhash_signer_free(s);
}

static void test_canonical(void) {
  userhash_signer_t *s = make("fluentbot");
  userhash_bytes_t out = {(uint8_t *)1, 1}, err = {NULL, 0};
  CHECK(userhash_canonical(s, S("{\"visitor\":{\"email\":\"x\",\"data\":{\"b\":1,\"10\":2.0,\"2\":\"</script>\"}}}"), &out,
                           &err) == USERHASH_OK);
  static const char want[] = "{\"email\":\"x\",\"data\":{\"2\":\"</script>\",\"10\":2,\"b\":1}}";
  CHECK(out.len == sizeof(want) - 1 && memcmp(out.ptr, want, out.len) == 0 && err.ptr == NULL);
  userhash_bytes_free(out);
  out.ptr = (uint8_t *)1;
  CHECK(userhash_canonical(s, S("{\"visitor\":{}}"), &out, &err) == USERHASH_EMPTY_IDENTITY);
  CHECK(out.ptr == NULL && out.len == 0 && err.ptr != NULL);
  userhash_bytes_free(err);
  userhash_signer_free(s);

  s = make("supportwire");
  CHECK(userhash_canonical(s, S("{\"external_id\":\" \\u00a0ID-7\\ufeff\"}"), &out, NULL) == USERHASH_OK);
  CHECK(out.len == 4 && memcmp(out.ptr, "id-7", 4) == 0);
  userhash_bytes_free(out);
  userhash_signer_free(s);
}

static void test_every_error_status(void) {
  userhash_signer_t *s = make("fluentbot");
  CHECK(sign_error(s, S("{\"visitor\":{\"email\":\"\",\"name\":null}}")) == USERHASH_EMPTY_IDENTITY);
  CHECK(sign_error(s, S("{\"email\":\"a@b.c\"}")) == USERHASH_INVALID_INPUT);
  CHECK(sign_error(s, S("[]")) == USERHASH_INVALID_INPUT);
  /* Duplicate keys: the last value wins, as in JSON.parse. */
  CHECK(sign_error(s, S("{\"visitor\":{\"email\":\"x\"},\"visitor\":{}}")) == USERHASH_EMPTY_IDENTITY);
  CHECK(sign_error(s, S("{\"visitor\":{\"email\":\"x\",\"data\":1.5},\"userId\":1}")) == USERHASH_INVALID_INPUT);
  CHECK(sign_error(s, S("{\"visitor\":{\"email\":\"x\"}")) == USERHASH_INVALID_JSON);
  CHECK(sign_error(s, S("")) == USERHASH_INVALID_JSON);
  CHECK(sign_error(s, NULL, 0) == USERHASH_INVALID_JSON);
  CHECK(sign_error(s, S("{\"visitor\":{\"email\":\"\xed\xa0\x80\"}}")) == USERHASH_INVALID_UTF8); /* a surrogate */

  /* Depth: the visitor object is level 1; data may nest to level 128 in total. */
  size_t n = 100000, cap = 2 * n + 64;
  char *deep = malloc(cap);
  char hex[65];
  for (int levels = 126; levels <= 128; levels++) {
    int len = snprintf(deep, cap, "{\"visitor\":{\"email\":\"x\",\"data\":");
    for (int i = 0; i < levels; i++) deep[len++] = '[';
    deep[len++] = '1';
    for (int i = 0; i < levels; i++) deep[len++] = ']';
    deep[len++] = '}';
    deep[len++] = '}';
    userhash_status_t st = userhash_sign(s, (const uint8_t *)deep, (size_t)len, hex, NULL);
    CHECK(st == (levels < 128 ? USERHASH_OK : USERHASH_TOO_DEEP));
  }
  /* 100 000 levels: too_deep, never a crash. */
  memset(deep, '[', n);
  CHECK(sign_error(s, deep, n) == USERHASH_TOO_DEEP);
  free(deep);
  userhash_signer_free(s);

  /* empty_secret and unknown_preset come from userhash_signer_new (tested above). */
}

static void test_null_arguments(void) {
  userhash_signer_t *s = make("ensoras");
  char hex[65];
  bool match;
  userhash_bytes_t out, err = {NULL, 0};
  CHECK(userhash_signer_new(SECRET, S("ensoras"), NULL, 0, NULL, &err) == USERHASH_NULL_ARGUMENT);
  CHECK(err.ptr != NULL && strstr((const char *)err.ptr, "out") != NULL);
  userhash_bytes_free(err);
  userhash_signer_t *none = (userhash_signer_t *)&passed;
  CHECK(userhash_signer_new(NULL, 6, S("ensoras"), NULL, 0, &none, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(none == NULL);
  CHECK(userhash_signer_new(SECRET, NULL, 7, NULL, 0, &none, NULL) == USERHASH_NULL_ARGUMENT);

  CHECK(userhash_sign(NULL, S("{\"email\":\"a\"}"), hex, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_sign(s, S("{\"email\":\"a\"}"), NULL, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_sign(s, NULL, 5, hex, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_sign_field(NULL, USERHASH_FIELD_EMAIL, S("a"), hex, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_sign_field(s, USERHASH_FIELD_EMAIL, S("a"), NULL, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_sign_field(s, USERHASH_FIELD_EMAIL, NULL, 1, hex, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_verify(NULL, S("00"), S("{\"email\":\"a\"}"), &match, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_verify(s, S("00"), S("{\"email\":\"a\"}"), NULL, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_verify(s, NULL, 64, S("{\"email\":\"a\"}"), &match, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_canonical(NULL, S("{\"email\":\"a\"}"), &out, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_canonical(s, S("{\"email\":\"a\"}"), NULL, &err) == USERHASH_NULL_ARGUMENT);
  userhash_bytes_free(err);
  CHECK(userhash_canonical(s, NULL, 3, &out, NULL) == USERHASH_NULL_ARGUMENT);

  /* Freeing NULL / {NULL,0} is a no-op. */
  userhash_signer_free(NULL);
  userhash_bytes_free((userhash_bytes_t){NULL, 0});
  userhash_signer_free(s);
  passed++;
}

/* One signer shared by several threads (it is immutable). */
struct job {
  const userhash_signer_t *s;
  int ok;
};
static void *worker(void *arg) {
  struct job *j = arg;
  char hex[65];
  j->ok = 1;
  for (int i = 0; i < 200; i++) {
    if (userhash_sign_field(j->s, USERHASH_FIELD_EMAIL, S("Alice@Example.COM"), hex, NULL) != USERHASH_OK ||
        strcmp(hex, ENSORAS_ALICE) != 0)
      j->ok = 0;
    userhash_bytes_t err;
    if (userhash_sign(j->s, S("{\"email\":\"\"}"), hex, &err) != USERHASH_EMPTY_IDENTITY) j->ok = 0;
    userhash_bytes_free(err);
  }
  /* A batch large enough to fan out to worker threads from this thread. */
  enum { N = 9000 };
  userhash_slice_t *values = malloc(N * sizeof *values);
  char *out = malloc((size_t)N * 64);
  for (int i = 0; i < N; i++) values[i] = (userhash_slice_t){(const uint8_t *)"Alice@Example.COM", 17};
  if (userhash_sign_many(j->s, USERHASH_FIELD_EMAIL, values, N, out, NULL) != USERHASH_OK ||
      memcmp(out + (size_t)(N - 1) * 64, ENSORAS_ALICE, 64) != 0)
    j->ok = 0;
  free(values);
  free(out);
  return NULL;
}
static void test_threads(void) {
  userhash_signer_t *s = make("ensoras");
  pthread_t t[4];
  struct job jobs[4];
  for (int i = 0; i < 4; i++) {
    jobs[i] = (struct job){s, 0};
    pthread_create(&t[i], NULL, worker, &jobs[i]);
  }
  for (int i = 0; i < 4; i++) {
    pthread_join(t[i], NULL);
    CHECK(jobs[i].ok);
  }
  userhash_signer_free(s);
}

/* Batch signing: n hashes of 64 hex digits, one after the other. */
static void test_sign_many(void) {
  userhash_bytes_t err = {NULL, 0};
  userhash_signer_t *s = make("inviaro");
  userhash_slice_t ids[3] = {{(const uint8_t *)"42", 2}, {(const uint8_t *)"usr_42", 6}, {(const uint8_t *)"42", 2}};
  char out[3 * 64 + 1];
  out[3 * 64] = '#';
  CHECK(userhash_sign_many(s, USERHASH_FIELD_DEFAULT, ids, 3, out, &err) == USERHASH_OK);
  CHECK(err.ptr == NULL && out[3 * 64] == '#'); /* exactly n * 64 bytes written */
  CHECK(memcmp(out, INVIARO_42, 64) == 0 && memcmp(out + 64, INVIARO_USR42, 64) == 0 &&
        memcmp(out + 128, INVIARO_42, 64) == 0);
  memset(out, 0, sizeof out);
  CHECK(userhash_sign_many(s, USERHASH_FIELD_USER_ID, ids, 3, out, NULL) == USERHASH_OK);
  CHECK(memcmp(out + 64, INVIARO_USR42, 64) == 0);
  /* The packed form: one buffer and the length of each item. */
  static const char packed[] = "42usr_4242";
  size_t lens[3] = {2, 6, 2};
  memset(out, 0, sizeof out);
  CHECK(userhash_sign_many_packed(s, USERHASH_FIELD_DEFAULT, S(packed), lens, 3, out, &err) == USERHASH_OK);
  CHECK(memcmp(out, INVIARO_42, 64) == 0 && memcmp(out + 64, INVIARO_USR42, 64) == 0 &&
        memcmp(out + 128, INVIARO_42, 64) == 0);
  /* Empty batches; NULL is fine with n = 0. */
  CHECK(userhash_sign_many(s, USERHASH_FIELD_DEFAULT, NULL, 0, NULL, &err) == USERHASH_OK);
  CHECK(userhash_sign_many_packed(s, USERHASH_FIELD_DEFAULT, NULL, 0, NULL, 0, NULL, &err) == USERHASH_OK);
  /* The first bad item fails the call, named by its index; the output is zero-filled. */
  userhash_slice_t bad[3] = {{(const uint8_t *)"1", 1}, {(const uint8_t *)"2", 1}, {NULL, 0}};
  memset(out, 'x', sizeof out);
  CHECK(userhash_sign_many(s, USERHASH_FIELD_DEFAULT, bad, 3, out, &err) == USERHASH_EMPTY_IDENTITY);
  CHECK(err.ptr != NULL && strncmp((const char *)err.ptr, "item 2: ", 8) == 0);
  userhash_bytes_free(err);
  int zeroed = 1;
  for (int i = 0; i < 3 * 64; i++) zeroed &= out[i] == 0;
  CHECK(zeroed && out[3 * 64] == 'x');
  bad[1] = (userhash_slice_t){(const uint8_t *)"\xc3(", 2};
  bad[2] = (userhash_slice_t){(const uint8_t *)"3", 1};
  CHECK(userhash_sign_many(s, USERHASH_FIELD_DEFAULT, bad, 3, out, &err) == USERHASH_INVALID_UTF8);
  CHECK(err.ptr != NULL && strncmp((const char *)err.ptr, "item 1: ", 8) == 0);
  userhash_bytes_free(err);
  CHECK(userhash_sign_many_packed(s, USERHASH_FIELD_DEFAULT, S("1\xc3(3"), (size_t[]){1, 2, 1}, 3, out, &err) ==
        USERHASH_INVALID_UTF8);
  CHECK(err.ptr != NULL && strncmp((const char *)err.ptr, "item 1: ", 8) == 0);
  userhash_bytes_free(err);
  /* The preset does not sign email; an unknown field; lengths that do not add up; NULLs. */
  CHECK(userhash_sign_many(s, USERHASH_FIELD_EMAIL, ids, 3, out, &err) == USERHASH_INVALID_INPUT);
  CHECK(err.ptr != NULL && strncmp((const char *)err.ptr, "item 0: ", 8) == 0);
  userhash_bytes_free(err);
  CHECK(userhash_sign_many(s, (userhash_field_t)9, ids, 3, out, NULL) == USERHASH_INVALID_INPUT);
  CHECK(userhash_sign_many_packed(s, USERHASH_FIELD_DEFAULT, S(packed), (size_t[]){2, 6, 1}, 3, out, NULL) ==
        USERHASH_INVALID_INPUT);
  CHECK(userhash_sign_many_packed(s, USERHASH_FIELD_DEFAULT, S(packed), (size_t[]){SIZE_MAX, 11, 1}, 3, out, NULL) ==
        USERHASH_INVALID_INPUT);
  CHECK(userhash_sign_many_packed(s, USERHASH_FIELD_DEFAULT, S(packed), NULL, 0, NULL, NULL) == USERHASH_INVALID_INPUT);
  CHECK(userhash_sign_many(s, USERHASH_FIELD_DEFAULT, NULL, 3, out, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_sign_many(s, USERHASH_FIELD_DEFAULT, ids, 3, NULL, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_sign_many(NULL, USERHASH_FIELD_DEFAULT, ids, 3, out, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_sign_many_packed(s, USERHASH_FIELD_DEFAULT, S(packed), NULL, 3, out, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_sign_many_packed(s, USERHASH_FIELD_DEFAULT, NULL, 10, lens, 3, out, NULL) == USERHASH_NULL_ARGUMENT);
  userhash_signer_free(s);

  /* Email and visitor presets; supportwire has no default field. */
  s = make("ensoras");
  userhash_slice_t emails[1] = {{(const uint8_t *)"Alice@Example.COM", 17}};
  CHECK(userhash_sign_many(s, USERHASH_FIELD_DEFAULT, emails, 1, out, NULL) == USERHASH_OK);
  CHECK(memcmp(out, ENSORAS_ALICE, 64) == 0);
  userhash_signer_free(s);
  s = make("supportwire");
  CHECK(userhash_sign_many(s, USERHASH_FIELD_DEFAULT, emails, 1, out, &err) == USERHASH_INVALID_INPUT);
  CHECK(err.ptr != NULL && strstr((const char *)err.ptr, "supportwire") != NULL);
  userhash_bytes_free(err);
  emails[0] = (userhash_slice_t){(const uint8_t *)" Alice@Example.COM ", 19};
  CHECK(userhash_sign_many(s, USERHASH_FIELD_EXTERNAL_ID, emails, 1, out, NULL) == USERHASH_OK);
  CHECK(memcmp(out, SUPPORTWIRE_ALICE, 64) == 0);
  CHECK(userhash_sign_field(s, USERHASH_FIELD_DEFAULT, S("a@b.c"), out, NULL) == USERHASH_INVALID_INPUT);
  userhash_signer_free(s);
  s = make("fluentbot");
  static const char visitor[] = "{\"name\":\"Alice\",\"email\":\"Alice@Example.COM\",\"data\":{\"plan\":\"pro\"}}";
  userhash_slice_t visitors[2] = {{S(visitor)}, {S("{\"email\":\"x\"")}};
  CHECK(userhash_sign_many(s, USERHASH_FIELD_DEFAULT, visitors, 1, out, NULL) == USERHASH_OK);
  CHECK(memcmp(out, FLUENTBOT_ALICE, 64) == 0);
  CHECK(userhash_sign_field(s, USERHASH_FIELD_VISITOR, S(visitor), out, NULL) == USERHASH_OK);
  CHECK(strcmp(out, FLUENTBOT_ALICE) == 0);
  CHECK(userhash_sign_field(s, USERHASH_FIELD_DEFAULT, S(visitor), out, NULL) == USERHASH_OK);
  CHECK(strcmp(out, FLUENTBOT_ALICE) == 0);
  CHECK(userhash_sign_many(s, USERHASH_FIELD_VISITOR, visitors, 2, out, &err) == USERHASH_INVALID_JSON);
  CHECK(err.ptr != NULL && strncmp((const char *)err.ptr, "item 1: ", 8) == 0);
  userhash_bytes_free(err);
  /* The visitor object is level 1: data nests 127 levels at most. */
  char deep[400];
  for (int levels = 127; levels <= 128; levels++) {
    int len = snprintf(deep, sizeof deep, "{\"email\":\"x\",\"data\":");
    for (int i = 0; i < levels; i++) deep[len++] = '[';
    for (int i = 0; i < levels; i++) deep[len++] = ']';
    deep[len++] = '}';
    CHECK(userhash_sign_field(s, USERHASH_FIELD_VISITOR, (const uint8_t *)deep, (size_t)len, out, NULL) ==
          (levels < 128 ? USERHASH_OK : USERHASH_TOO_DEEP));
  }
  userhash_signer_free(s);
}

/* A batch large enough to run on every core and span several chunks: each hash
 * equals the single-call one, and an error in a later chunk names its global index. */
static void test_sign_many_large(void) {
  enum { N = 70000 };
  userhash_signer_t *s = make("inviaro");
  char *data = malloc(N * 8), *out = malloc((size_t)N * 64);
  size_t *lens = malloc(N * sizeof *lens), at = 0;
  for (int i = 0; i < N; i++) {
    int len = snprintf(data + at, 8, "%d", i);
    lens[i] = (size_t)len;
    at += (size_t)len;
  }
  CHECK(userhash_sign_many_packed(s, USERHASH_FIELD_USER_ID, (const uint8_t *)data, at, lens, N, out, NULL) ==
        USERHASH_OK);
  int same = 1;
  char hex[65];
  for (int i = 0; i < N; i += 97) {
    size_t off = 0;
    for (int j = 0; j < i; j++) off += lens[j];
    userhash_sign_field(s, USERHASH_FIELD_USER_ID, (const uint8_t *)data + off, lens[i], hex, NULL);
    same &= memcmp(out + (size_t)i * 64, hex, 64) == 0;
  }
  CHECK(same);
  CHECK(memcmp(out + 42 * 64, INVIARO_42, 64) == 0);
  /* Item 66000 (in the second chunk) is empty: its bytes move to item 66001. */
  lens[66001] += lens[66000];
  lens[66000] = 0;
  userhash_bytes_t err = {NULL, 0};
  CHECK(userhash_sign_many_packed(s, USERHASH_FIELD_USER_ID, (const uint8_t *)data, at, lens, N, out, &err) ==
        USERHASH_EMPTY_IDENTITY);
  CHECK(err.ptr != NULL && strncmp((const char *)err.ptr, "item 66000: user_id is empty", 28) == 0);
  userhash_bytes_free(err);
  free(data);
  free(out);
  free(lens);
  userhash_signer_free(s);
}

static void test_embed(void) {
  userhash_signer_t *s = make("ensoras");
  userhash_bytes_t out = {NULL, 0}, err = {NULL, 0};
  CHECK(userhash_embed(s, S("{\"email\":\"</script>@x.com\"}"), S("{\"widget\":\"acme\"}"), &out, &err) == USERHASH_OK);
  CHECK(out.ptr != NULL && err.ptr == NULL);
  CHECK(strstr((const char *)out.ptr, "Ensoras('identify', {\"email\":\"\\u003c/script\\u003e@x.com\",\"hash\":\"") != NULL);
  static const char tail[] = "<script src=\"https://app.ensoras.com/cdn/v1/widget/acme.js\" async defer></script>";
  CHECK(out.len >= sizeof tail - 1 && memcmp(out.ptr + out.len - (sizeof tail - 1), tail, sizeof tail - 1) == 0);
  userhash_bytes_free(out);
  /* A CSP nonce on every script tag. */
  CHECK(userhash_embed(s, S("{\"email\":\"a@b.c\"}"), S("{\"widget\":\"acme\",\"nonce\":\"n0nce\"}"), &out, NULL) ==
        USERHASH_OK);
  CHECK(strstr((const char *)out.ptr, "nonce=\"n0nce\"") != NULL);
  userhash_bytes_free(out);
  /* Errors: unknown option, options not JSON, input error, NULL out. */
  CHECK(userhash_embed(s, S("{\"email\":\"a@b.c\"}"), S("{\"widget\":\"acme\",\"color\":1}"), &out, &err) ==
        USERHASH_INVALID_INPUT);
  CHECK(out.ptr == NULL && err.ptr != NULL && strstr((const char *)err.ptr, "color") != NULL);
  userhash_bytes_free(err);
  CHECK(userhash_embed(s, S("{\"email\":\"a@b.c\"}"), S("{\"widget\":"), &out, NULL) == USERHASH_INVALID_JSON);
  CHECK(userhash_embed(s, S("{\"email\":\"a@b.c\"}"), S("[]"), &out, NULL) == USERHASH_INVALID_INPUT);
  CHECK(userhash_embed(s, S("{\"email\":\"\"}"), S("{\"widget\":\"acme\"}"), &out, NULL) == USERHASH_EMPTY_IDENTITY);
  CHECK(userhash_embed(s, S("{\"email\":\"a@b.c\"}"), S("{\"widget\":\"acme\"}"), NULL, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_embed(NULL, S("{\"email\":\"a@b.c\"}"), S("{\"widget\":\"acme\"}"), &out, NULL) ==
        USERHASH_NULL_ARGUMENT);
  userhash_signer_free(s);

  /* Layerup's webview URL: encodeURIComponent, hash as signed. */
  s = make("layerup");
  CHECK(userhash_embed(s, S("{\"email\":\"Alice@Example.COM\"}"), S("{\"widget\":\"w 1\",\"form\":\"url\"}"), &out,
                       NULL) == USERHASH_OK);
  char want[200];
  snprintf(want, sizeof want, "https://us.uselayerup.com/widget/w%%201?ue=Alice%%40Example.COM&uh=%s", LAYERUP_ALICE);
  CHECK(out.ptr != NULL && strcmp((const char *)out.ptr, want) == 0);
  userhash_bytes_free(out);
  userhash_signer_free(s);

  /* A custom scheme has no vendor snippet. */
  userhash_signer_t *custom = NULL;
  CHECK(userhash_signer_new(SECRET, S("email:trim_lowercase"), NULL, 0, &custom, NULL) == USERHASH_OK);
  CHECK(userhash_embed(custom, S("{\"email\":\"a@b.c\"}"), S("{\"widget\":\"acme\"}"), &out, NULL) ==
        USERHASH_INVALID_INPUT);
  userhash_signer_free(custom);
}

/* A marker secret never shows in any message, whatever fails. */
static void test_secret_hygiene(void) {
  static const char marker[] = "MARKER-9f3a-s3cr3t";
  userhash_slice_t prev[1] = {{(const uint8_t *)"MARKER-old-77", 13}};
  userhash_signer_t *s = NULL;
  userhash_bytes_t err = {NULL, 0}, out = {NULL, 0};
  int clean = 1, errors = 0;
#define NO_MARKER()                                                                                  \
  do {                                                                                               \
    if (err.ptr) {                                                                                   \
      errors++;                                                                                      \
      clean &= strstr((const char *)err.ptr, "MARKER") == NULL;                                      \
    }                                                                                                \
    userhash_bytes_free(err);                                                                        \
    err = (userhash_bytes_t){NULL, 0};                                                               \
  } while (0)
  userhash_signer_new(S(marker), S("nope"), prev, 1, &s, &err);
  NO_MARKER();
  userhash_signer_new(S(marker), S("ensoras"), (userhash_slice_t[]){{(const uint8_t *)"", 0}}, 1, &s, &err);
  NO_MARKER();
  static const char *presets[] = {"layerup", "inviaro", "ensoras", "supportwire", "fluentbot"};
  static const char *inputs[] = {"{\"email\":\"\"}", "{\"user_id\":1.5}", "{\"visitor\":[]}", "{",
                                 "{\"email\":\"\xff\"}", "{\"visitor\":{\"data\":[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]}}",
                                 "{\"email\":1}", "{\"nope\":1}"};
  char hex[65], many[64];
  bool match;
  for (int p = 0; p < 5; p++) {
    CHECK(userhash_signer_new(S(marker), (const uint8_t *)presets[p], strlen(presets[p]), prev, 1, &s, NULL) ==
          USERHASH_OK);
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
      const uint8_t *in = (const uint8_t *)inputs[i];
      size_t len = strlen(inputs[i]);
      userhash_sign(s, in, len, hex, &err);
      NO_MARKER();
      userhash_verify(s, S("00"), in, len, &match, &err);
      NO_MARKER();
      userhash_canonical(s, in, len, &out, &err);
      userhash_bytes_free(out);
      NO_MARKER();
      userhash_embed(s, in, len, S("{\"widget\":\"w\",\"bogus\":1}"), &out, &err);
      userhash_bytes_free(out);
      NO_MARKER();
      userhash_sign_field(s, USERHASH_FIELD_DEFAULT, in, len, hex, &err);
      NO_MARKER();
      userhash_slice_t one = {in, len};
      userhash_sign_many(s, USERHASH_FIELD_USER_ID, &one, 1, many, &err);
      NO_MARKER();
    }
    userhash_signer_free(s);
  }
#undef NO_MARKER
  CHECK(clean);
  CHECK(errors > 150);
}

int main(void) {
  test_status_codes();
  test_presets();
  test_sign_field();
  test_nul_is_data();
  test_long_key();
  test_signer_new_errors();
  test_previous_secrets();
  test_verify();
  test_canonical();
  test_every_error_status();
  test_null_arguments();
  test_threads();
  test_sign_many();
  test_sign_many_large();
  test_embed();
  test_secret_hygiene();
  test_bad_inputs();
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
