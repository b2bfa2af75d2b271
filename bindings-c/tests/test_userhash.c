/*
 * C tests for libuserhash (built and run under valgrind by `make test-c`).
 *
 * Every expected hash below is a literal computed with Node's crypto module,
 * i.e. the vendors' own snippets (never with userhash itself), e.g.
 *   node -e "console.log(require('crypto').createHmac('sha256','s3cr3t')
 *            .update('Alice@Example.COM'.toLowerCase()).digest('hex'))"
 * The command used for each value is given next to it. Hashes of inputs the
 * literals do not cover come from the SHA-256/HMAC written in bad_inputs.c
 * (checked against RFC 4231's test values), never from the library.
 */
#define _POSIX_C_SOURCE 200809L /* setenv, unsetenv */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"
#include "userhash.h"

int passed = 0, failed = 0;

#define SECRET S("s3cr3t")
#define NO_OPTIONS NULL, 0    /* options_json: none */
#define BATCH_FIELD NULL, 0   /* field: empty, i.e. the scheme's batch field */
/* The message of a filled userhash_error_t as a C string ("" when there is none). */
#define MSG(e) ((e).message.ptr ? (const char *)(e).message.ptr : "")
#define PATH(e) ((e).path.ptr ? (const char *)(e).path.ptr : "")

#ifndef USERHASH_TEST_VERSION
#error "build with -DUSERHASH_TEST_VERSION='\"x.y.z\"' (the workspace version in Cargo.toml; mk/c.mk does)"
#endif

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
/* printf abc | openssl dgst -sha256 -hmac s3cr3t  (also node: createHmac('sha256','s3cr3t').update('abc')) */
static const char *HMAC_S3CR3T_ABC = "e7b80919c51385b9e86c3363c73f85cd015222e4d4eb945082d61d7b21eb8241";

static userhash_signer_t *make(const char *preset) {
  userhash_signer_t *s = NULL;
  userhash_error_t err;
  userhash_status_t st =
      userhash_signer_new(SECRET, (const uint8_t *)preset, strlen(preset), NULL, 0, NO_OPTIONS, &s, &err);
  if (st != USERHASH_OK || s == NULL) {
    fprintf(stderr, "cannot create signer %s: %d %s\n", preset, st, MSG(err));
    exit(2);
  }
  userhash_error_free(&err);
  return s;
}

/* error_out after a success: zeroed (status 0, no bytes, item -1). */
static bool err_clear(const userhash_error_t *e) {
  return e->status == USERHASH_OK && e->message.ptr == NULL && e->message.len == 0 && e->path.ptr == NULL &&
         e->path.len == 0 && e->item == -1;
}

/* error_out after a failure: that status, a non-empty NUL-terminated message. */
static bool err_is(const userhash_error_t *e, userhash_status_t st) {
  return e->status == st && e->message.ptr != NULL && e->message.len > 0 && e->message.ptr[e->message.len] == 0 &&
         strlen((const char *)e->message.ptr) == e->message.len && (e->path.ptr == NULL || e->path.ptr[e->path.len] == 0);
}

/* The path bytes are exactly `want` (NULL: no path). */
static bool path_is(const userhash_error_t *e, const char *want) {
  if (!want) return e->path.ptr == NULL && e->path.len == 0;
  return e->path.ptr != NULL && e->path.len == strlen(want) && memcmp(e->path.ptr, want, e->path.len) == 0;
}

static bool starts_with(const userhash_error_t *e, const char *prefix) {
  return e->message.ptr != NULL && strncmp((const char *)e->message.ptr, prefix, strlen(prefix)) == 0;
}

/* A userhash_error_t holding garbage: the library must overwrite it on entry. */
#define ERR_GARBAGE {77, {(uint8_t *)1, 99}, {(uint8_t *)1, 9}, 5}

/* Signs JSON text; returns the status, hash in out. */
static userhash_status_t sign_json(const userhash_signer_t *s, const char *json, char out[65]) {
  return userhash_sign(s, (const uint8_t *)json, strlen(json), out, NULL);
}

/* The status of signing `json`, checking error_out: zeroed on success, filled on failure,
 * freed (and zeroed again, twice harmlessly) by userhash_error_free. */
static userhash_status_t sign_error(const userhash_signer_t *s, const void *json, size_t len) {
  char hex[65] = "x";
  userhash_error_t err = ERR_GARBAGE;
  userhash_status_t st = userhash_sign(s, json, len, hex, &err);
  if (st == USERHASH_OK) {
    CHECK(err_clear(&err));
  } else {
    CHECK(err_is(&err, st) && err.item == -1);
    CHECK(hex[0] == '\0');
  }
  if (err.message.ptr == (uint8_t *)1 || err.path.ptr == (uint8_t *)1) return -1; /* not reset: do not free */
  userhash_error_free(&err);
  CHECK(err_clear(&err));
  userhash_error_free(&err);
  CHECK(err_clear(&err));
  return st;
}

/* Batch signing over items given as slices: packed into one buffer for userhash_sign_many_packed. */
static userhash_status_t sign_many(const userhash_signer_t *s, const uint8_t *field, size_t field_len,
                                   const userhash_slice_t *values, size_t n, bool is_json, size_t first, char *out,
                                   userhash_error_t *err) {
  size_t total = 0;
  for (size_t i = 0; i < n; i++) total += values[i].len;
  uint8_t *data = malloc(total + 1);
  size_t *lens = malloc((n + 1) * sizeof *lens), at = 0;
  for (size_t i = 0; i < n; i++) {
    if (values[i].len) memcpy(data + at, values[i].ptr, values[i].len);
    at += lens[i] = values[i].len;
  }
  userhash_status_t st =
      userhash_sign_many_packed(s, field, field_len, data, total, n ? lens : NULL, n, is_json, first, out, err);
  free(data);
  free(lens);
  return st;
}

/* The canonical operation: status; `want` (JSON text of the expected string) compared with the result. */
static bool canonical_is(const userhash_signer_t *s, const uint8_t *in, size_t len, const char *want) {
  userhash_bytes_t out = {NULL, 0};
  bool ok = call(s, "canonical", in, len, NULL, &out, NULL) == USERHASH_OK && out.len == strlen(want) &&
            memcmp(out.ptr, want, out.len) == 0 && out.ptr[out.len] == 0;
  if (!ok) fprintf(stderr, "  canonical %.*s, want %s\n", (int)out.len, out.ptr ? (const char *)out.ptr : "", want);
  userhash_bytes_free(out);
  return ok;
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
  CHECK(strcmp(userhash_status_code((userhash_status_t)-1), "unknown") == 0);
  CHECK(USERHASH_HEX_BUFFER_LEN == 65);
  /* The core's codes are 1..7 in the core's order; the C-only statuses are 100 and 101. */
  CHECK(USERHASH_OK == 0 && USERHASH_EMPTY_SECRET == 1 && USERHASH_EMPTY_IDENTITY == 2 &&
        USERHASH_INVALID_INPUT == 3 && USERHASH_INVALID_JSON == 4 && USERHASH_INVALID_UTF8 == 5 &&
        USERHASH_TOO_DEEP == 6 && USERHASH_UNKNOWN_PRESET == 7);
  CHECK(USERHASH_NULL_ARGUMENT == 100 && USERHASH_PANIC == 101);
}

/* userhash_error_code(i): the core's codes in order, each the name of status i + 1. The
 * first seven are the documented identity-hash codes (docs/design.md, "Errors"); the core
 * may add more after them, which must then be statuses 8, 9, … with no gap. */
static void test_error_codes(void) {
  static const char *codes[] = {"empty_secret", "empty_identity", "invalid_input", "invalid_json",
                                "invalid_utf8", "too_deep",       "unknown_preset"};
  enum { N = sizeof codes / sizeof *codes };
  size_t n = 0;
  while (userhash_error_code(n) != NULL && n < 99) n++;
  CHECK(n >= N && n < 99);
  for (size_t i = 0; i < n; i++) {
    if (i < N) CHECK(strcmp(userhash_error_code(i), codes[i]) == 0);
    CHECK(strcmp(userhash_error_code(i), userhash_status_code((userhash_status_t)(i + 1))) == 0);
    CHECK(userhash_error_code(i) == userhash_error_code(i)); /* static, the same string each time */
    for (size_t j = 0; j < i; j++) CHECK(strcmp(userhash_error_code(j), userhash_error_code(i)) != 0);
  }
  CHECK(userhash_error_code(n) == NULL && userhash_error_code(SIZE_MAX) == NULL);
  /* The statuses 1..99 with a name are exactly 1..n. */
  for (int st = 1; st < 100; st++) CHECK((strcmp(userhash_status_code(st), "unknown") != 0) == (st <= (int)n));
}

static void test_version_and_limits(void) {
  const char *v = userhash_version();
  CHECK(v != NULL && strcmp(v, USERHASH_TEST_VERSION) == 0); /* the workspace version in Cargo.toml */
  if (v && strcmp(v, USERHASH_TEST_VERSION) != 0) fprintf(stderr, "  version %s, Cargo.toml %s\n", v, USERHASH_TEST_VERSION);
  CHECK(userhash_version() == v);
  CHECK(userhash_max_depth() == 128); /* docs/canonicalization.md: 128 levels, the payload object is level 1 */
}

/* The preset list: the seed presets (and more), each one a signer whose scheme is its name.
 * The secret is valid in every secret_encoding (raw, hex, base64), whatever a preset's default. */
static void test_preset_list(void) {
  static const char secret[] = "00112233445566778899aabbccddeeff";
  static const char *seed[] = {"layerup", "inviaro", "ensoras", "supportwire", "fluentbot"};
  size_t n = 0;
  bool found[5] = {false};
  int all_sign = 1;
  while (userhash_preset_name(n) != NULL && n < 1000) {
    const char *name = userhash_preset_name(n);
    for (int k = 0; k < 5; k++) found[k] |= strcmp(name, seed[k]) == 0;
    for (size_t m = 0; m < n; m++) CHECK(strcmp(userhash_preset_name(m), name) != 0); /* no duplicates */
    userhash_signer_t *s = NULL;
    userhash_error_t err;
    userhash_status_t st =
        userhash_signer_new(S(secret), (const uint8_t *)name, strlen(name), NULL, 0, NO_OPTIONS, &s, &err);
    all_sign &= st == USERHASH_OK && s != NULL && err_clear(&err);
    if (st != USERHASH_OK) fprintf(stderr, "  preset %s: %s\n", name, MSG(err));
    userhash_error_free(&err);
    userhash_bytes_t scheme = {(uint8_t *)1, 1};
    CHECK(userhash_signer_scheme(s, &scheme) == USERHASH_OK);
    CHECK(scheme.ptr != NULL && scheme.len == strlen(name) && strcmp((const char *)scheme.ptr, name) == 0);
    userhash_bytes_free(scheme);
    CHECK(userhash_signer_field(s, 0) != NULL && userhash_signer_previous_count(s) == 0);
    if (!userhash_signer_field(s, 0)) fprintf(stderr, "  preset %s reads no field\n", name);
    userhash_signer_free(s);
    n++;
  }
  CHECK(n >= 5 && all_sign);
  for (int k = 0; k < 5; k++) CHECK(found[k]);
  CHECK(userhash_preset_name(n) == NULL && userhash_preset_name(SIZE_MAX) == NULL);
}

/* The field list (the four documented sign-call fields first; the core may add more), and
 * names to fields (aliases included; NUL bytes are data). */
static void test_field_names(void) {
  static const char *fields[] = {"email", "user_id", "external_id", "visitor"};
  size_t n = 0;
  while (userhash_field_name(n) != NULL && n < 1000) n++;
  CHECK(n >= 4 && n < 1000);
  for (size_t i = 0; i < n && i < 4; i++) CHECK(strcmp(userhash_field_name(i), fields[i]) == 0);
  for (size_t i = 0; i < n; i++) { /* every listed name is its own canonical name */
    const char *name = userhash_field_name(i);
    CHECK(userhash_field_by_name((const uint8_t *)name, strlen(name)) == name);
  }
  CHECK(userhash_field_name(SIZE_MAX) == NULL);
  const char *f = userhash_field_by_name(S("userId"));
  CHECK(f != NULL && strcmp(f, "user_id") == 0);
  CHECK(f == userhash_field_by_name(S("user_id"))); /* static: the canonical name's string */
  f = userhash_field_by_name(S("externalId"));
  CHECK(f != NULL && strcmp(f, "external_id") == 0);
  for (size_t i = 0; i < 4; i++) {
    f = userhash_field_by_name((const uint8_t *)fields[i], strlen(fields[i]));
    CHECK(f != NULL && strcmp(f, fields[i]) == 0);
  }
  CHECK(userhash_field_by_name(S("mail")) == NULL);
  CHECK(userhash_field_by_name(S("Email")) == NULL);
  CHECK(userhash_field_by_name(S("email\0")) == NULL);
  CHECK(userhash_field_by_name(S("\xff")) == NULL);
  CHECK(userhash_field_by_name(NULL, 0) == NULL);
  CHECK(userhash_field_by_name(NULL, 5) == NULL);
}

/* A signer's scheme, previous secrets, fields and batch field. */
static void test_signer_accessors(void) {
  static const struct {
    const char *spec, *scheme, *fields[3], *batch;
  } rows[] = {
      {"layerup", "layerup", {"email"}, "email"},
      {"inviaro", "inviaro", {"user_id"}, "user_id"},
      {"ensoras", "ensoras", {"email"}, "email"},
      {"supportwire", "supportwire", {"external_id", "email"}, NULL},
      {"fluentbot", "fluentbot", {"visitor"}, "visitor"},
      /* A custom spec is named source:transform (the header), even when a preset has its rule
       * (docs/canonicalization.md: ensoras is email:lowercase, supportwire
       * external_id_or_email:trim_lowercase); the transform defaults to as_is. */
      {"email:lowercase", "email:lowercase", {"email"}, "email"},
      {"external_id_or_email:trim_lowercase", "external_id_or_email:trim_lowercase", {"external_id", "email"}, NULL},
      {"visitor_json", "visitor_json:as_is", {"visitor"}, "visitor"},
      {"email:trim_lowercase", "email:trim_lowercase", {"email"}, "email"},
      {"external_id_or_email", "external_id_or_email:as_is", {"external_id", "email"}, NULL},
  };
  for (size_t r = 0; r < sizeof rows / sizeof *rows; r++) {
    userhash_signer_t *s = NULL;
    CHECK(userhash_signer_new(SECRET, (const uint8_t *)rows[r].spec, strlen(rows[r].spec), NULL, 0, NO_OPTIONS, &s,
                              NULL) == USERHASH_OK);
    userhash_bytes_t scheme = {NULL, 0};
    CHECK(userhash_signer_scheme(s, &scheme) == USERHASH_OK);
    CHECK(scheme.ptr != NULL && strcmp((const char *)scheme.ptr, rows[r].scheme) == 0 &&
          scheme.len == strlen(rows[r].scheme));
    if (scheme.ptr && strcmp((const char *)scheme.ptr, rows[r].scheme) != 0)
      fprintf(stderr, "  %s: scheme %s, want %s\n", rows[r].spec, scheme.ptr, rows[r].scheme);
    userhash_bytes_free(scheme);
    size_t k = 0;
    for (; k < 3 && rows[r].fields[k]; k++) {
      const char *f = userhash_signer_field(s, k);
      CHECK(f != NULL && strcmp(f, rows[r].fields[k]) == 0);
    }
    CHECK(userhash_signer_field(s, k) == NULL && userhash_signer_field(s, SIZE_MAX) == NULL);
    const char *b = userhash_signer_batch_field(s);
    CHECK(rows[r].batch ? b != NULL && strcmp(b, rows[r].batch) == 0 : b == NULL);
    CHECK(userhash_signer_previous_count(s) == 0);
    userhash_signer_free(s);
  }

  userhash_slice_t prev[2] = {{(const uint8_t *)"older", 5}, {(const uint8_t *)"old", 3}};
  userhash_signer_t *s = NULL;
  CHECK(userhash_signer_new(S("new"), S("layerup"), prev, 2, NO_OPTIONS, &s, NULL) == USERHASH_OK);
  CHECK(userhash_signer_previous_count(s) == 2);
  userhash_signer_free(s);

  /* NULL signers and outputs. */
  userhash_bytes_t out = {(uint8_t *)1, 1};
  CHECK(userhash_signer_scheme(NULL, &out) == USERHASH_NULL_ARGUMENT);
  CHECK(out.ptr == NULL && out.len == 0);
  s = make("ensoras");
  CHECK(userhash_signer_scheme(s, NULL) == USERHASH_NULL_ARGUMENT);
  userhash_signer_free(s);
  CHECK(userhash_signer_previous_count(NULL) == 0);
  CHECK(userhash_signer_field(NULL, 0) == NULL);
  CHECK(userhash_signer_batch_field(NULL) == NULL);
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

/* A preset that exists only in the core (feature probe-preset, which mk/c.mk's c-lib turns
 * on): found by name, described and signed with no line of this binding knowing it. Its
 * rule (core/src/scheme.rs): the user id, JS-trimmed and lowercased. */
static void test_probe_preset(void) {
  const char *probe = NULL;
  for (size_t i = 0; userhash_preset_name(i) != NULL; i++)
    if (strcmp(userhash_preset_name(i), "zz_probe") == 0) probe = userhash_preset_name(i);
  CHECK(probe != NULL);
  if (!probe) {
    fprintf(stderr, "  zz_probe missing: build the library with --features userhash/probe-preset (make c-lib)\n");
    return;
  }
  char want[65], hex[65], many[2 * 64];
  hmac_hex(S("s3cr3t"), S("abc"), want);
  CHECK(strcmp(want, HMAC_S3CR3T_ABC) == 0);
  userhash_signer_t *s = NULL;
  userhash_error_t err;
  CHECK(userhash_signer_new(SECRET, (const uint8_t *)probe, strlen(probe), NULL, 0, NO_OPTIONS, &s, &err) ==
        USERHASH_OK);
  CHECK(err_clear(&err));
  const char *f0 = userhash_signer_field(s, 0), *batch = userhash_signer_batch_field(s);
  CHECK(f0 != NULL && strcmp(f0, "user_id") == 0 && userhash_signer_field(s, 1) == NULL);
  CHECK(batch != NULL && strcmp(batch, "user_id") == 0);
  userhash_bytes_t out = {NULL, 0};
  CHECK(userhash_signer_scheme(s, &out) == USERHASH_OK && out.ptr && strcmp((const char *)out.ptr, "zz_probe") == 0);
  userhash_bytes_free(out);
  CHECK(sign_json(s, "{\"user_id\":\"  AbC \"}", hex) == USERHASH_OK);
  CHECK(strcmp(hex, want) == 0);
  CHECK(canonical_is(s, S("{\"user_id\":\"  AbC \"}"), "\"abc\""));
  CHECK(userhash_sign_field(s, BATCH_FIELD, S("  AbC "), false, hex, NULL) == USERHASH_OK && strcmp(hex, want) == 0);
  CHECK(userhash_sign_text(s, S("  AbC "), hex) == USERHASH_OK && strcmp(hex, want) == 0);
  CHECK(userhash_sign_field(s, S("userId"), S("\"\\tABC\\n\""), true, hex, NULL) == USERHASH_OK &&
        strcmp(hex, want) == 0);
  userhash_slice_t ids[2] = {{S("  AbC ")}, {S("ABC")}};
  CHECK(sign_many(s, BATCH_FIELD, ids, 2, false, 0, many, NULL) == USERHASH_OK);
  CHECK(memcmp(many, want, 64) == 0 && memcmp(many + 64, want, 64) == 0);
  bool match = false;
  CHECK(verify(s, (const uint8_t *)want, 64, S("{\"user_id\":\"abc\"}"), &match, NULL) == USERHASH_OK && match);
  CHECK(userhash_sign_field(s, BATCH_FIELD, S(" \t "), false, hex, &err) == USERHASH_EMPTY_IDENTITY);
  CHECK(err_is(&err, USERHASH_EMPTY_IDENTITY));
  userhash_error_free(&err);
  CHECK(sign_error(s, S("{\"email\":\"abc\"}")) == USERHASH_INVALID_INPUT);
  userhash_signer_free(s);
}

static void test_sign_field(void) {
  char hex[65];
  userhash_signer_t *s = make("ensoras");
  userhash_error_t err = ERR_GARBAGE;
  CHECK(userhash_sign_field(s, S("email"), S("Alice@Example.COM"), false, hex, &err) == USERHASH_OK);
  CHECK(strcmp(hex, ENSORAS_ALICE) == 0 && err_clear(&err));
  /* Empty field name: the scheme's batch field (email here). */
  CHECK(userhash_sign_field(s, BATCH_FIELD, S("Alice@Example.COM"), false, hex, NULL) == USERHASH_OK);
  CHECK(strcmp(hex, ENSORAS_ALICE) == 0);
  /* The preset signs email, not user_id. */
  CHECK(userhash_sign_field(s, S("user_id"), S("42"), false, hex, &err) == USERHASH_INVALID_INPUT);
  CHECK(err_is(&err, USERHASH_INVALID_INPUT) && strstr(MSG(err), "user_id") != NULL && err.item == -1);
  userhash_error_free(&err);
  CHECK(userhash_sign_field(s, S("email"), S(""), false, hex, NULL) == USERHASH_EMPTY_IDENTITY);
  CHECK(hex[0] == '\0');
  CHECK(userhash_sign_field(s, S("email"), S("\xff\xfe"), false, hex, &err) == USERHASH_INVALID_UTF8);
  CHECK(err_is(&err, USERHASH_INVALID_UTF8) && path_is(&err, "email") && starts_with(&err, "email: "));
  userhash_error_free(&err);
  CHECK(userhash_sign_field(s, S("email"), NULL, 0, false, hex, NULL) == USERHASH_EMPTY_IDENTITY);
  /* Unknown field names (case and NUL bytes count), a name that is not UTF-8, a NULL name. */
  CHECK(userhash_sign_field(s, S("mail"), S("a@b.c"), false, hex, &err) == USERHASH_INVALID_INPUT);
  CHECK(err_is(&err, USERHASH_INVALID_INPUT) && strstr(MSG(err), "\"mail\"") != NULL);
  userhash_error_free(&err);
  CHECK(userhash_sign_field(s, S("Email"), S("a@b.c"), false, hex, NULL) == USERHASH_INVALID_INPUT);
  CHECK(userhash_sign_field(s, S("email\0"), S("a@b.c"), false, hex, NULL) == USERHASH_INVALID_INPUT);
  CHECK(userhash_sign_field(s, S("em\xffil"), S("a@b.c"), false, hex, NULL) == USERHASH_INVALID_UTF8);
  CHECK(userhash_sign_field(s, NULL, 5, S("a@b.c"), false, hex, NULL) == USERHASH_NULL_ARGUMENT);
  /* is_json: the value is the JSON text of the field's value. */
  CHECK(userhash_sign_field(s, S("email"), S("\"Alice@Example.COM\""), true, hex, NULL) == USERHASH_OK);
  CHECK(strcmp(hex, ENSORAS_ALICE) == 0);
  CHECK(userhash_sign_field(s, S("email"), S(" \"Alice@\\u0045xample.COM\" "), true, hex, NULL) == USERHASH_OK);
  CHECK(strcmp(hex, ENSORAS_ALICE) == 0);
  CHECK(userhash_sign_field(s, S("email"), S("42"), true, hex, &err) == USERHASH_INVALID_INPUT);
  CHECK(err_is(&err, USERHASH_INVALID_INPUT) && path_is(&err, "email") && starts_with(&err, "email: "));
  userhash_error_free(&err);
  CHECK(userhash_sign_field(s, S("email"), S("\"a@b.c"), true, hex, NULL) == USERHASH_INVALID_JSON);
  CHECK(userhash_sign_field(s, S("email"), S("Alice@Example.COM"), true, hex, NULL) == USERHASH_INVALID_JSON);
  CHECK(userhash_sign_field(s, S("email"), S("\"\xff\""), true, hex, NULL) == USERHASH_INVALID_UTF8);
  CHECK(userhash_sign_field(s, S("email"), NULL, 0, true, hex, NULL) == USERHASH_INVALID_JSON);
  userhash_signer_free(s);

  s = make("inviaro");
  CHECK(userhash_sign_field(s, S("user_id"), S("usr_42"), false, hex, NULL) == USERHASH_OK);
  CHECK(strcmp(hex, INVIARO_USR42) == 0);
  CHECK(userhash_sign_field(s, S("userId"), S("usr_42"), false, hex, NULL) == USERHASH_OK);
  CHECK(strcmp(hex, INVIARO_USR42) == 0);
  CHECK(userhash_sign_field(s, S("user_id"), S("42"), true, hex, NULL) == USERHASH_OK);
  CHECK(strcmp(hex, INVIARO_42) == 0);
  CHECK(userhash_sign_field(s, BATCH_FIELD, S("\"usr_42\""), true, hex, NULL) == USERHASH_OK);
  CHECK(strcmp(hex, INVIARO_USR42) == 0);
  CHECK(userhash_sign_field(s, S("user_id"), S("1.5"), true, hex, &err) == USERHASH_INVALID_INPUT);
  CHECK(err_is(&err, USERHASH_INVALID_INPUT) && path_is(&err, "user_id"));
  userhash_error_free(&err);
  CHECK(userhash_sign_field(s, S("user_id"), S("null"), true, hex, NULL) == USERHASH_INVALID_INPUT);
  userhash_signer_free(s);

  s = make("supportwire");
  CHECK(userhash_sign_field(s, S("external_id"), S(" ALICE@example.com\n"), false, hex, NULL) == USERHASH_OK);
  CHECK(strcmp(hex, SUPPORTWIRE_ALICE) == 0);
  CHECK(userhash_sign_field(s, S("externalId"), S(" ALICE@example.com\n"), false, hex, NULL) == USERHASH_OK);
  CHECK(strcmp(hex, SUPPORTWIRE_ALICE) == 0);
  CHECK(userhash_sign_field(s, S("external_id"), S(" \t "), false, hex, NULL) == USERHASH_EMPTY_IDENTITY);
  /* Two fields: no batch field, so an empty field name is an error naming both. */
  CHECK(userhash_sign_field(s, BATCH_FIELD, S("a@b.c"), false, hex, &err) == USERHASH_INVALID_INPUT);
  CHECK(err_is(&err, USERHASH_INVALID_INPUT) && strstr(MSG(err), "external_id") != NULL && err.item == -1);
  userhash_error_free(&err);
  userhash_signer_free(s);
}

/* userhash_sign_text: a text value as the scheme's batch field, no error_out. Hashes from the
 * Node literals above (test_probe_preset and the vector runner sign with it too). */
static void test_sign_text(void) {
  char hex[65];
  userhash_error_t err = ERR_GARBAGE;
  userhash_signer_t *s = make("ensoras");
  CHECK(userhash_sign_text(s, S("Alice@Example.COM"), hex) == USERHASH_OK && strcmp(hex, ENSORAS_ALICE) == 0);
  /* Failures: the status only, out_hex an empty string; userhash_sign_field with an error_out
   * (same value, empty field) fails alike and says why. */
  memset(hex, 'x', sizeof hex);
  CHECK(userhash_sign_text(s, S(""), hex) == USERHASH_EMPTY_IDENTITY && hex[0] == '\0');
  CHECK(userhash_sign_field(s, BATCH_FIELD, S(""), false, hex, &err) == USERHASH_EMPTY_IDENTITY);
  CHECK(err_is(&err, USERHASH_EMPTY_IDENTITY) && strstr(MSG(err), "email") != NULL);
  userhash_error_free(&err);
  CHECK(userhash_sign_text(s, S("a\xff@b.c"), hex) == USERHASH_INVALID_UTF8 && hex[0] == '\0');
  CHECK(userhash_sign_text(s, NULL, 0, hex) == USERHASH_EMPTY_IDENTITY);
  CHECK(userhash_sign_text(s, NULL, 3, hex) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_sign_text(s, S("a@b.c"), NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_sign_text(NULL, S("a@b.c"), hex) == USERHASH_NULL_ARGUMENT);
  userhash_signer_free(s);

  s = make("layerup"); /* NUL bytes are data */
  CHECK(userhash_sign_text(s, S("a\0b@x.com"), hex) == USERHASH_OK && strcmp(hex, LAYERUP_NUL) == 0);
  userhash_signer_free(s);
  s = make("inviaro"); /* the batch field is user_id: the text is the id as given */
  CHECK(userhash_sign_text(s, S("usr_42"), hex) == USERHASH_OK && strcmp(hex, INVIARO_USR42) == 0);
  CHECK(userhash_sign_text(s, S("42"), hex) == USERHASH_OK && strcmp(hex, INVIARO_42) == 0);
  userhash_signer_free(s);
  /* No batch field (supportwire signs external_id or email), or one that takes no text. */
  s = make("supportwire");
  CHECK(userhash_sign_text(s, S("a@b.c"), hex) == USERHASH_INVALID_INPUT && hex[0] == '\0');
  userhash_signer_free(s);
  s = make("fluentbot");
  CHECK(userhash_sign_text(s, S("{\"name\":\"Ann\"}"), hex) == USERHASH_INVALID_INPUT);
  userhash_signer_free(s);
}

/* userhash_sign_json: the JSON text of the batch field's value (Node literals above). */
static void test_sign_json(void) {
  char hex[65];
  userhash_signer_t *s = make("fluentbot");
  /* In JSON.stringify form (signed from the text) and not (spaces, escapes, key order). */
  CHECK(userhash_sign_json(s, S("{\"name\":\"Alice\",\"email\":\"Alice@Example.COM\",\"data\":{\"plan\":\"pro\"}}"), hex) ==
            USERHASH_OK &&
        strcmp(hex, FLUENTBOT_ALICE) == 0);
  CHECK(userhash_sign_json(s, S(" {\"data\": {\"plan\": \"\\u0070ro\"}, \"email\": \"Alice@Example.COM\", \"name\": \"Alice\"} "),
                           hex) == USERHASH_OK &&
        strcmp(hex, FLUENTBOT_ALICE) == 0);
  memset(hex, 'x', sizeof hex);
  CHECK(userhash_sign_json(s, S("{\"name\":"), hex) == USERHASH_INVALID_JSON && hex[0] == '\0');
  CHECK(userhash_sign_json(s, S("{}"), hex) == USERHASH_EMPTY_IDENTITY);
  CHECK(userhash_sign_json(s, S("\"Ann\""), hex) == USERHASH_INVALID_INPUT);
  CHECK(userhash_sign_json(s, S("{\"name\":\"\xff\"}"), hex) == USERHASH_INVALID_UTF8);
  CHECK(userhash_sign_json(s, NULL, 0, hex) == USERHASH_INVALID_JSON);
  CHECK(userhash_sign_json(s, NULL, 1, hex) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_sign_json(s, S("{}"), NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_sign_json(NULL, S("{}"), hex) == USERHASH_NULL_ARGUMENT);
  userhash_signer_free(s);
  s = make("inviaro"); /* an integer id's JSON text is its digits */
  CHECK(userhash_sign_json(s, S("42"), hex) == USERHASH_OK && strcmp(hex, INVIARO_42) == 0);
  CHECK(userhash_sign_json(s, S("\"usr_42\""), hex) == USERHASH_OK && strcmp(hex, INVIARO_USR42) == 0);
  CHECK(userhash_sign_json(s, S("1.5"), hex) == USERHASH_INVALID_INPUT);
  userhash_signer_free(s);
}

static void test_nul_is_data(void) {
  char hex[65];
  userhash_signer_t *s = make("layerup");
  /* A NUL inside the value is signed, not a terminator. */
  CHECK(userhash_sign_field(s, S("email"), S("a\0b@x.com"), false, hex, NULL) == USERHASH_OK);
  CHECK(strcmp(hex, LAYERUP_NUL) == 0);
  /* The same through JSON text ("\u0000" escape). */
  CHECK(sign_json(s, "{\"email\":\"a\\u0000b@x.com\"}", hex) == USERHASH_OK);
  CHECK(strcmp(hex, LAYERUP_NUL) == 0);
  CHECK(userhash_sign_field(s, S("email"), S("\"a\\u0000b@x.com\""), true, hex, NULL) == USERHASH_OK);
  CHECK(strcmp(hex, LAYERUP_NUL) == 0);
  /* A raw NUL byte in JSON text is a control character: not valid JSON. */
  static const char raw[] = "{\"email\":\"a\0b\"}";
  CHECK(sign_error(s, raw, sizeof(raw) - 1) == USERHASH_INVALID_JSON);
  /* A NUL after the JSON text is trailing garbage, not a terminator. */
  static const char trailing[] = "{\"email\":\"a@b.c\"}\0";
  CHECK(sign_error(s, trailing, sizeof(trailing) - 1) == USERHASH_INVALID_JSON);

  /* The canonical form keeps the NUL and reports its length. */
  CHECK(canonical_is(s, S("{\"email\":\"a\\u0000b@x.com\"}"), "\"a\\u0000b@x.com\""));
  userhash_signer_free(s);

  /* A secret with a NUL byte, and a secret that is not UTF-8, are raw bytes. */
  static const uint8_t bin[] = {0xff, 0x00, 0xfe};
  CHECK(userhash_signer_new(bin, sizeof bin, S("layerup"), NULL, 0, NO_OPTIONS, &s, NULL) == USERHASH_OK);
  CHECK(userhash_sign_field(s, S("email"), S("a@b.c"), false, hex, NULL) == USERHASH_OK);
  CHECK(strcmp(hex, LAYERUP_BINARY_KEY) == 0);
  userhash_signer_free(s);
}

static void test_long_key(void) {
  char key[100], hex[65];
  memset(key, 'k', sizeof key);
  userhash_signer_t *s = NULL;
  CHECK(userhash_signer_new((const uint8_t *)key, sizeof key, S("ensoras"), NULL, 0, NO_OPTIONS, &s, NULL) ==
        USERHASH_OK);
  CHECK(userhash_sign_field(s, S("email"), S("Alice@Example.com"), false, hex, NULL) == USERHASH_OK);
  CHECK(strcmp(hex, ENSORAS_LONG_KEY) == 0);
  userhash_signer_free(s);
}

static void test_signer_new_errors(void) {
  userhash_signer_t *s = (userhash_signer_t *)&passed; /* must be reset to NULL */
  userhash_error_t err = ERR_GARBAGE;
  CHECK(userhash_signer_new(S(""), S("ensoras"), NULL, 0, NO_OPTIONS, &s, &err) == USERHASH_EMPTY_SECRET);
  CHECK(s == NULL && err_is(&err, USERHASH_EMPTY_SECRET) && path_is(&err, NULL) && err.item == -1);
  userhash_error_free(&err);
  CHECK(userhash_signer_new(NULL, 0, S("ensoras"), NULL, 0, NO_OPTIONS, &s, NULL) == USERHASH_EMPTY_SECRET);
  CHECK(userhash_signer_new(SECRET, S("nope"), NULL, 0, NO_OPTIONS, &s, &err) == USERHASH_UNKNOWN_PRESET);
  CHECK(s == NULL && err_is(&err, USERHASH_UNKNOWN_PRESET) && strstr(MSG(err), "nope") != NULL);
  userhash_error_free(&err);
  CHECK(userhash_signer_new(SECRET, S("ens\xffras"), NULL, 0, NO_OPTIONS, &s, NULL) == USERHASH_INVALID_UTF8);
  CHECK(userhash_signer_new(SECRET, S("ensoras\0"), NULL, 0, NO_OPTIONS, &s, NULL) == USERHASH_UNKNOWN_PRESET);
  CHECK(userhash_signer_new(SECRET, S("Ensoras"), NULL, 0, NO_OPTIONS, &s, NULL) == USERHASH_UNKNOWN_PRESET);
  CHECK(userhash_signer_new(SECRET, S("visitor_json:lowercase"), NULL, 0, NO_OPTIONS, &s, NULL) ==
        USERHASH_UNKNOWN_PRESET);
  /* A scheme spec instead of a preset name. */
  CHECK(userhash_signer_new(SECRET, S("email:trim_lowercase"), NULL, 0, NO_OPTIONS, &s, NULL) == USERHASH_OK);
  char hex[65];
  CHECK(userhash_sign_field(s, S("email"), S(" Alice@Example.COM "), false, hex, NULL) == USERHASH_OK);
  CHECK(strcmp(hex, SUPPORTWIRE_ALICE) == 0);
  userhash_signer_free(s);
  /* The secret never appears in a message. */
  CHECK(userhash_signer_new(SECRET, S("bogus"), NULL, 0, NO_OPTIONS, &s, &err) == USERHASH_UNKNOWN_PRESET);
  CHECK(err.message.ptr != NULL && strstr(MSG(err), "s3cr3t") == NULL);
  userhash_error_free(&err);
}

/* Signer options (options_json), passed through to the core: an unknown option is
 * invalid_input naming it; secret_encoding turns the secret's text into key bytes. */
static void test_signer_options(void) {
  userhash_signer_t *s = (userhash_signer_t *)&passed;
  userhash_error_t err;
  char hex[65];
  CHECK(userhash_signer_new(SECRET, S("ensoras"), NULL, 0, S("{}"), &s, &err) == USERHASH_OK);
  CHECK(s != NULL && err_clear(&err));
  CHECK(userhash_sign_field(s, S("email"), S("Alice@Example.COM"), false, hex, NULL) == USERHASH_OK);
  CHECK(strcmp(hex, ENSORAS_ALICE) == 0);
  userhash_signer_free(s);
  CHECK(userhash_signer_new(SECRET, S("ensoras"), NULL, 0, S(" { } "), &s, NULL) == USERHASH_OK);
  userhash_signer_free(s);
  s = (userhash_signer_t *)&passed;
  CHECK(userhash_signer_new(SECRET, S("ensoras"), NULL, 0, S("{\"colour\":\"red\"}"), &s, &err) ==
        USERHASH_INVALID_INPUT);
  CHECK(s == NULL && err_is(&err, USERHASH_INVALID_INPUT) && strstr(MSG(err), "colour") != NULL);
  userhash_error_free(&err);
  CHECK(userhash_signer_new(SECRET, S("ensoras"), NULL, 0, S("[]"), &s, &err) == USERHASH_INVALID_INPUT);
  CHECK(s == NULL && err_is(&err, USERHASH_INVALID_INPUT));
  userhash_error_free(&err);
  CHECK(userhash_signer_new(SECRET, S("ensoras"), NULL, 0, S("\"x\""), &s, NULL) == USERHASH_INVALID_INPUT);
  CHECK(userhash_signer_new(SECRET, S("ensoras"), NULL, 0, S("{\"colour\":"), &s, &err) == USERHASH_INVALID_JSON);
  CHECK(s == NULL && err_is(&err, USERHASH_INVALID_JSON));
  userhash_error_free(&err);
  CHECK(userhash_signer_new(SECRET, S("ensoras"), NULL, 0, S("{\"\xff\":1}"), &s, NULL) == USERHASH_INVALID_UTF8);
  CHECK(userhash_signer_new(SECRET, S("ensoras"), NULL, 0, NULL, 2, &s, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(s == NULL);
  /* secret_encoding: "s3cr3t" as hex (73 33 63 72 33 74) and as base64 (czNjcjN0) signs as "s3cr3t". */
  CHECK(userhash_signer_new(S("733363723374"), S("ensoras"), NULL, 0, S("{\"secret_encoding\":\"hex\"}"), &s, &err) ==
        USERHASH_OK);
  CHECK(err_clear(&err) && userhash_sign_field(s, S("email"), S("Alice@Example.COM"), false, hex, NULL) == USERHASH_OK);
  CHECK(strcmp(hex, ENSORAS_ALICE) == 0);
  userhash_signer_free(s);
  CHECK(userhash_signer_new(S("czNjcjN0"), S("ensoras"), NULL, 0, S("{\"secret_encoding\":\"base64\"}"), &s, NULL) ==
        USERHASH_OK);
  CHECK(userhash_sign_field(s, S("email"), S("Alice@Example.COM"), false, hex, NULL) == USERHASH_OK);
  CHECK(strcmp(hex, ENSORAS_ALICE) == 0);
  userhash_signer_free(s);
  CHECK(userhash_signer_new(SECRET, S("ensoras"), NULL, 0, S("{\"secret_encoding\":\"raw\"}"), &s, NULL) == USERHASH_OK);
  CHECK(userhash_sign_field(s, S("email"), S("Alice@Example.COM"), false, hex, NULL) == USERHASH_OK);
  CHECK(strcmp(hex, ENSORAS_ALICE) == 0);
  userhash_signer_free(s);
  CHECK(userhash_signer_new(SECRET, S("ensoras"), NULL, 0, S("{\"secret_encoding\":\"rot13\"}"), &s, &err) ==
        USERHASH_INVALID_INPUT);
  CHECK(s == NULL && err_is(&err, USERHASH_INVALID_INPUT) && strstr(MSG(err), "rot13") != NULL);
  userhash_error_free(&err);
  CHECK(userhash_signer_new(SECRET, S("ensoras"), NULL, 0, S("{\"secret_encoding\":\"hex\"}"), &s, &err) ==
        USERHASH_INVALID_SECRET); /* "s3cr3t" is not hex */
  CHECK(s == NULL && err_is(&err, USERHASH_INVALID_SECRET) && strstr(MSG(err), "s3cr3t") == NULL);
  userhash_error_free(&err);
  /* The secret never shows in an options error either. */
  CHECK(userhash_signer_new(SECRET, S("ensoras"), NULL, 0, S("{\"s3cr3t\":1,\"x\":2}"), &s, &err) ==
        USERHASH_INVALID_INPUT);
  userhash_error_free(&err);
}

/* userhash_signer_from_env: the secret (and previous secrets) from environment variables. */
static void test_from_env(void) {
  static const char VAR[] = "USERHASH_C_TEST_SECRET", OLD[] = "USERHASH_C_TEST_SECRET_OLD",
                    UNSET[] = "USERHASH_C_TEST_UNSET_VAR", EMPTY[] = "USERHASH_C_TEST_EMPTY_VAR";
  setenv(VAR, "s3cr3t", 1);
  setenv(OLD, "old", 1);
  setenv(EMPTY, "", 1);
  unsetenv(UNSET);
  userhash_signer_t *s = NULL;
  userhash_error_t err = ERR_GARBAGE;
  char hex[65];
  CHECK(userhash_signer_from_env(S(VAR), S("ensoras"), NULL, 0, NO_OPTIONS, &s, &err) == USERHASH_OK);
  CHECK(s != NULL && err_clear(&err) && userhash_signer_previous_count(s) == 0);
  CHECK(userhash_sign_field(s, S("email"), S("Alice@Example.COM"), false, hex, NULL) == USERHASH_OK);
  CHECK(strcmp(hex, ENSORAS_ALICE) == 0);
  userhash_signer_free(s);

  /* Previous secrets from other variables: the old hash verifies, signing uses the current one. */
  userhash_slice_t prev[1] = {{S(OLD)}};
  CHECK(userhash_signer_from_env(S(VAR), S("layerup"), prev, 1, NO_OPTIONS, &s, NULL) == USERHASH_OK);
  CHECK(userhash_signer_previous_count(s) == 1);
  bool match = false;
  CHECK(verify(s, (const uint8_t *)LAYERUP_OLD_ABC, 64, S("{\"email\":\"a@b.c\"}"), &match, NULL) ==
            USERHASH_OK &&
        match);
  CHECK(userhash_sign_field(s, S("email"), S("Alice@Example.COM"), false, hex, NULL) == USERHASH_OK);
  CHECK(strcmp(hex, LAYERUP_ALICE) == 0);
  userhash_signer_free(s);

  /* Unset and empty variables: empty_secret naming the variable, never a value. */
  s = (userhash_signer_t *)&passed;
  CHECK(userhash_signer_from_env(S(UNSET), S("ensoras"), NULL, 0, NO_OPTIONS, &s, &err) == USERHASH_EMPTY_SECRET);
  CHECK(s == NULL && err_is(&err, USERHASH_EMPTY_SECRET) && strstr(MSG(err), UNSET) != NULL);
  userhash_error_free(&err);
  CHECK(userhash_signer_from_env(S(EMPTY), S("ensoras"), NULL, 0, NO_OPTIONS, &s, &err) == USERHASH_EMPTY_SECRET);
  CHECK(s == NULL && err_is(&err, USERHASH_EMPTY_SECRET) && strstr(MSG(err), EMPTY) != NULL);
  userhash_error_free(&err);
  static const char marker[] = "MARKER-env-5e1f";
  setenv(VAR, marker, 1);
  userhash_slice_t missing[2] = {{S(OLD)}, {S(UNSET)}};
  CHECK(userhash_signer_from_env(S(VAR), S("ensoras"), missing, 2, NO_OPTIONS, &s, &err) == USERHASH_EMPTY_SECRET);
  CHECK(s == NULL && err_is(&err, USERHASH_EMPTY_SECRET) && strstr(MSG(err), UNSET) != NULL);
  CHECK(strstr(MSG(err), marker) == NULL && strstr(MSG(err), "old") == NULL && strstr(PATH(err), "MARKER") == NULL);
  userhash_error_free(&err);
  /* The other errors, as for userhash_signer_new. */
  CHECK(userhash_signer_from_env(S(VAR), S("nope"), NULL, 0, NO_OPTIONS, &s, &err) == USERHASH_UNKNOWN_PRESET);
  CHECK(s == NULL && strstr(MSG(err), marker) == NULL);
  userhash_error_free(&err);
  CHECK(userhash_signer_from_env(S(VAR), S("ensoras"), NULL, 0, S("{\"colour\":1}"), &s, &err) ==
        USERHASH_INVALID_INPUT);
  CHECK(s == NULL && strstr(MSG(err), "colour") != NULL && strstr(MSG(err), marker) == NULL);
  userhash_error_free(&err);
  CHECK(userhash_signer_from_env(S("USERHASH_\xff"), S("ensoras"), NULL, 0, NO_OPTIONS, &s, NULL) ==
        USERHASH_INVALID_UTF8);
  CHECK(userhash_signer_from_env(S(VAR), S("ensoras"), (userhash_slice_t[]){{S("\xfe")}}, 1, NO_OPTIONS, &s, NULL) ==
        USERHASH_INVALID_UTF8);
  CHECK(userhash_signer_from_env(NULL, 3, S("ensoras"), NULL, 0, NO_OPTIONS, &s, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_signer_from_env(S(VAR), S("ensoras"), NULL, 1, NO_OPTIONS, &s, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_signer_from_env(S(VAR), S("ensoras"), NULL, 0, NO_OPTIONS, NULL, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_signer_from_env(NULL, 0, S("ensoras"), NULL, 0, NO_OPTIONS, &s, NULL) == USERHASH_EMPTY_SECRET);
  CHECK(s == NULL);
  /* Names no environment can hold: unset, never a panic. */
  static const char nul_name[] = {'U', 'H', 0, 'X'};
  CHECK(userhash_signer_from_env((const uint8_t *)nul_name, sizeof nul_name, S("ensoras"), NULL, 0, NO_OPTIONS, &s,
                                 NULL) == USERHASH_EMPTY_SECRET);
  CHECK(userhash_signer_from_env(S("A=B"), S("ensoras"), NULL, 0, NO_OPTIONS, &s, NULL) == USERHASH_EMPTY_SECRET);
  unsetenv(VAR);
  unsetenv(OLD);
  unsetenv(EMPTY);
}

/* `text` with every '~' replaced by userhash_refusal_mark(), into `out` (a marked JSON text). */
static const char *marked(const char *text, char *out, size_t cap) {
  const char *mark = userhash_refusal_mark();
  size_t at = 0;
  for (const char *c = text; *c && at + strlen(mark) + 1 < cap; c++) {
    if (*c == '~') {
      memcpy(out + at, mark, strlen(mark));
      at += strlen(mark);
    } else {
      out[at++] = *c;
    }
  }
  out[at] = 0;
  return out;
}

/* Marked JSON text: a host writes userhash_refusal_mark() + "kind:type" where a value it
 * cannot convert was and starts the text with '!'; the core reports the refusal with its
 * own code, message, path and batch item. */
static void test_marked_json(void) {
  const char *mark = userhash_refusal_mark();
  CHECK(mark != NULL && mark == userhash_refusal_mark() && strstr(mark, "userhash") != NULL);
  userhash_signer_t *fb = make("fluentbot");
  userhash_error_t err = ERR_GARBAGE;
  char text[512], hex[65];
  /* The whole input, with the path of the marker. */
  marked("!{\"visitor\":{\"name\":\"Ann\",\"data\":{\"when\":\"~datetime:DateTimeImmutable\"}}}", text, sizeof text);
  CHECK(userhash_sign(fb, (const uint8_t *)text, strlen(text), hex, &err) == USERHASH_INVALID_INPUT);
  CHECK(err_is(&err, USERHASH_INVALID_INPUT) && path_is(&err, "visitor.data.when") && err.item == -1);
  CHECK(starts_with(&err, "visitor.data.when: DateTimeImmutable ") && strstr(MSG(err), "ISO 8601") != NULL);
  userhash_error_free(&err);
  /* One field's value (is_json), through userhash_sign_field and userhash_call. */
  marked("!{\"name\":\"Ann\",\"data\":{\"tags\":[1,\"~set:frozenset\"]}}", text, sizeof text);
  CHECK(userhash_sign_field(fb, S("visitor"), (const uint8_t *)text, strlen(text), true, hex, &err) ==
        USERHASH_INVALID_INPUT);
  CHECK(path_is(&err, "visitor.data.tags[1]") && strstr(MSG(err), "frozenset") != NULL);
  userhash_error_free(&err);
  /* Without the '!', a string that starts with the mark is just a string. */
  userhash_signer_t *inv = make("inviaro");
  char id[64], want[65];
  marked("~set:X", id, sizeof id);
  hmac_hex((const uint8_t *)"s3cr3t", 6, (const uint8_t *)id, strlen(id), want);
  snprintf(text, sizeof text, "\"%s\"", id);
  CHECK(userhash_sign_field(inv, S("user_id"), (const uint8_t *)text, strlen(text), true, hex, NULL) == USERHASH_OK);
  CHECK(strcmp(hex, want) == 0);
  /* Every kind with its code; an unknown kind is invalid_input. */
  static const struct {
    const char *kind;
    userhash_status_t st;
  } kinds[] = {{"datetime", USERHASH_INVALID_INPUT},       {"decimal", USERHASH_INVALID_INPUT},
               {"big_number", USERHASH_INVALID_INPUT},     {"bytes", USERHASH_INVALID_INPUT},
               {"set", USERHASH_INVALID_INPUT},            {"enum", USERHASH_INVALID_INPUT},
               {"json_hook", USERHASH_INVALID_INPUT},      {"object", USERHASH_INVALID_INPUT},
               {"non_string_key", USERHASH_INVALID_INPUT}, {"invalid_utf8", USERHASH_INVALID_UTF8},
               {"lone_surrogate", USERHASH_INVALID_INPUT}, {"too_deep", USERHASH_TOO_DEEP},
               {"cycle", USERHASH_TOO_DEEP},               {"nope", USERHASH_INVALID_INPUT}};
  for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
    char input[256];
    snprintf(input, sizeof input, "!{\"visitor\":{\"data\":{\"v\":[0,0,0,\"~%s:HostType\"]}}}", kinds[i].kind);
    marked(input, text, sizeof text);
    userhash_status_t st = userhash_sign(fb, (const uint8_t *)text, strlen(text), hex, &err);
    CHECK(st == kinds[i].st && err_is(&err, st) && path_is(&err, "visitor.data.v[3]") && err.item == -1);
    if (st != kinds[i].st) fprintf(stderr, "  kind %s: %s\n", kinds[i].kind, userhash_status_code(st));
    userhash_error_free(&err);
  }
  /* A batch: the core numbers the item, from the caller's offset. */
  marked("!\"~bytes:[]byte\"", text, sizeof text);
  userhash_slice_t ids[3] = {{(const uint8_t *)"1", 1}, {(const uint8_t *)"2", 1}, {(const uint8_t *)text, strlen(text)}};
  char out[3 * 64];
  CHECK(sign_many(inv, S("user_id"), ids, 3, true, 10, out, &err) == USERHASH_INVALID_INPUT);
  CHECK(err.item == 12 && path_is(&err, "user_id") && starts_with(&err, "item 12: user_id: []byte "));
  userhash_error_free(&err);
  /* Options and call arguments: the path names them. */
  userhash_signer_t *s = NULL;
  marked("!{\"secret_encoding\":\"~enum:Encoding\"}", text, sizeof text);
  CHECK(userhash_signer_new(SECRET, S("ensoras"), NULL, 0, (const uint8_t *)text, strlen(text), &s, &err) ==
        USERHASH_INVALID_INPUT);
  CHECK(s == NULL && strstr(MSG(err), "Encoding") != NULL);
  userhash_error_free(&err);
  userhash_bytes_t res = {NULL, 0};
  marked("!{\"widget\":\"acme\",\"nonce\":\"~object:Nonce\"}", text, sizeof text);
  CHECK(call(fb, "embed", S("{\"visitor\":{\"name\":\"Ann\"}}"), text, &res, &err) == USERHASH_INVALID_INPUT);
  CHECK(strstr(MSG(err), "Nonce") != NULL && strstr(MSG(err), "nonce") != NULL);
  userhash_error_free(&err);
  userhash_signer_free(fb);
  userhash_signer_free(inv);
}

static void test_previous_secrets(void) {
  userhash_slice_t prev[2] = {{(const uint8_t *)"older", 5}, {(const uint8_t *)"old", 3}};
  userhash_signer_t *s = NULL;
  CHECK(userhash_signer_new(S("new"), S("layerup"), prev, 2, NO_OPTIONS, &s, NULL) == USERHASH_OK);
  bool match = false;
  CHECK(verify(s, (const uint8_t *)LAYERUP_OLD_ABC, 64, S("{\"email\":\"a@b.c\"}"), &match, NULL) == USERHASH_OK);
  CHECK(match);
  /* Signing uses the current secret, so it differs from the old hash. */
  char hex[65];
  CHECK(userhash_sign_field(s, S("email"), S("a@b.c"), false, hex, NULL) == USERHASH_OK);
  CHECK(strcmp(hex, LAYERUP_OLD_ABC) != 0);
  match = false;
  CHECK(verify(s, (const uint8_t *)hex, 64, S("{\"email\":\"a@b.c\"}"), &match, NULL) == USERHASH_OK);
  CHECK(match);
  userhash_signer_free(s);

  /* Without the previous secret, the old hash no longer verifies. */
  CHECK(userhash_signer_new(S("new"), S("layerup"), NULL, 0, NO_OPTIONS, &s, NULL) == USERHASH_OK);
  CHECK(verify(s, (const uint8_t *)LAYERUP_OLD_ABC, 64, S("{\"email\":\"a@b.c\"}"), &match, NULL) == USERHASH_OK);
  CHECK(!match);
  userhash_signer_free(s);

  /* An empty previous secret, a NULL previous array with a length, a NULL entry with a length. */
  userhash_error_t err;
  userhash_slice_t bad[1] = {{(const uint8_t *)"", 0}};
  CHECK(userhash_signer_new(S("new"), S("layerup"), bad, 1, NO_OPTIONS, &s, &err) == USERHASH_EMPTY_SECRET);
  CHECK(s == NULL && err_is(&err, USERHASH_EMPTY_SECRET) && strstr(MSG(err), "previous") != NULL);
  userhash_error_free(&err);
  CHECK(userhash_signer_new(S("new"), S("layerup"), NULL, 1, NO_OPTIONS, &s, NULL) == USERHASH_NULL_ARGUMENT);
  userhash_slice_t null_entry[1] = {{NULL, 3}};
  CHECK(userhash_signer_new(S("new"), S("layerup"), null_entry, 1, NO_OPTIONS, &s, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(s == NULL);
}

/* The verify operation (userhash_call "verify", {"hash": …}): true or false, never an error for a bad hash. */
static void test_verify(void) {
  userhash_signer_t *s = make("ensoras");
  bool match = false;
  userhash_error_t err = ERR_GARBAGE;
  CHECK(verify(s, (const uint8_t *)ENSORAS_ALICE, 64, S("{\"email\":\"ALICE@example.com\"}"), &match, &err) ==
        USERHASH_OK);
  CHECK(match && err_clear(&err));
  /* One character changed, wrong length, upper case, not hex, empty: false, never an error. */
  char bad[65];
  memcpy(bad, ENSORAS_ALICE, 65);
  bad[0] = bad[0] == 'a' ? 'b' : 'a';
  CHECK(verify(s, (const uint8_t *)bad, 64, S("{\"email\":\"alice@example.com\"}"), &match, NULL) == USERHASH_OK);
  CHECK(!match);
  match = true;
  CHECK(verify(s, (const uint8_t *)ENSORAS_ALICE, 63, S("{\"email\":\"alice@example.com\"}"), &match, NULL) ==
        USERHASH_OK);
  CHECK(!match);
  memcpy(bad, ENSORAS_ALICE, 65);
  for (int i = 0; i < 64; i++)
    if (bad[i] >= 'a' && bad[i] <= 'f') bad[i] = (char)(bad[i] - 'a' + 'A');
  CHECK(verify(s, (const uint8_t *)bad, 64, S("{\"email\":\"alice@example.com\"}"), &match, NULL) == USERHASH_OK);
  CHECK(!match);
  memcpy(bad, ENSORAS_ALICE, 65);
  bad[10] = 'g';
  CHECK(verify(s, (const uint8_t *)bad, 64, S("{\"email\":\"alice@example.com\"}"), &match, NULL) == USERHASH_OK);
  CHECK(!match);
  CHECK(verify(s, NULL, 0, S("{\"email\":\"alice@example.com\"}"), &match, NULL) == USERHASH_OK);
  CHECK(!match);
  /* Input errors are errors (no result). */
  CHECK(verify(s, (const uint8_t *)ENSORAS_ALICE, 64, S("{\"email\":\"\"}"), &match, &err) == USERHASH_EMPTY_IDENTITY);
  CHECK(!match && err_is(&err, USERHASH_EMPTY_IDENTITY));
  userhash_error_free(&err);
  CHECK(verify(s, (const uint8_t *)ENSORAS_ALICE, 64, S("{"), &match, NULL) == USERHASH_INVALID_JSON);
  CHECK(verify(s, (const uint8_t *)ENSORAS_ALICE, 64, S("{\"email\":\"\xc3\"}"), &match, NULL) ==
        USERHASH_INVALID_UTF8);
  /* The hash must be a string. */
  userhash_bytes_t out = {(uint8_t *)1, 1};
  CHECK(call(s, "verify", S("{\"email\":\"a@b.c\"}"), "{\"hash\":1}", &out, &err) == USERHASH_INVALID_INPUT);
  CHECK(out.ptr == NULL && err_is(&err, USERHASH_INVALID_INPUT) && strstr(MSG(err), "hash") != NULL);
  userhash_error_free(&err);
  userhash_signer_free(s);
}

/* The canonical operation: the exact bytes the vendor hashes, as a JSON string. */
static void test_canonical(void) {
  userhash_signer_t *s = make("fluentbot");
  /* JSON.stringify of the payload, array-index keys first (the Node oracle's output). */
  CHECK(canonical_is(s, S("{\"visitor\":{\"email\":\"x\",\"data\":{\"b\":1,\"10\":2.0,\"2\":\"</script>\"}}}"),
                     "\"{\\\"email\\\":\\\"x\\\",\\\"data\\\":{\\\"2\\\":\\\"</script>\\\",\\\"10\\\":2,\\\"b\\\":1}}\""));
  userhash_bytes_t out = {(uint8_t *)1, 1};
  userhash_error_t err = ERR_GARBAGE;
  CHECK(call(s, "canonical", S("{\"visitor\":{}}"), NULL, &out, &err) == USERHASH_EMPTY_IDENTITY);
  CHECK(out.ptr == NULL && out.len == 0 && err_is(&err, USERHASH_EMPTY_IDENTITY));
  userhash_error_free(&err);
  userhash_signer_free(s);

  s = make("supportwire");
  CHECK(canonical_is(s, S("{\"external_id\":\" \\u00a0ID-7\\ufeff\"}"), "\"id-7\""));
  userhash_signer_free(s);
}

/* userhash_call itself: the operation list, the sign operation, unknown operations, bad arguments. */
static void test_call(void) {
  static const char *ops[] = {"sign", "canonical", "verify", "embed"};
  size_t n = 0;
  bool found[4] = {false};
  while (userhash_operation_name(n) != NULL && n < 100) {
    for (int k = 0; k < 4; k++) found[k] |= strcmp(userhash_operation_name(n), ops[k]) == 0;
    n++;
  }
  CHECK(n >= 4 && n < 100 && found[0] && found[1] && found[2] && found[3]);
  CHECK(userhash_operation_name(n) == NULL && userhash_operation_name(SIZE_MAX) == NULL);
  userhash_signer_t *s = make("ensoras");
  userhash_bytes_t out = {(uint8_t *)1, 1};
  userhash_error_t err = ERR_GARBAGE;
  CHECK(call(s, "sign", S("{\"email\":\"Alice@Example.COM\"}"), NULL, &out, &err) == USERHASH_OK && err_clear(&err));
  CHECK(out.len == 66 && out.ptr[0] == '"' && memcmp(out.ptr + 1, ENSORAS_ALICE, 64) == 0 && out.ptr[65] == '"');
  userhash_bytes_free(out);
  CHECK(call(s, "sign", S("{\"email\":\"Alice@Example.COM\"}"), "{}", &out, NULL) == USERHASH_OK);
  userhash_bytes_free(out);
  CHECK(call(s, "nope", S("{\"email\":\"a@b.c\"}"), NULL, &out, &err) == USERHASH_INVALID_INPUT);
  CHECK(out.ptr == NULL && err_is(&err, USERHASH_INVALID_INPUT) && strstr(MSG(err), "nope") != NULL);
  userhash_error_free(&err);
  CHECK(call(s, "sign", S("{\"email\":\"a@b.c\"}"), "{\"hash\":", &out, NULL) == USERHASH_INVALID_JSON);
  CHECK(call(s, "sign", S(""), NULL, &out, &err) != USERHASH_OK); /* no identity: the core's error */
  CHECK(err_is(&err, err.status));
  userhash_error_free(&err);
  CHECK(userhash_call(s, S("sig\xff"), S("{\"email\":\"a@b.c\"}"), NULL, 0, &out, NULL) == USERHASH_INVALID_UTF8);
  CHECK(userhash_call(NULL, S("sign"), S("{\"email\":\"a@b.c\"}"), NULL, 0, &out, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_call(s, S("sign"), S("{\"email\":\"a@b.c\"}"), NULL, 0, NULL, &err) == USERHASH_NULL_ARGUMENT);
  CHECK(err_is(&err, USERHASH_NULL_ARGUMENT));
  userhash_error_free(&err);
  CHECK(userhash_call(s, NULL, 4, S("{\"email\":\"a@b.c\"}"), NULL, 0, &out, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_call(s, S("sign"), NULL, 3, NULL, 0, &out, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_call(s, S("sign"), S("{\"email\":\"a@b.c\"}"), NULL, 2, &out, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(out.ptr == NULL && out.len == 0);
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

  /* Paths: a field of the wrong type is located, and the message is `path: message`. */
  userhash_error_t err;
  CHECK(userhash_sign(s, S("{\"visitor\":[1]}"), hex, &err) == USERHASH_INVALID_INPUT);
  CHECK(err_is(&err, USERHASH_INVALID_INPUT) && path_is(&err, "visitor") && starts_with(&err, "visitor: ") &&
        err.item == -1);
  userhash_error_free(&err);
  userhash_signer_free(s);
  s = make("layerup");
  CHECK(userhash_sign(s, S("{\"email\":1}"), hex, &err) == USERHASH_INVALID_INPUT);
  CHECK(err_is(&err, USERHASH_INVALID_INPUT) && path_is(&err, "email") && starts_with(&err, "email: "));
  userhash_error_free(&err);
  /* Errors of the whole input have no path. */
  CHECK(userhash_sign(s, S("{\"email\":\"\"}"), hex, &err) == USERHASH_EMPTY_IDENTITY);
  CHECK(err_is(&err, USERHASH_EMPTY_IDENTITY) && path_is(&err, NULL) && starts_with(&err, "email is empty"));
  userhash_error_free(&err);
  userhash_signer_free(s);

  /* empty_secret and unknown_preset come from userhash_signer_new (tested above). */
}

static void test_null_arguments(void) {
  userhash_signer_t *s = make("ensoras");
  char hex[65];
  userhash_error_t err;
  CHECK(userhash_signer_new(SECRET, S("ensoras"), NULL, 0, NO_OPTIONS, NULL, &err) == USERHASH_NULL_ARGUMENT);
  CHECK(err_is(&err, USERHASH_NULL_ARGUMENT) && strstr(MSG(err), "out") != NULL);
  userhash_error_free(&err);
  userhash_signer_t *none = (userhash_signer_t *)&passed;
  CHECK(userhash_signer_new(NULL, 6, S("ensoras"), NULL, 0, NO_OPTIONS, &none, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(none == NULL);
  CHECK(userhash_signer_new(SECRET, NULL, 7, NULL, 0, NO_OPTIONS, &none, NULL) == USERHASH_NULL_ARGUMENT);

  CHECK(userhash_sign(NULL, S("{\"email\":\"a\"}"), hex, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_sign(s, S("{\"email\":\"a\"}"), NULL, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_sign(s, NULL, 5, hex, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_sign_field(NULL, S("email"), S("a"), false, hex, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_sign_field(s, S("email"), S("a"), false, NULL, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_sign_field(s, S("email"), NULL, 1, false, hex, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_sign_field(s, NULL, 1, S("a"), false, hex, NULL) == USERHASH_NULL_ARGUMENT);
  /* Freeing NULL / {NULL,0} / a zeroed error is a no-op; freeing an error twice is harmless. */
  userhash_signer_free(NULL);
  userhash_bytes_free((userhash_bytes_t){NULL, 0});
  userhash_error_free(NULL);
  userhash_error_t zero = {0, {NULL, 0}, {NULL, 0}, -1};
  userhash_error_free(&zero);
  CHECK(err_clear(&zero));
  CHECK(userhash_sign(s, S("{\"email\":1}"), hex, &err) == USERHASH_INVALID_INPUT);
  userhash_error_free(&err);
  CHECK(err_clear(&err));
  userhash_error_free(&err);
  CHECK(err_clear(&err));
  userhash_signer_free(s);
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
    if (userhash_sign_field(j->s, S("email"), S("Alice@Example.COM"), false, hex, NULL) != USERHASH_OK ||
        strcmp(hex, ENSORAS_ALICE) != 0)
      j->ok = 0;
    userhash_error_t err; /* uninitialized: the library writes it on entry */
    if (userhash_sign(j->s, S("{\"email\":\"\"}"), hex, &err) != USERHASH_EMPTY_IDENTITY ||
        err.status != USERHASH_EMPTY_IDENTITY)
      j->ok = 0;
    userhash_error_free(&err);
  }
  /* A batch large enough to fan out to worker threads from this thread. */
  enum { N = 9000 };
  userhash_slice_t *values = malloc(N * sizeof *values);
  char *out = malloc((size_t)N * 64);
  for (int i = 0; i < N; i++) values[i] = (userhash_slice_t){(const uint8_t *)"Alice@Example.COM", 17};
  if (sign_many(j->s, S("email"), values, N, false, 0, out, NULL) != USERHASH_OK ||
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
  userhash_error_t err = ERR_GARBAGE;
  userhash_signer_t *s = make("inviaro");
  userhash_slice_t ids[3] = {{(const uint8_t *)"42", 2}, {(const uint8_t *)"usr_42", 6}, {(const uint8_t *)"42", 2}};
  char out[3 * 64 + 1];
  out[3 * 64] = '#';
  CHECK(sign_many(s, BATCH_FIELD, ids, 3, false, 0, out, &err) == USERHASH_OK);
  CHECK(err_clear(&err) && out[3 * 64] == '#'); /* exactly n * 64 bytes written */
  CHECK(memcmp(out, INVIARO_42, 64) == 0 && memcmp(out + 64, INVIARO_USR42, 64) == 0 &&
        memcmp(out + 128, INVIARO_42, 64) == 0);
  memset(out, 0, sizeof out);
  CHECK(sign_many(s, S("user_id"), ids, 3, false, 77, out, NULL) == USERHASH_OK);
  CHECK(memcmp(out + 64, INVIARO_USR42, 64) == 0);
  memset(out, 0, sizeof out);
  CHECK(sign_many(s, S("userId"), ids, 3, false, 0, out, NULL) == USERHASH_OK);
  CHECK(memcmp(out + 64, INVIARO_USR42, 64) == 0);
  /* is_json: each value is JSON text (an integer, a string). */
  userhash_slice_t json_ids[2] = {{S("42")}, {S("\"usr_42\"")}};
  memset(out, 0, sizeof out);
  CHECK(sign_many(s, BATCH_FIELD, json_ids, 2, true, 0, out, NULL) == USERHASH_OK);
  CHECK(memcmp(out, INVIARO_42, 64) == 0 && memcmp(out + 64, INVIARO_USR42, 64) == 0);
  /* The packed form: one buffer and the length of each item. */
  static const char packed[] = "42usr_4242";
  size_t lens[3] = {2, 6, 2};
  memset(out, 0, sizeof out);
  CHECK(userhash_sign_many_packed(s, BATCH_FIELD, S(packed), lens, 3, false, 0, out, &err) == USERHASH_OK);
  CHECK(memcmp(out, INVIARO_42, 64) == 0 && memcmp(out + 64, INVIARO_USR42, 64) == 0 &&
        memcmp(out + 128, INVIARO_42, 64) == 0 && err_clear(&err));
  memset(out, 0, sizeof out);
  CHECK(userhash_sign_many_packed(s, S("user_id"), S("42\"usr_42\""), (size_t[]){2, 8}, 2, true, 0, out, NULL) ==
        USERHASH_OK);
  CHECK(memcmp(out, INVIARO_42, 64) == 0 && memcmp(out + 64, INVIARO_USR42, 64) == 0);
  /* Empty batches; NULL is fine with n = 0. */
  CHECK(sign_many(s, BATCH_FIELD, NULL, 0, false, 0, NULL, &err) == USERHASH_OK);
  CHECK(userhash_sign_many_packed(s, BATCH_FIELD, NULL, 0, NULL, 0, false, 0, NULL, &err) == USERHASH_OK);
  CHECK(err_clear(&err));
  /* The first bad item fails the call, named by its index; the output is zero-filled. */
  userhash_slice_t bad[3] = {{(const uint8_t *)"1", 1}, {(const uint8_t *)"2", 1}, {NULL, 0}};
  memset(out, 'x', sizeof out);
  CHECK(sign_many(s, BATCH_FIELD, bad, 3, false, 0, out, &err) == USERHASH_EMPTY_IDENTITY);
  CHECK(err_is(&err, USERHASH_EMPTY_IDENTITY) && starts_with(&err, "item 2: ") && err.item == 2);
  userhash_error_free(&err);
  int zeroed = 1;
  for (int i = 0; i < 3 * 64; i++) zeroed &= out[i] == 0;
  CHECK(zeroed && out[3 * 64] == 'x');
  /* first_index: a caller feeding one batch in chunks gets the global index back. */
  CHECK(sign_many(s, BATCH_FIELD, bad, 3, false, 500, out, &err) == USERHASH_EMPTY_IDENTITY);
  CHECK(err_is(&err, USERHASH_EMPTY_IDENTITY) && starts_with(&err, "item 502: user_id is empty") && err.item == 502);
  CHECK(path_is(&err, NULL));
  userhash_error_free(&err);
  bad[1] = (userhash_slice_t){(const uint8_t *)"\xc3(", 2};
  bad[2] = (userhash_slice_t){(const uint8_t *)"3", 1};
  CHECK(sign_many(s, BATCH_FIELD, bad, 3, false, 0, out, &err) == USERHASH_INVALID_UTF8);
  CHECK(err_is(&err, USERHASH_INVALID_UTF8) && starts_with(&err, "item 1: user_id: ") && err.item == 1);
  CHECK(path_is(&err, "user_id"));
  userhash_error_free(&err);
  CHECK(userhash_sign_many_packed(s, BATCH_FIELD, S("1\xc3(3"), (size_t[]){1, 2, 1}, 3, false, 0, out, &err) ==
        USERHASH_INVALID_UTF8);
  CHECK(err_is(&err, USERHASH_INVALID_UTF8) && starts_with(&err, "item 1: ") && err.item == 1);
  userhash_error_free(&err);
  CHECK(userhash_sign_many_packed(s, BATCH_FIELD, S("1\xc3(3"), (size_t[]){1, 2, 1}, 3, false, 1000000, out, &err) ==
        USERHASH_INVALID_UTF8);
  CHECK(err_is(&err, USERHASH_INVALID_UTF8) && starts_with(&err, "item 1000001: ") && err.item == 1000001);
  userhash_error_free(&err);
  /* is_json items that are not JSON, or of the wrong type. */
  userhash_slice_t bad_json[3] = {{S("1")}, {S("1.5")}, {S("{")}};
  CHECK(sign_many(s, BATCH_FIELD, bad_json, 3, true, 10, out, &err) == USERHASH_INVALID_INPUT);
  CHECK(err_is(&err, USERHASH_INVALID_INPUT) && starts_with(&err, "item 11: user_id: ") && err.item == 11);
  userhash_error_free(&err);
  CHECK(sign_many(s, BATCH_FIELD, bad_json + 2, 1, true, 10, out, &err) == USERHASH_INVALID_JSON);
  CHECK(err_is(&err, USERHASH_INVALID_JSON) && starts_with(&err, "item 10: ") && err.item == 10);
  userhash_error_free(&err);
  /* The preset does not sign email; an unknown field; lengths that do not add up; NULLs. */
  CHECK(sign_many(s, S("email"), ids, 3, false, 0, out, &err) == USERHASH_INVALID_INPUT);
  CHECK(err_is(&err, USERHASH_INVALID_INPUT) && starts_with(&err, "item 0: ") && err.item == 0);
  userhash_error_free(&err);
  CHECK(sign_many(s, S("nope"), ids, 3, false, 0, out, &err) == USERHASH_INVALID_INPUT);
  CHECK(err_is(&err, USERHASH_INVALID_INPUT) && err.item == -1 && strstr(MSG(err), "nope") != NULL); /* not an item's */
  userhash_error_free(&err);
  CHECK(userhash_sign_many_packed(s, BATCH_FIELD, S(packed), (size_t[]){2, 6, 1}, 3, false, 0, out, NULL) ==
        USERHASH_INVALID_INPUT);
  CHECK(userhash_sign_many_packed(s, BATCH_FIELD, S(packed), (size_t[]){SIZE_MAX, 11, 1}, 3, false, 0, out, NULL) ==
        USERHASH_INVALID_INPUT);
  CHECK(userhash_sign_many_packed(s, BATCH_FIELD, S(packed), NULL, 0, false, 0, NULL, NULL) == USERHASH_INVALID_INPUT);
  CHECK(sign_many(s, BATCH_FIELD, ids, 3, false, 0, NULL, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(sign_many(NULL, BATCH_FIELD, ids, 3, false, 0, out, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(sign_many(s, NULL, 4, ids, 3, false, 0, out, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_sign_many_packed(s, BATCH_FIELD, S(packed), NULL, 3, false, 0, out, NULL) == USERHASH_NULL_ARGUMENT);
  CHECK(userhash_sign_many_packed(s, BATCH_FIELD, NULL, 10, lens, 3, false, 0, out, NULL) == USERHASH_NULL_ARGUMENT);
  userhash_signer_free(s);

  /* Email and visitor presets; supportwire has no batch field. */
  s = make("ensoras");
  userhash_slice_t emails[1] = {{(const uint8_t *)"Alice@Example.COM", 17}};
  CHECK(sign_many(s, BATCH_FIELD, emails, 1, false, 0, out, NULL) == USERHASH_OK);
  CHECK(memcmp(out, ENSORAS_ALICE, 64) == 0);
  userhash_signer_free(s);
  s = make("supportwire");
  CHECK(sign_many(s, BATCH_FIELD, emails, 1, false, 0, out, &err) == USERHASH_INVALID_INPUT);
  CHECK(err_is(&err, USERHASH_INVALID_INPUT) && strstr(MSG(err), "supportwire") != NULL && err.item == -1);
  userhash_error_free(&err);
  emails[0] = (userhash_slice_t){(const uint8_t *)" Alice@Example.COM ", 19};
  CHECK(sign_many(s, S("external_id"), emails, 1, false, 0, out, NULL) == USERHASH_OK);
  CHECK(memcmp(out, SUPPORTWIRE_ALICE, 64) == 0);
  CHECK(sign_many(s, S("email"), emails, 1, false, 0, out, NULL) == USERHASH_OK);
  CHECK(memcmp(out, SUPPORTWIRE_ALICE, 64) == 0);
  CHECK(userhash_sign_field(s, BATCH_FIELD, S("a@b.c"), false, out, NULL) == USERHASH_INVALID_INPUT);
  userhash_signer_free(s);
  s = make("fluentbot");
  static const char visitor[] = "{\"name\":\"Alice\",\"email\":\"Alice@Example.COM\",\"data\":{\"plan\":\"pro\"}}";
  userhash_slice_t visitors[3] = {{S(visitor)}, {S("{\"email\":\"x\"")}, {S("[1]")}};
  CHECK(sign_many(s, BATCH_FIELD, visitors, 1, true, 0, out, NULL) == USERHASH_OK);
  CHECK(memcmp(out, FLUENTBOT_ALICE, 64) == 0);
  CHECK(userhash_sign_field(s, S("visitor"), S(visitor), true, out, NULL) == USERHASH_OK);
  CHECK(strcmp(out, FLUENTBOT_ALICE) == 0);
  CHECK(userhash_sign_field(s, BATCH_FIELD, S(visitor), true, out, NULL) == USERHASH_OK);
  CHECK(strcmp(out, FLUENTBOT_ALICE) == 0);
  /* Without is_json the visitor is a string, not an object. */
  CHECK(userhash_sign_field(s, S("visitor"), S(visitor), false, out, &err) == USERHASH_INVALID_INPUT);
  CHECK(err_is(&err, USERHASH_INVALID_INPUT) && path_is(&err, "visitor"));
  userhash_error_free(&err);
  CHECK(sign_many(s, S("visitor"), visitors, 2, true, 0, out, &err) == USERHASH_INVALID_JSON);
  CHECK(err_is(&err, USERHASH_INVALID_JSON) && starts_with(&err, "item 1: ") && err.item == 1);
  userhash_error_free(&err);
  /* A visitor item's error: its index (from first_index) and its path, both in the message. */
  userhash_slice_t later[2] = {visitors[0], visitors[2]};
  CHECK(sign_many(s, BATCH_FIELD, later, 2, true, 4096, out, &err) == USERHASH_INVALID_INPUT);
  CHECK(err_is(&err, USERHASH_INVALID_INPUT) && err.item == 4097 && path_is(&err, "visitor"));
  CHECK(starts_with(&err, "item 4097: visitor: "));
  userhash_error_free(&err);
  CHECK(userhash_sign_many_packed(s, BATCH_FIELD, S("{\"name\":\"A\"}[1]"), (size_t[]){12, 3}, 2, true, 4096, out,
                                  &err) == USERHASH_INVALID_INPUT);
  CHECK(err_is(&err, USERHASH_INVALID_INPUT) && err.item == 4097 && path_is(&err, "visitor"));
  userhash_error_free(&err);
  /* The visitor object is level 1: data nests 127 levels at most. */
  char deep[400];
  for (int levels = 127; levels <= 128; levels++) {
    int len = snprintf(deep, sizeof deep, "{\"email\":\"x\",\"data\":");
    for (int i = 0; i < levels; i++) deep[len++] = '[';
    for (int i = 0; i < levels; i++) deep[len++] = ']';
    deep[len++] = '}';
    CHECK(userhash_sign_field(s, S("visitor"), (const uint8_t *)deep, (size_t)len, true, out, NULL) ==
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
  CHECK(userhash_sign_many_packed(s, S("user_id"), (const uint8_t *)data, at, lens, N, false, 0, out, NULL) ==
        USERHASH_OK);
  int same = 1;
  char hex[65], ref[65];
  size_t off = 0;
  for (int i = 0; i < N; i++) {
    if (i % 97 == 0 || i == N - 1) {
      userhash_sign_field(s, S("user_id"), (const uint8_t *)data + off, lens[i], false, hex, NULL);
      same &= memcmp(out + (size_t)i * 64, hex, 64) == 0;
      hmac_hex(SECRET, (const uint8_t *)data + off, lens[i], ref);
      same &= memcmp(out + (size_t)i * 64, ref, 64) == 0;
    }
    off += lens[i];
  }
  CHECK(same);
  CHECK(memcmp(out + 42 * 64, INVIARO_42, 64) == 0);
  /* The same ids as JSON numbers. */
  CHECK(userhash_sign_many_packed(s, S("user_id"), (const uint8_t *)data, at, lens, N, true, 0, out, NULL) ==
        USERHASH_OK);
  CHECK(memcmp(out + 42 * 64, INVIARO_42, 64) == 0);
  /* Item 66000 (in the second chunk) is empty: its bytes move to item 66001. */
  lens[66001] += lens[66000];
  lens[66000] = 0;
  userhash_error_t err;
  CHECK(userhash_sign_many_packed(s, S("user_id"), (const uint8_t *)data, at, lens, N, false, 0, out, &err) ==
        USERHASH_EMPTY_IDENTITY);
  CHECK(err_is(&err, USERHASH_EMPTY_IDENTITY) && starts_with(&err, "item 66000: user_id is empty") && err.item == 66000);
  userhash_error_free(&err);
  int zeroed = 1;
  for (size_t i = 0; i < (size_t)N * 64; i++) zeroed &= out[i] == 0;
  CHECK(zeroed);
  /* The same batch as the chunk of a larger one that starts at item 1 000 000. */
  CHECK(userhash_sign_many_packed(s, S("user_id"), (const uint8_t *)data, at, lens, N, false, 1000000, out, &err) ==
        USERHASH_EMPTY_IDENTITY);
  CHECK(err_is(&err, USERHASH_EMPTY_IDENTITY) && starts_with(&err, "item 1066000: user_id is empty") &&
        err.item == 1066000);
  userhash_error_free(&err);
  free(data);
  free(out);
  free(lens);
  userhash_signer_free(s);
}

/* The embed operation (userhash_call "embed", the options as args): the snippet as a JSON string. */
static userhash_status_t embed(const userhash_signer_t *s, const uint8_t *in, size_t len, const char *options,
                               buf_t *html, userhash_error_t *err) {
  userhash_bytes_t out = {(uint8_t *)1, 1};
  userhash_status_t st = call(s, "embed", in, len, options, &out, err);
  if (st == USERHASH_OK) CHECK(json_text_bytes(out.ptr, out.len, html));
  else CHECK(out.ptr == NULL && out.len == 0);
  userhash_bytes_free(out);
  return st;
}

static void test_embed(void) {
  userhash_signer_t *s = make("ensoras");
  buf_t html = {0};
  userhash_error_t err = ERR_GARBAGE;
  CHECK(embed(s, S("{\"email\":\"</script>@x.com\"}"), "{\"widget\":\"acme\"}", &html, &err) == USERHASH_OK);
  CHECK(html.p != NULL && err_clear(&err));
  CHECK(html.p && strstr((const char *)html.p, "Ensoras('identify', {\"email\":\"\\u003c/script\\u003e@x.com\",\"hash\":\"") != NULL);
  static const char tail[] = "<script src=\"https://app.ensoras.com/cdn/v1/widget/acme.js\" async defer></script>";
  CHECK(html.len >= sizeof tail - 1 && memcmp(html.p + html.len - (sizeof tail - 1), tail, sizeof tail - 1) == 0);
  free(html.p);
  html = (buf_t){0};
  /* A CSP nonce on every script tag. */
  CHECK(embed(s, S("{\"email\":\"a@b.c\"}"), "{\"widget\":\"acme\",\"nonce\":\"n0nce\"}", &html, NULL) == USERHASH_OK);
  CHECK(html.p && strstr((const char *)html.p, "nonce=\"n0nce\"") != NULL);
  free(html.p);
  html = (buf_t){0};
  /* Errors: unknown option, options not JSON, input error. */
  CHECK(embed(s, S("{\"email\":\"a@b.c\"}"), "{\"widget\":\"acme\",\"color\":1}", &html, &err) == USERHASH_INVALID_INPUT);
  CHECK(err_is(&err, USERHASH_INVALID_INPUT) && strstr(MSG(err), "color") != NULL);
  userhash_error_free(&err);
  CHECK(embed(s, S("{\"email\":\"a@b.c\"}"), "{\"widget\":", &html, NULL) == USERHASH_INVALID_JSON);
  CHECK(embed(s, S("{\"email\":\"a@b.c\"}"), "[]", &html, NULL) == USERHASH_INVALID_INPUT);
  CHECK(embed(s, S("{\"email\":\"\"}"), "{\"widget\":\"acme\"}", &html, NULL) == USERHASH_EMPTY_IDENTITY);
  userhash_signer_free(s);

  /* Layerup's webview URL: encodeURIComponent, hash as signed. */
  s = make("layerup");
  CHECK(embed(s, S("{\"email\":\"Alice@Example.COM\"}"), "{\"widget\":\"w 1\",\"form\":\"url\"}", &html, NULL) ==
        USERHASH_OK);
  char want[200];
  snprintf(want, sizeof want, "https://us.uselayerup.com/widget/w%%201?ue=Alice%%40Example.COM&uh=%s", LAYERUP_ALICE);
  CHECK(html.p != NULL && strcmp((const char *)html.p, want) == 0);
  free(html.p);
  html = (buf_t){0};
  userhash_signer_free(s);

  /* A custom scheme has no vendor snippet. */
  userhash_signer_t *custom = NULL;
  CHECK(userhash_signer_new(SECRET, S("email:trim_lowercase"), NULL, 0, NO_OPTIONS, &custom, NULL) == USERHASH_OK);
  CHECK(embed(custom, S("{\"email\":\"a@b.c\"}"), "{\"widget\":\"acme\"}", &html, NULL) == USERHASH_INVALID_INPUT);
  userhash_signer_free(custom);
}

/* A marker secret never shows in any message or path, whatever fails. */
static void test_secret_hygiene(void) {
  static const char marker[] = "MARKER-9f3a-s3cr3t";
  userhash_slice_t prev[1] = {{(const uint8_t *)"MARKER-old-77", 13}};
  userhash_signer_t *s = NULL;
  userhash_error_t err = {0, {NULL, 0}, {NULL, 0}, -1};
  userhash_bytes_t out = {NULL, 0};
  int clean = 1, errors = 0;
#define NO_MARKER()                                                                             \
  do {                                                                                          \
    if (err.message.ptr) {                                                                      \
      errors++;                                                                                 \
      clean &= strstr(MSG(err), "MARKER") == NULL && strstr(PATH(err), "MARKER") == NULL;       \
      clean &= err.status != USERHASH_OK && err.status != USERHASH_PANIC;                       \
    }                                                                                           \
    userhash_error_free(&err);                                                                  \
  } while (0)
  userhash_signer_new(S(marker), S("nope"), prev, 1, NO_OPTIONS, &s, &err);
  NO_MARKER();
  userhash_signer_new(S(marker), S("ensoras"), (userhash_slice_t[]){{(const uint8_t *)"", 0}}, 1, NO_OPTIONS, &s, &err);
  NO_MARKER();
  userhash_signer_new(S(marker), S("ensoras"), prev, 1, S("{\"x\":1}"), &s, &err);
  NO_MARKER();
  static const char *presets[] = {"layerup", "inviaro", "ensoras", "supportwire", "fluentbot"};
  static const char *inputs[] = {"{\"email\":\"\"}", "{\"user_id\":1.5}", "{\"visitor\":[]}", "{",
                                 "{\"email\":\"\xff\"}", "{\"visitor\":{\"data\":[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]}}",
                                 "{\"email\":1}", "{\"nope\":1}"};
  char hex[65], many[64];
  bool match;
  for (int p = 0; p < 5; p++) {
    CHECK(userhash_signer_new(S(marker), (const uint8_t *)presets[p], strlen(presets[p]), prev, 1, NO_OPTIONS, &s,
                              NULL) == USERHASH_OK);
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
      const uint8_t *in = (const uint8_t *)inputs[i];
      size_t len = strlen(inputs[i]);
      userhash_sign(s, in, len, hex, &err);
      NO_MARKER();
      verify(s, S("00"), in, len, &match, &err);
      NO_MARKER();
      static const char *ops[] = {"sign", "canonical", "embed", "nope"};
      for (int o = 0; o < 4; o++) {
        call(s, ops[o], in, len, "{\"widget\":\"w\",\"bogus\":1}", &out, &err);
        userhash_bytes_free(out);
        NO_MARKER();
      }
      for (int as_json = 0; as_json <= 1; as_json++) {
        userhash_sign_field(s, BATCH_FIELD, in, len, as_json, hex, &err);
        NO_MARKER();
        userhash_sign_many_packed(s, S("user_id"), in, len, &len, 1, as_json, 3, many, &err);
        NO_MARKER();
      }
    }
    userhash_signer_free(s);
  }
#undef NO_MARKER
  CHECK(clean);
  CHECK(errors > 200);
}

int main(void) {
  test_hmac_reference();
  test_status_codes();
  test_error_codes();
  test_version_and_limits();
  test_preset_list();
  test_field_names();
  test_signer_accessors();
  test_presets();
  test_probe_preset();
  test_sign_field();
  test_sign_text();
  test_sign_json();
  test_nul_is_data();
  test_long_key();
  test_signer_new_errors();
  test_signer_options();
  test_from_env();
  test_marked_json();
  test_previous_secrets();
  test_verify();
  test_canonical();
  test_call();
  test_every_error_status();
  test_null_arguments();
  test_threads();
  test_sign_many();
  test_sign_many_large();
  test_embed();
  test_secret_hygiene();
  test_bad_inputs();
  test_vectors();
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
