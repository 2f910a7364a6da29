package portsecret

import (
	"errors"
	"testing"
	"time"
)

// A fernet token for testSecret made at unix time 1000000000 (2001), plaintext "old".
const oldFernet = "gAAAAAA7msoAdlNT1uq5W1m_0Y_RbzQbg_qm0yaAtc05gWxx6B6GwKAGhNMMuP0nUntRUBRqNlEnSj63BHxJhshz1rSLuP_pNg=="

func TestOptionsReachTheDecryptor(t *testing.T) {
	value, err := EncryptAES256GCM([]byte("hunter2"), testSecret)
	if err != nil {
		t.Fatal(err)
	}
	open := mustDecryptor(t, Options{ClientSecrets: []string{testSecret}})
	if got, err := open.Decrypt(value, "aes256-gcm"); err != nil || string(got) != "hunter2" {
		t.Fatalf("default cap: %q, %v", got, err)
	}
	if got, err := open.Decrypt([]byte(oldFernet), "fernet"); err != nil || string(got) != "old" {
		t.Fatalf("no ttl: %q, %v", got, err)
	}

	capped := mustDecryptor(t, Options{ClientSecrets: []string{testSecret}, MaxInputLen: len(value) - 1})
	if _, err := capped.Decrypt(value, "aes256-gcm"); !errors.Is(err, ErrMalformed) {
		t.Fatalf("one byte over MaxInputLen: %v", err)
	}
	exact := mustDecryptor(t, Options{ClientSecrets: []string{testSecret}, MaxInputLen: len(value)})
	if _, err := exact.Decrypt(value, "aes256-gcm"); err != nil {
		t.Fatalf("exactly MaxInputLen: %v", err)
	}

	ttl := mustDecryptor(t, Options{ClientSecrets: []string{testSecret}, FernetTTL: time.Hour})
	if _, err := ttl.Decrypt([]byte(oldFernet), "fernet"); !errors.Is(err, ErrExpired) {
		t.Fatalf("a 2001 token past a 1 h ttl: %v", err)
	}
	fresh, err := EncryptFernet([]byte("new"), testSecret)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := ttl.Decrypt(fresh, "fernet"); err != nil || string(got) != "new" {
		t.Fatalf("a fresh token inside a 1 h ttl: %q, %v", got, err)
	}
}

func TestBadOptionsAreRefused(t *testing.T) {
	for name, opts := range map[string]Options{
		"negative MaxInputLen": {ClientSecrets: []string{testSecret}, MaxInputLen: -1},
		"negative FernetTTL":   {ClientSecrets: []string{testSecret}, FernetTTL: -time.Second},
	} {
		if d, err := NewDecryptor(opts); !errors.Is(err, ErrInvalidArgument) || d != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := NewDecryptor(Options{MaxInputLen: 10}); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("options without a key: %v", err)
	}
}
