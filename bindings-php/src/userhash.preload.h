#define FFI_SCOPE "userhash"
#define FFI_LIB "libuserhash.so"
/* Generated (for FFI::load) by bin/generate.php from bindings-c/include/userhash.h: do not edit. */
typedef struct userhash_signer_t userhash_signer_t;
typedef int userhash_status_t;
typedef struct userhash_slice_t {
  const char *ptr;
  size_t len;
} userhash_slice_t;
typedef struct userhash_bytes_t {
  uint8_t *ptr;
  size_t len;
} userhash_bytes_t;
typedef struct userhash_error_t {
  userhash_status_t status;
  struct userhash_bytes_t message;
  struct userhash_bytes_t path;
  int64_t item;
} userhash_error_t;
const char *userhash_version(void);
size_t userhash_max_depth(void);
const char *userhash_preset_name(size_t index);
const char *userhash_field_name(size_t index);
const char *userhash_field_by_name(const char *name, size_t len);
const char *userhash_error_code(size_t index);
const char *userhash_status_code(userhash_status_t status);
const char *userhash_refusal_mark(void);
userhash_status_t userhash_signer_new(const char *secret,
                                      size_t secret_len,
                                      const char *preset,
                                      size_t preset_len,
                                      const struct userhash_slice_t *previous,
                                      size_t previous_len,
                                      const char *options_json,
                                      size_t options_len,
                                      struct userhash_signer_t **out,
                                      struct userhash_error_t *error_out);
userhash_status_t userhash_signer_from_env(const char *var,
                                           size_t var_len,
                                           const char *preset,
                                           size_t preset_len,
                                           const struct userhash_slice_t *previous_vars,
                                           size_t previous_len,
                                           const char *options_json,
                                           size_t options_len,
                                           struct userhash_signer_t **out,
                                           struct userhash_error_t *error_out);
void userhash_signer_free(struct userhash_signer_t *signer);
userhash_status_t userhash_signer_scheme(const struct userhash_signer_t *signer,
                                         struct userhash_bytes_t *out);
size_t userhash_signer_previous_count(const struct userhash_signer_t *signer);
const char *userhash_signer_field(const struct userhash_signer_t *signer, size_t index);
const char *userhash_signer_batch_field(const struct userhash_signer_t *signer);
userhash_status_t userhash_sign(const struct userhash_signer_t *signer,
                                const char *input_json,
                                size_t input_len,
                                char out_hex[65],
                                struct userhash_error_t *error_out);
userhash_status_t userhash_sign_field(const struct userhash_signer_t *signer,
                                      const char *field,
                                      size_t field_len,
                                      const char *value,
                                      size_t value_len,
                                      bool is_json,
                                      char out_hex[65],
                                      struct userhash_error_t *error_out);
userhash_status_t userhash_sign_text(const struct userhash_signer_t *signer,
                                     const char *value,
                                     size_t len,
                                     char out_hex[65]);
userhash_status_t userhash_sign_json(const struct userhash_signer_t *signer,
                                     const char *json,
                                     size_t len,
                                     char out_hex[65]);
userhash_status_t userhash_sign_many_packed(const struct userhash_signer_t *signer,
                                            const char *field,
                                            size_t field_len,
                                            const char *data,
                                            size_t data_len,
                                            const char *lens,
                                            size_t n,
                                            bool is_json,
                                            size_t first_index,
                                            char *out_hexes,
                                            struct userhash_error_t *error_out);
userhash_status_t userhash_call(const struct userhash_signer_t *signer,
                                const char *op,
                                size_t op_len,
                                const char *input_json,
                                size_t input_len,
                                const char *args_json,
                                size_t args_len,
                                struct userhash_bytes_t *out,
                                struct userhash_error_t *error_out);
const char *userhash_operation_name(size_t index);
void userhash_bytes_free(struct userhash_bytes_t bytes);
void userhash_error_free(struct userhash_error_t *error);
