package portsecret

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// The shared vectors of tests/vectors (format: tests/vectors/README.md), run through this
// package: every positive and invalid file of aes256-gcm, client-side, fernet and signature,
// the properties file and the runs file.

const vectorsDir = "../tests/vectors"

type vectorFile struct {
	Schema        string   `json:"schema"`
	Format        string   `json:"format"`
	NumberOfTests int      `json:"numberOfTests"`
	Tests         []vector `json:"tests"`
}

type vector struct {
	TcID         int             `json:"tcId"`
	Comment      string          `json:"comment"`
	Flags        []string        `json:"flags"`
	Result       string          `json:"result"`
	ClientSecret *string         `json:"clientSecret"`
	PrivateKey   string          `json:"privateKey"`
	PublicKey    string          `json:"publicKey"`
	Value        string          `json:"value"`
	Token        string          `json:"token"`
	TTL          int64           `json:"ttl"`
	Now          *int64          `json:"now"`
	Body         *string         `json:"body"`
	BodyHex      *string         `json:"bodyHex"`
	Timestamp    string          `json:"timestamp"`
	Signature    string          `json:"signature"`
	Tolerance    int64           `json:"tolerance"`
	PlaintextHex *string         `json:"plaintextHex"`
	Properties   json.RawMessage `json:"properties"`
	UserInputs   json.RawMessage `json:"userInputs"`
	Expected     json.RawMessage `json:"expected"`
	Error        string          `json:"error"`
	Input        json.RawMessage `json:"input"`
	Delivery     string          `json:"delivery"`
	Headers      [][2]string     `json:"headers"`
	Options      runVectorOpts   `json:"options"`
}

type runVectorOpts struct {
	Tolerance           *int64          `json:"tolerance"`
	VerifySignature     *bool           `json:"verifySignature"`
	UserInputs          json.RawMessage `json:"userInputs"`
	UserInputsPointer   *string         `json:"userInputsPointer"`
	PropertiesPointer   *string         `json:"propertiesPointer"`
	DefaultEncryption   json.RawMessage `json:"defaultEncryption"`
	MaxBody             int             `json:"maxBody"`
	MaxClientSideInputs int             `json:"maxClientSideInputs"`
}

func (v *vector) id(file string) string { return file + "#" + itoa(v.TcID) }

func (v *vector) has(flag string) bool { return slices.Contains(v.Flags, flag) }

func (v *vector) secret() string {
	if v.ClientSecret == nil {
		return ""
	}
	return *v.ClientSecret
}

// plaintext is the expected plaintext bytes of a valid test.
func (v *vector) plaintext(t *testing.T) []byte {
	if v.PlaintextHex == nil {
		return nil
	}
	b, err := hex.DecodeString(*v.PlaintextHex)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func loadVectors(t *testing.T, rel string) vectorFile {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(vectorsDir, rel))
	if err != nil {
		t.Fatal(err)
	}
	var f vectorFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	if f.Schema != "port-secret-vectors/v1" || f.NumberOfTests != len(f.Tests) || len(f.Tests) == 0 {
		t.Fatalf("%s: bad header (schema %q, %d of %d tests)", rel, f.Schema, len(f.Tests), f.NumberOfTests)
	}
	return f
}

var (
	keyCache   = map[string]string{}
	keyCacheMu sync.Mutex
)

func readKey(t *testing.T, name string) string {
	t.Helper()
	keyCacheMu.Lock()
	defer keyCacheMu.Unlock()
	if k, ok := keyCache[name]; ok {
		return k
	}
	b, err := os.ReadFile(filepath.Join(vectorsDir, "keys", name))
	if err != nil {
		t.Fatal(err)
	}
	keyCache[name] = string(b)
	return string(b)
}

func codeOf(err error) string {
	if err == nil {
		return "ok"
	}
	var pe *Error
	if errors.As(err, &pe) {
		return pe.Code
	}
	return "not a *portsecret.Error: " + err.Error()
}

// checkDecrypt checks one decrypt call against a value vector. textAPI: the call returns text,
// so a valid non-UTF-8 plaintext is invalid_utf8.
func checkDecrypt(t *testing.T, id, what string, textAPI bool, v *vector, got []byte, err error) {
	t.Helper()
	want := v.Error
	if v.Result == "valid" && (want == "" || !textAPI) {
		want = "ok"
	}
	if c := codeOf(err); c != want {
		t.Errorf("%s %s: got %s, want %s", id, what, c, want)
		return
	}
	if err != nil {
		if got != nil {
			t.Errorf("%s %s: output on error", id, what)
		}
		if !errors.Is(err, &Error{Code: want}) {
			t.Errorf("%s %s: errors.Is does not match its own code", id, what)
		}
		return
	}
	if pt := v.plaintext(t); !bytes.Equal(got, pt) || got == nil {
		t.Errorf("%s %s: wrong plaintext (%d bytes, want %d)", id, what, len(got), len(pt))
	}
}

// Secrets and keys with a NUL cannot reach the C API whole: this package refuses them
// (invalid_argument); the vectors hold none, which this counts.
func skipNULSecret(t *testing.T, v *vector) bool {
	if strings.ContainsRune(v.secret(), 0) {
		t.Logf("tcId %d: client secret with NUL, skipped", v.TcID)
		return true
	}
	return false
}

// rotatedOut is a client secret that opens nothing of the vectors, listed first.
const rotatedOut = "rotated-out-secret-0123456789abcdef-0123456789"

func TestVectorsAES256GCM(t *testing.T) {
	for _, file := range []string{"aes256_gcm_pyca_test.json", "aes256_gcm_pycryptodome_test.json", "aes256_gcm_node_test.json", "aes256_gcm_invalid_test.json"} {
		t.Run(file, func(t *testing.T) {
			f := loadVectors(t, "aes256_gcm/"+file)
			ran := 0
			for i := range f.Tests {
				v := &f.Tests[i]
				id := v.id(file)
				if skipNULSecret(t, v) {
					continue
				}
				value := []byte(v.Value)
				got, err := DecryptAES256GCM(value, v.secret())
				checkDecrypt(t, id, "text", true, v, got, err)
				got, err = DecryptAES256GCMBytes(value, v.secret())
				checkDecrypt(t, id, "bytes", false, v, got, err)
				viaDecryptor(t, id, v, "aes256-gcm", value)
				viaDecryptor(t, id, v, `"aes256-gcm"`, value)
				ran++
			}
			t.Logf("%s: %d of %d tests", file, ran, len(f.Tests))
		})
	}
}

// viaDecryptor: the Decryptor path of a symmetric vector, behind a rotated-out secret.
func viaDecryptor(t *testing.T, id string, v *vector, encryption string, value []byte) {
	t.Helper()
	d, err := NewDecryptor(Options{ClientSecrets: []string{rotatedOut, v.secret()}})
	if v.Error == "invalid_key" {
		if codeOf(err) != "invalid_key" || d != nil {
			t.Errorf("%s decryptor: got %s, want invalid_key", id, codeOf(err))
		}
		return
	}
	if err != nil {
		t.Errorf("%s decryptor: %v", id, err)
		return
	}
	defer d.Close()
	got, err := d.Decrypt(value, encryption)
	checkDecrypt(t, id, "decryptor text", true, v, got, err)
	got, err = d.DecryptBytes(value, encryption)
	checkDecrypt(t, id, "decryptor bytes", false, v, got, err)
	if v.Result == "valid" && v.has("JsonObject") {
		got, err := d.DecryptJSON(value, encryption)
		if err != nil {
			t.Errorf("%s decrypt_json: %v", id, err)
		} else if diff := sameJSON(got, v.plaintext(t)); diff != "" {
			t.Errorf("%s decrypt_json: %s", id, diff)
		}
	}
}

func TestVectorsClientSide(t *testing.T) {
	// One decryptor holding every valid private key (one file per key): decrypts every valid
	// test with and without the action's public key.
	var shared *Decryptor
	{
		keys := []string{}
		for _, name := range []string{"rsa2048_pkcs8.pem", "rsa2048b_pkcs8.pem", "rsa3072_pkcs8.pem", "rsa4096_pkcs8.pem"} {
			keys = append(keys, readKey(t, name))
		}
		var err error
		if shared, err = NewDecryptor(Options{PrivateKeys: keys}); err != nil {
			t.Fatal(err)
		}
		defer shared.Close()
	}
	for _, file := range []string{"client_side_pyca_test.json", "client_side_pycryptodome_test.json", "client_side_node_test.json", "client_side_webcrypto_test.json", "client_side_invalid_test.json"} {
		t.Run(file, func(t *testing.T) {
			f := loadVectors(t, "client_side/"+file)
			for i := range f.Tests {
				v := &f.Tests[i]
				id := v.id(file)
				pem := readKey(t, v.PrivateKey)
				value := []byte(v.Value)
				got, err := DecryptClientSide(value, pem)
				checkDecrypt(t, id, "text", true, v, got, err)
				got, err = DecryptClientSideBytes(value, pem)
				checkDecrypt(t, id, "bytes", false, v, got, err)
				if v.Result == "valid" {
					got, err = shared.Decrypt(value, "client-side")
					checkDecrypt(t, id, "shared decryptor", true, v, got, err)
					if v.PublicKey != "" {
						enc, _ := json.Marshal(map[string]string{"algorithm": "client-side", "key": readKey(t, v.PublicKey)})
						got, err = shared.Decrypt(value, string(enc))
						checkDecrypt(t, id, "shared decryptor, with key", true, v, got, err)
						got, err = shared.DecryptBytes(value, string(enc))
						checkDecrypt(t, id, "shared decryptor bytes, with key", false, v, got, err)
					}
				}
				// The test's own key in a decryptor of its own.
				d, err := NewDecryptor(Options{PrivateKeys: []string{pem}})
				if v.Error == "invalid_key" {
					if codeOf(err) != "invalid_key" {
						t.Errorf("%s decryptor: got %s, want invalid_key", id, codeOf(err))
					}
					continue
				}
				if err != nil {
					t.Errorf("%s decryptor: %v", id, err)
					continue
				}
				got, err = d.Decrypt(value, "client-side")
				checkDecrypt(t, id, "decryptor", true, v, got, err)
				d.Close()
			}
			t.Logf("%s: %d of %d tests", file, len(f.Tests), len(f.Tests))
		})
	}
}

func TestVectorsFernet(t *testing.T) {
	for _, file := range []string{"fernet_pyca_test.json", "fernet_invalid_test.json"} {
		t.Run(file, func(t *testing.T) {
			f := loadVectors(t, "fernet/"+file)
			ran := 0
			for i := range f.Tests {
				v := &f.Tests[i]
				id := v.id(file)
				if skipNULSecret(t, v) {
					continue
				}
				ttl := time.Duration(v.TTL) * time.Second
				token := []byte(v.Token)
				if v.Now == nil {
					got, err := DecryptFernet(token, v.secret(), ttl)
					checkDecrypt(t, id, "text", true, v, got, err)
					got, err = DecryptFernetBytes(token, v.secret(), ttl)
					checkDecrypt(t, id, "bytes", false, v, got, err)
					if v.TTL == 0 {
						viaDecryptor(t, id, v, "fernet", token)
					}
				} else {
					now := time.Unix(*v.Now, 0)
					got, err := DecryptFernetBytesAt(token, v.secret(), ttl, now)
					checkDecrypt(t, id, "bytes at", false, v, got, err)
					got, err = DecryptFernetAt(token, v.secret(), ttl, now)
					checkDecrypt(t, id, "text at", true, v, got, err)
					if v.Result == "valid" {
						got, err = DecryptFernet(token, v.secret(), 0)
						checkDecrypt(t, id, "text, no ttl", true, v, got, err)
					}
				}
				ran++
			}
			t.Logf("%s: %d of %d tests", file, ran, len(f.Tests))
		})
	}
}

func TestVectorsSignature(t *testing.T) {
	for _, file := range []string{"signature_hmac_test.json", "signature_invalid_test.json"} {
		t.Run(file, func(t *testing.T) {
			f := loadVectors(t, "signature/"+file)
			ran := 0
			for i := range f.Tests {
				v := &f.Tests[i]
				id := v.id(file)
				if skipNULSecret(t, v) {
					continue
				}
				body := []byte(*v.Body)
				want := v.Error
				if v.Result == "valid" {
					want = "ok"
				}
				err := VerifySignatureAt(body, v.Signature, v.Timestamp, v.secret(), time.Duration(v.Tolerance)*time.Second, time.Unix(*v.Now, 0))
				if c := codeOf(err); c != want {
					t.Errorf("%s verify: got %s, want %s", id, c, want)
				}
				if v.Result == "valid" && !strings.Contains(v.Signature, " ") {
					sig, err := SignPayload(body, v.Timestamp, v.secret())
					if err != nil || sig != v.Signature {
						t.Errorf("%s: sign_payload differs (%v)", id, err)
					}
				}
				ran++
			}
			t.Logf("%s: %d of %d tests", file, ran, len(f.Tests))
		})
	}
}

// wantInput checks an error's input name against a vector's `input` (null: none).
func wantInput(t *testing.T, id string, err error, input json.RawMessage) {
	t.Helper()
	var pe *Error
	if !errors.As(err, &pe) {
		return
	}
	if input == nil || string(input) == "null" {
		if pe.HasInput {
			t.Errorf("%s: names input %q, want none", id, pe.Input)
		}
		return
	}
	var name string
	if err := json.Unmarshal(input, &name); err != nil {
		t.Fatal(err)
	}
	if !pe.HasInput || pe.Input != name {
		t.Errorf("%s: names input %q (named: %v), want %q", id, pe.Input, pe.HasInput, name)
	}
	if !strings.Contains(pe.Error(), pe.Code) {
		t.Errorf("%s: Error() lacks the code", id)
	}
}

func compactJSON(t *testing.T, raw json.RawMessage) []byte {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestVectorsProperties(t *testing.T) {
	const file = "properties_invalid_test.json"
	f := loadVectors(t, "properties/"+file)
	valid := 0
	for i := range f.Tests {
		v := &f.Tests[i]
		id := v.id(file)
		opts := Options{ClientSecrets: []string{v.secret()}}
		if v.PrivateKey != "" {
			opts.PrivateKeys = []string{readKey(t, v.PrivateKey)}
		}
		d, err := NewDecryptor(opts)
		if err != nil {
			t.Errorf("%s decryptor: %v", id, err)
			continue
		}
		got, err := d.DecryptProperties(compactJSON(t, v.Properties), compactJSON(t, v.UserInputs))
		d.Close()
		if v.Result == "valid" {
			valid++
			if err != nil {
				t.Errorf("%s: %v", id, err)
			} else if diff := sameJSON(got, v.Expected); diff != "" {
				t.Errorf("%s: %s", id, diff)
			}
			continue
		}
		if c := codeOf(err); c != v.Error {
			t.Errorf("%s: got %s, want %s", id, c, v.Error)
		}
		wantInput(t, id, err, v.Input)
	}
	t.Logf("%s: %d tests (%d valid)", file, len(f.Tests), valid)
}

// runOptions maps a run vector's options (defaults when absent) and clock.
func (v *vector) runOptions(t *testing.T) RunOptions {
	o := RunOptions{Now: time.Unix(*v.Now, 0)}
	if v.Delivery == "agent" {
		o.Delivery = DeliveryAgent
	}
	if v.Options.Tolerance != nil {
		if *v.Options.Tolerance == 0 {
			o.Tolerance = time.Nanosecond // 0 s
		} else {
			o.Tolerance = time.Duration(*v.Options.Tolerance) * time.Second
		}
	}
	if v.Options.VerifySignature != nil {
		o.SkipSignature = !*v.Options.VerifySignature
	}
	if v.Options.UserInputs != nil {
		o.UserInputs = compactJSON(t, v.Options.UserInputs)
	}
	if p := v.Options.UserInputsPointer; p != nil {
		if *p == "" {
			t.Fatalf("tcId %d: an empty pointer has no RunOptions spelling", v.TcID)
		}
		o.UserInputsPointer = *p
	}
	if p := v.Options.PropertiesPointer; p != nil {
		if *p == "" {
			t.Fatalf("tcId %d: an empty pointer has no RunOptions spelling", v.TcID)
		}
		o.PropertiesPointer = *p
	}
	if v.Options.DefaultEncryption != nil {
		o.DefaultEncryption = string(compactJSON(t, v.Options.DefaultEncryption))
	}
	o.MaxBody = v.Options.MaxBody
	o.MaxClientSideInputs = v.Options.MaxClientSideInputs
	return o
}

func (v *vector) body(t *testing.T) []byte {
	if v.BodyHex != nil {
		b, err := hex.DecodeString(*v.BodyHex)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	return []byte(*v.Body)
}

func TestVectorsRuns(t *testing.T) {
	const file = "runs_test.json"
	f := loadVectors(t, "runs/"+file)
	counts := map[string]int{}
	for i := range f.Tests {
		v := &f.Tests[i]
		id := v.id(file)
		counts[v.Delivery]++
		opts := Options{ClientSecrets: []string{v.secret()}}
		if v.PrivateKey != "" {
			opts.PrivateKeys = []string{readKey(t, v.PrivateKey)}
		}
		d, err := NewDecryptor(opts)
		if err != nil {
			t.Errorf("%s decryptor: %v", id, err)
			continue
		}
		body, ro := v.body(t), v.runOptions(t)
		type attempt struct {
			how string
			run json.RawMessage
			err error
		}
		var attempts []attempt
		if v.Delivery == "kafka" {
			run, err := d.OpenKafkaMessage(body, ro)
			attempts = append(attempts, attempt{"kafka", run, err})
		} else {
			list := make([]Header, len(v.Headers))
			h := http.Header{}
			for i, p := range v.Headers {
				list[i] = Header{p[0], p[1]}
				h[p[0]] = append(h[p[0]], p[1])
			}
			run, err := d.OpenWebhookHeaders(body, list, ro)
			attempts = append(attempts, attempt{"header list", run, err})
			run, err = d.OpenWebhook(body, h, ro)
			attempts = append(attempts, attempt{"http.Header", run, err})
		}
		d.Close()
		for _, a := range attempts {
			if v.Result == "valid" {
				if a.err != nil {
					t.Errorf("%s %s: %v", id, a.how, a.err)
				} else if diff := sameJSON(a.run, v.Expected); diff != "" {
					t.Errorf("%s %s: %s", id, a.how, diff)
				}
				continue
			}
			if c := codeOf(a.err); c != v.Error {
				t.Errorf("%s %s: got %s, want %s", id, a.how, c, v.Error)
			}
			wantInput(t, id+" "+a.how, a.err, v.Input)
		}
	}
	t.Logf("%s: %d tests (port %d, agent %d, kafka %d)", file, len(f.Tests), counts["port"], counts["agent"], counts["kafka"])
}
