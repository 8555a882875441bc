package copies

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

// TestQRPayloads: the payload is the verification URL with the record's
// codes; a 3,000-character name is shortened to fit a version 12 symbol,
// and every payload encodes.
func TestQRPayloads(t *testing.T) {
	t.Parallel()
	c := &Copier{cfg: Config{PublicURL: "https://khoso.example.vn/", SystemName: "khoso"}}
	cp := &archive.Copy{Code: "AB12-CD34-EF56", IssuedAt: time.Date(2026, 3, 4, 9, 15, 0, 0, archive.Vietnam)}
	for _, name := range []string{"Giấy phép môi trường", strings.Repeat("Giấy phép khai thác nước ", 120)} {
		rec := &archive.Record{ResultCode: "000.00.23.H19-260304-0001-KQ01", Meta: archive.Metadata{DocName: name, Number: "12/GP-UBND", HolderID: "001088012345",
			DossierCode: "000.00.23.H19-260304-0001", ProcedureCode: "1.004228"}}
		payloads := c.qrPayloads(rec, cp)
		if len(payloads[0]) > qrTargetBytes || payloads[len(payloads)-1] != "https://khoso.example.vn/verify/AB12-CD34-EF56" {
			t.Errorf("%d-rune name: payloads %q; want the first within %d bytes, the last the URL alone", len([]rune(name)), payloads, qrTargetBytes)
		}
		u, err := url.Parse(payloads[0])
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		if q.Get("dd") != "001088012345" || q.Get("kq") != "KQ01" || q.Get("tg") != "20260304T021500Z" || q.Get("hl") != "0" || !strings.HasPrefix(name, strings.TrimSuffix(q.Get("ten"), ellipsis)) {
			t.Errorf("payload %s: fields %v", payloads[0], q)
		}
		for _, p := range payloads {
			dark, err := qrSymbol(p)
			if err != nil || len(dark) > 65 {
				t.Errorf("payload of %d bytes: %d modules, %v; want at most 65", len(p), len(dark), err)
			}
		}
	}
}

// TestQRResultCode: kq is the result code, less the dossier code that hs
// already carries.
func TestQRResultCode(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ dossier, code, want string }{
		{"000.00.23.H19-260304-0001", "000.00.23.H19-260304-0001-KQ12", "KQ12"},
		{"", "BTNMT-2026-000123", "BTNMT-2026-000123"},
		// The dossier code corrected after the code was given.
		{"000.00.23.H19-260304-0002", "000.00.23.H19-260304-0001-KQ01", "000.00.23.H19-260304-0001-KQ01"},
	} {
		rec := &archive.Record{ResultCode: tt.code, Meta: archive.Metadata{DossierCode: tt.dossier}}
		if got := qrResultCode(rec); got != tt.want {
			t.Errorf("qrResultCode(%q, %q) = %q, want %q", tt.dossier, tt.code, got, tt.want)
		}
	}
}
