package scan_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/khoso-vn/khoso/ingest/scan"
	"github.com/khoso-vn/khoso/ingest/scan/scantest"
)

func zlibData(tb testing.TB, b []byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// setTag rewrites the first value of a SHORT or LONG entry in the first
// IFD of a little-endian TIFF.
func setTag(data []byte, tag uint16, v uint32) []byte {
	out := append([]byte{}, data...)
	le := binary.LittleEndian
	ifd := int(le.Uint32(out[4:]))
	for i := range int(le.Uint16(out[ifd:])) {
		e := ifd + 2 + 12*i
		if le.Uint16(out[e:]) != tag {
			continue
		}
		if le.Uint16(out[e+2:]) == 3 {
			le.PutUint16(out[e+8:], uint16(v))
		} else {
			le.PutUint32(out[e+8:], v)
		}
	}
	return out
}

func TestPagesRefuses(t *testing.T) {
	t.Parallel()
	gray := scantest.Gray(crop())
	page := scantest.TIFFPage{Img: gray, Compression: scantest.TIFFLZW, DPI: 300}
	three := scantest.TIFF(t, page, page, page)
	jpg := scantest.JPEG(t, crop(), 85)
	dct := scantest.PDFImage{Filter: "DCTDecode", Data: jpg, W: 400, H: 300, BPC: 8, ColorSpace: "DeviceRGB", DPI: 200}
	twoPDF := scantest.ImagePDF(dct, dct)
	tests := []struct {
		name   string
		in     []byte
		opt    scan.Options
		kind   error
		prefix string // start of the Vietnamese message
	}{
		{"TIFF over MaxPages", three, scan.Options{MaxPages: 2}, scan.ErrTooLarge, "tệp có ít nhất 3 trang (tối đa 2"},
		{"TIFF header 20000x20000", setTag(setTag(three, 256, 20000), 257, 20000), scan.Options{}, scan.ErrTooLarge, "trang 1: ảnh quá lớn (20000×20000"},
		{"TIFF truncated", three[:len(three)/2], scan.Options{}, scan.ErrCorrupt, "ảnh TIFF bị hỏng"},
		{"TIFF header only", []byte("II*\x00\x08\x00\x00\x00"), scan.Options{}, scan.ErrCorrupt, "ảnh TIFF bị hỏng"},
		{"TIFF IFD loop", setNext(three), scan.Options{}, scan.ErrCorrupt, "ảnh TIFF bị hỏng"},
		{"TIFF strip past the end", setTag(three, 273, 1<<30), scan.Options{}, scan.ErrCorrupt, "trang 1: ảnh TIFF bị hỏng"},
		{"TIFF old-style JPEG", setTag(three, 259, 6), scan.Options{}, scan.ErrUnsupported, "trang 1: tệp TIFF: ảnh nén JPEG kiểu cũ"},
		{"TIFF JBIG", setTag(three, 259, 34661), scan.Options{}, scan.ErrUnsupported, "trang 1: tệp TIFF: kiểu mã hoá"},
		{"PDF over MaxPages", twoPDF, scan.Options{MaxPages: 1}, scan.ErrTooLarge, "tệp có ít nhất 2 trang (tối đa 1"},
		{"PDF JBIG2", scantest.ImagePDF(scantest.PDFImage{Filter: "JBIG2Decode", Data: []byte{0}, W: 8, H: 8, BPC: 1, ColorSpace: "DeviceGray", DPI: 300}),
			scan.Options{}, scan.ErrUnsupported, "trang 1: tệp PDF: ảnh nén bằng JBIG2Decode"},
		{"PDF truncated", twoPDF[:len(twoPDF)/3], scan.Options{}, scan.ErrCorrupt, "ảnh PDF bị hỏng"},
		{"PDF image too large", scantest.ImagePDF(scantest.PDFImage{Filter: "DCTDecode", Data: jpg, W: 20000, H: 20000, BPC: 8, ColorSpace: "DeviceRGB", DPI: 200}),
			scan.Options{}, scan.ErrTooLarge, "trang 1: ảnh quá lớn"},
		{"PDF flate bomb", scantest.ImagePDF(scantest.PDFImage{Filter: "FlateDecode", Data: zlibData(t, make([]byte, 1<<20)), W: 100, H: 100, BPC: 8, ColorSpace: "DeviceGray", DPI: 200}),
			scan.Options{}, scan.ErrCorrupt, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := scan.Pages(tt.in, "test", tt.opt, func(*scan.Page) error { return nil })
			if tt.name == "PDF flate bomb" {
				if err != nil {
					t.Errorf("Pages = %v; want the first 100×100 samples used and the rest ignored", err)
				}
				return
			}
			var se *scan.Error
			if !errors.Is(err, tt.kind) || !errors.As(err, &se) {
				t.Fatalf("Pages error %v, want an *Error wrapping %v", err, tt.kind)
			}
			if !strings.HasPrefix(se.Vi, tt.prefix) {
				t.Errorf("message %q does not start with %q", se.Vi, tt.prefix)
			}
		})
	}
}

// setNext points the first IFD's next-IFD offset back at itself.
func setNext(data []byte) []byte {
	out := append([]byte{}, data...)
	le := binary.LittleEndian
	ifd := int(le.Uint32(out[4:]))
	n := int(le.Uint16(out[ifd:]))
	le.PutUint32(out[ifd+2+12*n:], uint32(ifd))
	return out
}

func TestPagesStopsOnYieldError(t *testing.T) {
	t.Parallel()
	page := scantest.TIFFPage{Img: scantest.Gray(crop()), Compression: scantest.TIFFDeflate, DPI: 300}
	stop := errors.New("stop")
	calls := 0
	err := scan.Pages(scantest.TIFF(t, page, page, page), "test", scan.Options{}, func(*scan.Page) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("Pages = %v after %d calls, want the yield error after 1", err, calls)
	}
}
