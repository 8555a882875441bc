package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/ingest"
)

// maxReview is how many documents the review screen lists.
const maxReview = 200

// maxMetadataForm bounds the body of the metadata form.
const maxMetadataForm = 64 << 10

// reviewView is the review screen: the documents of the caller's agency
// that failed or wait for their metadata, newest first.
type reviewView struct {
	Records []archive.Record
	Max     int // the list is cut at this many
}

// reviewPage shows GET /review to clerks (their agency's documents) and
// admins (every agency's).
func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	var agencies []string // nil: every agency
	if u.Role != archive.RoleAdmin {
		agencies = []string{u.Agency}
		if u.Agency == s.cfg.Agency {
			agencies = append(agencies, "") // records from before agencies were kept
		}
	}
	recs, err := s.cfg.Catalog.RecordsToReview(r.Context(), agencies, maxReview)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "review.html", "review.title", reviewView{Records: recs, Max: maxReview})
}

// formField is one input of the metadata form.
type formField struct {
	Name     string // the manifest column and form field
	Label    string // message key
	Value    string
	Error    string // shown next to the field
	Required bool
	Date     bool // dd/mm/yyyy
	Long     bool // a text area
	Max      int  // characters
}

// fieldLabels are the message keys of the metadata fields.
var fieldLabels = map[string]string{"doc_type_code": "field.doc_type", "doc_name": "field.doc_name",
	"number": "field.number", "issued_on": "field.issued_on", "issuer": "field.issuer",
	"holder_id": "field.holder_id", "holder_name": "field.holder", "summary": "field.summary",
	"valid_until": "field.valid_until", "validity_scope": "field.validity_scope",
	"procedure_code": "field.procedure", "dossier_code": "field.dossier",
	"result_type_code": "field.result_type"}

// editView is the metadata form beside the page thumbnails.
type editView struct {
	Rec       RecordView
	Fields    []formField
	Pages     []int
	Correct   bool      // an available record: a correction, with a reason
	Reason    formField // the correction's reason
	Error     string    // a fault no field is named for
	HasErrors bool
}

// metaValues are m's fields as a form shows them, by field name.
func metaValues(m archive.Metadata) map[string]string {
	return map[string]string{"doc_type_code": m.DocTypeCode, "doc_name": m.DocName, "number": m.Number,
		"issued_on": dateValue(m.IssuedOn), "issuer": m.Issuer, "holder_id": m.HolderID, "holder_name": m.HolderName,
		"summary": m.Summary, "valid_until": dateValue(m.ValidUntil), "validity_scope": m.ValidityScope,
		"procedure_code": m.ProcedureCode, "dossier_code": m.DossierCode,
		"result_type_code": m.ResultTypeCode}
}

// newEditView is the form for rec holding values.
func newEditView(s *Server, rec *archive.Record, values map[string]string) editView {
	v := editView{Rec: s.view(rec), Correct: rec.Status == archive.StatusAvailable}
	required := map[string]bool{}
	for _, f := range ingest.RequiredFields {
		required[f] = true
	}
	for _, name := range ingest.MetadataFields {
		f := formField{Name: name, Label: fieldLabels[name], Value: values[name], Required: required[name],
			Date: name == "issued_on" || name == "valid_until", Long: name == "summary", Max: ingest.MaxLen(name)}
		v.Fields = append(v.Fields, f)
	}
	v.Reason = formField{Name: "reason", Label: "edit.reason", Value: values["reason"], Required: true,
		Long: true, Max: archive.MaxCorrectionReason}
	for _, p := range rec.Pages {
		v.Pages = append(v.Pages, p.N)
	}
	return v
}

// markError puts msg next to field, or above the form when no field is
// named.
func (v *editView) markError(field, msg string) {
	v.HasErrors = true
	if field == "reason" {
		v.Reason.Error = msg
		return
	}
	for i := range v.Fields {
		if v.Fields[i].Name == field {
			v.Fields[i].Error = msg
			return
		}
	}
	v.Error = msg
}

// editableRecord returns record id if the caller may see it and its
// metadata can be changed: it waits for metadata or is available.
func (s *Server) editableRecord(r *http.Request) (*archive.Record, error) {
	rec, err := s.visibleRecord(r, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if rec.Status != archive.StatusNeedsMetadata && rec.Status != archive.StatusAvailable {
		return nil, archive.NewError(archive.ErrConflict,
			"chỉ sửa được giấy tờ chờ bổ sung thông tin hoặc đã sẵn sàng",
			"only a document waiting for metadata or available can be changed")
	}
	return rec, nil
}

// editPage shows GET /records/{id}/edit: the metadata form, prefilled, with
// the fault the manifest row had next to its field.
func (s *Server) editPage(w http.ResponseWriter, r *http.Request) {
	rec, err := s.editableRecord(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	v := newEditView(s, rec, metaValues(rec.Meta))
	if rec.Status == archive.StatusNeedsMetadata && rec.Reason != "" {
		v.markError(rec.ReasonField, rec.Reason)
	}
	s.render(w, r, http.StatusOK, "edit.html", "edit.title", v)
}

// metadataPage answers the metadata form (POST /records/{id}/metadata):
// it completes or corrects the record and goes back to its page, or shows
// the form again, as typed, with the fault next to its field.
func (s *Server) metadataPage(w http.ResponseWriter, r *http.Request) {
	rec, err := s.editableRecord(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxMetadataForm)
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if !errors.As(err, &mbe) {
			err = archive.Wrap(archive.ErrInvalid, "biểu mẫu không đọc được", "the form cannot be read", err)
		}
		s.writeError(w, r, err)
		return
	}
	values := map[string]string{}
	for _, name := range append([]string{"reason"}, ingest.MetadataFields...) {
		values[name] = strings.TrimSpace(norm.NFC.String(r.PostForm.Get(name)))
	}
	m, ferr := ingest.ParseMetadata(func(f string) string { return values[f] })
	if ferr == nil {
		_, err = s.changeMetadata(r, rec, m, values["reason"])
	} else {
		err = ferr
	}
	if err == nil {
		http.Redirect(w, r, "/records/"+url.PathEscape(rec.ID), http.StatusSeeOther)
		return
	}
	code := statusOf(err)
	if code >= 500 || code == http.StatusNotFound {
		s.writeError(w, r, err)
		return
	}
	v := newEditView(s, rec, values)
	var re *ingest.RowError
	if errors.As(err, &re) {
		v.markError(re.Column, re.Message(langOf(r)))
	} else {
		v.markError("", errorText(langOf(r), err, code))
	}
	s.render(w, r, code, "edit.html", "edit.title", v)
}

// dateValue is a date as a form shows it: dd/mm/yyyy, or "" for none.
func dateValue(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return archive.VNDate(t)
}
