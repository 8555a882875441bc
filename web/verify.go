package web

import (
	"fmt"
	"io"
	"net/http"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/signing"
)

// maxVerifyBytes bounds a PDF sent for verification.
const maxVerifyBytes = 512 << 20

// VerifyResponse says whether a PDF's signatures hold and whether this
// repository issued exactly these bytes.
type VerifyResponse struct {
	SHA256  string          `json:"sha256"`
	Held    bool            `json:"held"`              // this repository holds these exact bytes
	Records []string        `json:"records,omitempty"` // the records whose result they are
	Report  *signing.Report `json:"report"`
	// Text is the report for people, Vietnamese then English.
	Text string `json:"text"`
}

// verify checks a PDF sent as the request body. It needs no token: it tells
// nothing about a document the caller does not already have.
func (s *Server) verify(w http.ResponseWriter, r *http.Request) {
	pdf, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxVerifyBytes))
	if err != nil {
		s.writeError(w, r, fmt.Errorf("web: read PDF: %w", err))
		return
	}
	rep, err := signing.Verify(pdf, s.cfg.Roots)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("tệp không phải PDF đọc được / not a readable PDF: %v: %w", err, archive.ErrInvalid))
		return
	}
	ref := archive.RefOf(pdf)
	recs, err := s.cfg.Catalog.RecordsByResult(r.Context(), ref)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	resp := VerifyResponse{SHA256: ref.Hex(), Held: len(recs) > 0, Report: rep, Text: rep.Text()}
	for _, rec := range recs {
		resp.Records = append(resp.Records, rec.ID)
	}
	writeJSON(w, http.StatusOK, resp)
}
