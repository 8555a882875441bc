package jpegenc

import (
	"container/heap"
	"fmt"
	"math/bits"
	"testing"
)

// checkTable checks that t is a valid table for the symbols counted in
// freq: every counted symbol and no other has a code, codes are at most
// 16 bits, prefix-free and canonical, and none is all ones. It returns
// the coded length of the symbols, in bits, and the longest code length.
func checkTable(tb testing.TB, t *huffTable, freq []int64) (cost int64, longest int) {
	tb.Helper()
	n := 0
	for _, c := range t.counts {
		n += int(c)
	}
	if n != len(t.vals) {
		tb.Fatalf("counts give %d codes for %d symbols", n, len(t.vals))
	}
	seen := map[byte]bool{}
	for _, s := range t.vals {
		if seen[s] || int(s) >= len(freq) || freq[s] == 0 {
			tb.Fatalf("symbol %#x listed twice or not counted", s)
		}
		seen[s] = true
	}
	for s, f := range freq {
		if f > 0 && !seen[byte(s)] {
			tb.Fatalf("symbol %#x counted %d times has no code", s, f)
		}
	}
	// Kraft: the codes fill less than the whole code space (the all-ones
	// code is left out), and the canonical codes are then prefix-free.
	kraft := uint64(0)
	for l, c := range t.counts {
		kraft += uint64(c) << (16 - (l + 1))
	}
	if kraft >= 1<<16 {
		tb.Fatalf("code lengths fill %d/65536 of the code space", kraft)
	}
	type cw struct {
		code uint32
		l    int
	}
	var codes []cw
	for _, s := range t.vals {
		c := t.codes[s]
		l := int(c & 0xff)
		if l < 1 || l > 16 {
			tb.Fatalf("symbol %#x: code length %d", s, l)
		}
		code := c >> 8
		if code == 1<<l-1 {
			tb.Fatalf("symbol %#x has the all-ones code of length %d", s, l)
		}
		for _, o := range codes {
			short, long := o, cw{code, l}
			if short.l > long.l {
				short, long = long, short
			}
			if long.code>>(long.l-short.l) == short.code {
				tb.Fatalf("code %0*b is a prefix of %0*b", short.l, short.code, long.l, long.code)
			}
		}
		codes = append(codes, cw{code, l})
		cost += freq[s] * int64(l)
		longest = max(longest, l)
	}
	return cost, longest
}

// huffmanCost is the coded length of an optimal (unlimited) Huffman code
// for freq, computed with a heap, and its longest code.
func huffmanCost(freq []int64) (cost int64, longest int) {
	h := &nodeHeap{}
	for _, f := range freq {
		if f > 0 {
			heap.Push(h, node{f, 0})
		}
	}
	if h.Len() == 1 {
		return (*h)[0].f, 1
	}
	for h.Len() > 1 {
		a, b := heap.Pop(h).(node), heap.Pop(h).(node)
		cost += a.f + b.f
		heap.Push(h, node{a.f + b.f, max(a.depth, b.depth) + 1})
	}
	return cost, (*h)[0].depth
}

type node struct {
	f     int64
	depth int
}

type nodeHeap []node

func (h nodeHeap) Len() int           { return len(h) }
func (h nodeHeap) Less(i, j int) bool { return h[i].f < h[j].f }
func (h nodeHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *nodeHeap) Push(x any)        { *h = append(*h, x.(node)) }
func (h *nodeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// TestHuffTable builds tables for various counts and checks them. Where
// no code needs more than 16 bits the code must be optimal: an optimal
// code for the counts plus the pseudo-symbol of count 1, which takes one
// of the longest codes, costs what the table costs plus that length.
func TestHuffTable(t *testing.T) {
	t.Parallel()
	rng := newRand(5)
	cases := map[string][]int64{}
	one := make([]int64, 256)
	one[0x00] = 12345
	cases["one symbol"] = one
	two := make([]int64, 256)
	two[0x00], two[0xf0] = 1, 1000000
	cases["two symbols"] = two
	flat := make([]int64, 256)
	for i := range flat {
		flat[i] = 7
	}
	cases["256 equal"] = flat
	dc := make([]int64, 16)
	dc[0] = 1
	cases["DC, one symbol"] = dc
	fib := make([]int64, 256)
	a, b := int64(1), int64(1)
	for i := range 40 {
		fib[i] = a
		a, b = b, a+b
	}
	cases["Fibonacci, 40 symbols"] = fib // optimal codes would be 39 bits long
	geo := make([]int64, 162)
	for i := range geo {
		geo[i] = 1 << (60 - min(i, 60))
	}
	cases["geometric"] = geo
	for n := range 20 {
		f := make([]int64, 256)
		for i := range f {
			if rng.IntN(3) > 0 {
				f[i] = int64(rng.IntN(1 << rng.IntN(24)))
			}
		}
		f[rng.IntN(256)] = 1 + int64(rng.IntN(100)) // at least one symbol
		cases[fmt.Sprintf("random %d", n)] = f
	}
	for name, freq := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tab := newHuffTable(freq)
			cost, longest := checkTable(t, tab, freq)
			withPseudo := append(append([]int64(nil), freq...), 1)
			opt, optLongest := huffmanCost(withPseudo)
			if optLongest <= 16 && cost+int64(longest) != opt {
				t.Errorf("cost %d + %d, want %d (optimal, with the pseudo-symbol)", cost, longest, opt)
			}
			if optLongest > 16 && longest != 16 {
				t.Errorf("longest code %d bits, want 16 (the limit)", longest)
			}
		})
	}
}

// TestMagnitude checks the size categories and extra bits against their
// definition (Table F.1): v is recovered from them.
func TestMagnitude(t *testing.T) {
	t.Parallel()
	for v := int32(-2047); v <= 2047; v++ {
		size, extra := magnitude(v)
		if want := uint(bits.Len32(uint32(max(v, -v)))); size != want {
			t.Fatalf("magnitude(%d): size %d, want %d", v, size, want)
		}
		got := int32(extra)
		if size > 0 && extra < 1<<(size-1) {
			got = int32(extra) - (1 << size) + 1
		}
		if got != v || extra >= 1<<size {
			t.Fatalf("magnitude(%d) = %d, %#b: decodes as %d", v, size, extra, got)
		}
	}
}

// TestWordStuffing checks hasFF and stuffWord against a byte loop.
func TestWordStuffing(t *testing.T) {
	t.Parallel()
	rng := newRand(6)
	for n := range 100000 {
		v := rng.Uint64()
		if n%2 == 0 { // make some bytes 0xFF, 0x7F, 0x80 or 0xFE
			for i := range 8 {
				if rng.IntN(3) == 0 {
					v = v&^(0xff<<(8*i)) | uint64([]byte{0xff, 0x7f, 0x80, 0xfe}[rng.IntN(4)])<<(8*i)
				}
			}
		}
		var want []byte
		ff := false
		for s := 56; s >= 0; s -= 8 {
			c := byte(v >> s)
			want = append(want, c)
			if c == 0xff {
				want = append(want, 0)
				ff = true
			}
		}
		if hasFF(v) != ff {
			t.Fatalf("hasFF(%#x) = %v", v, !ff)
		}
		var out [windowBytes]byte
		j := stuffWord(&out, 3, v)
		if got := out[3:j]; string(got) != string(want) {
			t.Fatalf("stuffWord(%#x) = % x, want % x", v, got, want)
		}
	}
}
