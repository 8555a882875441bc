package scan

import (
	"encoding/binary"
	"time"
)

// EXIF tags read from IFD0, and the TIFF field types they use.
const (
	tagOrientation    = 0x0112
	tagXResolution    = 0x011a
	tagYResolution    = 0x011b
	tagResolutionUnit = 0x0128
	typeShort         = 3
	typeLong          = 4
	typeRational      = 5
	ifdEntrySize      = 12
	resolutionUnitCM  = 3
)

// exifInfo is what IFD0 of an EXIF APP1 segment declares.
type exifInfo struct {
	orientation int // 1..8, or 0 when absent or invalid
	density     density
	scanned     time.Time // DateTimeOriginal, else IFD0's DateTime; zero when absent
}

// tiffReader reads a TIFF structure in its declared byte order, refusing
// offsets outside the data.
type tiffReader struct {
	b     []byte
	order binary.ByteOrder
}

func (t tiffReader) u16(off int) (int, bool) {
	if off < 0 || off+2 > len(t.b) {
		return 0, false
	}
	return int(t.order.Uint16(t.b[off:])), true
}

func (t tiffReader) u32(off int) (int, bool) {
	if off < 0 || off+4 > len(t.b) {
		return 0, false
	}
	return int(t.order.Uint32(t.b[off:])), true
}

// rational reads an unsigned RATIONAL at off, returning 0 for a zero
// denominator.
func (t tiffReader) rational(off int) float64 {
	num, ok1 := t.u32(off)
	den, ok2 := t.u32(off + 4)
	if !ok1 || !ok2 || den == 0 {
		return 0
	}
	return float64(num) / float64(den)
}

// parseEXIF reads orientation and resolution from an APP1 payload
// ("Exif\0\0" then a TIFF header in either byte order).
func parseEXIF(p []byte) (exifInfo, bool) {
	if len(p) < 14 || string(p[:6]) != "Exif\x00\x00" {
		return exifInfo{}, false
	}
	t := tiffReader{b: p[6:]}
	switch string(t.b[:4]) {
	case "II*\x00":
		t.order = binary.LittleEndian
	case "MM\x00*":
		t.order = binary.BigEndian
	default:
		return exifInfo{}, false
	}
	ifd, _ := t.u32(4)
	count, ok := t.u16(ifd)
	if !ok || ifd < 8 {
		return exifInfo{}, false
	}
	info := t.readIFD0(ifd+2, count)
	info.scanned = t.exifScanTime(ifd)
	return info, true
}

// readIFD0 reads the entries of IFD0 that Normalise needs.
func (t tiffReader) readIFD0(start, count int) exifInfo {
	var info exifInfo
	var x, y float64
	unit := 2 // inches, the EXIF default
	for i := range count {
		e := start + i*ifdEntrySize
		tag, ok1 := t.u16(e)
		typ, ok2 := t.u16(e + 2)
		if !ok1 || !ok2 {
			break
		}
		switch {
		case tag == tagOrientation && typ == typeShort:
			if v, _ := t.u16(e + 8); v >= 1 && v <= 8 {
				info.orientation = v
			}
		case tag == tagResolutionUnit && typ == typeShort:
			unit, _ = t.u16(e + 8)
		case tag == tagXResolution && typ == typeRational:
			off, _ := t.u32(e + 8)
			x = t.rational(off)
		case tag == tagYResolution && typ == typeRational:
			off, _ := t.u32(e + 8)
			y = t.rational(off)
		}
	}
	info.density = exifDensity(x, y, unit)
	return info
}

// exifDensity converts EXIF resolution to dots per inch: unit 2 is inches,
// 3 centimetres, anything else (1: none) declares no resolution.
func exifDensity(x, y float64, unit int) density {
	switch unit {
	case 2:
		return density{x, y}
	case resolutionUnitCM:
		return density{perCentimetre(x), perCentimetre(y)}
	}
	return density{}
}
