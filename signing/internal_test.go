package signing

import (
	"crypto/x509"
	"testing"
	"time"
)

func TestParsePDFDate(t *testing.T) {
	t.Parallel()
	utc := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	for in, want := range map[string]time.Time{
		"D:20260304050607Z":       utc("2026-03-04T05:06:07Z"),
		"D:20260304120607+07'00'": utc("2026-03-04T05:06:07Z"),
		"D:20260304000607-05'30":  utc("2026-03-04T05:36:07Z"),
		"D:2026":                  utc("2026-01-01T00:00:00Z"),
		"20260304050607":          utc("2026-03-04T05:06:07Z"),
		"D:2026030405060":         {},
		"yesterday":               {},
		"":                        {},
	} {
		if got := parsePDFDate(in); !got.Equal(want) {
			t.Errorf("parsePDFDate(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestPDFText(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Ha Noi (VN) \\": `(Ha Noi \(VN\) \\)`,
		"Nghĩa":          "<FEFF004E0067006801290061>",
		"a\nb":           "<FEFF0061000A0062>",
	} {
		if got := pdfText(in); got != want {
			t.Errorf("pdfText(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestFindSlotsMalformed(t *testing.T) {
	t.Parallel()
	data := []byte("%PDF-1.7\n<< /ByteRange [0 10 20 x] >> << /ByteRange [0 5 9 100] /Contents <00> >>")
	slots := findSlots(data)
	if len(slots) != 2 || slots[0].bad != "malformed ByteRange" || slots[1].bad == "" {
		t.Fatalf("slots %+v", slots)
	}
}

// TestDocumentKeepsReport: a Document's report serves the next step when
// that step trusts the same anchors, even from a pool of its own, and not
// when it trusts others.
func TestDocumentKeepsReport(t *testing.T) {
	t.Parallel()
	dev, err := EnsureDevelopmentIdentity(t.TempDir(), "Sở Xây dựng", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	pool := func(certs ...*x509.Certificate) *x509.CertPool {
		p := x509.NewCertPool()
		for _, c := range certs {
			p.AddCert(c)
		}
		return p
	}
	d := Open([]byte("%PDF-1.7\n"))
	first := &Report{}
	d.set(d.pdf, first, pool(dev.CA))
	if r, err := d.verified(pool(dev.CA)); err != nil || r != first {
		t.Errorf("same anchors in another pool: report %p, %v; want the kept %p", r, err, first)
	}
	if r, _ := d.verified(pool(dev.Agency.Certificate)); r == first {
		t.Error("other anchors reused the report verified against the CA")
	}
}
