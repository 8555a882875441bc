package signing

import (
	"fmt"
	"math"
	"strings"

	"github.com/digitorus/pdf"
)

// mmPerPoint converts PDF user space units (1/72 inch) to millimetres.
const mmPerPoint = 25.4 / 72

// WidgetPlace is where a signature's visible block is: its page and its rectangle in
// millimetres, measured from the top-left corner of the page's MediaBox, rounded to
// 0.1 mm.
type WidgetPlace struct {
	Page   int     `json:"page"` // 1 for the first page
	Left   float64 `json:"left_mm"`
	Top    float64 `json:"top_mm"`
	Width  float64 `json:"width_mm"`
	Height float64 `json:"height_mm"`
}

// String renders the place for people, Vietnamese then English.
func (w WidgetPlace) String() string {
	return fmt.Sprintf("trang / page %d, cách lề trái / from the left %.1f mm, cách mép trên / from the top %.1f mm, rộng × cao / width × height %.1f × %.1f mm",
		w.Page, w.Left, w.Top, w.Width, w.Height)
}

// widgetRef is what a signature field says about its widget: the widget object, its
// /Rect and the page its /P names.
type widgetRef struct {
	obj, page ref
	rect      [4]float64
}

// readWidget returns the widget of the signature field f: f itself when it has a /Rect
// (a merged field and widget), else its first kid.
func readWidget(f pdf.Value) widgetRef {
	w := f
	if w.Key("Rect").Len() != 4 && f.Key("Kids").Len() > 0 {
		w = f.Key("Kids").Index(0)
	}
	out := widgetRef{obj: ptrOf(w), page: ptrOf(w.Key("P"))}
	for i := range out.rect {
		out.rect[i] = w.Key("Rect").Index(i).Float64()
	}
	return out
}

// pageIndex finds the page of each widget: the page whose /Annots lists it, else the
// page its /P names.
type pageIndex struct {
	byAnnot, byPage map[ref]int
	boxes           map[int][4]float64 // MediaBox per page number
}

// indexPages reads the pages of r, at most maxWalk annotations in all.
func indexPages(r *pdf.Reader) *pageIndex {
	ix := &pageIndex{byAnnot: map[ref]int{}, byPage: map[ref]int{}, boxes: map[int][4]float64{}}
	steps := 0
	for n := 1; n <= r.NumPage(); n++ {
		p := r.Page(n)
		ix.byPage[ptrOf(p.V)] = n
		var box [4]float64
		mb := inherited(p.V, "MediaBox")
		for i := range box {
			box[i] = mb.Index(i).Float64()
		}
		ix.boxes[n] = box
		annots := p.V.Key("Annots")
		for i := 0; i < annots.Len() && steps < maxWalk; i++ {
			steps++
			if a := ptrOf(annots.Index(i)); a != ptrOf(annots) {
				ix.byAnnot[a] = n
			}
		}
	}
	return ix
}

// inherited returns the page attribute key of page, looked up the page tree (ISO
// 32000-2 7.7.3.4), at most maxFieldDepth levels up.
func inherited(page pdf.Value, key string) pdf.Value {
	for v, depth := page, 0; !v.IsNull() && depth < maxFieldDepth; v, depth = v.Key("Parent"), depth+1 {
		if r := v.Key(key); !r.IsNull() {
			return r
		}
	}
	return pdf.Value{}
}

// place returns where the widget w is shown, or nil when it shows nothing (an
// invisible signature: a rectangle of no area, or a page that cannot be found).
func (ix *pageIndex) place(w widgetRef) *WidgetPlace {
	n, ok := ix.byAnnot[w.obj]
	if !ok {
		n, ok = ix.byPage[w.page]
	}
	x0, x1 := math.Min(w.rect[0], w.rect[2]), math.Max(w.rect[0], w.rect[2])
	y0, y1 := math.Min(w.rect[1], w.rect[3]), math.Max(w.rect[1], w.rect[3])
	if !ok || x1-x0 <= 0 || y1-y0 <= 0 {
		return nil
	}
	box := ix.boxes[n]
	top := math.Max(box[1], box[3])
	left := math.Min(box[0], box[2])
	mm := func(pt float64) float64 { return math.Round(pt*mmPerPoint*10) / 10 }
	return &WidgetPlace{Page: n, Left: mm(x0 - left), Top: mm(top - y1), Width: mm(x1 - x0), Height: mm(y1 - y0)}
}

// writePlace writes where a signature's visible block is, or that it has none.
func writePlace(b *strings.Builder, s SignatureInfo) {
	if s.Widget == nil {
		if !s.DocumentTimestamp {
			b.WriteString("  Chữ ký không hiển thị / Invisible signature: no block on any page\n")
		}
		return
	}
	fmt.Fprintf(b, "  Vị trí khối hiển thị / Visible block: %s\n", s.Widget)
}
