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

// fit shrinks v.Size so the widest line fits the box on a page pw wide: a
// corner box is half the page, and the clerk's and the agency's boxes must
// not overlap.
func (v *VisibleText) fit(pw float64) error {
	room := pw/2 - appearanceMargin - 2*appearancePadding
	if v.Position == Bottom {
		room = pw - 2*appearanceMargin - 2*appearancePadding
	}
	widest := 0.0
	for _, l := range v.Lines {
		w, err := stamp.Width(l, v.Size)
		if err != nil {
			return err
		}
		widest = max(widest, w)
	}
	if widest > room {
		v.Size *= room / widest
	}
	return nil
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
	if err := v.fit(pw); err != nil {
		return "", 0, fmt.Errorf("visible text: %w", err)
	}
	r := v.box(pw, ph)
	r[0], r[2] = r[0]+mb.Index(0).Float64(), r[2]+mb.Index(0).Float64()
	r[1], r[3] = r[1]+mb.Index(1).Float64(), r[3]+mb.Index(1).Float64()
	w, h := r[2]-r[0], r[3]-r[1]
	text := stamp.Text{Lines: v.Lines, Size: v.Size, X: appearancePadding, Y: h - appearancePadding - v.Size}
	if v.Position == TopRight {
		text.X, text.AlignRight = w-appearancePadding, true
	}
	form, err := textForm(u, text, w, h)
	if err != nil {
		return "", 0, fmt.Errorf("visible text: %w", err)
	}
	return fmt.Sprintf("[%s %s %s %s]", num(r[0]), num(r[1]), num(r[2]), num(r[3])), form, nil
}

// textForm adds to u a form XObject of size w × h with a thin frame and
// text drawn in the embedded font, and returns its number.
func textForm(u *update, text stamp.Text, w, h float64) (int, error) {
	font := u.next
	content, objs, err := stamp.Draw([]stamp.Text{text}, font)
	if err != nil {
		return 0, err
	}
	for _, o := range objs {
		u.add([]byte(o))
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "q 0.5 w 0 G 0.25 0.25 %s %s re S Q\n", num(w-0.5), num(h-0.5))
	b.Write(content)
	dict := fmt.Sprintf(" /Type /XObject /Subtype /Form /BBox [0 0 %s %s] /Resources << /Font << /KhosoF1 %d 0 R >> >>",
		num(w), num(h), font)
	return u.add(flateStream(dict, b.Bytes())), nil
}

func num(f float64) string { return fmt.Sprintf("%.2f", f) }
