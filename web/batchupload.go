package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/ingest"
)

// folderManifests are the names a manifest may have inside the chosen
// folder, tried in order, when the upload has no "manifest" part.
var folderManifests = []string{"manifest.csv", "danh-muc.csv", "manifest.xlsx", "danh-muc.xlsx"}

// Limits of the text in a batch upload.
const (
	maxManifestBytes = ingest.MaxManifestBytes
	maxAgencyBytes   = 256
	maxFieldBytes    = 8 << 10  // one metadata field of the one-document form
	maxRowsBytes     = 64 << 10 // the "rows" part: some thousand row numbers
)

// batchUpload is one batch upload as read from its multipart body: the
// rows and the staged files, ready for Accept.
type batchUpload struct {
	in     ingest.BatchInput
	agency string // the agency named in the upload, "" for the default
	// fields are the one document's metadata as typed, by column.
	fields map[string]string
	// From says where the rows came from: "manifest" (the part), the
	// name of the manifest found in the folder, or "" for one document
	// typed into the form.
	from string
	// retryOf and rows are the batch whose failed rows are sent again
	// and those rows ("rows" part), for the form shown again on a mistake.
	retryOf, rows string
}

func (bu *batchUpload) close() { bu.in.Upload.Close() }

// oneDocument reports whether the rows are one document typed into a form.
func (bu *batchUpload) oneDocument() bool { return bu.from == "" }

// errNoManifest refuses an upload without a manifest or one document.
var errNoManifest = archive.NewError(ingest.ErrManifest,
	"thiếu bảng kê: hãy chọn tệp bảng kê (CSV hoặc Excel XLSX) hoặc đặt manifest.csv hay danh-muc.csv (hoặc .xlsx) trong thư mục",
	"the upload has no manifest: choose the manifest (CSV or Excel XLSX) or put manifest.csv or danh-muc.csv (or .xlsx) in the folder")

// errNotMultipart refuses a body that is not a multipart upload.
var errNotMultipart = archive.NewError(archive.ErrInvalid, "cần tải lên dạng multipart", "expected a multipart upload")

// tooLarge is what an upload over limit bytes is refused with; it wraps
// err (an *http.MaxBytesError), which gives it its status.
func tooLarge(limit int64, err error) error {
	return archive.Wrap(nil, fmt.Sprintf("lô gửi lên quá lớn: tối đa %s; hãy chia thành nhiều lô nhỏ hơn", sizeText(langVi, limit)),
		fmt.Sprintf("the batch sent is too large: at most %s; split it into smaller batches", sizeText(langEn, limit)), err)
}

// readBatch reads a batch upload, the one body both the API and the
// upload screens send (multipart/form-data):
//   - "manifest": the manifest (CSV or XLSX, told by its content);
//   - "file": one part per file, named by its path within the batch folder;
//   - "folder": as "file", but named as a browser's folder input names
//     them: the chosen folder's own name first, which is dropped;
//   - without a manifest part, a file at the top of the folder named as in
//     folderManifests is the manifest; without either, the one document
//     described by parts named as manifest columns (ingest.Columns), its
//     pages the files in the order sent;
//   - "rows": optional, the manifest rows to send (numbers separated by
//     commas), the others left out: the failed rows of a batch sent again;
//   - "agency" (or ?agency=): the batch's agency, see batchAgency.
//
// A query parameter that cannot be the caller's, and a body over
// MaxUploadBytes, are refused before a byte of it is read. Parts without a
// file name and without content (a form's file input left empty) are
// skipped. The caller closes the upload. On an error after the parts
// began to be read the upload is returned too, already closed, with what
// was read of its fields.
func (s *Server) readBatch(w http.ResponseWriter, r *http.Request) (*batchUpload, error) {
	named := r.URL.Query().Get("agency")
	if _, err := s.batchAgency(userFrom(r.Context()), named); err != nil {
		s.audit(r, "denied", "", "denied", "batch for agency "+named)
		return nil, err
	}
	limit := s.cfg.MaxUploadBytes
	if r.ContentLength > limit {
		return nil, tooLarge(limit, &http.MaxBytesError{Limit: limit})
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, errNotMultipart
	}
	up, err := s.cfg.Intake.NewUpload()
	if err != nil {
		return nil, err
	}
	bu := &batchUpload{in: ingest.BatchInput{Files: map[string]archive.Ref{}, Upload: up}, agency: named}
	if err := s.readParts(r, mr, bu); err != nil {
		up.Close()
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, tooLarge(limit, err)
		}
		return bu, err // closed: what was read, for the form shown again
	}
	return bu, nil
}

// partReader is the state of one upload's parts as they are read.
type partReader struct {
	bu       *batchUpload
	manifest []byte            // the "manifest" part
	inFolder map[string][]byte // manifests found among the files, by name
	fields   map[string]string // one document's metadata
	order    []string          // file names in the order sent
	only     string            // the "rows" part: the manifest rows to send, "" for all
}

// readParts reads every part of mr into bu, then picks its rows.
func (s *Server) readParts(r *http.Request, mr *multipart.Reader, bu *batchUpload) error {
	bu.fields = map[string]string{}
	pr := &partReader{bu: bu, inFolder: map[string][]byte{}, fields: bu.fields}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("web: read upload: %w", err)
		}
		err = s.readPart(r, part, pr)
		part.Close()
		if err != nil {
			return err
		}
	}
	return pr.rows()
}

// columnField reports whether a part named name is a manifest column of the
// one-document form.
func columnField(name string) bool {
	for _, c := range ingest.Columns {
		if c == name && c != "file" {
			return true
		}
	}
	return false
}

func (s *Server) readPart(r *http.Request, part *multipart.Part, pr *partReader) error {
	name := part.FormName()
	var err error
	switch {
	case name == "manifest":
		var data []byte
		if data, err = readLimited(part, maxManifestBytes, "manifest"); err == nil && (len(data) > 0 || partFileName(part) != "") {
			pr.manifest = data
		}
	case name == "file" || name == "folder":
		err = s.receiveFile(r, part, pr)
	case name == "agency":
		pr.bu.agency, err = formValue(part, maxAgencyBytes)
	case name == "rows":
		pr.only, err = formValue(part, maxRowsBytes)
		pr.bu.rows = pr.only
	case name == "retry":
		pr.bu.retryOf, err = formValue(part, maxAgencyBytes)
	case columnField(name):
		pr.fields[name], err = formValue(part, maxFieldBytes)
	}
	return err
}

// rows sets the batch's rows from the manifest part, else the folder's
// manifest, else the one document's fields.
func (pr *partReader) rows() error {
	var err error
	in := &pr.bu.in
	if pr.manifest != nil {
		pr.bu.from = "manifest"
		if in.Rows, err = ingest.ParseManifest(bytes.NewReader(pr.manifest)); err != nil {
			return err
		}
		return pr.onlyRows()
	}
	for _, name := range folderManifests {
		if data, ok := pr.inFolder[name]; ok {
			pr.bu.from = name
			if in.Rows, err = ingest.ParseManifest(bytes.NewReader(data)); err != nil {
				return err
			}
			return pr.onlyRows()
		}
	}
	if len(pr.fields) == 0 {
		return errNoManifest
	}
	pr.fields["file"] = strings.Join(pr.order, "|")
	in.Rows = []ingest.Row{ingest.RowFromFields(1, pr.fields)}
	return nil
}

// onlyRows keeps the manifest rows the "rows" part names (numbers
// separated by commas or spaces, as the batch report gives them), when
// there is one: the failed rows of a batch sent again.
func (pr *partReader) onlyRows() error {
	if strings.TrimSpace(pr.only) == "" {
		return nil
	}
	want := map[int]bool{}
	for _, f := range strings.FieldsFunc(pr.only, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
		n, err := strconv.Atoi(f)
		if err != nil || n < 2 {
			return archive.NewError(archive.ErrInvalid, fmt.Sprintf("số dòng %q không hợp lệ", f), fmt.Sprintf("invalid row number %q", f))
		}
		want[n] = true
	}
	var kept []ingest.Row
	for _, row := range pr.bu.in.Rows {
		if want[row.Line] {
			kept = append(kept, row)
			delete(want, row.Line)
		}
	}
	for n := range want {
		return archive.NewError(archive.ErrInvalid, fmt.Sprintf("bảng kê không có dòng %d; hãy chọn đúng bảng kê của lô", n),
			fmt.Sprintf("the manifest has no row %d; choose the batch's own manifest", n))
	}
	pr.bu.in.Rows = kept
	return nil
}

// readLimited reads a part of at most limit bytes.
func readLimited(part *multipart.Part, limit int64, what string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(part, limit+1))
	if err != nil {
		return nil, fmt.Errorf("web: read %s: %w", what, err)
	}
	if int64(len(data)) > limit {
		return nil, archive.NewError(archive.ErrInvalid, fmt.Sprintf("bảng kê quá lớn: tối đa %s", sizeText(langVi, limit)),
			fmt.Sprintf("the manifest is too large: at most %s", sizeText(langEn, limit)))
	}
	return data, nil
}

// formValue reads a small text part of a multipart upload.
func formValue(part *multipart.Part, limit int) (string, error) {
	b, err := io.ReadAll(io.LimitReader(part, int64(limit)+1))
	if err != nil {
		return "", fmt.Errorf("web: read form field %q: %w", part.FormName(), err)
	}
	if len(b) > limit {
		return "", archive.NewError(archive.ErrInvalid, "trường "+part.FormName()+" quá dài", "field "+part.FormName()+" is too long")
	}
	return string(b), nil
}

// receiveFile stages one uploaded file under its relative path, or keeps
// it aside when it is a manifest at the top of the folder.
func (s *Server) receiveFile(r *http.Request, part *multipart.Part, pr *partReader) error {
	if partFileName(part) == "" {
		// A file input left empty sends one part with no name and no bytes.
		if n, _ := io.Copy(io.Discard, io.LimitReader(part, 1)); n == 0 {
			return nil
		}
	}
	name, err := partPath(part)
	if err != nil {
		return err
	}
	if part.FormName() == "folder" {
		if _, rest, ok := strings.Cut(name, "/"); ok {
			name = rest
		}
	}
	for _, m := range folderManifests {
		if strings.EqualFold(name, m) {
			data, err := readLimited(part, maxManifestBytes, "manifest")
			pr.inFolder[m] = data
			return err
		}
	}
	var want archive.Ref
	if h := part.Header.Get(HeaderSHA256); h != "" {
		if want, err = archive.ParseRef("sha256-" + strings.ToLower(h)); err != nil {
			return fmt.Errorf("web: file %q: bad %s: %w", name, HeaderSHA256, err)
		}
	}
	ref, _, err := pr.bu.in.Upload.Add(r.Context(), part, want)
	if err != nil {
		return fmt.Errorf("web: file %q: %w", name, err)
	}
	if _, dup := pr.bu.in.Files[name]; !dup {
		pr.order = append(pr.order, name)
	}
	pr.bu.in.Files[name] = ref
	return nil
}

// partFileName is the file name a part was sent under, as sent.
// (multipart.Part.FileName keeps only the base name.)
func partFileName(part *multipart.Part) string {
	_, params, err := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
	if err != nil {
		return ""
	}
	return params["filename"]
}

// partPath returns the relative path a file part was sent under.
func partPath(part *multipart.Part) (string, error) {
	name := partFileName(part)
	if name == "" {
		return "", fmt.Errorf("web: file part without a file name: %w", archive.ErrInvalid)
	}
	name = path.Clean(strings.ReplaceAll(name, "\\", "/"))
	if path.IsAbs(name) || name == ".." || strings.HasPrefix(name, "../") {
		return "", fmt.Errorf("web: file name %q leaves the batch folder: %w", name, archive.ErrInvalid)
	}
	return name, nil
}

// acceptBatch hands a batch read by readBatch to the intake as its
// uploader's, for the agency it names (see batchAgency), and audits it.
func (s *Server) acceptBatch(r *http.Request, bu *batchUpload) (*archive.Batch, error) {
	u := userFrom(r.Context())
	agency, err := s.batchAgency(u, bu.agency)
	if err != nil {
		s.audit(r, "denied", "", "denied", "batch for agency "+bu.agency)
		return nil, err
	}
	in := bu.in
	in.Agency, in.CreatedBy, in.UploaderRole = agency, u.Name, u.Role
	b, err := s.cfg.Intake.Accept(r.Context(), in)
	if err != nil {
		return nil, err
	}
	s.audit(r, "ingest", b.ID, "ok", fmt.Sprintf("%d rows, %d files", len(in.Rows), len(in.Files)))
	return b, nil
}
