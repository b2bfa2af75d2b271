/*
 * The shared bad-input matrix (tests/bad-inputs/cases.json, format in its
 * README) through the C ABI, for every row whose `only` includes "c" or is
 * absent. C has no native values beyond bytes: an input is JSON text handed to
 * userhash_sign and userhash_call's canonical and verify operations (markers expanded into
 * it: $bytes as raw bytes inside the string, ±inf as 1e999, $repeat/$array/
 * $nest spelled out). A one-field input also goes in by field name through
 * userhash_sign_field and userhash_sign_many_packed, both
 * as the raw bytes of a string value (is_json false) and as the JSON text of
 * the value (is_json true); batches start at a per-row first_index, which the
 * error must report as its item. Errors: the expected code, err.status equal
 * to the returned status, a message holding the path, never the secret.
 * Hashes are checked against the HMAC-SHA256 below (FIPS 180-4 / RFC 2104,
 * checked against their published test values), never against userhash itself.
 * NaN has no JSON text form, so rows holding one are skipped (and counted).
 * USERHASH_BAD_INPUTS_QUICK=1 also skips the multi-megabyte rows (used for the
 * second valgrind run, against the shared library).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"
#include "userhash.h"

/* ---- growable byte buffer (buf_t: test_support.h) ---- */
void buf_add(buf_t *b, const void *data, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + n + 1) cap *= 2;
    b->p = realloc(b->p, cap);
    if (!b->p) abort();
    b->cap = cap;
  }
  memcpy(b->p + b->len, data, n);
  b->len += n;
  b->p[b->len] = 0;
}

bool read_file(const char *path, const char *hint, buf_t *out) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "FAIL cannot open %s%s\n", path, hint);
    failed++;
    return false;
  }
  char chunk[65536];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) buf_add(out, chunk, got);
  fclose(f);
  return true;
}
static void buf_str(buf_t *b, const char *s) { buf_add(b, s, strlen(s)); }
static void buf_byte(buf_t *b, uint8_t c) { buf_add(b, &c, 1); }

/* ---- SHA-256 and HMAC (reference implementation for the expected hashes) ---- */
typedef struct {
  uint32_t h[8];
  uint8_t block[64];
  size_t fill;
  uint64_t total;
} sha256_t;

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(sha256_t *s, const uint8_t *p) {
  uint32_t w[64], a[8];
  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  memcpy(a, s->h, sizeof a);
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = a[7] + (ROR(a[4], 6) ^ ROR(a[4], 11) ^ ROR(a[4], 25)) + ((a[4] & a[5]) ^ (~a[4] & a[6])) + K[i] + w[i];
    uint32_t t2 = (ROR(a[0], 2) ^ ROR(a[0], 13) ^ ROR(a[0], 22)) + ((a[0] & a[1]) ^ (a[0] & a[2]) ^ (a[1] & a[2]));
    memmove(a + 1, a, 7 * sizeof a[0]);
    a[4] += t1;
    a[0] = t1 + t2;
  }
  for (int i = 0; i < 8; i++) s->h[i] += a[i];
}

static void sha256_init(sha256_t *s) {
  static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  memcpy(s->h, h0, sizeof h0);
  s->fill = 0;
  s->total = 0;
}

static void sha256_update(sha256_t *s, const uint8_t *p, size_t n) {
  s->total += n;
  while (n > 0) {
    if (s->fill == 0 && n >= 64) {
      sha256_block(s, p);
      p += 64;
      n -= 64;
      continue;
    }
    size_t take = 64 - s->fill < n ? 64 - s->fill : n;
    memcpy(s->block + s->fill, p, take);
    s->fill += take;
    p += take;
    n -= take;
    if (s->fill == 64) {
      sha256_block(s, s->block);
      s->fill = 0;
    }
  }
}

static void sha256_final(sha256_t *s, uint8_t out[32]) {
  uint64_t bits = s->total * 8;
  uint8_t pad = 0x80, zero = 0, len[8];
  sha256_update(s, &pad, 1);
  while (s->fill != 56) sha256_update(s, &zero, 1);
  for (int i = 0; i < 8; i++) len[i] = (uint8_t)(bits >> (56 - 8 * i));
  sha256_update(s, len, 8);
  for (int i = 0; i < 8; i++) {
    out[4 * i] = (uint8_t)(s->h[i] >> 24);
    out[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
    out[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
    out[4 * i + 3] = (uint8_t)s->h[i];
  }
}

/* RFC 2104 HMAC-SHA256 as 64 lowercase hex digits + NUL. */
void hmac_hex(const uint8_t *key, size_t key_len, const uint8_t *msg, size_t msg_len, char out[65]) {
  uint8_t k[64] = {0}, pad[64], inner[32], mac[32];
  sha256_t s;
  if (key_len > 64) {
    sha256_init(&s);
    sha256_update(&s, key, key_len);
    sha256_final(&s, k);
  } else if (key_len > 0) {
    memcpy(k, key, key_len);
  }
  for (int i = 0; i < 64; i++) pad[i] = k[i] ^ 0x36;
  sha256_init(&s);
  sha256_update(&s, pad, 64);
  sha256_update(&s, msg, msg_len);
  sha256_final(&s, inner);
  for (int i = 0; i < 64; i++) pad[i] = k[i] ^ 0x5c;
  sha256_init(&s);
  sha256_update(&s, pad, 64);
  sha256_update(&s, inner, 32);
  sha256_final(&s, mac);
  for (int i = 0; i < 32; i++) snprintf(out + 2 * i, 3, "%02x", mac[i]);
}

void test_hmac_reference(void) {
  char hex[65];
  /* FIPS 180-4 "abc" is checked through HMAC's inner use; RFC 4231 test cases 1, 2 and 6: */
  uint8_t key1[20];
  memset(key1, 0x0b, sizeof key1);
  hmac_hex(key1, sizeof key1, (const uint8_t *)"Hi There", 8, hex);
  CHECK(strcmp(hex, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7") == 0);
  hmac_hex((const uint8_t *)"Jefe", 4, (const uint8_t *)"what do ya want for nothing?", 28, hex);
  CHECK(strcmp(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843") == 0);
  uint8_t key6[131];
  memset(key6, 0xaa, sizeof key6);
  static const char msg6[] = "Test Using Larger Than Block-Size Key - Hash Key First";
  hmac_hex(key6, sizeof key6, (const uint8_t *)msg6, sizeof msg6 - 1, hex);
  CHECK(strcmp(hex, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54") == 0);
  sha256_t s;
  uint8_t d[32];
  sha256_init(&s);
  sha256_update(&s, (const uint8_t *)"abc", 3);
  sha256_final(&s, d);
  CHECK(d[0] == 0xba && d[1] == 0x78 && d[31] == 0xad);
}

/* ---- a small JSON tree (enough for cases.json and the vector files; node: test_support.h) ---- */

static void skip_ws(const char **p) {
  while (**p == ' ' || **p == '\n' || **p == '\r' || **p == '\t') (*p)++;
}

static void utf8_put(buf_t *b, uint32_t c) {
  uint8_t u[4];
  if (c < 0x80) {
    buf_byte(b, (uint8_t)c);
  } else if (c < 0x800) {
    u[0] = (uint8_t)(0xc0 | c >> 6), u[1] = (uint8_t)(0x80 | (c & 0x3f));
    buf_add(b, u, 2);
  } else if (c < 0x10000) {
    u[0] = (uint8_t)(0xe0 | c >> 12), u[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3f)), u[2] = (uint8_t)(0x80 | (c & 0x3f));
    buf_add(b, u, 3);
  } else {
    u[0] = (uint8_t)(0xf0 | c >> 18), u[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3f));
    u[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3f)), u[3] = (uint8_t)(0x80 | (c & 0x3f));
    buf_add(b, u, 4);
  }
}

static uint32_t hex4(const char *p) {
  char tmp[5] = {p[0], p[1], p[2], p[3], 0};
  return (uint32_t)strtoul(tmp, NULL, 16);
}

static void parse_string(const char **p, buf_t *out) {
  (*p)++; /* opening quote */
  while (**p != '"') {
    if (**p == '\\') {
      char e = (*p)[1];
      *p += 2;
      switch (e) {
        case 'n': buf_byte(out, '\n'); break;
        case 't': buf_byte(out, '\t'); break;
        case 'r': buf_byte(out, '\r'); break;
        case 'b': buf_byte(out, '\b'); break;
        case 'f': buf_byte(out, '\f'); break;
        case 'u': {
          uint32_t c = hex4(*p);
          *p += 4;
          if (c >= 0xd800 && c < 0xdc00 && (*p)[0] == '\\' && (*p)[1] == 'u') {
            uint32_t lo = hex4(*p + 2);
            if (lo >= 0xdc00 && lo < 0xe000) {
              c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
              *p += 6;
            }
          }
          utf8_put(out, c);
          break;
        }
        default: buf_byte(out, (uint8_t)e); /* " \ / */
      }
    } else {
      buf_byte(out, (uint8_t) * *p);
      (*p)++;
    }
  }
  (*p)++;
  if (!out->p) buf_add(out, "", 0);
}

node *parse_value(const char **p) {
  node *v = calloc(1, sizeof *v);
  skip_ws(p);
  char c = **p;
  v->raw = *p;
  if (c == '{' || c == '[') {
    v->kind = c == '{' ? J_OBJ : J_ARR;
    (*p)++;
    size_t cap = 0;
    for (;;) {
      skip_ws(p);
      if (**p == '}' || **p == ']') {
        (*p)++;
        break;
      }
      if (**p == ',') {
        (*p)++;
        continue;
      }
      if (v->n == cap) {
        cap = cap ? cap * 2 : 4;
        v->items = realloc(v->items, cap * sizeof *v->items);
        if (v->kind == J_OBJ) v->keys = realloc(v->keys, cap * sizeof *v->keys);
      }
      if (v->kind == J_OBJ) {
        memset(&v->keys[v->n], 0, sizeof(buf_t));
        parse_string(p, &v->keys[v->n]);
        skip_ws(p);
        (*p)++; /* : */
      }
      v->items[v->n++] = parse_value(p);
    }
  } else if (c == '"') {
    v->kind = J_STR;
    parse_string(p, &v->str);
  } else if (c == 't' || c == 'f') {
    v->kind = J_BOOL;
    v->truth = c == 't';
    *p += c == 't' ? 4 : 5;
  } else if (c == 'n') {
    v->kind = J_NULL;
    *p += 4;
  } else {
    v->kind = J_NUM;
    v->raw = *p;
    while (strchr("+-0123456789.eE", **p) && **p) (*p)++;
  }
  v->raw_len = (size_t)(*p - v->raw);
  return v;
}

void free_node(node *v) {
  if (!v) return;
  for (size_t i = 0; i < v->n; i++) {
    free_node(v->items[i]);
    if (v->keys) free(v->keys[i].p);
  }
  free(v->items);
  free(v->keys);
  free(v->str.p);
  free(v);
}

node *get(const node *obj, const char *key) {
  if (!obj || obj->kind != J_OBJ) return NULL;
  for (size_t i = 0; i < obj->n; i++)
    if (strcmp((const char *)obj->keys[i].p, key) == 0) return obj->items[i];
  return NULL;
}

/* The marker name of a tagged object ({"$bytes": …}), or NULL. */
static const char *marker(const node *v) {
  if (v && v->kind == J_OBJ && v->n == 1 && v->keys[0].p[0] == '$') return (const char *)v->keys[0].p;
  return NULL;
}

static long num(const node *v) { return v ? strtol(v->raw, NULL, 10) : 0; }

/* Decoded bytes of a string, $bytes or $repeat value (secrets, expected canonical forms, field values). */
static bool native_bytes(const node *v, buf_t *out) {
  const char *m = marker(v);
  if (v && v->kind == J_STR) {
    buf_add(out, v->str.p, v->str.len);
    return true;
  }
  if (m && strcmp(m, "$bytes") == 0) {
    const char *hex = (const char *)v->items[0]->str.p;
    for (size_t i = 0; hex[i] && hex[i + 1]; i += 2) {
      char pair[3] = {hex[i], hex[i + 1], 0};
      buf_byte(out, (uint8_t)strtoul(pair, NULL, 16));
    }
    buf_add(out, "", 0);
    return true;
  }
  if (m && strcmp(m, "$repeat") == 0) {
    const node *text = get(v->items[0], "text");
    long count = num(get(v->items[0], "count"));
    for (long i = 0; i < count; i++) buf_add(out, text->str.p, text->str.len);
    buf_add(out, "", 0);
    return true;
  }
  return false;
}

static void json_string(buf_t *out, const uint8_t *p, size_t n) {
  buf_byte(out, '"');
  for (size_t i = 0; i < n; i++) {
    uint8_t c = p[i];
    if (c == '"' || c == '\\') {
      buf_byte(out, '\\');
      buf_byte(out, c);
    } else if (c < 0x20) {
      char esc[7];
      snprintf(esc, sizeof esc, "\\u%04x", c);
      buf_str(out, esc);
    } else {
      buf_byte(out, c); /* raw bytes: invalid UTF-8 stays invalid */
    }
  }
  buf_byte(out, '"');
}

/* ---- userhash_call helpers (test_support.h) ---- */
userhash_status_t call(const userhash_signer_t *s, const char *op, const uint8_t *in, size_t in_len, const char *args,
                       userhash_bytes_t *out, userhash_error_t *err) {
  return userhash_call(s, (const uint8_t *)op, strlen(op), in, in_len, (const uint8_t *)args, args ? strlen(args) : 0,
                       out, err);
}

userhash_status_t verify(const userhash_signer_t *s, const uint8_t *hash, size_t hash_len, const uint8_t *in,
                         size_t in_len, bool *match, userhash_error_t *err) {
  buf_t args = {0};
  buf_str(&args, "{\"hash\":");
  json_string(&args, hash, hash_len);
  buf_str(&args, "}");
  userhash_bytes_t out = {(uint8_t *)1, 1};
  userhash_status_t st = call(s, "verify", in, in_len, (const char *)args.p, &out, err);
  free(args.p);
  *match = st == USERHASH_OK && out.len == 4 && memcmp(out.ptr, "true", 4) == 0;
  if (st == USERHASH_OK) CHECK(*match || (out.len == 5 && memcmp(out.ptr, "false", 5) == 0));
  if (st != USERHASH_OK) CHECK(out.ptr == NULL && out.len == 0);
  userhash_bytes_free(out);
  return st;
}

bool json_text_bytes(const uint8_t *text, size_t len, buf_t *out) {
  const char *p = (const char *)text;
  if (!text || len < 2 || text[0] != '"' || text[len - 1] != '"') return false;
  node *v = parse_value(&p);
  bool ok = v->kind == J_STR && p == (const char *)text + len;
  if (ok) buf_add(out, v->str.p, v->str.len);
  free_node(v);
  return ok;
}

/* Writes `v` as JSON text with markers expanded; false when it has no JSON form (NaN, lone surrogates). */
static bool emit(const node *v, buf_t *out) {
  const char *m = marker(v);
  if (m) {
    const node *arg = v->items[0];
    if (strcmp(m, "$bytes") == 0 || strcmp(m, "$repeat") == 0) {
      buf_t bytes = {0};
      native_bytes(v, &bytes);
      json_string(out, bytes.p, bytes.len);
      free(bytes.p);
      return true;
    }
    if (strcmp(m, "$float") == 0) {
      const char *f = (const char *)arg->str.p;
      if (strcmp(f, "inf") == 0) buf_str(out, "1e999"); /* JSON.parse: Infinity */
      else if (strcmp(f, "-inf") == 0) buf_str(out, "-1e999");
      else return false;
      return true;
    }
    if (strcmp(m, "$array") == 0) {
      long count = num(get(arg, "count"));
      buf_t item = {0};
      if (!emit(get(arg, "item"), &item)) {
        free(item.p);
        return false;
      }
      buf_byte(out, '[');
      for (long i = 0; i < count; i++) {
        if (i) buf_byte(out, ',');
        buf_add(out, item.p, item.len);
      }
      buf_byte(out, ']');
      free(item.p);
      return true;
    }
    if (strcmp(m, "$nest") == 0) {
      long depth = num(get(arg, "depth"));
      for (long i = 0; i < depth; i++) buf_byte(out, '[');
      buf_byte(out, '1');
      for (long i = 0; i < depth; i++) buf_byte(out, ']');
      return true;
    }
    return false; /* $lone_surrogate */
  }
  switch (v->kind) {
    case J_NULL: buf_str(out, "null"); return true;
    case J_BOOL: buf_str(out, v->truth ? "true" : "false"); return true;
    case J_NUM: buf_add(out, v->raw, v->raw_len); return true;
    case J_STR: json_string(out, v->str.p, v->str.len); return true;
    case J_ARR:
    case J_OBJ:
      buf_byte(out, v->kind == J_OBJ ? '{' : '[');
      for (size_t i = 0; i < v->n; i++) {
        if (i) buf_byte(out, ',');
        if (v->kind == J_OBJ) {
          json_string(out, v->keys[i].p, v->keys[i].len);
          buf_byte(out, ':');
        }
        if (!emit(v->items[i], out)) return false;
      }
      buf_byte(out, v->kind == J_OBJ ? '}' : ']');
      return true;
  }
  return false;
}

static bool applies_to_c(const node *c) {
  const node *only = get(c, "only");
  if (!only) return true;
  for (size_t i = 0; i < only->n; i++)
    if (strcmp((const char *)only->items[i]->str.p, "c") == 0) return true;
  return false;
}

static bool contains(const uint8_t *hay, size_t n, const uint8_t *needle, size_t m) {
  if (m == 0 || m > n) return false;
  for (size_t i = 0; i + m <= n; i++)
    if (memcmp(hay + i, needle, m) == 0) return true;
  return false;
}

static int row_failed;
#define ROW_CHECK(cond, what)                                         \
  do {                                                                \
    if (cond) {                                                       \
      passed++;                                                       \
    } else {                                                          \
      failed++;                                                       \
      row_failed = 1;                                                 \
      fprintf(stderr, "FAIL bad-input %s: %s (%s)\n", id, what, #cond); \
    }                                                                 \
  } while (0)

/* The sign-call field names (docs/canonicalization.md), aliases included. */
static bool known_field(const char *name) {
  static const char *names[] = {"email", "user_id", "userId", "external_id", "externalId", "visitor"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (strcmp(name, names[i]) == 0) return true;
  return false;
}

/* The error the library filled: the expected code, the same status as returned, a
 * NUL-terminated message that holds the path (`item N: path: message`), never the secret. */
static void check_error(const char *id, const char *what, userhash_status_t st, const userhash_error_t *err,
                        const char *want, const buf_t *secret) {
  const userhash_bytes_t *msg = &err->message, *path = &err->path;
  ROW_CHECK(strcmp(userhash_status_code(st), want) == 0, what);
  if (strcmp(userhash_status_code(st), want) != 0)
    fprintf(stderr, "  %s: got %s: %.*s\n", what, userhash_status_code(st), (int)(msg->len < 300 ? msg->len : 300),
            msg->ptr ? (const char *)msg->ptr : "");
  ROW_CHECK(err->status == st, what);
  ROW_CHECK(msg->ptr != NULL && msg->len > 0 && msg->ptr[msg->len] == 0, what);
  if (path->len > 0) ROW_CHECK(contains(msg->ptr, msg->len, path->ptr, path->len), "message holds the path");
  if (secret->len >= 4) {
    ROW_CHECK(!contains(msg->ptr, msg->len, secret->p, secret->len), "message shows the secret");
    ROW_CHECK(!contains(path->ptr, path->len, secret->p, secret->len), "path shows the secret");
  }
}

/* A batch error names item `first` (the caller's offset) in err.item and the message. */
static void check_item(const char *id, const char *what, const userhash_error_t *err, size_t first) {
  char prefix[40];
  int n = snprintf(prefix, sizeof prefix, "item %zu: ", first);
  ROW_CHECK(err->item == (int64_t)first, what);
  ROW_CHECK(err->message.len >= (size_t)n && memcmp(err->message.ptr, prefix, (size_t)n) == 0, what);
}

static void run_case(const node *c, size_t row, int *skipped) {
  const char *id = (const char *)get(c, "id")->str.p;
  const node *expect = get(c, "expect"), *input = get(c, "input");
  const node *want_error = get(expect, "error"), *want_canonical = get(expect, "canonical");
  const node *want_verify = get(expect, "verify"), *previous = get(c, "previous");
  const node *preset = get(c, "preset");
  buf_t secret = {0}, json = {0}, canonical = {0}, value = {0}, value_json = {0};
  userhash_slice_t *prev = NULL;
  buf_t *prev_bytes = NULL;
  userhash_signer_t *s = NULL;
  userhash_error_t err = {0};
  userhash_bytes_t out = {NULL, 0};
  size_t n_prev = 0;
  /* Each row's batches start at its own offset, so err.item must be the caller's index. */
  const size_t first = 1000 + 7 * row;
  row_failed = 0;

  native_bytes(get(c, "secret"), &secret);
  if (!emit(input, &json)) {
    (*skipped)++;
    printf("  bad-input %s: skipped (no JSON text form for this value in C)\n", id);
    goto done;
  }
  if (getenv("USERHASH_BAD_INPUTS_QUICK") && (json.len > 100000 || secret.len > 100000)) {
    (*skipped)++; /* the multi-megabyte rows, for a second run under valgrind */
    goto done;
  }
  n_prev = previous ? previous->n : 0;
  if (n_prev) {
    prev = calloc(n_prev, sizeof *prev);
    prev_bytes = calloc(n_prev, sizeof *prev_bytes);
    for (size_t i = 0; i < n_prev; i++) {
      native_bytes(previous->items[i], &prev_bytes[i]);
      prev[i] = (userhash_slice_t){prev_bytes[i].p, prev_bytes[i].len};
    }
  }
  userhash_status_t st =
      userhash_signer_new(secret.p, secret.len, preset->str.p, preset->str.len, prev, n_prev, NULL, 0, &s, &err);
  const char *code = want_error ? (const char *)want_error->str.p : NULL;
  if (code && (strcmp(code, "empty_secret") == 0 || strcmp(code, "unknown_preset") == 0)) {
    check_error(id, "userhash_signer_new", st, &err, code, &secret);
    ROW_CHECK(s == NULL && err.item == -1, "no signer on failure");
    goto done;
  }
  ROW_CHECK(st == USERHASH_OK && err.status == USERHASH_OK && err.message.ptr == NULL, "userhash_signer_new");
  if (st != USERHASH_OK) goto done;

  char hex[65], many[65] = {0};
  bool match = true;
  st = userhash_sign(s, json.p, json.len, hex, &err);

  /* A one-field input also goes in by field name: as the field's raw bytes (a string
   * value) and as the JSON text of its value (any value), through sign_field and
   * one-item batches (both forms), which must agree with userhash_sign. */
  const char *field = NULL;
  bool has_text = false;
  if (input->kind == J_OBJ && input->n == 1 && known_field((const char *)input->keys[0].p)) {
    field = (const char *)input->keys[0].p;
    has_text = native_bytes(input->items[0], &value);
    emit(input->items[0], &value_json);
  }
#define FIELD (const uint8_t *)field, strlen(field)

  if (code) {
    check_error(id, "userhash_sign", st, &err, code, &secret);
    ROW_CHECK(hex[0] == '\0' && err.item == -1, "no hash on failure");
    userhash_error_free(&err);
    st = call(s, "canonical", json.p, json.len, NULL, &out, &err);
    check_error(id, "canonical", st, &err, code, &secret);
    ROW_CHECK(out.ptr == NULL, "no canonical form on failure");
    userhash_error_free(&err);
    st = verify(s, S("00"), json.p, json.len, &match, &err);
    check_error(id, "verify", st, &err, code, &secret);
    ROW_CHECK(!match, "verify false on failure");
    for (int as_json = 0; field && as_json <= 1; as_json++) {
      const buf_t *v = as_json ? &value_json : &value;
      if (!as_json && !has_text) continue;
      userhash_error_free(&err);
      st = userhash_sign_field(s, FIELD, v->p, v->len, as_json, hex, &err);
      check_error(id, as_json ? "userhash_sign_field (is_json)" : "userhash_sign_field", st, &err, code, &secret);
      ROW_CHECK(hex[0] == '\0' && err.item == -1, "sign_field: no hash, no item");
      userhash_error_free(&err);
      size_t len = v->len;
      memset(many, 'x', 64);
      st = userhash_sign_many_packed(s, FIELD, v->p, v->len, &len, 1, as_json, first, many, &err);
      check_error(id, as_json ? "userhash_sign_many_packed (is_json)" : "userhash_sign_many_packed", st, &err, code,
                  &secret);
      check_item(id, "userhash_sign_many_packed: item = first_index", &err, first);
      ROW_CHECK(many[0] == 0 && many[63] == 0 && many[64] == 0, "sign_many_packed output cleared on failure");
    }
    goto done;
  }

  ROW_CHECK(st == USERHASH_OK && err.status == USERHASH_OK && err.message.ptr == NULL && err.item == -1,
            "userhash_sign");
  if (st != USERHASH_OK) {
    fprintf(stderr, "  %s: %.*s\n", userhash_status_code(st), (int)err.message.len,
            err.message.ptr ? (const char *)err.message.ptr : "");
    goto done;
  }
  st = call(s, "canonical", json.p, json.len, NULL, &out, NULL);
  ROW_CHECK(st == USERHASH_OK, "canonical");
  buf_t got = {0};
  ROW_CHECK(st == USERHASH_OK && json_text_bytes(out.ptr, out.len, &got), "canonical is a JSON string");
  if (want_canonical) {
    native_bytes(want_canonical, &canonical);
    ROW_CHECK(got.len == canonical.len && memcmp(got.p, canonical.p, got.len) == 0, "canonical form");
  }
  char ref[65];
  hmac_hex(secret.p, secret.len, got.p, got.len, ref);
  free(got.p);
  ROW_CHECK(strcmp(hex, ref) == 0, "hash = HMAC-SHA256(secret, canonical)");

  if (want_verify) {
    const node *h = get(c, "hash");
    st = verify(s, h->str.p, h->str.len, json.p, json.len, &match, &err);
    ROW_CHECK(st == USERHASH_OK && match == want_verify->truth, "verify");
  } else {
    st = verify(s, (const uint8_t *)hex, 64, json.p, json.len, &match, NULL);
    ROW_CHECK(st == USERHASH_OK && match, "verify(own hash)");
  }
  for (int as_json = 0; field && as_json <= 1; as_json++) {
    const buf_t *v = as_json ? &value_json : &value;
    if (!as_json && !has_text) continue;
    char fast[65];
    ROW_CHECK(userhash_sign_field(s, FIELD, v->p, v->len, as_json, fast, NULL) == USERHASH_OK && strcmp(fast, ref) == 0,
              as_json ? "userhash_sign_field (is_json)" : "userhash_sign_field");
    size_t len = v->len;
    ROW_CHECK(userhash_sign_many_packed(s, FIELD, v->p, v->len, &len, 1, as_json, first, many, NULL) == USERHASH_OK &&
                  memcmp(many, ref, 64) == 0,
              "userhash_sign_many_packed");
  }
#undef FIELD

done:
  if (!row_failed && getenv("USERHASH_VERBOSE")) printf("  bad-input %s: ok\n", id);
  userhash_error_free(&err);
  userhash_bytes_free(out);
  userhash_signer_free(s);
  for (size_t i = 0; prev_bytes && i < n_prev; i++) free(prev_bytes[i].p);
  free(prev_bytes);
  free(prev);
  free(secret.p);
  free(json.p);
  free(canonical.p);
  free(value.p);
  free(value_json.p);
}

void test_bad_inputs(void) {
  const char *path = getenv("USERHASH_BAD_INPUTS");
  if (!path) path = "tests/bad-inputs/cases.json";
  buf_t text = {0};
  if (!read_file(path, " (set USERHASH_BAD_INPUTS)", &text)) return;
  const char *p = (const char *)text.p;
  node *doc = parse_value(&p);
  node *cases = get(doc, "cases");
  int ran = 0, skipped = 0, before = failed;
  for (size_t i = 0; cases && i < cases->n; i++) {
    if (!applies_to_c(cases->items[i])) continue;
    run_case(cases->items[i], (size_t)ran, &skipped);
    ran++;
  }
  CHECK(cases != NULL && ran > 50);
  printf("bad-input matrix: %d rows for c (%d skipped), %s\n", ran, skipped, failed == before ? "ok" : "FAILED");
  free_node(doc);
  free(text.p);
}
