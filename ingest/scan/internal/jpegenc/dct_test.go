package jpegenc

import (
	"math"
	"testing"
)

// TestDCT compares fdctQuant with the DCT of Annex A.3.3 computed directly
// in float64 and rounded: the two may differ only where the exact value is
// within float32 error of a half, and then by 1. Flat blocks, which take a
// shortcut, must match exactly. The bitmap must mark the non-zero
// coefficients.
func TestDCT(t *testing.T) {
	t.Parallel()
	rng := newRand(7)
	for _, quality := range []int{100, 85, 50, 1} {
		quant := scaleQuant(quality)
		for tq := range 2 {
			div := divisors(&quant[tq])
			off := 0
			for n := range 2000 {
				var src [8 * 11]byte // stride 11
				switch {
				case n%10 == 0: // flat
					v := byte(rng.IntN(256))
					for i := range src {
						src[i] = v
					}
				case n%10 == 1: // extremes
					for i := range src {
						src[i] = byte(255 * ((i + i/11) % 2))
					}
				default:
					for i := range src {
						src[i] = byte(rng.IntN(256))
					}
				}
				var out [128]byte
				mask := fdctQuant(src[:], 11, &div, &out)
				want := refDCT(src[:], 11, &quant[tq])
				for z := range 64 {
					got := int16(uint16(out[2*z]) | uint16(out[2*z+1])<<8)
					if mask>>z&1 == 0 {
						got = 0 // left as it was
					} else if got == 0 {
						t.Fatalf("q%d block %d: bitmap marks coefficient %d, which is 0", quality, n, z)
					}
					d := math.Abs(float64(got) - want[z])
					if d > 0.5+1e-3 || (n%10 == 0 && d > 0.5+1e-9) {
						t.Fatalf("q%d block %d coefficient %d: got %d, exact %.4f", quality, n, z, got, want[z])
					}
					if d > 0.5 {
						off++
					}
				}
			}
			// float32 is off by about 1e-4 for the large coefficients
			// of quality 100: 0.3% of them then round the other way.
			if off > 128000/100 {
				t.Errorf("q%d table %d: %d coefficients of 128000 round differently from the exact DCT", quality, tq, off)
			}
		}
	}
}

// refDCT is the DCT of Annex A.3.3 divided by the quantisers q (zigzag
// order), unrounded, in zigzag order.
func refDCT(src []byte, stride int, q *[64]byte) [64]float64 {
	var out [64]float64
	for z, n := range unzig {
		u, v := int(n%8), int(n/8)
		cu, cv := 1.0, 1.0
		if u == 0 {
			cu = 1 / math.Sqrt2
		}
		if v == 0 {
			cv = 1 / math.Sqrt2
		}
		s := 0.0
		for y := range 8 {
			for x := range 8 {
				s += (float64(src[y*stride+x]) - 128) *
					math.Cos(float64(2*x+1)*float64(u)*math.Pi/16) *
					math.Cos(float64(2*y+1)*float64(v)*math.Pi/16)
			}
		}
		out[z] = cu * cv * s / 4 / float64(q[z])
	}
	return out
}

// TestNonZeroMask checks the bitmap of coefficients against a loop.
func TestNonZeroMask(t *testing.T) {
	t.Parallel()
	rng := newRand(8)
	values := []int16{0, 1, -1, 2, -2, 0x7fff, -0x8000, 0x100, -0x100, 0x4000, 0x0080}
	for range 10000 {
		var out [128]byte
		var want uint64
		for z := range 64 {
			v := int16(0)
			if rng.IntN(3) == 0 {
				v = values[rng.IntN(len(values))]
			}
			out[2*z], out[2*z+1] = byte(v), byte(uint16(v)>>8)
			if v != 0 {
				want |= 1 << z
			}
		}
		if got := nonZeroMask(&out); got != want {
			t.Fatalf("nonZeroMask = %#x, want %#x", got, want)
		}
	}
}
