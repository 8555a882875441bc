package place

import (
	"fmt"
	"strings"
)

// Corner is the corner of page 1 a block belongs near.
type Corner int

// Corners a rule names.
const (
	TopLeft  Corner = iota // the clerk's signature, a copy's QR code
	TopRight               // the agency's signature, a copy's form text
)

// Distances Find keeps, in millimetres.
const (
	EdgeMM  = 4.0 // from the page's edges, where printers do not print
	ClearMM = 1.5 // of blank paper between a block and the nearest ink
	GapMM   = 2.0 // between two blocks
)

// Block is a rectangle to place; its contents scale with it.
type Block struct {
	// Name says what the block is, for the record: "mã QR / QR code", in
	// Vietnamese and English, or in one language.
	Name string
	// W and H are its size at full scale, in points.
	W, H float64
	// MinScale is the smallest scale at which it stays legible, in (0, 1];
	// 0 means 1 (the block never shrinks).
	MinScale float64
	// Corner is where it belongs.
	Corner Corner
	// ClearMM is the blank paper it keeps around it, in millimetres; 0
	// means the package's ClearMM. A QR code's quiet zone is such a margin:
	// blank paper, never painted.
	ClearMM float64
}

// Where says how near its corner a block could go.
type Where int

// Where a block went, best first.
const (
	InCorner  Where = iota // the named half of the top fifth of the page
	TopBand                // elsewhere in the top fifth of the page
	Elsewhere              // a blank place lower down: side or bottom margin, a gap
	OverInk                // no blank place was large enough: least ink near the corner
)

// Rect is a rectangle in points from the page's bottom-left corner, as PDF
// coordinates are.
type Rect struct{ X, Y, W, H float64 }

// Placement is where Find put one block.
type Placement struct {
	Name string
	Rect
	Scale float64 // of the block's full size
	Where Where
	pageH float64
}

// String describes p for the clerk's notes and the log, in millimetres from
// the page's top-left corner, in Vietnamese and English.
func (p Placement) String() string {
	vi, en := p.Where.labels()
	viName, enName, ok := strings.Cut(p.Name, " / ")
	if !ok {
		enName = viName
	}
	return fmt.Sprintf("%s %.0f×%.0f mm, cách mép trái %.0f mm, mép trên %.0f mm (%.0f%%), %s / %s %.0f×%.0f mm at %.0f mm from the left, %.0f mm from the top (%.0f%%), %s",
		viName, mm(p.W), mm(p.H), mm(p.X), p.topMM(), p.Scale*100, vi, enName, mm(p.W), mm(p.H), mm(p.X), p.topMM(), p.Scale*100, en)
}

// String returns w's English label.
func (w Where) String() string {
	_, en := w.labels()
	return en
}

// topMM is the block's distance from the page's top edge.
func (p Placement) topMM() float64 { return mm(p.pageH - p.Y - p.H) }

func (w Where) labels() (vi, en string) {
	switch w {
	case InCorner:
		return "ở góc", "in its corner"
	case TopBand:
		return "ở lề trên", "in the top band"
	case Elsewhere:
		return "ở chỗ trống gần nhất", "in the nearest blank place"
	}
	return "đè lên chữ vì trang không còn chỗ trống", "over ink: the page has no blank place large enough"
}

func mm(pt float64) float64 { return pt / 72 * 25.4 }
func pt(mm float64) float64 { return mm / 25.4 * 72 }
