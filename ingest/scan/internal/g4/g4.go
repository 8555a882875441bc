// Package g4 encodes bilevel images as CCITT Group 4 (ITU-T T.6) data, the
// compression of 1-bit scans in TIFF and PDF (/CCITTFaxDecode with /K -1).
//
// The output is MSB-first, starts with an imaginary white reference line,
// ends with an EOFB (two EOL codes) and is padded to a byte boundary. Black
// pixels are coded as black runs: a PDF reader shows them black with the
// default /BlackIs1 false.
package g4

import (
	"bytes"
	"fmt"
)

// Mode code indices in modeEncodeTable.
const (
	modePass = iota
	modeH
	modeV0
	modeVR1
	modeVR2
	modeVR3
	modeVL1
	modeVL2
	modeVL3
)

// eol is the 12-bit end-of-line code; two of them make the EOFB.
var eol = bitString{0x001, 12}

// Encode returns the Group 4 coding of a width×height bilevel image whose
// row y is pix[y*stride : y*stride+width], a byte per pixel, black when the
// byte is below 128.
func Encode(pix []byte, stride, width, height int) ([]byte, error) {
	if width <= 0 || height <= 0 || stride < width || len(pix) < (height-1)*stride+width {
		return nil, fmt.Errorf("g4: encode: bad geometry %dx%d stride %d for %d bytes", width, height, stride, len(pix))
	}
	e := &encoder{buf: bytes.NewBuffer(make([]byte, 0, width*height/40+64))}
	ref := []int{width, width}
	cur := make([]int, 0, 64)
	for y := range height {
		cur = changes(cur[:0], pix[y*stride:y*stride+width])
		e.row(cur, ref, width)
		ref, cur = cur, ref
	}
	e.put(eol)
	e.put(eol)
	return e.finish(), nil
}

// changes appends the changing elements of row (positions whose colour
// differs from the pixel before, the pixel before the first being white)
// to dst, followed by two sentinels equal to the width. Even indices are
// changes to black, odd ones changes to white.
func changes(dst []int, row []byte) []int {
	black := false
	for x, v := range row {
		if (v < 128) != black {
			dst = append(dst, x)
			black = !black
		}
	}
	return append(dst, len(row), len(row))
}

// row codes one line against its reference line.
func (e *encoder) row(cur, ref []int, width int) {
	a0, black := -1, false
	ia, ib := 0, 0
	for a0 < width {
		for cur[ia] <= a0 && cur[ia] < width {
			ia++
		}
		a1 := cur[ia]
		b1, jb := findB1(ref, ib, a0, black, width)
		ib = max(jb-1, 0)
		b2 := ref[min(jb+1, len(ref)-1)]
		switch d := a1 - b1; {
		case b2 < a1:
			e.put(modeEncodeTable[modePass])
			a0 = b2
		case d >= -3 && d <= 3:
			e.put(modeEncodeTable[vertical(d)])
			a0, black = a1, !black
		default:
			a2 := cur[min(ia+1, len(cur)-1)]
			e.put(modeEncodeTable[modeH])
			e.run(a1-max(a0, 0), black)
			e.run(a2-a1, !black)
			a0 = a2
		}
	}
}

// findB1 returns b1, the first changing element of ref right of a0 whose
// colour is opposite to the current colour, and its index, searching from
// index j.
func findB1(ref []int, j, a0 int, black bool, width int) (int, int) {
	for ; j < len(ref)-1; j++ {
		if ref[j] >= width {
			return width, len(ref) - 2
		}
		// ref[j] at even j is a change to black: opposite of white.
		if ref[j] > a0 && (j%2 == 0) != black {
			return ref[j], j
		}
	}
	return width, len(ref) - 2
}

func vertical(d int) int {
	return [...]int{modeVL3, modeVL2, modeVL1, modeV0, modeVR1, modeVR2, modeVR3}[d+3]
}

// run writes a run length in the colour's codes: makeup codes of 2560,
// then one makeup code for the multiple of 64, then a terminating code.
func (e *encoder) run(n int, black bool) {
	term, makeup := whiteEncodeTable2[:], whiteEncodeTable3[:]
	if black {
		term, makeup = blackEncodeTable2[:], blackEncodeTable3[:]
	}
	for n >= 2560+64 {
		e.put(makeup[len(makeup)-1])
		n -= 2560
	}
	if n >= 64 {
		e.put(makeup[n/64-1])
		n %= 64
	}
	e.put(term[n])
}

// encoder accumulates codes MSB first.
type encoder struct {
	buf   *bytes.Buffer
	bits  uint64
	nBits uint32
}

func (e *encoder) put(c bitString) {
	e.bits = e.bits<<c.nBits | uint64(c.bits)
	e.nBits += c.nBits
	for e.nBits >= 8 {
		e.nBits -= 8
		e.buf.WriteByte(byte(e.bits >> e.nBits))
	}
}

func (e *encoder) finish() []byte {
	if e.nBits > 0 {
		e.buf.WriteByte(byte(e.bits << (8 - e.nBits)))
		e.nBits = 0
	}
	return e.buf.Bytes()
}
