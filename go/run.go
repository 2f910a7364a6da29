package portsecret

/*
#include "port_secret.h"
*/
import "C"

import (
	"encoding/json"
	"net/http"
	"runtime"
	"time"
	"unsafe"
)

// Delivery is how an HTTP webhook was signed.
type Delivery uint32

const (
	// DeliveryPort: Port's own webhook, HMAC over the raw body bytes (the default).
	DeliveryPort Delivery = C.PORT_SECRET_DELIVERY_PORT
	// DeliveryAgent: a webhook forwarded by port-agent, HMAC over Python's compact JSON of the
	// parsed body.
	DeliveryAgent Delivery = C.PORT_SECRET_DELIVERY_AGENT
)

// The default caps of a run.
const (
	DefaultMaxBody             = C.PORT_SECRET_DEFAULT_MAX_BODY               // bytes
	DefaultMaxClientSideInputs = C.PORT_SECRET_DEFAULT_MAX_CLIENT_SIDE_INPUTS // RSA inputs per run
)

// RunOptions say how to open a run. The zero value is what Port's deliveries need (Port's
// webhook signature checked with 300 s of tolerance, definitions and properties where Port puts
// them, aes256-gcm for inputs known only by name, the default caps, the system clock): set only
// what differs. Every field maps to PortSecretRunOptions.
type RunOptions struct {
	// Delivery: DeliveryPort (default) or DeliveryAgent. Ignored by OpenKafkaMessage.
	Delivery Delivery
	// SkipSignature turns the signature and timestamp check off: only behind something that
	// checked them.
	SkipSignature bool
	// Tolerance: the largest accepted distance between the timestamp and now, in whole
	// seconds. 0: DefaultTolerance (300 s). To accept only the current second, give a
	// duration under one second (e.g. time.Nanosecond): it truncates to 0 s.
	Tolerance time.Duration
	// UserInputs: the action's definitions as JSON text: its userInputs (with properties),
	// that properties map, or an array of the secret inputs' names. nil: from the body at
	// UserInputsPointer, else the body's censoredProperties / encryptedProperties names.
	UserInputs json.RawMessage
	// UserInputsPointer: JSON pointer (RFC 6901) to the definitions in the body.
	// "": "/payload/action/userInputs".
	UserInputsPointer string
	// PropertiesPointer: JSON pointer to the inputs' values. "": "/payload/properties".
	PropertiesPointer string
	// DefaultEncryption: the encryption of inputs known only by name, as JSON text or a bare
	// name (fernet). "": aes256-gcm.
	DefaultEncryption string
	// MaxBody: the largest accepted delivery in bytes (larger: malformed). 0: DefaultMaxBody.
	MaxBody int
	// MaxClientSideInputs: the most client-side inputs with a value one run may carry (more:
	// malformed, each costs an RSA operation). 0: DefaultMaxClientSideInputs.
	MaxClientSideInputs int
	// Now: the current time, instead of the system clock (zero): for replays and tests.
	Now time.Time
}

// Header is one HTTP request header (name in any case; a name may repeat), for
// OpenWebhookHeaders.
type Header struct {
	Name  string
	Value string
}

// cRunOptions fills the C options; the strings are added to cb (which must have room for
// them: runOptionsSize) and referenced from Go memory, so cb's array must be pinned.
func (o *RunOptions) toC(cb *cBuilder) (C.PortSecretRunOptions, error) {
	c := C.port_secret_run_options_default()
	switch o.Delivery {
	case DeliveryPort, DeliveryAgent:
		c.delivery = C.uint32_t(o.Delivery)
	default:
		return c, errInvalidArgument()
	}
	c.verify_signature = C.bool(!o.SkipSignature)
	if o.Tolerance < 0 || o.MaxBody < 0 || o.MaxClientSideInputs < 0 {
		return c, errInvalidArgument()
	}
	if o.Tolerance != 0 {
		c.tolerance_seconds = C.uint64_t(o.Tolerance / time.Second)
	}
	if hasNUL(o.UserInputsPointer) || hasNUL(o.PropertiesPointer) {
		return c, errInvalidArgument()
	}
	if o.UserInputs != nil {
		c.user_inputs_json = cb.ptr(cb.addBytes(o.UserInputs, nulInJSON))
	}
	if o.UserInputsPointer != "" {
		c.user_inputs_pointer = cb.ptr(cb.add(o.UserInputsPointer, 0))
	}
	if o.PropertiesPointer != "" {
		c.properties_pointer = cb.ptr(cb.add(o.PropertiesPointer, 0))
	}
	if o.DefaultEncryption != "" {
		c.default_encryption_json = cb.ptr(cb.add(o.DefaultEncryption, nulInJSON))
	}
	c.max_body = C.size_t(o.MaxBody)
	c.max_client_side_inputs = C.size_t(o.MaxClientSideInputs)
	if !o.Now.IsZero() {
		c.has_now = true
		c.now = C.int64_t(o.Now.Unix())
	}
	return c, nil
}

func (o *RunOptions) size() int {
	return len(o.UserInputs) + len(o.UserInputsPointer) + len(o.PropertiesPointer) + len(o.DefaultEncryption) + 4
}

// OpenWebhook opens a run delivered as an HTTP webhook, in one call into the core: size cap,
// signature and timestamp (x-port-signature / x-port-timestamp, per opts.Delivery), JSON
// parse, the secret inputs located and decrypted in place. It returns the whole parsed body
// with every secret input decrypted (`type: object` inputs parsed, the others strings) as
// compact JSON (numbers spelled as in the body).
//
// body is the raw request body exactly as received (Port signs those bytes); headers the
// request's (r.Header). Errors: invalid_signature (missing, wrong, or a timestamp that is not
// an integer), expired, invalid_json, malformed (over MaxBody, no properties or definitions,
// too many client-side inputs), or an input's decryption error, naming it (Error.Input).
//
// The run holds plaintexts: clear it when done (the Go values decoded from it, strings, cannot
// be cleared).
func (d *Decryptor) OpenWebhook(body []byte, headers http.Header, opts RunOptions) (json.RawMessage, error) {
	n := 0
	for _, vs := range headers {
		n += len(vs)
	}
	list := make([]Header, 0, n)
	for name, vs := range headers {
		for _, v := range vs {
			list = append(list, Header{Name: name, Value: v})
		}
	}
	return d.OpenWebhookHeaders(body, list, opts)
}

// OpenWebhookHeaders is OpenWebhook with the headers as a list of pairs, in order.
func (d *Decryptor) OpenWebhookHeaders(body []byte, headers []Header, opts RunOptions) (json.RawMessage, error) {
	size := opts.size()
	for _, h := range headers {
		size += len(h.Name) + 1 + len(h.Value)
	}
	cb := newCBuilder(size)
	var pin runtime.Pinner
	defer pin.Unpin()
	if cap(cb.b) > 0 {
		pin.Pin(unsafe.SliceData(cb.b[:1]))
	}
	copts, err := opts.toC(&cb)
	if err != nil {
		return nil, err
	}
	// Header names that hold a NUL can be none of Port's: left out (the C API would read them
	// cut at the NUL). Values are passed with their length.
	hs := make([]C.PortSecretHeader, 0, len(headers))
	for _, h := range headers {
		if hasNUL(h.Name) {
			continue
		}
		name := cb.add(h.Name, 0)
		vOff := len(cb.b)
		cb.b = append(cb.b, h.Value...)
		var vp *C.uint8_t
		if len(h.Value) > 0 {
			vp = (*C.uint8_t)(unsafe.Pointer(&cb.b[vOff]))
		}
		hs = append(hs, C.PortSecretHeader{name: cb.ptr(name), value: vp, value_len: C.size_t(len(h.Value))})
	}
	var hp *C.PortSecretHeader
	if len(hs) > 0 {
		hp = &hs[0]
	}
	p, err := d.acquire()
	if err != nil {
		return nil, err
	}
	defer d.mu.RUnlock()
	var out, name C.PortSecretBuffer
	st := C.port_secret_decryptor_open_webhook(p, bytesPtr(body), C.size_t(len(body)), hp,
		C.size_t(len(hs)), &copts, &out, &name)
	cb.wipe()
	if err := statusError(st); err != nil {
		return nil, takeName(err, &name)
	}
	return takeBuffer(&out), nil
}

// OpenKafkaMessage opens a run delivered as one message value of Port's Kafka topic (the
// signature and timestamp are inside it, in headers): as OpenWebhook without HTTP headers. It
// returns the whole message (headers included) with every secret input decrypted. A message
// that is not a JSON object is malformed.
func (d *Decryptor) OpenKafkaMessage(message []byte, opts RunOptions) (json.RawMessage, error) {
	cb := newCBuilder(opts.size())
	var pin runtime.Pinner
	defer pin.Unpin()
	if cap(cb.b) > 0 {
		pin.Pin(unsafe.SliceData(cb.b[:1]))
	}
	copts, err := opts.toC(&cb)
	if err != nil {
		return nil, err
	}
	p, err := d.acquire()
	if err != nil {
		return nil, err
	}
	defer d.mu.RUnlock()
	var out, name C.PortSecretBuffer
	st := C.port_secret_decryptor_open_kafka_message(p, bytesPtr(message), C.size_t(len(message)),
		&copts, &out, &name)
	cb.wipe()
	if err := statusError(st); err != nil {
		return nil, takeName(err, &name)
	}
	return takeBuffer(&out), nil
}
