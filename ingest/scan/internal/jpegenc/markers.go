package jpegenc

// Marker codes (Table B.1).
const (
	markerSOI  = 0xd8
	markerEOI  = 0xd9
	markerDQT  = 0xdb
	markerSOF0 = 0xc0
	markerDHT  = 0xc4
	markerSOS  = 0xda
)

// appendMarker appends a marker and the length of a segment whose
// parameters are n bytes long.
func appendMarker(b []byte, marker byte, n int) []byte {
	return append(b, 0xff, marker, byte((n+2)>>8), byte(n+2))
}

// appendHeaders appends SOI, DQT, SOF0, DHT and SOS.
func (e *encoder) appendHeaders(b []byte) []byte {
	b = append(b, 0xff, markerSOI)

	// DQT: 8-bit tables in zigzag order (Pq 0).
	b = appendMarker(b, markerDQT, e.ntabs*65)
	for t := range e.ntabs {
		b = append(b, byte(t))
		b = append(b, e.quant[t][:]...)
	}

	// SOF0: 8-bit samples.
	b = appendMarker(b, markerSOF0, 6+3*e.ncomp)
	b = append(b, 8, byte(e.height>>8), byte(e.height), byte(e.width>>8), byte(e.width), byte(e.ncomp))
	for ci := range e.ncomp {
		c := &e.comp[ci]
		b = append(b, c.id, byte(c.h<<4|c.v), byte(c.tq))
	}

	// DHT: every table in one segment; class 0 is DC, 1 is AC.
	n := 0
	for t := range e.ntabs {
		n += 2*17 + len(e.dc[t].vals) + len(e.ac[t].vals)
	}
	b = appendMarker(b, markerDHT, n)
	for t := range e.ntabs {
		for class, h := range []*huffTable{e.dc[t], e.ac[t]} {
			b = append(b, byte(class<<4|t))
			b = append(b, h.counts[:]...)
			b = append(b, h.vals...)
		}
	}

	// SOS: all components in one interleaved scan, DC and AC tables equal
	// to the quantisation table; Ss 0, Se 63, Ah and Al 0 for baseline.
	b = appendMarker(b, markerSOS, 4+2*e.ncomp)
	b = append(b, byte(e.ncomp))
	for ci := range e.ncomp {
		c := &e.comp[ci]
		b = append(b, c.id, byte(c.tq<<4|c.tq))
	}
	return append(b, 0, 63, 0)
}
