package assemble

import (
	"strings"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/ingest/scan"
)

// InfoOf is the Info dictionary of a record's PDF: its name and number as
// the title, its summary, issuer and codes.
func InfoOf(r *archive.Record) Info {
	m := r.Meta
	return Info{
		Title:    strings.TrimSpace(m.DocName + " " + m.Number),
		Subject:  m.Summary,
		Author:   m.Issuer,
		Keywords: strings.Join(nonEmpty(m.DocTypeCode, m.HolderName, m.HolderID, m.DossierCode), "; "),
		Creator:  "khoso",
		Created:  r.CreatedAt,
	}
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// PageOf is a stored normalised page, with its bytes, as Write takes it.
func PageOf(pg archive.Page, data []byte) Page {
	dpiY := pg.DPIY
	if dpiY == 0 {
		dpiY = pg.DPI
	}
	return Page{Format: scan.Format(pg.Format), Data: data, Width: pg.Width, Height: pg.Height,
		DPIX: pg.DPI, DPIY: dpiY, BlackIs1: pg.BlackIs1}
}
