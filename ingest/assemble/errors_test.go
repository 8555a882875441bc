package assemble_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/khoso-vn/khoso/ingest/assemble"
	"github.com/khoso-vn/khoso/ingest/scan"
	"github.com/khoso-vn/khoso/ingest/scan/scantest"
)

func TestWriteRefuses(t *testing.T) {
	t.Parallel()
	q := scantest.Quadrants(64, 32)
	jpg := scantest.JPEG(t, q, 85)
	pngData := scantest.PNG(t, q)
	tests := []struct {
		name  string
		pages []assemble.Page
	}{
		{"no pages", nil},
		{"unknown format", []assemble.Page{{Format: "tiff", Data: jpg}}},
		{"JPEG labelled PNG", []assemble.Page{{Format: scan.PNG, Data: jpg}}},
		{"PNG labelled JPEG", []assemble.Page{{Format: scan.JPEG, Data: pngData}}},
		{"width disagrees", []assemble.Page{{Format: scan.JPEG, Data: jpg, Width: 65, Height: 32}}},
		{"negative dpi", []assemble.Page{{Format: scan.JPEG, Data: jpg, DPIX: -200, DPIY: 200}}},
		{"page over 200 inches", []assemble.Page{{Format: scan.JPEG, Data: append(scantest.HugeJPEG(60000, 100), 0xff, 0xda), DPIX: 200}}},
		{"12-bit JPEG", []assemble.Page{{Format: scan.JPEG, Data: []byte{0xff, 0xd8, 0xff, 0xc1, 0, 11, 12, 0, 8, 0, 8, 1, 1, 0x11, 0, 0xff, 0xda}}}},
		{"lossless JPEG", []assemble.Page{{Format: scan.JPEG, Data: []byte{0xff, 0xd8, 0xff, 0xc3, 0, 11, 8, 0, 8, 0, 8, 1, 1, 0x11, 0, 0xff, 0xda}}}},
		{"JPEG without SOF", []assemble.Page{{Format: scan.JPEG, Data: []byte{0xff, 0xd8, 0xff, 0xda, 0, 2}}}},
		{"truncated JPEG header", []assemble.Page{{Format: scan.JPEG, Data: jpg[:100]}}},
		{"second page bad", []assemble.Page{{Format: scan.JPEG, Data: jpg}, {Format: scan.PNG, Data: pngData[:20]}}},
		{"PNG data corrupt", []assemble.Page{{Format: scan.PNG, Data: pngData[:len(pngData)-30]}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := assemble.Write(&bytes.Buffer{}, tt.pages, assemble.Info{})
			if !errors.Is(err, assemble.ErrInvalidPage) {
				t.Errorf("Write error = %v, want ErrInvalidPage", err)
			}
		})
	}
}

// failWriter accepts n bytes, then fails.
type failWriter struct{ n int }

var errDiskFull = errors.New("disk full")

func (f *failWriter) Write(b []byte) (int, error) {
	if len(b) > f.n {
		w := f.n
		f.n = 0
		return w, errDiskFull
	}
	f.n -= len(b)
	return len(b), nil
}

func TestWriteReportsWriterErrors(t *testing.T) {
	t.Parallel()
	a4 := scantest.JPEG(t, scantest.A4Page(), 85)
	pages := []assemble.Page{{Format: scan.JPEG, Data: a4}, {Format: scan.JPEG, Data: a4}}
	for _, n := range []int{0, 100, len(a4), 2*len(a4) + 500} {
		err := assemble.Write(&failWriter{n: n}, pages, assemble.Info{})
		if !errors.Is(err, errDiskFull) || errors.Is(err, assemble.ErrInvalidPage) {
			t.Errorf("after %d bytes: Write error = %v, want the writer's error", n, err)
		}
	}
}
