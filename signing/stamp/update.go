package stamp

import (
	"fmt"
	"sort"
	"strings"

	"github.com/digitorus/pdf"
)

// ref renders the object v lives in as a reference.
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
