package stamp

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/digitorus/pdf"
)

// update is one incremental update: new objects numbered from first, and
// existing objects replaced.
type update struct {
	prev     int64
	first    int
	objs     []string
	replaced []replacement
	trailer  pdf.Value
}

// replacement is a new body for an existing object.
type replacement struct {
	id   [2]int // object number and generation
	body string
}

func pageID(p pdf.Page) [2]int {
	ptr := p.V.GetPtr()
	return [2]int{int(ptr.GetID()), int(ptr.GetGen())}
}

func ref(v pdf.Value) string {
	ptr := v.GetPtr()
	return fmt.Sprintf("%d %d R", ptr.GetID(), ptr.GetGen())
}

// rewritePage returns page 1's dictionary with the stamp's content stream,
// font and images added.
func rewritePage(p pdf.Page, contentID, fontID, imageFirst, images int) (string, error) {
	v := p.V
	if v.Key("Parent").IsNull() || v.Key("MediaBox").IsNull() {
		return "", fmt.Errorf("%w: page 1 lacks /Parent or /MediaBox", ErrNotPDF)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<< /Type /Page /Parent %s /MediaBox %s", ref(v.Key("Parent")), array(v.Key("MediaBox")))
	if cb := v.Key("CropBox"); !cb.IsNull() {
		fmt.Fprintf(&b, " /CropBox %s", array(cb))
	}
	if rot := v.Key("Rotate"); !rot.IsNull() {
		fmt.Fprintf(&b, " /Rotate %d", rot.Int64())
	}
	b.WriteString(" /Contents [")
	switch c := v.Key("Contents"); c.Kind() {
	case pdf.Array:
		for i := 0; i < c.Len(); i++ {
			fmt.Fprintf(&b, "%s ", ref(c.Index(i)))
		}
	case pdf.Stream:
		fmt.Fprintf(&b, "%s ", ref(c))
	}
	fmt.Fprintf(&b, "%d 0 R]", contentID)
	res := p.Resources()
	fmt.Fprintf(&b, " /Resources << /ProcSet [/PDF /Text /ImageB /ImageC /ImageI] /XObject <<%s", refs(res.Key("XObject")))
	for i := 0; i < images; i++ {
		fmt.Fprintf(&b, " /KhosoIm%d %d 0 R", i, imageFirst+i)
	}
	fmt.Fprintf(&b, " >> /Font <<%s /KhosoF1 %d 0 R >> >> >>", refs(res.Key("Font")), fontID)
	return b.String(), nil
}

func array(v pdf.Value) string {
	parts := make([]string, v.Len())
	for i := range parts {
		parts[i] = num(v.Index(i).Float64())
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// refs renders a dictionary of indirect references, keys sorted.
func refs(d pdf.Value) string {
	keys := d.Keys()
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, " /%s %s", k, ref(d.Key(k)))
	}
	return b.String()
}

// appendUpdate writes u after doc, with its cross-reference section and a
// trailer pointing back at the previous one.
func appendUpdate(doc []byte, u update) ([]byte, error) {
	var b bytes.Buffer
	b.Write(doc)
	if !bytes.HasSuffix(doc, []byte("\n")) {
		b.WriteByte('\n')
	}
	offsets := map[int]int{}
	for _, r := range u.replaced {
		offsets[r.id[0]] = b.Len()
		fmt.Fprintf(&b, "%d %d obj\n%s\nendobj\n", r.id[0], r.id[1], r.body)
	}
	for i, o := range u.objs {
		offsets[u.first+i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", u.first+i, o)
	}
	xref := b.Len()
	b.WriteString("xref\n")
	for _, r := range u.replaced {
		fmt.Fprintf(&b, "%d 1\n%010d %05d n \n", r.id[0], offsets[r.id[0]], r.id[1])
	}
	fmt.Fprintf(&b, "%d %d\n", u.first, len(u.objs))
	for i := range u.objs {
		fmt.Fprintf(&b, "%010d 00000 n \n", offsets[u.first+i])
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %s /Prev %d", u.first+len(u.objs), ref(u.trailer.Key("Root")), u.prev)
	if info := u.trailer.Key("Info"); !info.IsNull() {
		fmt.Fprintf(&b, " /Info %s", ref(info))
	}
	if id := u.trailer.Key("ID"); id.Len() == 2 {
		fmt.Fprintf(&b, " /ID [%s %s]", hexString(id.Index(0)), hexString(id.Index(1)))
	}
	fmt.Fprintf(&b, " >>\nstartxref\n%d\n%%%%EOF\n", xref)
	return b.Bytes(), nil
}
