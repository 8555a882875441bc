package signing

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/digitorus/pdf"
)

// Kinds of [Change]. Signatures, document time-stamps, validation data and signature
// fields are what a later signer or archivist adds and are allowed; the others change
// what the signer saw.
const (
	ChangeSignature         = "signature"
	ChangeDocumentTimestamp = "document-timestamp"
	ChangeValidationData    = "validation-data" // a DSS
	ChangeSignatureField    = "signature-field"
	ChangeMetadata          = "metadata" // document information or XMP
	ChangePage              = "page"     // a page's content, resources or size
	ChangeAnnotation        = "annotation"
	ChangeCatalog           = "catalog"
	ChangeObject            = "object"     // any other object the signed revision had
	ChangeUnreadable        = "unreadable" // bytes that are not a readable update
)

// Change is one thing the updates after a signature changed.
type Change struct {
	Kind    string `json:"kind"`    // one of the Change* constants
	Allowed bool   `json:"allowed"` // a signature, time-stamp, DSS or metadata
	Detail  string `json:"detail"`  // in English, with the object or page concerned
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

// classifyChanges describes what the bytes of data after the revision ending at end
// changed. The updates must be classic cross-reference sections (as khoso and most
// signing tools write them); anything else is reported as unreadable.
func classifyChanges(data []byte, end int64) []Change {
	unreadable := func(d string) []Change { return []Change{{Kind: ChangeUnreadable, Detail: d}} }
	ids, err := updatedObjects(data, end)
	if err != nil {
		return unreadable(err.Error())
	}
	before, err := openReader(data[:end])
	if err != nil {
		return unreadable("the signed revision cannot be read: " + err.Error())
	}
	after, err := openReader(data)
	if err != nil {
		return unreadable("the document cannot be read: " + err.Error())
	}
	changes := addedSignatures(data, end)
	known := knownObjects(before, after)
	oldSize := int(before.Trailer().Key("Size").Int64())
	for _, id := range ids {
		if id.id >= oldSize {
			continue // a new object: judged through the objects that refer to it
		}
		if c, ok := known[id.id]; ok {
			changes = append(changes, c...)
			continue
		}
		changes = append(changes, Change{Kind: ChangeObject, Detail: fmt.Sprintf("object %d (%s) was replaced", id.id, describeObject(data, id.offset))})
	}
	return changes
}

// addedSignatures lists the signatures and document time-stamps after end.
func addedSignatures(data []byte, end int64) []Change {
	var out []Change
	for _, sl := range findSlots(data) {
		switch {
		case int64(sl.at) < end || sl.bad != "":
		case isDocTimestamp(data, sl):
			out = append(out, Change{Kind: ChangeDocumentTimestamp, Allowed: true, Detail: "a document time-stamp was added"})
		default:
			out = append(out, Change{Kind: ChangeSignature, Allowed: true, Detail: "a signature was added"})
		}
	}
	return out
}

// knownObjects judges, by object number, the changes of the objects whose role is
// known: catalog, pages, AcroForm and fields, document information.
func knownObjects(before, after *pdf.Reader) map[int][]Change {
	out := map[int][]Change{}
	oldRoot, newRoot := before.Trailer().Key("Root"), after.Trailer().Key("Root")
	out[ptrOf(oldRoot).id] = compareCatalog(oldRoot, newRoot)
	newPages := map[int]pdf.Value{}
	for i := 1; i <= after.NumPage(); i++ {
		newPages[ptrOf(after.Page(i).V).id] = after.Page(i).V
	}
	for i := 1; i <= before.NumPage(); i++ {
		old := before.Page(i).V
		out[ptrOf(old).id] = comparePage(i, old, newPages[ptrOf(old).id])
	}
	acro := newRoot.Key("AcroForm")
	if p := ptrOf(acro); p != ptrOf(newRoot) {
		out[p.id] = nil
	}
	fields := acro.Key("Fields")
	for i := range fields.Len() {
		if f := fields.Index(i); f.Key("FT").Name() == "Sig" {
			out[ptrOf(f).id] = []Change{{Kind: ChangeSignatureField, Allowed: true, Detail: "a signature field was filled"}}
		}
	}
	if info := after.Trailer().Key("Info"); info.Kind() == pdf.Dict {
		out[ptrOf(info).id] = []Change{{Kind: ChangeMetadata, Allowed: true, Detail: "the document information dictionary changed"}}
	}
	return out
}

// compareCatalog judges the changes between two versions of the catalog.
func compareCatalog(old, new pdf.Value) []Change {
	var out []Change
	keys := map[string]bool{}
	for _, k := range append(old.Keys(), new.Keys()...) {
		keys[k] = true
	}
	for k := range keys {
		if sameValue(old.Key(k), new.Key(k), ptrOf(old), ptrOf(new)) {
			continue
		}
		switch k {
		case "AcroForm", "Version":
		case "DSS":
			out = append(out, Change{Kind: ChangeValidationData, Allowed: true, Detail: "validation data (DSS) was added"})
		case "Metadata", "OutputIntents":
			out = append(out, Change{Kind: ChangeMetadata, Allowed: true, Detail: "the catalog's /" + k + " changed"})
		default:
			out = append(out, Change{Kind: ChangeCatalog, Detail: "the catalog's /" + k + " changed"})
		}
	}
	return out
}

// comparePage judges the changes between two versions of page number n.
func comparePage(n int, old, new pdf.Value) []Change {
	if new.IsNull() {
		return []Change{{Kind: ChangePage, Detail: fmt.Sprintf("page %d was removed or moved", n)}}
	}
	var a, b bytes.Buffer
	writeEntries(&a, old, ptrOf(old), "Annots")
	writeEntries(&b, new, ptrOf(new), "Annots")
	if a.String() != b.String() {
		return []Change{{Kind: ChangePage, Detail: fmt.Sprintf("page %d was replaced: its content, resources or size changed", n)}}
	}
	annots := new.Key("Annots")
	for i := range annots.Len() {
		if w := annots.Index(i); w.Key("FT").Name() != "Sig" {
			return []Change{{Kind: ChangeAnnotation, Detail: fmt.Sprintf("page %d has an annotation that is not a signature", n)}}
		}
	}
	return nil
}

// sameValue compares two values found in objects ca and cb shallowly: references as
// references.
func sameValue(a, b pdf.Value, ca, cb ref) bool {
	var x, y bytes.Buffer
	writeValue(&x, a, ca)
	writeValue(&y, b, cb)
	return x.String() == y.String()
}

// objectAt is an object number and the offset of its new version.
type objectAt struct {
	id     int
	offset int64
}

var (
	trailerPrevRE = regexp.MustCompile(`/Prev\s+(\d+)`)
	subsectionRE  = regexp.MustCompile(`^(\d+)\s+(\d+)\s*$`)
	entryRE       = regexp.MustCompile(`^(\d{10})\s+(\d{5})\s+([nf])`)
	typeRE        = regexp.MustCompile(`/(?:Sub)?[Tt]ype\s*/(\w+)`)
)

// updatedObjects returns the objects defined by the cross-reference sections at or
// after offset end.
func updatedObjects(data []byte, end int64) ([]objectAt, error) {
	off, err := lastStartXref(data)
	if err != nil {
		return nil, fmt.Errorf("bytes were appended that are not an incremental update")
	}
	var out []objectAt
	for seen := 0; off >= end; seen++ {
		if seen > 1000 || off >= int64(len(data)) {
			return nil, fmt.Errorf("the cross-reference chain is broken")
		}
		var objs []objectAt
		var trailer []byte
		var err error
		if bytes.HasPrefix(data[off:], []byte("xref")) {
			objs, trailer, err = readXrefSection(data[off:])
		} else {
			objs, trailer, err = readXrefStream(data[off:])
		}
		if err != nil {
			return nil, fmt.Errorf("an update at offset %d: %w", off, err)
		}
		out = append(out, objs...)
		m := trailerPrevRE.FindSubmatch(trailer)
		if m == nil {
			return nil, fmt.Errorf("an update has no /Prev")
		}
		off, _ = strconv.ParseInt(string(m[1]), 10, 64)
	}
	return out, nil
}

// readXrefSection parses "xref" subsections and returns the objects in use and the
// trailer dictionary's text.
func readXrefSection(b []byte) ([]objectAt, []byte, error) {
	lines := bytes.Split(b[:min(len(b), 1<<20)], []byte("\n"))
	var out []objectAt
	for i := 1; i < len(lines); i++ {
		line := bytes.TrimSpace(lines[i])
		if bytes.HasPrefix(line, []byte("trailer")) {
			rest := bytes.Join(lines[i:], []byte("\n"))
			return out, rest[:min(len(rest), 4096)], nil
		}
		m := subsectionRE.FindSubmatch(line)
		if m == nil {
			return nil, nil, fmt.Errorf("cross-reference table is malformed")
		}
		first, _ := strconv.Atoi(string(m[1]))
		count, _ := strconv.Atoi(string(m[2]))
		for j := 0; j < count && i+1 < len(lines); j++ {
			i++
			e := entryRE.FindSubmatch(bytes.TrimSpace(lines[i]))
			if e == nil {
				return nil, nil, fmt.Errorf("cross-reference entry is malformed")
			}
			if string(e[3]) == "n" {
				offset, _ := strconv.ParseInt(string(e[1]), 10, 64)
				out = append(out, objectAt{id: first + j, offset: offset})
			}
		}
	}
	return nil, nil, fmt.Errorf("cross-reference table has no trailer")
}

var (
	xrefWRE      = regexp.MustCompile(`/W\s*\[\s*(\d)\s+(\d)\s+(\d)\s*\]`)
	xrefIndexRE  = regexp.MustCompile(`/Index\s*\[([\d\s]*)\]`)
	xrefSizeRE   = regexp.MustCompile(`/Size\s+(\d+)`)
	xrefLengthRE = regexp.MustCompile(`/Length\s+(\d+)(\s+\d+\s+R)?`)
)

// readXrefStream parses a cross-reference stream without filter or with FlateDecode
// and no predictor, and returns the objects in use and the dictionary's text.
func readXrefStream(b []byte) ([]objectAt, []byte, error) {
	i := bytes.Index(b[:min(len(b), 4096)], []byte("stream"))
	if i < 0 {
		return nil, nil, fmt.Errorf("neither a cross-reference table nor a stream")
	}
	dict := b[:i]
	w, length := xrefWRE.FindSubmatch(dict), xrefLengthRE.FindSubmatch(dict)
	if !bytes.Contains(dict, []byte("/XRef")) || w == nil || length == nil || len(length[2]) > 0 || bytes.Contains(dict, []byte("/DecodeParms")) {
		return nil, nil, fmt.Errorf("a cross-reference stream this verifier cannot read")
	}
	start := i + len("stream")
	if bytes.HasPrefix(b[start:], []byte("\r")) {
		start++
	}
	start++ // the end of line after "stream"
	n, _ := strconv.Atoi(string(length[1]))
	if start+n > len(b) {
		return nil, nil, fmt.Errorf("cross-reference stream is truncated")
	}
	raw := b[start : start+n]
	if bytes.Contains(dict, []byte("/FlateDecode")) {
		zr, err := zlib.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, nil, err
		}
		if raw, err = io.ReadAll(io.LimitReader(zr, 64<<20)); err != nil {
			return nil, nil, err
		}
	}
	return xrefStreamEntries(raw, dict, w)
}

// xrefStreamEntries decodes the entries of a cross-reference stream.
func xrefStreamEntries(raw, dict []byte, w [][]byte) ([]objectAt, []byte, error) {
	var widths [3]int
	for k := range widths {
		widths[k] = int(w[k+1][0] - '0')
	}
	var index []int
	if m := xrefIndexRE.FindSubmatch(dict); m != nil {
		for _, f := range strings.Fields(string(m[1])) {
			v, _ := strconv.Atoi(f)
			index = append(index, v)
		}
	} else if m := xrefSizeRE.FindSubmatch(dict); m != nil {
		size, _ := strconv.Atoi(string(m[1]))
		index = []int{0, size}
	}
	field := func(b []byte) int64 {
		var v int64
		for _, c := range b {
			v = v<<8 | int64(c)
		}
		return v
	}
	row := widths[0] + widths[1] + widths[2]
	var out []objectAt
	for k := 0; k+1 < len(index); k += 2 {
		for j := range index[k+1] {
			if len(raw) < row || row == 0 {
				return nil, nil, fmt.Errorf("cross-reference stream is short")
			}
			typ := int64(1)
			if widths[0] > 0 {
				typ = field(raw[:widths[0]])
			}
			if typ != 0 {
				// type 2 (in an object stream) is reported at the stream's number
				out = append(out, objectAt{id: index[k] + j, offset: field(raw[widths[0] : widths[0]+widths[1]])})
			}
			raw = raw[row:]
		}
	}
	return out, dict, nil
}

// describeObject names the type of the object at offset from its text.
func describeObject(data []byte, offset int64) string {
	if offset < 0 || offset >= int64(len(data)) {
		return "missing"
	}
	head := data[offset:min(int64(len(data)), offset+300)]
	if m := typeRE.FindSubmatch(head); m != nil {
		return string(m[1])
	}
	if bytes.Contains(head, []byte("stream")) {
		return "a stream, such as page content or an image"
	}
	return "untyped"
}
