// Package portsecret decrypts Port secret inputs (aes256-gcm, client-side, legacy fernet),
// verifies Port's webhook signatures and opens whole runs in one call, over the C ABI of
// port-secret (include/port_secret.h, linked statically by default: see cgo.go).
//
// A backend handles runs: build one [Decryptor] at start-up and open each delivery with
// [Decryptor.OpenWebhook] (or [Middleware] for net/http) or [Decryptor.OpenKafkaMessage].
//
//	d, err := portsecret.NewDecryptor(portsecret.Options{ClientSecrets: []string{os.Getenv("PORT_CLIENT_SECRET")}})
//	if err != nil { ... }
//	defer d.Close()
//	run, err := d.OpenWebhook(rawBody, r.Header, portsecret.RunOptions{})
//	var pe *portsecret.Error
//	if errors.As(err, &pe) { ... pe.Code, pe.Input ... }
//
// Every error is an [*Error] with a Code from one taxonomy (invalid_base64, malformed,
// authentication_failed, invalid_key, invalid_utf8, invalid_json, expired,
// unsupported_encryption, invalid_signature, plus invalid_argument and internal) and, for a
// run, the failing input's name; errors.Is works with the Err* sentinels. No error and no
// String holds a value, a key or a plaintext.
//
// Secrets in memory: the C library zeroes every buffer it returns once this package has copied
// it, and the Go copies this package makes of arguments (NUL-terminated strings) are cleared
// after each call. What is returned (plaintexts, runs, private keys) is the caller's []byte:
// clear it when done. Go strings (client secrets and PEMs in Options, the encryption
// argument, anything decoded from a run) are immutable and cannot be wiped, nor can copies the
// garbage collector may have made while moving stacks.
package portsecret
