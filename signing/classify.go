package signing

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/digitorus/pdf"
)

// revClassifier judges one update: what it replaced, against the revision before it.
type revClassifier struct {
	prev, cur *pdf.Reader
	rev       revision
	// newSigs are the ByteRanges of the signatures the update adds, true for document
	// time-stamps.
	newSigs map[[4]int64]bool
	out     []revChange
}

// classifyRevision describes what rev changed in the document prev. Objects the update
// adds are judged through the objects that refer to them, which it must replace; every
// replaced or deleted object is judged by its role in prev.
func classifyRevision(prev *pdf.Reader, rev revision, slots []slot, timestamp func(slot) bool) (out []revChange, err error) {
	defer func() {
		if v := recover(); v != nil { // github.com/digitorus/pdf panics on damage
			out, err = nil, fmt.Errorf("%v", v)
		}
	}()
	c := &revClassifier{prev: prev, cur: rev.r, rev: rev, newSigs: map[[4]int64]bool{}}
	for _, sl := range slots {
		if sl.bad == "" && int64(sl.at) >= rev.start && int64(sl.at) < rev.end {
			c.newSigs[sl.br] = timestamp(sl)
			if timestamp(sl) {
				c.add(ChangeDocumentTimestamp, "a document time-stamp was added")
			} else {
				c.add(ChangeSignature, "a signature was added")
			}
		}
	}
	c.trailer()
	roles := rolesOf(prev)
	for _, o := range rev.objs {
		if o.id == 0 || !inUse(prev, o.id) {
			continue // a new object
		}
		c.object(o, roles[o.id])
	}
	return c.out, nil
}

// add records a change once.
func (c *revClassifier) add(kind, detail string) { c.addChange(revChange{kind: kind, detail: detail}) }

func (c *revClassifier) addChange(ch revChange) {
	if !slices.Contains(c.out, ch) {
		c.out = append(c.out, ch)
	}
}

// addsSignature reports whether the update adds a signature (not a time-stamp).
func (c *revClassifier) addsSignature() bool {
	for _, ts := range c.newSigs {
		if !ts {
			return true
		}
	}
	return false
}

// trailer judges what the trailers say: the catalog, the information dictionary and
// the number of pages.
func (c *revClassifier) trailer() {
	old, cur := c.prev.Trailer(), c.cur.Trailer()
	if ptrOf(old.Key("Root")) != ptrOf(cur.Key("Root")) {
		c.add(ChangeCatalog, "the trailer names another document catalog")
	}
	oi, ci := old.Key("Info"), cur.Key("Info")
	if ptrOf(oi) != ptrOf(ci) || oi.Kind() != ci.Kind() {
		if keys := changedKeys(oi, ci); len(keys) > 0 || oi.Kind() != ci.Kind() {
			c.add(ChangeMetadata, "the trailer names another document information dictionary"+keyList(keys))
		}
	}
	if n, m := c.prev.NumPage(), c.cur.NumPage(); n != m {
		c.add(ChangePage, fmt.Sprintf("the number of pages changed from %d to %d", n, m))
	}
}

// object judges the replacement or deletion of object o, which had role ro.
func (c *revClassifier) object(o objectAt, ro role) {
	if o.free {
		c.add(ChangeObject, fmt.Sprintf("object %d was deleted", o.id))
		return
	}
	old, cur := objectByID(c.prev, c.prev, o.id), objectByID(c.prev, c.cur, o.id)
	if cur.IsNull() && !old.IsNull() {
		c.add(ChangeObject, fmt.Sprintf("object %d was replaced by another generation or removed", o.id))
		return
	}
	switch ro.kind {
	case roleCatalog:
		c.catalog(old, cur)
	case rolePageTree:
		if !sameObject(old, cur) {
			c.add(ChangePage, "the page tree changed")
		}
	case rolePage:
		c.page(ro.page, old, cur)
	case roleAnnot:
		if !sameObject(old, cur) {
			c.add(ChangeAnnotation, fmt.Sprintf("an annotation on page %d was changed", ro.page))
		}
	case roleAcroForm:
		c.form(old, cur)
	case roleSigField:
		c.sigField(old, cur)
	case roleField:
		c.field(old, cur)
	case roleInfo:
		if keys := changedKeys(old, cur); len(keys) > 0 {
			c.add(ChangeMetadata, "the document information dictionary changed"+keyList(keys))
		}
	case roleXMP:
		if !sameStream(old, cur) {
			c.add(ChangeMetadata, "the XMP metadata stream changed")
		}
	case roleDSS:
		c.addChange(revChange{kind: ChangeValidationData, detail: "validation data (DSS) was updated", dssObj: o.id})
	default:
		c.add(ChangeObject, fmt.Sprintf("object %d (%s) was replaced", o.id, describeObject(old)))
	}
}

// catalog judges the changes between two versions of the catalog.
func (c *revClassifier) catalog(old, cur pdf.Value) {
	for _, k := range changedKeys(old, cur) {
		switch k {
		case "Version":
		case "AcroForm":
			c.form(old.Key(k), cur.Key(k))
		case "DSS":
			if old.Key(k).IsNull() {
				c.add(ChangeValidationData, "validation data (DSS) was added")
			} else {
				c.add(ChangeValidationData, "validation data (DSS) was updated")
			}
		case "Metadata":
			c.add(ChangeMetadata, "the catalog points at other XMP metadata")
		case "OutputIntents":
			c.add(ChangeMetadata, "the catalog's /OutputIntents changed")
		default:
			c.add(ChangeCatalog, "the catalog's /"+k+" changed")
		}
	}
}

// form judges the changes between two versions of the interactive form dictionary.
func (c *revClassifier) form(old, cur pdf.Value) {
	for _, k := range changedKeys(old, cur) {
		switch k {
		case "SigFlags":
		case "Fields":
			c.fieldList(old.Key(k), cur.Key(k))
		case "DR", "DA", "NeedAppearances":
			c.add(ChangeFormField, "the form's /"+k+" changed")
		default:
			c.add(ChangeCatalog, "the form's /"+k+" changed")
		}
	}
}

// fieldList judges the changes between two versions of the form's field array: fields
// may be added, not removed.
func (c *revClassifier) fieldList(old, cur pdf.Value) {
	have := entries(old)
	now := entries(cur)
	for _, e := range have {
		if !slices.Contains(now, e) {
			c.add(ChangeCatalog, "a form field was removed")
		}
	}
	for i := range cur.Len() {
		if slices.Contains(have, now[i]) {
			continue
		}
		f := cur.Index(i)
		if f.Key("FT").Name() != "Sig" {
			c.add(ChangeAnnotation, "a form field that is not a signature was added")
			continue
		}
		c.signatureValue(f.Key("V"), "a signature field was added")
	}
}

// signatureValue judges a signature field's new value v: quiet when it is a signature
// or time-stamp the update adds.
func (c *revClassifier) signatureValue(v pdf.Value, what string) {
	if v.IsNull() {
		c.add(ChangeSignatureField, "an empty signature field was added")
		return
	}
	var br [4]int64
	for j := range br {
		br[j] = v.Key("ByteRange").Index(j).Int64()
	}
	ts, ok := c.newSigs[br]
	switch {
	case !ok:
		c.add(ChangeSignatureField, what+" that holds no signature of this update")
	case ts:
		c.addChange(revChange{kind: ChangeDocumentTimestamp, detail: "a document time-stamp's field was added", quiet: true})
	default:
		c.addChange(revChange{kind: ChangeSignatureField, detail: what, quiet: true})
	}
}

// page judges the changes between two versions of page number n: only signature
// widgets may be added to its annotations.
func (c *revClassifier) page(n int, old, cur pdf.Value) {
	keys := changedKeys(old, cur)
	if slices.ContainsFunc(keys, func(k string) bool { return k != "Annots" }) {
		c.add(ChangePage, fmt.Sprintf("page %d was replaced: its content, resources or size changed", n))
	}
	if !slices.Contains(keys, "Annots") {
		return
	}
	oa, ca := old.Key("Annots"), cur.Key("Annots")
	have, now := entries(oa), entries(ca)
	for _, e := range have {
		if !slices.Contains(now, e) {
			c.add(ChangeAnnotation, fmt.Sprintf("an annotation was removed from page %d", n))
		}
	}
	for i := range ca.Len() {
		if slices.Contains(have, now[i]) {
			continue
		}
		a := ca.Index(i)
		isSig := a.Key("Subtype").Name() == "Widget" && (a.Key("FT").Name() == "Sig" || a.Key("Parent").Key("FT").Name() == "Sig")
		if !isSig {
			c.add(ChangeAnnotation, fmt.Sprintf("page %d has a new annotation that is not a signature", n))
			continue
		}
		c.widget(n, a)
	}
}

// widget judges a signature widget newly listed on page n: part of a signature or
// document time-stamp the update adds (and so judged as that signature), else a new
// signature field.
func (c *revClassifier) widget(n int, a pdf.Value) {
	v := a.Key("V")
	if v.IsNull() {
		v = a.Key("Parent").Key("V")
	}
	var br [4]int64
	for j := range br {
		br[j] = v.Key("ByteRange").Index(j).Int64()
	}
	ts, ok := c.newSigs[br]
	switch {
	case ok && ts:
		c.addChange(revChange{kind: ChangeDocumentTimestamp, detail: fmt.Sprintf("page %d lists the new document time-stamp's widget", n), quiet: true})
	case ok || c.addsSignature():
		c.addChange(revChange{kind: ChangeSignatureField, detail: fmt.Sprintf("page %d shows the new signature", n), quiet: true})
	default:
		c.add(ChangeSignatureField, fmt.Sprintf("page %d shows a new signature field but no signature was added", n))
	}
}

// sigField judges the changes between two versions of a signature field: an empty one
// may be signed; a signed one may not change.
func (c *revClassifier) sigField(old, cur pdf.Value) {
	keys := changedKeys(old, cur)
	switch {
	case !slices.Contains(keys, "V"):
	case !old.Key("V").IsNull():
		c.add(ChangeObject, "the value of a signed signature field was changed")
	default:
		c.signatureValue(cur.Key("V"), "an empty signature field was signed")
	}
	if slices.ContainsFunc(keys, func(k string) bool { return k != "V" }) {
		c.add(ChangeAnnotation, fmt.Sprintf("signature field %q changed its appearance or settings", old.Key("T").Text()))
	}
}

// field judges the changes between two versions of a form field that is not a
// signature: its value and appearance may change.
func (c *revClassifier) field(old, cur pdf.Value) {
	name := old.Key("T").Text()
	for _, k := range changedKeys(old, cur) {
		switch k {
		case "V", "AP", "AS":
			c.add(ChangeFormField, fmt.Sprintf("form field %q was filled in", name))
		default:
			c.add(ChangeAnnotation, fmt.Sprintf("form field %q changed its /%s", name, k))
		}
	}
}

// changedKeys returns, sorted, the keys whose values differ between two versions of a
// dictionary (references compared as references).
func changedKeys(old, cur pdf.Value) []string {
	var out []string
	for _, k := range append(old.Keys(), cur.Keys()...) {
		if !slices.Contains(out, k) && !sameValue(old.Key(k), cur.Key(k), ptrOf(old), ptrOf(cur)) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func keyList(keys []string) string {
	if len(keys) == 0 {
		return ""
	}
	return ": /" + strings.Join(keys, ", /")
}

// entries renders the elements of array v, references as references.
func entries(v pdf.Value) []string {
	out := make([]string, v.Len())
	for i := range out {
		var b bytes.Buffer
		writeValue(&b, v.Index(i), ptrOf(v))
		out[i] = b.String()
		mustCompare(out[i])
	}
	return out
}

// sameObject reports whether two versions of an object have the same entries.
func sameObject(old, cur pdf.Value) bool {
	return len(changedKeys(old, cur)) == 0 && old.Kind() == cur.Kind()
}

// sameStream reports whether two versions of a stream have the same dictionary and data.
func sameStream(old, cur pdf.Value) bool {
	if !sameObject(old, cur) {
		return false
	}
	a, errA := readStream(old)
	b, errB := readStream(cur)
	return errA == nil && errB == nil && bytes.Equal(a, b)
}

// sameValue compares two values found in objects ca and cb shallowly: references as
// references. It panics, for classifyRevision to report, on values nested too deep to
// compare.
func sameValue(a, b pdf.Value, ca, cb ref) bool {
	var x, y bytes.Buffer
	writeValue(&x, a, ca)
	writeValue(&y, b, cb)
	mustCompare(x.String())
	mustCompare(y.String())
	return x.String() == y.String()
}

// mustCompare panics when s, written by writeValue, was cut short.
func mustCompare(s string) {
	if strings.Contains(s, tooDeep) {
		panic("an object is nested too deep to compare (it may refer to itself)")
	}
}

// describeObject names the type of object v.
func describeObject(v pdf.Value) string {
	switch {
	case v.Key("Type").Name() != "":
		return v.Key("Type").Name()
	case v.Kind() == pdf.Stream:
		return "a stream, such as page content or an image"
	}
	return "untyped"
}
