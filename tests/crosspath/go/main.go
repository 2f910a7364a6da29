// Cross-path runner, Go: every shared vector through every entry point of the Go package
// (go/, over libport_secret), one JSON line per call (see ../compare.py for the format). It
// reads the vector files itself with encoding/json.
//
//	go run . <tests/vectors dir> <out.jsonl>
package main

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	portsecret "github.com/port-secret/port-secret/go"
)

type test struct {
	TcID         json.Number                `json:"tcId"`
	Flags        []string                   `json:"flags"`
	Result       string                     `json:"result"`
	ClientSecret *string                    `json:"clientSecret"`
	PrivateKey   *string                    `json:"privateKey"`
	PublicKey    *string                    `json:"publicKey"`
	Value        string                     `json:"value"`
	Token        string                     `json:"token"`
	TTL          *int64                     `json:"ttl"`
	Now          *int64                     `json:"now"`
	Body         *string                    `json:"body"`
	BodyHex      *string                    `json:"bodyHex"`
	Timestamp    string                     `json:"timestamp"`
	Signature    string                     `json:"signature"`
	Tolerance    int64                      `json:"tolerance"`
	Properties   json.RawMessage            `json:"properties"`
	UserInputs   json.RawMessage            `json:"userInputs"`
	PlaintextHex *string                    `json:"plaintextHex"`
	Plaintext    *string                    `json:"plaintext"`
	Expected     json.RawMessage            `json:"expected"`
	Delivery     string                     `json:"delivery"`
	Headers      [][2]string                `json:"headers"`
	Options      map[string]json.RawMessage `json:"options"`
}

type doc struct {
	Schema string `json:"schema"`
	Format string `json:"format"`
	Tests  []test `json:"tests"`
}

type runner struct {
	root  string
	out   *bufio.Writer
	count int
	keys  map[string]string
}

func (r *runner) key(name string) string {
	if k, ok := r.keys[name]; ok {
		return k
	}
	b, _ := os.ReadFile(filepath.Join(r.root, "keys", name))
	r.keys[name] = string(b)
	return r.keys[name]
}

func (r *runner) emit(vid, path, kind, code string, input *string) {
	rec := map[string]any{"vector": vid, "path": "go:" + path, "kind": kind, "code": code, "input": input}
	b, _ := json.Marshal(rec)
	r.out.Write(append(b, '\n'))
	r.count++
}

// record reports an outcome: the error's code (and input name), or ok / wrong_output.
func (r *runner) record(vid, path, kind string, err error, good bool) {
	if err != nil {
		var pe *portsecret.Error
		if errors.As(err, &pe) {
			var input *string
			if pe.HasInput {
				name := pe.Input
				input = &name
			}
			r.emit(vid, path, kind, pe.Code, input)
			return
		}
		r.emit(vid, path, kind, "exception:"+fmt.Sprintf("%T", err), nil)
		return
	}
	if good {
		r.emit(vid, path, kind, "ok", nil)
	} else {
		r.emit(vid, path, kind, "wrong_output", nil)
	}
}

func (t *test) wantBytes(got []byte) bool {
	return t.PlaintextHex != nil && hex.EncodeToString(got) == *t.PlaintextHex
}

func (t *test) wantText(got []byte) bool {
	return t.Plaintext != nil && string(got) == *t.Plaintext
}

func (t *test) wantJSON(got []byte) bool {
	return t.Plaintext != nil && sameJSON(got, []byte(*t.Plaintext))
}

func (t *test) jsonApplies() bool {
	if t.Result == "invalid" {
		return true
	}
	for _, f := range t.Flags {
		if f == "JsonObject" {
			return true
		}
	}
	return false
}

// sameJSON: the same token stream (so the same key order), numbers compared as integers by
// their digits and otherwise by value.
func sameJSON(a, b []byte) bool {
	da, db := json.NewDecoder(bytes.NewReader(a)), json.NewDecoder(bytes.NewReader(b))
	da.UseNumber()
	db.UseNumber()
	for {
		ta, ea := da.Token()
		tb, eb := db.Token()
		if ea == io.EOF && eb == io.EOF {
			return true
		}
		if ea != nil || eb != nil {
			return false
		}
		na, aNum := ta.(json.Number)
		nb, bNum := tb.(json.Number)
		if aNum && bNum {
			if !strings.ContainsAny(string(na), ".eE") && !strings.ContainsAny(string(nb), ".eE") {
				if na != nb {
					return false
				}
				continue
			}
			fa, e1 := na.Float64()
			fb, e2 := nb.Float64()
			if e1 != nil || e2 != nil || fa != fb || (fa == 0 && (strings.HasPrefix(string(na), "-") != strings.HasPrefix(string(nb), "-"))) {
				return false
			}
			continue
		}
		if ta != tb {
			return false
		}
	}
}

func (r *runner) decryptorPaths(vid string, t *test, opts portsecret.Options, value []byte, enc string) {
	d, made := portsecret.NewDecryptor(opts)
	if made == nil {
		defer d.Close()
	}
	call := func(f func() ([]byte, error)) ([]byte, error) {
		if made != nil {
			return nil, made
		}
		return f()
	}
	got, err := call(func() ([]byte, error) { return d.DecryptBytes(value, enc) })
	r.record(vid, "Decryptor.DecryptBytes", "bytes", err, t.wantBytes(got))
	got, err = call(func() ([]byte, error) { return d.Decrypt(value, enc) })
	r.record(vid, "Decryptor.Decrypt", "text", err, t.wantText(got))
	if t.jsonApplies() {
		got, err = call(func() ([]byte, error) { return d.DecryptJSON(value, enc) })
		r.record(vid, "Decryptor.DecryptJSON", "json", err, t.wantJSON(got))
	}
}

func (r *runner) aes256gcm(vid string, t *test) {
	v, secret := []byte(t.Value), *t.ClientSecret
	got, err := portsecret.DecryptAES256GCM(v, secret)
	r.record(vid, "DecryptAES256GCM", "text", err, t.wantText(got))
	got, err = portsecret.DecryptAES256GCMBytes(v, secret)
	r.record(vid, "DecryptAES256GCMBytes", "bytes", err, t.wantBytes(got))
	r.decryptorPaths(vid, t, portsecret.Options{ClientSecrets: []string{secret}}, v, "aes256-gcm")
}

func (r *runner) clientSide(vid string, t *test) {
	v, pem := []byte(t.Value), r.key(*t.PrivateKey)
	got, err := portsecret.DecryptClientSide(v, pem)
	r.record(vid, "DecryptClientSide", "text", err, t.wantText(got))
	got, err = portsecret.DecryptClientSideBytes(v, pem)
	r.record(vid, "DecryptClientSideBytes", "bytes", err, t.wantBytes(got))
	enc := "client-side"
	if t.PublicKey != nil {
		b, _ := json.Marshal(map[string]string{"algorithm": "client-side", "key": r.key(*t.PublicKey)})
		enc = string(b)
	}
	r.decryptorPaths(vid, t, portsecret.Options{PrivateKeys: []string{pem}}, v, enc)
}

func (r *runner) fernet(vid string, t *test) {
	tok, secret := []byte(t.Token), *t.ClientSecret
	var ttl time.Duration
	if t.TTL != nil {
		ttl = time.Duration(*t.TTL) * time.Second
	}
	if t.Now != nil {
		now := time.Unix(*t.Now, 0)
		got, err := portsecret.DecryptFernetAt(tok, secret, ttl, now)
		r.record(vid, "DecryptFernetAt", "text", err, t.wantText(got))
		got, err = portsecret.DecryptFernetBytesAt(tok, secret, ttl, now)
		r.record(vid, "DecryptFernetBytesAt", "bytes", err, t.wantBytes(got))
		return
	}
	got, err := portsecret.DecryptFernet(tok, secret, ttl)
	r.record(vid, "DecryptFernet", "text", err, t.wantText(got))
	got, err = portsecret.DecryptFernetBytes(tok, secret, ttl)
	r.record(vid, "DecryptFernetBytes", "bytes", err, t.wantBytes(got))
	r.decryptorPaths(vid, t, portsecret.Options{ClientSecrets: []string{secret}}, tok, "fernet")
}

func (r *runner) signature(vid string, t *test) {
	err := portsecret.VerifySignatureAt([]byte(*t.Body), t.Signature, t.Timestamp, *t.ClientSecret,
		time.Duration(t.Tolerance)*time.Second, time.Unix(*t.Now, 0))
	// Decryptor.VerifySignature has no clock parameter: not applicable to these tests.
	r.record(vid, "VerifySignatureAt", "verify", err, true)
}

func (r *runner) runDecryptor(t *test) (*portsecret.Decryptor, error) {
	opts := portsecret.Options{ClientSecrets: []string{*t.ClientSecret}}
	if t.PrivateKey != nil {
		opts.PrivateKeys = []string{r.key(*t.PrivateKey)}
	}
	return portsecret.NewDecryptor(opts)
}

func (r *runner) properties(vid string, t *test) {
	d, err := r.runDecryptor(t)
	var got []byte
	if err == nil {
		got, err = d.DecryptProperties(t.Properties, t.UserInputs)
		d.Close()
	}
	r.record(vid, "Decryptor.DecryptProperties", "properties", err, sameJSON(got, t.Expected))
}

func (r *runner) run(vid string, t *test) {
	opts := portsecret.RunOptions{Now: time.Unix(*t.Now, 0)}
	if t.Delivery == "agent" {
		opts.Delivery = portsecret.DeliveryAgent
	}
	o := t.Options
	var b bool
	var n int64
	var s string
	if v, ok := o["verifySignature"]; ok && json.Unmarshal(v, &b) == nil {
		opts.SkipSignature = !b
	}
	if v, ok := o["tolerance"]; ok && json.Unmarshal(v, &n) == nil {
		opts.Tolerance = time.Duration(n) * time.Second
		if n == 0 {
			opts.Tolerance = time.Nanosecond // 0 s; a zero Duration is the default
		}
	}
	if v, ok := o["userInputs"]; ok {
		opts.UserInputs = v
	}
	if v, ok := o["userInputsPointer"]; ok && json.Unmarshal(v, &s) == nil {
		opts.UserInputsPointer = s
	}
	if v, ok := o["propertiesPointer"]; ok && json.Unmarshal(v, &s) == nil {
		opts.PropertiesPointer = s
	}
	if v, ok := o["defaultEncryption"]; ok {
		opts.DefaultEncryption = string(v)
	}
	if v, ok := o["maxBody"]; ok && json.Unmarshal(v, &n) == nil {
		opts.MaxBody = int(n)
	}
	if v, ok := o["maxClientSideInputs"]; ok && json.Unmarshal(v, &n) == nil {
		opts.MaxClientSideInputs = int(n)
	}
	if opts.MaxBody == 0 && o["maxBody"] != nil || opts.MaxClientSideInputs == 0 && o["maxClientSideInputs"] != nil {
		r.skip(vid, "0 means the default in Go")
		return
	}
	var body []byte
	if t.BodyHex != nil {
		body, _ = hex.DecodeString(*t.BodyHex)
	} else {
		body = []byte(*t.Body)
	}
	d, made := r.runDecryptor(t)
	if made == nil {
		defer d.Close()
	}
	call := func(f func() ([]byte, error)) ([]byte, error) {
		if made != nil {
			return nil, made
		}
		return f()
	}
	if t.Delivery == "kafka" {
		got, err := call(func() ([]byte, error) { return d.OpenKafkaMessage(body, opts) })
		r.record(vid, "Decryptor.OpenKafkaMessage", "run", err, sameJSON(got, t.Expected))
		return
	}
	pairs := make([]portsecret.Header, 0, len(t.Headers))
	h := http.Header{}
	for _, p := range t.Headers {
		pairs = append(pairs, portsecret.Header{Name: p[0], Value: p[1]})
		h.Add(p[0], p[1])
	}
	got, err := call(func() ([]byte, error) { return d.OpenWebhookHeaders(body, pairs, opts) })
	r.record(vid, "Decryptor.OpenWebhookHeaders", "run", err, sameJSON(got, t.Expected))
	got, err = call(func() ([]byte, error) { return d.OpenWebhook(body, h, opts) })
	r.record(vid, "Decryptor.OpenWebhook(http.Header)", "run", err, sameJSON(got, t.Expected))
}

func (r *runner) skip(vid, reason string) {
	b, _ := json.Marshal(map[string]string{"vector": vid, "path": "go:*", "skip": reason})
	r.out.Write(append(b, '\n'))
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: go run . <tests/vectors dir> <out.jsonl>")
		os.Exit(2)
	}
	root := os.Args[1]
	f, err := os.Create(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	r := &runner{root: root, out: bufio.NewWriter(f), keys: map[string]string{}}
	files, tests := 0, 0
	for _, sub := range []string{"aes256_gcm", "client_side", "fernet", "signature", "properties", "runs"} {
		names, _ := filepath.Glob(filepath.Join(root, sub, "*_test.json"))
		sort.Strings(names)
		for _, name := range names {
			raw, err := os.ReadFile(name)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.UseNumber()
			var d doc
			if err := dec.Decode(&d); err != nil || d.Schema != "port-secret-vectors/v1" {
				fmt.Fprintf(os.Stderr, "%s: cannot read, or unknown schema: %v\n", name, err)
				os.Exit(1)
			}
			files++
			rel := sub + "/" + filepath.Base(name)
			for i := range d.Tests {
				t := &d.Tests[i]
				tests++
				vid := rel + "#" + t.TcID.String()
				switch d.Format {
				case "aes256-gcm":
					r.aes256gcm(vid, t)
				case "client-side":
					r.clientSide(vid, t)
				case "fernet":
					r.fernet(vid, t)
				case "signature":
					r.signature(vid, t)
				case "properties":
					r.properties(vid, t)
				case "run":
					r.run(vid, t)
				default:
					r.skip(vid, "unknown format")
				}
			}
		}
	}
	if err := r.out.Flush(); err != nil || f.Close() != nil {
		fmt.Fprintln(os.Stderr, "cannot write", os.Args[2])
		os.Exit(1)
	}
	fmt.Printf("go (%s): %d files, %d tests, %d checks\n", portsecret.Version(), files, tests, r.count)
}
