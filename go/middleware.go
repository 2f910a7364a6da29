package portsecret

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
)

type runKey struct{}

// RunFromContext returns the run opened by [Middleware] for this request: the whole parsed
// body, as compact JSON, with every secret input decrypted. ok is false outside the middleware.
//
// The bytes are zeroed when the next handler returns: copy (or decode) what must outlive the
// request, and keep plaintexts out of logs and responses.
func RunFromContext(ctx context.Context) (run json.RawMessage, ok bool) {
	run, ok = ctx.Value(runKey{}).(json.RawMessage)
	return run, ok
}

// BodyTooLarge is the error code of a body over the middleware's cap (HTTP 413).
const BodyTooLarge = "body_too_large"

// Middleware verifies and opens every request as a Port webhook run before the next handler
// sees it, with one [Decryptor.OpenWebhook] call (opts: at most one RunOptions; none means
// Port's defaults). It answers like the Flask, Express and Fastify helpers, and the next
// handler only runs for an opened run, reachable with [RunFromContext]:
//
//   - 413 {"error": "body_too_large"}: a body over MaxBody (1 MiB by default), refused from its
//     Content-Length or while reading (http.MaxBytesReader);
//   - 401 {"error": "invalid_signature" | "expired"}: a missing or bad x-port-signature, or an
//     x-port-timestamp more than Tolerance away;
//   - 400 {"error": code, "input": name}: a secret input that fails to decrypt;
//   - 400 {"error": code}: any other refusal (invalid_json, malformed, ...), or
//     "body_unreadable" when reading the body failed.
//
// It never logs, and no answer holds a value. Bad options panic here, when the middleware is
// made, not on the first request.
func Middleware(d *Decryptor, opts ...RunOptions) func(http.Handler) http.Handler {
	if d == nil {
		panic("portsecret.Middleware: nil Decryptor")
	}
	var o RunOptions
	switch len(opts) {
	case 0:
	case 1:
		o = opts[0]
	default:
		panic("portsecret.Middleware: at most one RunOptions")
	}
	if !o.SkipSignature && d.ClientSecretCount() == 0 {
		panic("portsecret.Middleware: verifying signatures needs a Decryptor with a client secret")
	}
	if o.UserInputs != nil && !json.Valid(o.UserInputs) {
		panic("portsecret.Middleware: RunOptions.UserInputs is not JSON")
	}
	// The other options are checked by the code that will use them: an empty body, signature off,
	// must end at the body (invalid_json), after every option was read.
	check := o
	check.SkipSignature = true
	if _, err := d.OpenWebhook(nil, nil, check); !errors.Is(err, ErrInvalidJSON) {
		panic("portsecret.Middleware: bad RunOptions: " + err.Error())
	}
	limit := int64(o.MaxBody)
	if limit == 0 {
		limit = DefaultMaxBody
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ContentLength > limit {
				refuse(w, http.StatusRequestEntityTooLarge, BodyTooLarge, nil)
				return
			}
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
			if err != nil {
				var tooLarge *http.MaxBytesError
				if errors.As(err, &tooLarge) {
					refuse(w, http.StatusRequestEntityTooLarge, BodyTooLarge, nil)
				} else {
					refuse(w, http.StatusBadRequest, "body_unreadable", nil)
				}
				return
			}
			run, err := d.OpenWebhook(body, r.Header, o)
			if err != nil {
				var pe *Error
				if !errors.As(err, &pe) {
					pe = &Error{Code: CodeInternal}
				}
				status := http.StatusBadRequest
				if pe.Code == CodeInvalidSignature || pe.Code == CodeExpired {
					status = http.StatusUnauthorized
				}
				var input *string
				if pe.HasInput {
					input = &pe.Input
				}
				refuse(w, status, pe.Code, input)
				return
			}
			defer clear(run)
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), runKey{}, run)))
		})
	}
}

// refuse writes {"error": code[, "input": name]} with the status.
func refuse(w http.ResponseWriter, status int, code string, input *string) {
	body := map[string]string{"error": code}
	if input != nil {
		body["input"] = *input
	}
	b, _ := json.Marshal(body)
	h := w.Header()
	h.Set("Content-Type", "application/json")
	if status == http.StatusRequestEntityTooLarge {
		h.Set("Connection", "close")
	}
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}
