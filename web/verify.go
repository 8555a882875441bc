package web

import (
	"net/http"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/signing"
)

// VerifyResponse says whether a PDF's signatures hold and whether this
// repository issued exactly these bytes.
type VerifyResponse struct {
	SHA256  string   `json:"sha256"`
	Held    bool     `json:"held"`              // this repository holds these exact bytes
	Records []string `json:"records,omitempty"` // the records whose result they are
	// Copies are the certified copies whose file these bytes are, now or
	// before a renewal replaced it.
	Copies []VerifiedCopy  `json:"copies,omitempty"`
	Report *signing.Report `json:"report"`
	// Text is the report for people, Vietnamese then English.
	Text string `json:"text"`
}

// VerifiedCopy names a certified copy a verified PDF is a file of.
type VerifiedCopy struct {
	Code     string `json:"code"`      // the verification code printed under its QR code
	Form     string `json:"form"`      // archive.FormSaoY or archive.FormTrichSao
	RecordID string `json:"record_id"` // the record it copies
	// Current is false for a file a renewal (a new document time-stamp)
	// replaced: still genuine, issued before the renewal.
	Current bool `json:"current"`
}

var errNotPDF = archive.NewError(archive.ErrInvalid, "tệp không phải PDF đọc được", "not a readable PDF")

// verify checks a PDF sent as the request body. It needs no token: it tells
// nothing about a document the caller does not already have. The body is
// spooled to disk; a body declared larger than the limit is refused before
// it is read.
func (s *Server) verify(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength > s.cfg.MaxVerifyBytes {
		s.writeError(w, r, &http.MaxBytesError{Limit: s.cfg.MaxVerifyBytes})
		return
	}
	body, err := spool(s.cfg.SpoolDir, r.Body, s.cfg.MaxVerifyBytes)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	defer body.Close()
	rep, err := s.verifySpooled(r, body)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	recs, err := s.cfg.Catalog.RecordsByResult(r.Context(), body.ref)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	cps, err := s.cfg.Catalog.CopiesByResult(r.Context(), body.ref)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	resp := VerifyResponse{SHA256: body.ref.Hex(), Held: len(recs)+len(cps) > 0, Report: rep, Text: rep.Text()}
	for _, rec := range recs {
		resp.Records = append(resp.Records, rec.ID)
	}
	for _, c := range cps {
		resp.Copies = append(resp.Copies, VerifiedCopy{Code: c.Code, Form: c.Form, RecordID: c.RecordID, Current: c.Result == body.ref})
	}
	writeJSON(w, http.StatusOK, resp)
}

// verifySpooled verifies a spooled PDF in one of the verification slots.
func (s *Server) verifySpooled(r *http.Request, body *spooled) (*signing.Report, error) {
	release, err := s.verifySlot(r.Context())
	if err != nil {
		return nil, err
	}
	defer release()
	pdf, err := body.bytes()
	if err != nil {
		return nil, err
	}
	rep, err := signing.Verify(pdf, s.cfg.Roots)
	if err != nil {
		return nil, archive.Wrap(archive.ErrInvalid, errNotPDF.Vi, errNotPDF.En, err)
	}
	return rep, nil
}
