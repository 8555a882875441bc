package g4

import (
	"bytes"
	"image"
	"math/rand/v2"
	"testing"

	"golang.org/x/image/ccitt"
)

// decode decodes Group 4 data with x/image/ccitt: 0x00 black, 0xff white.
func decode(tb testing.TB, data []byte, w, h int) *image.Gray {
	tb.Helper()
	dst := image.NewGray(image.Rect(0, 0, w, h))
	if err := ccitt.DecodeIntoGray(dst, bytes.NewReader(data), ccitt.MSB, ccitt.Group4, nil); err != nil {
		tb.Fatalf("decode: %v", err)
	}
	return dst
}

func TestEncodeRoundTrip(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	tests := []struct {
		name string
		w, h int
		gen  func(x, y int) bool // black?
	}{
		{"white", 100, 10, func(x, y int) bool { return false }},
		{"black", 100, 10, func(x, y int) bool { return true }},
		{"checker", 33, 17, func(x, y int) bool { return (x/3+y/2)%2 == 0 }},
		{"noise", 257, 40, func(x, y int) bool { return rng.IntN(3) == 0 }},
		{"diagonal", 300, 300, func(x, y int) bool { return (x+y)%50 < 3 || x == y }},
		{"long runs", 6000, 3, func(x, y int) bool { return x > 2600 && x < 5800 && y == 1 }},
		{"one pixel", 1, 1, func(x, y int) bool { return true }},
	}
	for _, tt := range tests {
		src := image.NewGray(image.Rect(0, 0, tt.w, tt.h))
		for y := range tt.h {
			for x := range tt.w {
				if !tt.gen(x, y) {
					src.Pix[y*src.Stride+x] = 0xff
				}
			}
		}
		data, err := Encode(src.Pix, src.Stride, tt.w, tt.h)
		if err != nil {
			t.Fatalf("%s: Encode: %v", tt.name, err)
		}
		if got := decode(t, data, tt.w, tt.h); !bytes.Equal(got.Pix, src.Pix) {
			t.Errorf("%s: decoded image differs from the source", tt.name)
		}
	}
}

func TestEncodeRefusesBadGeometry(t *testing.T) {
	t.Parallel()
	if _, err := Encode(make([]byte, 10), 5, 6, 2); err == nil {
		t.Error("Encode with stride < width succeeded")
	}
}
