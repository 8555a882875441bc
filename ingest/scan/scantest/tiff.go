package scantest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"image"
	"slices"
	"testing"

	"github.com/khoso-vn/khoso/ingest/scan/internal/g4"
)

// TIFF compression values TIFFPage.Compression takes.
const (
	TIFFNone    = 1
	TIFFG4      = 4
	TIFFJPEG    = 7
	TIFFLZW     = 5
	TIFFDeflate = 8
)

// TIFFPage is one page of a TIFF written by TIFF.
type TIFFPage struct {
	Img          image.Image // drawn as gray when it is an *image.Gray, else RGB
	Compression  int         // a TIFF constant; default TIFFNone
	Bilevel      bool        // 1 bit a pixel, black below 128
	BlackIsZero  bool        // photometric 1 for a bilevel page (0 bits black)
	FillOrder2   bool        // bilevel G4 data stored LSB first
	DPI          uint32      // 0 writes no resolution
	RowsPerStrip int         // 0 for one strip
	DateTime     string      // tag 306, "YYYY:MM:DD HH:MM:SS"; empty writes none
}

// TIFF writes a little-endian TIFF with one IFD per page, in order.
func TIFF(tb testing.TB, pages ...TIFFPage) []byte {
	tb.Helper()
	out := []byte("II*\x00\x00\x00\x00\x00")
	link := 4 // where the offset of the next IFD goes
	for _, p := range pages {
		strips, entries := p.encode(tb)
		var offs, counts []uint32
		for _, s := range strips {
			offs, counts = append(offs, uint32(len(out))), append(counts, uint32(len(s)))
			out = append(out, s...)
		}
		entries = append(entries, longs(273, offs), longs(279, counts))
		if p.DateTime != "" {
			entries = append(entries, asciiEntry(306, p.DateTime))
		}
		if len(out)%2 == 1 {
			out = append(out, 0)
		}
		binary.LittleEndian.PutUint32(out[link:], uint32(len(out)))
		out, link = writeIFD(out, entries)
	}
	return out
}

// entry is one IFD entry: type 2 ASCII (one byte a value), 3 SHORT, 4 LONG or 5
// RATIONAL values.
type entry struct {
	tag, typ uint16
	vals     []uint32
}

func shorts(tag uint16, v ...uint32) entry   { return entry{tag, 3, v} }
func longs(tag uint16, v []uint32) entry     { return entry{tag, 4, v} }
func rational(tag uint16, n, d uint32) entry { return entry{tag, 5, []uint32{n, d}} }

// asciiEntry is an ASCII entry holding s and its NUL.
func asciiEntry(tag uint16, s string) entry {
	v := make([]uint32, 0, len(s)+1)
	for _, c := range []byte(s + "\x00") {
		v = append(v, uint32(c))
	}
	return entry{tag, 2, v}
}

// writeIFD appends an IFD and its out-of-line values; it returns the
// output and the position of the IFD's next-offset field.
func writeIFD(out []byte, es []entry) ([]byte, int) {
	slices.SortFunc(es, func(a, b entry) int { return int(a.tag) - int(b.tag) })
	le := binary.LittleEndian
	start := len(out)
	extra := start + 2 + 12*len(es) + 4
	var data []byte
	out = le.AppendUint16(out, uint16(len(es)))
	for _, e := range es {
		out = le.AppendUint16(out, e.tag)
		out = le.AppendUint16(out, e.typ)
		n := uint32(len(e.vals))
		if e.typ == 5 {
			n /= 2
		}
		out = le.AppendUint32(out, n)
		var v []byte
		for _, x := range e.vals {
			switch e.typ {
			case 2:
				v = append(v, byte(x))
			case 3:
				v = le.AppendUint16(v, uint16(x))
			default:
				v = le.AppendUint32(v, x)
			}
		}
		if len(v) <= 4 {
			out = append(out, append(v, make([]byte, 4-len(v))...)...)
			continue
		}
		out = le.AppendUint32(out, uint32(extra+len(data)))
		data = append(data, v...)
	}
	link := len(out)
	out = le.AppendUint32(out, 0)
	return append(out, data...), link
}

// encode returns the page's strips and its entries other than the strip
// offsets and byte counts.
func (p TIFFPage) encode(tb testing.TB) ([][]byte, []entry) {
	b := p.Img.Bounds()
	w, h := b.Dx(), b.Dy()
	comp := max(p.Compression, TIFFNone)
	rps := p.RowsPerStrip
	if rps <= 0 || rps > h {
		rps = h
	}
	_, gray := p.Img.(*image.Gray)
	es := []entry{shorts(256, uint32(w)), shorts(257, uint32(h)), shorts(259, uint32(comp)), shorts(278, uint32(rps))}
	switch {
	case p.Bilevel:
		photo := uint32(0)
		if p.BlackIsZero {
			photo = 1
		}
		es = append(es, shorts(258, 1), shorts(262, photo), shorts(277, 1))
		if p.FillOrder2 {
			es = append(es, shorts(266, 2))
		}
	case gray:
		es = append(es, shorts(258, 8), shorts(262, 1), shorts(277, 1))
	default:
		photo := uint32(2)
		if comp == TIFFJPEG {
			photo = 6
		}
		es = append(es, shorts(258, 8, 8, 8), shorts(262, photo), shorts(277, 3))
	}
	if p.DPI > 0 {
		es = append(es, rational(282, p.DPI, 1), rational(283, p.DPI, 1), shorts(296, 2))
	}
	var strips [][]byte
	for y := 0; y < h; y += rps {
		band := image.Rect(b.Min.X, b.Min.Y+y, b.Max.X, b.Min.Y+min(y+rps, h))
		strips = append(strips, p.strip(tb, band, comp))
	}
	return strips, es
}

// strip encodes the rows of band.
func (p TIFFPage) strip(tb testing.TB, band image.Rectangle, comp int) []byte {
	if comp == TIFFJPEG {
		return JPEG(tb, subImage(p.Img, band), 85)
	}
	if comp == TIFFG4 {
		g := Gray(subImage(p.Img, band))
		if p.BlackIsZero {
			for i := range g.Pix {
				g.Pix[i] = 255 - g.Pix[i]
			}
		}
		data, err := g4.Encode(g.Pix, g.Stride, band.Dx(), band.Dy())
		if err != nil {
			tb.Fatalf("scantest: %v", err)
		}
		if p.FillOrder2 {
			for i, v := range data {
				data[i] = reverse(v)
			}
		}
		return data
	}
	raw := p.samples(band)
	switch comp {
	case TIFFDeflate:
		var buf bytes.Buffer
		zw := zlib.NewWriter(&buf)
		zw.Write(raw)
		zw.Close()
		return buf.Bytes()
	case TIFFLZW:
		return lzwTIFF(raw)
	}
	return raw
}

// samples returns band's rows as TIFF samples.
func (p TIFFPage) samples(band image.Rectangle) []byte {
	var raw []byte
	for y := band.Min.Y; y < band.Max.Y; y++ {
		var acc byte
		for x := band.Min.X; x < band.Max.X; x++ {
			r, g, bl, _ := p.Img.At(x, y).RGBA()
			lum := byte((19595*r + 38470*g + 7471*bl + 1<<15) >> 24)
			switch _, gray := p.Img.(*image.Gray); {
			case p.Bilevel:
				black := lum < 128
				if black != p.BlackIsZero {
					acc |= 0x80 >> ((x - band.Min.X) % 8)
				}
				if (x-band.Min.X)%8 == 7 || x == band.Max.X-1 {
					raw, acc = append(raw, acc), 0
				}
			case gray:
				raw = append(raw, lum)
			default:
				raw = append(raw, byte(r>>8), byte(g>>8), byte(bl>>8))
			}
		}
	}
	return raw
}

func subImage(img image.Image, r image.Rectangle) image.Image {
	return img.(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(r)
}

func reverse(v byte) byte {
	var r byte
	for range 8 {
		r, v = r<<1|v&1, v>>1
	}
	return r
}
