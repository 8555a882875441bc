package jpegenc

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// djpeg decodes data with libjpeg-turbo's djpeg (with box upsampling of
// chroma, as image/jpeg's At does) and returns the pixels. Any warning
// djpeg prints, such as corrupt data, fails the test.
func djpeg(tb testing.TB, path string, data []byte) *image.RGBA {
	tb.Helper()
	f := filepath.Join(tb.TempDir(), "in.jpg")
	if err := os.WriteFile(f, data, 0o644); err != nil {
		tb.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(path, "-pnm", "-nosmooth", f)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		tb.Fatalf("djpeg: %v: %s", err, stderr.Bytes())
	}
	img, err := parsePNM(stdout.Bytes())
	if err != nil {
		tb.Fatalf("djpeg output: %v", err)
	}
	return img
}

// parsePNM reads a binary PGM (P5) or PPM (P6) image of 8-bit samples.
func parsePNM(p []byte) (*image.RGBA, error) {
	var fields [4]string
	i := 0
	for n := range fields {
		for i < len(p) && (p[i] == ' ' || p[i] == '\n' || p[i] == '\t' || p[i] == '\r') {
			i++
		}
		j := i
		for j < len(p) && p[j] != ' ' && p[j] != '\n' && p[j] != '\t' && p[j] != '\r' {
			j++
		}
		fields[n], i = string(p[i:j]), j+1
	}
	w, err1 := strconv.Atoi(fields[1])
	h, err2 := strconv.Atoi(fields[2])
	if err1 != nil || err2 != nil || fields[3] != "255" {
		return nil, fmt.Errorf("bad header %q", fields)
	}
	ch := map[string]int{"P5": 1, "P6": 3}[fields[0]]
	if ch == 0 || len(p)-i != w*h*ch || i > len(p) {
		return nil, fmt.Errorf("bad header %q or size %d", fields, len(p)-i)
	}
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for k := range w * h {
		s := p[i+k*ch:]
		if ch == 1 {
			m.SetRGBA(k%w, k/w, color.RGBA{s[0], s[0], s[0], 255})
		} else {
			m.SetRGBA(k%w, k/w, color.RGBA{s[0], s[1], s[2], 255})
		}
	}
	return m, nil
}

// TestDjpeg decodes Encode's output with libjpeg-turbo's djpeg, a decoder
// independent of this package and of image/jpeg, for every type at odd
// sizes, flat and offset images, and qualities 1 to 100. djpeg must
// accept it without a warning and decode what image/jpeg decodes, but for
// the rounding of two different inverse DCTs and colour conversions.
func TestDjpeg(t *testing.T) {
	t.Parallel()
	path, err := exec.LookPath("djpeg")
	if err != nil {
		t.Fatalf("djpeg is not installed: install libjpeg-turbo-progs (apt-get install libjpeg-turbo-progs, or make deps): %v", err)
	}
	type input struct {
		name string
		img  image.Image
	}
	for _, k := range imageKinds {
		inputs := []input{
			{"page", k.make(testPage())},
			{"white", k.make(flatRGBA(40, 24, color.RGBA{255, 255, 255, 255}))},
			{"mid", k.make(flatRGBA(17, 9, color.RGBA{128, 128, 128, 255}))},
		}
		for _, sz := range []image.Point{{1, 1}, {7, 9}, {8, 8}, {15, 17}, {16, 16}, {33, 65}} {
			inputs = append(inputs, input{fmt.Sprintf("%dx%d", sz.X, sz.Y), k.make(photo(sz.X, sz.Y, uint64(sz.X+sz.Y)))})
		}
		for name, sub := range subImages(k.make(photo(80, 60, 5))) {
			inputs = append(inputs, input{name, sub})
		}
		for _, in := range inputs {
			for _, q := range []int{1, 50, 85, 100} {
				t.Run(fmt.Sprintf("%s/%s/q%d", k.name, in.name, q), func(t *testing.T) {
					t.Parallel()
					size := in.img.Bounds().Size()
					data := mustEncode(t, in.img, q)
					got := djpeg(t, path, data)
					if got.Rect.Size() != size {
						t.Fatalf("djpeg decoded %v, want %v", got.Rect.Size(), size)
					}
					std := rgbaOf(decodeStd(t, data, size))
					d := maxDiff(got, std)
					if d > 5 { // at most 4 seen, on saturated colours
						t.Errorf("djpeg and image/jpeg decode pixels %d apart", d)
					}
					// Against the source, djpeg must do as well as
					// image/jpeg, but for the ±1 of its colour conversion,
					// which is not the one that made the source's RGB: that
					// shows above 45 dB.
					src := rgbaOf(in.img)
					pd, ps := psnrRGBA(src, got), psnrRGBA(src, std)
					t.Logf("djpeg: PSNR %.2f dB, image/jpeg %.2f dB, at most %d apart", pd, ps, d)
					if pd < min(ps-0.3, 45) {
						t.Errorf("PSNR of djpeg's decoding %.2f dB, of image/jpeg's %.2f dB", pd, ps)
					}
				})
			}
		}
	}
}
