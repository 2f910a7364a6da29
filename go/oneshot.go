package portsecret

/*
#include "port_secret.h"
*/
import "C"

import "time"

// One-shot functions: the key is given (and parsed) on every call. For many values with the
// same keys, use a [Decryptor]. Every result is the caller's: clear a plaintext when done.

// decryptWithKey runs a (value, key) decrypt: NUL in the key is invalid_argument; a NUL in
// the value keeps the core's error order (it is invalid base64 at the base64 step).
func decryptWithKey(kind decryptKind, value []byte, key string, ttl, now uint64) ([]byte, error) {
	if hasNUL(key) {
		return nil, errInvalidArgument()
	}
	return callDecrypt(kind, nil, value, key, 0, ttl, now)
}

// DecryptAES256GCM decrypts an aes256-gcm value (base64 of IV(16) ‖ ciphertext ‖ tag) with the
// client secret (key: its first 32 bytes) to UTF-8 text. Errors: invalid_key (secret under 32
// bytes), invalid_base64, malformed, authentication_failed, invalid_utf8.
func DecryptAES256GCM(value []byte, clientSecret string) ([]byte, error) {
	return decryptWithKey(kindAES, value, clientSecret, 0, 0)
}

// DecryptAES256GCMBytes is DecryptAES256GCM returning any plaintext bytes.
func DecryptAES256GCMBytes(value []byte, clientSecret string) ([]byte, error) {
	return decryptWithKey(kindAESBytes, value, clientSecret, 0, 0)
}

// DecryptClientSide decrypts a client-side value (base64 of IV(12) ‖ RSA-OAEP-wrapped key ‖
// ciphertext ‖ tag) with an RSA private key PEM (parsed on every call) to UTF-8 text.
func DecryptClientSide(value []byte, privateKeyPEM string) ([]byte, error) {
	return decryptWithKey(kindClientSide, value, privateKeyPEM, 0, 0)
}

// DecryptClientSideBytes is DecryptClientSide returning any plaintext bytes.
func DecryptClientSideBytes(value []byte, privateKeyPEM string) ([]byte, error) {
	return decryptWithKey(kindClientSideBytes, value, privateKeyPEM, 0, 0)
}

// DecryptFernet decrypts a legacy Fernet token with the client secret to UTF-8 text. With ttl
// > 0, a token older than ttl (whole seconds) is expired; 0 means no TTL.
func DecryptFernet(token []byte, clientSecret string, ttl time.Duration) ([]byte, error) {
	t, err := seconds(ttl)
	if err != nil {
		return nil, err
	}
	return decryptWithKey(kindFernet, token, clientSecret, t, 0)
}

// DecryptFernetBytes is DecryptFernet returning any plaintext bytes.
func DecryptFernetBytes(token []byte, clientSecret string, ttl time.Duration) ([]byte, error) {
	t, err := seconds(ttl)
	if err != nil {
		return nil, err
	}
	return decryptWithKey(kindFernetBytes, token, clientSecret, t, 0)
}

// DecryptFernetBytesAt is DecryptFernetBytes at the time now instead of the system clock: for
// replaying stored tokens and for tests.
func DecryptFernetBytesAt(token []byte, clientSecret string, ttl time.Duration, now time.Time) ([]byte, error) {
	t, err := seconds(ttl)
	if err != nil {
		return nil, err
	}
	unix := now.Unix()
	if unix < 0 {
		return nil, errInvalidArgument()
	}
	return decryptWithKey(kindFernetBytesAt, token, clientSecret, t, uint64(unix))
}

// DecryptFernetAt is DecryptFernet at the time now (text: invalid_utf8 for other bytes, checked
// here since the C API has no text variant with a clock).
func DecryptFernetAt(token []byte, clientSecret string, ttl time.Duration, now time.Time) ([]byte, error) {
	return textOrInvalidUTF8(DecryptFernetBytesAt(token, clientSecret, ttl, now))
}

type encryptFn func(pt *C.uint8_t, n C.size_t, key *C.char, out *C.PortSecretBuffer) C.PortSecretStatus

func encryptWithKey(plaintext []byte, key string, fn encryptFn) ([]byte, error) {
	if hasNUL(key) {
		return nil, errInvalidArgument()
	}
	cb := newCBuilder(len(key) + 1)
	k := cb.add(key, 0)
	var out C.PortSecretBuffer
	st := fn(bytesPtr(plaintext), C.size_t(len(plaintext)), cb.ptr(k), &out)
	cb.wipe()
	if err := statusError(st); err != nil {
		return nil, err
	}
	return takeBuffer(&out), nil
}

// EncryptAES256GCM encrypts as Port's server does for an aes256-gcm input (random IV per call)
// and returns the base64 value. Error: invalid_key (secret under 32 bytes).
func EncryptAES256GCM(plaintext []byte, clientSecret string) ([]byte, error) {
	return encryptWithKey(plaintext, clientSecret, func(pt *C.uint8_t, n C.size_t, k *C.char, out *C.PortSecretBuffer) C.PortSecretStatus {
		return C.port_secret_encrypt_aes256_gcm(pt, n, k, out)
	})
}

// EncryptClientSide encrypts as Port's browser does for a client-side input, with the action's
// RSA public key PEM (SPKI, BEGIN PUBLIC KEY), and returns the base64 value.
func EncryptClientSide(plaintext []byte, publicKeyPEM string) ([]byte, error) {
	return encryptWithKey(plaintext, publicKeyPEM, func(pt *C.uint8_t, n C.size_t, k *C.char, out *C.PortSecretBuffer) C.PortSecretStatus {
		return C.port_secret_encrypt_client_side(pt, n, k, out)
	})
}

// EncryptFernet encrypts to a legacy Fernet token stamped with the current time.
func EncryptFernet(plaintext []byte, clientSecret string) ([]byte, error) {
	return encryptWithKey(plaintext, clientSecret, func(pt *C.uint8_t, n C.size_t, k *C.char, out *C.PortSecretBuffer) C.PortSecretStatus {
		return C.port_secret_encrypt_fernet(pt, n, k, out)
	})
}

// GenerateKeyPair makes an RSA key pair for client-side inputs: the PKCS#8 private key PEM
// (secret: keep it out of logs, clear it when done) and the SPKI public key PEM for the action's
// encryption.key. bits is 2048, 3072 or 4096 (else invalid_key).
func GenerateKeyPair(bits int) (privatePEM, publicPEM []byte, err error) {
	if bits < 0 {
		return nil, nil, &Error{Code: CodeInvalidKey}
	}
	var priv, pub C.PortSecretBuffer
	st := C.port_secret_generate_key_pair(C.size_t(bits), &priv, &pub)
	if err := statusError(st); err != nil {
		return nil, nil, err
	}
	return takeBuffer(&priv), takeBuffer(&pub), nil
}

// SignPayload signs a webhook body as Port does: the x-port-signature header value
// ("v1,<base64 HMAC-SHA256>") for the raw body and the x-port-timestamp header text, keyed
// with the whole client secret. The arguments come in the order of [VerifySignature]: what was
// signed first (body, then timestamp), the key last. Errors: malformed (a timestamp that is not
// an integer; earlier builds took clientSecret before timestamp, and a call in that order lands
// here), invalid_key (an empty secret, or white space around it).
func SignPayload(body []byte, timestamp, clientSecret string) (string, error) {
	if hasNUL(timestamp) || hasNUL(clientSecret) {
		return "", errInvalidArgument()
	}
	cb := newCBuilder(len(timestamp) + len(clientSecret) + 2)
	t := cb.add(timestamp, 0)
	k := cb.add(clientSecret, 0)
	var out C.PortSecretBuffer
	st := C.port_secret_sign_payload(bytesPtr(body), C.size_t(len(body)), cb.ptr(t), cb.ptr(k), &out)
	cb.wipe()
	if err := statusError(st); err != nil {
		return "", err
	}
	return string(takeBuffer(&out)), nil
}

// VerifySignature verifies a webhook in constant time: signature is the x-port-signature
// header, body the raw request body (not re-serialized JSON), timestamp the x-port-timestamp
// header, tolerance the largest accepted distance between the timestamp and now in whole
// seconds ([DefaultTolerance] is Port's; 0 accepts only the current second). Errors:
// invalid_signature (no match, malformed header), expired (matches, but stale or from the
// future), invalid_key (empty secret).
func VerifySignature(body []byte, signature, timestamp, clientSecret string, tolerance time.Duration) error {
	return verifySignature(body, signature, timestamp, clientSecret, tolerance, nil)
}

// VerifySignatureAt is VerifySignature at the time now instead of the system clock: for
// replaying stored deliveries and for tests.
func VerifySignatureAt(body []byte, signature, timestamp, clientSecret string, tolerance time.Duration, now time.Time) error {
	return verifySignature(body, signature, timestamp, clientSecret, tolerance, &now)
}

func verifySignature(body []byte, signature, timestamp, clientSecret string, tolerance time.Duration, now *time.Time) error {
	tol, err := seconds(tolerance)
	if err != nil {
		return err
	}
	if hasNUL(clientSecret) {
		return errInvalidArgument()
	}
	cb := newCBuilder(len(signature) + len(timestamp) + len(clientSecret) + 3)
	s := cb.add(signature, nulInHeader)
	t := cb.add(timestamp, nulInHeader)
	k := cb.add(clientSecret, 0)
	var st C.PortSecretStatus
	if now == nil {
		st = C.port_secret_verify_signature(bytesPtr(body), C.size_t(len(body)), cb.ptr(s), cb.ptr(t), cb.ptr(k), C.uint64_t(tol))
	} else {
		st = C.port_secret_verify_signature_at(bytesPtr(body), C.size_t(len(body)), cb.ptr(s), cb.ptr(t), cb.ptr(k), C.uint64_t(tol), C.int64_t(now.Unix()))
	}
	cb.wipe()
	return statusError(st)
}
