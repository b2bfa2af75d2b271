/* The install test's program (bindings-c/tests/dist/install.sh): built outside the tree against
 * an installed libuserhash with pkg-config. Prints the library version, then the ensoras hash
 * of argv[2] with the secret argv[1] (userhash_sign_field), then the verify operation's result
 * for that hash (userhash_call), one per line. Exit 1 on any error. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <userhash.h>

int main(int argc, char **argv) {
  if (argc != 3) return 2;
  userhash_signer_t *signer = NULL;
  userhash_error_t err;
  if (userhash_signer_new((const uint8_t *)argv[1], strlen(argv[1]), (const uint8_t *)"ensoras", 7, NULL, 0, NULL, 0,
                          &signer, &err) != USERHASH_OK) {
    fprintf(stderr, "%s\n", (const char *)err.message.ptr);
    userhash_error_free(&err);
    return 1;
  }
  char hex[USERHASH_HEX_BUFFER_LEN];
  if (userhash_sign_field(signer, NULL, 0, (const uint8_t *)argv[2], strlen(argv[2]), false, hex, &err) != USERHASH_OK) {
    fprintf(stderr, "%s\n", (const char *)err.message.ptr);
    userhash_error_free(&err);
    userhash_signer_free(signer);
    return 1;
  }
  char input[512], args[128];
  snprintf(input, sizeof input, "{\"email\":\"%s\"}", argv[2]);
  snprintf(args, sizeof args, "{\"hash\":\"%s\"}", hex);
  userhash_bytes_t verified = {NULL, 0};
  userhash_status_t st = userhash_call(signer, (const uint8_t *)"verify", 6, (const uint8_t *)input, strlen(input),
                                       (const uint8_t *)args, strlen(args), &verified, NULL);
  printf("%s\n%s\n%s\n", userhash_version(), hex, st == USERHASH_OK ? (const char *)verified.ptr : "error");
  userhash_bytes_free(verified);
  userhash_signer_free(signer);
  return st == USERHASH_OK ? 0 : 1;
}
