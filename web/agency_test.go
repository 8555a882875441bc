package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

// TestBatchAgency: a clerk's batch is their agency's and may name no other;
// an admin's is the agency named, else the server's own.
func TestBatchAgency(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *Config) { c.Agency = "SO-TN" })
	admin, clerk := b.users["admin"], b.users["clerkA"]
	for _, c := range []struct {
		user          *archive.User
		named, want   string
		wantForbidden bool
		wantInvalid   bool
	}{
		{user: clerk, want: "A"},
		{user: clerk, named: "A", want: "A"},
		{user: clerk, named: "B", wantForbidden: true},
		{user: admin, want: "SO-TN"},
		{user: admin, named: " UBND-HN ", want: "UBND-HN"},
		{user: admin, named: "000.00.01.H26", want: "000.00.01.H26"},
		{user: admin, named: "UBND HN", wantInvalid: true},
		{user: admin, named: strings.Repeat("A", 65), wantInvalid: true},
	} {
		got, err := b.srv.batchAgency(c.user, c.named)
		switch {
		case c.wantForbidden && statusOf(err) != http.StatusForbidden,
			c.wantInvalid && statusOf(err) != http.StatusBadRequest,
			!c.wantForbidden && !c.wantInvalid && (err != nil || got != c.want):
			t.Errorf("%s naming %q: %q, %v; want %q (forbidden %v, invalid %v)",
				c.user.Name, c.named, got, err, c.want, c.wantForbidden, c.wantInvalid)
		}
		if err != nil {
			if m, ok := archive.MessageOf(err); !ok || !strings.Contains(m, " / ") {
				t.Errorf("%s naming %q: message %q is not bilingual", c.user.Name, c.named, m)
			}
		}
	}
}

// TestDefaultAgencyOwnsUnowned: a record stored without an agency (before
// every batch had one) is the server's agency's: its handler sees it, a
// handler of another agency does not.
func TestDefaultAgencyOwnsUnowned(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *Config) { c.Agency = "A" })
	ctx, now := context.Background(), time.Now()
	batch := &archive.Batch{ID: archive.NewID("b", now), CreatedAt: now}
	rec := &archive.Record{ID: archive.NewID("r", now), BatchID: batch.ID, Row: 2, Status: archive.StatusAvailable,
		Meta:      archive.Metadata{DocName: "Giấy phép", Number: "1/GP", IssuedOn: now, Issuer: "UBND", HolderID: "079190004321"},
		CreatedAt: now, UpdatedAt: now}
	err := b.cat.Update(ctx, func(tx archive.CatalogTx) error {
		if err := tx.CreateBatch(ctx, batch); err != nil {
			return err
		}
		return tx.CreateRecord(ctx, rec)
	})
	if err != nil {
		t.Fatal(err)
	}
	for user, want := range map[string]int{"handlerA": http.StatusOK, "clerkA": http.StatusOK, "handlerB": http.StatusNotFound} {
		w := b.do(t, user, jsonRequest(http.MethodGet, "/api/v1/records/"+rec.ID, ""))
		if w.Code != want {
			t.Errorf("%s: GET record without agency answered %d, want %d: %s", user, w.Code, want, w.Body)
		}
	}
}

// TestShareUntil: until is a date as in the manifest (dd/mm/yyyy) or ISO;
// anything else, or a past date, is refused in both languages.
func TestShareUntil(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	b := setup(t, func(c *Config) { c.Now = func() time.Time { return now } })
	rec := b.record(t, []byte("%PDF-1.7 shared"))
	for until, want := range map[string]string{
		"31/12/2026": "2027-01-01", "1/2/2027": "2027-02-02", "2026-12-31": "2027-01-01",
		"31/02/2026": "", "12/31/2026": "", "28/02/2026": "", "": "",
	} {
		body := `{"agency":"B","dossier_code":"H12.1-0001","until":"` + until + `"}`
		w := b.do(t, "citizen", jsonRequest(http.MethodPost, "/api/v1/records/"+rec.ID+"/shares", body))
		if want == "" {
			var e Error
			json.Unmarshal(w.Body.Bytes(), &e)
			if w.Code != http.StatusBadRequest || !strings.Contains(e.Error, "dd/mm/yyyy") || !strings.Contains(e.Error, " / ") {
				t.Errorf("until %q: %d %s, want 400 naming dd/mm/yyyy in both languages", until, w.Code, w.Body)
			}
			continue
		}
		var sh archive.Share
		if err := json.Unmarshal(w.Body.Bytes(), &sh); w.Code != http.StatusCreated || err != nil {
			t.Errorf("until %q: %d %s", until, w.Code, w.Body)
			continue
		}
		if got := sh.Until.UTC().Format(time.DateOnly); got != want {
			t.Errorf("until %q: share ends %s, want %s", until, got, want)
		}
	}
}
