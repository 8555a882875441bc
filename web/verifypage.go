package web

import (
	"errors"
	"html/template"
	"net/http"

	"github.com/khoso-vn/khoso/archive"
)

// verifyView is what the public verification page shows: what was issued,
// and nothing personal beyond what the QR code already carries.
type verifyView struct {
	Code                               string
	Found                              bool
	DocName, Number, Issuer, IssuedOn  string
	ValidUntil, Validity, Form, Issued string
	SHA256                             string
	Checked                            bool // a file was uploaded
	Exact                              bool // it is exactly the issued file
	SignaturesOK                       bool
	Problem                            string
	Refused                            string                 // why an uploaded file was not checked
	issued                             func(archive.Ref) bool // the copy's file, now or before a renewal
}

var verifyTmpl = template.Must(template.New("verify").Parse(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Xác thực bản sao / Verify a copy — {{.Code}}</title>
<style>body{font-family:serif;max-width:42rem;margin:2rem auto;padding:0 1rem}th{text-align:left;padding-right:1rem}
.ok{color:#060}.bad{color:#a00}</style></head><body>
<h1>Xác thực bản sao điện tử<br><small>Verify an electronic copy</small></h1>
{{if not .Found}}<p class="bad" id="result">Không tìm thấy mã xác thực {{.Code}} / No copy has verification code {{.Code}}.</p>
{{else}}<table id="issued">
<tr><th>Mã xác thực / Code</th><td>{{.Code}}</td></tr>
<tr><th>Tên giấy tờ / Document</th><td id="doc-name">{{.DocName}}</td></tr>
<tr><th>Số, ký hiệu / Number</th><td id="number">{{.Number}}</td></tr>
<tr><th>Cơ quan cấp / Issuer</th><td>{{.Issuer}}</td></tr>
<tr><th>Ngày cấp / Issued on</th><td>{{.IssuedOn}}</td></tr>
<tr><th>Hiệu lực / Valid until</th><td>{{.ValidUntil}} ({{.Validity}})</td></tr>
<tr><th>Hình thức / Form</th><td id="form">{{.Form}}</td></tr>
<tr><th>Thời điểm cấp bản sao / Copy issued</th><td>{{.Issued}}</td></tr>
<tr><th>SHA-256</th><td id="sha256"><code>{{.SHA256}}</code></td></tr>
</table>
{{if .Refused}}<p class="bad" id="result">{{.Refused}}</p>
{{else if .Checked}}{{if and .Exact .SignaturesOK}}<p class="ok" id="result">ĐÚNG: tệp này chính là bản sao đã cấp và chữ ký số hợp lệ.<br>GENUINE: this file is exactly the issued copy and its signatures are valid.</p>
{{else}}<p class="bad" id="result">KHÔNG ĐÚNG: {{if not .Exact}}tệp này không phải bản sao đã cấp (đã bị thay đổi) / this file is not the issued copy (it was changed){{else}}chữ ký không hợp lệ / a signature is invalid: {{.Problem}}{{end}}</p>{{end}}{{end}}
<form method="post" enctype="multipart/form-data">
<p><label>Kiểm tra một tệp PDF / Check a PDF file: <input type="file" name="file" accept="application/pdf" required></label>
<button type="submit">Kiểm tra / Check</button></p></form>{{end}}
</body></html>
`))

// verifyPage shows what was issued under a code.
func (s *Server) verifyPage(w http.ResponseWriter, r *http.Request) {
	v, code := s.verifyLookup(r)
	s.renderVerify(w, v, code)
}

// verifyUpload checks an uploaded PDF against the copy issued under a code.
func (s *Server) verifyUpload(w http.ResponseWriter, r *http.Request) {
	v, code := s.verifyLookup(r)
	if v.Found {
		if err := s.checkUpload(w, r, &v); err != nil {
			code = statusOf(err)
			v.Refused = clientMessage(err, code)
		}
	}
	s.renderVerify(w, v, code)
}

func (s *Server) renderVerify(w http.ResponseWriter, v verifyView, code int) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	verifyTmpl.Execute(w, v)
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
	v.IssuedOn, v.ValidUntil = m.IssuedOn.Format("02/01/2006"), "không thời hạn / no end"
	if !m.ValidUntil.IsZero() {
		v.ValidUntil = m.ValidUntil.Format("02/01/2006")
	}
	v.Validity = map[string]string{archive.ValidityValid: "còn hiệu lực / valid",
		archive.ValidityExpired: "hết hiệu lực / expired"}[rec.Validity(s.now())]
	v.Form = map[string]string{archive.FormSaoY: "SAO Y", archive.FormTrichSao: "TRÍCH SAO"}[cp.Form]
	v.Issued, v.SHA256, v.issued = archive.VNTime(cp.IssuedAt), cp.Result.Hex(), cp.Issued
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
