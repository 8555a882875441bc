package signing

import (
	"bytes"
	"fmt"
	"io"

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
	appearancePadding = 4  // points from the box edge to the text, at 10 pt
)

// Rect is a rectangle on page 1 in points from its bottom-left corner (the
// corner of its MediaBox), as PDF coordinates are.
type Rect struct{ X, Y, W, H float64 }

// VisibleText is the text shown in a signature's box on page 1. The text is drawn in
// the signature's widget annotation (its appearance stream), not in the page content,
// so adding a signature never changes a page's content.
type VisibleText struct {
	// Lines are drawn top down. Every letter, Vietnamese included, must be in Liberation
	// Serif. Required.
	Lines []string
	// Position places the box. Default TopLeft. With Rect it only aligns the
	// text: to the right for TopRight, else to the left.
	Position Position
	// Rect, when set, is the box: the caller has found blank paper for it
	// (see package signing/stamp/place and BoxSize). The text is set at Size,
	// or smaller so that it fits the box.
	Rect *Rect
	// Size is the font size in points. Default 10.
	Size float64
	// FontAlso are the lines later signatures of the same document will
	// show. The font embedded with this signature holds their glyphs too,
	// and a later signature whose text it covers draws with it rather than
	// embedding another: one font object per file.
	FontAlso []string
}

// padding returns the space between the box's edge and the text at size.
func padding(size float64) float64 { return appearancePadding * size / 10 }

// BoxSize returns the width and height of the box the text needs at Size
// (default 10): the widest line and the lines' height, with padding that
// scales with the text, so the box at another size s is this one scaled by
// s/Size.
func (v VisibleText) BoxSize() (w, h float64, err error) {
	size := v.Size
	if size <= 0 {
		size = 10
	}
	widest, err := v.widest(size)
	if err != nil {
		return 0, 0, err
	}
	return widest + 2*padding(size), v.height(size), nil
}

// widest returns the width of the widest line at size.
func (v VisibleText) widest(size float64) (float64, error) {
	widest := 0.0
	for _, l := range v.Lines {
		w, err := stamp.Width(l, size)
		if err != nil {
			return 0, err
		}
		widest = max(widest, w)
	}
	return widest, nil
}

// height returns the box height the lines need at size.
func (v VisibleText) height(size float64) float64 {
	return float64(len(v.Lines))*size*stamp.LineSpacing + 2*padding(size)
}

// fitRect shrinks v.Size so that the text fits v.Rect.
func (v *VisibleText) fitRect() error {
	w, h, err := v.BoxSize()
	if err != nil {
		return err
	}
	if k := min(v.Rect.W/w, v.Rect.H/h); k < 1 {
		v.Size *= k
	}
	return nil
}

// fit shrinks v.Size so the widest line fits the box on a page pw wide: a
// corner box is half the page, and the clerk's and the agency's boxes must
// not overlap.
func (v *VisibleText) fit(pw float64) error {
	room := pw/2 - appearanceMargin - 2*padding(v.Size)
	if v.Position == Bottom {
		room = pw - 2*appearanceMargin - 2*padding(v.Size)
	}
	widest, err := v.widest(v.Size)
	if err != nil {
		return err
	}
	if widest > room {
		v.Size *= room / widest
	}
	return nil
}

// box returns the widget rectangle (x1, y1, x2, y2) on a page of size w × h:
// v.Rect, or the box of v.Position.
func (v VisibleText) box(w, h float64) [4]float64 {
	if r := v.Rect; r != nil {
		return [4]float64{r.X, r.Y, r.X + r.W, r.Y + r.H}
	}
	boxH := v.height(v.Size)
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
// widget's /Rect, the XObject's number and, when it embedded a font, the font to
// name in the AcroForm's /DR. signing/stamp draws the text on a page of the box's
// size; its content stream and font become the form.
func drawAppearance(u *update, page pdf.Page, v VisibleText) (string, int, *ref, error) {
	if len(v.Lines) == 0 {
		return "", 0, nil, fmt.Errorf("visible text: no lines")
	}
	if v.Size <= 0 {
		v.Size = 10
	}
	mb := page.V.Key("MediaBox")
	for p := page.V; mb.Len() != 4 && !p.IsNull(); p = p.Key("Parent") {
		mb = p.Key("MediaBox")
	}
	if mb.Len() != 4 {
		return "", 0, nil, fmt.Errorf("%w: page 1 has no MediaBox", ErrNotPDF)
	}
	pw, ph := mb.Index(2).Float64()-mb.Index(0).Float64(), mb.Index(3).Float64()-mb.Index(1).Float64()
	fit := v.fit
	if v.Rect != nil {
		fit = func(float64) error { return v.fitRect() }
	}
	if err := fit(pw); err != nil {
		return "", 0, nil, fmt.Errorf("visible text: %w", err)
	}
	r := v.box(pw, ph)
	r[0], r[2] = r[0]+mb.Index(0).Float64(), r[2]+mb.Index(0).Float64()
	r[1], r[3] = r[1]+mb.Index(1).Float64(), r[3]+mb.Index(1).Float64()
	w, h := r[2]-r[0], r[3]-r[1]
	pad := padding(v.Size)
	text := stamp.Text{Lines: v.Lines, Size: v.Size, X: pad, Y: h - pad - v.Size}
	if v.Position == TopRight {
		text.X, text.AlignRight = w-pad, true
	}
	form, font, err := textForm(u, text, w, h, v.FontAlso)
	if err != nil {
		return "", 0, nil, fmt.Errorf("visible text: %w", err)
	}
	return fmt.Sprintf("[%s %s %s %s]", num(r[0]), num(r[1]), num(r[2]), num(r[3])), form, font, nil
}

// formFont is the name of the signatures' font in the AcroForm's /DR.
const formFont = "KhosoF1"

// textForm adds to u a form XObject of size w × h with a thin frame and
// text, and returns its number. The text is drawn with the font an
// earlier signature left in the AcroForm's /DR when that font has every
// glyph it needs; else a font holding the text's glyphs and also's is
// embedded, and returned for /DR when /DR names none yet (a font there is
// never replaced: that would change an earlier signature's form).
func textForm(u *update, text stamp.Text, w, h float64, also []string) (int, *ref, error) {
	var font ref
	var added *ref
	content, ok, err := reuseFont(u, text)
	if err != nil {
		return 0, nil, err
	}
	if ok {
		font = ptrOf(u.r.Trailer().Key("Root").Key("AcroForm").Key("DR").Key("Font").Key(formFont))
	} else {
		font = ref{id: u.Next()}
		var objs []string
		if content, objs, err = stamp.Draw([]stamp.Text{text}, font.id, also...); err != nil {
			return 0, nil, err
		}
		for _, o := range objs {
			u.Add([]byte(o))
		}
		if u.r.Trailer().Key("Root").Key("AcroForm").Key("DR").Key("Font").Key(formFont).IsNull() {
			added = &font // the first: later signatures may use it
		}
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "q 0.5 w 0 G 0.25 0.25 %s %s re S Q\n", num(w-0.5), num(h-0.5))
	b.Write(content)
	dict := fmt.Sprintf(" /Type /XObject /Subtype /Form /BBox [0 0 %s %s] /Resources << /Font << /%s %s >> >>",
		num(w), num(h), formFont, font)
	return u.Add(flateStream(dict, b.Bytes())), added, nil
}

// reuseFont draws text with the font in the AcroForm's /DR, when there is
// one, it is an indirect object, and its ToUnicode map covers the text.
func reuseFont(u *update, text stamp.Text) ([]byte, bool, error) {
	f := u.r.Trailer().Key("Root").Key("AcroForm").Key("DR").Key("Font").Key(formFont)
	if f.Kind() != pdf.Dict || ptrOf(f).id == 0 || f.Key("Subtype").Name() != "Type0" {
		return nil, false, nil
	}
	tu := f.Key("ToUnicode")
	if tu.Kind() != pdf.Stream {
		return nil, false, nil
	}
	rc := tu.Reader()
	defer rc.Close()
	cmap, err := io.ReadAll(io.LimitReader(rc, 1<<20))
	if err != nil {
		return nil, false, nil // unreadable: embed a font of our own
	}
	return stamp.DrawIn([]stamp.Text{text}, cmap)
}

func num(f float64) string { return fmt.Sprintf("%.2f", f) }
