package scantest

import "encoding/binary"

// WithEXIFDate returns data, a JPEG, with an EXIF APP1 segment inserted after SOI
// whose IFD0 points to an EXIF IFD holding DateTimeOriginal (tag 0x9003, "YYYY:MM:DD
// HH:MM:SS") and, when offset is not empty, OffsetTimeOriginal (tag 0x9011, "+07:00"),
// as a camera or scanner writes them (big endian).
func WithEXIFDate(data []byte, dateTimeOriginal, offset string) []byte {
	be := binary.BigEndian
	type ascii struct {
		tag uint16
		s   string
	}
	fields := []ascii{{0x9003, dateTimeOriginal}}
	if offset != "" {
		fields = append(fields, ascii{0x9011, offset})
	}
	b := []byte("MM\x00*")
	b = be.AppendUint32(b, 8)
	// IFD0: one entry, the EXIF IFD pointer (LONG), right after it.
	b = be.AppendUint16(b, 1)
	exifIFD := 8 + 2 + 12 + 4
	b = be.AppendUint16(b, 0x8769)
	b = be.AppendUint16(b, 4)
	b = be.AppendUint32(b, 1)
	b = be.AppendUint32(b, uint32(exifIFD))
	b = be.AppendUint32(b, 0)
	// The EXIF IFD and its strings after it.
	b = be.AppendUint16(b, uint16(len(fields)))
	extra := exifIFD + 2 + 12*len(fields) + 4
	var strs []byte
	for _, f := range fields {
		v := append([]byte(f.s), 0)
		b = be.AppendUint16(b, f.tag)
		b = be.AppendUint16(b, 2)
		b = be.AppendUint32(b, uint32(len(v)))
		if len(v) <= 4 {
			b = append(b, append(v, make([]byte, 4-len(v))...)...)
			continue
		}
		b = be.AppendUint32(b, uint32(extra+len(strs)))
		strs = append(strs, v...)
	}
	b = be.AppendUint32(b, 0)
	b = append(b, strs...)
	seg := []byte{0xff, 0xe1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(2+6+len(b)))
	seg = append(seg, "Exif\x00\x00"...)
	return insertAfterSOI(data, append(seg, b...))
}
