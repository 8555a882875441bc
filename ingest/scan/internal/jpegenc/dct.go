package jpegenc

import (
	"encoding/binary"
	"math"
)

// AAN rotation constants of jfdctflt.c.
const (
	c4    = 0.707106781 // cos(4*pi/16)
	c6    = 0.382683433 // cos(6*pi/16)
	c2mc6 = 0.541196100 // cos(2*pi/16) - cos(6*pi/16)
	c2pc6 = 1.306562965 // cos(2*pi/16) + cos(6*pi/16)
)

// roundQ rounds x, which must be within ±2^15, to the nearest integer
// (halves to even) by adding 1.5*2^23: the sum's float32 encoding then
// holds the integer in its low bits, so int16(roundQ(x)) is the rounded
// value. This takes fewer instructions than a conversion to int, and the
// 16 low bits are stored as they are.
func roundQ(x float32) uint32 {
	return math.Float32bits(x + 0x1.8p23)
}

// sample maps a sample to its level-shifted value, as a float.
var sample = func() (t [256]float32) {
	for i := range t {
		t[i] = float32(i - 128)
	}
	return t
}()

// fdctQuant transforms the 8x8 block of samples whose rows are the first
// 8 bytes of src[0:], src[stride:], ..., src[7*stride:], quantises it with
// div (from divisors) and stores the coefficients in zigzag order in out,
// as 16-bit little-endian integers. It returns the bitmap of the non-zero
// coefficients: bit k is set when coefficient k is not 0. Coefficients
// the bitmap marks as 0 may be left as they were in out.
//
// The transform is libjpeg's jfdctflt.c (Arai, Agui and Nakajima), its
// outputs scaled by the AAN factors that div undoes.
func fdctQuant(src []byte, stride int, div *[64]float32, out *[128]byte) uint64 {
	first := uint64(src[0]) * 0x0101010101010101
	diff := uint64(0)
	for r := range 8 {
		diff |= binary.LittleEndian.Uint64(src[r*stride:]) ^ first
	}
	if diff == 0 {
		// A flat block has only a DC term; this is what the transform
		// below computes for it, exactly, in fewer steps.
		q := roundQ(float32(64*(int32(src[0])-128)) * div[0])
		binary.LittleEndian.PutUint16(out[0:], uint16(q))
		return uint64((q&0xffff + 0xffff) >> 16)
	}

	var ws [64]float32
	// Pass 1: rows.
	for r := range 8 {
		s := src[r*stride : r*stride+8 : r*stride+8]
		w := ws[r*8 : r*8+8 : r*8+8]
		d0, d1, d2, d3 := sample[s[0]], sample[s[1]], sample[s[2]], sample[s[3]]
		d4, d5, d6, d7 := sample[s[4]], sample[s[5]], sample[s[6]], sample[s[7]]

		tmp0, tmp7 := d0+d7, d0-d7
		tmp1, tmp6 := d1+d6, d1-d6
		tmp2, tmp5 := d2+d5, d2-d5
		tmp3, tmp4 := d3+d4, d3-d4

		// Even part.
		tmp10, tmp13 := tmp0+tmp3, tmp0-tmp3
		tmp11, tmp12 := tmp1+tmp2, tmp1-tmp2
		w[0] = tmp10 + tmp11
		w[4] = tmp10 - tmp11
		z1 := (tmp12 + tmp13) * c4
		w[2] = tmp13 + z1
		w[6] = tmp13 - z1

		// Odd part.
		tmp10 = tmp4 + tmp5
		tmp11 = tmp5 + tmp6
		tmp12 = tmp6 + tmp7
		z5 := (tmp10 - tmp12) * c6
		z2 := c2mc6*tmp10 + z5
		z4 := c2pc6*tmp12 + z5
		z3 := tmp11 * c4
		z11, z13 := tmp7+z3, tmp7-z3
		w[5] = z13 + z2
		w[3] = z13 - z2
		w[1] = z11 + z4
		w[7] = z11 - z4
	}

	// Pass 2: columns.
	for c := range 8 {
		col := ws[c : c+57 : c+57]
		tmp0, tmp7 := col[0]+col[56], col[0]-col[56]
		tmp1, tmp6 := col[8]+col[48], col[8]-col[48]
		tmp2, tmp5 := col[16]+col[40], col[16]-col[40]
		tmp3, tmp4 := col[24]+col[32], col[24]-col[32]

		tmp10, tmp13 := tmp0+tmp3, tmp0-tmp3
		tmp11, tmp12 := tmp1+tmp2, tmp1-tmp2
		col[0] = tmp10 + tmp11
		col[32] = tmp10 - tmp11
		z1 := (tmp12 + tmp13) * c4
		col[16] = tmp13 + z1
		col[48] = tmp13 - z1

		tmp10 = tmp4 + tmp5
		tmp11 = tmp5 + tmp6
		tmp12 = tmp6 + tmp7
		z5 := (tmp10 - tmp12) * c6
		z2 := c2mc6*tmp10 + z5
		z4 := c2pc6*tmp12 + z5
		z3 := tmp11 * c4
		z11, z13 := tmp7+z3, tmp7-z3
		col[40] = z13 + z2
		col[24] = z13 - z2
		col[8] = z11 + z4
		col[56] = z11 - z4
	}
	return quantise(&ws, div, out)
}
