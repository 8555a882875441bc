package signing

import (
	"testing"

	"github.com/khoso-vn/khoso/signing/stamp"
)

// TestVisibleTextFitsItsBox: a line wider than half the page is set smaller
// so that the clerk's and the agency's boxes never clip or overlap.
func TestVisibleTextFitsItsBox(t *testing.T) {
	t.Parallel()
	const pw = 595.44
	line := "Thời điểm chuyển đổi / Converted at: 22/11/2026 12:14:45 +07:00 — Sở Tài nguyên và Môi trường"
	v := VisibleText{Lines: []string{line, "ngắn"}, Position: TopRight, Size: 10}
	if err := v.fit(pw); err != nil {
		t.Fatal(err)
	}
	w, err := stamp.Width(line, v.Size)
	if err != nil {
		t.Fatal(err)
	}
	box := v.box(pw, 842)
	if room := box[2] - box[0] - 2*appearancePadding; w > room+0.01 || v.Size >= 10 {
		t.Fatalf("line %.1f pt wide at %.2f pt in a box with %.1f pt of room", w, v.Size, room)
	}
	short := VisibleText{Lines: []string{"ngắn"}, Size: 10}
	if short.fit(pw); short.Size != 10 {
		t.Fatalf("a short line was shrunk to %.2f pt", short.Size)
	}
}
