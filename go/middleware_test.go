package portsecret

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The middleware over real HTTP (httptest.NewServer), on the demo run of examples/demo (its
// body, client secret and private key, all public demo data): every case the Flask and Express
// helpers answer.

type demo struct {
	body, expected []byte
	secret, key    string
}

func loadDemo(t testing.TB) demo {
	t.Helper()
	read := func(name string) []byte {
		b, err := os.ReadFile("../examples/demo/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	return demo{read("body.json"), read("expected.json"), strings.TrimSpace(string(read("client_secret.txt"))), string(read("private_key.pem"))}
}

// sign returns the Port signature headers of body at ts.
func sign(t testing.TB, body []byte, secret string, ts int64) (string, string) {
	t.Helper()
	tss := strconv.FormatInt(ts, 10)
	sig, err := SignPayload(body, tss, secret)
	if err != nil {
		t.Fatal(err)
	}
	return sig, tss
}

func TestMiddleware(t *testing.T) {
	dm := loadDemo(t)
	d := mustDecryptor(t, Options{ClientSecrets: []string{dm.secret}, PrivateKeys: []string{dm.key}})
	var calls atomic.Int32
	var seen atomic.Value
	handler := Middleware(d)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		run, ok := RunFromContext(r.Context())
		if !ok {
			http.Error(w, "no run", 500)
			return
		}
		seen.Store(run) // the slice itself: zeroed once this returns
		var v struct {
			Payload struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"payload"`
		}
		if err := json.Unmarshal(run, &v); err != nil {
			http.Error(w, "bad run", 500)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(mustJSON(map[string]int{"inputs": len(v.Payload.Properties)}))
	}))
	srv := httptest.NewServer(handler)
	defer srv.Close()

	now := time.Now().Unix()
	tampered := bytes.Replace(dm.body, []byte(`"quarterly rotation"`), []byte(`"quarterly rotatioN"`), 1)
	if bytes.Equal(tampered, dm.body) {
		t.Fatal("demo body changed: no reason to tamper with")
	}
	// A body whose db_password value is cut (still base64), signed: the input is named.
	var parsed map[string]any
	if err := json.Unmarshal(dm.body, &parsed); err != nil {
		t.Fatal(err)
	}
	props := parsed["payload"].(map[string]any)["properties"].(map[string]any)
	pw := props["db_password"].(string)
	props["db_password"] = pw[:len(pw)-4]
	badInput := mustJSON(parsed)
	big := bytes.Repeat([]byte(" "), DefaultMaxBody+1)

	type req struct {
		name    string
		body    []byte
		sign    bool
		secret  string
		ts      int64
		noSig   bool
		chunked bool
		status  int
		answer  string // the exact JSON answer of a refusal
	}
	cases := []req{
		{name: "valid", body: dm.body, sign: true, status: 200},
		{name: "unsigned", body: dm.body, noSig: true, status: 401, answer: `{"error":"invalid_signature"}`},
		{name: "tampered", body: tampered, sign: true, status: 401, answer: `{"error":"invalid_signature"}`},
		{name: "stale", body: dm.body, sign: true, ts: now - 400, status: 401, answer: `{"error":"expired"}`},
		{name: "future", body: dm.body, sign: true, ts: now + 400, status: 401, answer: `{"error":"expired"}`},
		{name: "wrong secret", body: dm.body, sign: true, secret: strings.Repeat("w", 60), status: 401, answer: `{"error":"invalid_signature"}`},
		{name: "bad input", body: badInput, sign: true, status: 400, answer: `{"error":"authentication_failed","input":"db_password"}`},
		{name: "not JSON", body: []byte("not json"), sign: true, status: 400, answer: `{"error":"invalid_json"}`},
		{name: "no properties", body: []byte(`{"payload":{}}`), sign: true, status: 400, answer: `{"error":"malformed"}`},
		{name: "oversize", body: big, sign: true, status: 413, answer: `{"error":"body_too_large"}`},
		{name: "oversize, chunked", body: big, sign: true, chunked: true, status: 413, answer: `{"error":"body_too_large"}`},
		{name: "valid, chunked", body: dm.body, sign: true, chunked: true, status: 200},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := calls.Load()
			var rd io.Reader = bytes.NewReader(c.body)
			if c.chunked {
				rd = io.MultiReader(rd) // unknown length: sent chunked, no Content-Length
			}
			r, err := http.NewRequest(http.MethodPost, srv.URL+"/port/actions", rd)
			if err != nil {
				t.Fatal(err)
			}
			r.Header.Set("Content-Type", "application/json")
			if c.sign {
				secret, ts := dm.secret, c.ts
				if c.secret != "" {
					secret = c.secret
				}
				if ts == 0 {
					ts = now
				}
				body := c.body
				if c.name == "tampered" {
					body = dm.body // signed before the change
				}
				sig, tss := sign(t, body, secret, ts)
				r.Header.Set("X-Port-Signature", sig)
				r.Header.Set("x-port-timestamp", tss)
			}
			resp, err := srv.Client().Do(r)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != c.status {
				t.Fatalf("status %d, want %d (%s)", resp.StatusCode, c.status, got)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("content type %q", ct)
			}
			if c.status != 200 {
				if strings.TrimSpace(string(got)) != c.answer {
					t.Errorf("answer %s, want %s", got, c.answer)
				}
				if calls.Load() != before {
					t.Error("the handler ran for a refused request")
				}
				return
			}
			if string(got) != `{"inputs":5}` || calls.Load() != before+1 {
				t.Errorf("answer %s", got)
			}
			// The run the handler saw was the decrypted run; it is zeroed once the handler
			// returned.
			run := seen.Load().(json.RawMessage)
			if len(run) == 0 || bytes.Count(run, []byte{0}) != len(run) {
				t.Error("run not zeroed after the handler")
			}
		})
	}

	t.Run("run equals the demo's expected output", func(t *testing.T) {
		sig, ts := sign(t, dm.body, dm.secret, now)
		run, err := d.OpenWebhook(dm.body, http.Header{"X-Port-Signature": {sig}, "X-Port-Timestamp": {ts}}, RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := sameJSON(run, dm.expected); diff != "" {
			t.Fatal(diff)
		}
	})
}

func TestMiddlewareOptions(t *testing.T) {
	dm := loadDemo(t)
	d := mustDecryptor(t, Options{ClientSecrets: []string{dm.secret}, PrivateKeys: []string{dm.key}})
	mustPanic := func(name string, f func()) {
		t.Helper()
		defer func() {
			if recover() == nil {
				t.Errorf("%s: no panic", name)
			}
		}()
		f()
	}
	mustPanic("bad pointer", func() { Middleware(d, RunOptions{PropertiesPointer: "no-slash"}) })
	mustPanic("bad user inputs", func() { Middleware(d, RunOptions{UserInputs: json.RawMessage("{")}) })
	mustPanic("two options", func() { Middleware(d, RunOptions{}, RunOptions{}) })
	keyOnly := mustDecryptor(t, Options{PrivateKeys: []string{dm.key}})
	mustPanic("no client secret", func() { Middleware(keyOnly) })
	Middleware(keyOnly, RunOptions{SkipSignature: true}) // fine

	// A smaller cap, and options reaching the core.
	srv := httptest.NewServer(Middleware(d, RunOptions{MaxBody: 100})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})))
	defer srv.Close()
	resp, err := http.Post(srv.URL, "application/json", bytes.NewReader(dm.body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 413 {
		t.Fatalf("status %d", resp.StatusCode)
	}
}
