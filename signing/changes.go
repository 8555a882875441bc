package signing

import (
	"fmt"

	"github.com/digitorus/pdf"
)

// Kinds of [Change]. Document time-stamps and validation data are allowed after any
// signature; signatures, signature fields and form fill-in unless a signature locked the
// document; annotations only under a certification with permission 3; metadata (the
// document information dictionary, XMP) only after a signature that sets no permission.
// The others change what the signer saw and are never allowed.
const (
	ChangeSignature         = "signature"
	ChangeDocumentTimestamp = "document-timestamp"
	ChangeValidationData    = "validation-data" // a DSS, its VRI and the streams they hold
	ChangeSignatureField    = "signature-field"
	ChangeFormField         = "form-field" // a form field's value or the form's appearance defaults
	ChangeMetadata          = "metadata"   // document information or XMP
	ChangePage              = "page"       // a page's content, resources or size, or the page tree
	ChangeAnnotation        = "annotation"
	ChangeCatalog           = "catalog"
	ChangeObject            = "object"     // any other object the signed revision had
	ChangeUnreadable        = "unreadable" // bytes that are not a readable update
)

// Change is one thing an update after a signature changed.
type Change struct {
	Kind string `json:"kind"` // one of the Change* constants
	// Allowed reports that the permissions of the signature (and of the certification
	// before it) allow the change; see the Change* kinds.
	Allowed bool   `json:"allowed"`
	Detail  string `json:"detail"` // in English, with the object or page concerned
	// Update numbers the incremental update that made the change: 1 for the first
	// after the signature.
	Update int `json:"update,omitempty"`
}

// allowed reports whether every change is allowed.
func allowed(changes []Change) bool {
	for _, c := range changes {
		if !c.Allowed {
			return false
		}
	}
	return true
}

// permits reports whether a signature whose permissions are restriction (0 none, else
// the DocMDP P value its certification or lock sets: 1 no changes, 2 form fill-in and
// signing, 3 also annotations) allows a change of kind.
func permits(restriction int, kind string) bool {
	switch kind {
	case ChangeDocumentTimestamp, ChangeValidationData:
		return true
	case ChangeSignature, ChangeSignatureField, ChangeFormField:
		return restriction != DocMDPNoChanges
	case ChangeAnnotation:
		return restriction == DocMDPAnnotateAndSign
	case ChangeMetadata:
		return restriction == 0
	}
	return false
}

// revChange is a change found in one update, before a signature's permissions judge it.
type revChange struct {
	kind, detail string
	// quiet marks a part of adding a signature (its field, its widget on the page): it
	// is not listed when the permissions allow it, the signature itself is.
	quiet bool
	// dssObj is, for validation data that replaced an object of the revision before,
	// that object: it must not be one the signed revision had in another role.
	dssObj int
}

// history is the chain of updates after the earliest signed revision.
type history struct {
	ends    []int64        // ends[0]: the earliest signed revision; then each update's end
	readers []*pdf.Reader  // the document as of each end
	changes [][]revChange  // changes[k]: what the update ending at ends[k+1] changed
	origins []map[int]bool // lazily, per end: the objects in use but validation data
	data    []byte         // the file
}

// readHistory reads and classifies every update after the earliest signature of data.
func readHistory(data []byte, slots []slot, timestamp func(slot) bool) (*history, error) {
	from := slots[0].br[2] + slots[0].br[3]
	base, revs, err := readRevisions(data, from)
	if err != nil {
		return nil, err
	}
	h := &history{ends: []int64{from}, readers: []*pdf.Reader{base}, data: data}
	for _, rev := range revs {
		c, err := classifyRevision(h.readers[len(h.readers)-1], rev, slots, timestamp)
		if err != nil {
			return nil, fmt.Errorf("the update ending at offset %d cannot be read: %w", rev.end, err)
		}
		h.ends, h.readers, h.changes = append(h.ends, rev.end), append(h.readers, rev.r), append(h.changes, c)
	}
	h.origins = make([]map[int]bool, len(h.ends))
	return h, nil
}

// revisionOf returns the index in h.ends of the revision a signature ending at end
// signs: the end itself, or one it misses only white space of.
func (h *history) revisionOf(end int64) (int, bool) {
	for k, e := range h.ends {
		if e >= end && blank(h.data[end:e]) {
			return k, true
		}
	}
	return 0, false
}

// later returns the changes made after revision k, judged by restriction.
func (h *history) later(k, restriction int) []Change {
	var out []Change
	for j := k; j < len(h.changes); j++ {
		for _, c := range h.changes[j] {
			ch := Change{Kind: c.kind, Detail: c.detail, Update: j - k + 1}
			if c.dssObj != 0 && h.origin(k)[c.dssObj] {
				ch.Kind, ch.Detail = ChangeObject, fmt.Sprintf("object %d of the signed document was replaced as validation data", c.dssObj)
			}
			ch.Allowed = permits(restriction, ch.Kind)
			if c.quiet && ch.Allowed {
				continue
			}
			out = append(out, ch)
		}
	}
	return out
}

// origin returns the objects of revision k that are not validation data.
func (h *history) origin(k int) map[int]bool {
	if h.origins[k] == nil {
		r := h.readers[k]
		dss := dssObjects(r)
		h.origins[k] = map[int]bool{}
		for id := range r.Xref() {
			if inUse(r, id) && !dss[id] {
				h.origins[k][id] = true
			}
		}
	}
	return h.origins[k]
}
