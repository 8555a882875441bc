package scan

import (
	"encoding/binary"
	"fmt"
)

// TIFF tags read from each image file directory (IFD).
const (
	tagImageWidth     = 256
	tagImageLength    = 257
	tagBitsPerSample  = 258
	tagCompression    = 259
	tagPhotometric    = 262
	tagFillOrder      = 266
	tagStripOffsets   = 273
	tagTIFFOrient     = 274
	tagSamplesPerPx   = 277
	tagStripByteCount = 279
	tagTileOffsets    = 324
	tagTileByteCount  = 325
	tagJPEGTables     = 347
)

// TIFF compression and photometric values that change how a page is read.
const (
	compNone       = 1
	compG3         = 3
	compG4         = 4
	compOldJPEG    = 6
	compJPEG       = 7
	photoBlackZero = 1
	tiffHeaderSize = 8
)

// tiffPages walks the IFD chain, refusing a file with more than
// opt.MaxPages pages before decoding any, then normalises each page.
func tiffPages(data []byte, opt Options, each func(int, *source) error) error {
	t, first, err := openTIFF(data)
	if err != nil {
		return err
	}
	offs, err := t.chain(first, opt.MaxPages)
	if err != nil {
		return err
	}
	for i, off := range offs {
		d, err := t.readIFD(off)
		if err != nil {
			return atPage(err, i+1)
		}
		src, err := d.source(opt)
		if err != nil {
			return atPage(err, i+1)
		}
		src.scanned, src.scannedFrom = d.dateTime(), TIFF
		if err := each(i+1, src); err != nil {
			return err
		}
	}
	return nil
}

// openTIFF reads the byte order and the offset of the first IFD.
func openTIFF(data []byte) (tiffReader, int, error) {
	t := tiffReader{b: data, order: binary.LittleEndian}
	if len(data) < tiffHeaderSize {
		return t, 0, errCorrupt(TIFF, fmt.Errorf("scan: tiff: header of %d bytes", len(data)))
	}
	if data[0] == 'M' {
		t.order = binary.BigEndian
	}
	first, _ := t.u32(4)
	return t, first, nil
}

// chain returns the offsets of the IFDs in order, refusing a loop, an
// offset outside the file and more than limit pages.
func (t tiffReader) chain(off, limit int) ([]int, error) {
	seen := map[int]bool{}
	var offs []int
	for off != 0 {
		if off < tiffHeaderSize || off+2 > len(t.b) || seen[off] {
			return nil, errCorrupt(TIFF, fmt.Errorf("scan: tiff: IFD %d at bad offset %d", len(offs)+1, off))
		}
		if len(offs) == limit {
			return nil, errTooManyPages(limit+1, limit)
		}
		seen[off] = true
		offs = append(offs, off)
		n, _ := t.u16(off)
		next, ok := t.u32(off + 2 + n*ifdEntrySize)
		if !ok {
			return nil, errCorrupt(TIFF, fmt.Errorf("scan: tiff: IFD at %d overruns the file", off))
		}
		off = next
	}
	if len(offs) == 0 {
		return nil, errCorrupt(TIFF, fmt.Errorf("scan: tiff: no image file directory"))
	}
	return offs, nil
}

// ifd is one image file directory: the file and its entries by tag.
type ifd struct {
	t       tiffReader
	off     int
	entries map[int]int // tag → offset of its 12-byte entry
}

func (t tiffReader) readIFD(off int) (*ifd, error) {
	n, _ := t.u16(off)
	d := &ifd{t: t, off: off, entries: make(map[int]int, n)}
	for i := range n {
		e := off + 2 + i*ifdEntrySize
		tag, ok := t.u16(e)
		if !ok {
			return nil, errCorrupt(TIFF, fmt.Errorf("scan: tiff: IFD entry %d overruns the file", i))
		}
		d.entries[tag] = e
	}
	return d, nil
}

// typeSize is the byte size of the TIFF field types read here.
var typeSize = map[int]int{1: 1, 2: 1, typeShort: 2, typeLong: 4, typeRational: 8, 7: 1}

// raw returns a field's type, count and the offset of its values.
func (d *ifd) raw(tag int) (typ, count, at int, ok bool) {
	e, ok := d.entries[tag]
	if !ok {
		return 0, 0, 0, false
	}
	typ, _ = d.t.u16(e + 2)
	count, _ = d.t.u32(e + 4)
	size := typeSize[typ] * count
	if size == 0 || count < 0 {
		return 0, 0, 0, false
	}
	at = e + 8
	if size > 4 {
		at, _ = d.t.u32(e + 8)
	}
	if at < 0 || at+size > len(d.t.b) {
		return 0, 0, 0, false
	}
	return typ, count, at, true
}

// ints returns the SHORT or LONG values of a field; nil when absent or
// malformed.
func (d *ifd) ints(tag int) []int {
	typ, count, at, ok := d.raw(tag)
	if !ok || (typ != typeShort && typ != typeLong) {
		return nil
	}
	out := make([]int, count)
	for i := range out {
		if typ == typeShort {
			out[i], _ = d.t.u16(at + 2*i)
		} else {
			out[i], _ = d.t.u32(at + 4*i)
		}
	}
	return out
}

// int returns the first value of a SHORT or LONG field, or def.
func (d *ifd) int(tag, def int) int {
	if v := d.ints(tag); len(v) > 0 {
		return v[0]
	}
	return def
}

// bytes returns an UNDEFINED or BYTE field's bytes.
func (d *ifd) bytes(tag int) []byte {
	_, count, at, ok := d.raw(tag)
	if !ok {
		return nil
	}
	return d.t.b[at : at+count]
}

// resolution reads XResolution, YResolution and ResolutionUnit.
func (d *ifd) resolution() density {
	rat := func(tag int) float64 {
		typ, _, at, ok := d.raw(tag)
		if !ok || typ != typeRational {
			return 0
		}
		return d.t.rational(at)
	}
	return exifDensity(rat(tagXResolution), rat(tagYResolution), d.int(tagResolutionUnit, 2))
}

// segments returns the strip (or tile) offsets and byte counts, checked
// against the file.
func (d *ifd) segments() ([][]byte, error) {
	offs, counts := d.ints(tagStripOffsets), d.ints(tagStripByteCount)
	if offs == nil {
		offs, counts = d.ints(tagTileOffsets), d.ints(tagTileByteCount)
	}
	if len(offs) == 0 || len(offs) != len(counts) {
		return nil, errCorrupt(TIFF, fmt.Errorf("scan: tiff: %d strip offsets, %d byte counts", len(offs), len(counts)))
	}
	segs := make([][]byte, len(offs))
	for i, o := range offs {
		if o < 0 || counts[i] < 0 || o+counts[i] > len(d.t.b) {
			return nil, errCorrupt(TIFF, fmt.Errorf("scan: tiff: strip %d at %d+%d overruns the file", i, o, counts[i]))
		}
		segs[i] = d.t.b[o : o+counts[i]]
	}
	return segs, nil
}
