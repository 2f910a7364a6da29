/*
 * The C API's own contract, written only from include/port_secret.h: version, status numbers
 * and strings, buffer ownership, NULL and non-UTF-8 arguments, round trips of every format, key
 * generation, webhook signatures at the current time, and the Decryptor (rotation, encryption
 * JSON, decrypt_json, decrypt_properties), and runs (open_webhook, open_kafka_message: options,
 * headers, NULLs, the failing input's name). Exit status 0 when every check passed.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "port_secret.h"

#define STR2(x) #x
#define STR(x) STR2(x)

/* The numbers are ABI: they must never change. */
_Static_assert(PORT_SECRET_OK == 0, "OK is 0");
_Static_assert(PORT_SECRET_INVALID_BASE64 == 1, "stable number");
_Static_assert(PORT_SECRET_MALFORMED == 2, "stable number");
_Static_assert(PORT_SECRET_AUTHENTICATION_FAILED == 3, "stable number");
_Static_assert(PORT_SECRET_INVALID_KEY == 4, "stable number");
_Static_assert(PORT_SECRET_INVALID_UTF8 == 5, "stable number");
_Static_assert(PORT_SECRET_INVALID_JSON == 6, "stable number");
_Static_assert(PORT_SECRET_EXPIRED == 7, "stable number");
_Static_assert(PORT_SECRET_UNSUPPORTED_ENCRYPTION == 8, "stable number");
_Static_assert(PORT_SECRET_INVALID_SIGNATURE == 9, "stable number");
_Static_assert(PORT_SECRET_INVALID_ARGUMENT == 10, "stable number");
_Static_assert(PORT_SECRET_INTERNAL == 11, "stable number");
_Static_assert(sizeof(PortSecretStatus) == 4, "a uint32_t");
_Static_assert(PORT_SECRET_DELIVERY_PORT == 0, "stable number");
_Static_assert(PORT_SECRET_DELIVERY_AGENT == 1, "stable number");
_Static_assert(PORT_SECRET_RSA_BACKEND_DEFAULT == 0, "stable number");
_Static_assert(PORT_SECRET_RSA_BACKEND_AWS_LC == 1, "stable number");
_Static_assert(PORT_SECRET_RSA_BACKEND_RUST == 2, "stable number");
_Static_assert(offsetof(PortSecretDecryptorOptions, struct_size) == 0, "struct_size first");

static const char SECRET[] = "demo-client-secret-0123456789abcdefghijkl";
static const char OLD_SECRET[] = "previous-client-secret-0123456789abcdefgh";
static const char SHORT_SECRET[] = "too-short-0123456789";
static const char NOT_UTF8_SECRET[] = "\xff\xfe-client-secret-0123456789abcdefghijkl";

/* A sentinel that a failed call must overwrite with {NULL, 0} (never freed). */
static uint8_t sentinel_byte;
static PortSecretBuffer dirty(void) {
  PortSecretBuffer b = {&sentinel_byte, 1};
  return b;
}

static void test_version_and_status(void) {
  const char *v = port_secret_version();
  CHECK(v != NULL && strcmp(v, PORT_SECRET_VERSION_STRING) == 0, "version %s", v ? v : "NULL");
  CHECK(strcmp(PORT_SECRET_VERSION_STRING,
               STR(PORT_SECRET_VERSION_MAJOR) "." STR(PORT_SECRET_VERSION_MINOR) "." STR(
                   PORT_SECRET_VERSION_PATCH)) == 0,
        "version macros disagree");
  static const char *const names[] = {
      "ok",           "invalid_base64", "malformed",   "authentication_failed",
      "invalid_key",  "invalid_utf8",   "invalid_json", "expired",
      "unsupported_encryption", "invalid_signature", "invalid_argument", "internal"};
  for (uint32_t s = 0; s < sizeof names / sizeof *names; s++) {
    CHECK(strcmp(port_secret_status_str(s), names[s]) == 0, "status %u is %s", s,
          port_secret_status_str(s));
  }
  CHECK(strcmp(port_secret_status_str(12), "unknown") == 0, "12 is unknown");
  CHECK(strcmp(port_secret_status_str(UINT32_MAX), "unknown") == 0, "max is unknown");
  CHECK(PORT_SECRET_DEFAULT_TOLERANCE_SECONDS == 300, "default tolerance");
}

static void test_buffer_free(void) {
  PortSecretBuffer zero = {0};
  port_secret_buffer_free(NULL);
  port_secret_buffer_free(&zero);
  CHECK(buffer_is_empty(&zero), "zeroed buffer stays empty");
  PortSecretBuffer b = {0};
  CHECK_STATUS(port_secret_encrypt_aes256_gcm((const uint8_t *)"x", 1, SECRET, &b), PORT_SECRET_OK,
               "encrypt");
  CHECK(b.data != NULL && b.len > 0 && b.data[b.len] == 0, "filled, NUL-terminated");
  port_secret_buffer_free(&b);
  CHECK(buffer_is_empty(&b), "freed buffer is {NULL, 0}");
  port_secret_buffer_free(&b); /* twice: harmless */
  CHECK(buffer_is_empty(&b), "still empty");
}

static void test_null_arguments(void) {
  const PortSecretStatus BAD = PORT_SECRET_INVALID_ARGUMENT;
  const char *value = "AAAA";
  PortSecretBuffer out = dirty(), out2 = dirty();

  CHECK_STATUS(port_secret_decrypt_aes256_gcm(NULL, SECRET, &out), BAD, "gcm NULL value");
  CHECK(buffer_is_empty(&out), "out cleared on error");
  out = dirty();
  CHECK_STATUS(port_secret_decrypt_aes256_gcm(value, NULL, &out), BAD, "gcm NULL secret");
  CHECK(buffer_is_empty(&out), "out cleared on error");
  CHECK_STATUS(port_secret_decrypt_aes256_gcm(value, SECRET, NULL), BAD, "gcm NULL out");
  CHECK_STATUS(port_secret_decrypt_aes256_gcm_bytes(NULL, SECRET, &out), BAD, "gcm bytes");
  CHECK_STATUS(port_secret_decrypt_client_side(value, NULL, &out), BAD, "cs NULL pem");
  CHECK_STATUS(port_secret_decrypt_client_side_bytes(NULL, "pem", &out), BAD, "cs bytes");
  CHECK_STATUS(port_secret_decrypt_fernet(NULL, SECRET, 0, &out), BAD, "fernet NULL token");
  CHECK_STATUS(port_secret_decrypt_fernet_bytes(value, NULL, 0, &out), BAD, "fernet bytes");
  CHECK_STATUS(port_secret_decrypt_fernet_bytes_at(value, SECRET, 0, 1, NULL), BAD, "fernet at");

  CHECK_STATUS(port_secret_encrypt_aes256_gcm(NULL, 3, SECRET, &out), BAD, "NULL plaintext, len 3");
  CHECK_STATUS(port_secret_encrypt_fernet((const uint8_t *)"x", 1, NULL, &out), BAD, "NULL key");
  CHECK_STATUS(port_secret_encrypt_client_side((const uint8_t *)"x", 1, "k", NULL), BAD, "NULL out");
  CHECK(buffer_is_empty(&out), "out empty");

  out = dirty();
  CHECK_STATUS(port_secret_generate_key_pair(2048, NULL, &out), BAD, "keygen NULL private");
  CHECK_STATUS(port_secret_generate_key_pair(2048, &out, &out), BAD, "keygen same buffer");
  CHECK_STATUS(port_secret_sign_payload(NULL, 2, "1", SECRET, &out), BAD, "sign NULL body");
  CHECK_STATUS(port_secret_sign_payload(NULL, 0, NULL, SECRET, &out), BAD, "sign NULL ts");
  CHECK_STATUS(port_secret_verify_signature(NULL, 0, NULL, "1", SECRET, 300), BAD, "verify NULL sig");
  CHECK_STATUS(port_secret_verify_signature(NULL, 0, "v1,x", "1", NULL, 300), BAD, "verify NULL secret");
  CHECK_STATUS(port_secret_verify_signature_at((const uint8_t *)"{}", 2, "v1,x", NULL, SECRET, 0, 1),
               BAD, "verify_at NULL ts");

  PortSecretDecryptor *d = (PortSecretDecryptor *)&sentinel_byte;
  const char *secrets[] = {SECRET, NULL};
  CHECK_STATUS(port_secret_decryptor_new(secrets, 1, NULL, 0, NULL), BAD, "new NULL out");
  CHECK_STATUS(port_secret_decryptor_new(NULL, 1, NULL, 0, &d), BAD, "new NULL array");
  CHECK(d == NULL, "*out NULL on error");
  CHECK_STATUS(port_secret_decryptor_new(secrets, 2, NULL, 0, &d), BAD, "new NULL element");
  CHECK_STATUS(port_secret_decryptor_new(NULL, 0, NULL, 0, &d), PORT_SECRET_INVALID_KEY, "no keys");
  CHECK(d == NULL, "*out NULL on error");
  out = dirty();
  CHECK_STATUS(port_secret_decryptor_decrypt(NULL, value, "aes256-gcm", &out), BAD, "NULL d");
  CHECK(buffer_is_empty(&out), "out cleared");
  CHECK_STATUS(port_secret_decryptor_decrypt_bytes(NULL, value, "fernet", &out), BAD, "NULL d");
  CHECK_STATUS(port_secret_decryptor_decrypt_json(NULL, value, "fernet", &out), BAD, "NULL d");
  out2 = dirty();
  CHECK_STATUS(port_secret_decryptor_decrypt_properties(NULL, "{}", "{}", &out, &out2), BAD, "NULL d");
  CHECK(buffer_is_empty(&out2), "error_input cleared");
  CHECK_STATUS(port_secret_decryptor_verify_signature(NULL, NULL, 0, "v1,x", "1", 300), BAD, "NULL d");
  port_secret_decryptor_free(NULL);
}

static void test_aes256_gcm(void) {
  const char text[] = "p@ssw0rd: caf\xc3\xa9 \xf0\x9f\x94\x91";
  const uint8_t binary[] = {0x00, 0xff, 0xfe, 0x41, 0x00};
  PortSecretBuffer value = {0}, out = {0};

  CHECK_STATUS(port_secret_encrypt_aes256_gcm((const uint8_t *)text, strlen(text), SECRET, &value),
               PORT_SECRET_OK, "encrypt text");
  CHECK_STATUS(port_secret_decrypt_aes256_gcm((const char *)value.data, SECRET, &out),
               PORT_SECRET_OK, "decrypt text");
  CHECK(buffer_equals(&out, text, strlen(text)) && strcmp((char *)out.data, text) == 0,
        "text round trip");
  port_secret_buffer_free(&out);
  out = dirty();
  CHECK_STATUS(port_secret_decrypt_aes256_gcm((const char *)value.data, OLD_SECRET, &out),
               PORT_SECRET_AUTHENTICATION_FAILED, "wrong secret");
  CHECK(buffer_is_empty(&out), "empty on error");
  CHECK_STATUS(port_secret_decrypt_aes256_gcm((const char *)value.data, SHORT_SECRET, &out),
               PORT_SECRET_INVALID_KEY, "short secret");
  CHECK_STATUS(port_secret_decrypt_aes256_gcm((const char *)value.data, NOT_UTF8_SECRET, &out),
               PORT_SECRET_INVALID_ARGUMENT, "secret not UTF-8");
  CHECK_STATUS(port_secret_decrypt_aes256_gcm("\xff\xfe\xfd\xfc", SECRET, &out),
               PORT_SECRET_INVALID_BASE64, "value not UTF-8 is not base64");
  port_secret_buffer_free(&value);

  CHECK_STATUS(port_secret_encrypt_aes256_gcm(binary, sizeof binary, SECRET, &value),
               PORT_SECRET_OK, "encrypt binary");
  CHECK_STATUS(port_secret_decrypt_aes256_gcm((const char *)value.data, SECRET, &out),
               PORT_SECRET_INVALID_UTF8, "binary as text");
  CHECK(buffer_is_empty(&out), "empty on invalid_utf8");
  CHECK_STATUS(port_secret_decrypt_aes256_gcm_bytes((const char *)value.data, SECRET, &out),
               PORT_SECRET_OK, "binary as bytes");
  CHECK(buffer_equals(&out, binary, sizeof binary), "binary round trip (NUL inside)");
  port_secret_buffer_free(&out);
  port_secret_buffer_free(&value);

  CHECK_STATUS(port_secret_encrypt_aes256_gcm(NULL, 0, SECRET, &value), PORT_SECRET_OK,
               "empty plaintext, NULL pointer");
  CHECK_STATUS(port_secret_decrypt_aes256_gcm((const char *)value.data, SECRET, &out),
               PORT_SECRET_OK, "decrypt empty");
  CHECK(out.data != NULL && out.len == 0 && out.data[0] == 0, "empty plaintext is \"\"");
  port_secret_buffer_free(&out);
  port_secret_buffer_free(&value);
  CHECK_STATUS(port_secret_encrypt_aes256_gcm((const uint8_t *)"x", 1, SHORT_SECRET, &value),
               PORT_SECRET_INVALID_KEY, "encrypt, short secret");
  CHECK(buffer_is_empty(&value), "empty on error");
}

static void test_fernet(void) {
  const char text[] = "legacy secret";
  PortSecretBuffer token = {0}, out = {0};
  CHECK_STATUS(port_secret_encrypt_fernet((const uint8_t *)text, strlen(text), SECRET, &token),
               PORT_SECRET_OK, "encrypt fernet");
  CHECK(token.len > 0 && strncmp((char *)token.data, "gAAAAA", 6) == 0, "fernet token");
  CHECK_STATUS(port_secret_decrypt_fernet((const char *)token.data, SECRET, 60, &out),
               PORT_SECRET_OK, "fresh token, ttl 60");
  CHECK(buffer_equals(&out, text, strlen(text)), "fernet round trip");
  port_secret_buffer_free(&out);
  uint64_t later = (uint64_t)time(NULL) + 3600;
  CHECK_STATUS(port_secret_decrypt_fernet_bytes_at((const char *)token.data, SECRET, 60, later, &out),
               PORT_SECRET_EXPIRED, "an hour later, ttl 60");
  CHECK(buffer_is_empty(&out), "empty on expired");
  CHECK_STATUS(port_secret_decrypt_fernet_bytes_at((const char *)token.data, SECRET, 0, later, &out),
               PORT_SECRET_OK, "an hour later, no ttl");
  port_secret_buffer_free(&out);
  CHECK_STATUS(port_secret_decrypt_fernet((const char *)token.data, OLD_SECRET, 0, &out),
               PORT_SECRET_AUTHENTICATION_FAILED, "fernet wrong secret");
  port_secret_buffer_free(&token);
}

/* Writes `pem` into `dst` as the JSON object of a client-side `encryption`. */
static char *client_side_encryption(const char *pem) {
  char *json = malloc(2 * strlen(pem) + 64), *o;
  if (!json) exit(2);
  o = json + sprintf(json, "{\"algorithm\":\"client-side\",\"key\":\"");
  for (; *pem; pem++) {
    if (*pem == '\n') *o++ = '\\', *o++ = 'n';
    else *o++ = *pem;
  }
  strcpy(o, "\"}");
  return json;
}

static void test_client_side_and_decryptor(void) {
  PortSecretBuffer priv = dirty(), pub = dirty(), value = {0}, out = {0};
  CHECK_STATUS(port_secret_generate_key_pair(1024, &priv, &pub), PORT_SECRET_INVALID_KEY,
               "1024 bits");
  CHECK(buffer_is_empty(&priv) && buffer_is_empty(&pub), "both empty on error");
  CHECK_STATUS(port_secret_generate_key_pair(2048, &priv, &pub), PORT_SECRET_OK, "keygen 2048");
  if (priv.data == NULL || pub.data == NULL) return;
  CHECK(strncmp((char *)priv.data, "-----BEGIN PRIVATE KEY-----", 27) == 0, "PKCS#8 PEM");
  CHECK(strncmp((char *)pub.data, "-----BEGIN PUBLIC KEY-----", 26) == 0, "SPKI PEM");

  const char text[] = "{\"n\":1,\"token\":\"ghp_abc\"}";
  CHECK_STATUS(port_secret_encrypt_client_side((const uint8_t *)text, strlen(text),
                                               (const char *)pub.data, &value),
               PORT_SECRET_OK, "encrypt client-side");
  CHECK_STATUS(port_secret_encrypt_client_side((const uint8_t *)text, strlen(text),
                                               (const char *)priv.data, &out),
               PORT_SECRET_INVALID_KEY, "private PEM as public key");
  CHECK_STATUS(port_secret_decrypt_client_side((const char *)value.data, (const char *)priv.data, &out),
               PORT_SECRET_OK, "decrypt client-side");
  CHECK(buffer_equals(&out, text, strlen(text)), "client-side round trip");
  port_secret_buffer_free(&out);
  CHECK_STATUS(port_secret_decrypt_client_side((const char *)value.data, (const char *)pub.data, &out),
               PORT_SECRET_INVALID_KEY, "public PEM as private key");
  CHECK_STATUS(port_secret_decrypt_client_side((const char *)value.data, "\xff not a pem", &out),
               PORT_SECRET_INVALID_ARGUMENT, "PEM not UTF-8");

  /* A decryptor with two client secrets (rotation) and the private key. */
  const char *secrets[] = {SECRET, OLD_SECRET};
  const char *keys[] = {(const char *)priv.data};
  PortSecretDecryptor *d = NULL;
  CHECK_STATUS(port_secret_decryptor_new(secrets, 2, keys, 1, &d), PORT_SECRET_OK, "decryptor");
  if (d == NULL) return;
  char *enc = client_side_encryption((const char *)pub.data);
  CHECK_STATUS(port_secret_decryptor_decrypt(d, (const char *)value.data, enc, &out),
               PORT_SECRET_OK, "decryptor, encryption with key");
  CHECK(buffer_equals(&out, text, strlen(text)), "decryptor client-side");
  port_secret_buffer_free(&out);
  CHECK_STATUS(port_secret_decryptor_decrypt_json(d, (const char *)value.data, "client-side", &out),
               PORT_SECRET_OK, "decrypt_json");
  CHECK(buffer_equals(&out, text, strlen(text)), "decrypt_json re-serializes compactly");
  port_secret_buffer_free(&out);
  CHECK_STATUS(port_secret_decryptor_decrypt(d, (const char *)value.data, "rot13", &out),
               PORT_SECRET_UNSUPPORTED_ENCRYPTION, "unknown encryption");
  CHECK_STATUS(port_secret_decryptor_decrypt(d, (const char *)value.data, "{\"algorithm\":1}", &out),
               PORT_SECRET_UNSUPPORTED_ENCRYPTION, "bad encryption object");
  CHECK_STATUS(port_secret_decryptor_decrypt(d, (const char *)value.data, "\xff", &out),
               PORT_SECRET_INVALID_ARGUMENT, "encryption not UTF-8");
  port_secret_buffer_free(&value);

  /* The old secret still opens values made with it; a stranger's does not. */
  CHECK_STATUS(port_secret_encrypt_aes256_gcm((const uint8_t *)"hunter2", 7, OLD_SECRET, &value),
               PORT_SECRET_OK, "encrypt with the old secret");
  CHECK_STATUS(port_secret_decryptor_decrypt(d, (const char *)value.data, "\"aes256-gcm\"", &out),
               PORT_SECRET_OK, "rotation: old secret");
  CHECK(buffer_equals(&out, "hunter2", 7), "rotation plaintext");
  port_secret_buffer_free(&out);
  CHECK_STATUS(port_secret_decryptor_decrypt_json(d, (const char *)value.data, "aes256-gcm", &out),
               PORT_SECRET_INVALID_JSON, "decrypt_json of non-JSON");
  CHECK(buffer_is_empty(&out), "empty on invalid_json");

  /* decrypt_properties: secret inputs decrypted, others untouched, errors name the input. */
  PortSecretBuffer obj = {0}, props_out = {0}, failed = dirty();
  CHECK_STATUS(port_secret_encrypt_aes256_gcm((const uint8_t *)"{\"a\":[1,2]}", 11, SECRET, &obj),
               PORT_SECRET_OK, "encrypt object");
  const char *user_inputs =
      "{\"properties\":{\"db_password\":{\"type\":\"string\",\"encryption\":\"aes256-gcm\"},"
      "\"config\":{\"type\":\"object\",\"encryption\":\"aes256-gcm\"},"
      "\"absent\":{\"type\":\"string\",\"encryption\":\"aes256-gcm\"},"
      "\"region\":{\"type\":\"string\"}}}";
  char *props = malloc(value.len + obj.len + 128);
  if (!props) exit(2);
  sprintf(props, "{\"db_password\":\"%s\",\"config\":\"%s\",\"region\":\"eu-west-1\"}",
          (const char *)value.data, (const char *)obj.data);
  CHECK_STATUS(port_secret_decryptor_decrypt_properties(d, props, user_inputs, &props_out, &failed),
               PORT_SECRET_OK, "decrypt_properties");
  CHECK(buffer_is_empty(&failed), "no failed input");
  CHECK(props_out.data && strstr((char *)props_out.data, "\"db_password\":\"hunter2\"") &&
            strstr((char *)props_out.data, "\"config\":{\"a\":[1,2]}") &&
            strstr((char *)props_out.data, "\"region\":\"eu-west-1\"") &&
            !strstr((char *)props_out.data, "absent"),
        "decrypted properties: %s", props_out.data ? "wrong content" : "NULL");
  port_secret_buffer_free(&props_out);
  /* Tamper with db_password: the error names it, and nothing else is returned. */
  char *p = strstr(props, "\"db_password\":\"") + 20;
  *p = *p == 'A' ? 'B' : 'A';
  CHECK_STATUS(port_secret_decryptor_decrypt_properties(d, props, user_inputs, &props_out, &failed),
               PORT_SECRET_AUTHENTICATION_FAILED, "tampered input");
  CHECK(buffer_is_empty(&props_out), "no output on error");
  CHECK(buffer_equals(&failed, "db_password", 11), "error names the input");
  port_secret_buffer_free(&failed);
  CHECK_STATUS(port_secret_decryptor_decrypt_properties(d, props, user_inputs, &props_out, NULL),
               PORT_SECRET_AUTHENTICATION_FAILED, "error_input may be NULL");
  CHECK_STATUS(port_secret_decryptor_decrypt_properties(d, "{not json", user_inputs, &props_out, NULL),
               PORT_SECRET_INVALID_JSON, "properties not JSON");
  CHECK_STATUS(port_secret_decryptor_decrypt_properties(d, "[]", user_inputs, &props_out, NULL),
               PORT_SECRET_MALFORMED, "properties not an object");
  CHECK_STATUS(port_secret_decryptor_decrypt_properties(d, props, user_inputs, &props_out, &props_out),
               PORT_SECRET_INVALID_ARGUMENT, "error_input == out");
  free(props);
  free(enc);
  port_secret_buffer_free(&obj);
  port_secret_buffer_free(&value);

  /* A decryptor with only a private key has no client secret for aes256-gcm or signatures. */
  PortSecretDecryptor *keys_only = NULL;
  CHECK_STATUS(port_secret_decryptor_new(NULL, 0, keys, 1, &keys_only), PORT_SECRET_OK, "keys only");
  CHECK_STATUS(port_secret_encrypt_aes256_gcm((const uint8_t *)"x", 1, SECRET, &value),
               PORT_SECRET_OK, "encrypt");
  CHECK_STATUS(port_secret_decryptor_decrypt(keys_only, (const char *)value.data, "aes256-gcm", &out),
               PORT_SECRET_INVALID_KEY, "no client secret configured");
  CHECK_STATUS(port_secret_decryptor_verify_signature(keys_only, NULL, 0, "v1,x", "1", 300),
               PORT_SECRET_INVALID_KEY, "no client secret to verify with");
  port_secret_buffer_free(&value);
  port_secret_decryptor_free(keys_only);

  const char *bad_keys[] = {(const char *)pub.data};
  PortSecretDecryptor *bad = (PortSecretDecryptor *)&sentinel_byte;
  CHECK_STATUS(port_secret_decryptor_new(NULL, 0, bad_keys, 1, &bad), PORT_SECRET_INVALID_KEY,
               "public key as private key");
  CHECK(bad == NULL, "*out NULL on error");
  const char *short_secrets[] = {SHORT_SECRET};
  CHECK_STATUS(port_secret_decryptor_new(short_secrets, 1, NULL, 0, &bad), PORT_SECRET_INVALID_KEY,
               "short secret");
  const char *not_utf8[] = {NOT_UTF8_SECRET};
  CHECK_STATUS(port_secret_decryptor_new(not_utf8, 1, NULL, 0, &bad), PORT_SECRET_INVALID_ARGUMENT,
               "secret not UTF-8");

  /* Webhook signatures with the decryptor's secrets, at the current time. */
  char ts[32];
  snprintf(ts, sizeof ts, "%lld", (long long)time(NULL));
  const char body[] = "{\"action\":{\"identifier\":\"deploy\"}}";
  PortSecretBuffer sig = {0};
  CHECK_STATUS(port_secret_sign_payload((const uint8_t *)body, strlen(body), ts, OLD_SECRET, &sig),
               PORT_SECRET_OK, "sign");
  CHECK_STATUS(port_secret_decryptor_verify_signature(d, (const uint8_t *)body, strlen(body),
                                                      (const char *)sig.data, ts, 300),
               PORT_SECRET_OK, "decryptor verifies with the old secret");
  CHECK_STATUS(port_secret_decryptor_verify_signature(d, (const uint8_t *)body, strlen(body) - 1,
                                                      (const char *)sig.data, ts, 300),
               PORT_SECRET_INVALID_SIGNATURE, "body changed");
  CHECK_STATUS(port_secret_decryptor_verify_signature(d, (const uint8_t *)body, strlen(body),
                                                      "v1,\xff\xfe", ts, 300),
               PORT_SECRET_INVALID_SIGNATURE, "signature not UTF-8");
  port_secret_buffer_free(&sig);
  port_secret_decryptor_free(d);
  port_secret_buffer_free(&priv);
  port_secret_buffer_free(&pub);
}

static void test_signatures(void) {
  char ts[32], old_ts[32];
  long long now = (long long)time(NULL);
  snprintf(ts, sizeof ts, "%lld", now);
  snprintf(old_ts, sizeof old_ts, "%lld", now - 1000);
  const uint8_t body[] = "{\"payload\":{}}\r\n";
  size_t len = sizeof body - 1;
  PortSecretBuffer sig = {0}, old_sig = {0};
  CHECK_STATUS(port_secret_sign_payload(body, len, ts, SECRET, &sig), PORT_SECRET_OK, "sign");
  CHECK(sig.len > 3 && strncmp((char *)sig.data, "v1,", 3) == 0, "v1, header");
  CHECK_STATUS(port_secret_verify_signature(body, len, (const char *)sig.data, ts, SECRET,
                                            PORT_SECRET_DEFAULT_TOLERANCE_SECONDS),
               PORT_SECRET_OK, "verify now");
  CHECK_STATUS(port_secret_verify_signature(body, len, (const char *)sig.data, ts, OLD_SECRET, 300),
               PORT_SECRET_INVALID_SIGNATURE, "other secret");
  CHECK_STATUS(port_secret_sign_payload(body, len, old_ts, SECRET, &old_sig), PORT_SECRET_OK, "sign");
  CHECK_STATUS(port_secret_verify_signature(body, len, (const char *)old_sig.data, old_ts, SECRET, 300),
               PORT_SECRET_EXPIRED, "stale timestamp");
  CHECK_STATUS(port_secret_verify_signature(body, len, (const char *)old_sig.data, old_ts, SECRET, 3600),
               PORT_SECRET_OK, "within a larger tolerance");
  CHECK_STATUS(port_secret_verify_signature_at(body, len, (const char *)old_sig.data, old_ts, SECRET,
                                               300, now - 1000),
               PORT_SECRET_OK, "verify_at the signing time");
  CHECK_STATUS(port_secret_verify_signature(body, len, (const char *)sig.data, ts, NOT_UTF8_SECRET, 300),
               PORT_SECRET_INVALID_ARGUMENT, "secret not UTF-8");
  port_secret_buffer_free(&sig);
  sig = dirty();
  CHECK_STATUS(port_secret_sign_payload(body, len, ts, "", &sig), PORT_SECRET_INVALID_KEY,
               "empty secret");
  CHECK(buffer_is_empty(&sig), "cleared on error");
  port_secret_buffer_free(&old_sig);

  /* One argument order with port_secret_verify_signature: body, timestamp, then the secret. The
     old order (secret before timestamp) puts the secret where the timestamp goes: refused as
     malformed, nothing signed; so is any timestamp that is not an integer. */
  sig = dirty();
  CHECK_STATUS(port_secret_sign_payload(body, len, SECRET, ts, &sig), PORT_SECRET_MALFORMED,
               "old argument order");
  CHECK(buffer_is_empty(&sig), "nothing signed in the old order");
  CHECK_STATUS(port_secret_sign_payload(body, len, "1700000000.5", SECRET, &sig),
               PORT_SECRET_MALFORMED, "timestamp not an integer");
  CHECK_STATUS(port_secret_sign_payload(body, len, ts, SECRET, &sig), PORT_SECRET_OK, "new order");
  CHECK_STATUS(port_secret_verify_signature(body, len, (const char *)sig.data, ts, SECRET, 300),
               PORT_SECRET_OK, "verify_signature accepts what the new order signed");
  port_secret_buffer_free(&sig);
}

/* A webhook body holding one aes256-gcm secret input `pw` with `value`, its definitions inside. */
static char *run_body(const char *value) {
  static const char fmt[] =
      "{\"payload\": {\"action\": {\"userInputs\": {\"properties\": {\"pw\": {\"type\": \"string\", "
      "\"encryption\": \"aes256-gcm\"}}}}, \"properties\": {\"pw\": \"%s\", \"n\": 1.50, "
      "\"note\": \"caf\xc3\xa9\"}}}";
  size_t n = sizeof fmt + strlen(value);
  char *body = malloc(n);
  if (!body) exit(2);
  snprintf(body, n, fmt, value);
  return body;
}

static void test_runs(void) {
  PortSecretRunOptions o = port_secret_run_options_default();
  CHECK(o.delivery == PORT_SECRET_DELIVERY_PORT && o.verify_signature &&
            o.tolerance_seconds == PORT_SECRET_DEFAULT_TOLERANCE_SECONDS &&
            o.user_inputs_json == NULL && o.user_inputs_pointer == NULL &&
            o.properties_pointer == NULL && o.default_encryption_json == NULL &&
            o.max_body == PORT_SECRET_DEFAULT_MAX_BODY &&
            o.max_client_side_inputs == PORT_SECRET_DEFAULT_MAX_CLIENT_SIDE_INPUTS && !o.has_now,
        "%s", "run options defaults");

  const char *secrets[1] = {SECRET};
  PortSecretDecryptor *d = NULL;
  CHECK_STATUS(port_secret_decryptor_new(secrets, 1, NULL, 0, &d), PORT_SECRET_OK, "decryptor");
  PortSecretBuffer value = {0}, out = {0}, name = {0};
  CHECK_STATUS(port_secret_encrypt_aes256_gcm((const uint8_t *)"hunter2", 7, SECRET, &value),
               PORT_SECRET_OK, "encrypt");
  char *body = run_body((const char *)value.data);
  size_t len = strlen(body);
  char ts[32];
  snprintf(ts, sizeof ts, "%lld", (long long)time(NULL));
  PortSecretBuffer sig = {0};
  CHECK_STATUS(port_secret_sign_payload((const uint8_t *)body, len, ts, SECRET, &sig),
               PORT_SECRET_OK, "sign");
  PortSecretHeader headers[3] = {
      {"Content-Type", (const uint8_t *)"application/json", 16},
      {"X-Port-Signature", sig.data, sig.len},
      {"X-PORT-TIMESTAMP", (const uint8_t *)ts, strlen(ts)},
  };
  static const char want[] = "{\"payload\":{\"action\":{\"userInputs\":{\"properties\":{\"pw\":{"
                             "\"type\":\"string\",\"encryption\":\"aes256-gcm\"}}}},"
                             "\"properties\":{\"pw\":\"hunter2\",\"n\":1.50,\"note\":\"caf\xc3\xa9\"}}}";

  /* Signed now, default options (NULL): the run as compact JSON, numbers as spelled. */
  name = dirty();
  CHECK_STATUS(port_secret_decryptor_open_webhook(d, (const uint8_t *)body, len, headers, 3, NULL,
                                                  &out, &name),
               PORT_SECRET_OK, "open_webhook, signed now");
  CHECK(buffer_equals(&out, want, sizeof want - 1), "run JSON: %s",
        out.data ? (const char *)out.data : "NULL");
  CHECK(buffer_is_empty(&name), "%s", "error_input emptied on success");
  port_secret_buffer_free(&out);

  /* Without the signature headers: invalid_signature, unless verification is off. */
  out = dirty();
  CHECK_STATUS(port_secret_decryptor_open_webhook(d, (const uint8_t *)body, len, headers, 1, &o,
                                                  &out, NULL),
               PORT_SECRET_INVALID_SIGNATURE, "no signature header");
  CHECK(buffer_is_empty(&out), "%s", "cleared on error");
  o.verify_signature = false;
  CHECK_STATUS(port_secret_decryptor_open_webhook(d, (const uint8_t *)body, len, NULL, 0, &o, &out,
                                                  NULL),
               PORT_SECRET_OK, "verification off");
  port_secret_buffer_free(&out);

  /* An hour later, at a replayed clock: expired; with an hour of tolerance: ok. */
  o = port_secret_run_options_default();
  o.has_now = true;
  o.now = (int64_t)time(NULL) + 3600;
  CHECK_STATUS(port_secret_decryptor_open_webhook(d, (const uint8_t *)body, len, headers, 3, &o,
                                                  &out, NULL),
               PORT_SECRET_EXPIRED, "an hour later");
  o.tolerance_seconds = 7200;
  CHECK_STATUS(port_secret_decryptor_open_webhook(d, (const uint8_t *)body, len, headers, 3, &o,
                                                  &out, NULL),
               PORT_SECRET_OK, "an hour later, two hours of tolerance");
  port_secret_buffer_free(&out);

  /* A failing input: its status and its name in error_input, nothing in out. */
  o = port_secret_run_options_default();
  o.verify_signature = false;
  char *bad = run_body("AAAA");
  CHECK_STATUS(port_secret_decryptor_open_webhook(d, (const uint8_t *)bad, strlen(bad), NULL, 0,
                                                  &o, &out, &name),
               PORT_SECRET_MALFORMED, "short value");
  CHECK(buffer_equals(&name, "pw", 2), "%s", "error_input names the input");
  CHECK(buffer_is_empty(&out), "%s", "no run on error");
  port_secret_buffer_free(&name);
  /* The same through Kafka (verification off: no signature inside). */
  CHECK_STATUS(port_secret_decryptor_open_kafka_message(d, (const uint8_t *)bad, strlen(bad), &o,
                                                        &out, &name),
               PORT_SECRET_MALFORMED, "kafka, short value");
  CHECK(buffer_equals(&name, "pw", 2), "%s", "kafka error_input");
  port_secret_buffer_free(&name);
  CHECK_STATUS(port_secret_decryptor_open_kafka_message(d, (const uint8_t *)"[1]", 3, &o, &out,
                                                        &name),
               PORT_SECRET_MALFORMED, "kafka message not an object");
  CHECK(buffer_is_empty(&name), "%s", "no input named");
  CHECK_STATUS(port_secret_decryptor_open_kafka_message(d, (const uint8_t *)body, len, NULL, &out,
                                                        NULL),
               PORT_SECRET_INVALID_SIGNATURE, "kafka message without headers, verified");
  free(bad);

  /* Options: names list with a default encryption, pointers, caps, bad values. */
  o = port_secret_run_options_default();
  o.verify_signature = false;
  o.user_inputs_json = "[\"pw\"]";
  o.default_encryption_json = "aes256-gcm";
  CHECK_STATUS(port_secret_decryptor_open_webhook(d, (const uint8_t *)body, len, NULL, 0, &o, &out,
                                                  NULL),
               PORT_SECRET_OK, "names list, bare default encryption");
  CHECK(out.data && strstr((const char *)out.data, "\"pw\":\"hunter2\""), "%s", "names list run");
  port_secret_buffer_free(&out);
  o.default_encryption_json = "\"fernet\"";
  /* An aes256-gcm value read as a Fernet token: an error (which one depends on its base64
   * characters), naming the input. */
  PortSecretStatus st = port_secret_decryptor_open_webhook(d, (const uint8_t *)body, len, NULL, 0,
                                                           &o, &out, &name);
  CHECK(st != PORT_SECRET_OK && buffer_is_empty(&out), "names list as fernet: %s",
        port_secret_status_str(st));
  CHECK(buffer_equals(&name, "pw", 2), "%s", "names list as fernet: named");
  port_secret_buffer_free(&name);
  o.default_encryption_json = "rot13";
  CHECK_STATUS(port_secret_decryptor_open_webhook(d, (const uint8_t *)body, len, NULL, 0, &o, &out,
                                                  &name),
               PORT_SECRET_UNSUPPORTED_ENCRYPTION, "unknown default encryption");
  CHECK(buffer_equals(&name, "pw", 2), "%s", "named");
  port_secret_buffer_free(&name);
  o.default_encryption_json = NULL;
  o.user_inputs_json = "{oops";
  CHECK_STATUS(port_secret_decryptor_open_webhook(d, (const uint8_t *)body, len, NULL, 0, &o, &out,
                                                  NULL),
               PORT_SECRET_INVALID_JSON, "user_inputs_json not JSON");
  o.user_inputs_json = NULL;
  o.properties_pointer = "/nowhere";
  CHECK_STATUS(port_secret_decryptor_open_webhook(d, (const uint8_t *)body, len, NULL, 0, &o, &out,
                                                  NULL),
               PORT_SECRET_MALFORMED, "nothing at properties_pointer");
  o.properties_pointer = "\xff";
  CHECK_STATUS(port_secret_decryptor_open_webhook(d, (const uint8_t *)body, len, NULL, 0, &o, &out,
                                                  NULL),
               PORT_SECRET_INVALID_ARGUMENT, "pointer not UTF-8");
  o.properties_pointer = NULL;
  o.max_body = 10;
  CHECK_STATUS(port_secret_decryptor_open_webhook(d, (const uint8_t *)body, len, NULL, 0, &o, &out,
                                                  NULL),
               PORT_SECRET_MALFORMED, "over max_body");
  o.max_body = 0;
  o.delivery = 7;
  CHECK_STATUS(port_secret_decryptor_open_webhook(d, (const uint8_t *)body, len, NULL, 0, &o, &out,
                                                  NULL),
               PORT_SECRET_INVALID_ARGUMENT, "unknown delivery");
  o.delivery = PORT_SECRET_DELIVERY_PORT;

  /* NULLs and aliasing. */
  PortSecretHeader null_name = {NULL, NULL, 0};
  name = dirty();
  CHECK_STATUS(port_secret_decryptor_open_webhook(d, (const uint8_t *)body, len, &null_name, 1, &o,
                                                  &out, &name),
               PORT_SECRET_INVALID_ARGUMENT, "NULL header name");
  CHECK(buffer_is_empty(&name), "%s", "error_input emptied on an argument error");
  CHECK_STATUS(port_secret_decryptor_open_webhook(d, (const uint8_t *)body, len, NULL, 2, &o, &out,
                                                  NULL),
               PORT_SECRET_INVALID_ARGUMENT, "NULL headers with a count");
  CHECK_STATUS(port_secret_decryptor_open_webhook(d, NULL, 5, NULL, 0, &o, &out, NULL),
               PORT_SECRET_INVALID_ARGUMENT, "NULL body with a length");
  CHECK_STATUS(port_secret_decryptor_open_webhook(NULL, (const uint8_t *)body, len, NULL, 0, &o,
                                                  &out, NULL),
               PORT_SECRET_INVALID_ARGUMENT, "NULL decryptor");
  CHECK_STATUS(port_secret_decryptor_open_webhook(d, (const uint8_t *)body, len, NULL, 0, &o, NULL,
                                                  NULL),
               PORT_SECRET_INVALID_ARGUMENT, "NULL out");
  CHECK_STATUS(port_secret_decryptor_open_webhook(d, (const uint8_t *)body, len, NULL, 0, &o, &out,
                                                  &out),
               PORT_SECRET_INVALID_ARGUMENT, "out is error_input");
  CHECK_STATUS(port_secret_decryptor_open_kafka_message(d, NULL, 0, &o, &out, NULL),
               PORT_SECRET_INVALID_JSON, "empty Kafka message");
  CHECK_STATUS(port_secret_decryptor_open_kafka_message(NULL, NULL, 0, &o, &out, NULL),
               PORT_SECRET_INVALID_ARGUMENT, "kafka, NULL decryptor");

  free(body);
  port_secret_buffer_free(&sig);
  port_secret_buffer_free(&value);
  port_secret_decryptor_free(d);
}

/* A 64 MiB value is over the 1 MiB cap: MALFORMED, checked before any decoding. */
static void test_huge_value(void) {
  size_t n = (size_t)64 << 20;
  char *huge = malloc(n + 1);
  CHECK(huge != NULL, "%s", "malloc 64 MiB");
  if (huge == NULL) return;
  memset(huge, 'A', n);
  huge[n] = '\0';
  PortSecretBuffer out = {0};
  CHECK_STATUS(port_secret_decrypt_aes256_gcm(huge, SECRET, &out), PORT_SECRET_MALFORMED,
               "64 MiB aes256-gcm value");
  CHECK(buffer_is_empty(&out), "%s", "no output for a huge value");
  CHECK_STATUS(port_secret_decrypt_fernet(huge, SECRET, 0, &out), PORT_SECRET_MALFORMED,
               "64 MiB fernet token");
  free(huge);
}

/* A Fernet token for SECRET made at unix time 1000000000 (2001), plaintext "old". */
static const char OLD_FERNET[] =
    "gAAAAAA7msoAF2y4NTh4X_q2_S_k2vAWcnYtBJuLhwdxQHkCc2JWPc2TQqf4A68nQAWrmmKAvwxZ34Xl874q9oqnlWEKFiy8DQ==";

/* A decryptor from options, or NULL; `*status` receives the status. */
static PortSecretDecryptor *new_with(const PortSecretDecryptorOptions *o, PortSecretStatus *status) {
  PortSecretDecryptor *d = (PortSecretDecryptor *)&sentinel_byte;
  *status = port_secret_decryptor_new_with(o, &d);
  CHECK(*status == PORT_SECRET_OK ? d != NULL : d == NULL, "*out is %s", "set, or NULL on error");
  return *status == PORT_SECRET_OK ? d : NULL;
}

/* port_secret_decryptor_options_init / port_secret_decryptor_new_with: every builder option,
 * defaults, growth by struct_size, and typed codes for bad options. */
static void test_decryptor_options(void) {
  PortSecretDecryptorOptions o;
  PortSecretStatus st;
  PortSecretDecryptor *d;
  PortSecretBuffer value = {0}, out = {0};
  const char *secrets[] = {SECRET, OLD_SECRET};
  const char *bad_secrets[] = {NOT_UTF8_SECRET};

  memset(&o, 0xAB, sizeof o);
  CHECK_STATUS(port_secret_decryptor_options_init(NULL, sizeof o), PORT_SECRET_INVALID_ARGUMENT,
               "init NULL");
  CHECK_STATUS(port_secret_decryptor_options_init(&o, sizeof o - 1), PORT_SECRET_INVALID_ARGUMENT,
               "init, size too small");
  CHECK_STATUS(port_secret_decryptor_options_init(&o, sizeof o + 8), PORT_SECRET_INVALID_ARGUMENT,
               "init, size of a newer header");
  CHECK(o.max_input_len != PORT_SECRET_DEFAULT_MAX_INPUT_LEN, "%s", "untouched on error");
  CHECK_STATUS(port_secret_decryptor_options_init(&o, sizeof o), PORT_SECRET_OK, "init");
  CHECK(o.struct_size == sizeof o, "%s", "struct_size");
  CHECK(o.client_secrets == NULL && o.client_secrets_len == 0, "%s", "no client secrets");
  CHECK(o.private_keys == NULL && o.private_keys_len == 0, "%s", "no private keys");
  CHECK(o.max_input_len == PORT_SECRET_DEFAULT_MAX_INPUT_LEN, "%s", "default max_input_len");
  CHECK(!o.has_fernet_ttl && o.fernet_ttl_seconds == 0, "%s", "no fernet ttl");
  CHECK(o.rsa_backend == PORT_SECRET_RSA_BACKEND_DEFAULT, "%s", "default backend");

  /* NULLs and bad arrays. */
  d = (PortSecretDecryptor *)&sentinel_byte;
  CHECK_STATUS(port_secret_decryptor_new_with(NULL, &d), PORT_SECRET_INVALID_ARGUMENT, "NULL options");
  CHECK(d == NULL, "%s", "*out NULL on error");
  CHECK_STATUS(port_secret_decryptor_new_with(&o, NULL), PORT_SECRET_INVALID_ARGUMENT, "NULL out");
  new_with(&o, &st);
  CHECK_STATUS(st, PORT_SECRET_INVALID_KEY, "no key at all");
  o.client_secrets_len = 1;
  new_with(&o, &st);
  CHECK_STATUS(st, PORT_SECRET_INVALID_ARGUMENT, "NULL client_secrets, length 1");
  o.client_secrets = bad_secrets;
  new_with(&o, &st);
  CHECK_STATUS(st, PORT_SECRET_INVALID_ARGUMENT, "non-UTF-8 client secret");
  o.client_secrets = secrets;
  o.client_secrets_len = 2;
  o.private_keys_len = 1;
  new_with(&o, &st);
  CHECK_STATUS(st, PORT_SECRET_INVALID_ARGUMENT, "NULL private_keys, length 1");
  o.private_keys_len = 0;

  /* Options are checked by the core's builder: the same answer as in every language. */
  o.max_input_len = 0;
  new_with(&o, &st);
  CHECK_STATUS(st, PORT_SECRET_MALFORMED, "max_input_len 0");
  o.max_input_len = PORT_SECRET_DEFAULT_MAX_INPUT_LEN;
  o.rsa_backend = 99;
  new_with(&o, &st);
  CHECK_STATUS(st, PORT_SECRET_INVALID_ARGUMENT, "unknown rsa_backend");
  o.rsa_backend = PORT_SECRET_RSA_BACKEND_RUST;
  d = new_with(&o, &st);
  CHECK(st == PORT_SECRET_OK || st == PORT_SECRET_INVALID_ARGUMENT,
        "rust backend: OK when built in, else invalid_argument, got %s", port_secret_status_str(st));
  port_secret_decryptor_free(d);
  o.rsa_backend = PORT_SECRET_RSA_BACKEND_AWS_LC;
  o.struct_size = sizeof o + 8;
  new_with(&o, &st);
  CHECK_STATUS(st, PORT_SECRET_INVALID_ARGUMENT, "struct_size of a newer header");
  o.struct_size = 0;
  new_with(&o, &st);
  CHECK_STATUS(st, PORT_SECRET_INVALID_ARGUMENT, "struct_size 0");
  o.struct_size = sizeof o;

  /* Every option takes effect. */
  const char text[] = "a secret of 26 bytes......";
  CHECK_STATUS(port_secret_encrypt_aes256_gcm((const uint8_t *)text, strlen(text), OLD_SECRET, &value),
               PORT_SECRET_OK, "encrypt with the old secret");
  d = new_with(&o, &st);
  CHECK_STATUS(st, PORT_SECRET_OK, "two secrets, aws-lc");
  CHECK_STATUS(port_secret_decryptor_decrypt(d, (const char *)value.data, "aes256-gcm", &out),
               PORT_SECRET_OK, "rotation: the second secret opens it");
  CHECK(buffer_equals(&out, text, strlen(text)), "%s", "plaintext");
  port_secret_buffer_free(&out);
  CHECK_STATUS(port_secret_decryptor_decrypt(d, OLD_FERNET, "fernet", &out), PORT_SECRET_OK,
               "no ttl: a 2001 token opens");
  CHECK(buffer_equals(&out, "old", 3), "%s", "fernet plaintext");
  port_secret_buffer_free(&out);
  port_secret_decryptor_free(d);

  o.has_fernet_ttl = true;
  o.fernet_ttl_seconds = 3600;
  d = new_with(&o, &st);
  CHECK_STATUS(st, PORT_SECRET_OK, "ttl 3600");
  CHECK_STATUS(port_secret_decryptor_decrypt(d, OLD_FERNET, "fernet", &out), PORT_SECRET_EXPIRED,
               "a 2001 token past a 3600 s ttl");
  CHECK(buffer_is_empty(&out), "%s", "empty on error");
  port_secret_decryptor_free(d);
  o.has_fernet_ttl = false;
  o.max_input_len = value.len - 1;
  d = new_with(&o, &st);
  CHECK_STATUS(st, PORT_SECRET_OK, "small cap");
  CHECK_STATUS(port_secret_decryptor_decrypt(d, (const char *)value.data, "aes256-gcm", &out),
               PORT_SECRET_MALFORMED, "value one byte over max_input_len");
  CHECK(buffer_is_empty(&out), "%s", "empty on error");
  port_secret_decryptor_free(d);
  o.max_input_len = value.len;
  d = new_with(&o, &st);
  CHECK_STATUS(port_secret_decryptor_decrypt(d, (const char *)value.data, "aes256-gcm", &out),
               PORT_SECRET_OK, "value exactly at max_input_len");
  port_secret_buffer_free(&out);
  port_secret_decryptor_free(d);
  port_secret_buffer_free(&value);
}

int main(void) {
  test_version_and_status();
  test_huge_value();
  test_buffer_free();
  test_null_arguments();
  test_aes256_gcm();
  test_fernet();
  test_client_side_and_decryptor();
  test_signatures();
  test_runs();
  test_decryptor_options();
  printf("api: %lu checks, %lu failed (library %s)\n", checks_run, checks_failed,
         port_secret_version());
  return checks_failed == 0 && checks_run > 0 ? 0 : 1;
}
