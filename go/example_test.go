package portsecret_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"time"

	portsecret "github.com/port-secret/port-secret/go"
)

// The README's example, on the demo data of examples/demo (public, demo only).
func ExampleMiddleware() {
	secret, _ := os.ReadFile("../examples/demo/client_secret.txt")
	pem, _ := os.ReadFile("../examples/demo/private_key.pem")
	os.Setenv("PORT_CLIENT_SECRET", strings.TrimSpace(string(secret)))
	privateKeyPEM := string(pem)

	d, err := portsecret.NewDecryptor(portsecret.Options{
		ClientSecrets: []string{os.Getenv("PORT_CLIENT_SECRET")}, // current first (rotation)
		PrivateKeys:   []string{privateKeyPEM},                   // for client-side inputs
	})
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()
	mux := http.NewServeMux()
	mux.Handle("POST /port/actions", portsecret.Middleware(d)(http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) {
			run, _ := portsecret.RunFromContext(r.Context()) // the run, secrets decrypted (JSON)
			var v struct {
				Payload struct {
					Properties map[string]any `json:"properties"`
				} `json:"payload"`
			}
			_ = json.Unmarshal(run, &v)
			_, isText := v.Payload.Properties["db_password"].(string) // the plaintext
			fmt.Fprintf(w, "db_password decrypted: %v", isText)
		})))

	srv := httptest.NewServer(mux)
	defer srv.Close()
	body, _ := os.ReadFile("../examples/demo/body.json")
	for _, tamper := range []bool{false, true} {
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		sig, _ := portsecret.SignPayload(body, ts, os.Getenv("PORT_CLIENT_SECRET"))
		sent := body
		if tamper {
			sent = bytes.Replace(body, []byte("rotation"), []byte("Rotation"), 1)
		}
		req, _ := http.NewRequest("POST", srv.URL+"/port/actions", bytes.NewReader(sent))
		req.Header.Set("X-Port-Signature", sig)
		req.Header.Set("X-Port-Timestamp", ts)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			log.Fatal(err)
		}
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, strings.TrimSpace(string(answer)))
	}
	// Output:
	// 200 db_password decrypted: true
	// 401 {"error":"invalid_signature"}
}

func ExampleDecryptor_Decrypt() {
	const secret = "0123456789abcdefghijklmnopqrstuvwxyz" // demo only
	value, _ := portsecret.EncryptAES256GCM([]byte("hunter2"), secret)
	d, err := portsecret.NewDecryptor(portsecret.Options{ClientSecrets: []string{secret}})
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()
	plaintext, err := d.Decrypt(value, "aes256-gcm")
	fmt.Println(string(plaintext), err)
	clear(plaintext) // the caller's copy: wipe it when done

	_, err = d.Decrypt(value[:len(value)-4], "aes256-gcm")
	var pe *portsecret.Error
	fmt.Println(errors.As(err, &pe), pe.Code, errors.Is(err, portsecret.ErrAuthenticationFailed))
	// Output:
	// hunter2 <nil>
	// true authentication_failed true
}
