package copies

import (
	"bytes"
	"context"
	"fmt"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/ingest/assemble"
	"github.com/khoso-vn/khoso/signing/stamp"
)

// render assembles the pages and stamps page 1.
func (c *Copier) render(ctx context.Context, rec *archive.Record, pages []archive.Page, cp *archive.Copy) ([]byte, error) {
	in := make([]assemble.Page, 0, len(pages))
	for _, pg := range pages {
		data, err := archive.ReadAll(ctx, c.cfg.Blobs, pg.Normalised)
		if err != nil {
			return nil, err
		}
		in = append(in, assemble.PageOf(pg, data))
	}
	info := assemble.InfoOf(rec)
	info.Title = formTitle(cp.Form) + ": " + info.Title
	info.Created = cp.IssuedAt // the copy's own creation, not the record's
	var buf bytes.Buffer
	if err := assemble.Write(&buf, in, info); err != nil {
		return nil, fmt.Errorf("copies: assemble copy: %w", err)
	}
	st, err := c.stamp(buf.Bytes(), rec, cp)
	if err != nil {
		return nil, err
	}
	return stamp.Apply(buf.Bytes(), st)
}

// stamp lays out the signature text and the QR code in the corners of
// page 1, 20 mm from its edges.
func (c *Copier) stamp(doc []byte, rec *archive.Record, cp *archive.Copy) (stamp.Stamp, error) {
	w, h, err := stamp.PageSize(doc)
	if err != nil {
		return stamp.Stamp{}, err
	}
	const margin, side = 42.0, 85.0 // points: 15 mm, 30 mm
	q, err := qrGray(c.qrPayload(rec, cp))
	if err != nil {
		return stamp.Stamp{}, err
	}
	return stamp.Stamp{
		Texts: []stamp.Text{
			{Lines: []string{formTitle(cp.Form), c.cfg.AgencyName, cp.IssuedAt.Format("02/01/2006 15:04:05 -07:00")},
				X: w - margin, Y: h - margin - 10, AlignRight: true},
			{Lines: []string{"Mã xác thực: " + cp.Code}, X: margin, Y: h - margin - side - 12, Size: 9},
		},
		Images: []stamp.Image{{Gray: q, X: margin, Y: h - margin - side, W: side, H: side}},
	}, nil
}
