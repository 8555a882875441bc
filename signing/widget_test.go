package signing_test

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"

	"github.com/digitorus/pdf"

	"github.com/khoso-vn/khoso/signing"
)

// TestReportSaysWhereEachBlockIs checks that the report gives each visible signature's
// page and rectangle in millimetres from the page's top-left corner, as its widget's
// /Rect says, and no place for an invisible one.
func TestReportSaysWhereEachBlockIs(t *testing.T) {
	t.Parallel()
	b := setupLTV(t)
	signed := b.signBoth(t, pdfcpuPDF(t))
	out, err := b.agency.Archive(context.Background(), signed)
	if err != nil {
		t.Fatal(err)
	}
	r := verifyOK(t, out, b.roots)
	rects := widgetRects(t, out)
	mb := pageBox(t, out)
	for i, s := range r.Signatures[:2] {
		rect := rects[i]
		want := signing.WidgetPlace{Page: 1, Left: mm(rect[0] - mb[0]), Top: mm(mb[3] - rect[3]), Width: mm(rect[2] - rect[0]), Height: mm(rect[3] - rect[1])}
		if s.Widget == nil || *s.Widget != want {
			t.Errorf("signature %d widget %+v, want %+v (from /Rect %v)", i+1, s.Widget, want, rect)
		}
	}
	if c, a := r.Signatures[0].Widget, r.Signatures[1].Widget; c != nil && a != nil && !(c.Left < a.Left && c.Top < 30 && a.Top < 30) {
		t.Errorf("clerk block %+v should be top left and agency block %+v top right", c, a)
	}
	if w := r.Signatures[2].Widget; w != nil {
		t.Errorf("document time-stamp has a visible place %+v", w)
	}
	txt := r.Text()
	if !strings.Contains(txt, "Vị trí khối hiển thị / Visible block: trang / page 1, cách lề trái / from the left ") {
		t.Errorf("report text names no place:\n%s", txt)
	}

	invisible, err := b.agency.Sign(context.Background(), pdfcpuPDF(t))
	if err != nil {
		t.Fatal(err)
	}
	ri := verifyOK(t, invisible, b.roots)
	if ri.Signatures[0].Widget != nil || !strings.Contains(ri.Text(), "Invisible signature") {
		t.Errorf("invisible signature placed at %+v:\n%s", ri.Signatures[0].Widget, ri.Text())
	}
}

func mm(pt float64) float64 { return math.Round(pt*25.4/72*10) / 10 }

// widgetRects returns the /Rect of each signature field, in field order.
func widgetRects(tb testing.TB, b []byte) [][4]float64 {
	tb.Helper()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		tb.Fatal(err)
	}
	fields := r.Trailer().Key("Root").Key("AcroForm").Key("Fields")
	var out [][4]float64
	for i := range fields.Len() {
		var rect [4]float64
		for j := range rect {
			rect[j] = fields.Index(i).Key("Rect").Index(j).Float64()
		}
		out = append(out, rect)
	}
	return out
}

// pageBox returns page 1's MediaBox.
func pageBox(tb testing.TB, b []byte) [4]float64 {
	tb.Helper()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		tb.Fatal(err)
	}
	var box [4]float64
	for v := r.Page(1).V; !v.IsNull(); v = v.Key("Parent") {
		if mb := v.Key("MediaBox"); mb.Len() == 4 {
			for j := range box {
				box[j] = mb.Index(j).Float64()
			}
			return box
		}
	}
	tb.Fatal("no MediaBox")
	return box
}
