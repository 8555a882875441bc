package signing

import (
	"bytes"
	"fmt"

	"github.com/digitorus/pdf"

	"github.com/khoso-vn/khoso/signing/stamp"
)

// Position says where on page 1 a visible signature goes.
type Position int

// Positions of a visible signature. The box is 36 pt from the page edges.
const (
	TopLeft  Position = iota // left half of the top of the page
	TopRight                 // right half of the top of the page, text aligned right
	Bottom                   // the whole width of the bottom of the page
)

const (
	appearanceMargin  = 36 // points from the page edge
	appearancePadding = 4  // points from the box edge to the text
)

// VisibleText is the text shown in a signature's box on page 1. The text is drawn in
// the signature's widget annotation (its appearance stream), not in the page content,
// so adding a signature never changes a page's content.
type VisibleText struct {
	// Lines are drawn top down. Every letter, Vietnamese included, must be in Liberation
	// Serif. Required.
	Lines []string
	// Position places the box. Default TopLeft.
	Position Position
	// Size is the font size in points. Default 10.
	Size float64
}

// box returns the widget rectangle (x1, y1, x2, y2) on a page of size w × h.
func (v VisibleText) box(w, h float64) [4]float64 {
	boxH := float64(len(v.Lines))*v.Size*1.25 + 2*appearancePadding
	switch v.Position {
	case TopRight:
		return [4]float64{w / 2, h - appearanceMargin - boxH, w - appearanceMargin, h - appearanceMargin}
	case Bottom:
		return [4]float64{appearanceMargin, appearanceMargin, w - appearanceMargin, appearanceMargin + boxH}
	default:
		return [4]float64{appearanceMargin, h - appearanceMargin - boxH, w / 2, h - appearanceMargin}
	}
}

// drawAppearance adds to u a form XObject showing v, sized for page, and returns the
// widget's /Rect and the XObject's number. signing/stamp draws the text on a page of
// the box's size; its content stream and font become the form.
func drawAppearance(u *update, page pdf.Page, v VisibleText) (string, int, error) {
	if len(v.Lines) == 0 {
		return "", 0, fmt.Errorf("visible text: no lines")
	}
	if v.Size <= 0 {
		v.Size = 10
	}
	mb := page.V.Key("MediaBox")
	for p := page.V; mb.Len() != 4 && !p.IsNull(); p = p.Key("Parent") {
		mb = p.Key("MediaBox")
	}
	if mb.Len() != 4 {
		return "", 0, fmt.Errorf("%w: page 1 has no MediaBox", ErrNotPDF)
	}
	pw, ph := mb.Index(2).Float64()-mb.Index(0).Float64(), mb.Index(3).Float64()-mb.Index(1).Float64()
	r := v.box(pw, ph)
	r[0], r[2] = r[0]+mb.Index(0).Float64(), r[2]+mb.Index(0).Float64()
	r[1], r[3] = r[1]+mb.Index(1).Float64(), r[3]+mb.Index(1).Float64()
	w, h := r[2]-r[0], r[3]-r[1]
	text := stamp.Text{Lines: v.Lines, Size: v.Size, X: appearancePadding, Y: h - appearancePadding - v.Size}
	if v.Position == TopRight {
		text.X, text.AlignRight = w-appearancePadding, true
	}
	drawn, err := stamp.Apply(blankPage(w, h), stamp.Stamp{Texts: []stamp.Text{text}})
	if err != nil {
		return "", 0, fmt.Errorf("visible text: %w", err)
	}
	form, err := formFromPage(u, drawn, w, h)
	if err != nil {
		return "", 0, fmt.Errorf("visible text: %w", err)
	}
	return fmt.Sprintf("[%s %s %s %s]", num(r[0]), num(r[1]), num(r[2]), num(r[3])), form, nil
}

// formFromPage copies page 1 of doc (content and fonts) into u as a form XObject of
// size w × h with a thin frame.
func formFromPage(u *update, doc []byte, w, h float64) (int, error) {
	r, err := openReader(doc)
	if err != nil {
		return 0, err
	}
	page := r.Page(1).V
	var content bytes.Buffer
	fmt.Fprintf(&content, "q 0.5 w 0 G 0.25 0.25 %s %s re S Q\n", num(w-0.5), num(h-0.5))
	contents := page.Key("Contents")
	for i := range contents.Len() {
		data, err := readStream(contents.Index(i))
		if err != nil {
			return 0, err
		}
		content.Write(data)
		content.WriteByte('\n')
	}
	c := &copier{u: u, done: map[ref]int{}}
	fonts, err := c.copyValue(page.Key("Resources").Key("Font"), ptrOf(page))
	if err != nil {
		return 0, err
	}
	dict := fmt.Sprintf(" /Type /XObject /Subtype /Form /BBox [0 0 %s %s] /Resources << /Font %s >>", num(w), num(h), fonts)
	return u.add(flateStream(dict, content.Bytes())), nil
}

// blankPage returns a one-page PDF of size w × h with an empty content stream.
func blankPage(w, h float64) []byte {
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] /Contents 4 0 R /Resources << >> >>", num(w), num(h)),
		"<< /Length 0 >>\nstream\n\nendstream",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}

func num(f float64) string { return fmt.Sprintf("%.2f", f) }
