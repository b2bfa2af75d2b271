/* `make demo-c`: signs the demo identities of `make demo-cli` through the C ABI. */
#include <stdio.h>
#include <string.h>

#include "userhash.h"

int main(void) {
  static const struct {
    const char *preset, *input;
  } rows[] = {
      {"layerup", "{\"email\":\"Alice@Example.COM\"}"},
      {"inviaro", "{\"user_id\":\"usr_42\"}"},
      {"ensoras", "{\"email\":\"Alice@Example.COM\"}"},
      {"supportwire", "{\"email\":\" Alice@Example.COM \"}"},
      {"fluentbot", "{\"visitor\":{\"name\":\"Alice\",\"email\":\"Alice@Example.COM\",\"data\":{\"plan\":\"pro\"}}}"},
  };
  int rc = 0;
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    userhash_signer_t *s = NULL;
    userhash_error_t err; /* filled (or zeroed) by every call given it */
    char hex[USERHASH_HEX_BUFFER_LEN];
    userhash_status_t st = userhash_signer_new((const uint8_t *)"s3cr3t", 6, (const uint8_t *)rows[i].preset,
                                               strlen(rows[i].preset), NULL, 0, NULL, 0, &s, &err);
    if (st == USERHASH_OK) {
      userhash_error_free(&err);
      st = userhash_sign(s, (const uint8_t *)rows[i].input, strlen(rows[i].input), hex, &err);
    }
    if (st == USERHASH_OK) {
      printf("%-12s %s\n", rows[i].preset, hex);
    } else {
      printf("%-12s error %s: %s\n", rows[i].preset, userhash_status_code(st),
             err.message.ptr ? (const char *)err.message.ptr : "");
      rc = 1;
    }
    userhash_error_free(&err);
    userhash_signer_free(s);
  }
  return rc;
}
