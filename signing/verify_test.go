package signing_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/khoso-vn/khoso/signing"
)

// permitPDF is a one-page permit with a document information dictionary (object 6)
// and XMP metadata (object 7), as results carry them for PDF/A.
func permitPDF(tb testing.TB) []byte {
	tb.Helper()
	content := "BT /F1 24 Tf 72 720 Td (Giay phep xay dung so GP-2026-0001) Tj ET"
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R /Metadata 7 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		"<< /Title (GP-2026-0001) /Producer (khoso test) >>",
		xmpStream("GP-2026-0001"),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}

func xmpStream(title string) string {
	x := `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
		`<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title><rdf:Alt><rdf:li xml:lang="x-default">` +
		title + `</rdf:li></rdf:Alt></dc:title></rdf:Description></rdf:RDF></x:xmpmeta>`
	return fmt.Sprintf("<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n%s\nendstream", len(x), x)
}

var (
	startxrefRE = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	sizeRE      = regexp.MustCompile(`/Size (\d+)`)
)

// trailerSize returns the /Size of the last trailer of pdf.
func trailerSize(tb testing.TB, pdf []byte) int {
	tb.Helper()
	all := sizeRE.FindAllSubmatch(pdf, -1)
	if len(all) == 0 {
		tb.Fatal("no /Size")
	}
	n, _ := strconv.Atoi(string(all[len(all)-1][1]))
	return n
}

// appendUpdate appends an incremental update to pdf writing objs (number → body) with a
// classic cross-reference table; info, when not 0, is the trailer's new /Info.
func appendUpdate(tb testing.TB, pdf []byte, objs map[int]string, info int) []byte {
	tb.Helper()
	m := startxrefRE.FindSubmatch(pdf)
	if m == nil {
		tb.Fatal("no startxref")
	}
	size := trailerSize(tb, pdf)
	ids := make([]int, 0, len(objs))
	for id := range objs {
		ids = append(ids, id)
		size = max(size, id+1)
	}
	slices.Sort(ids)
	b := bytes.NewBuffer(slices.Clone(pdf))
	offsets := map[int]int{}
	for _, id := range ids {
		offsets[id] = b.Len()
		fmt.Fprintf(b, "%d 0 obj\n%s\nendobj\n", id, objs[id])
	}
	xref := b.Len()
	b.WriteString("xref\n")
	for _, id := range ids {
		fmt.Fprintf(b, "%d 1\n%010d 00000 n \n", id, offsets[id])
	}
	if info == 0 {
		info = 6
	}
	fmt.Fprintf(b, "trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R /Prev %s >>\nstartxref\n%d\n%%%%EOF\n", size, info, m[1], xref)
	return b.Bytes()
}

// qpdfRewrite runs the real qpdf on pdf as a careless copier would: qpdf in.pdf out.pdf.
func qpdfRewrite(tb testing.TB, pdf []byte) []byte {
	tb.Helper()
	bin := requireTool(tb, "qpdf", "qpdf")
	in := writeTemp(tb, pdf)
	out := filepath.Join(tb.TempDir(), "rewritten.pdf")
	if msg, err := exec.Command(bin, in, out).CombinedOutput(); err != nil {
		tb.Fatalf("qpdf %s %s: %v\n%s", in, out, err, msg)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// withOrphan adds an update to pdf holding a large object nothing refers to, as a page
// replaced before signing leaves behind: a rewritten copy drops it and is much shorter.
func withOrphan(tb testing.TB, pdf []byte) []byte {
	tb.Helper()
	junk := strings.Repeat("0123456789abcdef", 40<<10)
	return appendUpdate(tb, pdf, map[int]string{trailerSize(tb, pdf): fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(junk), junk)}, 0)
}

func TestVerifyLaterUpdates(t *testing.T) {
	t.Parallel()
	b := setupLTV(t)
	ctx := context.Background()
	locked := b.signBoth(t, permitPDF(t))
	archived, err := b.agency.Archive(ctx, locked)
	if err != nil {
		t.Fatal(err)
	}
	dssOnly, err := b.agency.AddValidationData(ctx, locked)
	if err != nil {
		t.Fatal(err)
	}
	stamped, err := b.agency.AddDocumentTimestamp(ctx, locked)
	if err != nil {
		t.Fatal(err)
	}
	orphaned := b.signBoth(t, withOrphan(t, permitPDF(t)))
	archivedOrphaned, err := b.agency.Archive(ctx, orphaned)
	if err != nil {
		t.Fatal(err)
	}
	size := trailerSize(t, archived)
	for _, tc := range []struct {
		name     string
		pdf      func(testing.TB) []byte
		valid    bool
		damaged  bool
		disallow string // a change kind the agency signature must report as not allowed
	}{
		{name: "Info title changed after the document time-stamp", pdf: func(tb testing.TB) []byte {
			return appendUpdate(tb, archived, map[int]string{6: "<< /Title (GP-2026-0999) /Producer (khoso test) >>"}, 0)
		}, disallow: signing.ChangeMetadata},
		{name: "trailer names a new Info", pdf: func(tb testing.TB) []byte {
			return appendUpdate(tb, archived, map[int]string{size: "<< /Title (GP-2026-0999) /Producer (khoso test) >>"}, size)
		}, disallow: signing.ChangeMetadata},
		{name: "XMP metadata changed", pdf: func(tb testing.TB) []byte {
			return appendUpdate(tb, archived, map[int]string{7: xmpStream("GP-2026-0999")}, 0)
		}, disallow: signing.ChangeMetadata},
		{name: "page appended after the lock", pdf: func(tb testing.TB) []byte {
			c := "BT /F1 24 Tf 72 720 Td (DA HUY) Tj ET"
			return appendUpdate(tb, archived, map[int]string{
				2:        fmt.Sprintf("<< /Type /Pages /Kids [3 0 R %d 0 R] /Count 2 >>", size),
				size:     fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R >>", size+1),
				size + 1: fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(c), c),
			}, 0)
		}, disallow: signing.ChangePage},
		{name: "DSS only after the lock", pdf: func(testing.TB) []byte { return dssOnly }, valid: true},
		{name: "document time-stamp after the lock", pdf: func(testing.TB) []byte { return stamped }, valid: true},
		{name: "archived", pdf: func(testing.TB) []byte { return archived }, valid: true},
		{name: "qpdf rewrite", pdf: func(tb testing.TB) []byte { return qpdfRewrite(tb, archived) }, damaged: true},
		{name: "qpdf rewrite of a shorter copy", pdf: func(tb testing.TB) []byte { return qpdfRewrite(tb, archivedOrphaned) }, damaged: true},
		{name: "contents not hex", pdf: func(tb testing.TB) []byte {
			out := slices.Clone(archived)
			i := bytes.LastIndex(out, []byte("/Contents <"))
			out[i+len("/Contents <")+3] = 'G'
			return out
		}, damaged: true},
		{name: "truncated", pdf: func(testing.TB) []byte { return archived[:len(archived)-200] }, damaged: true},
		{name: "update points into the signed bytes", pdf: func(tb testing.TB) []byte {
			m := startxrefRE.FindSubmatch(archived)
			out := append(slices.Clone(archived), fmt.Sprintf("xref\n3 1\n%010d 00000 n \ntrailer\n<< /Size %d /Root 1 0 R /Prev %s >>\nstartxref\n%d\n%%%%EOF\n", 40, size, m[1], len(archived))...)
			return out
		}, damaged: true},
		{name: "update with a /Prev that leads nowhere", pdf: func(tb testing.TB) []byte {
			out := appendUpdate(tb, archived, map[int]string{6: "<< /Title (GP-2026-0001) /Producer (khoso test) >>"}, 0)
			return regexp.MustCompile(`/Prev \d+ >>\nstartxref\n(\d+)\n%%EOF\n$`).ReplaceAll(out, []byte("/Prev 17 >>\nstartxref\n$1\n%%EOF\n"))
		}, damaged: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := signing.Verify(tc.pdf(t), b.roots)
			if err != nil {
				t.Fatal(err)
			}
			if r.Valid != tc.valid || r.Damaged != tc.damaged {
				t.Fatalf("valid=%t damaged=%t, want %t %t:\n%s", r.Valid, r.Damaged, tc.valid, tc.damaged, r.Text())
			}
			if tc.damaged && !strings.Contains(r.Text(), "tệp bị hỏng / The document is NOT valid: the file is damaged") {
				t.Errorf("report text:\n%s", r.Text())
			}
			if tc.disallow != "" && (len(r.Signatures) < 2 || !hasChange(r.Signatures[1].LaterChanges, tc.disallow, false)) {
				t.Errorf("the agency signature does not report a disallowed %s change:\n%s", tc.disallow, r.Text())
			}
		})
	}
}

func TestVerifyListsEachUpdateOnce(t *testing.T) {
	t.Parallel()
	b := setupLTV(t)
	archived, err := b.agency.Archive(context.Background(), b.signBoth(t, permitPDF(t)))
	if err != nil {
		t.Fatal(err)
	}
	r := verifyOK(t, archived, b.roots)
	kinds := func(cs []signing.Change) (out []string) {
		for _, c := range cs {
			out = append(out, fmt.Sprintf("%d:%s", c.Update, c.Kind))
		}
		return out
	}
	for i, want := range [][]string{
		{"1:signature", "2:validation-data", "3:document-timestamp"},
		{"1:validation-data", "2:document-timestamp"},
	} {
		if got := kinds(r.Signatures[i].LaterChanges); !slices.Equal(got, want) {
			t.Errorf("signature %d: later changes %v, want %v:\n%s", i+1, got, want, r.Text())
		}
	}
	if n := strings.Count(r.Text(), "validation data (DSS) was added"); n != 2 {
		t.Errorf("the DSS is listed %d times, want once per signature:\n%s", n, r.Text())
	}
}

func TestVerifyLevelSaysWhenRevocationDataIsMissing(t *testing.T) {
	t.Parallel()
	b := setup(t) // the development certificates name no CRL or OCSP responder
	ctx := context.Background()
	signed := b.sign(t, permitPDF(t))
	lt, err := b.signer.AddValidationData(ctx, signed)
	if err != nil {
		t.Fatal(err)
	}
	lta, err := b.signer.AddDocumentTimestamp(ctx, lt)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, level, revocation, text string
		pdf                           []byte
	}{
		{"signed", signing.LevelBT, "", "PAdES level: B-T\n", signed},
		{"validation data", signing.LevelBLTNoRevocation, signing.RevocationNotNamed, "PAdES level: B-LT — không có dữ liệu thu hồi", lt},
		{"document time-stamp", signing.LevelBLTANoRevocation, signing.RevocationNotNamed, "PAdES level: B-LTA — không có dữ liệu thu hồi", lta},
	} {
		r := verifyOK(t, tc.pdf, b.roots)
		s := r.Signatures[0]
		if s.Level != tc.level || s.Revocation != tc.revocation || !strings.Contains(r.Text(), tc.text) {
			t.Errorf("%s: level %q revocation %q, want %q %q:\n%s", tc.name, s.Level, s.Revocation, tc.level, tc.revocation, r.Text())
		}
		if tc.revocation != "" && !strings.Contains(r.Text(), "without revocation data: a certificate names no CRL or OCSP responder") {
			t.Errorf("%s: the report does not say why revocation data is missing:\n%s", tc.name, r.Text())
		}
	}
}
