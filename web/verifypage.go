package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

// verifyView is what the public verification page shows: what was issued,
// and nothing personal beyond what the QR code already carries.
type verifyView struct {
	Code                    string
	Found                   bool
	ResultCode              string // the result's code (mã kết quả điện tử), also in the QR code
	DocName, Number, Issuer string
	IssuedOn, ValidUntil    time.Time
	Validity, Form          string // archive.Validity…, archive.Form…
	Issued                  time.Time
	SHA256                  string
	Checked                 bool // a file was uploaded
	Exact                   bool // it is exactly the issued file
	SignaturesOK            bool
	Problem                 string
	Refused                 string                 // why an uploaded file was not checked
	issued                  func(archive.Ref) bool // the copy's file, now or before a renewal
}

// verifyPage shows what was issued under a code.
func (s *Server) verifyPage(w http.ResponseWriter, r *http.Request) {
	v, code := s.verifyLookup(r)
	s.render(w, r, code, "verify.html", "verify.title", v)
}

// verifyUpload checks an uploaded PDF against the copy issued under a code.
func (s *Server) verifyUpload(w http.ResponseWriter, r *http.Request) {
	v, code := s.verifyLookup(r)
	if v.Found {
		if err := s.checkUpload(w, r, &v); err != nil {
			code = statusOf(err)
			v.Refused = errorText(langOf(r), err, code)
		}
	}
	s.render(w, r, code, "verify.html", "verify.title", v)
}

func (s *Server) verifyLookup(r *http.Request) (verifyView, int) {
	v := verifyView{Code: r.PathValue("code")}
	cp, err := s.cfg.Catalog.CopyByCode(r.Context(), v.Code)
	if err != nil {
		if !errors.Is(err, archive.ErrNotFound) {
			s.cfg.Logger.Error("verify page", "err", err)
		}
		return v, http.StatusNotFound
	}
	rec, err := s.cfg.Catalog.Record(r.Context(), cp.RecordID)
	if err != nil {
		return v, http.StatusNotFound
	}
	m := rec.Meta
	v.Found, v.DocName, v.Number, v.Issuer = true, m.DocName, m.Number, m.Issuer
	v.ResultCode = rec.ResultCode
	v.IssuedOn, v.ValidUntil, v.Validity, v.Form = m.IssuedOn, m.ValidUntil, rec.Validity(s.now()), cp.Form
	v.Issued, v.SHA256, v.issued = cp.IssuedAt, cp.Result.Hex(), cp.Issued
	return v, http.StatusOK
}

// checkUpload compares the uploaded file with the issued copy and checks
// its signatures. The file is spooled to disk, at most MaxVerifyBytes.
func (s *Server) checkUpload(w http.ResponseWriter, r *http.Request, v *verifyView) error {
	if r.ContentLength > s.cfg.MaxVerifyBytes+1<<20 {
		return &http.MaxBytesError{Limit: s.cfg.MaxVerifyBytes}
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxVerifyBytes+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		return errNoFile
	}
	for {
		part, err := mr.NextPart()
		if err != nil {
			return errNoFile
		}
		if part.FormName() != "file" {
			part.Close()
			continue
		}
		body, err := spool(s.cfg.SpoolDir, part, s.cfg.MaxVerifyBytes)
		part.Close()
		if err != nil {
			return err
		}
		defer body.Close()
		v.Checked = true
		v.Exact = v.issued(body.ref)
		rep, err := s.verifySpooled(r, body)
		if err != nil {
			return err
		}
		v.SignaturesOK = rep.Valid
		if !rep.Valid {
			v.Problem = rep.Problem
			for _, sig := range rep.Signatures {
				if sig.Problem != "" {
					v.Problem = sig.Problem
				}
			}
		}
		return nil
	}
}

var errNoFile = archive.NewError(archive.ErrInvalid, "hãy chọn một tệp PDF", "choose a PDF file")
