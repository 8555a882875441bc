package jpegenc

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"testing"

	"github.com/khoso-vn/khoso/ingest/scan/scantest"
)

// segment is a marker segment of a JPEG: its marker and parameters.
type segment struct {
	marker byte
	data   []byte
}

// parseJPEG splits data into its segments up to SOS, and returns them
// with the entropy-coded data that follows, checking that it is stuffed
// (each 0xFF followed by 0x00) and ends with EOI.
func parseJPEG(tb testing.TB, data []byte) ([]segment, []byte) {
	tb.Helper()
	if len(data) < 4 || data[0] != 0xff || data[1] != markerSOI {
		tb.Fatalf("no SOI")
	}
	var segs []segment
	p := 2
	for {
		if p+4 > len(data) || data[p] != 0xff {
			tb.Fatalf("bad marker at %d", p)
		}
		m := data[p+1]
		n := int(binary.BigEndian.Uint16(data[p+2:]))
		if n < 2 || p+2+n > len(data) {
			tb.Fatalf("segment %#x at %d: bad length %d", m, p, n)
		}
		segs = append(segs, segment{m, data[p+4 : p+2+n]})
		p += 2 + n
		if m == markerSOS {
			break
		}
	}
	scan := data[p:]
	if len(scan) < 2 || scan[len(scan)-2] != 0xff || scan[len(scan)-1] != markerEOI {
		tb.Fatalf("no EOI at the end")
	}
	scan = scan[:len(scan)-2]
	for i, c := range scan {
		if c == 0xff && (i+1 == len(scan) || scan[i+1] != 0) {
			tb.Fatalf("entropy-coded data: 0xFF not followed by 0x00 at %d", i)
		}
	}
	return segs, scan
}

// dhtSymbols returns the number of symbols of each Huffman table of data,
// by class<<4 | id.
func dhtSymbols(tb testing.TB, data []byte) map[byte]int {
	tb.Helper()
	segs, _ := parseJPEG(tb, data)
	n := map[byte]int{}
	for _, s := range segs {
		if s.marker != markerDHT {
			continue
		}
		for d := s.data; len(d) > 0; {
			if len(d) < 17 {
				tb.Fatalf("short DHT")
			}
			total := 0
			for _, c := range d[1:17] {
				total += int(c)
			}
			n[d[0]] = total
			d = d[17+total:]
		}
	}
	return n
}

// dqtTables returns the quantisation tables of data by id.
func dqtTables(tb testing.TB, data []byte) map[byte]string {
	tb.Helper()
	segs, _ := parseJPEG(tb, data)
	tabs := map[byte]string{}
	for _, s := range segs {
		if s.marker != markerDQT {
			continue
		}
		for d := s.data; len(d) > 0; d = d[65:] {
			if len(d) < 65 || d[0]>>4 != 0 {
				tb.Fatalf("DQT: not an 8-bit table")
			}
			tabs[d[0]] = string(d[1:65])
		}
	}
	return tabs
}

// TestMarkers checks the segments Encode writes: SOI, DQT, SOF0, DHT, SOS
// and EOI in that order and nothing else, the frame header's components
// and sampling factors, the scan header's tables, and quantisation tables
// equal to image/jpeg's at the same quality.
func TestMarkers(t *testing.T) {
	t.Parallel()
	want := map[string]string{ // component id, HV, Tq
		"gray":     "\x01\x11\x00",
		"ycbcr444": "\x01\x11\x00\x02\x11\x01\x03\x11\x01",
		"ycbcr422": "\x01\x21\x00\x02\x11\x01\x03\x11\x01",
		"ycbcr420": "\x01\x22\x00\x02\x11\x01\x03\x11\x01",
		"ycbcr440": "\x01\x12\x00\x02\x11\x01\x03\x11\x01",
		"rgba":     "\x01\x22\x00\x02\x11\x01\x03\x11\x01",
	}
	for _, k := range imageKinds {
		for _, q := range []int{1, 25, 50, 75, 85, 95, 100} {
			t.Run(fmt.Sprintf("%s/q%d", k.name, q), func(t *testing.T) {
				t.Parallel()
				img := k.make(photo(35, 21, 9))
				data := mustEncode(t, img, q)
				segs, _ := parseJPEG(t, data)
				var order []byte
				for _, s := range segs {
					order = append(order, s.marker)
				}
				if !bytes.Equal(order, []byte{markerDQT, markerSOF0, markerDHT, markerSOS}) {
					t.Fatalf("segments % x, want DQT SOF0 DHT SOS", order)
				}
				sof := segs[1].data
				ncomp := len(want[k.name]) / 3
				head := []byte{8, 0, 21, 0, 35, byte(ncomp)}
				if !bytes.Equal(sof, append(head, want[k.name]...)) {
					t.Errorf("SOF0 % x, want % x", sof, append(head, want[k.name]...))
				}
				sos := segs[3].data
				wantSOS := []byte{byte(ncomp), 1, 0x00}
				if ncomp == 3 {
					wantSOS = append(wantSOS, 2, 0x11, 3, 0x11)
				}
				wantSOS = append(wantSOS, 0, 63, 0)
				if !bytes.Equal(sos, wantSOS) {
					t.Errorf("SOS % x, want % x", sos, wantSOS)
				}
				tabs := dhtSymbols(t, data)
				if len(tabs) != 2*min(ncomp, 2) {
					t.Errorf("%d Huffman tables, want %d", len(tabs), 2*min(ncomp, 2))
				}

				got := dqtTables(t, data)
				std := dqtTables(t, scantest.JPEG(t, img, q))
				if len(got) != min(ncomp, 2) {
					t.Errorf("%d quantisation tables, want %d", len(got), min(ncomp, 2))
				}
				for id, tab := range got {
					if tab != std[id] {
						t.Errorf("quantisation table %d differs from image/jpeg's", id)
					}
				}
			})
		}
	}
	// A gray image gets no chroma tables even when it is large.
	data := mustEncode(t, image.NewGray(image.Rect(0, 0, 300, 20)), 85)
	if n := len(dqtTables(t, data)); n != 1 {
		t.Errorf("gray: %d quantisation tables", n)
	}
}
