package stamp

import (
	_ "embed"
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/digitorus/pdf"
	"github.com/khoso-vn/khoso/signing/internal/pdfupdate"
)

//go:embed assets/sRGB.icc
var srgbICC []byte

// Archival holds what PDFA writes into the document's XMP metadata besides
// what its Info dictionary already says.
type Archival struct {
	DocName, Number, Issuer, HolderID, HolderName, ResultCode string
	// CopyForm and VerificationCode describe a certified copy (the form,
	// such as "sao-y", and the code /verify/{code} resolves); empty for a
	// result, and then left out.
	CopyForm, VerificationCode string
}

// khosoNS is the XMP namespace of the record's fields.
const khosoNS = "https://khoso.vn/ns/record/1.0/"

// PDFA makes doc identify as PDF/A-2b: it adds XMP metadata (pdfaid part 2,
// conformance B; the Info dictionary's title, author, subject, keywords,
// creator, producer and dates mirrored as PDF/A requires; the record's
// fields in a described extension schema) and an sRGB output intent, as an
// incremental update of the document catalog. The caller keeps the rest of
// PDF/A: fonts embedded, a document ID, no encryption.
func PDFA(doc []byte, a Archival) ([]byte, error) {
	_, r, err := firstPage(doc)
	if err != nil {
		return nil, err
	}
	u, err := newUpdate(doc, r)
	if err != nil {
		return nil, err
	}
	trailer := r.Trailer()
	root := trailer.Key("Root")
	if root.Key("Pages").IsNull() {
		return nil, fmt.Errorf("%w: the catalog has no /Pages", ErrNotPDF)
	}
	for _, k := range root.Keys() {
		if k != "Type" && k != "Pages" && k != "Metadata" && k != "OutputIntents" {
			return nil, fmt.Errorf("stamp: PDF/A: unexpected catalog entry /%s", k)
		}
	}
	next := u.Next()
	xmp := xmpPacket(trailer.Key("Info"), a)
	objs := []string{
		stream("/Type /Metadata /Subtype /XML", []byte(xmp)),
		stream("/N 3", srgbICC),
		fmt.Sprintf("<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1) "+
			"/Info (sRGB IEC61966-2.1) /DestOutputProfile %d 0 R >>", next+1),
	}
	catalog := fmt.Sprintf("<< /Type /Catalog /Pages %s /Metadata %d 0 R /OutputIntents [%d 0 R] >>",
		ref(root.Key("Pages")), next, next+2)
	for _, o := range objs {
		u.Add([]byte(o))
	}
	u.Replace(pdfupdate.PtrOf(root), []byte(catalog))
	return u.Bytes(), nil
}

// xmpPacket writes the metadata stream.
func xmpPacket(info pdf.Value, a Archival) string {
	text := func(k string) string { return html.EscapeString(infoText(info.Key(k))) }
	var b strings.Builder
	b.WriteString(`<?xpacket begin="` + "\ufeff" + `" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:khoso="` + khosoNS + `"
 xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
 xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>
`)
	if t := text("Title"); t != "" {
		fmt.Fprintf(&b, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">%s</rdf:li></rdf:Alt></dc:title>\n", t)
	}
	if t := text("Author"); t != "" {
		fmt.Fprintf(&b, "<dc:creator><rdf:Seq><rdf:li>%s</rdf:li></rdf:Seq></dc:creator>\n", t)
	}
	if t := text("Subject"); t != "" {
		fmt.Fprintf(&b, "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">%s</rdf:li></rdf:Alt></dc:description>\n", t)
	}
	for key, prop := range map[string]string{"Keywords": "pdf:Keywords", "Producer": "pdf:Producer", "Creator": "xmp:CreatorTool"} {
		if t := text(key); t != "" {
			fmt.Fprintf(&b, "<%s>%s</%s>\n", prop, t, prop)
		}
	}
	for key, prop := range map[string]string{"CreationDate": "xmp:CreateDate", "ModDate": "xmp:ModifyDate"} {
		if t, ok := pdfDate(infoText(info.Key(key))); ok {
			fmt.Fprintf(&b, "<%s>%s</%s>\n", prop, t, prop)
		}
	}
	for _, f := range khosoFields(a) {
		if f.value == "" && f.optional {
			continue
		}
		fmt.Fprintf(&b, "<khoso:%s>%s</khoso:%s>\n", f.name, html.EscapeString(f.value), f.name)
	}
	b.WriteString(extensionSchema())
	b.WriteString("</rdf:Description></rdf:RDF></x:xmpmeta>\n" + strings.Repeat(" ", 512) + "\n<?xpacket end=\"w\"?>")
	return b.String()
}

type field struct {
	name, value, desc string
	optional          bool // left out when empty
}

func khosoFields(a Archival) []field {
	return []field{
		{"DocumentName", a.DocName, "tên giấy tờ / document name", false},
		{"DocumentNumber", a.Number, "số, ký hiệu / number and reference", false},
		{"Issuer", a.Issuer, "cơ quan cấp / issuing authority", false},
		{"HolderID", a.HolderID, "số định danh / holder's personal or organisation ID", false},
		{"HolderName", a.HolderName, "tên chủ hồ sơ / holder's name", false},
		{"ResultCode", a.ResultCode, "mã kết quả điện tử / electronic result code", false},
		{"CopyForm", a.CopyForm, "hình thức bản sao / form of the certified copy", true},
		{"VerificationCode", a.VerificationCode, "mã xác thực bản sao / verification code of the copy", true},
	}
}

// extensionSchema describes the khoso properties, as PDF/A requires of any
// property outside its predefined schemas.
func extensionSchema() string {
	var b strings.Builder
	b.WriteString(`<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>khoso record</pdfaSchema:schema><pdfaSchema:namespaceURI>` + khosoNS + `</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>khoso</pdfaSchema:prefix><pdfaSchema:property><rdf:Seq>
`)
	for _, f := range khosoFields(Archival{}) {
		fmt.Fprintf(&b, `<rdf:li rdf:parseType="Resource"><pdfaProperty:name>%s</pdfaProperty:name>`+
			`<pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category>`+
			`<pdfaProperty:description>%s</pdfaProperty:description></rdf:li>`+"\n", f.name, html.EscapeString(f.desc))
	}
	b.WriteString("</rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas>\n")
	return b.String()
}

// infoText decodes an Info string (PDFDocEncoding or UTF-16BE).
func infoText(v pdf.Value) string {
	if v.IsNull() {
		return ""
	}
	return v.Text()
}

// pdfDate turns "D:YYYYMMDDHHmmSS+HH'mm'" into ISO 8601.
func pdfDate(s string) (string, bool) {
	s = strings.TrimPrefix(s, "D:")
	s = strings.ReplaceAll(s, "'", "")
	for _, layout := range []string{"20060102150405-0700", "20060102150405Z0700", "20060102150405Z", "20060102150405"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(time.RFC3339), true
		}
	}
	return "", false
}
