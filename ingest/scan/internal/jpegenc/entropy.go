package jpegenc

import (
	"encoding/binary"
	"math/bits"
)

// maxBlockBytes bounds what one block adds to the scan: a 27-bit DC code
// and 63 AC codes of at most 26 bits (209 bytes with the bits pending
// from the block before), doubled by 0xFF stuffing.
const maxBlockBytes = 512

// windowBytes is the room a block is written into: twice maxBlockBytes,
// so that an offset below maxBlockBytes (masked with maxBlockBytes-1) and
// the 16 bytes a flush may write are within it without bounds checks.
const windowBytes = 2 * maxBlockBytes

// scanBytes estimates the length of the entropy-coded data from the
// symbol counts and the code lengths: exact but for the stuffed bytes.
func (e *encoder) scanBytes() int {
	n := int64(0)
	for t := range e.ntabs {
		for s, f := range e.freq[t].dc {
			n += f * int64(e.dc[t].codes[s]&0xff+uint32(s))
		}
		for s, f := range e.freq[t].acTotal() {
			n += f * int64(e.ac[t].codes[s]&0xff+uint32(s&15))
		}
	}
	n /= 8
	return int(n + n/128 + windowBytes)
}

// appendScan appends the entropy-coded data of every block to b.
func (e *encoder) appendScan(b []byte) []byte {
	// The components of the blocks of an MCU, and their tables.
	var order [6]int
	nb := 0
	var dc, ac [3]*[256]uint32
	for ci := range e.ncomp {
		c := &e.comp[ci]
		for range c.h * c.v {
			order[nb] = ci
			nb++
		}
		dc[ci], ac[ci] = &e.dc[c.tq].codes, &e.ac[c.tq].codes
	}

	w := bitWriter{buf: b[:cap(b)], n: len(b), free: 64}
	var prev [3]int32
	p := 0 // the first value of the block in e.vals
	for blk := 0; blk < e.nblocks; {
		for _, ci := range order[:nb] {
			vals := (*[64]int16)(e.vals[p:])
			m := e.mask[blk]
			d := int32(vals[0])
			w.block(vals, m, d-prev[ci], dc[ci], ac[ci])
			prev[ci] = d
			p += bits.OnesCount64(m | 1)
			blk++
		}
	}
	w.finish()
	return w.buf[:w.n]
}

// bitWriter writes Huffman codes MSB first, stuffing a 0x00 after each
// 0xFF byte. Codes collect in a 64-bit word that is written out whole when
// full, as in libjpeg-turbo's jchuff.c.
type bitWriter struct {
	buf  []byte // the output; bytes go to buf[n:], len(buf) is the room
	n    int
	acc  uint64 // pending bits: the low 64-free bits of acc
	free int    // free bits in acc, 0..64
}

// hasFF reports whether a byte of v is 0xFF.
func hasFF(v uint64) bool {
	return (v&0x7f7f7f7f7f7f7f7f+0x0101010101010101)&v&0x8080808080808080 != 0
}

// stuffWord writes the 8 bytes of v to out[j:], MSB first, with a 0x00
// after each 0xFF, and returns the new offset. It is the rare case of
// writing a word, kept out of line.
//
//go:noinline
func stuffWord(out *[windowBytes]byte, j int, v uint64) int {
	for s := 56; s >= 0; s -= 8 {
		c := byte(v >> s)
		out[j&(windowBytes-1)] = c
		j++
		if c == 0xff {
			out[j&(windowBytes-1)] = 0
			j++
		}
	}
	return j
}

// block writes one block: the DC difference diff with the codes of dc and
// the non-zero AC coefficients, vals[1:] in zigzag order, whose positions
// mask marks, with those of ac.
//
// Each code is added to the pending bits the same way, written out at each
// use so that nothing is called per code: with l its length, acc takes it
// whole if it has room; otherwise the top bits of the code fill acc, acc
// is written out, and the code becomes acc, its bits already written to be
// shifted out by the codes that follow. The block's bytes go to a window
// of the output at offset j (below maxBlockBytes).
func (w *bitWriter) block(vals *[64]int16, mask uint64, diff int32, dc, ac *[256]uint32) {
	if w.n > len(w.buf)-windowBytes {
		w.grow()
	}
	out := (*[windowBytes]byte)(w.buf[w.n:])
	j, acc, free := 0, w.acc, w.free

	size, extra := magnitude(diff)
	c := dc[uint8(size)]
	code, l := uint64(c>>8)<<size|extra, int(c&0xff)+int(size)
	if free -= l; free < 0 {
		v := acc<<(uint(l+free)&63) | code>>(uint(-free)&63)
		if hasFF(v) {
			j = stuffWord(out, j, v)
		} else {
			binary.BigEndian.PutUint64(out[j&(maxBlockBytes-1):], v)
			j += 8
		}
		acc, free = code, free+64
	} else {
		acc = acc<<(uint(l)&63) | code
	}

	last, i := 0, 1
	for m := mask &^ 1; m != 0; m &= m - 1 {
		k := bits.TrailingZeros64(m)
		run := k - last - 1
		last = k
		for run >= 16 {
			c = ac[symZRL]
			code, l = uint64(c>>8), int(c&0xff)
			if free -= l; free < 0 {
				v := acc<<(uint(l+free)&63) | code>>(uint(-free)&63)
				if hasFF(v) {
					j = stuffWord(out, j, v)
				} else {
					binary.BigEndian.PutUint64(out[j&(maxBlockBytes-1):], v)
					j += 8
				}
				acc, free = code, free+64
			} else {
				acc = acc<<(uint(l)&63) | code
			}
			run -= 16
		}
		size, extra = magnitude(int32(vals[i&63]))
		i++
		c = ac[uint8(run<<4|int(size))]
		code, l = uint64(c>>8)<<size|extra, int(c&0xff)+int(size)
		if free -= l; free < 0 {
			v := acc<<(uint(l+free)&63) | code>>(uint(-free)&63)
			if hasFF(v) {
				j = stuffWord(out, j, v)
			} else {
				binary.BigEndian.PutUint64(out[j&(maxBlockBytes-1):], v)
				j += 8
			}
			acc, free = code, free+64
		} else {
			acc = acc<<(uint(l)&63) | code
		}
	}

	if last != 63 {
		c = ac[symEOB]
		code, l = uint64(c>>8), int(c&0xff)
		if free -= l; free < 0 {
			v := acc<<(uint(l+free)&63) | code>>(uint(-free)&63)
			if hasFF(v) {
				j = stuffWord(out, j, v)
			} else {
				binary.BigEndian.PutUint64(out[j&(maxBlockBytes-1):], v)
				j += 8
			}
			acc, free = code, free+64
		} else {
			acc = acc<<(uint(l)&63) | code
		}
	}
	w.n, w.acc, w.free = w.n+j, acc, free
}

// grow makes room for at least windowBytes more bytes.
func (w *bitWriter) grow() {
	b := make([]byte, 2*len(w.buf)+windowBytes)
	copy(b, w.buf[:w.n])
	w.buf = b
}

// finish pads the pending bits with 1s to a byte boundary (Annex F.1.2.3)
// and writes them out.
func (w *bitWriter) finish() {
	if w.n > len(w.buf)-windowBytes {
		w.grow()
	}
	pending := 64 - w.free
	pad := (8 - pending&7) & 7
	// acc has room: pending+pad <= 64, a multiple of 8.
	acc := w.acc<<uint(pad) | (1<<uint(pad) - 1)
	for s := pending + pad - 8; s >= 0; s -= 8 {
		c := byte(acc >> uint(s))
		w.buf[w.n] = c
		w.n++
		if c == 0xff {
			w.buf[w.n] = 0
			w.n++
		}
	}
	w.acc, w.free = 0, 64
}
