package signing_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/digitorus/pdf"

	"github.com/khoso-vn/khoso/signing"
)

// unlistedWidgets returns the signature widgets of pdfBytes that the /Annots of the page
// their /P names does not list.
func unlistedWidgets(tb testing.TB, pdfBytes []byte) (widgets int, unlisted []string) {
	tb.Helper()
	r, err := pdf.NewReader(bytes.NewReader(pdfBytes), int64(len(pdfBytes)))
	if err != nil {
		tb.Fatal(err)
	}
	fields := r.Trailer().Key("Root").Key("AcroForm").Key("Fields")
	for i := range fields.Len() {
		f := fields.Index(i)
		if f.Key("FT").Name() != "Sig" {
			continue
		}
		widgets++
		annots, listed := f.Key("P").Key("Annots"), false
		for j := range annots.Len() {
			listed = listed || annots.Index(j).GetPtr() == f.GetPtr()
		}
		if !listed {
			unlisted = append(unlisted, fmt.Sprintf("%s (%v)", f.Key("T").Text(), f.GetPtr()))
		}
	}
	return widgets, unlisted
}

// TestEveryWidgetIsInItsPageAnnots signs as a copy is signed (an invisible locking
// signature, then validation data and a document time-stamp, twice) and as a result is
// (visible clerk and agency boxes): every widget must be in its page's /Annots, and the
// document must stay valid for khoso, qpdf and pdfsig.
func TestEveryWidgetIsInItsPageAnnots(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupLTV(t)
	db := nssDB(t, b.dev.CAFile)
	copySigned, err := b.agency.SignWith(ctx, pdfcpuPDF(t), signing.SignOptions{Lock: true})
	if err != nil {
		t.Fatal(err)
	}
	result := b.signBoth(t, pdfcpuPDF(t))
	for name, signed := range map[string][]byte{"copy": copySigned, "result": result} {
		t.Run(name, func(t *testing.T) {
			out := signed
			for range 2 {
				if out, err = b.agency.Archive(ctx, out); err != nil {
					t.Fatal(err)
				}
			}
			requireQPDFCheck(t, out)
			requirePDFSigValid(t, db, out, bytes.Count(signed, []byte("/ETSI.CAdES.detached")))
			r := verifyOK(t, out, b.roots)
			for i, s := range r.Signatures {
				if !s.Valid || len(s.LaterChanges) > 0 && !allAllowed(s.LaterChanges) {
					t.Errorf("signature %d %+v", i+1, s)
				}
			}
			n, unlisted := unlistedWidgets(t, out)
			if n != len(r.Signatures) || len(unlisted) > 0 {
				t.Errorf("%d widgets for %d signatures; not in their page's /Annots: %v", n, len(r.Signatures), unlisted)
			}
		})
	}
}

func allAllowed(changes []signing.Change) bool {
	for _, c := range changes {
		if !c.Allowed {
			return false
		}
	}
	return true
}
