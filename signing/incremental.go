package signing

import (
	"bytes"
	"fmt"

	"github.com/digitorus/pdf"

	"github.com/khoso-vn/khoso/signing/internal/pdfupdate"
)

// update is an incremental update of a document (package pdfupdate),
// with the document's reader.
type update struct {
	*pdfupdate.Update
	r *pdf.Reader
}

// lastStartXref returns the offset of the last cross-reference section of doc.
func lastStartXref(doc []byte) (int64, error) {
	off, err := pdfupdate.LastStartXref(doc)
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrNotPDF, err)
	}
	return off, nil
}

// openReader parses doc, turning the reader's panics into ErrNotPDF.
func openReader(doc []byte) (r *pdf.Reader, err error) {
	defer func() {
		if v := recover(); v != nil {
			r, err = nil, fmt.Errorf("%w: reading PDF: %v", ErrNotPDF, v)
		}
	}()
	if err := checkXrefBounds(doc); err != nil {
		return nil, err
	}
	r, err = pdf.NewReader(bytes.NewReader(doc), int64(len(doc)))
	if err != nil {
		return nil, fmt.Errorf("%w: reading PDF: %w", ErrNotPDF, err)
	}
	if r.Trailer().Key("Root").Kind() != pdf.Dict {
		return nil, fmt.Errorf("%w: no document catalog", ErrNotPDF)
	}
	if !r.Trailer().Key("Encrypt").IsNull() {
		return nil, fmt.Errorf("%w: encrypted documents are not signed here", ErrNotPDF)
	}
	return r, nil
}

// newUpdate starts an update of doc.
func newUpdate(doc []byte) (*update, error) {
	if _, err := lastStartXref(doc); err != nil {
		return nil, err
	}
	r, err := openReader(doc)
	if err != nil {
		return nil, err
	}
	pu, err := pdfupdate.New(doc, r)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotPDF, err)
	}
	return &update{Update: pu, r: r}, nil
}

// replace gives the existing object p a new body.
func (u *update) replace(p ref, body []byte) { u.Replace(pdfupdate.Ref{ID: p.id, Gen: p.gen}, body) }

// root returns the document catalog and where it lives.
func (u *update) root() (pdf.Value, ref) {
	v := u.r.Trailer().Key("Root")
	return v, ptrOf(v)
}
