package signing

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"regexp"
	"slices"
	"strconv"

	"github.com/digitorus/pdf"
)

// update is an incremental update being built on top of a document: new objects and
// replacements of existing ones, written after the document's bytes with a classic
// cross-reference section whose /Prev points at the document's last one.
type update struct {
	base []byte
	r    *pdf.Reader
	next int
	objs map[int][]byte
	gens map[int]int
}

var startxrefRE = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)

// lastStartXref returns the offset of the last cross-reference section of doc.
func lastStartXref(doc []byte) (int64, error) {
	m := startxrefRE.FindSubmatch(doc[max(0, len(doc)-1024):])
	if m == nil {
		return 0, fmt.Errorf("%w: no startxref at the end", ErrNotPDF)
	}
	return strconv.ParseInt(string(m[1]), 10, 64)
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
	next := int(r.Trailer().Key("Size").Int64())
	if next < 1 {
		return nil, fmt.Errorf("%w: trailer has no /Size", ErrNotPDF)
	}
	return &update{base: doc, r: r, next: next, objs: map[int][]byte{}, gens: map[int]int{}}, nil
}

// reserve returns a new object number; set gives its body later.
func (u *update) reserve() int {
	u.next++
	return u.next - 1
}

// add appends a new object and returns its number.
func (u *update) add(body []byte) int {
	id := u.reserve()
	u.set(id, body)
	return id
}

func (u *update) set(id int, body []byte) { u.objs[id] = body }

// replace gives the existing object p a new body.
func (u *update) replace(p ref, body []byte) {
	u.objs[p.id] = body
	u.gens[p.id] = p.gen
}

// root returns the document catalog and where it lives.
func (u *update) root() (pdf.Value, ref) {
	v := u.r.Trailer().Key("Root")
	return v, ptrOf(v)
}

// bytes returns the document with the update appended.
func (u *update) bytes() ([]byte, error) {
	prev, err := lastStartXref(u.base)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.Write(u.base)
	if !bytes.HasSuffix(u.base, []byte("\n")) {
		b.WriteByte('\n')
	}
	ids := make([]int, 0, len(u.objs))
	for id := range u.objs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	offsets := make(map[int]int, len(ids))
	for _, id := range ids {
		offsets[id] = b.Len()
		fmt.Fprintf(&b, "%d %d obj\n%s\nendobj\n", id, u.gens[id], u.objs[id])
	}
	_, root := u.root()
	tail := fmt.Sprintf("/Root %s /Prev %d", root, prev)
	if info := u.r.Trailer().Key("Info"); info.Kind() == pdf.Dict {
		tail += fmt.Sprintf(" /Info %s", ptrOf(info))
	}
	tail += " /ID [" + u.documentID() + "]"
	if bytes.HasPrefix(u.base[prev:], []byte("xref")) {
		writeXrefTable(&b, ids, offsets, u.gens, u.next, tail)
	} else {
		u.writeXrefStream(&b, ids, offsets, tail)
	}
	return b.Bytes(), nil
}

// writeXrefTable writes a classic cross-reference section and trailer.
func writeXrefTable(b *bytes.Buffer, ids []int, offsets, gens map[int]int, size int, tail string) {
	xref := b.Len()
	b.WriteString("xref\n")
	for i := 0; i < len(ids); {
		j := i + 1
		for j < len(ids) && ids[j] == ids[j-1]+1 {
			j++
		}
		fmt.Fprintf(b, "%d %d\n", ids[i], j-i)
		for _, id := range ids[i:j] {
			fmt.Fprintf(b, "%010d %05d n \n", offsets[id], gens[id])
		}
		i = j
	}
	fmt.Fprintf(b, "trailer\n<< /Size %d %s >>\nstartxref\n%d\n%%%%EOF\n", size, tail, xref)
}

// writeXrefStream writes the section as a cross-reference stream, for documents whose
// readers expect /Prev to lead to one (github.com/digitorus/pdf does).
func (u *update) writeXrefStream(b *bytes.Buffer, ids []int, offsets map[int]int, tail string) {
	self := u.reserve()
	offsets[self] = b.Len()
	ids = append(ids, self)
	var index, data bytes.Buffer
	for i := 0; i < len(ids); {
		j := i + 1
		for j < len(ids) && ids[j] == ids[j-1]+1 {
			j++
		}
		fmt.Fprintf(&index, " %d %d", ids[i], j-i)
		for _, id := range ids[i:j] {
			o := offsets[id]
			data.Write([]byte{1, byte(o >> 24), byte(o >> 16), byte(o >> 8), byte(o), byte(u.gens[id] >> 8), byte(u.gens[id])})
		}
		i = j
	}
	fmt.Fprintf(b, "%d 0 obj\n<< /Type /XRef /Size %d /Index [%s ] /W [1 4 2] %s /Length %d >>\nstream\n",
		self, u.next, index.String(), tail, data.Len())
	b.Write(data.Bytes())
	fmt.Fprintf(b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", offsets[self])
}

// documentID returns the trailer /ID array's content: the document's own, or a new
// random one (PDF/A requires an ID).
func (u *update) documentID() string {
	if id := u.r.Trailer().Key("ID"); id.Len() == 2 {
		return fmt.Sprintf("<%X> <%X>", id.Index(0).RawString(), id.Index(1).RawString())
	}
	var buf [16]byte
	_, _ = rand.Read(buf[:])
	return fmt.Sprintf("<%X> <%X>", buf, buf)
}
