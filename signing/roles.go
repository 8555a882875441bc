package signing

import "github.com/digitorus/pdf"

// objectRole is what an object of a revision is for, as far as judging its replacement
// goes.
type objectRole int

const (
	roleOther    objectRole = iota
	roleCatalog             // the document catalog
	rolePageTree            // an intermediate node of the page tree
	rolePage                // a page
	roleAnnot               // an annotation of a page that is not a form field
	roleAcroForm            // the interactive form dictionary
	roleSigField            // a signature field (or its widget)
	roleField               // another form field
	roleInfo                // the document information dictionary
	roleXMP                 // the catalog's XMP metadata stream
	roleDSS                 // validation data: the DSS and what it refers to
)

// role is an object's role and, for pages and annotations, its page number.
type role struct {
	kind objectRole
	page int
}

// maxWalk bounds the objects a walk of the page tree, the fields or the DSS visits.
const maxWalk = 100_000

// indirectID returns the object number of v when v is a reference inside container,
// and 0 when v is a direct value.
func indirectID(v, container pdf.Value) int {
	if p := ptrOf(v); p != ptrOf(container) {
		return p.id
	}
	return 0
}

// rolesOf returns the role of each object of r whose role is known.
func rolesOf(r *pdf.Reader) map[int]role {
	out := map[int]role{}
	trailer := r.Trailer()
	root := trailer.Key("Root")
	for id := range dssObjects(r) {
		out[id] = role{kind: roleDSS}
	}
	if id := ptrOf(root).id; id != 0 {
		out[id] = role{kind: roleCatalog}
	}
	if info := trailer.Key("Info"); info.Kind() == pdf.Dict && ptrOf(info).id != 0 {
		out[ptrOf(info).id] = role{kind: roleInfo}
	}
	if md := root.Key("Metadata"); indirectID(md, root) != 0 {
		out[indirectID(md, root)] = role{kind: roleXMP}
	}
	w := &walker{seen: map[int]bool{}}
	w.pages(root.Key("Pages"), out)
	acro := root.Key("AcroForm")
	if id := indirectID(acro, root); id != 0 {
		out[id] = role{kind: roleAcroForm}
	}
	w.fields(acro.Key("Fields"), "", 0, out)
	return out
}

// walker walks a tree of objects once each, within maxWalk steps.
type walker struct {
	seen  map[int]bool
	steps int
	page  int
}

// visit reports whether the walk may enter v, an object inside container.
func (w *walker) visit(v, container pdf.Value) bool {
	w.steps++
	if w.steps > maxWalk {
		return false
	}
	id := indirectID(v, container)
	if id == 0 {
		return true
	}
	if w.seen[id] {
		return false
	}
	w.seen[id] = true
	return true
}

// pages records the page tree under node: its nodes, its pages and their annotations.
func (w *walker) pages(node pdf.Value, out map[int]role) {
	if node.Kind() != pdf.Dict || w.steps > maxWalk {
		return
	}
	id := ptrOf(node).id
	if node.Key("Type").Name() != "Pages" {
		w.page++
		out[id] = role{kind: rolePage, page: w.page}
		annots := node.Key("Annots")
		for i := range annots.Len() {
			if a := annots.Index(i); indirectID(a, annots) != 0 {
				out[indirectID(a, annots)] = role{kind: roleAnnot, page: w.page}
			}
		}
		return
	}
	out[id] = role{kind: rolePageTree}
	kids := node.Key("Kids")
	for i := range kids.Len() {
		if k := kids.Index(i); w.visit(k, kids) {
			w.pages(k, out)
		}
	}
}

// fields records the form fields in arr and their descendants; ft is the field type
// inherited from the parent.
func (w *walker) fields(arr pdf.Value, ft string, depth int, out map[int]role) {
	if depth > maxFieldDepth {
		return
	}
	for i := range arr.Len() {
		f := arr.Index(i)
		if !w.visit(f, arr) {
			continue
		}
		fieldType := ft
		if n := f.Key("FT").Name(); n != "" {
			fieldType = n
		}
		if id := indirectID(f, arr); id != 0 {
			out[id] = role{kind: roleField}
			if fieldType == "Sig" {
				out[id] = role{kind: roleSigField}
			}
		}
		w.fields(f.Key("Kids"), fieldType, depth+1, out)
	}
}

// dssObjects returns the objects the document's DSS consists of: the DSS, its arrays,
// the streams they list, the VRI dictionary and its entries.
func dssObjects(r *pdf.Reader) (out map[int]bool) {
	out = map[int]bool{}
	defer func() {
		if recover() != nil { // a damaged DSS: what was found so far
			return
		}
	}()
	root := r.Trailer().Key("Root")
	d := root.Key("DSS")
	if d.Kind() != pdf.Dict {
		return out
	}
	w := &walker{seen: map[int]bool{}}
	w.collect(d, root, 0, out)
	return out
}

// collect records v, found inside container, and the objects under it, to depth 4
// (DSS → VRI → entry → array → stream).
func (w *walker) collect(v, container pdf.Value, depth int, out map[int]bool) {
	if depth > 4 || !w.visit(v, container) {
		return
	}
	if id := indirectID(v, container); id != 0 {
		out[id] = true
	}
	switch v.Kind() {
	case pdf.Dict:
		for _, k := range v.Keys() {
			if k != "Type" {
				w.collect(v.Key(k), v, depth+1, out)
			}
		}
	case pdf.Array:
		for i := range v.Len() {
			w.collect(v.Index(i), v, depth+1, out)
		}
	}
}
