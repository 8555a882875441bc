package ingest_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/ingest"
)

// TestResultCodeAtIntake: the manifest's Mã kết quả column is the record's
// result type code, the record's result code numbers it in its dossier,
// and the signed PDF's XMP names that code.
func TestResultCodeAtIntake(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := b.sendManifest(t, map[string][]byte{"p1.jpg": a4JPEG(t)},
		"Tệp,Tên giấy tờ,Số ký hiệu,Ngày cấp,Cơ quan cấp,Tên chủ hồ sơ,Mã hồ sơ,Mã kết quả\n"+
			"p1.jpg,Giấy phép khai thác nước,12/GP-UBND,01/02/2021,UBND tỉnh Đồng Nai,Hồ Văn Bảy,000.00.12.H01-240101-0001,KQ.G15.000031\n")
	if r.Status != archive.StatusAvailable || r.Meta.ResultTypeCode != "KQ.G15.000031" || r.ResultCode != "000.00.12.H01-240101-0001-KQ01" {
		t.Fatalf("record %s: result type %q, result code %q; want available, KQ.G15.000031, 000.00.12.H01-240101-0001-KQ01",
			r.Status, r.Meta.ResultTypeCode, r.ResultCode)
	}
	pdf, err := archive.ReadAll(context.Background(), b.blobs, r.Result)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(pdf, []byte("<khoso:ResultCode>000.00.12.H01-240101-0001-KQ01</khoso:ResultCode>")) {
		t.Fatal("the signed PDF's XMP does not name the result code")
	}
	// The next result of the dossier, in another batch, is KQ02.
	r2 := b.sendManifest(t, map[string][]byte{"p1.jpg": a4JPEG(t)},
		"file,doc_name,number,issued_on,issuer,holder_name,dossier_code\n"+
			"p1.jpg,Giấy phép khai thác nước,13/GP-UBND,01/02/2021,UBND tỉnh Đồng Nai,Hồ Văn Bảy,000.00.12.H01-240101-0001\n")
	if r2.ResultCode != "000.00.12.H01-240101-0001-KQ02" || r2.Meta.ResultTypeCode != "" {
		t.Fatalf("second record: result code %q, result type %q; want 000.00.12.H01-240101-0001-KQ02 and none", r2.ResultCode, r2.Meta.ResultTypeCode)
	}
}

// TestResultCodesFollowRows: in a batch mixing dossiers, each dossier's
// codes follow its rows, whatever order the records are created in.
func TestResultCodesFollowRows(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	up, err := b.intake.NewUpload()
	if err != nil {
		t.Fatal(err)
	}
	defer up.Close()
	ref, _, err := up.Add(ctx, bytes.NewReader(a4JPEG(t)), "")
	if err != nil {
		t.Fatal(err)
	}
	var m strings.Builder
	m.WriteString("file,doc_name,number,issued_on,issuer,holder_name,dossier_code\n")
	dossiers := []string{"D-B", "D-A", "", "D-B", "D-A", "D-B"}
	for i, d := range dossiers {
		fmt.Fprintf(&m, "p.jpg,Giấy phép,%d/GP,01/02/2021,UBND,Hồ Văn Bảy,%s\n", i, d)
	}
	rows, err := ingest.ParseManifest(strings.NewReader(m.String()))
	if err != nil {
		t.Fatal(err)
	}
	batch, err := b.intake.Accept(ctx, ingest.BatchInput{CreatedBy: "test", UploaderRole: archive.RoleClerk, Agency: "BTNMT",
		Rows: rows, Files: map[string]archive.Ref{"p.jpg": ref}, Upload: up})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := b.catalog.BatchRecords(ctx, batch.ID)
	if err != nil {
		t.Fatal(err)
	}
	year := time.Now().In(archive.Vietnam).Year()
	want := map[int]string{2: "D-B-KQ01", 3: "D-A-KQ01", 4: fmt.Sprintf("BTNMT-%d-000001", year), 5: "D-B-KQ02", 6: "D-A-KQ02", 7: "D-B-KQ03"}
	for _, r := range recs {
		if r.ResultCode != want[r.Row] {
			t.Errorf("row %d: result code %q, want %q", r.Row, r.ResultCode, want[r.Row])
		}
	}
	if len(recs) != len(want) {
		t.Errorf("%d records, want %d", len(recs), len(want))
	}
	b.waitIdle(t)
}
