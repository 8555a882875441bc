package scan_test

import (
	"bytes"
	"errors"
	"image/gif"
	"strings"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/ingest/scan"
	"github.com/khoso-vn/khoso/ingest/scan/scantest"
)

func TestNormaliseRefuses(t *testing.T) {
	t.Parallel()
	img := scantest.Quadrants(64, 32)
	jpg := scantest.WithJFIF(scantest.JPEG(t, scantest.A4Page(), 85), scantest.UnitsDPI, 200, 200)
	pngData := scantest.PNG(t, img)
	tests := []struct {
		name   string
		in     []byte
		lim    scan.Limits
		kind   error
		prefix string // start of the Vietnamese message
	}{
		{"truncated JPEG", jpg[:len(jpg)/2], scan.Limits{}, scan.ErrCorrupt, "ảnh JPEG bị hỏng hoặc bị cắt cụt"},
		{"JPEG without EOI", jpg[:len(jpg)-2], scan.Limits{}, scan.ErrCorrupt, "ảnh JPEG bị hỏng"},
		{"JPEG of junk", append([]byte{0xff, 0xd8, 0xff}, bytes.Repeat([]byte{0x13, 0x37}, 500)...), scan.Limits{},
			scan.ErrCorrupt, "ảnh JPEG bị hỏng"},
		{"truncated PNG", pngData[:len(pngData)/2], scan.Limits{}, scan.ErrCorrupt, "ảnh PNG bị hỏng"},
		{"PNG bad CRC", flipByte(pngData, len(pngData)-20), scan.Limits{}, scan.ErrCorrupt, "ảnh PNG bị hỏng"},
		{"empty", nil, scan.Limits{}, scan.ErrCorrupt, "tệp trống"},
		{"GIF", gifData(t), scan.Limits{}, scan.ErrUnsupported, "định dạng tệp GIF không được hỗ trợ"},
		{"BMP", append([]byte("BM"), make([]byte, 60)...), scan.Limits{}, scan.ErrUnsupported, "định dạng tệp BMP"},
		{"TIFF", []byte("II*\x00\x08\x00\x00\x00"), scan.Limits{}, scan.ErrUnsupported, "định dạng tệp TIFF"},
		{"WebP", []byte("RIFF\x00\x00\x00\x00WEBPVP8 "), scan.Limits{}, scan.ErrUnsupported, "định dạng tệp WebP"},
		{"text", []byte("Giấy phép số 12/GP-BTTTT\n"), scan.Limits{}, scan.ErrUnsupported, "tệp không phải là ảnh JPEG, PNG, TIFF hoặc PDF"},
		{"JPEG header 20000x20000", scantest.HugeJPEG(20000, 20000), scan.Limits{}, scan.ErrTooLarge, "ảnh quá lớn (20000×20000"},
		{"PNG header 20000x20000", scantest.HugePNG(20000, 20000), scan.Limits{}, scan.ErrTooLarge, "ảnh quá lớn (20000×20000"},
		{"A4 over a small limit", jpg, scan.Limits{MaxPixels: 1_000_000}, scan.ErrTooLarge, "ảnh quá lớn (1654×2339"},
		{"12-bit JPEG", []byte{0xff, 0xd8, 0xff, 0xc1, 0, 11, 12, 0, 8, 0, 8, 1, 1, 0x11, 0}, scan.Limits{},
			scan.ErrUnsupported, "kiểu mã hoá JPEG này không được hỗ trợ"},
		{"JPEG header 0 wide", scantest.HugeJPEG(0, 10), scan.Limits{}, scan.ErrCorrupt, "ảnh JPEG bị hỏng"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := scan.Normalise(tt.in, tt.lim)
			if err == nil {
				t.Fatalf("Normalise = %+v, want an error", p)
			}
			if !errors.Is(err, tt.kind) {
				t.Errorf("Normalise error %q is not %v", err, tt.kind)
			}
			checkMessage(t, err, tt.prefix)
		})
	}
}

// checkMessage checks the error is an *Error whose text starts with the
// Vietnamese prefix and carries an English half.
func checkMessage(tb testing.TB, err error, prefix string) {
	tb.Helper()
	var se *scan.Error
	if !errors.As(err, &se) {
		tb.Fatalf("error %T %q is not a *scan.Error", err, err)
	}
	if !strings.HasPrefix(err.Error(), prefix) {
		tb.Errorf("message %q does not start with %q", err.Error(), prefix)
	}
	if se.En == "" || !strings.Contains(se.Message(), " / "+se.En) {
		tb.Errorf("message %q lacks its English half", se.Message())
	}
}

func TestNormaliseTooLargeBeforeDecoding(t *testing.T) {
	t.Parallel()
	// A 20000x20000 header followed by no pixels: only a header check can
	// say "too large" rather than "corrupt", and it must be quick.
	for _, in := range [][]byte{scantest.HugeJPEG(20000, 20000), scantest.HugePNG(20000, 20000)} {
		start := time.Now()
		_, err := scan.Normalise(in, scan.Limits{})
		if !errors.Is(err, scan.ErrTooLarge) {
			t.Errorf("Normalise error = %v, want ErrTooLarge", err)
		}
		if d := time.Since(start); d > 50*time.Millisecond {
			t.Errorf("refusal took %v, want it from the header alone", d)
		}
	}
}

func TestNormaliseInvalidLimits(t *testing.T) {
	t.Parallel()
	_, err := scan.Normalise(scantest.HugeJPEG(10, 10), scan.Limits{MaxPixels: -1})
	if err == nil || !strings.Contains(err.Error(), "MaxPixels") {
		t.Fatalf("Normalise error = %v, want one naming MaxPixels", err)
	}
}

func flipByte(b []byte, i int) []byte {
	out := bytes.Clone(b)
	out[i] ^= 0xff
	return out
}

func gifData(tb testing.TB) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := gif.Encode(&buf, scantest.Quadrants(8, 8), nil); err != nil {
		tb.Fatalf("encode gif: %v", err)
	}
	return buf.Bytes()
}
