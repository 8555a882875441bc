package signing

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/digitorus/pdf"
)

// byteRangePlaceholder is replaced by the real ByteRange, padded with spaces.
const byteRangePlaceholder = "/ByteRange [0 0000000000 0000000000 0000000000]"

// layout is what one signature update holds besides the signature value.
type layout struct {
	// timestamp makes a document time-stamp (/Type /DocTimeStamp, ETSI.RFC3161)
	// instead of a CAdES signature.
	timestamp bool
	// entries are extra signature dictionary entries (/Name, /M, /Reason...).
	entries string
	// reserve is the number of bytes reserved for the DER signature.
	reserve int
	// docMDP, 1 to 3, makes a certification signature with those permissions.
	docMDP int
	// lock locks the document with the signature field (FieldMDP /Action /All, /P 1).
	lock bool
	// visible draws this text in the signature's widget on page 1; nil means invisible.
	visible *VisibleText
}

// layoutSignature appends to doc an update holding a signature field and a signature
// dictionary whose /Contents is zeros, and returns the file and the signature's slot.
func layoutSignature(doc []byte, l layout) ([]byte, slot, error) {
	u, err := newUpdate(doc)
	if err != nil {
		return nil, slot{}, err
	}
	sigID, fieldID := u.Reserve(), u.Reserve()
	u.Set(sigID, l.signatureDictionary())
	page := u.r.Page(1)
	if page.V.IsNull() {
		return nil, slot{}, fmt.Errorf("%w: no page 1", ErrNotPDF)
	}
	rect, ap := "[0 0 0 0]", ""
	var font *ref
	if l.visible != nil {
		r, apID, f, err := drawAppearance(u, page, *l.visible)
		if err != nil {
			return nil, slot{}, err
		}
		rect, ap, font = r, fmt.Sprintf(" /AP << /N %d 0 R >>", apID), f
	}
	// Every widget, an invisible one too, is listed in its page's /Annots (ISO 32000-2
	// 12.5.2): a reader that walks the pages finds every signature.
	u.replace(ptrOf(page.V), pageWithAnnot(page.V, fieldID))
	lock := ""
	if l.lock {
		lock = " /Lock << /Type /SigFieldLock /Action /All /P 1 >>"
	}
	u.Set(fieldID, fmt.Appendf(nil, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature%d) /V %d 0 R /F 132 /Rect %s /P %s%s%s >>",
		fieldID, sigID, rect, ptrOf(page.V), ap, lock))
	u.replace(u.catalogWithField(fieldID, sigID, l.docMDP > 0, font))
	out := u.Bytes()
	sl, err := fillByteRange(out, len(doc))
	return out, sl, err
}

// signatureDictionary returns the signature dictionary with placeholders.
func (l layout) signatureDictionary() []byte {
	var b bytes.Buffer
	if l.timestamp {
		b.WriteString("<< /Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161 ")
	} else {
		b.WriteString("<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached ")
	}
	b.WriteString(byteRangePlaceholder + " /Contents <" + strings.Repeat("0", 2*l.reserve) + "> ")
	b.WriteString(l.entries)
	switch {
	case l.docMDP > 0:
		fmt.Fprintf(&b, " /Reference [ << /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P %d /V /1.2 >> >> ]", l.docMDP)
	case l.lock:
		b.WriteString(" /Reference [ << /Type /SigRef /TransformMethod /FieldMDP /TransformParams << /Type /TransformParams /Action /All /P 1 /V /1.2 >> >> ]")
	}
	b.WriteString(" >>")
	return b.Bytes()
}

// pageWithAnnot returns the page dictionary with the widget fieldID added to /Annots.
func pageWithAnnot(page pdf.Value, fieldID int) []byte {
	var b bytes.Buffer
	p := ptrOf(page)
	b.WriteString("<<")
	writeEntries(&b, page, p, "Annots")
	b.WriteString(" /Annots [")
	annots := page.Key("Annots")
	for i := range annots.Len() {
		b.WriteByte(' ')
		writeValue(&b, annots.Index(i), ptrOf(annots))
	}
	fmt.Fprintf(&b, " %d 0 R ] >>", fieldID)
	return b.Bytes()
}

// catalogWithField returns the catalog with fieldID added to the AcroForm's fields,
// SigFlags 3, a PDF version of at least 1.7, for a certification signature
// /Perms /DocMDP pointing at sigID, and, when font is set, /DR naming it as the
// signatures' font.
func (u *update) catalogWithField(fieldID, sigID int, certify bool, font *ref) (ref, []byte) {
	root, p := u.root()
	var b bytes.Buffer
	b.WriteString("<<")
	skip := []string{"AcroForm"}
	if certify {
		skip = append(skip, "Perms")
	}
	writeEntries(&b, root, p, skip...)
	if v, err := strconv.ParseFloat(u.r.PDFVersion, 64); root.Key("Version").IsNull() && (err != nil || v < 1.7) {
		b.WriteString(" /Version /1.7")
	}
	acro := root.Key("AcroForm")
	b.WriteString(" /AcroForm <<")
	if font != nil {
		// The form's other resources and fonts stay; the signatures' font is ours.
		writeEntries(&b, acro, ptrOf(acro), "Fields", "SigFlags", "DR")
		dr := acro.Key("DR")
		b.WriteString(" /DR <<")
		writeEntries(&b, dr, ptrOf(dr), "Font")
		b.WriteString(" /Font <<")
		writeEntries(&b, dr.Key("Font"), ptrOf(dr.Key("Font")), formFont)
		fmt.Fprintf(&b, " /%s %s >> >>", formFont, *font)
	} else {
		writeEntries(&b, acro, ptrOf(acro), "Fields", "SigFlags")
	}
	b.WriteString(" /Fields [")
	fields := acro.Key("Fields")
	for i := range fields.Len() {
		b.WriteByte(' ')
		writeValue(&b, fields.Index(i), ptrOf(fields))
	}
	fmt.Fprintf(&b, " %d 0 R ] /SigFlags 3 >>", fieldID)
	if certify {
		fmt.Fprintf(&b, " /Perms << /DocMDP %d 0 R >>", sigID)
	}
	b.WriteString(" >>")
	return p, b.Bytes()
}

// fillByteRange writes the ByteRange of the one placeholder after offset from and
// returns the signature's slot.
func fillByteRange(out []byte, from int) (slot, error) {
	i := bytes.Index(out[from:], []byte(byteRangePlaceholder))
	if i < 0 {
		return slot{}, fmt.Errorf("%w: no ByteRange placeholder", ErrDamagedOutput)
	}
	at := from + i
	lt := at + len(byteRangePlaceholder) + len(" /Contents ")
	gt := bytes.IndexByte(out[lt:], '>')
	if out[lt] != '<' || gt < 0 {
		return slot{}, fmt.Errorf("%w: no /Contents after the ByteRange", ErrDamagedOutput)
	}
	gt += lt
	br := [4]int64{0, int64(lt), int64(gt + 1), int64(len(out) - gt - 1)}
	s := fmt.Sprintf("/ByteRange [0 %d %d %d", br[1], br[2], br[3])
	s += strings.Repeat(" ", len(byteRangePlaceholder)-1-len(s)) + "]"
	copy(out[at:], s)
	return slot{at: at, br: br}, nil
}
