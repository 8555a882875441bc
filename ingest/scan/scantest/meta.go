package scantest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
)

// JFIF density units.
const (
	UnitsNone = 0
	UnitsDPI  = 1
	UnitsDPCM = 2
)

// WithJFIF returns data, a JPEG, with a JFIF APP0 segment declaring the
// density inserted after SOI.
func WithJFIF(data []byte, units byte, x, y uint16) []byte {
	seg := []byte{0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, units, 0, 0, 0, 0, 0, 0}
	binary.BigEndian.PutUint16(seg[12:], x)
	binary.BigEndian.PutUint16(seg[14:], y)
	return insertAfterSOI(data, seg)
}

// EXIF describes the IFD0 entries WithEXIF writes; zero fields are left out.
type EXIF struct {
	Order          binary.AppendByteOrder // byte order of the TIFF structure; default big endian
	Orientation    uint16                 // tag 0x0112
	XResolution    [2]uint32              // tag 0x011a, numerator and denominator
	YResolution    [2]uint32              // tag 0x011b
	ResolutionUnit uint16                 // tag 0x0128: 2 inch, 3 centimetre
}

// WithEXIF returns data, a JPEG, with an EXIF APP1 segment written by hand
// from e inserted after SOI.
func WithEXIF(data []byte, e EXIF) []byte {
	tiff := e.tiff()
	seg := make([]byte, 0, 10+len(tiff))
	seg = append(seg, 0xff, 0xe1, 0, 0)
	binary.BigEndian.PutUint16(seg[2:], uint16(2+6+len(tiff)))
	seg = append(seg, "Exif\x00\x00"...)
	seg = append(seg, tiff...)
	return insertAfterSOI(data, seg)
}

// ifdEntry is one 12-byte IFD entry; value holds a SHORT or, for a
// RATIONAL, the data stored after the IFD.
type ifdEntry struct {
	tag, typ uint16
	short    uint16
	rational [2]uint32
}

func (e EXIF) entries() []ifdEntry {
	var es []ifdEntry
	if e.Orientation != 0 {
		es = append(es, ifdEntry{tag: 0x0112, typ: 3, short: e.Orientation})
	}
	if e.XResolution[1] != 0 {
		es = append(es, ifdEntry{tag: 0x011a, typ: 5, rational: e.XResolution})
	}
	if e.YResolution[1] != 0 {
		es = append(es, ifdEntry{tag: 0x011b, typ: 5, rational: e.YResolution})
	}
	if e.ResolutionUnit != 0 {
		es = append(es, ifdEntry{tag: 0x0128, typ: 3, short: e.ResolutionUnit})
	}
	return es
}

// tiff returns the TIFF header, IFD0 and the rationals it points to.
func (e EXIF) tiff() []byte {
	o := e.Order
	if o == nil {
		o = binary.BigEndian
	}
	es := e.entries()
	b := []byte("MM\x00*")
	if o.String() == binary.LittleEndian.String() {
		b = []byte("II*\x00")
	}
	b = o.AppendUint32(b, 8)
	b = o.AppendUint16(b, uint16(len(es)))
	extra := 8 + 2 + 12*len(es) + 4 // offset of the first rational
	var data []byte
	for _, en := range es {
		b = o.AppendUint16(b, en.tag)
		b = o.AppendUint16(b, en.typ)
		b = o.AppendUint32(b, 1)
		if en.typ == 3 {
			b = o.AppendUint16(b, en.short)
			b = o.AppendUint16(b, 0)
			continue
		}
		b = o.AppendUint32(b, uint32(extra+len(data)))
		data = o.AppendUint32(data, en.rational[0])
		data = o.AppendUint32(data, en.rational[1])
	}
	b = o.AppendUint32(b, 0) // no IFD1
	return append(b, data...)
}

func insertAfterSOI(data, seg []byte) []byte {
	out := make([]byte, 0, len(data)+len(seg))
	out = append(out, data[:2]...)
	out = append(out, seg...)
	return append(out, data[2:]...)
}

// WithPHYs returns data, a PNG, with a pHYs chunk in pixels per metre
// inserted after IHDR (7874 is 200 dpi, 11811 is 300 dpi).
func WithPHYs(data []byte, xppm, yppm uint32) []byte {
	body := binary.BigEndian.AppendUint32(nil, xppm)
	body = binary.BigEndian.AppendUint32(body, yppm)
	body = append(body, 1) // unit: metre
	const afterIHDR = 8 + 12 + 13
	out := append([]byte{}, data[:afterIHDR]...)
	out = append(out, Chunk("pHYs", body)...)
	return append(out, data[afterIHDR:]...)
}

// Chunk returns one PNG chunk with its length and CRC.
func Chunk(typ string, body []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(body)))
	c = append(c, typ...)
	c = append(c, body...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// HugePNG returns a PNG signature and a valid IHDR (8-bit RGB) claiming
// w×h pixels, with no image data.
func HugePNG(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 2, 0, 0, 0)
	out := append([]byte("\x89PNG\r\n\x1a\n"), Chunk("IHDR", ihdr)...)
	return append(out, Chunk("IEND", nil)...)
}

// HugeJPEG returns SOI and a baseline SOF0 header (one gray component)
// claiming w×h pixels, with no tables or image data.
func HugeJPEG(w, h uint16) []byte {
	b := []byte{0xff, 0xd8, 0xff, 0xc0, 0, 11, 8}
	b = binary.BigEndian.AppendUint16(b, h)
	b = binary.BigEndian.AppendUint16(b, w)
	return append(b, 1, 1, 0x11, 0)
}

// GrayAlphaPNG encodes img as an 8-bit gray-with-alpha PNG (colour type
// 4), which the standard encoder never writes: gray is the red channel.
func GrayAlphaPNG(img *image.NRGBA) []byte {
	b := img.Bounds()
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(b.Dx()))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(b.Dy()))
	ihdr = append(ihdr, 8, 4, 0, 0, 0)
	var raw bytes.Buffer
	zw := zlib.NewWriter(&raw)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := []byte{0} // filter: none
		for x := b.Min.X; x < b.Max.X; x++ {
			c := img.NRGBAAt(x, y)
			row = append(row, c.R, c.A)
		}
		zw.Write(row)
	}
	zw.Close()
	out := append([]byte("\x89PNG\r\n\x1a\n"), Chunk("IHDR", ihdr)...)
	out = append(out, Chunk("IDAT", raw.Bytes())...)
	return append(out, Chunk("IEND", nil)...)
}
