package copies

import (
	"github.com/khoso-vn/khoso/signing/stamp"
	"github.com/khoso-vn/khoso/signing/stamp/place"
)

// textBlock is lines of text at a size, to be placed.
type textBlock struct {
	lines []string
	size  float64
}

// extent returns the block's width and height at its size.
func (t textBlock) extent() (w, h float64, err error) {
	for _, l := range t.lines {
		lw, err := stamp.Width(l, t.size)
		if err != nil {
			return 0, 0, err
		}
		w = max(w, lw)
	}
	return w, float64(len(t.lines)) * t.size * stamp.LineSpacing, nil
}

// block returns the block to place for t; it never shrinks.
func (t textBlock) block(name string, c place.Corner) (place.Block, error) {
	w, h, err := t.extent()
	return place.Block{Name: name, W: w, H: h, Corner: c}, err
}

// at returns t drawn in the top of p's rectangle, at p's scale, aligned
// to its right or left edge.
func (t textBlock) at(p place.Placement, right bool) stamp.Text {
	size := t.size * p.Scale
	x := p.X
	if right {
		x += p.W
	}
	return stamp.Text{Lines: t.lines, Size: size, X: x, Y: p.Y + p.H - size, AlignRight: right}
}

// qrBlock is a QR symbol with the verification code under it.
type qrBlock struct {
	dark  [][]bool
	text  textBlock
	side  float64 // the symbol's side at full size, points
	block place.Block
}

// newQRBlock encodes payload and sizes the block at moduleMM a module,
// shrinking to no less than minModuleMM; the quiet zone is the blank
// paper the block keeps around it.
func newQRBlock(payload string, code textBlock) (qrBlock, error) {
	dark, err := qrSymbol(payload)
	if err != nil {
		return qrBlock{}, err
	}
	q := qrBlock{dark: dark, text: code, side: float64(len(dark)) * mmPt(moduleMM)}
	tw, th, err := code.extent()
	if err != nil {
		return qrBlock{}, err
	}
	q.block = place.Block{Name: "mã QR / QR code", W: max(q.side, tw), H: q.side + code.size/2 + th,
		MinScale: minModuleMM / moduleMM, Corner: place.TopLeft, ClearMM: quietZone * moduleMM}
	return q, nil
}

// modules returns the symbol drawn at the top-left of p's rectangle.
func (q qrBlock) modules(p place.Placement) stamp.Modules {
	side := q.side * p.Scale
	return stamp.Modules{Dark: q.dark, X: p.X, Y: p.Y + p.H - side, Module: side / float64(len(q.dark))}
}

// code returns the verification code's text under the symbol.
func (q qrBlock) code(p place.Placement) stamp.Text {
	size := q.text.size * p.Scale
	top := p.Y + p.H - q.side*p.Scale - size/2
	return stamp.Text{Lines: q.text.lines, Size: size, X: p.X, Y: top - size}
}

func mmPt(mm float64) float64 { return mm / 25.4 * 72 }
