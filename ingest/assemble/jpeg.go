package assemble

import (
	"encoding/binary"
	"fmt"
	"io"
)

// JPEG markers read from the header.
const (
	markerSOF0  = 0xc0 // baseline
	markerSOF1  = 0xc1 // extended sequential, Huffman
	markerSOF2  = 0xc2 // progressive, Huffman
	markerSOI   = 0xd8
	markerEOI   = 0xd9
	markerSOS   = 0xda
	markerAPP14 = 0xee
)

// jpegImage is a JPEG embedded as-is with DCTDecode.
type jpegImage struct {
	data       []byte
	w, h       int
	components int  // 1, 3 or 4
	adobe      bool // an Adobe APP14 segment is present
}

func (j *jpegImage) size() (int, int) { return j.w, j.h }

func (j *jpegImage) dict() string {
	cs, decode := "/DeviceGray", ""
	switch j.components {
	case 3:
		cs = "/DeviceRGB"
	case 4:
		cs = "/DeviceCMYK"
		if j.adobe {
			decode = " /Decode [1 0 1 0 1 0 1 0]"
		}
	}
	return fmt.Sprintf("/Width %d /Height %d /ColorSpace %s /BitsPerComponent 8%s /Filter /DCTDecode",
		j.w, j.h, cs, decode)
}

func (j *jpegImage) writeData(w io.Writer) error {
	_, err := w.Write(j.data)
	return err
}

// planJPEG reads the frame header (SOF) and the Adobe APP14 marker.
func planJPEG(data []byte) (*jpegImage, error) {
	j := &jpegImage{data: data}
	var sof byte
	err := walkJPEG(data, func(marker byte, payload []byte) error {
		switch {
		case marker == markerAPP14 && len(payload) >= 5 && string(payload[:5]) == "Adobe":
			j.adobe = true
		case marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc && sof == 0:
			sof = marker
			return j.readSOF(marker, payload)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if sof == 0 {
		return nil, fmt.Errorf("%w: JPEG has no frame header (SOF) before its scan", ErrInvalidPage)
	}
	return j, nil
}

// readSOF checks the frame is one every PDF reader decodes and records its
// size and component count.
func (j *jpegImage) readSOF(marker byte, p []byte) error {
	if marker != markerSOF0 && marker != markerSOF1 && marker != markerSOF2 {
		return fmt.Errorf("%w: JPEG frame type 0x%02x (lossless, hierarchical or arithmetic) is not supported", ErrInvalidPage, marker)
	}
	if len(p) < 6 {
		return fmt.Errorf("%w: JPEG frame header too short", ErrInvalidPage)
	}
	if p[0] != 8 {
		return fmt.Errorf("%w: JPEG precision %d bits, want 8", ErrInvalidPage, p[0])
	}
	j.h = int(binary.BigEndian.Uint16(p[1:]))
	j.w = int(binary.BigEndian.Uint16(p[3:]))
	j.components = int(p[5])
	if j.w == 0 || j.h == 0 {
		return fmt.Errorf("%w: JPEG frame of %dx%d pixels", ErrInvalidPage, j.w, j.h)
	}
	if j.components != 1 && j.components != 3 && j.components != 4 {
		return fmt.Errorf("%w: JPEG with %d components, want 1, 3 or 4", ErrInvalidPage, j.components)
	}
	return nil
}

// walkJPEG calls fn for each marker segment with a length until the first
// SOS, which must be reached.
func walkJPEG(data []byte, fn func(marker byte, payload []byte) error) error {
	if len(data) < 4 || data[0] != 0xff || data[1] != markerSOI {
		return fmt.Errorf("%w: not a JPEG (no SOI marker)", ErrInvalidPage)
	}
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xff {
			return fmt.Errorf("%w: JPEG marker expected at byte %d", ErrInvalidPage, i)
		}
		marker := data[i+1]
		switch {
		case marker == 0xff:
			i++
			continue
		case marker == markerSOS:
			return nil
		case marker == markerEOI:
			return fmt.Errorf("%w: JPEG ends before its scan", ErrInvalidPage)
		case marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7):
			i += 2
			continue
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return fmt.Errorf("%w: JPEG segment at byte %d overruns the file", ErrInvalidPage, i)
		}
		if err := fn(marker, data[i+4:i+2+n]); err != nil {
			return err
		}
		i += 2 + n
	}
	return fmt.Errorf("%w: JPEG header truncated", ErrInvalidPage)
}
