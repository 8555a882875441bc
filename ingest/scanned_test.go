package ingest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/ingest/scan/scantest"
	"github.com/khoso-vn/khoso/signing"
)

// TestWhoScannedAndWhen: the manifest names the scanner and the JPEG's EXIF dates the
// scan: both are kept and shown in the clerk's signature, which that person's key
// makes. An administrator's upload naming nobody says so, and a page that gives no
// scan time falls back to the upload time, noted in the batch report; a clerk's upload
// names the clerk.
func TestWhoScannedAndWhen(t *testing.T) {
	t.Parallel()
	b := setup(t)
	plain := scantest.WithJFIF(scantest.JPEG(t, scantest.A4Page(), 85), scantest.UnitsDPI, 200, 200)
	dated := scantest.WithEXIFDate(plain, "2026:03:04 09:15:30", "+07:00")
	const head = "Tệp,Tên giấy tờ,Số ký hiệu,Ngày cấp,Cơ quan cấp,Tên chủ hồ sơ,Người quét\n"

	r := b.sendManifest(t, map[string][]byte{"a/1.jpg": dated}, head+"a,Giấy phép xả thải,7/GP-STNMT,03/04/2022,Sở TNMT,Lê Văn Tám,Lê Thị Hoa\n")
	at := time.Date(2026, 3, 4, 2, 15, 30, 0, time.UTC)
	if r.Status != archive.StatusAvailable || r.Meta.ScannedBy != "Lê Thị Hoa" || !r.Meta.ScannedAt.Equal(at) || r.Meta.ScannedAtFrom != archive.ScanTimeEXIF {
		t.Fatalf("record %s %q: scanned by %q at %v from %q; want Lê Thị Hoa at %v from EXIF", r.Status, r.Reason,
			r.Meta.ScannedBy, r.Meta.ScannedAt, r.Meta.ScannedAtFrom, at)
	}
	requireLines(t, b.clerks.of("Lê Thị Hoa"), "Người quét / Scanned by: Lê Thị Hoa", "Thời điểm quét / Scanned at: 04/03/2026 09:15:30 +07:00")
	if s := b.verify(t, r).Signatures[0]; !strings.HasPrefix(s.Signer, "Lê Thị Hoa") {
		t.Errorf("the scanned copy is signed by %q, want the person who scanned", s.Signer)
	}

	r = b.sendAs(t, "admin", archive.RoleAdmin, map[string][]byte{"b/1.jpg": plain}, head+"b,Giấy phép xả thải,8/GP-STNMT,03/04/2022,Sở TNMT,Lê Văn Tám,\n")
	if r.Status != archive.StatusAvailable || r.Meta.ScannedBy != "" || r.Meta.ScannedAtFrom != archive.ScanTimeUpload ||
		!r.Meta.ScannedAt.Equal(r.CreatedAt) || !strings.Contains(r.Pages[0].Notes, "the upload time is used") {
		t.Fatalf("admin upload: record %s, scanned by %q at %v from %q, notes %q; want nobody, the upload time, noted",
			r.Status, r.Meta.ScannedBy, r.Meta.ScannedAt, r.Meta.ScannedAtFrom, r.Pages[0].Notes)
	}
	requireLines(t, b.clerks.of("admin"), "Người quét / Scanned by: không ghi / not named",
		"Tải lên bởi quản trị viên / Uploaded by administrator: admin", "Thời điểm quét / Scanned at: không rõ / unknown",
		"Tải lên lúc / Uploaded at: "+archive.VNTime(r.CreatedAt))

	r = b.send(t, map[string][]byte{"c/1.jpg": dated}, "c")
	if r.Meta.ScannedBy != "test" || r.Meta.ScannedAtFrom != archive.ScanTimeEXIF {
		t.Errorf("clerk upload: scanned by %q from %q, want the clerk test, from EXIF", r.Meta.ScannedBy, r.Meta.ScannedAtFrom)
	}
}

// requireLines asserts the signature showed exactly want.
func requireLines(tb testing.TB, got []string, want ...string) {
	tb.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		tb.Errorf("clerk's signature shows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// verify verifies the record's result.
func (b *testBundle) verify(tb testing.TB, r *archive.Record) *signing.Report {
	tb.Helper()
	pdf, err := archive.ReadAll(context.Background(), b.blobs, r.Result)
	if err != nil {
		tb.Fatal(err)
	}
	rep, err := signing.Verify(pdf, b.roots)
	if err != nil || !rep.Valid {
		tb.Fatalf("result does not verify: %v\n%s", err, rep.Text())
	}
	return rep
}
