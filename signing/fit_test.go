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
	if room := box[2] - box[0] - 2*padding(v.Size); w > room+0.01 || v.Size >= 10 {
		t.Fatalf("line %.1f pt wide at %.2f pt in a box with %.1f pt of room", w, v.Size, room)
	}
	short := VisibleText{Lines: []string{"ngắn"}, Size: 10}
	if short.fit(pw); short.Size != 10 {
		t.Fatalf("a short line was shrunk to %.2f pt", short.Size)
	}
}

// TestVisibleTextInRect: with an explicit rectangle the box is exactly it,
// and the text shrinks until it fits it, in width and in height.
func TestVisibleTextInRect(t *testing.T) {
	t.Parallel()
	v := VisibleText{Lines: []string{"Người quét / Scanned by: Lê Thị Hoa", "Thời điểm quét / Scanned at: 04/03/2026 09:15:00 +07:00"}}
	w, h, err := v.BoxSize()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []float64{1, 0.7} {
		r := Rect{X: 11, Y: 800, W: w * k, H: h * k}
		v := v
		v.Size, v.Rect = 10, &r
		if err := v.fitRect(); err != nil {
			t.Fatal(err)
		}
		if got := v.box(595, 842); got != [4]float64{r.X, r.Y, r.X + r.W, r.Y + r.H} {
			t.Errorf("box %v, want the rectangle %+v", got, r)
		}
		widest, _ := v.widest(v.Size)
		if v.Size > 10*k+1e-9 || widest+2*padding(v.Size) > r.W+1e-6 || v.height(v.Size) > r.H+1e-6 || v.Size < 10*k-0.01 {
			t.Errorf("in a box scaled %g: %.2f pt, %.1f×%.1f pt of text in %.1f×%.1f", k, v.Size, widest, v.height(v.Size), r.W, r.H)
		}
	}
}
