package main

// The example's handler behind portsecret.Middleware, with the demo keys: a signed demo run hands
// exactly the plaintexts of ../demo/expected.json to DOWNSTREAM_URL (a real HTTP server here),
// and neither the answer nor the log holds a value or anything computed from one.
//
//	cd examples/go && go test ./...

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	portsecret "github.com/port-secret/port-secret/go"
)

func read(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("../demo/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestDownstreamGetsTheValuesAndNothingElseDoes(t *testing.T) {
	secret := strings.TrimSpace(string(read(t, "client_secret.txt")))
	d, err := portsecret.NewDecryptor(portsecret.Options{
		ClientSecrets: []string{secret},
		PrivateKeys:   []string{string(read(t, "private_key.pem"))},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()

	var received []map[string]any
	status := http.StatusNoContent
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			t.Error(err)
		}
		received = append(received, body)
		w.WriteHeader(status)
	}))
	defer down.Close()
	t.Setenv("DOWNSTREAM_URL", down.URL)
	var logged bytes.Buffer
	log.SetOutput(&logged)
	defer log.SetOutput(os.Stderr)

	app := httptest.NewServer(portsecret.Middleware(d, portsecret.RunOptions{})(http.HandlerFunc(portAction)))
	defer app.Close()
	body := read(t, "body.json")
	send := func() (int, string) {
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte(ts + "."))
		mac.Write(body)
		req, _ := http.NewRequest(http.MethodPost, app.URL, bytes.NewReader(body))
		req.Header.Set("x-port-timestamp", ts)
		req.Header.Set("x-port-signature", "v1,"+base64.StdEncoding.EncodeToString(mac.Sum(nil)))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		answer, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(answer)
	}

	code, answer := send()
	if code != http.StatusOK {
		t.Fatalf("%d %s", code, answer)
	}
	var expected struct {
		Payload struct {
			Properties map[string]any `json:"properties"`
		} `json:"payload"`
	}
	if err := json.Unmarshal(read(t, "expected.json"), &expected); err != nil {
		t.Fatal(err)
	}
	values := expected.Payload.Properties
	delete(values, "reason")
	want := []map[string]any{{"runId": "r_DEMO0001", "secrets": values}}
	if !reflect.DeepEqual(received, want) {
		t.Fatalf("downstream got %v", received)
	}
	status = http.StatusServiceUnavailable
	if code, failed := send(); code != http.StatusBadGateway || strings.TrimSpace(failed) != `{"error":"downstream_failed"}` {
		t.Fatalf("a failing downstream: %d %s", code, failed)
	}

	// Neither a value (an object's JSON and string fields too) nor its SHA-256 anywhere.
	var texts []string
	for _, v := range values {
		if s, ok := v.(string); ok {
			texts = append(texts, s)
			continue
		}
		whole, _ := json.Marshal(v)
		texts = append(texts, string(whole))
		for _, field := range v.(map[string]any) {
			if s, ok := field.(string); ok && len(s) >= 8 {
				texts = append(texts, s)
			}
		}
	}
	seen := answer + logged.String()
	for _, text := range texts {
		sum := sha256.Sum256([]byte(text))
		for _, needle := range []string{text, hex.EncodeToString(sum[:]), hex.EncodeToString(sum[:])[:16], base64.StdEncoding.EncodeToString(sum[:])} {
			if strings.Contains(seen, needle) {
				t.Fatalf("a decrypted value or a hash of one was answered or logged")
			}
		}
	}
	if !strings.Contains(logged.String(), "run r_DEMO0001: rotated with [db_connection db_password tls_certificate vendor_api_key]") {
		t.Fatalf("log: %s", logged.String())
	}
}
