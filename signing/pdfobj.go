package signing

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/digitorus/pdf"
)

// ref is an indirect reference: object number and generation.
type ref struct{ id, gen int }

func (r ref) String() string { return fmt.Sprintf("%d %d R", r.id, r.gen) }

// ptrOf returns the object v lives in: itself when v was reached through a reference,
// its container otherwise.
func ptrOf(v pdf.Value) ref {
	p := v.GetPtr()
	return ref{int(p.GetID()), int(p.GetGen())}
}

// maxNesting bounds the depth of the direct values writeValue writes: an object that
// refers to itself reads as endlessly nested.
const maxNesting = 64

// tooDeep is what writeValue writes past maxNesting: null and a comment saying so.
const tooDeep = "null\n% khoso: nested too deep\n"

// writeValue writes v, a value found inside the object container, in PDF syntax.
// Values that live in another object are written as references to it, so nothing is
// copied but v's direct parts. Strings are written as hex strings. Past maxNesting
// levels it writes tooDeep.
func writeValue(b *bytes.Buffer, v pdf.Value, container ref) {
	writeNested(b, v, container, 0)
}

func writeNested(b *bytes.Buffer, v pdf.Value, container ref, depth int) {
	if depth > maxNesting {
		b.WriteString(tooDeep)
		return
	}
	if p := ptrOf(v); p != container && p.id != 0 {
		b.WriteString(p.String())
		return
	}
	switch v.Kind() {
	case pdf.Null, pdf.Stream: // a direct stream cannot exist
		b.WriteString("null")
	case pdf.Bool:
		b.WriteString(strconv.FormatBool(v.Bool()))
	case pdf.Integer:
		b.WriteString(strconv.FormatInt(v.Int64(), 10))
	case pdf.Real:
		b.WriteString(strconv.FormatFloat(v.Float64(), 'f', -1, 64))
	case pdf.String:
		fmt.Fprintf(b, "<%X>", v.RawString())
	case pdf.Name:
		b.WriteString(pdfName(v.Name()))
	case pdf.Array:
		b.WriteByte('[')
		for i := range v.Len() {
			b.WriteByte(' ')
			writeNested(b, v.Index(i), container, depth+1)
		}
		b.WriteString(" ]")
	case pdf.Dict:
		b.WriteString("<<")
		for _, k := range v.Keys() {
			fmt.Fprintf(b, " %s ", pdfName(k))
			writeNested(b, v.Key(k), container, depth+1)
		}
		b.WriteString(" >>")
	}
}

// writeEntries writes the entries of dictionary v, found inside container, but the
// keys in skip; the caller writes "<<" and ">>".
func writeEntries(b *bytes.Buffer, v pdf.Value, container ref, skip ...string) {
	for _, k := range v.Keys() {
		if slices.Contains(skip, k) {
			continue
		}
		fmt.Fprintf(b, " %s ", pdfName(k))
		writeValue(b, v.Key(k), container)
	}
}

// pdfName renders a name object, escaping delimiters, white space and non-ASCII
// bytes as #xx.
func pdfName(s string) string {
	var b bytes.Buffer
	b.WriteByte('/')
	for _, c := range []byte(s) {
		if c <= ' ' || c >= 0x7f || bytes.IndexByte([]byte("#()<>[]{}/%"), c) >= 0 {
			fmt.Fprintf(&b, "#%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// readStream returns the decoded data of stream v.
func readStream(v pdf.Value) (data []byte, err error) {
	defer func() {
		if r := recover(); r != nil { // the reader panics on unknown filters
			data, err = nil, fmt.Errorf("stream: %v", r)
		}
	}()
	rc := v.Reader()
	defer rc.Close()
	return io.ReadAll(rc)
}

// flateStream renders a stream object with dictionary entries dict and data
// compressed with FlateDecode.
func flateStream(dict string, data []byte) []byte {
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	_, _ = zw.Write(data)
	_ = zw.Close()
	var b bytes.Buffer
	fmt.Fprintf(&b, "<<%s /Filter /FlateDecode /Length %d >>\nstream\n", dict, z.Len())
	b.Write(z.Bytes())
	b.WriteString("\nendstream")
	return b.Bytes()
}
