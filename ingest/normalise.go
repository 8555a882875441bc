package ingest

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/riverqueue/river"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/ingest/scan"
)

// NormaliseArgs asks to normalise every page of a received record.
type NormaliseArgs struct {
	RecordID string `json:"record_id"`
}

// Kind implements river.JobArgs.
func (NormaliseArgs) Kind() string { return "normalise" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (NormaliseArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueCPU, MaxAttempts: maxAttempts}
}

// NormaliseWorker decodes each page, applies its orientation, checks it, and
// stores the page as it will go into the PDF, with its thumbnail and
// preview. A received record with a reason (its manifest row's metadata is
// wrong) then waits in needs_metadata instead of going on to assemble.
type NormaliseWorker struct {
	river.WorkerDefaults[NormaliseArgs]
	p *pipeline
}

// Work implements river.Worker.
func (w *NormaliseWorker) Work(ctx context.Context, job *river.Job[NormaliseArgs]) error {
	return w.p.advance(ctx, job.JobRow, "normalise", job.Args.RecordID, archive.StatusReceived, w.normalise)
}

func (w *NormaliseWorker) normalise(ctx context.Context, r *archive.Record) (river.JobArgs, error) {
	if len(r.Pages) == 0 {
		return nil, permanent(fmt.Errorf("hồ sơ không có trang nào / the document has no pages"))
	}
	var pages []archive.Page
	var when scanTime
	for _, file := range r.Pages {
		data, err := archive.ReadAll(ctx, w.p.Blobs, file.Original)
		if err != nil {
			return nil, err
		}
		opt := w.p.Scan
		opt.ConfirmedDPI = file.DPI // from the manifest, before normalisation
		err = scan.Pages(data, file.Name, opt, func(out *scan.Page) error {
			if err := dpiPolicy(out); err != nil {
				return permanent(err)
			}
			when.see(out)
			ref, err := archive.PutBytes(ctx, w.p.Blobs, out.Data)
			if err != nil {
				return err
			}
			thumb, preview, err := putViews(ctx, w.p.Blobs, out)
			if err != nil {
				return err
			}
			name := file.Name
			if out.Number > 1 {
				name = fmt.Sprintf("%s#%d", file.Name, out.Number)
			}
			pages = append(pages, archive.Page{N: len(pages) + 1, Name: name, Original: file.Original, Normalised: ref,
				Format: string(out.Format), Width: out.Width, Height: out.Height, DPI: out.DPIX, DPIY: out.DPIY,
				BlackIs1: out.BlackIs1, Notes: notes(out.Flags), Thumb: thumb, Preview: preview})
			return nil
		})
		if err != nil {
			// The document's page where the fault is, and the file the clerk sent.
			err = fmt.Errorf("trang %d (%s) / page %d (%s): %w", len(pages)+1, file.Name, len(pages)+1, file.Name, err)
			var se *scan.Error
			if errors.As(err, &se) {
				return nil, permanent(err)
			}
			return nil, err
		}
	}
	r.Pages, r.Status = pages, archive.StatusNormalised
	when.apply(r)
	if r.Reason != "" {
		// The manifest row's metadata is wrong (Accept kept why): the
		// pages can be seen, and the record waits for a clerk.
		r.Status = archive.StatusNeedsMetadata
		return nil, nil
	}
	return AssembleArgs{RecordID: r.ID}, nil
}

// putViews stores a page's thumbnail and preview.
func putViews(ctx context.Context, blobs archive.BlobStore, p *scan.Page) (thumb, preview archive.Ref, err error) {
	if thumb, err = putView(ctx, blobs, p.Thumb); err != nil {
		return "", "", err
	}
	preview, err = putView(ctx, blobs, p.Preview)
	return thumb, preview, err
}

// putView stores one view; one scan did not make (its size disabled) has
// no ref.
func putView(ctx context.Context, blobs archive.BlobStore, v scan.View) (archive.Ref, error) {
	if v.Data == nil {
		return "", nil
	}
	return archive.PutBytes(ctx, blobs, v.Data)
}

// dpiPolicy refuses a page whose resolution is missing or below the legal
// minimum (200 dpi): the clerk must rescan it, or state its resolution in
// the file, since a PDF at the wrong scale is not 100% of the paper.
func dpiPolicy(p *scan.Page) error {
	switch {
	case p.Flags.NoDPI:
		return fmt.Errorf("trang %d: ảnh không ghi độ phân giải (dpi): hãy ghi độ phân giải khi quét vào cột dpi "+
			"của bảng kê, hoặc quét lại ở 200–300 dpi / page %d: the image declares no resolution (dpi): write the "+
			"resolution it was scanned at in the manifest's dpi column, or rescan it at 200–300 dpi", p.Number, p.Number)
	case p.Flags.LowDPI && p.Flags.DPIConfirmed:
		return fmt.Errorf("trang %d: độ phân giải %.0f dpi theo bảng kê dưới mức tối thiểu 200 dpi, hãy quét lại / "+
			"page %d: the manifest's %.0f dpi is below the 200 dpi minimum; rescan it", p.Number, p.DPIX, p.Number, p.DPIX)
	case p.Flags.LowDPI:
		return fmt.Errorf("trang %d: ảnh ghi độ phân giải %.0f dpi, dưới mức tối thiểu 200 dpi: nếu ảnh thực tế được quét "+
			"ở 200 dpi trở lên, hãy ghi vào cột dpi của bảng kê; nếu không, hãy quét lại / page %d: the image declares "+
			"%.0f dpi, below the 200 dpi minimum: if it was really scanned at 200 dpi or more, write that in the "+
			"manifest's dpi column; otherwise rescan it", p.Number, p.DPIX, p.Number, p.DPIX)
	}
	return nil
}

// notes lists a page's facts for the batch report, never silently.
func notes(f scan.Flags) string {
	var out []string
	if f.DPIConfirmed {
		out = append(out, "độ phân giải theo bảng kê / dpi as confirmed in the manifest")
	}
	if f.Blank {
		out = append(out, "trang trắng / blank page")
	}
	if f.Deskewed != 0 {
		out = append(out, fmt.Sprintf("đã chỉnh nghiêng / deskewed %.1f°", f.Deskewed))
	}
	if f.Resampled {
		out = append(out, "đã giảm độ phân giải / resampled down")
	}
	return strings.Join(out, "; ")
}
