// A Port action backend in Go (net/http): receives runs of the demo action "Rotate database
// credentials" (../demo/action.json) and rotates (for show) a database password with the
// decrypted secret inputs.
//
//	PORT_CLIENT_SECRET=...            the organisation's client secret (required)
//	PORT_PRIVATE_KEY_FILE=key.pem     RSA private key for client-side inputs (optional)
//	PORT_DELIVERY=agent               runs forwarded by port-agent (default: port, Port's webhook)
//	PORT=8000                         listens on 127.0.0.1:$PORT
//
// portsecret.Middleware opens each run in one call (signature, parse, decryption of every
// secret input). This program never logs or returns a secret value, nor anything derived from
// one: only input names, their kinds, and what the non-secret inputs say.
package main

import (
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"os"
	"sort"
	"time"

	portsecret "github.com/port-secret/port-secret/go"
)

// run is the part of a Port run this backend reads. Secret inputs stay json.RawMessage: they
// are checked for presence and kind, never copied into a string, logged or answered.
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
	// What a real backend would do: connect with db_connection, set db_password, install
	// tls_certificate, register vendor_api_key. Here: check each secret input arrived
	// decrypted, and describe it by name and kind only.
	secrets := map[string]string{}
	names := []string{}
	for name, def := range v.Payload.Action.UserInputs.Properties {
		value, ok := v.Payload.Properties[name]
		if len(def.Encryption) == 0 || !ok || string(value) == "null" {
			continue
		}
		kind := "string"
		if len(value) > 0 && value[0] == '{' {
			kind = "object"
		}
		secrets[name] = kind
		names = append(names, name)
	}
	sort.Strings(names)
	// Names only: never a value.
	log.Printf("run %s: rotated %v", v.Context.RunID, names)
	writeJSON(w, http.StatusOK, map[string]any{
		"ok":      true,
		"runId":   v.Context.RunID,
		"entity":  v.Payload.Entity.Identifier,
		"secrets": secrets,
	})
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
