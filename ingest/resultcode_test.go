package ingest_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/khoso-vn/khoso/archive"
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
