// Package pdfupdate writes incremental updates of a PDF (ISO 32000-1
// §7.5.6): new objects and new bodies of existing ones, appended after the
// document's bytes with a cross-reference section whose /Prev points at
// the document's last one. The original bytes are never changed, so every
// signature over them stays valid. Signatures and stamps both write
// through it.
package pdfupdate

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"

	"github.com/digitorus/pdf"
)

// ErrNoStartXref is returned for a document that does not end with
// startxref and %%EOF.
var ErrNoStartXref = errors.New("no startxref at the end")

// Ref is an indirect reference: object number and generation.
type Ref struct{ ID, Gen int }

func (r Ref) String() string { return fmt.Sprintf("%d %d R", r.ID, r.Gen) }

// PtrOf returns the object v lives in: itself when v was reached through a
// reference, its container otherwise.
func PtrOf(v pdf.Value) Ref {
	p := v.GetPtr()
	return Ref{int(p.GetID()), int(p.GetGen())}
}

var startxrefRE = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)

// LastStartXref returns the offset of the last cross-reference section of
// doc.
func LastStartXref(doc []byte) (int64, error) {
	m := startxrefRE.FindSubmatch(doc[max(0, len(doc)-1024):])
	if m == nil {
		return 0, ErrNoStartXref
	}
	return strconv.ParseInt(string(m[1]), 10, 64)
}

// Update is an incremental update being built on top of a document.
type Update struct {
	base []byte
	r    *pdf.Reader
	prev int64
	next int
	objs map[int][]byte
	gens map[int]int
}

// New starts an update of doc, which r has read.
func New(doc []byte, r *pdf.Reader) (*Update, error) {
	prev, err := LastStartXref(doc)
	if err != nil {
		return nil, err
	}
	next := int(r.Trailer().Key("Size").Int64())
	if next < 1 {
		return nil, errors.New("trailer has no /Size")
	}
	return &Update{base: doc, r: r, prev: prev, next: next, objs: map[int][]byte{}, gens: map[int]int{}}, nil
}

// Reader is the reader of the document being updated.
func (u *Update) Reader() *pdf.Reader { return u.r }

// Next is the number the next new object gets.
func (u *Update) Next() int { return u.next }

// Reserve returns a new object number; Set gives its body later.
func (u *Update) Reserve() int {
	u.next++
	return u.next - 1
}

// Add appends a new object and returns its number.
func (u *Update) Add(body []byte) int {
	id := u.Reserve()
	u.Set(id, body)
	return id
}

// Set gives the reserved object id its body.
func (u *Update) Set(id int, body []byte) { u.objs[id] = body }

// Replace gives the existing object p a new body.
func (u *Update) Replace(p Ref, body []byte) {
	u.objs[p.ID] = body
	u.gens[p.ID] = p.Gen
}

// Root returns the document catalog and where it lives.
func (u *Update) Root() (pdf.Value, Ref) {
	v := u.r.Trailer().Key("Root")
	return v, PtrOf(v)
}

// Bytes returns the document with the update appended. Its cross-reference
// section is a table when the document's last one is, else a stream (for
// readers that expect /Prev to lead to one, as github.com/digitorus/pdf
// does). The trailer keeps the document's /Root, /Info and /ID, or gives
// it a random /ID (PDF/A requires one).
func (u *Update) Bytes() []byte {
	var b bytes.Buffer
	b.Grow(len(u.base) + 4096)
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
	_, root := u.Root()
	tail := fmt.Sprintf("/Root %s /Prev %d", root, u.prev)
	if info := u.r.Trailer().Key("Info"); info.Kind() == pdf.Dict {
		tail += fmt.Sprintf(" /Info %s", PtrOf(info))
	}
	tail += " /ID [" + u.documentID() + "]"
	if bytes.HasPrefix(u.base[u.prev:], []byte("xref")) {
		u.writeXrefTable(&b, ids, offsets, tail)
	} else {
		u.writeXrefStream(&b, ids, offsets, tail)
	}
	return b.Bytes()
}

// writeXrefTable writes a classic cross-reference section and trailer.
func (u *Update) writeXrefTable(b *bytes.Buffer, ids []int, offsets map[int]int, tail string) {
	xref := b.Len()
	b.WriteString("xref\n")
	for i := 0; i < len(ids); {
		j := i + 1
		for j < len(ids) && ids[j] == ids[j-1]+1 {
			j++
		}
		fmt.Fprintf(b, "%d %d\n", ids[i], j-i)
		for _, id := range ids[i:j] {
			fmt.Fprintf(b, "%010d %05d n \n", offsets[id], u.gens[id])
		}
		i = j
	}
	fmt.Fprintf(b, "trailer\n<< /Size %d %s >>\nstartxref\n%d\n%%%%EOF\n", u.next, tail, xref)
}

// writeXrefStream writes the section as a cross-reference stream.
func (u *Update) writeXrefStream(b *bytes.Buffer, ids []int, offsets map[int]int, tail string) {
	self := u.Reserve()
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

// documentID returns the trailer /ID array's content: the document's own,
// or a new random one.
func (u *Update) documentID() string {
	if id := u.r.Trailer().Key("ID"); id.Len() == 2 {
		return fmt.Sprintf("<%X> <%X>", id.Index(0).RawString(), id.Index(1).RawString())
	}
	var buf [16]byte
	_, _ = rand.Read(buf[:])
	return fmt.Sprintf("<%X> <%X>", buf, buf)
}
