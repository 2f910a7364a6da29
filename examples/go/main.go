// A Port action backend in Go (net/http): receives runs of the demo action "Rotate database
// credentials" (../demo/action.json) and rotates (for show) a database password with the
// decrypted secret inputs.
//
//	PORT_CLIENT_SECRET=...            the organisation's client secret (required)
//	PORT_PRIVATE_KEY_FILE=key.pem     RSA private key for client-side inputs (optional)
//	PORT_DELIVERY=agent               runs forwarded by port-agent (default: port, Port's webhook)
//	DOWNSTREAM_URL=https://...        your service that applies the new credentials (optional)
//	PORT=8000                         listens on 127.0.0.1:$PORT
//
// portsecret.Middleware opens each run in one call (signature, parse, decryption of every
// secret input). The values go only to DOWNSTREAM_URL: this program never logs or returns a
// secret value, nor anything derived from one (no hash, length or part), only input names and
// the types the action declares for them.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"sort"
	"time"

	portsecret "github.com/port-secret/port-secret/go"
)

// run is the part of a Port run this backend reads. Secret inputs stay json.RawMessage: they
// are handed to DOWNSTREAM_URL, never copied into a string, logged or answered.
type run struct {
	Context struct {
		RunID string `json:"runId"`
	} `json:"context"`
	Payload struct {
		Entity struct {
			Identifier string `json:"identifier"`
		} `json:"entity"`
		Action struct {
			UserInputs struct {
				Properties map[string]struct {
					Type       string          `json:"type"`
					Encryption json.RawMessage `json:"encryption"`
				} `json:"properties"`
			} `json:"userInputs"`
		} `json:"action"`
		Properties map[string]json.RawMessage `json:"properties"`
	} `json:"payload"`
}

func main() {
	secret := os.Getenv("PORT_CLIENT_SECRET")
	if secret == "" {
		log.Fatal("PORT_CLIENT_SECRET is required")
	}
	opts := portsecret.Options{ClientSecrets: []string{secret}}
	if file := os.Getenv("PORT_PRIVATE_KEY_FILE"); file != "" {
		pem, err := os.ReadFile(file)
		if err != nil {
			log.Fatalf("reading PORT_PRIVATE_KEY_FILE: %v", err)
		}
		opts.PrivateKeys = []string{string(pem)}
		clear(pem)
	}
	// Keys parsed once; the Decryptor is shared by every request's goroutine.
	decryptor, err := portsecret.NewDecryptor(opts)
	if err != nil {
		log.Fatalf("keys: %v", err) // the error holds only a code
	}
	defer decryptor.Close()

	var runOpts portsecret.RunOptions
	if os.Getenv("PORT_DELIVERY") == "agent" {
		runOpts.Delivery = portsecret.DeliveryAgent
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	})
	mux.Handle("POST /port/actions", portsecret.Middleware(decryptor, runOpts)(http.HandlerFunc(portAction)))

	addr := "127.0.0.1:" + envOr("PORT", "8000")
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	log.Printf("listening on http://%s (POST /port/actions)", addr)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

// portAction runs only for a verified run, whose secret inputs are decrypted.
func portAction(w http.ResponseWriter, r *http.Request) {
	raw, _ := portsecret.RunFromContext(r.Context()) // zeroed when this returns
	var v run
	defer func() { // the decoded secret values' bytes (json.RawMessage) are ours to clear
		for _, value := range v.Payload.Properties {
			clear(value)
		}
	}()
	if err := json.Unmarshal(raw, &v); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "not_a_run"})
		return
	}
	// The secret inputs that arrived decrypted, and the type the action declares for each.
	secrets := map[string]json.RawMessage{}
	types := map[string]string{}
	names := []string{}
	for name, def := range v.Payload.Action.UserInputs.Properties {
		value, ok := v.Payload.Properties[name]
		if len(def.Encryption) == 0 || !ok || string(value) == "null" {
			continue
		}
		secrets[name] = value
		types[name] = def.Type
		names = append(names, name)
	}
	sort.Strings(names)
	if err := rotate(v.Context.RunID, secrets); err != nil {
		log.Printf("run %s: downstream failed (%v)", v.Context.RunID, err)
		writeJSON(w, http.StatusBadGateway, map[string]string{"error": "downstream_failed"})
		return
	}
	// Names only: never a value.
	log.Printf("run %s: rotated with %v", v.Context.RunID, names)
	writeJSON(w, http.StatusOK, map[string]any{
		"ok":      true,
		"runId":   v.Context.RunID,
		"entity":  v.Payload.Entity.Identifier,
		"secrets": types,
	})
}

var downstream = &http.Client{Timeout: 10 * time.Second}

// rotate uses the values: it POSTs {"runId", "secrets": {name: value}} to your service at
// DOWNSTREAM_URL. Without it, it only holds them.
func rotate(runID string, secrets map[string]json.RawMessage) error {
	url := os.Getenv("DOWNSTREAM_URL")
	if url == "" {
		return nil
	}
	body, err := json.Marshal(map[string]any{"runId": runID, "secrets": secrets})
	if err != nil {
		return errors.New("encoding the request")
	}
	defer clear(body)
	res, err := downstream.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return errors.New("no answer")
	}
	defer res.Body.Close()
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("status %d", res.StatusCode)
	}
	return nil
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
