// Package copies issues certified electronic copies of results: sao y (the whole
// result) and trích sao (chosen pages), Decree 30/2020 Art. 25 and Decree
// 45/2020 Art. 10. A copy is a new PDF of the stored pages with the copy form,
// the agency and the time top-right of page 1 and a QR code top-left, signed by
// the agency, stored, and registered under a verification code.
//
// A copy is kept like a result: it identifies as PDF/A-2b (XMP metadata with the
// copy's form, verification code and creation time and the record's fields, an sRGB
// output intent, embedded fonts), and carries the agency's signature with a
// time-stamp, validation data (certificates, OCSP responses, CRLs) and a document
// time-stamp: PAdES B-LTA. The daily renewal job adds document time-stamps to copies
// as to results, keeping each replaced file in the copy's history.
package copies

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/signing"
	"github.com/khoso-vn/khoso/signing/stamp"
)

// Reason is the /Reason of a copy's signature.
const Reason = "Cấp bản sao điện tử có chứng thực / Issuing a certified electronic copy"

// Config configures a Copier.
type Config struct {
	Catalog archive.Catalog   // required
	Blobs   archive.BlobStore // required
	Signer  Signer            // required: the agency's signer
	// AgencyName is printed in the copy's signature text. Required.
	AgencyName string
	// SystemName is printed in the QR code; default "khoso".
	SystemName string
	// PublicURL is where the public reaches this system: the QR code opens
	// PublicURL + "/verify/" + the verification code. Required; an
	// absolute http or https URL.
	PublicURL string
	// Logger receives where each block went on page 1; default discards.
	Logger *slog.Logger
	// Now returns the time; default time.Now.
	Now func() time.Time
}

// Copier issues certified electronic copies (Decree 30/2020 Art. 25).
type Copier struct {
	cfg Config
}

// New returns a Copier.
func New(cfg Config) (*Copier, error) {
	if cfg.Catalog == nil || cfg.Blobs == nil || cfg.Signer == nil || cfg.AgencyName == "" {
		return nil, fmt.Errorf("copies: Config needs Catalog, Blobs, Signer and AgencyName: %w", archive.ErrInvalid)
	}
	if u, err := url.Parse(cfg.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("copies: Config.PublicURL %q: want an absolute http or https URL: %w", cfg.PublicURL, archive.ErrInvalid)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.SystemName == "" {
		cfg.SystemName = "khoso"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Copier{cfg: cfg}, nil
}

// Request asks for a copy of a record.
type Request struct {
	RecordID string
	Form     string // archive.FormSaoY or archive.FormTrichSao
	Pages    []int  // for an extract: which pages of the result, 1-based
	For      string // who it is issued for
	Purpose  string
	IssuedBy string // user ID
}

// Issue makes, signs, stores and records a copy: the record's pages (for an
// extract, the chosen ones) with, on page 1, the agency's signature text
// top-right (the copy form, the agency, the time) and top-left a QR code
// with the verification code under it; identified as PDF/A-2b, signed by
// the agency (locking it) and taken to PAdES B-LTA.
func (c *Copier) Issue(ctx context.Context, req Request) (*archive.Copy, error) {
	rec, err := c.cfg.Catalog.Record(ctx, req.RecordID)
	if err != nil {
		return nil, err
	}
	pages, err := c.checkRequest(rec, &req)
	if err != nil {
		return nil, err
	}
	now := c.cfg.Now().In(archive.Vietnam)
	cp := &archive.Copy{ID: archive.NewID("c", now), RecordID: rec.ID, Form: req.Form, Pages: req.Pages, For: req.For,
		Purpose: req.Purpose, IssuedBy: req.IssuedBy, IssuedAt: now, Code: newCode()}
	pdf, err := c.render(ctx, rec, pages, cp)
	if err != nil {
		return nil, err
	}
	signed, err := c.sign(ctx, pdf, rec, cp)
	if err != nil {
		return nil, err
	}
	if cp.Result, err = archive.PutBytes(ctx, c.cfg.Blobs, signed); err != nil {
		return nil, err
	}
	cp.Size = int64(len(signed))
	if cp.TrustedUntil, _, err = signing.TrustedUntil(signed); err != nil {
		return nil, fmt.Errorf("copies: signed copy: %w", err)
	}
	if v, ok := c.cfg.Blobs.(archive.Versioner); ok {
		if cp.Version, err = v.Version(ctx, cp.Result); err != nil {
			return nil, err
		}
	}
	if err := c.cfg.Catalog.Update(ctx, func(tx archive.CatalogTx) error { return tx.CreateCopy(ctx, cp) }); err != nil {
		return nil, err
	}
	return cp, nil
}

// sign identifies pdf as PDF/A-2b with the copy's fields, signs it with the
// agency's key and adds validation data and a document time-stamp.
func (c *Copier) sign(ctx context.Context, pdf []byte, rec *archive.Record, cp *archive.Copy) ([]byte, error) {
	m := rec.Meta
	pdfa, err := stamp.PDFA(pdf, stamp.Archival{DocName: m.DocName, Number: m.Number, Issuer: m.Issuer,
		HolderID: m.HolderID, HolderName: m.HolderName, ResultCode: rec.ResultCode, CopyForm: cp.Form, VerificationCode: cp.Code})
	if err != nil {
		return nil, fmt.Errorf("copies: PDF/A: %w", err)
	}
	doc := signing.Open(pdfa)
	if err := c.cfg.Signer.SignDocument(ctx, doc, signing.SignOptions{Lock: true, Reason: Reason}); err != nil {
		return nil, fmt.Errorf("copies: sign copy: %w", err)
	}
	if err := c.cfg.Signer.ArchiveDocument(ctx, doc); err != nil {
		return nil, fmt.Errorf("copies: validation data and document timestamp: %w", err)
	}
	return doc.Bytes(), nil
}

// checkRequest validates req against rec and returns the pages to copy.
func (c *Copier) checkRequest(rec *archive.Record, req *Request) ([]archive.Page, error) {
	if rec.Status != archive.StatusAvailable {
		return nil, fmt.Errorf("copies: hồ sơ chưa sẵn sàng / record %s is not available: %w", rec.ID, archive.ErrConflict)
	}
	if strings.TrimSpace(req.For) == "" {
		return nil, fmt.Errorf("copies: cần ghi cấp cho ai / say whom the copy is for: %w", archive.ErrInvalid)
	}
	switch req.Form {
	case archive.FormSaoY:
		req.Pages = nil
		return rec.Pages, nil
	case archive.FormTrichSao:
		var out []archive.Page
		for _, n := range req.Pages {
			if n < 1 || n > len(rec.Pages) {
				return nil, fmt.Errorf("copies: trang %d không có (hồ sơ có %d trang) / page %d is not in the record (%d pages): %w",
					n, len(rec.Pages), n, len(rec.Pages), archive.ErrInvalid)
			}
			out = append(out, rec.Pages[n-1])
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("copies: trích sao cần chọn trang / an extract needs pages: %w", archive.ErrInvalid)
		}
		return out, nil
	}
	return nil, fmt.Errorf("copies: hình thức %q không hợp lệ / form must be sao-y or trich-sao: %w", req.Form, archive.ErrInvalid)
}

// Signer is the agency's signer as a copy needs it; *signing.Signer is one.
type Signer interface {
	// SignDocument adds a signature with an RFC 3161 timestamp.
	SignDocument(ctx context.Context, d *signing.Document, opts signing.SignOptions) error
	// ArchiveDocument adds validation material and a document timestamp.
	ArchiveDocument(ctx context.Context, d *signing.Document) error
}
