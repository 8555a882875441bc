package ingest_test

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"slices"
	"testing"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/ingest"
	"github.com/khoso-vn/khoso/ingest/scan/scantest"
)

// checkPageViews reads every page's thumbnail and preview from the blob
// store and checks that each decodes as a JPEG of the right long side, in
// the page's proportions, gray or colour as wanted[page].
func checkPageViews(tb testing.TB, b *testBundle, r *archive.Record, gray []bool) {
	tb.Helper()
	for i, p := range r.Pages {
		for _, v := range []struct {
			what string
			ref  archive.Ref
			long int
		}{{"thumbnail", p.Thumb, 200}, {"preview", p.Preview, 1000}} {
			if v.ref == "" {
				tb.Errorf("page %d has no %s", p.N, v.what)
				continue
			}
			data, err := archive.ReadAll(context.Background(), b.blobs, v.ref)
			if err != nil {
				tb.Fatalf("page %d %s: %v", p.N, v.what, err)
			}
			img, err := jpeg.Decode(bytes.NewReader(data))
			if err != nil {
				tb.Fatalf("page %d %s does not decode: %v", p.N, v.what, err)
			}
			bd := img.Bounds()
			if max(bd.Dx(), bd.Dy()) != v.long {
				tb.Errorf("page %d %s is %dx%d, want %d on the long side", p.N, v.what, bd.Dx(), bd.Dy(), v.long)
			}
			if got, want := float64(bd.Dx())/float64(bd.Dy()), float64(p.Width)/float64(p.Height); got < want*0.98 || got > want*1.02 {
				tb.Errorf("page %d %s proportions %.3f, page's %.3f", p.N, v.what, got, want)
			}
			if _, isGray := img.(*image.Gray); isGray != gray[i] {
				tb.Errorf("page %d %s decodes as %T, want gray %t", p.N, v.what, img, gray[i])
			}
		}
	}
}

// TestPageViews: the pipeline stores a thumbnail and a preview for every
// page, colour for a colour scan, gray for a gray one and for 1-bit pages.
func TestPageViews(t *testing.T) {
	t.Parallel()
	b := setup(t)
	gray := scantest.WithJFIF(scantest.JPEG(t, scantest.Gray(scantest.A4Page()), 85), scantest.UnitsDPI, 200, 200)
	g4 := scantest.TIFF(t, scantest.TIFFPage{Img: scantest.Gray(scantest.A4PageAt(200, 1)), Compression: scantest.TIFFG4,
		Bilevel: true, DPI: 200})
	r := b.send(t, map[string][]byte{"p/1.jpg": a4JPEG(t), "p/2.jpg": gray, "p/3.tif": g4}, "p")
	if r.Status != archive.StatusAvailable || len(r.Pages) != 3 {
		t.Fatalf("record %s %q with %d pages, want available with 3", r.Status, r.Reason, len(r.Pages))
	}
	checkPageViews(t, b, r, []bool{false, true, true})
}

// TestViewsBackfill: a record normalised before pages had views (its refs
// cleared here) gets the same views from a page_views job, made from its
// stored normalised pages; the job run again changes nothing.
func TestViewsBackfill(t *testing.T) {
	t.Parallel()
	b := setup(t)
	g4 := scantest.TIFF(t, scantest.TIFFPage{Img: scantest.Gray(scantest.A4PageAt(200, 1)), Compression: scantest.TIFFG4,
		Bilevel: true, BlackIsZero: true, DPI: 200})
	r := b.send(t, map[string][]byte{"p/1.jpg": a4JPEG(t), "p/2.tif": g4}, "p")
	if r.Status != archive.StatusAvailable || len(r.Pages) != 2 {
		t.Fatalf("record %s %q with %d pages, want available with 2", r.Status, r.Reason, len(r.Pages))
	}
	ctx := context.Background()
	old := slices.Clone(r.Pages)
	for i := range r.Pages {
		r.Pages[i].Thumb, r.Pages[i].Preview = "", ""
	}
	enqueue := ingest.NewEnqueueFunc(b.client, sqliteTx)
	err := b.catalog.Update(ctx, func(tx archive.CatalogTx) error {
		if err := tx.UpdateRecord(ctx, r); err != nil {
			return err
		}
		return enqueue(ctx, tx, ingest.ViewsArgs{RecordID: r.ID})
	})
	if err != nil {
		t.Fatal(err)
	}
	b.waitIdle(t)
	got, err := b.catalog.Record(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range got.Pages {
		if p.Thumb != old[i].Thumb || p.Preview != old[i].Preview {
			t.Errorf("page %d: backfilled views %s %s, normalise made %s %s", p.N, p.Thumb, p.Preview, old[i].Thumb, old[i].Preview)
		}
	}
	checkPageViews(t, b, got, []bool{false, true})
	if err := ingest.ViewsFunc(b.catalog, enqueue)(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	b.waitIdle(t)
	again, err := b.catalog.Record(ctx, r.ID)
	if err != nil || !again.UpdatedAt.Equal(got.UpdatedAt) {
		t.Errorf("page_views again changed the record: %v, updated %v then %v", err, got.UpdatedAt, again.UpdatedAt)
	}
}
