package main

import (
	"context"
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/khoso-vn/khoso/ingest"
	"github.com/khoso-vn/khoso/signing"
)

// devClerks issues each clerk a development personal certificate from the
// development CA, once per process.
func devClerks(dev *signing.DevIdentity, tsaURL string, roots *x509.CertPool) ingest.ClerkSignerFunc {
	var mu sync.Mutex
	signers := map[string]*signing.Signer{}
	return func(ctx context.Context, name string) (ingest.Signer, error) {
		mu.Lock()
		defer mu.Unlock()
		if sg, ok := signers[name]; ok {
			return sg, nil
		}
		id, err := signing.IssueDevelopmentPerson(dev, name, time.Now())
		if err != nil {
			return nil, err
		}
		sg, err := signing.NewSigner(signing.Config{Identity: id, TSAURL: tsaURL, Roots: roots, Location: "Việt Nam",
			Reason: "Ký số bản quét / Signing the scanned copy"})
		if err != nil {
			return nil, err
		}
		signers[name] = sg
		return sg, nil
	}
}

// fileClerks loads each clerk's personal key from KHOSO_CLERK_KEYS: a
// folder of PKCS#12 files named by the clerk's name, folded to ASCII
// ("Lê Thị Hoa" → le-thi-hoa.p12), sharing one password. A clerk's signer
// is kept while the file is unchanged (same size and modification time):
// a signer measures its signatures' size once, with a time-stamp.
func fileClerks(dir, password, tsaURL string, roots *x509.CertPool) ingest.ClerkSignerFunc {
	type kept struct {
		stamp  string
		signer *signing.Signer
	}
	var mu sync.Mutex
	signers := map[string]kept{}
	return func(ctx context.Context, name string) (ingest.Signer, error) {
		if dir == "" {
			return nil, fmt.Errorf("chưa đặt KHOSO_CLERK_KEYS: mỗi văn thư ký bằng khoá riêng / KHOSO_CLERK_KEYS is not set: each clerk signs with a personal key")
		}
		path := filepath.Join(dir, slug(name)+".p12")
		fi, err := os.Stat(path)
		if err != nil {
			return nil, fmt.Errorf("clerk %q: %w", name, err)
		}
		stamp := fmt.Sprint(fi.Size(), fi.ModTime().UnixNano())
		mu.Lock()
		defer mu.Unlock()
		if k, ok := signers[path]; ok && k.stamp == stamp {
			return k.signer, nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("clerk %q: %w", name, err)
		}
		id, err := signing.LoadPKCS12(data, password)
		if err != nil {
			return nil, fmt.Errorf("clerk %q: %s: %w", name, path, err)
		}
		sg, err := signing.NewSigner(signing.Config{Identity: id, TSAURL: tsaURL, Roots: roots, Location: "Việt Nam",
			Reason: "Ký số bản quét / Signing the scanned copy"})
		if err != nil {
			return nil, err
		}
		signers[path] = kept{stamp, sg}
		return sg, nil
	}
}

// slug folds a Vietnamese name to lower-case ASCII words joined by '-'.
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(strings.ToLower(name)) {
		switch {
		case r == 'đ':
			b.WriteByte('d')
			dash = false
		case unicode.Is(unicode.Mn, r):
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
	}
	return b.String()
}
