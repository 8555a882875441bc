package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
)

// TestFontsAreSubsets: a signed result and a certified copy each embed one
// font, as a subset (pdffonts), and their bytes beyond the page images are
// reported.
func TestFontsAreSubsets(t *testing.T) {
	requireTool(t, "pdffonts", "poppler-utils")
	requireTool(t, "qpdf", "qpdf")
	t.Parallel()
	b := startServer(t, t.TempDir(), nil)
	dir := t.TempDir()
	manifest := writeBatch(t, dir, []permit{{file: "gp-1", number: "51/GP-BTNMT", holder: "Nguyễn Thị Hương",
		holderID: "001088054321", issued: "02/03/2022", pages: 2}})
	code, out, errOut := b.khoso(t, "ingest", dir, "--manifest", manifest, "--wait")
	if code != 0 {
		t.Fatalf("ingest exited %d:\n%s\n%s", code, out, errOut)
	}
	var id string
	for _, l := range batchLines(out) {
		id = l[0]
	}
	result := filepath.Join(t.TempDir(), "result.pdf")
	if code, _, errOut := b.khoso(t, "get", id, "-o", result); code != 0 {
		t.Fatalf("get: %s", errOut)
	}
	pdf, _ := issueCopy(t, b, id)
	copyFile := filepath.Join(t.TempDir(), "copy.pdf")
	if err := os.WriteFile(copyFile, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`(?m)^(\S+)\s+CID TrueType\s+Identity-H\s+(yes|no)\s+(yes|no)\s+(yes|no)`)
	for _, f := range []string{result, copyFile} {
		listing, err := exec.Command("pdffonts", f).Output()
		if err != nil {
			t.Fatalf("pdffonts %s: %v", f, err)
		}
		fonts := row.FindAllStringSubmatch(string(listing), -1)
		if len(fonts) != 1 {
			t.Errorf("%s: pdffonts lists %d fonts, want one font object however many stamps use it:\n%s", filepath.Base(f), len(fonts), listing)
		}
		for _, m := range fonts {
			if !regexp.MustCompile(`^[A-Z]{6}\+`).MatchString(m[1]) || m[2] != "yes" || m[3] != "yes" || m[4] != "yes" {
				t.Errorf("%s: font %s embedded %s, subset %s, ToUnicode %s; want a tagged, embedded subset with ToUnicode",
					filepath.Base(f), m[1], m[2], m[3], m[4])
			}
		}
		size, images := pdfImageBytes(t, f)
		t.Logf("%s: %d bytes, %d of them page images: %d more, %d font objects", filepath.Base(f), size, images, size-images, len(fonts))
	}
}

// pdfImageBytes returns a PDF's size and the bytes of its image streams,
// as qpdf reads them.
func pdfImageBytes(t *testing.T, f string) (int, int) {
	t.Helper()
	raw, err := exec.Command("qpdf", "--json=2", "--json-key=qpdf", f).Output()
	if err != nil {
		t.Fatalf("qpdf --json %s: %v", f, err)
	}
	var doc struct {
		QPDF []json.RawMessage `json:"qpdf"`
	}
	var objects map[string]struct {
		Stream *struct {
			Dict map[string]any `json:"dict"`
		} `json:"stream"`
		Value any `json:"value"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil || len(doc.QPDF) < 2 {
		t.Fatalf("qpdf --json %s: %v", f, err)
	}
	if err := json.Unmarshal(doc.QPDF[1], &objects); err != nil {
		t.Fatalf("qpdf --json %s: %v", f, err)
	}
	images := 0
	for _, o := range objects {
		if o.Stream == nil || o.Stream.Dict["/Subtype"] != "/Image" {
			continue
		}
		switch n := o.Stream.Dict["/Length"].(type) {
		case float64:
			images += int(n)
		case string: // an indirect length, "12 0 R"
			v, ok := objects["obj:"+n].Value.(float64)
			if !ok {
				t.Fatalf("%s: an image's /Length %s is not a number", f, n)
			}
			images += int(v)
		}
	}
	st, err := os.Stat(f)
	if err != nil {
		t.Fatal(err)
	}
	return int(st.Size()), images
}
