package signing

import "crypto/x509"

// Document is a PDF signed in several steps, such as the pipeline's clerk
// signature, agency signature, validation data and document timestamp.
// Every step checks its output with the verifier, and the next step needs
// the report of its input: a Document keeps the report the last step made,
// so each step verifies once, not twice. A Document is not safe for
// concurrent use.
type Document struct {
	pdf    []byte
	report *Report        // of pdf, as the last step verified it; nil until then
	roots  *x509.CertPool // what report was verified against
}

// Open returns pdf as a Document to sign in steps. Nothing is verified
// yet: the first step does it.
func Open(pdf []byte) *Document { return &Document{pdf: pdf} }

// Bytes returns the document as the last step left it. The caller must
// not change them while it still signs the Document.
func (d *Document) Bytes() []byte { return d.pdf }

// verified returns the report of the document against roots: the last
// step's, when it verified against the same trust anchors (two signers of
// one agency, each with its own pool of them, share reports), else a new
// one.
func (d *Document) verified(roots *x509.CertPool) (*Report, error) {
	if d.report != nil && (d.roots == roots || d.roots.Equal(roots)) {
		return d.report, nil
	}
	r, err := verify(d.pdf, roots)
	if err != nil {
		return nil, err
	}
	d.report, d.roots = r, roots
	return r, nil
}

// set records a step's output and its report.
func (d *Document) set(pdf []byte, r *Report, roots *x509.CertPool) {
	d.pdf, d.report, d.roots = pdf, r, roots
}
