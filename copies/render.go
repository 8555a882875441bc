package copies

import (
	"bytes"
	"context"
	"fmt"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/ingest/assemble"
	"github.com/khoso-vn/khoso/signing/stamp"
	"github.com/khoso-vn/khoso/signing/stamp/place"
)

// Sizes of what a copy's page 1 carries.
const (
	formPt      = 10  // the copy form, agency and time: Times 10 pt (Decree 30/2020)
	codePt      = 10  // the verification code under the QR code, at full size
	moduleMM    = 0.6 // a QR module at full size
	minModuleMM = 0.5 // the smallest module that still reads from paper and a 150-dpi scan
	quietZone   = 4   // modules of blank paper around the symbol (ISO/IEC 18004)
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
	st, placed, err := c.stamp(buf.Bytes(), in[0], rec, cp)
	if err != nil {
		return nil, err
	}
	for _, p := range placed {
		c.cfg.Logger.Info("copy stamp placed", "copy", cp.ID, "record", rec.ID, "block", p.Name, "x", p.X, "y", p.Y,
			"w", p.W, "h", p.H, "scale", p.Scale, "where", p.Where, "text", p.String())
	}
	return stamp.Apply(buf.Bytes(), st)
}

// stamp lays out page 1's blocks on blank paper of page (see package
// place): the copy form, the agency and the time near the top-right at
// 10 pt, and the QR code with the verification code under it near the
// top-left, as large as its richest payload that finds room. It returns
// the stamp and where each block went.
func (c *Copier) stamp(doc []byte, page assemble.Page, rec *archive.Record, cp *archive.Copy) (stamp.Stamp, []place.Placement, error) {
	w, h, err := stamp.PageSize(doc)
	if err != nil {
		return stamp.Stamp{}, nil, err
	}
	img, err := page.Image()
	if err != nil {
		return stamp.Stamp{}, nil, fmt.Errorf("copies: page 1: %w", err)
	}
	ink := place.InkOf(img, w, h)
	form := textBlock{lines: []string{formTitle(cp.Form), c.cfg.AgencyName, archive.VNTime(cp.IssuedAt)}, size: formPt}
	code := textBlock{lines: []string{"Mã xác thực:", cp.Code}, size: codePt}
	formB, err := form.block("văn bản sao / copy form", place.TopRight)
	if err != nil {
		return stamp.Stamp{}, nil, err
	}
	var placed []place.Placement
	var q qrBlock
	for _, text := range c.qrPayloads(rec, cp) {
		next, qerr := newQRBlock(text, code)
		if qerr != nil {
			err = qerr
			continue // too long even at error correction L: try a shorter payload
		}
		q, placed = next, place.Find(ink, []place.Block{formB, next.block})
		if placed[1].Where != place.OverInk {
			break
		}
	}
	if placed == nil {
		return stamp.Stamp{}, nil, err
	}
	return stamp.Stamp{
		Texts:   []stamp.Text{form.at(placed[0], true), q.code(placed[1])},
		Modules: []stamp.Modules{q.modules(placed[1])},
	}, placed, nil
}
