package ingest_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"image"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"database/sql"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/archive/localdisk"
	"github.com/khoso-vn/khoso/archive/sqlstore"
	"github.com/khoso-vn/khoso/ingest"
	"github.com/khoso-vn/khoso/ingest/scan/scantest"
	"github.com/khoso-vn/khoso/migrations"
	"github.com/khoso-vn/khoso/search"
	"github.com/khoso-vn/khoso/signing"
)

// testBundle is a running pipeline on real SQLite, disk, signing and index.
type testBundle struct {
	roots   *x509.CertPool
	catalog *sqlstore.Store
	blobs   archive.BlobStore
	client  *river.Client[*sql.Tx]
	intake  *ingest.Intake
	signer  *signing.Signer // the agency's
	clerks  *clerkLog       // what the clerks' signatures showed
	index   *search.Index
}

// clerkLog records the visible lines of every clerk signature, by clerk.
type clerkLog struct {
	mu    sync.Mutex
	lines map[string][]string
}

// recordingSigner is a clerk's signer that logs its visible lines.
type recordingSigner struct {
	*signing.Signer
	name string
	log  *clerkLog
}

// SignDocument implements ingest.Signer.
func (s recordingSigner) SignDocument(ctx context.Context, d *signing.Document, opts signing.SignOptions) error {
	if opts.Visible != nil {
		s.log.mu.Lock()
		s.log.lines[s.name] = opts.Visible.Lines
		s.log.mu.Unlock()
	}
	return s.Signer.SignDocument(ctx, d, opts)
}

// of returns the lines the clerk's last signature showed.
func (l *clerkLog) of(name string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lines[name]
}

func setup(tb testing.TB) *testBundle { return setupWith(tb, time.Now) }

// setupWith runs the pipeline on the clock now.
func setupWith(tb testing.TB, now func() time.Time) *testBundle { return setupWrapped(tb, now, nil) }

// setupWrapped runs the pipeline on the clock now, its stages seeing the
// catalog through wrap (when not nil).
func setupWrapped(tb testing.TB, now func() time.Time, wrap func(archive.Catalog) archive.Catalog) *testBundle {
	tb.Helper()
	ctx := context.Background()
	dir := tb.TempDir()
	db, err := sqlstore.OpenSQLite(filepath.Join(dir, "catalog.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := migrations.Up(ctx, db, migrations.SQLite); err != nil {
		tb.Fatal(err)
	}
	m, err := rivermigrate.New(riversqlite.New(db), nil)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		tb.Fatal(err)
	}
	cat, err := sqlstore.New(sqlstore.Config{DB: db, Dialect: sqlstore.SQLiteDialect})
	if err != nil {
		tb.Fatal(err)
	}
	blobs, err := localdisk.New(localdisk.Config{Dir: filepath.Join(dir, "blobs")})
	if err != nil {
		tb.Fatal(err)
	}
	dev, err := signing.EnsureDevelopmentIdentity(filepath.Join(dir, "signing"), "Sở Tài nguyên và Môi trường", time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	tsaHandler, err := signing.NewTSA(dev.TSA, time.Now)
	if err != nil {
		tb.Fatal(err)
	}
	tsa := httptest.NewServer(tsaHandler)
	tb.Cleanup(tsa.Close)
	signer, err := signing.NewSigner(signing.Config{Identity: dev.Agency, TSAURL: tsa.URL})
	if err != nil {
		tb.Fatal(err)
	}
	idx, err := search.Open(search.Config{Dir: filepath.Join(dir, "index")})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { idx.Close() })
	workers := river.NewWorkers()
	var client *river.Client[*sql.Tx]
	enqueue := func(ctx context.Context, tx archive.CatalogTx, args river.JobArgs) error {
		return ingest.NewEnqueueFunc(client, sqliteTx)(ctx, tx, args)
	}
	clerks := &clerkLog{lines: map[string][]string{}}
	clerk := func(ctx context.Context, name string) (ingest.Signer, error) {
		id, err := signing.IssueDevelopmentPerson(dev, name, time.Now())
		if err != nil {
			return nil, err
		}
		sg, err := signing.NewSigner(signing.Config{Identity: id, TSAURL: tsa.URL})
		return recordingSigner{Signer: sg, name: name, log: clerks}, err
	}
	var stages archive.Catalog = cat
	if wrap != nil {
		stages = wrap(cat)
	}
	if err := ingest.AddWorkers(workers, ingest.PipelineConfig{Catalog: stages, Blobs: blobs, Signer: signer, Index: idx,
		Enqueue: enqueue, ClerkSigner: clerk, AgencyName: "Sở Tài nguyên và Môi trường tỉnh Đồng Nai", AgencyCode: testAgency, Now: now}); err != nil {
		tb.Fatal(err)
	}
	client, err = river.NewClient(riversqlite.New(db), &river.Config{
		Queues: map[string]river.QueueConfig{ingest.QueueCPU: {MaxWorkers: 2}, ingest.QueueSign: {MaxWorkers: 1},
			ingest.QueueIO: {MaxWorkers: 2}, ingest.QueueIndex: {MaxWorkers: 1}},
		Workers:           workers,
		FetchCooldown:     10 * time.Millisecond,
		FetchPollInterval: 20 * time.Millisecond,
	})
	if err != nil {
		tb.Fatal(err)
	}
	if err := client.Start(ctx); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		client.Stop(stopCtx)
	})
	in, err := ingest.NewIntake(ingest.IntakeConfig{Catalog: cat, Blobs: blobs,
		Enqueue: ingest.NewEnqueueFunc(client, sqliteTx), SpoolDir: dir})
	if err != nil {
		tb.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(dev.CA)
	return &testBundle{catalog: cat, blobs: blobs, client: client, intake: in, roots: roots, signer: signer, clerks: clerks, index: idx}
}

// testAgency is the pipeline's own agency code.
const testAgency = "STNMT-DN"

// sqliteTx finds the database/sql transaction River uses on SQLite.
func sqliteTx(tx archive.CatalogTx) (*sql.Tx, error) { return tx.(*sqlstore.Tx).SQLTx(), nil }

// send stores pages and accepts a one-row batch naming them.
func (b *testBundle) send(tb testing.TB, pages map[string][]byte, files string) *archive.Record {
	tb.Helper()
	return b.sendManifest(tb, pages, "file,doc_name,number,issued_on,issuer,holder_name\n"+
		files+",Giấy phép khai thác nước,12/GP-UBND,01/02/2021,UBND tỉnh Đồng Nai,Hồ Văn Bảy\n")
}

// sendManifest stores pages and accepts a batch with a one-row manifest.
func (b *testBundle) sendManifest(tb testing.TB, pages map[string][]byte, manifest string) *archive.Record {
	tb.Helper()
	return b.sendAs(tb, "test", archive.RoleClerk, pages, manifest)
}

// sendAs is sendManifest by an uploader of that name and role.
func (b *testBundle) sendAs(tb testing.TB, uploader string, role archive.Role, pages map[string][]byte, manifest string) *archive.Record {
	tb.Helper()
	ctx := context.Background()
	up, err := b.intake.NewUpload()
	if err != nil {
		tb.Fatal(err)
	}
	defer up.Close()
	in := ingest.BatchInput{CreatedBy: uploader, UploaderRole: role, Files: map[string]archive.Ref{}, Upload: up}
	for name, data := range pages {
		ref, _, err := up.Add(ctx, bytes.NewReader(data), "")
		if err != nil {
			tb.Fatal(err)
		}
		in.Files[name] = ref
	}
	rows, err := ingest.ParseManifest(strings.NewReader(manifest))
	if err != nil {
		tb.Fatal(err)
	}
	in.Rows = rows
	batch, err := b.intake.Accept(ctx, in)
	if err != nil {
		tb.Fatal(err)
	}
	recs, err := b.catalog.BatchRecords(ctx, batch.ID)
	if err != nil || len(recs) != 1 {
		tb.Fatalf("BatchRecords = %v, %v", recs, err)
	}
	return b.waitDone(tb, recs[0].ID)
}

// waitDone waits until the record is available or failed.
func (b *testBundle) waitDone(tb testing.TB, id string) *archive.Record {
	tb.Helper()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		r, err := b.catalog.Record(context.Background(), id)
		if err != nil {
			tb.Fatal(err)
		}
		if r.Status.Done() {
			return r
		}
	}
	tb.Fatalf("record %s not done after a minute", id)
	return nil
}

// waitIdle waits until no job is waiting or running.
func (b *testBundle) waitIdle(tb testing.TB) {
	tb.Helper()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		res, err := b.client.JobList(context.Background(), river.NewJobListParams().
			States(rivertype.JobStateAvailable, rivertype.JobStateRunning, rivertype.JobStateRetryable))
		if err != nil {
			tb.Fatal(err)
		}
		if len(res.Jobs) == 0 {
			return
		}
	}
	tb.Fatal("jobs still pending after a minute")
}

// jobs returns the jobs of a kind, in any state.
func (b *testBundle) jobs(tb testing.TB, kind string) []*rivertype.JobRow {
	tb.Helper()
	res, err := b.client.JobList(context.Background(), river.NewJobListParams().Kinds(kind).First(100))
	if err != nil {
		tb.Fatal(err)
	}
	return res.Jobs
}

func a4JPEG(tb testing.TB) []byte {
	return scantest.WithJFIF(scantest.JPEG(tb, scantest.A4Page(), 85), scantest.UnitsDPI, 200, 200)
}

// TestRedeliveredJobsChangeNothing runs every stage again on an available
// record, as River does after a crash between a stage's commit and the
// job's completion: nothing may change and no further job may follow.
func TestRedeliveredJobsChangeNothing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	page := a4JPEG(t)
	r := b.send(t, map[string][]byte{"p/1.jpg": page, "p/2.jpg": page}, "p")
	if r.Status != archive.StatusAvailable || len(r.Pages) != 2 || r.Result == "" {
		t.Fatalf("record = %+v, want available with 2 pages and a result", r)
	}
	if r.Pages[0].Normalised != r.Pages[0].Original {
		t.Errorf("a straight 200-dpi JPEG page was re-encoded")
	}
	ctx := context.Background()
	err := b.catalog.Update(ctx, func(tx archive.CatalogTx) error {
		for _, args := range []river.JobArgs{ingest.NormaliseArgs{RecordID: r.ID}, ingest.AssembleArgs{RecordID: r.ID},
			ingest.SignArgs{RecordID: r.ID}, ingest.StoreArgs{RecordID: r.ID}, ingest.IndexArgs{RecordID: r.ID}} {
			if _, err := b.client.InsertTx(ctx, tx.(*sqlstore.Tx).SQLTx(), args, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	b.waitIdle(t)
	again, err := b.catalog.Record(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again.Result != r.Result || !again.UpdatedAt.Equal(r.UpdatedAt) || again.Status != archive.StatusAvailable {
		t.Errorf("after redelivery: %+v\nbefore: %+v", again, r)
	}
	for _, kind := range []string{"normalise", "assemble", "sign", "store", "index"} {
		jobs := b.jobs(t, kind)
		if len(jobs) != 2 {
			t.Errorf("%d %s jobs, want 2 (the original and the redelivered one)", len(jobs), kind)
		}
		for _, j := range jobs {
			if j.State != rivertype.JobStateCompleted {
				t.Errorf("%s job %d is %s, want completed", kind, j.ID, j.State)
			}
		}
	}
}

// TestCorruptPageFailsItsDocument: a truncated page fails the record with a
// reason naming the page, and the job is cancelled, not retried.
func TestCorruptPageFailsItsDocument(t *testing.T) {
	t.Parallel()
	b := setup(t)
	page := a4JPEG(t)
	r := b.send(t, map[string][]byte{"d/1.jpg": page, "d/2.jpg": page[:len(page)/2]}, "d")
	if r.Status != archive.StatusFailed || !strings.Contains(r.Reason, "d/2.jpg") || !strings.Contains(r.Reason, "trang 2") {
		t.Fatalf("record = %s %q, want failed naming page 2 (d/2.jpg)", r.Status, r.Reason)
	}
	b.waitIdle(t)
	jobs := b.jobs(t, "normalise")
	if len(jobs) != 1 || jobs[0].State != rivertype.JobStateCancelled || jobs[0].Attempt != 1 {
		t.Fatalf("normalise jobs: %d, first %+v; want one cancelled after one attempt", len(jobs), *jobs[0])
	}
	if got := b.jobs(t, "assemble"); len(got) != 0 {
		t.Fatalf("a failed record went on to assembly: %+v", got)
	}
}

// TestMissingFileFailsAtIntake: a row naming a file that was not sent is
// recorded failed at once, and no job is enqueued for it.
func TestMissingFileFailsAtIntake(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := b.send(t, map[string][]byte{"x/1.jpg": a4JPEG(t)}, "y")
	if r.Status != archive.StatusFailed || !strings.Contains(r.Reason, `file "y" was not found`) {
		t.Fatalf("record = %s %q", r.Status, r.Reason)
	}
	if got := b.jobs(t, "normalise"); len(got) != 0 {
		t.Fatalf("jobs enqueued for a failed row: %+v", got)
	}
}

// TestRenewalAddsDocumentTimestamp runs the renewal job on a fake clock:
// nothing is due today; when the TSA certificate (valid three years) is
// within the margin, the result gets a new document timestamp that
// validates, and the old result stays in the record's history.
func TestRenewalAddsDocumentTimestamp(t *testing.T) {
	t.Parallel()
	var offset atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	b := setupWith(t, now)
	r := b.send(t, map[string][]byte{"p/1.jpg": a4JPEG(t)}, "p")
	renew := func() *archive.Record {
		ctx := context.Background()
		if _, err := b.client.Insert(ctx, ingest.RenewArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		b.waitIdle(t)
		got, err := b.catalog.Record(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	signed, err := archive.ReadAll(context.Background(), b.blobs, r.Result)
	if err != nil {
		t.Fatal(err)
	}
	if until, _, err := signing.TrustedUntil(signed); err != nil || r.ResultTrustedUntil.IsZero() || !r.ResultTrustedUntil.Equal(until) {
		t.Fatalf("signed result trusted until %v, want %v (%v)", r.ResultTrustedUntil, until, err)
	}
	if got := renew(); got.Result != r.Result {
		t.Fatalf("renewed a fresh result: %s → %s", r.Result, got.Result)
	}
	offset.Store(int64(3*365*24*time.Hour - 30*24*time.Hour))
	got := renew()
	if got.Result == r.Result {
		t.Fatal("result not renewed when its TSA certificate is about to expire")
	}
	pdf, err := archive.ReadAll(context.Background(), b.blobs, got.Result)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := signing.Verify(pdf, b.roots)
	if err != nil {
		t.Fatal(err)
	}
	last := rep.Signatures[len(rep.Signatures)-1]
	if !rep.Valid || len(rep.Signatures) != 4 || !last.DocumentTimestamp || !last.Valid {
		t.Fatalf("renewed result: valid=%v, %d signatures, last %+v; want valid with a new document timestamp last\n%s",
			rep.Valid, len(rep.Signatures), last, rep.Text())
	}
	if recs, err := b.catalog.RecordsByResult(context.Background(), r.Result); err != nil || len(recs) != 1 {
		t.Fatalf("the replaced result no longer names its record: %v, %v", recs, err)
	}
}

// TestMultiPageTIFF: one G4 TIFF of three pages, the last an empty back,
// becomes three pages kept as 1-bit G4, the blank one noted, not dropped.
func TestMultiPageTIFF(t *testing.T) {
	t.Parallel()
	b := setup(t)
	text := scantest.Gray(scantest.A4PageAt(200, 1))
	blank := image.NewGray(text.Bounds())
	for i := range blank.Pix {
		blank.Pix[i] = 255
	}
	tiff := scantest.TIFF(t,
		scantest.TIFFPage{Img: text, Compression: scantest.TIFFG4, Bilevel: true, DPI: 200, DateTime: "2026:03:04 09:15:30"},
		scantest.TIFFPage{Img: text, Compression: scantest.TIFFG4, Bilevel: true, DPI: 200},
		scantest.TIFFPage{Img: blank, Compression: scantest.TIFFG4, Bilevel: true, DPI: 200})
	r := b.send(t, map[string][]byte{"quet.tif": tiff}, "quet.tif")
	if r.Status != archive.StatusAvailable || len(r.Pages) != 3 {
		t.Fatalf("record %s %q with %d pages, want available with 3", r.Status, r.Reason, len(r.Pages))
	}
	if r.Meta.ScannedAtFrom != archive.ScanTimeTIFF || !r.Meta.ScannedAt.Equal(time.Date(2026, 3, 4, 2, 15, 30, 0, time.UTC)) {
		t.Errorf("scanned at %v from %q, want the first page's TIFF DateTime", r.Meta.ScannedAt, r.Meta.ScannedAtFrom)
	}
	for _, p := range r.Pages {
		if p.Format != "ccitt-g4" {
			t.Errorf("page %d is %s, want kept as ccitt-g4", p.N, p.Format)
		}
	}
	if !strings.Contains(r.Pages[2].Notes, "blank page") || r.Pages[0].Notes != "" {
		t.Errorf("notes %q / %q: want only the third page noted blank", r.Pages[0].Notes, r.Pages[2].Notes)
	}
	pdf, err := archive.ReadAll(context.Background(), b.blobs, r.Result)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(pdf, []byte("/CCITTFaxDecode")); n != 3 {
		t.Errorf("%d CCITTFaxDecode images in the PDF, want 3", n)
	}
}

// TestClerkConfirmsDPI: a scan whose file says 72 dpi (scanner software's
// default) is refused with a reason pointing to the manifest's dpi column;
// with the column filled in, it goes through at that resolution, noted.
func TestClerkConfirmsDPI(t *testing.T) {
	t.Parallel()
	b := setup(t)
	page := scantest.WithJFIF(scantest.JPEG(t, scantest.A4Page(), 85), scantest.UnitsDPI, 72, 72)
	r := b.send(t, map[string][]byte{"a/1.jpg": page}, "a")
	if r.Status != archive.StatusFailed || !strings.Contains(r.Reason, "72 dpi") || !strings.Contains(r.Reason, "dpi column") {
		t.Fatalf("record %s %q; want failed, naming 72 dpi and the manifest's dpi column", r.Status, r.Reason)
	}
	r = b.sendManifest(t, map[string][]byte{"b/1.jpg": page}, "Tệp,Tên giấy tờ,Số ký hiệu,Ngày cấp,Cơ quan cấp,Tên chủ hồ sơ,Độ phân giải (dpi)\n"+
		"b,Giấy phép xả thải,7/GP-STNMT,03/04/2022,Sở TNMT,Lê Văn Tám,200\n")
	if r.Status != archive.StatusAvailable || len(r.Pages) != 1 {
		t.Fatalf("record %s %q with %d pages; want available with 1", r.Status, r.Reason, len(r.Pages))
	}
	if p := r.Pages[0]; p.DPI != 200 || p.DPIY != 200 || !strings.Contains(p.Notes, "dpi as confirmed in the manifest") {
		t.Errorf("page at %gx%g dpi, notes %q; want 200 dpi, noted as confirmed", p.DPI, p.DPIY, p.Notes)
	}
}

// TestAgencylessRecordIndexedAsOwn: a record of no agency (sent before
// every batch had one) is indexed, and indexed again after a correction,
// as the server's own agency's, so that agency's handlers find it as a
// full rebuild would let them.
func TestAgencylessRecordIndexedAsOwn(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := b.send(t, map[string][]byte{"p1.jpg": a4JPEG(t)}, "p1.jpg")
	if r.Status != archive.StatusAvailable || r.Agency != "" {
		t.Fatalf("record %s agency %q: want available, of no agency", r.Status, r.Agency)
	}
	find := func(text string) uint64 {
		t.Helper()
		res, err := b.index.Search(context.Background(), search.Query{Text: text, Scope: search.Scope{Agencies: []string{testAgency}}})
		if err != nil {
			t.Fatal(err)
		}
		return res.Total
	}
	if n := find("Hồ Văn Bảy"); n != 1 {
		t.Fatalf("the agency's search finds %d records, want 1", n)
	}
	m := r.Meta
	m.HolderName = "Đinh Thị Tám"
	change := ingest.MetadataChange{Meta: m, Reason: "sai tên chủ hồ sơ", By: &archive.User{ID: "u1", Name: "Lê Thị Hoa", Role: archive.RoleClerk}}
	if _, err := b.intake.UpdateMetadata(context.Background(), r.ID, change); err != nil {
		t.Fatal(err)
	}
	b.waitIdle(t)
	if n := find("Đinh Thị Tám"); n != 1 {
		t.Errorf("after a correction the agency's search finds %d records, want 1", n)
	}
}
