package stamp

import (
	"fmt"
	"strings"
)

// Modules is a matrix of square modules, such as a QR code's symbol,
// drawn in the page content as filled rectangles (vector, sharp at any
// print or scan resolution): the dark modules black on a white square the
// size of the matrix. A QR code's quiet zone is not painted: the caller
// puts the symbol where the paper around it is blank.
type Modules struct {
	// Dark holds the rows, top down; true is a dark module. Square.
	Dark [][]bool
	// X and Y are the bottom-left corner of the matrix, in points.
	X, Y float64
	// Module is the side of one module, in points.
	Module float64
}

// content draws m: one white square, then each row's runs of dark modules
// as rectangles of one path, filled at once so no seam shows between them.
func (m Modules) content(b *strings.Builder) {
	n := float64(len(m.Dark))
	top := m.Y + n*m.Module
	fmt.Fprintf(b, "q 1 g %s %s %s %s re f 0 g\n", num(m.X), num(m.Y), num(n*m.Module), num(n*m.Module))
	for r, row := range m.Dark {
		y := top - float64(r+1)*m.Module
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			end := c
			for end < len(row) && row[end] {
				end++
			}
			fmt.Fprintf(b, "%s %s %s %s re\n", num(m.X+float64(c)*m.Module), num(y), num(float64(end-c)*m.Module), num(m.Module))
			c = end
		}
	}
	b.WriteString("f Q\n")
}
