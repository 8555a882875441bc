package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/archive/sqlstore"
)

// accessBundle is a server with one user of each kind and one record held
// by the citizen "own", ingested by a clerk of agency BTNMT.
type accessBundle struct {
	*testBundle
	tokens           map[string]string // user name → token
	record, batch, q string
}

var accessUsers = []struct{ name, role, agency, holder string }{
	{"admin2", "admin", "", ""},
	{"clerkA", "clerk", "BTNMT", ""},
	{"clerkB", "clerk", "UBND-HN", ""},
	{"handlerA", "handler", "BTNMT", ""},
	{"handlerB", "handler", "UBND-HN", ""},
	{"own", "citizen", "", "001088012345"},
	{"other", "citizen", "", "079190004321"},
	{"auditor", "auditor", "", ""},
}

func setupAccess(t *testing.T) *accessBundle {
	b := startServer(t, t.TempDir(), nil)
	a := &accessBundle{testBundle: b, tokens: map[string]string{}}
	for _, u := range accessUsers {
		args := []string{"user", "add", "--role", u.role, "--name", u.name}
		if u.agency != "" {
			args = append(args, "--agency", u.agency)
		}
		if u.holder != "" {
			args = append(args, "--holder-id", u.holder)
		}
		code, out, errOut := b.khoso(t, args...)
		if code != 0 {
			t.Fatalf("user add %s: %s", u.name, errOut)
		}
		a.tokens[u.name] = strings.TrimSpace(out)
	}
	dir := t.TempDir()
	manifest := writeBatch(t, dir, []permit{{file: "x", number: "88/GP-BTNMT", holder: "Nguyễn Văn Đức",
		holderID: "001088012345", issued: "01/01/2024", pages: 2}})
	clerk := *b
	clerk.token = a.tokens["clerkA"]
	code, out, errOut := clerk.khoso(t, "ingest", dir, "--manifest", manifest, "--wait")
	lines := batchLines(out)
	if code != 0 || len(lines) != 1 {
		t.Fatalf("clerk ingest: %d %s %s", code, out, errOut)
	}
	a.record, a.batch = lines[2][0], strings.Fields(out)[1]
	return a
}

// call makes one request as user ("" for no token) and returns the status
// and body, which it checks against web/openapi.json.
func (a *accessBundle) call(t *testing.T, user, method, path string, body any) (int, string) {
	var rd io.Reader
	if body != nil {
		j, _ := json.Marshal(body)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, a.url+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+a.tokens[user])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	out := apiContract(t).CheckResponse(t, resp)
	return resp.StatusCode, string(out)
}

// expect checks each user's status code: want[user] when listed, else 403
// (401 for no token).
func (a *accessBundle) expect(t *testing.T, method, path string, body any, want map[string]int) {
	t.Helper()
	for _, u := range append([]string{""}, userNames()...) {
		wantCode, ok := want[u]
		if !ok {
			wantCode = http.StatusForbidden
			if u == "" {
				wantCode = http.StatusUnauthorized
			}
		}
		if code, out := a.call(t, u, method, path, body); code != wantCode {
			t.Errorf("%s %s as %q: %d, want %d (%.120s)", method, path, u, code, wantCode, out)
		}
	}
}

func userNames() []string {
	var out []string
	for _, u := range accessUsers {
		out = append(out, u.name)
	}
	return out
}

// TestAuthorization calls every endpoint as every role, for own and other
// agency and own and other holder, and asserts the exact allowed set. Out
// of scope is 404, like a missing record.
func TestAuthorization(t *testing.T) {
	t.Parallel()
	a := setupAccess(t)
	rec := "/api/v1/records/" + a.record
	ok, nf := http.StatusOK, http.StatusNotFound
	a.expect(t, "GET", rec, nil, map[string]int{"admin2": ok, "clerkA": ok, "clerkB": nf, "handlerA": ok,
		"handlerB": nf, "own": ok, "other": nf})
	a.expect(t, "GET", rec+"/pdf", nil, map[string]int{"admin2": ok, "clerkA": ok, "clerkB": nf, "handlerA": ok,
		"handlerB": nf, "own": ok, "other": nf})
	a.expect(t, "GET", "/api/v1/batches/"+a.batch, nil, map[string]int{"admin2": ok, "clerkA": ok, "clerkB": nf})
	a.expect(t, "GET", "/api/v1/me/records", nil, map[string]int{"own": ok, "other": ok})
	a.expect(t, "GET", "/api/v1/me/shares", nil, map[string]int{"own": ok, "other": ok})
	a.expect(t, "GET", "/api/v1/audit", nil, map[string]int{"admin2": ok, "auditor": ok})
	a.expect(t, "POST", "/api/v1/batches", nil, map[string]int{"admin2": 400, "clerkA": 400, "clerkB": 400})
	a.expect(t, "PUT", rec+"/metadata", map[string]any{"doc_name": ""}, map[string]int{"admin2": 400, "clerkA": 400, "clerkB": nf})
	a.expect(t, "GET", rec+"/corrections", nil, map[string]int{"admin2": ok, "clerkA": ok, "clerkB": nf, "handlerA": ok,
		"handlerB": nf, "own": ok, "other": nf})
	a.expect(t, "GET", "/api/v1/search?q=nguyen+van+duc", nil, map[string]int{"admin2": ok, "clerkA": ok, "clerkB": ok,
		"handlerA": ok, "handlerB": ok, "own": ok, "other": ok})
	a.searchSees(t, map[string]bool{"admin2": true, "clerkA": true, "clerkB": false, "handlerA": true,
		"handlerB": false, "own": true, "other": false})

	// The citizen shares the record with UBND-HN for one dossier: its
	// handler now sees it, in search too; the other citizen cannot share it.
	share := map[string]string{"agency": "UBND-HN", "dossier_code": "H12.1-261122-0001", "until": "2099-12-31"}
	a.expect(t, "POST", rec+"/shares", share, map[string]int{"own": http.StatusCreated, "other": nf})
	a.expect(t, "GET", rec, nil, map[string]int{"admin2": ok, "clerkA": ok, "clerkB": nf, "handlerA": ok,
		"handlerB": ok, "own": ok, "other": nf})
	a.searchSees(t, map[string]bool{"admin2": true, "clerkA": true, "clerkB": false, "handlerA": true,
		"handlerB": true, "own": true, "other": false})

	// Revoking ends it.
	_, body := a.call(t, "own", "GET", "/api/v1/me/shares", nil)
	var shares []struct{ ID string }
	json.Unmarshal([]byte(body), &shares)
	if len(shares) != 1 {
		t.Fatalf("me/shares: %s", body)
	}
	a.expect(t, "DELETE", "/api/v1/shares/"+shares[0].ID, nil, map[string]int{"own": ok, "other": nf})
	if code, _ := a.call(t, "handlerB", "GET", rec, nil); code != nf {
		t.Errorf("after revoking, handlerB gets %d, want 404", code)
	}
}

// searchSees checks who finds the record by searching, and that totals
// count only what each caller may see.
func (a *accessBundle) searchSees(t *testing.T, want map[string]bool) {
	t.Helper()
	for user, sees := range want {
		_, body := a.call(t, user, "GET", "/api/v1/search?q=nguyen+van+duc", nil)
		var res struct {
			Total   int
			Records []struct{ ID string }
		}
		json.Unmarshal([]byte(body), &res)
		found := slices.ContainsFunc(res.Records, func(r struct{ ID string }) bool { return r.ID == a.record })
		if found != sees || (res.Total > 0) != sees {
			t.Errorf("search as %s: found=%v total=%d, want found=%v", user, found, res.Total, sees)
		}
	}
}

// TestAuditVerify: views, downloads, shares and refused requests are
// audited in a chain; editing one row is reported at that entry.
func TestAuditVerify(t *testing.T) {
	t.Parallel()
	a := setupAccess(t)
	for _, u := range []string{"own", "other", ""} {
		a.call(t, u, "GET", "/api/v1/records/"+a.record, nil)
	}
	a.call(t, "own", "GET", "/api/v1/records/"+a.record+"/pdf", nil)
	code, body := a.call(t, "auditor", "GET", "/api/v1/audit", nil)
	for _, action := range []string{`"ingest"`, `"view"`, `"download"`, `"denied"`} {
		if code != http.StatusOK || !strings.Contains(body, action) {
			t.Errorf("audit log lacks %s: %d %.300s", action, code, body)
		}
	}
	a.stop() // a stopping server signs a checkpoint over the whole chain
	if code, out, errOut := a.khoso(t, "audit", "verify"); code != 0 || !strings.Contains(errOut, "1 điểm kiểm tra/checkpoints: toàn vẹn / intact") {
		t.Fatalf("audit verify of an intact log exited %d: %s%s", code, out, errOut)
	}
	db, err := sqlstore.OpenSQLite(filepath.Join(a.data, "catalog.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	editRow(t, db, 3)
	code, out, errOut := a.khoso(t, "audit", "verify")
	if code == 0 || !strings.Contains(out, "entry 3 was changed") || !strings.Contains(errOut, "first broken entry: 3") {
		t.Errorf("audit verify after editing entry 3 exited %d:\n%s%s", code, out, errOut)
	}
	// Rewriting the whole chain after the edit is caught by the signed
	// checkpoint, which only the agency key can make.
	rechain(t, db)
	code, out, _ = a.khoso(t, "audit", "verify")
	if code == 0 || !strings.Contains(out, "checkpoint") {
		t.Errorf("audit verify of a rewritten chain exited %d:\n%s", code, out)
	}
}

// rechain recomputes every hash after an edit, as a forger with database
// access but no signing key would.
func rechain(t *testing.T, db *sql.DB) {
	st, err := sqlstore.New(sqlstore.Config{DB: db, Dialect: sqlstore.SQLiteDialect})
	if err != nil {
		t.Fatal(err)
	}
	var events []archive.AuditEvent
	st.AuditEvents(context.Background(), 0, func(e *archive.AuditEvent) error { events = append(events, *e); return nil })
	prev := ""
	for _, e := range events {
		e.PrevHash = prev
		e.Hash = archive.AuditHash(prev, &e)
		if _, err := db.Exec(`UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?`, e.PrevHash, e.Hash, e.Seq); err != nil {
			t.Fatal(err)
		}
		prev = e.Hash
	}
}

func editRow(t *testing.T, db *sql.DB, seq int) {
	res, err := db.Exec(`UPDATE audit_events SET detail = detail || ' (edited)' WHERE seq = ?`, seq)
	if n, _ := res.RowsAffected(); err != nil || n != 1 {
		t.Fatalf("edit audit row %d: %v", seq, err)
	}
}
