package portsecret

/*
#cgo !portsecret_external LDFLAGS: ${SRCDIR}/../target/release/libport_secret.a -lm -ldl -lpthread
#cgo portsecret_external LDFLAGS: -lm -ldl -lpthread
#include <string.h>
#include "port_secret.h"

// The decrypt calls of this package, each with the copy of its output into Go memory, in one
// cgo call: when the output fits in dst (cap bytes) it is copied there and the buffer freed
// (the library zeroes it); otherwise it is left in out for the Go side to take.
enum {
  PS_AES, PS_AES_BYTES, PS_CS, PS_CS_BYTES, PS_FERNET, PS_FERNET_BYTES, PS_FERNET_BYTES_AT,
  PS_D_DECRYPT, PS_D_BYTES, PS_D_JSON
};

static PortSecretStatus ps_decrypt_into(int kind, const PortSecretDecryptor *d, const char *v,
                                        const char *k, uint64_t ttl, uint64_t now, uint8_t *dst,
                                        size_t cap, size_t *n, PortSecretBuffer *out) {
  PortSecretStatus st;
  switch (kind) {
  case PS_AES: st = port_secret_decrypt_aes256_gcm(v, k, out); break;
  case PS_AES_BYTES: st = port_secret_decrypt_aes256_gcm_bytes(v, k, out); break;
  case PS_CS: st = port_secret_decrypt_client_side(v, k, out); break;
  case PS_CS_BYTES: st = port_secret_decrypt_client_side_bytes(v, k, out); break;
  case PS_FERNET: st = port_secret_decrypt_fernet(v, k, ttl, out); break;
  case PS_FERNET_BYTES: st = port_secret_decrypt_fernet_bytes(v, k, ttl, out); break;
  case PS_FERNET_BYTES_AT: st = port_secret_decrypt_fernet_bytes_at(v, k, ttl, now, out); break;
  case PS_D_DECRYPT: st = port_secret_decryptor_decrypt(d, v, k, out); break;
  case PS_D_BYTES: st = port_secret_decryptor_decrypt_bytes(d, v, k, out); break;
  case PS_D_JSON: st = port_secret_decryptor_decrypt_json(d, v, k, out); break;
  default: return PORT_SECRET_INVALID_ARGUMENT;
  }
  *n = 0;
  if (st == PORT_SECRET_OK && out->data != NULL && out->len <= cap) {
    if (out->len > 0) memcpy(dst, out->data, out->len);
    *n = out->len;
    port_secret_buffer_free(out);
  }
  return st;
}
*/
import "C"

import (
	"bytes"
	"strings"
	"unsafe"
)

// How the C library is linked:
//
//   - by default, the static library of this repository's Rust build,
//     ../target/release/libport_secret.a (cargo build --release -p port-secret-ffi): one
//     self-contained Go binary, nothing to install at run time;
//   - with -tags portsecret_external, whatever CGO_LDFLAGS names, e.g.
//     CGO_LDFLAGS=/opt/port-secret/libport_secret.a go build -tags portsecret_external ./...
//     (or -L/opt/port-secret/lib -lport_secret for the shared library): for a module used
//     from the module cache, where ../target does not exist.
//
// port_secret.h here is a copy of include/port_secret.h (scripts/test-go.sh checks that they
// are equal), so the module compiles wherever it is.

// Replacement bytes for a NUL inside an argument the C API takes as a NUL-terminated string
// (which would end there): one that gives the same error as the NUL would have, at the same
// step, so the error order of the core is kept.
const (
	nulInValue  = '!'  // values, tokens: not base64 either (invalid_base64), same length
	nulInJSON   = 0x01 // JSON text, encryption names: a control character, never valid JSON
	nulInHeader = 0x01 // signature and timestamp text: can never match (invalid_signature)
)

// cBuilder packs the NUL-terminated strings of one call into one Go allocation, which is
// passed to C for the duration of the call (it holds no Go pointers) and wiped afterwards.
type cBuilder struct {
	b []byte
}

func newCBuilder(size int) cBuilder { return cBuilder{b: make([]byte, 0, size)} }

// add appends s and a NUL, replacing NUL bytes inside s with repl, and returns its offset.
func (c *cBuilder) add(s string, repl byte) int {
	off := len(c.b)
	c.b = append(c.b, s...)
	if repl != 0 {
		mapNUL(c.b[off:], repl)
	}
	c.b = append(c.b, 0)
	return off
}

// addBytes is add for a []byte.
func (c *cBuilder) addBytes(s []byte, repl byte) int {
	off := len(c.b)
	c.b = append(c.b, s...)
	if repl != 0 {
		mapNUL(c.b[off:], repl)
	}
	c.b = append(c.b, 0)
	return off
}

// ptr is the C string at offset off. Only valid once every string was added (no reallocation:
// the capacity given to newCBuilder must cover all of them, with their NULs).
func (c *cBuilder) ptr(off int) *C.char {
	return (*C.char)(unsafe.Pointer(&c.b[off]))
}

// wipe zeroes the copies (they may hold secrets or values).
func (c *cBuilder) wipe() { clear(c.b[:cap(c.b)]) }

func mapNUL(b []byte, repl byte) {
	for {
		i := bytes.IndexByte(b, 0)
		if i < 0 {
			return
		}
		b[i] = repl
		b = b[i+1:]
	}
}

// hasNUL tells a secret, key or pointer that the C API cannot receive whole.
func hasNUL(s string) bool { return strings.IndexByte(s, 0) >= 0 }

// bytesPtr is the C view of a Go byte slice (NULL when empty), passed for the call only.
func bytesPtr(b []byte) *C.uint8_t {
	if len(b) == 0 {
		return nil
	}
	return (*C.uint8_t)(unsafe.Pointer(unsafe.SliceData(b)))
}

// takeBuffer copies a filled buffer into Go memory and frees it (the library zeroes its bytes
// first). A filled but empty buffer gives a non-nil empty slice; an empty one, nil.
func takeBuffer(buf *C.PortSecretBuffer) []byte {
	if buf.data == nil {
		return nil
	}
	out := make([]byte, int(buf.len))
	copy(out, unsafe.Slice((*byte)(unsafe.Pointer(buf.data)), int(buf.len)))
	C.port_secret_buffer_free(buf)
	return out
}

// takeName reads an error_input buffer into an *Error's name.
func takeName(e error, buf *C.PortSecretBuffer) error {
	if buf.data == nil {
		return e
	}
	name := string(unsafe.Slice((*byte)(unsafe.Pointer(buf.data)), int(buf.len)))
	C.port_secret_buffer_free(buf)
	if pe, ok := e.(*Error); ok {
		pe.Input, pe.HasInput = name, true
	}
	return e
}

type decryptKind C.int

const (
	kindAES             decryptKind = C.PS_AES
	kindAESBytes        decryptKind = C.PS_AES_BYTES
	kindClientSide      decryptKind = C.PS_CS
	kindClientSideBytes decryptKind = C.PS_CS_BYTES
	kindFernet          decryptKind = C.PS_FERNET
	kindFernetBytes     decryptKind = C.PS_FERNET_BYTES
	kindFernetBytesAt   decryptKind = C.PS_FERNET_BYTES_AT
	kindDecrypt         decryptKind = C.PS_D_DECRYPT
	kindDecryptBytes    decryptKind = C.PS_D_BYTES
	kindDecryptJSON     decryptKind = C.PS_D_JSON
)

// outputRoom is the room made for a decrypt's output: a plaintext, or the compact JSON text of
// one, is never longer than its base64 value. (A variable only so that the tests can shrink it
// to exercise the other path.)
var outputRoom = defaultOutputRoom

func defaultOutputRoom(valueLen int) int { return valueLen + 1 }

// callDecrypt runs one decrypt of value with key (a secret or PEM, NUL-free: keyRepl 0) or
// encryption (keyRepl nulInJSON), and returns the output, in one cgo call. One allocation holds
// the NUL-terminated copies (wiped after the call) and, after them, room for the output
// (a plaintext is shorter than its base64 value): the result is a slice of that room.
func callDecrypt(kind decryptKind, d *C.PortSecretDecryptor, value []byte, key string, keyRepl byte, ttl, now uint64) ([]byte, error) {
	room := outputRoom(len(value))
	cb := newCBuilder(len(value) + len(key) + 2 + room)
	v := cb.addBytes(value, nulInValue)
	k := cb.add(key, keyRepl)
	dstOff := len(cb.b)
	dst := cb.b[dstOff : dstOff+room : dstOff+room]
	var dstPtr *C.uint8_t
	if room > 0 {
		dstPtr = (*C.uint8_t)(unsafe.Pointer(&dst[0]))
	}
	// The output buffer and length, in one allocation (cgo arguments escape).
	res := new(struct {
		out C.PortSecretBuffer
		n   C.size_t
	})
	st := C.ps_decrypt_into(C.int(kind), d, cb.ptr(v), cb.ptr(k), C.uint64_t(ttl), C.uint64_t(now),
		dstPtr, C.size_t(room), &res.n, &res.out)
	clear(cb.b[:dstOff])
	if err := statusError(st); err != nil {
		return nil, err
	}
	if res.out.data != nil { // did not fit
		return takeBuffer(&res.out), nil
	}
	return dst[:int(res.n):int(res.n)], nil
}

// Version is the version of the linked C library, "MAJOR.MINOR.PATCH".
func Version() string { return C.GoString(C.port_secret_version()) }

// HeaderVersion is the version of the header this package was compiled with.
const HeaderVersion = C.PORT_SECRET_VERSION_STRING
