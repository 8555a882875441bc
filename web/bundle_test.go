package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/archive/localdisk"
	"github.com/khoso-vn/khoso/archive/sqlstore"
	"github.com/khoso-vn/khoso/copies"
	"github.com/khoso-vn/khoso/ingest"
	"github.com/khoso-vn/khoso/migrations"
	"github.com/khoso-vn/khoso/search"
	"github.com/khoso-vn/khoso/web/webtest"
)

// testBundle is a Server over a real SQLite catalog and a real local-disk
// blob store, with small fakes for the pipeline, the copier and the index.
type testBundle struct {
	srv     *Server
	cat     *sqlstore.Store
	blobs   archive.BlobStore
	root    string // the (primary) local-disk store's folder
	dir     string
	tokens  map[string]string // user name → token
	users   map[string]*archive.User
	copier  *fakeCopier
	mu      sync.Mutex
	damaged []archive.Ref
}

// setup builds a bundle with an admin, a clerk and a handler of agency A,
// a handler of agency B, and a citizen.
func setup(tb testing.TB, opts ...func(*Config)) *testBundle {
	return setupWith(tb, false, opts...)
}

// setupMirror is setup with a Mirror of two local-disk stores.
func setupMirror(tb testing.TB) *testBundle { return setupWith(tb, true) }

func setupWith(tb testing.TB, mirror bool, opts ...func(*Config)) *testBundle {
	tb.Helper()
	dir := tb.TempDir()
	db, err := sqlstore.OpenSQLite(filepath.Join(dir, "catalog.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := migrations.Up(context.Background(), db, migrations.SQLite); err != nil {
		tb.Fatal(err)
	}
	cat, err := sqlstore.New(sqlstore.Config{DB: db, Dialect: sqlstore.SQLiteDialect})
	if err != nil {
		tb.Fatal(err)
	}
	root := filepath.Join(dir, "blobs")
	var blobs archive.BlobStore = newDisk(tb, root)
	if mirror {
		blobs = &archive.Mirror{Primary: blobs, Replica: newDisk(tb, filepath.Join(dir, "replica"))}
	}
	b := &testBundle{cat: cat, blobs: blobs, root: root, dir: dir, tokens: map[string]string{}, users: map[string]*archive.User{}}
	b.copier = &fakeCopier{cat: cat}
	cfg := Config{Catalog: cat, Blobs: blobs, Intake: fakeIntake{}, Copier: b.copier, Index: fakeIndex{},
		Auditor:  &archive.Auditor{Catalog: cat, Sign: func([]byte) ([]byte, []byte, error) { return nil, nil, nil }, Every: 1 << 40},
		SpoolDir: dir, Damaged: func(ref archive.Ref) { b.mu.Lock(); b.damaged = append(b.damaged, ref); b.mu.Unlock() }}
	for _, o := range opts {
		o(&cfg)
	}
	if b.srv, err = New(cfg); err != nil {
		tb.Fatal(err)
	}
	for _, u := range []archive.User{
		{Name: "admin", Role: archive.RoleAdmin},
		{Name: "clerkA", Role: archive.RoleClerk, Agency: "A"},
		{Name: "handlerA", Role: archive.RoleHandler, Agency: "A"},
		{Name: "handlerB", Role: archive.RoleHandler, Agency: "B"},
		{Name: "citizen", Role: archive.RoleCitizen, HolderID: "001088012345"},
	} {
		b.addUser(tb, u)
	}
	return b
}

func (b *testBundle) addUser(tb testing.TB, u archive.User) {
	raw := make([]byte, 16)
	rand.Read(raw)
	token := hex.EncodeToString(raw)
	u.ID, u.CreatedAt = "u-"+u.Name, time.Now()
	err := b.cat.Update(context.Background(), func(tx archive.CatalogTx) error {
		return tx.CreateUser(context.Background(), &u, TokenHash(token))
	})
	if err != nil {
		tb.Fatal(err)
	}
	b.tokens[u.Name], b.users[u.Name] = token, &u
}

// record stores an available record of agency A held by the citizen, with
// pdf as its signed result, and returns it.
func (b *testBundle) record(tb testing.TB, pdf []byte) *archive.Record {
	tb.Helper()
	ctx := context.Background()
	ref, err := archive.PutBytes(ctx, b.blobs, pdf)
	if err != nil {
		tb.Fatal(err)
	}
	now := time.Now()
	batch := &archive.Batch{ID: archive.NewID("b", now), Agency: "A", CreatedAt: now}
	rec := &archive.Record{ID: archive.NewID("r", now), BatchID: batch.ID, Agency: "A", Row: 2, Status: archive.StatusAvailable,
		Meta: archive.Metadata{DocName: "Giấy phép môi trường", Number: "123/GP-UBND", IssuedOn: now, Issuer: "UBND",
			HolderID: "001088012345", HolderName: "Nguyễn Văn Đức"},
		Result: ref, Size: int64(len(pdf)), CreatedAt: now, UpdatedAt: now}
	err = b.cat.Update(ctx, func(tx archive.CatalogTx) error {
		if err := tx.CreateBatch(ctx, batch); err != nil {
			return err
		}
		return tx.CreateRecord(ctx, rec)
	})
	if err != nil {
		tb.Fatal(err)
	}
	return rec
}

// do sends a request as user ("" for none) and returns the recorded answer.
// An answer from the JSON API is checked against web/openapi.json.
func (b *testBundle) do(tb testing.TB, user string, r *http.Request) *httptest.ResponseRecorder {
	tb.Helper()
	if user != "" {
		r.Header.Set("Authorization", "Bearer "+b.tokens[user])
	}
	w := httptest.NewRecorder()
	b.srv.ServeHTTP(w, r)
	if strings.HasPrefix(r.URL.Path, apiPrefix) {
		apiContract(tb).CheckRecorder(tb, r, w)
	}
	return w
}

// apiContract is web/openapi.json, loaded once for every test.
func apiContract(tb testing.TB) *webtest.Contract {
	tb.Helper()
	c, err := loadContract()
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

var loadContract = sync.OnceValues(func() (*webtest.Contract, error) { return webtest.New(openAPIDoc) })

// jsonRequest is a request with a JSON body, which the contract check can
// read again.
func jsonRequest(method, path, body string) *http.Request {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(body)), nil }
	return r
}

// auditCount is how many entries the audit log holds.
func (b *testBundle) auditCount(tb testing.TB) int {
	n := 0
	err := b.cat.AuditEvents(context.Background(), 0, func(*archive.AuditEvent) error { n++; return nil })
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// fakeIntake takes nothing: the handlers under test here do not ingest.
type fakeIntake struct{}

func (fakeIntake) NewUpload() (*ingest.Upload, error) { return nil, archive.ErrInvalid }
func (fakeIntake) Accept(ctx context.Context, in ingest.BatchInput) (*archive.Batch, error) {
	return nil, archive.ErrInvalid
}
func (fakeIntake) UpdateMetadata(ctx context.Context, id string, ch ingest.MetadataChange) (*archive.Record, error) {
	return nil, archive.ErrInvalid
}

// fakeCopier registers a copy whose PDF is the record's own result.
type fakeCopier struct {
	cat    *sqlstore.Store
	mu     sync.Mutex
	issued int
}

func (f *fakeCopier) Issue(ctx context.Context, req copies.Request) (*archive.Copy, error) {
	rec, err := f.cat.Record(ctx, req.RecordID)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.issued++
	n := f.issued
	f.mu.Unlock()
	now := time.Now()
	form := req.Form
	if form == "" {
		form = archive.FormSaoY
	}
	cp := &archive.Copy{ID: archive.NewID("c", now), RecordID: rec.ID, Form: form, Pages: req.Pages, For: req.For,
		IssuedBy: req.IssuedBy, IssuedAt: now, Code: "CODE-" + hex.EncodeToString([]byte{byte(n >> 8), byte(n)}),
		Result: rec.Result, Size: rec.Size}
	return cp, f.cat.Update(ctx, func(tx archive.CatalogTx) error { return tx.CreateCopy(ctx, cp) })
}

// fakeIndex finds nothing.
type fakeIndex struct{}

func (fakeIndex) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	return &search.Result{}, nil
}
func (fakeIndex) Rebuild(ctx context.Context, docs search.DocsFunc) (search.BuildStats, error) {
	return search.BuildStats{}, nil
}

func newDisk(tb testing.TB, dir string) *localdisk.Store {
	st, err := localdisk.New(localdisk.Config{Dir: dir})
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

// blobPath is where the (primary) local-disk store keeps ref.
func (b *testBundle) blobPath(ref archive.Ref) string {
	h := ref.Hex()
	return filepath.Join(b.root, "sha256", h[0:2], h[2:4], h)
}

func (b *testBundle) primaryPath(ref archive.Ref) string { return b.blobPath(ref) }

func copiesRequest(recordID string) copies.Request {
	return copies.Request{RecordID: recordID, Form: archive.FormSaoY, For: "x"}
}

func mustPrefixes(tb testing.TB, ss ...string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range ss {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}
