package portsecret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// Per call, beside Go's own best alternative (key made or parsed once on both sides):
//
//	go test -run '^$' -bench . -benchtime 2s
//	PORT_SECRET_BENCH=1 go test -run TestBenchmarkRatios -v   # the Go table of BENCHMARKS.md (repository root)
//
// Go's alternative for aes256-gcm needs cipher.NewGCMWithNonceSize(block, 16): Port's 16-byte
// IV, which Go refuses in FIPS 140-3 mode (GODEBUG=fips140=only).

type benchFixture struct {
	secret   string
	gcmValue []byte // aes256-gcm, 100-byte plaintext
	gcm      cipher.AEAD
	csValue  []byte // client-side, RSA-2048, 100-byte plaintext
	pem      string
	priv     *rsa.PrivateKey
	d        *Decryptor
}

func newBenchFixture(tb testing.TB) *benchFixture {
	tb.Helper()
	f := &benchFixture{secret: testSecret}
	plain := []byte(strings.Repeat("p", 100))
	var err error
	if f.gcmValue, err = EncryptAES256GCM(plain, f.secret); err != nil {
		tb.Fatal(err)
	}
	block, err := aes.NewCipher([]byte(f.secret[:32]))
	if err != nil {
		tb.Fatal(err)
	}
	if f.gcm, err = cipher.NewGCMWithNonceSize(block, 16); err != nil {
		tb.Fatal(err)
	}
	pemB, err := os.ReadFile(vectorsDir + "/keys/rsa2048_pkcs8.pem")
	if err != nil {
		tb.Fatal(err)
	}
	pubB, _ := os.ReadFile(vectorsDir + "/keys/rsa2048_public.pem")
	f.pem = string(pemB)
	blk, _ := pem.Decode(pemB)
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		tb.Fatal(err)
	}
	f.priv = k.(*rsa.PrivateKey)
	if f.csValue, err = EncryptClientSide(plain, string(pubB)); err != nil {
		tb.Fatal(err)
	}
	f.d, err = NewDecryptor(Options{ClientSecrets: []string{f.secret}, PrivateKeys: []string{f.pem}})
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

// goGCM is what a Go program would write: strict base64, IV(16) ‖ ciphertext ‖ tag, Open.
func (f *benchFixture) goGCM(value []byte) ([]byte, error) {
	raw := make([]byte, base64.StdEncoding.DecodedLen(len(value)))
	n, err := base64.StdEncoding.Strict().Decode(raw, value)
	if err != nil {
		return nil, err
	}
	raw = raw[:n]
	if len(raw) < 32 {
		return nil, fmt.Errorf("short")
	}
	return f.gcm.Open(raw[16:16], raw[:16], raw[16:], nil)
}

// goClientSide: strict base64, IV(12) ‖ RSA-OAEP(SHA-256) key ‖ ciphertext ‖ tag.
func (f *benchFixture) goClientSide(value []byte) ([]byte, error) {
	raw := make([]byte, base64.StdEncoding.DecodedLen(len(value)))
	n, err := base64.StdEncoding.Strict().Decode(raw, value)
	if err != nil {
		return nil, err
	}
	raw = raw[:n]
	k := f.priv.Size()
	if len(raw) < 12+k+16 {
		return nil, fmt.Errorf("short")
	}
	key, err := rsa.DecryptOAEP(sha256.New(), nil, f.priv, raw[12:12+k], nil)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return gcm.Open(raw[12+k:12+k], raw[:12], raw[12+k:], nil)
}

type benchCase struct {
	group, name string
	fn          func(f *benchFixture) error
}

var benchCases = []benchCase{
	{"aes256-gcm 100 B", "portsecret Decryptor.Decrypt", func(f *benchFixture) error {
		_, err := f.d.Decrypt(f.gcmValue, "aes256-gcm")
		return err
	}},
	{"aes256-gcm 100 B", "portsecret DecryptAES256GCM (one-shot)", func(f *benchFixture) error {
		_, err := DecryptAES256GCM(f.gcmValue, f.secret)
		return err
	}},
	{"aes256-gcm 100 B", "crypto/cipher NewGCMWithNonceSize(16)", func(f *benchFixture) error {
		_, err := f.goGCM(f.gcmValue)
		return err
	}},
	{"client-side RSA-2048", "portsecret Decryptor.Decrypt", func(f *benchFixture) error {
		_, err := f.d.Decrypt(f.csValue, "client-side")
		return err
	}},
	{"client-side RSA-2048", "crypto/rsa DecryptOAEP + GCM", func(f *benchFixture) error {
		_, err := f.goClientSide(f.csValue)
		return err
	}},
}

func BenchmarkDecrypt(b *testing.B) {
	f := newBenchFixture(b)
	defer f.d.Close()
	for _, c := range benchCases {
		b.Run(strings.ReplaceAll(c.group+"/"+c.name, " ", "_"), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := c.fn(f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkOpenWebhook: the demo run (signature, parse, three aes256-gcm inputs and one
// RSA-2048 client-side input) in one call.
func BenchmarkOpenWebhook(b *testing.B) {
	dm := loadDemo(b)
	d, err := NewDecryptor(Options{ClientSecrets: []string{dm.secret}, PrivateKeys: []string{dm.key}})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	sig, ts := sign(b, dm.body, dm.secret, time.Now().Unix())
	h := http.Header{"X-Port-Signature": {sig}, "X-Port-Timestamp": {ts}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.OpenWebhook(dm.body, h, RunOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBenchmarkRatios prints the Go table of BENCHMARKS.md (repository root): the median ns/op of 5 rounds of
// each case, and each port-secret case's speed relative to Go's alternative in its group.
func TestBenchmarkRatios(t *testing.T) {
	if os.Getenv("PORT_SECRET_BENCH") == "" {
		t.Skip("set PORT_SECRET_BENCH=1 to run")
	}
	f := newBenchFixture(t)
	defer f.d.Close()
	const rounds = 5
	median := map[string]float64{}
	for _, c := range benchCases {
		var ns []float64
		for range rounds {
			r := testing.Benchmark(func(b *testing.B) {
				for b.Loop() {
					if err := c.fn(f); err != nil {
						b.Fatal(err)
					}
				}
			})
			ns = append(ns, float64(r.T.Nanoseconds())/float64(r.N))
		}
		slices.Sort(ns)
		median[c.group+"|"+c.name] = ns[rounds/2]
	}
	var sb strings.Builder
	sb.WriteString("| per call | implementation | time | calls/s | vs Go's alternative |\n|---|---|---|---|---|\n")
	for _, c := range benchCases {
		m := median[c.group+"|"+c.name]
		ratio := "(baseline)"
		if strings.HasPrefix(c.name, "portsecret") {
			for _, o := range benchCases {
				if o.group == c.group && !strings.HasPrefix(o.name, "portsecret") {
					ratio = fmt.Sprintf("%.2fx faster", median[o.group+"|"+o.name]/m)
					if median[o.group+"|"+o.name] < m {
						ratio = fmt.Sprintf("%.2fx (%.2fx slower)", median[o.group+"|"+o.name]/m, m/median[o.group+"|"+o.name])
					}
				}
			}
		}
		fmt.Fprintf(&sb, "| %s | %s | %s | %.0f | %s |\n", c.group, c.name, fmtNs(m), 1e9/m, ratio)
	}
	fmt.Print(sb.String())
}

func fmtNs(ns float64) string {
	if ns >= 1000 {
		return fmt.Sprintf("%.2f µs", ns/1000)
	}
	return fmt.Sprintf("%.0f ns", ns)
}
