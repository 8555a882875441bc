package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

// TestVerifyFindsCopies: POST /api/v1/verify says a copy's current file and the file a
// renewal replaced are held, naming the copy; other bytes are not held.
func TestVerifyFindsCopies(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	rec := b.record(t, []byte("%PDF-1.7 the result"))
	first, renewed := []byte("%PDF-1.7 the copy"), []byte("%PDF-1.7 the copy, renewed")
	cp := &archive.Copy{ID: "c1", RecordID: rec.ID, Form: archive.FormSaoY, For: "UBND phường 5", IssuedBy: "u1",
		IssuedAt: time.Now(), Code: "K7QF-2M9X-PV3D", Result: archive.RefOf(first), Size: int64(len(first))}
	err := b.cat.Update(ctx, func(tx archive.CatalogTx) error {
		if err := tx.CreateCopy(ctx, cp); err != nil {
			return err
		}
		next := *cp
		next.Result, next.Size = archive.RefOf(renewed), int64(len(renewed))
		return tx.ReplaceCopyResult(ctx, &next, cp.Result, "", "TSA certificate expires")
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		body    []byte
		current bool
	}{"renewed file": {renewed, true}, "file before the renewal": {first, false}} {
		v := postVerify(t, b, c.body)
		if want := (VerifiedCopy{Code: cp.Code, Form: archive.FormSaoY, RecordID: rec.ID, Current: c.current}); !v.Held ||
			len(v.Copies) != 1 || v.Copies[0] != want || len(v.Records) != 0 {
			t.Errorf("%s: held %t, copies %+v, records %v; want held as %+v", name, v.Held, v.Copies, v.Records, want)
		}
	}
	if v := postVerify(t, b, []byte("%PDF-1.7 something else")); v.Held || len(v.Copies) != 0 {
		t.Errorf("other bytes: held %t, copies %+v", v.Held, v.Copies)
	}
}

func postVerify(tb testing.TB, b *testBundle, body []byte) VerifyResponse {
	tb.Helper()
	r := httptest.NewRequest(http.MethodPost, "/api/v1/verify", strings.NewReader(string(body)))
	r.Header.Set("Content-Type", "application/pdf")
	w := b.do(tb, "", r)
	var v VerifyResponse
	if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &v) != nil {
		tb.Fatalf("verify: %d %s", w.Code, w.Body)
	}
	return v
}
