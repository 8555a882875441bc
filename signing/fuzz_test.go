package signing_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"regexp"
	"strconv"
	"testing"

	"github.com/khoso-vn/khoso/signing"
)

var byteRangeRE = regexp.MustCompile(`/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]`)

// signedDigests returns the SHA-256 of the bytes each ByteRange of pdf covers, for the
// ranges that fit the file.
func signedDigests(pdf []byte) [][32]byte {
	var out [][32]byte
	for _, m := range byteRangeRE.FindAllSubmatch(pdf, -1) {
		var br [4]int
		for i := range br {
			br[i], _ = strconv.Atoi(string(m[i+1]))
		}
		if br[0] != 0 || br[1] < 0 || br[2] < br[1] || br[3] < 0 || br[2]+br[3] > len(pdf) || br[2]+br[3] < br[2] {
			continue
		}
		h := sha256.New()
		h.Write(pdf[:br[1]])
		h.Write(pdf[br[2] : br[2]+br[3]])
		out = append(out, [32]byte(h.Sum(nil)))
	}
	return out
}

// fuzzSeeds makes small results (invisible signatures): one approval signature; a
// clerk's certification and the agency's locking signature; that archived; an Info
// change after the lock; a qpdf rewrite.
func fuzzSeeds(tb testing.TB, b *ltvBundle) [][]byte {
	tb.Helper()
	ctx := context.Background()
	one, err := b.agency.Sign(ctx, minimalPDF(tb))
	if err != nil {
		tb.Fatal(err)
	}
	certified, err := b.clerk.SignWith(ctx, permitPDF(tb), signing.SignOptions{Certify: true})
	if err != nil {
		tb.Fatal(err)
	}
	locked, err := b.agency.SignWith(ctx, certified, signing.SignOptions{Lock: true})
	if err != nil {
		tb.Fatal(err)
	}
	archived, err := b.agency.Archive(ctx, locked)
	if err != nil {
		tb.Fatal(err)
	}
	retitled := appendUpdate(tb, archived, map[int]string{6: "<< /Title (GP-2026-0999) >>"}, 0)
	return [][]byte{one, locked, archived, retitled, qpdfRewrite(tb, archived)}
}

// FuzzVerify checks that Verify neither panics nor reports valid a file whose signed
// bytes are not those of a seed: bytes outside every signed range may change (an
// unlocked document may legitimately take more), signed ones may not.
func FuzzVerify(f *testing.F) {
	b := setupLTV(f)
	signed := map[[32]byte]bool{}
	for _, seed := range fuzzSeeds(f, b) {
		f.Add(seed)
		for _, d := range signedDigests(seed) {
			signed[d] = true
		}
	}
	f.Fuzz(func(t *testing.T, pdf []byte) {
		r, err := signing.Verify(pdf, b.roots)
		if err != nil || !r.Valid {
			return
		}
		if r.Damaged {
			t.Fatalf("a damaged file is valid:\n%s", r.Text())
		}
		for _, d := range signedDigests(pdf) {
			if !signed[d] {
				t.Fatalf("valid, but a signature covers bytes no seed signed:\n%s", r.Text())
			}
		}
		if len(signedDigests(pdf)) < len(r.Signatures) || bytes.Count(pdf, []byte("/ByteRange")) != len(r.Signatures) {
			t.Fatalf("valid with %d signatures but %d byte ranges:\n%s", len(r.Signatures), len(signedDigests(pdf)), r.Text())
		}
	})
}
