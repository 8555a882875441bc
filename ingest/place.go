package ingest

import (
	"context"
	"fmt"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/ingest/assemble"
	"github.com/khoso-vn/khoso/signing"
	"github.com/khoso-vn/khoso/signing/stamp"
	"github.com/khoso-vn/khoso/signing/stamp/place"
)

// minSignaturePt is the smallest signature text that stays legible on
// paper, in points.
const minSignaturePt = 7

// placeSignatures finds blank paper on page 1 for the signature boxes, in
// order (each clear of the ones before), near their corners (TopLeft or
// TopRight by their Position), sets their Rect, and returns where they
// went. A box that had to leave the top of the page, or could find no
// blank place, is noted on page 1 for the clerk's batch report.
func (p *pipeline) placeSignatures(ctx context.Context, r *archive.Record, pdf []byte, boxes ...*signing.VisibleText) ([]place.Placement, error) {
	if len(r.Pages) == 0 {
		return nil, fmt.Errorf("ingest: record %s has no pages: %w", r.ID, archive.ErrInvalid)
	}
	data, err := archive.ReadAll(ctx, p.Blobs, r.Pages[0].Normalised)
	if err != nil {
		return nil, err
	}
	img, err := assemble.PageOf(r.Pages[0], data).Image()
	if err != nil {
		return nil, fmt.Errorf("ingest: page 1 of %s: %w", r.ID, err)
	}
	pw, ph, err := stamp.PageSize(pdf)
	if err != nil {
		return nil, fmt.Errorf("ingest: page 1 of %s: %w", r.ID, err)
	}
	blocks := make([]place.Block, len(boxes))
	for i, v := range boxes {
		w, h, err := v.BoxSize()
		if err != nil {
			return nil, fmt.Errorf("ingest: signature text: %w", err)
		}
		size := v.Size
		if size <= 0 {
			size = 10
		}
		blocks[i] = place.Block{Name: signatureName(v.Position), W: w, H: h, MinScale: min(1, minSignaturePt/size)}
		if v.Position == signing.TopRight {
			blocks[i].Corner = place.TopRight
		}
	}
	placed := place.Find(place.InkOf(img, pw, ph), blocks)
	for i, pl := range placed {
		boxes[i].Rect = &signing.Rect{X: pl.X, Y: pl.Y, W: pl.W, H: pl.H}
		p.log().Info("signature box placed", "record", r.ID, "box", pl.Name, "x", pl.X, "y", pl.Y, "w", pl.W, "h", pl.H,
			"scale", pl.Scale, "where", pl.Where, "text", pl.String())
		if pl.Where >= place.Elsewhere {
			r.Pages[0].Notes = joinNotes(r.Pages[0].Notes, pl.String())
		}
	}
	return placed, nil
}

// signatureName names a signature box for the record.
func signatureName(pos signing.Position) string {
	if pos == signing.TopRight {
		return "chữ ký cơ quan / agency's signature"
	}
	return "chữ ký người quét / clerk's signature"
}

func joinNotes(notes, note string) string {
	if notes == "" {
		return note
	}
	return notes + "; " + note
}
