package portsecret

/*
#include "port_secret.h"
*/
import "C"

import "strconv"

// The error codes: one small taxonomy, the same in every language (README "Errors"). An
// [*Error]'s Code is one of these strings.
const (
	CodeInvalidBase64         = "invalid_base64"         // not strict base64
	CodeMalformed             = "malformed"              // too short, wrong layout or version, over a size cap
	CodeAuthenticationFailed  = "authentication_failed"  // wrong key or tampered value
	CodeInvalidKey            = "invalid_key"            // secret under 32 bytes, unusable PEM, no key of the kind needed
	CodeInvalidUTF8           = "invalid_utf8"           // authentic plaintext that is not UTF-8 (text APIs)
	CodeInvalidJSON           = "invalid_json"           // text that should be JSON does not parse
	CodeExpired               = "expired"                // Fernet token past its TTL, timestamp outside the tolerance
	CodeUnsupportedEncryption = "unsupported_encryption" // an `encryption` this library does not know
	CodeInvalidSignature      = "invalid_signature"      // a webhook signature that does not match the body
	CodeInvalidArgument       = "invalid_argument"       // a bad argument of this API (closed Decryptor, NUL in a secret, ...)
	CodeInternal              = "internal"               // a bug in the library; please report it
)

// Error is every error this package returns (except [http.MaxBytesError]-style I/O errors in the
// middleware, which it answers itself). It never holds a value, a key or a plaintext: only the
// code and, for a run or decrypt_properties, the failing input's name.
//
// Use [errors.As] to read it, or [errors.Is] with the sentinels ([ErrInvalidSignature], ...),
// which match any error of their code whatever its input.
type Error struct {
	// Code is the taxonomy string, e.g. "authentication_failed" (the Code* constants).
	Code string
	// Input is the name of the input the error is about (DecryptProperties, OpenWebhook,
	// OpenKafkaMessage); "" when it names none or the name is empty: see HasInput.
	Input string
	// HasInput tells a named error (possibly with an empty name, "") from one naming no input.
	HasInput bool
}

// Error returns "portsecret: <code>", plus the input's name when the error has one.
func (e *Error) Error() string {
	if e.HasInput {
		return "portsecret: " + e.Code + " (input " + strconv.Quote(e.Input) + ")"
	}
	return "portsecret: " + e.Code
}

// Is makes errors.Is(err, ErrX) true for every error of ErrX's code. A target with HasInput
// set matches only that input.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok || t == nil {
		return false
	}
	if t.Code != e.Code {
		return false
	}
	return !t.HasInput || (e.HasInput && t.Input == e.Input)
}

// Sentinels for errors.Is: each matches every *Error of its code.
var (
	ErrInvalidBase64         = &Error{Code: CodeInvalidBase64}
	ErrMalformed             = &Error{Code: CodeMalformed}
	ErrAuthenticationFailed  = &Error{Code: CodeAuthenticationFailed}
	ErrInvalidKey            = &Error{Code: CodeInvalidKey}
	ErrInvalidUTF8           = &Error{Code: CodeInvalidUTF8}
	ErrInvalidJSON           = &Error{Code: CodeInvalidJSON}
	ErrExpired               = &Error{Code: CodeExpired}
	ErrUnsupportedEncryption = &Error{Code: CodeUnsupportedEncryption}
	ErrInvalidSignature      = &Error{Code: CodeInvalidSignature}
	ErrInvalidArgument       = &Error{Code: CodeInvalidArgument}
	ErrInternal              = &Error{Code: CodeInternal}
)

// statusError turns a non-OK status into an *Error (nil for OK).
func statusError(st C.PortSecretStatus) error {
	if st == C.PORT_SECRET_OK {
		return nil
	}
	if int(st) < len(statusCodes) && statusCodes[st] != "" {
		return &Error{Code: statusCodes[st]}
	}
	return &Error{Code: C.GoString(C.port_secret_status_str(C.uint32_t(st)))}
}

// statusCodes are the strings of the ABI's fixed status numbers (port_secret_status_str), so a
// failure costs no second cgo call; a number added later falls back to port_secret_status_str.
var statusCodes = [...]string{
	C.PORT_SECRET_INVALID_BASE64:         CodeInvalidBase64,
	C.PORT_SECRET_MALFORMED:              CodeMalformed,
	C.PORT_SECRET_AUTHENTICATION_FAILED:  CodeAuthenticationFailed,
	C.PORT_SECRET_INVALID_KEY:            CodeInvalidKey,
	C.PORT_SECRET_INVALID_UTF8:           CodeInvalidUTF8,
	C.PORT_SECRET_INVALID_JSON:           CodeInvalidJSON,
	C.PORT_SECRET_EXPIRED:                CodeExpired,
	C.PORT_SECRET_UNSUPPORTED_ENCRYPTION: CodeUnsupportedEncryption,
	C.PORT_SECRET_INVALID_SIGNATURE:      CodeInvalidSignature,
	C.PORT_SECRET_INVALID_ARGUMENT:       CodeInvalidArgument,
	C.PORT_SECRET_INTERNAL:               CodeInternal,
}

// errInvalidArgument is the error of a bad argument caught on the Go side.
func errInvalidArgument() error { return &Error{Code: CodeInvalidArgument} }
