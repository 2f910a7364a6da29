package portsecret

/*
#include "port_secret.h"
*/
import "C"

import (
	"encoding/json"
	"runtime"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"
)

// DefaultMaxInputLen is the default cap on an encoded value's length, in bytes.
const DefaultMaxInputLen = C.PORT_SECRET_DEFAULT_MAX_INPUT_LEN

// Options are the keys and options of a [Decryptor]: everything port_secret_decryptor_new_with
// takes (PortSecretDecryptorOptions) but the RSA backend. The zero value of each option is its
// default.
type Options struct {
	// ClientSecrets: the organisation's Port client secrets, current first during a rotation
	// (each is tried in turn). For aes256-gcm and fernet the key is the first 32 bytes; for
	// webhook signatures the whole secret.
	ClientSecrets []string
	// PrivateKeys: RSA private key PEMs (PKCS#8 or PKCS#1, 2048 to 4096 bits) for client-side
	// inputs, current first.
	PrivateKeys []string
	// MaxInputLen: the largest accepted encoded value, in bytes, checked before decoding
	// (larger: malformed). 0: DefaultMaxInputLen; negative: ErrInvalidArgument.
	MaxInputLen int
	// FernetTTL: fernet tokens older than this are expired, in whole seconds. 0: no TTL (Port's
	// tokens carry none). To accept only tokens of the current second, give a duration under
	// one second (e.g. time.Nanosecond): it truncates to 0 s. Negative: ErrInvalidArgument.
	FernetTTL time.Duration
}

// Decryptor decrypts Port secret inputs and opens whole runs with keys parsed once (an RSA key
// parse costs about as much as a decryption: make one at start-up and share it).
//
// It is safe for concurrent use by any number of goroutines; every call is a blocking cgo call
// that runs in parallel with the others. [Decryptor.Close] releases the C side (waiting for the
// calls in flight); a Decryptor that becomes unreachable without Close is released by the
// garbage collector. A method called after Close returns [ErrInvalidArgument].
type Decryptor struct {
	mu      sync.RWMutex // read: a call in flight; write: Close
	ptr     *C.PortSecretDecryptor
	cleanup runtime.Cleanup
	secrets int
	keys    int
}

// NewDecryptor parses the keys: [ErrInvalidKey] for a client secret under 32 bytes, a PEM that
// is not a usable RSA private key, or no key at all; [ErrInvalidArgument] for a secret or PEM
// holding a NUL byte or not UTF-8, or a negative MaxInputLen or FernetTTL. The Decryptor keeps its own copies: the Go copies made for
// the call are wiped (the strings in opts cannot be: Go strings are immutable).
func NewDecryptor(opts Options) (*Decryptor, error) {
	if opts.MaxInputLen < 0 || opts.FernetTTL < 0 {
		return nil, errInvalidArgument()
	}
	size := 0
	for _, s := range opts.ClientSecrets {
		if hasNUL(s) {
			return nil, errInvalidArgument()
		}
		size += len(s) + 1
	}
	for _, s := range opts.PrivateKeys {
		if hasNUL(s) {
			return nil, errInvalidArgument()
		}
		size += len(s) + 1
	}
	cb := newCBuilder(size)
	defer cb.wipe()
	offs := make([]int, 0, len(opts.ClientSecrets)+len(opts.PrivateKeys))
	for _, s := range opts.ClientSecrets {
		offs = append(offs, cb.add(s, 0))
	}
	for _, s := range opts.PrivateKeys {
		offs = append(offs, cb.add(s, 0))
	}
	// An array of pointers into cb.b: Go memory holding Go pointers, which cgo allows once
	// they are pinned.
	var pin runtime.Pinner
	defer pin.Unpin()
	ptrs := make([]*C.char, len(offs))
	for i, off := range offs {
		ptrs[i] = cb.ptr(off)
	}
	if len(cb.b) > 0 {
		pin.Pin(&cb.b[0])
	}
	var c C.PortSecretDecryptorOptions
	if err := statusError(C.port_secret_decryptor_options_init(&c, C.size_t(unsafe.Sizeof(c)))); err != nil {
		return nil, err
	}
	// The options struct holds a pointer to ptrs (Go memory holding Go pointers): pinned too.
	nSecrets := len(opts.ClientSecrets)
	if len(ptrs) > 0 {
		pin.Pin(&ptrs[0])
	}
	if nSecrets > 0 {
		c.client_secrets = &ptrs[0]
		c.client_secrets_len = C.size_t(nSecrets)
	}
	if len(ptrs) > nSecrets {
		c.private_keys = &ptrs[nSecrets]
		c.private_keys_len = C.size_t(len(opts.PrivateKeys))
	}
	if opts.MaxInputLen != 0 {
		c.max_input_len = C.size_t(opts.MaxInputLen)
	}
	if opts.FernetTTL != 0 {
		c.has_fernet_ttl = true
		c.fernet_ttl_seconds = C.uint64_t(opts.FernetTTL / time.Second)
	}
	var out *C.PortSecretDecryptor
	if err := statusError(C.port_secret_decryptor_new_with(&c, &out)); err != nil {
		return nil, err
	}
	d := &Decryptor{ptr: out, secrets: nSecrets, keys: len(opts.PrivateKeys)}
	d.cleanup = runtime.AddCleanup(d, func(p *C.PortSecretDecryptor) {
		C.port_secret_decryptor_free(p)
	}, out)
	return d, nil
}

// Close releases the decryptor and its parsed keys (the library zeroes them). It waits for the
// calls in flight; later calls return [ErrInvalidArgument]. Closing twice is harmless.
func (d *Decryptor) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.ptr != nil {
		d.cleanup.Stop()
		C.port_secret_decryptor_free(d.ptr)
		d.ptr = nil
	}
	return nil
}

// String shows only how many keys the decryptor holds, never a key.
func (d *Decryptor) String() string {
	return "portsecret.Decryptor{clientSecrets: " + itoa(d.secrets) + ", privateKeys: " + itoa(d.keys) + "}"
}

// ClientSecretCount and PrivateKeyCount: how many keys of each kind the decryptor holds.
func (d *Decryptor) ClientSecretCount() int { return d.secrets }

// PrivateKeyCount: see ClientSecretCount.
func (d *Decryptor) PrivateKeyCount() int { return d.keys }

func itoa(n int) string { return strconv.Itoa(n) }

// acquire takes the read lock for one call; release with d.mu.RUnlock().
func (d *Decryptor) acquire() (*C.PortSecretDecryptor, error) {
	d.mu.RLock()
	if d.ptr == nil {
		d.mu.RUnlock()
		return nil, errInvalidArgument()
	}
	return d.ptr, nil
}

func (d *Decryptor) decrypt(kind decryptKind, value []byte, encryption string) ([]byte, error) {
	p, err := d.acquire()
	if err != nil {
		return nil, err
	}
	defer d.mu.RUnlock()
	return callDecrypt(kind, p, value, encryption, nulInJSON, 0, 0)
}

// Decrypt decrypts one value to UTF-8 text. encryption is what the action input's `encryption`
// holds, as JSON text (`"aes256-gcm"` with its quotes, `{"algorithm":"client-side","key":"<PEM>"}`)
// or a bare name (aes256-gcm, fernet, client-side). For client-side with a key, the private key
// matching that public key is used; otherwise each is tried.
//
// Errors: invalid_base64, malformed, authentication_failed (no configured key opens it),
// invalid_key (no key of the kind needed), invalid_utf8, unsupported_encryption.
// The result is the caller's: clear it when done.
func (d *Decryptor) Decrypt(value []byte, encryption string) ([]byte, error) {
	return d.decrypt(kindDecrypt, value, encryption)
}

// DecryptBytes is Decrypt returning any plaintext bytes (never invalid_utf8).
func (d *Decryptor) DecryptBytes(value []byte, encryption string) ([]byte, error) {
	return d.decrypt(kindDecryptBytes, value, encryption)
}

// DecryptJSON decrypts a value holding JSON (a `type: object` input) and returns the JSON text
// re-serialized compactly (the codes of Decrypt, plus invalid_json).
func (d *Decryptor) DecryptJSON(value []byte, encryption string) (json.RawMessage, error) {
	return d.decrypt(kindDecryptJSON, value, encryption)
}

// DecryptProperties decrypts every secret input of a run: properties is the run's
// payload.properties as JSON text, userInputs the action's userInputs (with properties) or
// that properties map. It returns a JSON copy of properties (same key order) where every input
// whose definition has an encryption is decrypted (`type: object` ones parsed, others
// strings); other inputs are untouched, absent or null ones skipped. An error about one input
// names it (Error.Input), never its value.
func (d *Decryptor) DecryptProperties(properties, userInputs []byte) (json.RawMessage, error) {
	p, err := d.acquire()
	if err != nil {
		return nil, err
	}
	defer d.mu.RUnlock()
	cb := newCBuilder(len(properties) + len(userInputs) + 2)
	po := cb.addBytes(properties, nulInJSON)
	uo := cb.addBytes(userInputs, nulInJSON)
	var out, name C.PortSecretBuffer
	st := C.port_secret_decryptor_decrypt_properties(p, cb.ptr(po), cb.ptr(uo), &out, &name)
	cb.wipe()
	if err := statusError(st); err != nil {
		return nil, takeName(err, &name)
	}
	return takeBuffer(&out), nil
}

// VerifySignature verifies a webhook with any of the decryptor's client secrets, in constant
// time: body is the raw request body, signature the x-port-signature header, timestamp the
// x-port-timestamp header. tolerance is the largest accepted distance between the timestamp
// and now, in whole seconds ([DefaultTolerance] is Port's; 0 accepts only the current second).
// Errors: invalid_signature, expired, invalid_key (no client secret).
func (d *Decryptor) VerifySignature(body []byte, signature, timestamp string, tolerance time.Duration) error {
	tol, err := seconds(tolerance)
	if err != nil {
		return err
	}
	p, err := d.acquire()
	if err != nil {
		return err
	}
	defer d.mu.RUnlock()
	cb := newCBuilder(len(signature) + len(timestamp) + 2)
	s := cb.add(signature, nulInHeader)
	t := cb.add(timestamp, nulInHeader)
	st := C.port_secret_decryptor_verify_signature(p, bytesPtr(body), C.size_t(len(body)),
		cb.ptr(s), cb.ptr(t), C.uint64_t(tol))
	return statusError(st)
}

// DefaultTolerance is Port's webhook timestamp tolerance.
const DefaultTolerance = C.PORT_SECRET_DEFAULT_TOLERANCE_SECONDS * time.Second

// seconds converts a tolerance or TTL to whole seconds (negative: invalid_argument).
func seconds(d time.Duration) (uint64, error) {
	if d < 0 {
		return 0, errInvalidArgument()
	}
	return uint64(d / time.Second), nil
}

// textOrInvalidUTF8 checks a plaintext a bytes-returning call gave, for a text API.
func textOrInvalidUTF8(b []byte, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	if !utf8.Valid(b) {
		clear(b)
		return nil, &Error{Code: CodeInvalidUTF8}
	}
	return b, nil
}
