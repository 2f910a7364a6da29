package portsecret

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const testSecret = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" // 62 bytes

func mustDecryptor(t testing.TB, opts Options) *Decryptor {
	t.Helper()
	d, err := NewDecryptor(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func TestVersion(t *testing.T) {
	if Version() != HeaderVersion {
		t.Fatalf("library %s, header %s", Version(), HeaderVersion)
	}
}

func TestErrorsIsAs(t *testing.T) {
	_, err := DecryptAES256GCM([]byte("!!!!"), testSecret)
	var pe *Error
	if !errors.As(err, &pe) || pe.Code != CodeInvalidBase64 || pe.HasInput {
		t.Fatalf("got %#v", err)
	}
	if !errors.Is(err, ErrInvalidBase64) || errors.Is(err, ErrMalformed) {
		t.Fatal("errors.Is")
	}
	wrapped := fmt.Errorf("opening: %w", err)
	if !errors.Is(wrapped, ErrInvalidBase64) {
		t.Fatal("errors.Is through a wrap")
	}
	named := &Error{Code: CodeAuthenticationFailed, Input: "db_password", HasInput: true}
	if !errors.Is(named, ErrAuthenticationFailed) || !errors.Is(named, &Error{Code: CodeAuthenticationFailed, Input: "db_password", HasInput: true}) ||
		errors.Is(named, &Error{Code: CodeAuthenticationFailed, Input: "other", HasInput: true}) {
		t.Fatal("errors.Is with inputs")
	}
	if named.Error() != `portsecret: authentication_failed (input "db_password")` || ErrExpired.Error() != "portsecret: expired" {
		t.Fatal(named.Error())
	}
}

func TestRoundTrips(t *testing.T) {
	plain := []byte("hunter2 \x00 café ✓")
	v, err := EncryptAES256GCM(plain, testSecret)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := DecryptAES256GCM(v, testSecret); err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("aes256-gcm: %v", err)
	}
	tok, err := EncryptFernet(plain, testSecret)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := DecryptFernet(tok, testSecret, time.Minute); err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("fernet: %v", err)
	}
	if _, err := DecryptFernetAt(tok, testSecret, time.Minute, time.Now().Add(time.Hour)); !errors.Is(err, ErrExpired) {
		t.Fatalf("fernet ttl: %v", err)
	}
	priv, pub, err := GenerateKeyPair(2048)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(priv, []byte("-----BEGIN PRIVATE KEY-----")) || !bytes.HasPrefix(pub, []byte("-----BEGIN PUBLIC KEY-----")) {
		t.Fatal("PEM headers")
	}
	cs, err := EncryptClientSide(plain, string(pub))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := DecryptClientSide(cs, string(priv)); err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("client-side: %v", err)
	}
	if _, _, err := GenerateKeyPair(1024); !errors.Is(err, ErrInvalidKey) {
		t.Fatalf("1024 bits: %v", err)
	}
	if _, err := EncryptAES256GCM(plain, "short"); !errors.Is(err, ErrInvalidKey) {
		t.Fatalf("short secret: %v", err)
	}
	// A Decryptor: rotation, every encryption, JSON.
	d := mustDecryptor(t, Options{ClientSecrets: []string{"another-secret-another-secret-another-secret", testSecret}, PrivateKeys: []string{string(priv)}})
	if d.String() != "portsecret.Decryptor{clientSecrets: 2, privateKeys: 1}" {
		t.Fatal(d.String())
	}
	for _, c := range []struct {
		value      []byte
		encryption string
	}{{v, "aes256-gcm"}, {tok, `"fernet"`}, {cs, "client-side"}, {cs, string(mustJSON(map[string]string{"algorithm": "client-side", "key": string(pub)}))}} {
		if got, err := d.Decrypt(c.value, c.encryption); err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("%s: %v", c.encryption, err)
		}
	}
	if _, err := d.Decrypt(v, "rot13"); !errors.Is(err, ErrUnsupportedEncryption) {
		t.Fatalf("rot13: %v", err)
	}
	obj, _ := EncryptAES256GCM([]byte(`{ "host": "db", "port": 5432 }`), testSecret)
	if got, err := d.DecryptJSON(obj, "aes256-gcm"); err != nil || string(got) != `{"host":"db","port":5432}` {
		t.Fatalf("json: %s %v", got, err)
	}
	// An output that does not fit the room after the arguments takes the other path: the
	// library's buffer copied after the call (room forced to 0 and 3 bytes here).
	for _, room := range []int{0, 3} {
		outputRoom = func(int) int { return room }
		got, err := d.Decrypt(v, "aes256-gcm")
		outputRoom = defaultOutputRoom
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("room %d: %v", room, err)
		}
	}
	if _, err := d.DecryptJSON(v, "aes256-gcm"); !errors.Is(err, ErrInvalidJSON) {
		t.Fatalf("not json: %v", err)
	}
	// Signatures, on the system clock.
	body := []byte(`{"a":1}`)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	sig, err := SignPayload(body, ts, testSecret)
	if err != nil || !strings.HasPrefix(sig, "v1,") {
		t.Fatal(err)
	}
	if err := VerifySignature(body, sig, ts, testSecret, DefaultTolerance); err != nil {
		t.Fatal(err)
	}
	if err := d.VerifySignature(body, sig, ts, DefaultTolerance); err != nil {
		t.Fatal(err)
	}
	if err := d.VerifySignature([]byte(`{"a":2}`), sig, ts, DefaultTolerance); !errors.Is(err, ErrInvalidSignature) {
		t.Fatal(err)
	}
	old := strconv.FormatInt(time.Now().Unix()-400, 10)
	sig, _ = SignPayload(body, old, testSecret)
	if err := d.VerifySignature(body, sig, old, DefaultTolerance); !errors.Is(err, ErrExpired) {
		t.Fatal(err)
	}
	if err := d.VerifySignature(body, sig, old, -time.Second); !errors.Is(err, ErrInvalidArgument) {
		t.Fatal(err)
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// A NUL byte cannot cross a NUL-terminated C string: secrets and keys holding one are
// invalid_argument; in a value it gives the error the core gives it (invalid_base64), at the
// same step; in the signature or timestamp, invalid_signature.
func TestNULBytes(t *testing.T) {
	v, _ := EncryptAES256GCM([]byte("x"), testSecret)
	if _, err := DecryptAES256GCM(v, testSecret+"\x00"); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("secret: %v", err)
	}
	if _, err := NewDecryptor(Options{ClientSecrets: []string{testSecret + "\x00x"}}); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("decryptor secret: %v", err)
	}
	withNUL := append(append([]byte{}, v...), 0)
	if _, err := DecryptAES256GCM(withNUL, testSecret); !errors.Is(err, ErrInvalidBase64) {
		t.Fatalf("value: %v", err)
	}
	if _, err := DecryptAES256GCM(withNUL, "short"); !errors.Is(err, ErrInvalidKey) {
		t.Fatalf("key checked first: %v", err)
	}
	d := mustDecryptor(t, Options{ClientSecrets: []string{testSecret}})
	if _, err := d.Decrypt(v, "aes256-gcm\x00"); !errors.Is(err, ErrUnsupportedEncryption) {
		t.Fatalf("encryption: %v", err)
	}
	if _, err := d.DecryptProperties([]byte("{\"a\":\"\x00\"}"), []byte(`{}`)); !errors.Is(err, ErrInvalidJSON) {
		t.Fatalf("properties: %v", err)
	}
	body := []byte(`{}`)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	sig, _ := SignPayload(body, ts, testSecret)
	if err := VerifySignature(body, sig+"\x00", ts, testSecret, DefaultTolerance); !errors.Is(err, ErrInvalidSignature) {
		t.Fatalf("signature: %v", err)
	}
	if err := VerifySignature(body, sig, ts+"\x00", testSecret, DefaultTolerance); !errors.Is(err, ErrInvalidSignature) {
		t.Fatalf("timestamp: %v", err)
	}
	// A header name with a NUL is left out, never read as the name before it.
	run := signedRun(t, testSecret)
	_, err := d.OpenWebhookHeaders(run.body, []Header{{"x-port-signature\x00junk", run.sig}, {"x-port-timestamp", run.ts}}, RunOptions{})
	if !errors.Is(err, ErrInvalidSignature) {
		t.Fatalf("header name: %v", err)
	}
	if _, err := d.OpenWebhook(run.body, http.Header{"X-Port-Signature": {run.sig}, "X-Port-Timestamp": {run.ts}}, RunOptions{PropertiesPointer: "/a\x00"}); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("pointer: %v", err)
	}
}

func TestRunOptionsChecked(t *testing.T) {
	d := mustDecryptor(t, Options{ClientSecrets: []string{testSecret}})
	run := signedRun(t, testSecret)
	for name, o := range map[string]RunOptions{
		"delivery":  {Delivery: 7},
		"tolerance": {Tolerance: -time.Second},
		"max body":  {MaxBody: -1},
	} {
		if _, err := d.OpenWebhook(run.body, run.header(), o); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := d.OpenWebhook(run.body, run.header(), RunOptions{UserInputs: json.RawMessage(`{`)}); !errors.Is(err, ErrInvalidJSON) {
		t.Errorf("user inputs: %v", err)
	}
	if _, err := d.OpenWebhook(run.body, run.header(), RunOptions{MaxBody: 10}); !errors.Is(err, ErrMalformed) {
		t.Errorf("max body: %v", err)
	}
	if got, err := d.OpenWebhook(run.body, run.header(), RunOptions{}); err != nil || !bytes.Contains(got, []byte(`"db_password":"hunter2"`)) {
		t.Errorf("run: %v", err)
	}
	if _, err := d.OpenKafkaMessage([]byte(`[]`), RunOptions{SkipSignature: true}); !errors.Is(err, ErrMalformed) {
		t.Errorf("kafka: %v", err)
	}
}

func TestCloseAndCleanup(t *testing.T) {
	d, err := NewDecryptor(Options{ClientSecrets: []string{testSecret}})
	if err != nil {
		t.Fatal(err)
	}
	v, _ := EncryptAES256GCM([]byte("x"), testSecret)
	d.Close()
	d.Close()
	if _, err := d.Decrypt(v, "aes256-gcm"); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("after close: %v", err)
	}
	if _, err := d.OpenWebhook(nil, nil, RunOptions{}); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("after close: %v", err)
	}
	// Unreachable decryptors are freed by the garbage collector (ASan/LSan: no leak, no
	// double free with the ones closed above).
	for range 100 {
		if _, err := NewDecryptor(Options{ClientSecrets: []string{testSecret}}); err != nil {
			t.Fatal(err)
		}
	}
	runtime.GC()
	runtime.GC()
	if _, err := NewDecryptor(Options{}); !errors.Is(err, ErrInvalidKey) {
		t.Fatalf("no key: %v", err)
	}
}

// Many goroutines on one Decryptor, every kind of call, compared with the expected outputs;
// then Close while calls are in flight: each call either succeeds or sees invalid_argument.
func TestConcurrentDecryptor(t *testing.T) {
	pemB, err := os.ReadFile(vectorsDir + "/keys/rsa2048_pkcs8.pem")
	if err != nil {
		t.Fatal(err)
	}
	pubB, _ := os.ReadFile(vectorsDir + "/keys/rsa2048_public.pem")
	d, err := NewDecryptor(Options{ClientSecrets: []string{testSecret}, PrivateKeys: []string{string(pemB)}})
	if err != nil {
		t.Fatal(err)
	}
	const goroutines, rounds = 16, 40
	run := signedRun(t, testSecret)
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				plain := []byte(fmt.Sprintf("secret %d/%d", g, i))
				v, _ := EncryptAES256GCM(plain, testSecret)
				if got, err := d.Decrypt(v, "aes256-gcm"); err != nil || !bytes.Equal(got, plain) {
					errs <- fmt.Errorf("aes: %v", err)
					return
				}
				if i%8 == 0 {
					cs, _ := EncryptClientSide(plain, string(pubB))
					if got, err := d.Decrypt(cs, "client-side"); err != nil || !bytes.Equal(got, plain) {
						errs <- fmt.Errorf("client-side: %v", err)
						return
					}
				}
				if _, err := d.Decrypt(v[:len(v)-4], "aes256-gcm"); !errors.Is(err, ErrAuthenticationFailed) && !errors.Is(err, ErrMalformed) {
					errs <- fmt.Errorf("tampered: %v", err)
					return
				}
				got, err := d.OpenWebhook(run.body, run.header(), RunOptions{})
				if err != nil || !bytes.Contains(got, []byte(`"db_password":"hunter2"`)) {
					errs <- fmt.Errorf("run: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// Close racing with calls.
	v, _ := EncryptAES256GCM([]byte("x"), testSecret)
	var wg2 sync.WaitGroup
	for range 8 {
		wg2.Add(1)
		go func() {
			defer wg2.Done()
			for range 200 {
				if _, err := d.Decrypt(v, "aes256-gcm"); err != nil && !errors.Is(err, ErrInvalidArgument) {
					t.Errorf("racing close: %v", err)
					return
				}
			}
		}()
	}
	time.Sleep(time.Millisecond)
	d.Close()
	wg2.Wait()
}

// testRun is a signed Port webhook with one aes256-gcm input (db_password = hunter2).
type testRun struct {
	body    []byte
	sig, ts string
}

func (r testRun) header() http.Header {
	return http.Header{"X-Port-Signature": {r.sig}, "X-Port-Timestamp": {r.ts}}
}

func signedRun(t testing.TB, secret string) testRun {
	t.Helper()
	v, err := EncryptAES256GCM([]byte("hunter2"), secret)
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"action":"rotate","payload":{"properties":{"db_password":"` + string(v) +
		`","reason":"test"},"action":{"userInputs":{"properties":{"db_password":{"type":"string","encryption":"aes256-gcm"},"reason":{"type":"string"}}}}}}`)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	sig, err := SignPayload(body, ts, secret)
	if err != nil {
		t.Fatal(err)
	}
	return testRun{body, sig, ts}
}

// SignPayload takes the order of VerifySignature: what was signed first (body, timestamp), the
// key last. A call in the old order (body, clientSecret, timestamp) puts the secret where the
// timestamp goes: malformed, never a signature keyed with the timestamp.
func TestSignPayloadArgumentOrder(t *testing.T) {
	body := []byte(`{"action":"deploy"}`)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	sig, err := SignPayload(body, testSecret, ts) // the old order
	if !errors.Is(err, ErrMalformed) || sig != "" {
		t.Fatalf("old order: %q, %v", sig, err)
	}
	if strings.Contains(err.Error(), testSecret) {
		t.Fatalf("the error shows the secret: %v", err)
	}
	for _, bad := range []string{"", "now", "1700000000.5", " 1700000000"} {
		if _, err := SignPayload(body, bad, testSecret); !errors.Is(err, ErrMalformed) {
			t.Fatalf("timestamp %q: %v", bad, err)
		}
	}
	sig, err = SignPayload(body, ts, testSecret)
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifySignature(body, sig, ts, testSecret, DefaultTolerance); err != nil {
		t.Fatalf("verify what the new order signed: %v", err)
	}
}
