package assemble

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"strconv"

	"github.com/khoso-vn/khoso/ingest/scan"
)

// DefaultDPI is the resolution assumed for a page that declares none.
const DefaultDPI = 200

// MaxPageSide is the largest page side in points (200 inches), the limit
// PDF readers have kept since Acrobat 7.
const MaxPageSide = 14400

// ErrInvalidPage reports a page Write cannot lay out: an unsupported or
// damaged image, dimensions that disagree with the image, or a bad
// resolution. It is permanent: the same input fails the same way.
var ErrInvalidPage = errors.New("assemble: invalid page")

// Page is one page image to embed.
type Page struct {
	Format        scan.Format // scan.JPEG, scan.PNG or scan.G4
	Data          []byte      // the encoded image
	Width, Height int         // pixels; 0 to take them from the image (required for G4), else must match it
	DPIX, DPIY    float64     // resolution; 0 on both axes means DefaultDPI, 0 on one axis copies the other
	BlackIs1      bool        // G4 only: 1 bits are black
}

// FromScan returns the Page for a page normalised by package scan.
func FromScan(p *scan.Page) Page {
	return Page{Format: p.Format, Data: p.Data, Width: p.Width, Height: p.Height, DPIX: p.DPIX, DPIY: p.DPIY,
		BlackIs1: p.BlackIs1}
}

// Object numbers of the fixed objects, and of a page's objects.
const (
	objCatalog    = 1
	objPages      = 2
	objInfo       = 3
	objFirstPage  = 4
	objsPerPage   = 4
	offsetContent = 1
	offsetImage   = 2
	offsetLength  = 3
)

func pageObj(i int) int { return objFirstPage + objsPerPage*i }

// Write writes a PDF with one page per input page, in order. Every page is
// checked before anything is written, except PNG pixel data, which is
// decoded while it is written: if that fails, w holds a partial PDF. Page
// errors wrap ErrInvalidPage; errors from w are returned wrapped as they
// are.
func Write(w io.Writer, pages []Page, info Info) error {
	if len(pages) == 0 {
		return fmt.Errorf("%w: no pages", ErrInvalidPage)
	}
	layouts := make([]layout, len(pages))
	for i, p := range pages {
		l, err := planPage(p)
		if err != nil {
			return fmt.Errorf("assemble: page %d: %w", i+1, err)
		}
		layouts[i] = l
	}
	pw := NewWriter(w, info)
	for _, l := range layouts {
		if err := pw.add(l); err != nil {
			return err
		}
	}
	return pw.Close()
}

// Writer writes a PDF page by page: each page's image goes to the
// underlying writer when it is added, so that only one page is held in
// memory at a time. The page tree, cross-reference table and trailer are
// written by Close.
type Writer struct {
	pw  *pdfWriter
	n   int   // pages written
	err error // first page error; it sticks
}

// NewWriter starts a PDF on w: it writes the header and the Info
// dictionary at once.
func NewWriter(w io.Writer, info Info) *Writer {
	pw := newPDFWriter(w, objFirstPage)
	pw.header()
	pw.catalog()
	pw.info(info)
	return &Writer{pw: pw}
}

// Add checks p and writes it as the next page. A page error wraps
// ErrInvalidPage; an error from the underlying writer is returned wrapped
// as it is. After an error the PDF is unusable and every later call
// returns the same error.
func (w *Writer) Add(p Page) error {
	if w.err != nil {
		return w.err
	}
	l, err := planPage(p)
	if err != nil {
		w.err = fmt.Errorf("assemble: page %d: %w", w.n+1, err)
		return w.err
	}
	return w.add(l)
}

func (w *Writer) add(l layout) error {
	if err := w.pw.page(w.n, l); err != nil {
		if w.pw.err != nil {
			w.err = w.pw.err
		} else {
			w.err = fmt.Errorf("assemble: page %d: %w", w.n+1, err)
		}
		return w.err
	}
	w.n++
	return nil
}

// Pages returns the number of pages added so far.
func (w *Writer) Pages() int { return w.n }

// Close writes the page tree, the cross-reference table and the trailer,
// and flushes. A PDF needs at least one page: Close with none fails with
// ErrInvalidPage.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	if w.n == 0 {
		w.err = fmt.Errorf("%w: no pages", ErrInvalidPage)
		return w.err
	}
	w.pw.pageTree(w.n)
	w.err = w.pw.finish()
	if w.err == nil {
		w.err = errClosed
	}
	return nil
}

// errClosed is returned by Add and Close after Close.
var errClosed = errors.New("assemble: writer closed")

// pdfWriter writes PDF objects to a buffered w, counting bytes for the
// xref table and hashing them for the trailer /ID. Its first write error
// sticks and stops all further output.
type pdfWriter struct {
	bw      *bufio.Writer
	n       int64
	sum     hash.Hash
	offsets []int64 // by object number; 0 unused
	err     error
}

func newPDFWriter(w io.Writer, size int) *pdfWriter {
	// offsets grows as pages are added; size is the initial length.
	return &pdfWriter{bw: bufio.NewWriterSize(w, 64<<10), sum: sha256.New(), offsets: make([]int64, size)}
}

// Write implements io.Writer for the streams.
func (p *pdfWriter) Write(b []byte) (int, error) {
	if p.err != nil {
		return 0, p.err
	}
	n, err := p.bw.Write(b)
	p.sum.Write(b[:n])
	p.n += int64(n)
	if err != nil {
		p.err = fmt.Errorf("assemble: write: %w", err)
	}
	return n, p.err
}

func (p *pdfWriter) printf(format string, args ...any) {
	fmt.Fprintf(p, format, args...)
}

// begin starts indirect object num; end closes it.
func (p *pdfWriter) begin(num int) {
	for len(p.offsets) <= num {
		p.offsets = append(p.offsets, 0)
	}
	p.offsets[num] = p.n
	p.printf("%d 0 obj\n", num)
}

func (p *pdfWriter) end() { p.printf("endobj\n") }

// header writes the version line and a comment of bytes over 127 that
// marks the file as binary for transfer programs.
func (p *pdfWriter) header() {
	p.printf("%%PDF-1.7\n%%\xe2\xe3\xcf\xd3\n")
}

func (p *pdfWriter) catalog() {
	p.begin(objCatalog)
	p.printf("<< /Type /Catalog /Pages %d 0 R >>\n", objPages)
	p.end()
}

// pageTree writes the Pages object listing the n pages written.
func (p *pdfWriter) pageTree(n int) {
	p.begin(objPages)
	p.printf("<< /Type /Pages /Count %d /Kids [", n)
	for i := range n {
		if i > 0 {
			p.printf(" ")
		}
		p.printf("%d 0 R", pageObj(i))
	}
	p.printf("] >>\n")
	p.end()
}

// page writes the four objects of page i.
func (p *pdfWriter) page(i int, l layout) error {
	k := pageObj(i)
	w, h := num(l.widthPt), num(l.heightPt)
	p.begin(k)
	p.printf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s] /Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>\n",
		objPages, w, h, k+offsetImage, k+offsetContent)
	p.end()
	content := fmt.Sprintf("q %s 0 0 %s 0 0 cm /Im0 Do Q\n", w, h)
	p.begin(k + offsetContent)
	p.printf("<< /Length %d >>\nstream\n%s\nendstream\n", len(content), content)
	p.end()
	p.begin(k + offsetImage)
	p.printf("<< /Type /XObject /Subtype /Image %s /Length %d 0 R >>\nstream\n", l.image.dict(), k+offsetLength)
	start := p.n
	if err := l.image.writeData(p); err != nil {
		return err
	}
	length := p.n - start
	p.printf("\nendstream\n")
	p.end()
	p.begin(k + offsetLength)
	p.printf("%d\n", length)
	p.end()
	return p.err
}

// finish writes the xref table and trailer and flushes.
func (p *pdfWriter) finish() error {
	id := hex.EncodeToString(p.sum.Sum(nil)[:16])
	xref := p.n
	p.printf("xref\n0 %d\n0000000000 65535 f \n", len(p.offsets))
	for _, off := range p.offsets[1:] {
		p.printf("%010d 00000 n \n", off)
	}
	p.printf("trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>] >>\n",
		len(p.offsets), objCatalog, objInfo, id, id)
	p.printf("startxref\n%d\n%%%%EOF\n", xref)
	if p.err != nil {
		return p.err
	}
	if err := p.bw.Flush(); err != nil {
		return fmt.Errorf("assemble: write: %w", err)
	}
	return nil
}

// num formats a PDF real: at most four decimals, never an exponent.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*1e4)/1e4, 'f', -1, 64)
}
