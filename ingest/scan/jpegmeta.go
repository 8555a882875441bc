package scan

import (
	"encoding/binary"
	"time"
)

// JPEG marker codes used while walking the header segments.
const (
	markerSOF0  = 0xc0
	markerSOF1  = 0xc1
	markerSOF2  = 0xc2
	markerSOF3  = 0xc3
	markerSOF5  = 0xc5
	markerSOF6  = 0xc6
	markerSOF7  = 0xc7
	markerSOF9  = 0xc9
	markerSOF10 = 0xca
	markerSOF11 = 0xcb
	markerSOF13 = 0xcd
	markerSOF14 = 0xce
	markerSOF15 = 0xcf
	markerSOI   = 0xd8
	markerEOI   = 0xd9
	markerSOS   = 0xda
	markerAPP0  = 0xe0
	markerDQT   = 0xdb
	markerAPP1  = 0xe1
	markerTEM   = 0x01
	markerRST0  = 0xd0
	markerRST7  = 0xd7
	jfifDensity = 7 // offset of the units byte in a JFIF APP0 payload
)

// jpegMeta is what the header segments of a JPEG declare.
type jpegMeta struct {
	jfif        density   // from JFIF APP0; zero when absent or unitless
	exif        density   // from EXIF IFD0; zero when absent
	orientation int       // EXIF orientation 1..8; 0 when absent or invalid
	w, h        int       // from the first SOF; 0 when not reached
	quality     int       // libjpeg quality estimated from the first DQT; 0 when unknown
	scanned     time.Time // EXIF DateTimeOriginal, else DateTime; zero when absent
}

// readJPEGMeta walks the segments before the first SOS. A malformed header
// only ends the walk: the decoder decides whether the file is corrupt.
func readJPEGMeta(data []byte) jpegMeta {
	var m jpegMeta
	walkJPEG(data, func(marker byte, payload []byte) {
		switch marker {
		case markerAPP0:
			if d, ok := parseJFIF(payload); ok && m.jfif.zero() {
				m.jfif = d
			}
		case markerSOF0, markerSOF1, markerSOF2, markerSOF3, markerSOF5, markerSOF6, markerSOF7,
			markerSOF9, markerSOF10, markerSOF11, markerSOF13, markerSOF14, markerSOF15:
			if len(payload) >= 5 && m.w == 0 && m.h == 0 {
				m.h = int(binary.BigEndian.Uint16(payload[1:]))
				m.w = int(binary.BigEndian.Uint16(payload[3:]))
			}
		case markerDQT:
			if m.quality == 0 {
				m.quality = estimateQuality(payload)
			}
		case markerAPP1:
			e, ok := parseEXIF(payload)
			if ok && m.orientation == 0 && m.exif.zero() {
				m.orientation, m.exif = e.orientation, e.density
			}
			if ok && m.scanned.IsZero() {
				m.scanned = e.scanned
			}
		}
	})
	return m
}

// walkJPEG calls fn for every marker segment with a length, in order, until
// the first SOS, EOI or malformed segment.
func walkJPEG(data []byte, fn func(marker byte, payload []byte)) {
	if len(data) < 2 || data[0] != 0xff || data[1] != markerSOI {
		return
	}
	for i := 2; i+1 < len(data); {
		if data[i] != 0xff {
			return
		}
		marker := data[i+1]
		i += 2
		switch {
		case marker == 0xff: // fill byte
			i--
			continue
		case marker == markerTEM || (marker >= markerRST0 && marker <= markerRST7):
			continue
		case marker == markerSOS || marker == markerEOI:
			return
		}
		if i+2 > len(data) {
			return
		}
		n := int(binary.BigEndian.Uint16(data[i:]))
		if n < 2 || i+n > len(data) {
			return
		}
		fn(marker, data[i+2:i+n])
		i += n
	}
}

// parseJFIF reads the density of a JFIF APP0 payload. Units 1 are dots per
// inch, 2 dots per centimetre; units 0 give an aspect ratio only.
func parseJFIF(p []byte) (density, bool) {
	if len(p) < jfifDensity+5 || string(p[:5]) != "JFIF\x00" {
		return density{}, false
	}
	x := float64(binary.BigEndian.Uint16(p[jfifDensity+1:]))
	y := float64(binary.BigEndian.Uint16(p[jfifDensity+3:]))
	switch p[jfifDensity] {
	case 1:
		return density{x, y}, true
	case 2:
		return density{perCentimetre(x), perCentimetre(y)}, true
	}
	return density{}, false
}

// stdLuma is the libjpeg (IJG) luminance quantisation table at quality 50,
// in zigzag order as DQT stores it.
var stdLuma = [64]int{
	16, 11, 12, 14, 12, 10, 16, 14, 13, 14, 18, 17, 16, 19, 24, 40,
	26, 24, 22, 22, 24, 49, 35, 37, 29, 40, 58, 51, 61, 60, 57, 51,
	56, 55, 64, 72, 92, 78, 64, 68, 87, 69, 55, 56, 80, 109, 81, 87,
	95, 98, 103, 104, 103, 62, 77, 113, 121, 112, 100, 120, 92, 101, 103, 99,
}

// estimateQuality returns the IJG quality whose scaled luminance table is
// closest on average to the first 8-bit table of a DQT payload, so that a
// re-encoded page keeps about the size and fidelity of the scan; 0 when
// the payload holds no 8-bit table 0.
func estimateQuality(p []byte) int {
	if len(p) < 65 || p[0] != 0 {
		return 0
	}
	sum := 0.0
	for i, s := range stdLuma {
		sum += float64(p[1+i]) * 100 / float64(s)
	}
	scale := sum / 64
	var q float64
	if scale <= 100 {
		q = (200 - scale) / 2
	} else {
		q = 5000 / scale
	}
	return min(max(int(q+0.5), 1), 100)
}
