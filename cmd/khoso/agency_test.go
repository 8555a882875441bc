package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestIngestAgency: `khoso ingest --agency CODE` from an admin puts the
// batch in that agency: its handlers see the record, the server's own
// agency's (KHOSO) do not; a clerk may not send for another agency.
func TestIngestAgency(t *testing.T) {
	t.Parallel()
	b := startServer(t, t.TempDir(), nil)
	batch := t.TempDir()
	writeBatch(t, batch, []permit{{file: "gp", number: "9/GP-UBND", holder: "Đỗ Thị Lan", holderID: "001190000009", issued: "01/03/2024", pages: 1}})
	code, out, errOut := b.khoso(t, "ingest", batch, "--agency", "UBND-HN", "--wait")
	if code != 0 {
		t.Fatalf("ingest --agency exited %d:\n%s%s", code, out, errOut)
	}
	id := batchLines(out)[2][0]
	tokens := map[string]string{}
	for _, agency := range []string{"UBND-HN", "KHOSO"} {
		code, out, errOut := b.khoso(t, "user", "add", "--role", "handler", "--name", "Handler "+agency, "--agency", agency)
		if code != 0 {
			t.Fatalf("user add: %s", errOut)
		}
		tokens[agency] = strings.TrimSpace(out)
	}
	code, out, errOut = b.khoso(t, "user", "add", "--role", "clerk", "--name", "Clerk", "--agency", "KHOSO")
	if code != 0 {
		t.Fatalf("user add: %s", errOut)
	}
	clerk := strings.TrimSpace(out)
	as := func(token string, args ...string) (int, string) {
		saved := b.token
		b.token = token
		defer func() { b.token = saved }()
		code, _, errOut := b.khoso(t, args...)
		return code, errOut
	}
	pdf := filepath.Join(t.TempDir(), "r.pdf")
	if code, errOut := as(tokens["UBND-HN"], "get", id, "-o", pdf); code != 0 {
		t.Errorf("a handler of UBND-HN cannot get the batch sent for UBND-HN: %s", errOut)
	}
	if code, errOut := as(tokens["KHOSO"], "get", id, "-o", pdf); code == 0 || !strings.Contains(errOut, "Không tìm thấy / not found") {
		t.Errorf("a handler of KHOSO got a record of UBND-HN (exit %d): %s", code, errOut)
	}
	if code, errOut := as(clerk, "ingest", batch, "--agency", "UBND-HN"); code == 0 || !strings.Contains(errOut, "a clerk sends batches only for their own agency") {
		t.Errorf("a clerk of KHOSO sent a batch for UBND-HN (exit %d): %s", code, errOut)
	}
}
