package stamp

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"image"
	"strconv"
	"strings"

	"github.com/digitorus/pdf"
	"github.com/khoso-vn/khoso/signing/internal/pdfupdate"
)

// ErrNotPDF is returned for input the PDF reader cannot read.
var ErrNotPDF = errors.New("stamp: not a readable PDF")

// Text is a block of lines drawn in black.
type Text struct {
	Lines []string
	// Size is the font size in points; default 10 (Times New Roman 10 pt is
	// what Decree 30/2020 asks of a copy's signature text). Lines are
	// LineSpacing × Size apart.
	Size float64
	// X and Y place the block, in points from the page's bottom-left: Y is
	// the baseline of the first line, X its left edge, or its right edge
	// with AlignRight.
	X, Y       float64
	AlignRight bool
}

// LineSpacing is the distance between the baselines of a Text's lines, in
// font sizes.
const LineSpacing = 1.25

// Image is a gray picture, such as a QR code.
type Image struct {
	Gray *image.Gray
	// X, Y, W, H are its bottom-left corner and size, in points.
	X, Y, W, H float64
}

// Stamp is what Apply draws on page 1.
type Stamp struct {
	Texts   []Text
	Images  []Image
	Modules []Modules
}

// PageSize returns the width and height of page 1 in points.
func PageSize(doc []byte) (w, h float64, err error) {
	p, _, err := firstPage(doc)
	if err != nil {
		return 0, 0, err
	}
	box := p.V.Key("MediaBox")
	return box.Index(2).Float64() - box.Index(0).Float64(), box.Index(3).Float64() - box.Index(1).Float64(), nil
}

func firstPage(doc []byte) (p pdf.Page, r *pdf.Reader, err error) {
	defer func() {
		if v := recover(); v != nil { // the reader panics on some malformed input
			err = fmt.Errorf("%w: %v", ErrNotPDF, v)
		}
	}()
	r, err = pdf.NewReader(bytes.NewReader(doc), int64(len(doc)))
	if err != nil {
		return p, nil, fmt.Errorf("%w: %v", ErrNotPDF, err)
	}
	if r.NumPage() < 1 {
		return p, nil, fmt.Errorf("%w: no page", ErrNotPDF)
	}
	return r.Page(1), r, nil
}

// Apply returns doc with s drawn on page 1, as an incremental update.
func Apply(doc []byte, s Stamp) ([]byte, error) {
	page, r, err := firstPage(doc)
	if err != nil {
		return nil, err
	}
	u, err := newUpdate(doc, r)
	if err != nil {
		return nil, err
	}
	sh, err := newShaper()
	if err != nil {
		return nil, err
	}
	content, err := s.content(sh)
	if err != nil {
		return nil, err
	}
	fontFirst := u.Next()
	objs, err := sh.objects(fontFirst)
	if err != nil {
		return nil, err
	}
	imageFirst := fontFirst + len(objs)
	for _, im := range s.Images {
		objs = append(objs, grayImage(im.Gray))
	}
	contentID := fontFirst + len(objs)
	objs = append(objs, stream("", []byte(content)))
	pageDict, err := rewritePage(page, contentID, fontFirst, imageFirst, len(s.Images))
	if err != nil {
		return nil, err
	}
	for _, o := range objs {
		u.Add([]byte(o))
	}
	u.Replace(pdfupdate.PtrOf(page.V), []byte(pageDict))
	return u.Bytes(), nil
}

// newUpdate starts an incremental update of doc, which r read.
func newUpdate(doc []byte, r *pdf.Reader) (*pdfupdate.Update, error) {
	u, err := pdfupdate.New(doc, r)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotPDF, err)
	}
	return u, nil
}

// content draws the texts and images.
func (s Stamp) content(sh *shaper) (string, error) {
	var b strings.Builder
	for _, m := range s.Modules {
		m.content(&b)
	}
	for i, im := range s.Images {
		fmt.Fprintf(&b, "q %s 0 0 %s %s %s cm /KhosoIm%d Do Q\n", num(im.W), num(im.H), num(im.X), num(im.Y), i)
	}
	for _, t := range s.Texts {
		size := t.Size
		if size == 0 {
			size = 10
		}
		for i, line := range t.Lines {
			run, err := sh.shape(line)
			if err != nil {
				return "", err
			}
			x := t.X
			if t.AlignRight {
				x -= run.width * size / 1000
			}
			y := t.Y - float64(i)*size*LineSpacing
			fmt.Fprintf(&b, "q BT /KhosoF1 %s Tf 0 g %s %s Td %s Tj ET Q\n", num(size), num(x), num(y), run.hex())
		}
	}
	return b.String(), nil
}

func grayImage(g *image.Gray) string {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	for y := 0; y < h; y++ {
		zw.Write(g.Pix[y*g.Stride : y*g.Stride+w])
	}
	zw.Close()
	return stream(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "+
		"/BitsPerComponent 8 /Interpolate false /Filter /FlateDecode", w, h), z.Bytes())
}

// stream renders a stream object body with extra dictionary entries.
func stream(dict string, data []byte) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// Draw renders texts for a caller that writes its own PDF objects, such as
// a signature's appearance form: the content stream, which names the font
// /KhosoF1, and the font's objects, to be numbered first, first+1, … in
// order (the Type0 font, the one to refer to, is number first). The font
// also holds the glyphs of the lines in also, for later drawings that
// reuse it (see DrawIn).
func Draw(texts []Text, first int, also ...string) (content []byte, fontObjects []string, err error) {
	sh, err := newShaper()
	if err != nil {
		return nil, nil, err
	}
	for _, l := range also {
		if _, err := sh.shape(l); err != nil {
			return nil, nil, err
		}
	}
	c, err := Stamp{Texts: texts}.content(sh)
	if err != nil {
		return nil, nil, err
	}
	objs, err := sh.objects(first)
	return []byte(c), objs, err
}

// DrawIn renders texts with a font Draw made earlier, whose ToUnicode map
// is toUnicode: the content stream, naming it /KhosoF1. ok is false, and
// nothing is drawn, when the font lacks a glyph the texts need.
func DrawIn(texts []Text, toUnicode []byte) (content []byte, ok bool, err error) {
	has := mappedRunes(toUnicode)
	for _, t := range texts {
		for _, l := range t.Lines {
			for _, r := range l {
				if !has[r] {
					return nil, false, nil
				}
			}
		}
	}
	sh, err := newShaper()
	if err != nil {
		return nil, false, err
	}
	c, err := Stamp{Texts: texts}.content(sh)
	return []byte(c), err == nil, err
}

// Width returns the width in points of line at size in the embedded font.
func Width(line string, size float64) (float64, error) {
	sh, err := newShaper()
	if err != nil {
		return 0, err
	}
	run, err := sh.shape(line)
	return run.width * size / 1000, err
}
