package assemble_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/digitorus/pdf"
)

const installHint = "install it with: apt-get install -y qpdf poppler-utils"

// run runs a validator tool and returns its output; a missing tool fails
// the test, never skips it.
func run(tb testing.TB, name string, args ...string) string {
	tb.Helper()
	if _, err := exec.LookPath(name); err != nil {
		tb.Fatalf("%s is required to validate PDFs and is missing: %s", name, installHint)
	}
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		tb.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// savePDF writes b to a temporary file and returns its path.
func savePDF(tb testing.TB, b []byte) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "out.pdf")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// checkValid runs qpdf --check and digitorus/pdf (pdfsign's parser) on the
// PDF and checks both see pages pages.
func checkValid(tb testing.TB, path string, b []byte, pages int) {
	tb.Helper()
	out := run(tb, "qpdf", "--check", path)
	if strings.Contains(out, "WARNING") || !strings.Contains(out, "No syntax or stream encoding errors found") {
		tb.Errorf("qpdf --check:\n%s", out)
	}
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		tb.Fatalf("digitorus/pdf: %v", err)
	}
	if n := r.NumPage(); n != pages {
		tb.Errorf("digitorus/pdf NumPage = %d, want %d", n, pages)
	}
}

// pdfInfo returns pdfinfo's fields for pages 1..n, keyed as printed
// ("Pages", "PDF version", "Page    1 size", "Title").
func pdfInfo(tb testing.TB, path string, n int) map[string]string {
	tb.Helper()
	out := run(tb, "pdfinfo", "-f", "1", "-l", strconv.Itoa(n), path)
	m := map[string]string{}
	for line := range strings.Lines(out) {
		k, v, ok := strings.Cut(line, ":")
		if ok {
			m[k] = strings.TrimSpace(v)
		}
	}
	return m
}

// pageSize parses "595.44 x 842.04 pts (A4)".
func pageSize(tb testing.TB, s string) (float64, float64) {
	tb.Helper()
	m := regexp.MustCompile(`^([0-9.]+) x ([0-9.]+) pts`).FindStringSubmatch(s)
	if m == nil {
		tb.Fatalf("page size %q not understood", s)
	}
	w, _ := strconv.ParseFloat(m[1], 64)
	h, _ := strconv.ParseFloat(m[2], 64)
	return w, h
}

// imageRow is one line of pdfimages -list.
type imageRow struct {
	page          int
	width, height int
	color         string
	comp, bpc     int
	enc           string
}

func listImages(tb testing.TB, path string) []imageRow {
	tb.Helper()
	var rows []imageRow
	for i, line := range strings.Split(strings.TrimSpace(run(tb, "pdfimages", "-list", path)), "\n") {
		f := strings.Fields(line)
		if i < 2 || len(f) < 10 { // heading and rule
			continue
		}
		atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
		rows = append(rows, imageRow{atoi(f[0]), atoi(f[3]), atoi(f[4]), f[5], atoi(f[6]), atoi(f[7]), f[8]})
	}
	return rows
}

// extractImages runs pdfimages -j -png and returns the files it wrote, in
// order: JPEG streams as .jpg byte for byte, other images as .png.
func extractImages(tb testing.TB, path string) []string {
	tb.Helper()
	root := filepath.Join(tb.TempDir(), "img")
	run(tb, "pdfimages", "-j", "-png", path, root)
	files, err := filepath.Glob(root + "-*")
	if err != nil {
		tb.Fatal(err)
	}
	return files
}
