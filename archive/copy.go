package archive

import "time"

// Copy forms (Decree 30/2020 Art. 25).
const (
	FormSaoY     = "sao-y"     // a full copy: "SAO Y"
	FormTrichSao = "trich-sao" // an extract of some pages: "TRÍCH SAO"
)

// Copy is a certified electronic copy issued from a record's signed result.
type Copy struct {
	ID       string    `json:"id"`
	RecordID string    `json:"record_id"`
	Form     string    `json:"form"`            // FormSaoY or FormTrichSao
	Pages    []int     `json:"pages,omitempty"` // the result's pages it holds, for an extract
	For      string    `json:"for"`             // who it was issued for
	Purpose  string    `json:"purpose,omitempty"`
	IssuedBy string    `json:"issued_by"` // user ID
	IssuedAt time.Time `json:"issued_at"`
	// Code is the short, unguessable verification code printed under the
	// QR code; /verify/{code} resolves it.
	Code    string `json:"code"`
	Result  Ref    `json:"result"` // the signed copy
	Version string `json:"result_version,omitempty"`
	Size    int64  `json:"size"`
	// TrustedUntil is until when the newest time-stamp of Result keeps it
	// trustworthy, as Record.ResultTrustedUntil: set with Result, zero when
	// not known.
	TrustedUntil time.Time `json:"-"`
	// Earlier are the files the copy was before renewals (new document
	// timestamps) replaced them, oldest first. They were issued too: each
	// is genuine.
	Earlier []Ref `json:"earlier_results,omitempty"`
}

// Issued reports whether ref is a file issued as this copy: its result now
// or before a renewal.
func (c *Copy) Issued(ref Ref) bool {
	if ref == c.Result {
		return true
	}
	for _, e := range c.Earlier {
		if e == ref {
			return true
		}
	}
	return false
}
