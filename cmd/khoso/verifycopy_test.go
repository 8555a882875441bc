package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestVerifySaysACopyIsHeld: khoso verify on a genuine, untouched certified copy says
// that this repository holds it, naming the copy's code, form and record.
func TestVerifySaysACopyIsHeld(t *testing.T) {
	t.Parallel()
	a := setupAccess(t)
	handler := *a.testBundle
	handler.token = a.tokens["handlerA"]
	pdf := filepath.Join(t.TempDir(), "copy.pdf")
	code, out, errOut := handler.khoso(t, "copy", a.record, "--form", "trich-sao", "--pages", "1", "--for", "UBND phường Bến Nghé", "-o", pdf)
	if code != 0 {
		t.Fatalf("copy exited %d: %s%s", code, out, errOut)
	}
	vcode := strings.TrimSpace(out)
	code, out, errOut = a.khoso(t, "verify", pdf)
	want := "this repository holds this exact document: certified copy (extract, trích sao) code " + vcode + " of record " + a.record
	if code != 0 || !strings.Contains(out, want) || !strings.Contains(out, "bản sao TRÍCH SAO mã "+vcode) || strings.Contains(out, "does NOT hold") {
		t.Errorf("verify of a genuine copy exited %d, want it to say %q:\n%s%s", code, want, out, errOut)
	}
}
