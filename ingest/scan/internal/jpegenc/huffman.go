package jpegenc

import (
	"encoding/binary"
	"math"
	"math/bits"
)

// Huffman symbols with a meaning of their own.
const (
	symEOB = 0x00 // end of block: the rest of the AC coefficients are 0
	symZRL = 0xf0 // a run of 16 zero AC coefficients
)

// freqs counts the Huffman symbols of one table pair (DC and AC).
type freqs struct {
	dc [16]int64 // by size category, 0..11
	// The AC symbols by run<<4 | size, alternately in two tables: a
	// block's symbols are often equal, and incrementing one counter over
	// and over makes each increment wait for the one before.
	ac [2][256]int64
}

// acTotal returns the counts of the AC symbols.
func (f *freqs) acTotal() [256]int64 {
	var t [256]int64
	for s := range t {
		t[s] = f.ac[0][s] + f.ac[1][s]
	}
	return t
}

// huffTable is a Huffman table as a DHT segment states it, and the codes
// it gives each symbol.
type huffTable struct {
	counts [16]byte // counts[i] is the number of codes of length i+1
	vals   []byte   // the symbols, shortest code first
	// codes[s] is the code of symbol s shifted left by 8, ORed with its
	// length in bits; 0 for a symbol without a code.
	codes [256]uint32
}

// magnitude returns the size category of v (the number of bits of |v|)
// and the extra bits that follow its Huffman code: v itself when v > 0,
// else v-1, masked to size bits (Annex F.1.2.1).
func magnitude(v int32) (size uint, extra uint64) {
	s := v >> 31
	size = uint(bits.Len32(uint32((v ^ s) - s)))
	extra = uint64(uint32(v+s)) & (1<<size - 1)
	return size, extra
}

// countBlock adds the symbols of one block to f and appends its non-zero
// coefficients to vals. The block's quantised coefficients are in blk (as
// fdctQuant leaves them) and mask marks the non-zero ones; prev is the
// DC prediction of its component, updated. The DC coefficient, zero or
// not, goes to vals[0] and the non-zero AC coefficients follow in zigzag
// order; countBlock returns how many it stored.
func countBlock(f *freqs, blk *[128]byte, mask uint64, prev *int32, vals *[64]int16) int {
	le := binary.LittleEndian
	dc := int32(int16(le.Uint16(blk[0:])))
	size, _ := magnitude(dc - *prev)
	*prev = dc
	f.dc[size&15]++
	vals[0] = int16(dc)
	n, last := 1, 0
	for m := mask &^ 1; m != 0; m &= m - 1 {
		k := bits.TrailingZeros64(m)
		run := k - last - 1
		for run >= 16 {
			f.ac[0][symZRL]++
			run -= 16
		}
		v := int16(le.Uint16(blk[2*(k&63):]))
		vals[n&63] = v
		n++
		size, _ := magnitude(int32(v))
		f.ac[n&1][uint8(run<<4|int(size))]++
		last = k
	}
	if last != 63 {
		f.ac[0][symEOB]++
	}
	return n
}

// newHuffTable builds the table of optimal code lengths, at most 16 bits,
// for the symbols counted in freq, with libjpeg's jpeg_gen_optimal_table
// (Annex K.2): a pseudo-symbol 256 of frequency 1 takes part so that no
// real symbol gets the all-ones code. A table for a single symbol gives it
// a 1-bit code.
func newHuffTable(freq []int64) *huffTable {
	// live holds the symbols (and then subtrees) still to merge, in
	// increasing symbol order: ties go to the highest index, as in libjpeg.
	var f [257]int64
	live := make([]int, 0, 257)
	for s, n := range freq[:min(len(freq), 256)] {
		if n > 0 {
			f[s] = n
			live = append(live, s)
		}
	}
	f[256] = 1
	live = append(live, 256)

	var codesize [257]int
	var others [257]int
	for i := range others {
		others[i] = -1
	}
	for len(live) > 1 {
		// c1 is the smallest frequency, c2 the next smallest.
		c1, c2 := -1, -1
		v1, v2 := int64(math.MaxInt64), int64(math.MaxInt64)
		for _, s := range live {
			if f[s] <= v1 {
				c2, v2 = c1, v1
				c1, v1 = s, f[s]
			} else if f[s] <= v2 {
				c2, v2 = s, f[s]
			}
		}
		f[c1] += f[c2]
		f[c2] = 0
		for i, s := range live {
			if s == c2 {
				live = append(live[:i], live[i+1:]...)
				break
			}
		}
		// Every leaf of both subtrees moves one level down.
		codesize[c1]++
		for others[c1] >= 0 {
			c1 = others[c1]
			codesize[c1]++
		}
		others[c1] = c2
		codesize[c2]++
		for others[c2] >= 0 {
			c2 = others[c2]
			codesize[c2]++
		}
	}

	var nlen [258]int // nlen[l] symbols have a code of length l
	for _, l := range codesize {
		if l > 0 {
			nlen[l]++
		}
	}
	// Move the codes longer than 16 bits up the tree (Figure K.3): take
	// two symbols from length i; one goes to length i-1 and the other,
	// with a symbol of length j < i-1, to length j+1.
	for i := len(nlen) - 1; i > 16; i-- {
		for nlen[i] > 0 {
			j := i - 2
			for nlen[j] == 0 {
				j--
			}
			nlen[i] -= 2
			nlen[i-1]++
			nlen[j+1] += 2
			nlen[j]--
		}
	}
	// Drop the pseudo-symbol: it has one of the longest codes.
	i := 16
	for nlen[i] == 0 {
		i--
	}
	nlen[i]--

	t := &huffTable{}
	for l := 1; l <= 16; l++ {
		t.counts[l-1] = byte(nlen[l])
	}
	// The symbols in order of their unlimited code length; limiting keeps
	// that order, so the i-th symbol gets the i-th code.
	for l := 1; l < len(nlen); l++ {
		for s := 0; s < 256; s++ {
			if codesize[s] == l {
				t.vals = append(t.vals, byte(s))
			}
		}
	}
	t.assignCodes()
	return t
}

// assignCodes gives each symbol its canonical code (Annex C): codes of one
// length are consecutive and the first code of length l+1 is twice the
// code after the last of length l.
func (t *huffTable) assignCodes() {
	code, k := uint32(0), 0
	for l := 1; l <= 16; l++ {
		for range t.counts[l-1] {
			t.codes[t.vals[k]] = code<<8 | uint32(l)
			code++
			k++
		}
		code <<= 1
	}
}
