package portsecret

import (
	"crypto/aes"
	"crypto/cipher"
	"os"
	"os/exec"
	"testing"
)

// Under Go's FIPS 140-3 "only" mode, Go refuses AES-GCM with Port's 16-byte IV; this package
// (which does not use Go's crypto) still decrypts. The mode is read at start-up: the check
// runs in a child process of this test binary.
func TestFIPSOnlyMode(t *testing.T) {
	if os.Getenv("PORT_SECRET_FIPS_CHILD") == "1" {
		block, err := aes.NewCipher(make([]byte, 32))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cipher.NewGCMWithNonceSize(block, 16); err == nil {
			t.Fatal("Go accepted a 16-byte GCM IV in fips140=only mode")
		}
		v, err := EncryptAES256GCM([]byte("hunter2"), testSecret)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := DecryptAES256GCM(v, testSecret); err != nil || string(got) != "hunter2" {
			t.Fatalf("decrypt: %v", err)
		}
		return
	}
	if asanBuild {
		t.Skip("Go's FIPS 140-3 mode is incompatible with -asan")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestFIPSOnlyMode$", "-test.count=1")
	cmd.Env = append(os.Environ(), "PORT_SECRET_FIPS_CHILD=1", "GODEBUG=fips140=only")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
}
