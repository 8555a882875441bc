package scantest

import (
	"bytes"
	"fmt"
)

// PDFImage is one page of an image-only PDF written by ImagePDF, as a
// scanner writes it: a page the image's physical size showing one image
// XObject.
type PDFImage struct {
	Filter       string  // "DCTDecode", "CCITTFaxDecode", "FlateDecode" or "" (raw samples)
	Data         []byte  // the stream data, already encoded
	W, H         int     // pixels
	BPC          int     // bits per component
	ColorSpace   string  // "DeviceGray" or "DeviceRGB"
	DPI          float64 // page size is W×H at this resolution
	BlackIs1     bool    // CCITT /BlackIs1
	Rotate       int     // page /Rotate
	DecodeParams string  // extra /DecodeParms entries for FlateDecode, e.g. "/Predictor 15 /Colors 1 /Columns 8"
}

// ImagePDF writes a PDF 1.4 with one page per image.
func ImagePDF(pages ...PDFImage) []byte { return ImagePDFInfo("", pages...) }

// ImagePDFInfo is ImagePDF with a document information dictionary holding info (such
// as "/CreationDate (D:20260304091530+07'00')"); empty writes none.
func ImagePDFInfo(info string, pages ...PDFImage) []byte {
	var b bytes.Buffer
	var offs []int
	obj := func(body string, stream []byte) {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\n", len(offs), body)
		if stream != nil {
			b.WriteString("stream\n")
			b.Write(stream)
			b.WriteString("\nendstream\n")
		}
		b.WriteString("endobj\n")
	}
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	kids := ""
	for i := range pages {
		kids += fmt.Sprintf("%d 0 R ", 3+3*i)
	}
	obj("<< /Type /Catalog /Pages 2 0 R >>", nil)
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids, len(pages)), nil)
	for i, p := range pages {
		k := 3 + 3*i
		wpt, hpt := float64(p.W)*72/p.DPI, float64(p.H)*72/p.DPI
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.4f %.4f] /Rotate %d "+
			"/Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>", wpt, hpt, p.Rotate, k+1, k+2), nil)
		obj(p.dict(), p.Data)
		content := fmt.Sprintf("q %.4f 0 0 %.4f 0 0 cm /Im0 Do Q", wpt, hpt)
		obj(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content))
	}
	infoRef := ""
	if info != "" {
		obj("<< "+info+" >>", nil)
		infoRef = fmt.Sprintf(" /Info %d 0 R", len(offs))
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, infoRef, xref)
	return b.Bytes()
}

// dict is the image XObject's dictionary.
func (p PDFImage) dict() string {
	d := fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /%s /BitsPerComponent %d /Length %d",
		p.W, p.H, p.ColorSpace, p.BPC, len(p.Data))
	switch p.Filter {
	case "CCITTFaxDecode":
		d += fmt.Sprintf(" /Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns %d /Rows %d /BlackIs1 %t >>", p.W, p.H, p.BlackIs1)
	case "":
	default:
		d += " /Filter /" + p.Filter
		if p.DecodeParams != "" {
			d += " /DecodeParms << " + p.DecodeParams + " >>"
		}
	}
	return d + " >>"
}
