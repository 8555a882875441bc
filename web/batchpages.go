package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/ingest"
)

// uploadView is what the upload screens show besides their form.
type uploadView struct {
	MaxBytes int64  // Config.MaxUploadBytes, for the script's check
	MaxText  string // the same, said
	TooLarge string // what an upload over it is told
	Admin    bool   // the agency may be chosen
	Agency   string // the agency field's value
	Error    string // why the last upload was refused
	// RetryOf is the batch whose failed rows, RetryRows (comma
	// separated), the form sends again; "" for a new batch.
	RetryOf, RetryRows string
}

func (s *Server) uploadView(r *http.Request) uploadView {
	lang := langOf(r)
	return uploadView{MaxBytes: s.cfg.MaxUploadBytes, MaxText: sizeText(lang, s.cfg.MaxUploadBytes),
		TooLarge: errorText(lang, tooLarge(s.cfg.MaxUploadBytes, nil), http.StatusRequestEntityTooLarge),
		Admin:    userFrom(r.Context()).Role == archive.RoleAdmin, Agency: s.cfg.Agency}
}

// newBatchPage shows GET /batches/new: the folder and manifest form.
// With ?retry=BATCH it sends again only that batch's failed rows.
func (s *Server) newBatchPage(w http.ResponseWriter, r *http.Request) {
	v := s.uploadView(r)
	if id := r.URL.Query().Get("retry"); id != "" {
		rows, err := s.failedRows(r, id)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		v.RetryOf, v.RetryRows = id, rows
	}
	s.render(w, r, http.StatusOK, "batchnew.html", "upload.title", v)
}

// retriable reports whether rec failed on a manifest row, which may be
// sent again (a document typed into the form has no manifest row: row 1).
func retriable(rec archive.Record) bool { return rec.Status == archive.StatusFailed && rec.Row >= 2 }

// failedRows are the manifest rows of batch id whose documents failed,
// comma separated.
func (s *Server) failedRows(r *http.Request, id string) (string, error) {
	b, err := s.visibleBatch(r, id)
	if err != nil {
		return "", err
	}
	recs, err := s.cfg.Catalog.BatchRecords(r.Context(), b.ID)
	if err != nil {
		return "", err
	}
	var rows []string
	for _, rec := range recs {
		if retriable(rec) {
			rows = append(rows, strconv.Itoa(rec.Row))
		}
	}
	return strings.Join(rows, ","), nil
}

// manifestTemplate sends the XLSX manifest template clerks fill in
// (ingest.WriteTemplate).
func (s *Server) manifestTemplate(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if err := ingest.WriteTemplate(&buf); err != nil {
		s.writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Content-Disposition", contentDisposition("mau-bang-ke.xlsx"))
	h.Set("Cache-Control", "no-cache")
	w.Write(buf.Bytes())
}

// postBatchPage answers the upload form (POST /batches): it sends the
// batch as the API does and goes to its page, or shows the form again
// with why it was refused.
func (s *Server) postBatchPage(w http.ResponseWriter, r *http.Request) {
	b, bu, err := s.readAndAccept(w, r)
	if err == nil && b == nil {
		err = rowError(bu.in.Rows[0].Err) // one document's fields, sent to the folder form
	}
	if err != nil {
		v := s.uploadView(r)
		if bu != nil && bu.agency != "" {
			v.Agency = bu.agency
		}
		if bu != nil && bu.rows != "" {
			v.RetryOf, v.RetryRows = bu.retryOf, bu.rows
		}
		s.uploadError(w, r, err, func(code int, msg string) {
			v.Error = msg
			s.render(w, r, code, "batchnew.html", "upload.title", v)
		})
		return
	}
	http.Redirect(w, r, "/batches/"+url.PathEscape(b.ID), http.StatusSeeOther)
}

// readAndAccept reads an upload and accepts it, unless it is one document
// with a mistake: then it returns no batch and no error. The upload is
// returned whenever it was read, its files forgotten: its fields and rows
// say what was typed and what was wrong.
func (s *Server) readAndAccept(w http.ResponseWriter, r *http.Request) (*archive.Batch, *batchUpload, error) {
	bu, err := s.readBatch(w, r)
	if err != nil {
		return nil, bu, err // bu, when not nil, is closed
	}
	defer bu.close()
	if bu.oneDocument() && bu.in.Rows[0].Err != nil {
		return nil, bu, nil
	}
	b, err := s.acceptBatch(r, bu)
	return b, bu, err
}

// rowError is a row's mistake as an error of the page's language.
func rowError(err error) error {
	var re *ingest.RowError
	if !errors.As(err, &re) {
		return fmt.Errorf("web: %w: %w", archive.ErrInvalid, err)
	}
	vi, en := re.VI, re.EN
	if re.Column != "" {
		vi, en = "cột "+re.Column+": "+vi, "column "+re.Column+": "+en
	}
	return archive.NewError(archive.ErrInvalid, vi, en)
}

// uploadError shows an upload form again with what err says, through
// show; server faults and refusals of the caller get the error page.
func (s *Server) uploadError(w http.ResponseWriter, r *http.Request, err error, show func(code int, msg string)) {
	code := statusOf(err)
	if code >= 500 && code != http.StatusInsufficientStorage || code == http.StatusForbidden || code == http.StatusUnauthorized {
		s.writeError(w, r, err)
		return
	}
	msg := errorText(langOf(r), err, code)
	if code == http.StatusInsufficientStorage {
		msg = inLanguage(langOf(r), msgNoSpace)
	}
	show(code, msg)
}

// oneField is one field of the one-document form.
type oneField struct {
	Name, Label, Hint string // manifest column; message keys
	Required, Wide    bool
	Value, Error      string
}

// oneFields are the one-document form's fields, in manifest order.
var oneFields = []oneField{
	{Name: "doc_type_code", Label: "field.doc_type"},
	{Name: "doc_name", Label: "field.doc_name", Required: true},
	{Name: "number", Label: "field.number", Required: true},
	{Name: "issued_on", Label: "field.issued_on", Hint: "one.date.hint", Required: true},
	{Name: "issuer", Label: "field.issuer", Required: true},
	{Name: "holder_id", Label: "field.holder_id"},
	{Name: "holder_name", Label: "field.holder"},
	{Name: "summary", Label: "field.summary", Wide: true},
	{Name: "valid_until", Label: "field.valid_until", Hint: "one.date.hint"},
	{Name: "validity_scope", Label: "field.validity_scope"},
	{Name: "procedure_code", Label: "field.procedure"},
	{Name: "dossier_code", Label: "field.dossier"},
	{Name: "result_type_code", Label: "field.result_type"},
	{Name: "dpi", Label: "field.dpi", Hint: "one.dpi.hint"},
	{Name: "scanned_by", Label: "field.scanned_by", Hint: "one.scanned.hint"},
}

// oneView is the one-document screen.
type oneView struct {
	uploadView
	Fields    []oneField
	FileError string // what is wrong with the page files
}

func (s *Server) oneView(r *http.Request, values map[string]string, row *ingest.Row) oneView {
	v := oneView{uploadView: s.uploadView(r)}
	var re *ingest.RowError
	if row != nil {
		errors.As(row.Err, &re)
	}
	lang := langOf(r)
	said := func(e *ingest.RowError) string {
		if lang == langEn {
			return e.EN
		}
		return e.VI
	}
	for _, f := range oneFields {
		f.Value = values[f.Name]
		if re != nil && re.Column == f.Name {
			f.Error = said(re)
		}
		v.Fields = append(v.Fields, f)
	}
	if re != nil && re.Column == "file" {
		v.FileError = said(re)
	}
	if re != nil {
		v.Error = mustMessage(lang, "one.fix")
		if re.Column == "" {
			v.Error += " " + said(re)
		}
	}
	return v
}

// oneDocPage shows GET /batches/new/one: the form of one document.
func (s *Server) oneDocPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "batchone.html", "one.title", s.oneView(r, nil, nil))
}

// postOneDocPage answers the one-document form (POST /batches/new/one):
// the document becomes a one-row batch through the path a manifest takes;
// a mistake is shown next to its field, with what was typed kept.
func (s *Server) postOneDocPage(w http.ResponseWriter, r *http.Request) {
	b, bu, err := s.readAndAccept(w, r)
	v := s.oneView(r, nil, nil)
	if bu != nil && bu.oneDocument() && len(bu.in.Rows) > 0 {
		v = s.oneView(r, bu.fields, &bu.in.Rows[0])
	}
	if bu != nil && bu.agency != "" {
		v.Agency = bu.agency
	}
	switch {
	case err != nil:
		s.uploadError(w, r, err, func(code int, msg string) {
			v.Error = msg
			s.render(w, r, code, "batchone.html", "one.title", v)
		})
	case b == nil:
		s.render(w, r, http.StatusBadRequest, "batchone.html", "one.title", v)
	default:
		http.Redirect(w, r, "/batches/"+url.PathEscape(b.ID), http.StatusSeeOther)
	}
}

// visibleBatch returns the batch id if the caller may see it: an admin
// any, a clerk their agency's; any other is not found.
func (s *Server) visibleBatch(r *http.Request, id string) (*archive.BatchSummary, error) {
	b, err := s.cfg.Catalog.Batch(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if u := userFrom(r.Context()); u.Role != archive.RoleAdmin && s.agencyOf(b.Agency) != u.Agency {
		s.audit(r, "denied", id, "denied", "batch of another agency")
		return nil, errNotVisible
	}
	return b, nil
}

// stages are the pipeline's steps a document goes through, in order.
var stages = []archive.Status{archive.StatusReceived, archive.StatusNormalised, archive.StatusAssembled,
	archive.StatusSigned, archive.StatusStored, archive.StatusAvailable}

// stageOf is the 1-based step of status, 0 when it is none (failed).
func stageOf(st archive.Status) int {
	for i, s := range stages {
		if s == st {
			return i + 1
		}
	}
	return 0
}

// countsOf lists the non-zero counts of b in pipeline order, failed last.
func countsOf(b archive.BatchSummary) []statusCount {
	var out []statusCount
	for _, st := range statusOrder {
		if n := b.Counts[st]; n > 0 {
			out = append(out, statusCount{st, n})
		}
	}
	return out
}

// batchRow is one document of the batch screen.
type batchRow struct {
	ID, Number, Holder, HolderID string
	Row, Pages, Step             int
	Status                       archive.Status
	Steps                        []bool // which of the six steps are reached
	Reason, Notes, Waiting       string // in the page's language
	Final                        bool
}

// batchView is the batch screen.
type batchView struct {
	Batch  archive.BatchSummary
	Rows   []batchRow
	Counts []statusCount
	Done   bool
	Failed bool // a document failed on a manifest row, which may be sent again
	Stages int
	// LabelsJSON maps each status to its label, for the script.
	LabelsJSON string
}

// batchPage shows GET /batches/{id}: the batch report, kept current by
// the script (or, without it, by reloading).
func (s *Server) batchPage(w http.ResponseWriter, r *http.Request) {
	b, err := s.visibleBatch(r, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	recs, err := s.cfg.Catalog.BatchRecords(r.Context(), b.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	lang := langOf(r)
	v := batchView{Batch: *b, Counts: countsOf(*b), Done: b.Done(), Stages: len(stages)}
	labels := map[archive.Status]string{}
	for _, st := range statusOrder {
		labels[st] = label(lang, "status", string(st))
	}
	js, _ := json.Marshal(labels)
	v.LabelsJSON = string(js)
	waiting := s.cfg.StorageFault != nil && s.cfg.StorageFault() != nil
	for _, rec := range recs {
		v.Failed = v.Failed || retriable(rec)
		full, err := s.cfg.Catalog.Record(r.Context(), rec.ID) // with its pages
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		v.Rows = append(v.Rows, batchRowOf(lang, *full, waiting))
	}
	s.render(w, r, http.StatusOK, "batch.html", "batch.title", v)
}

func batchRowOf(lang string, rec archive.Record, waiting bool) batchRow {
	row := batchRow{ID: rec.ID, Row: rec.Row, Number: rec.Meta.Number, Holder: rec.Meta.HolderName, HolderID: rec.Meta.HolderID,
		Pages: len(rec.Pages), Status: rec.Status, Step: stageOf(rec.Status), Final: rec.Status.Done(),
		Reason: inLanguage(lang, rec.Reason)}
	for i := range stages {
		row.Steps = append(row.Steps, i < row.Step)
	}
	if waiting && !row.Final {
		row.Waiting = inLanguage(lang, MsgWaitingForSpace)
	}
	var notes []string
	for _, p := range rec.Pages {
		if p.Notes != "" {
			notes = append(notes, mustMessage(lang, "batch.page")+" "+itoa(p.N)+": "+notesIn(lang, p.Notes))
		}
	}
	row.Notes = strings.Join(notes, " · ")
	return row
}

// batchesPageSize is how many batches one page of /batches lists.
const batchesPageSize = 25

// batchesView is the list of batches.
type batchesView struct {
	Batches     []batchLine
	Admin       bool
	Agency      string // the admin's filter
	First, Next string
}

// batchLine is one batch of the list.
type batchLine struct {
	archive.BatchSummary
	Counts []statusCount
}

// batchesPage shows GET /batches: the caller's agency's batches (an
// admin's: every agency's, or ?agency='s), newest first, a page at a
// time (?before=ID of the last batch of the page before).
func (s *Server) batchesPage(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	q := r.URL.Query()
	v := batchesView{Admin: u.Role == archive.RoleAdmin}
	bq := archive.BatchQuery{Before: q.Get("before"), Limit: batchesPageSize + 1}
	switch {
	case !v.Admin:
		bq.Agencies = s.agencyCodes(u.Agency)
	case q.Get("agency") != "":
		v.Agency = strings.TrimSpace(q.Get("agency"))
		bq.Agencies = s.agencyCodes(v.Agency)
	}
	list, err := s.cfg.Catalog.Batches(r.Context(), bq)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	more := len(list) > batchesPageSize
	if more {
		list = list[:batchesPageSize]
	}
	for _, b := range list {
		v.Batches = append(v.Batches, batchLine{BatchSummary: b, Counts: countsOf(b)})
	}
	link := func(before string) string {
		p := url.Values{}
		if v.Agency != "" {
			p.Set("agency", v.Agency)
		}
		if before != "" {
			p.Set("before", before)
		}
		if len(p) == 0 {
			return "/batches"
		}
		return "/batches?" + p.Encode()
	}
	if bq.Before != "" {
		v.First = link("")
	}
	if more {
		v.Next = link(list[len(list)-1].ID)
	}
	s.render(w, r, http.StatusOK, "batches.html", "batches.title", v)
}

// agencyCodes are the codes batches of agency are stored under: its own,
// and "" for the server's (batches from before every batch had one).
func (s *Server) agencyCodes(agency string) []string {
	if agency == s.cfg.Agency {
		return []string{agency, ""}
	}
	return []string{agency}
}
