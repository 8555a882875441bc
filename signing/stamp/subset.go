package stamp

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
	"sort"

	"golang.org/x/image/font/sfnt"
)

// subsetTables are the TrueType tables a PDF renderer uses to draw an
// embedded CIDFontType2 with /CIDToGIDMap /Identity (ISO 32000-1 §9.9):
// the outlines and their hinting programs, metrics, and cmap and OS/2 for
// readers that look at them. Layout tables (GSUB, GPOS, kern), glyph
// names (post keeps its header only), the name table and device metrics
// go.
var subsetTables = []string{"OS/2", "cmap", "cvt ", "fpgm", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "prep"}

// subsetTTF returns the TrueType file ttf with the outlines of the glyphs
// in keep only (and .notdef, and the parts composite glyphs are made of);
// every other glyph stays, empty, so glyph IDs do not change and
// /CIDToGIDMap /Identity still holds.
func subsetTTF(ttf []byte, keep []sfnt.GlyphIndex) ([]byte, error) {
	tables, err := readTables(ttf)
	if err != nil {
		return nil, err
	}
	for _, tag := range []string{"head", "maxp", "loca", "glyf", "hmtx", "hhea"} {
		if tables[tag] == nil {
			return nil, fmt.Errorf("stamp: font has no %s table", tag)
		}
	}
	head, maxp := tables["head"], tables["maxp"]
	if len(head) < 54 || len(maxp) < 6 {
		return nil, fmt.Errorf("stamp: font head or maxp table too short")
	}
	n := int(binary.BigEndian.Uint16(maxp[4:]))
	long := binary.BigEndian.Uint16(head[50:]) == 1
	loca, glyf := tables["loca"], tables["glyf"]
	offsets := make([]int, n+1)
	for i := range offsets {
		switch {
		case long && 4*i+4 <= len(loca):
			offsets[i] = int(binary.BigEndian.Uint32(loca[4*i:]))
		case !long && 2*i+2 <= len(loca):
			offsets[i] = 2 * int(binary.BigEndian.Uint16(loca[2*i:]))
		default:
			return nil, fmt.Errorf("stamp: font loca table too short")
		}
	}
	glyph := func(g int) ([]byte, error) {
		if g >= n || offsets[g] > offsets[g+1] || offsets[g+1] > len(glyf) {
			return nil, fmt.Errorf("stamp: font glyph %d out of range", g)
		}
		return glyf[offsets[g]:offsets[g+1]], nil
	}
	// Close the set over composite glyphs' components.
	kept := map[int]bool{0: true}
	todo := []int{0}
	for _, g := range keep {
		todo = append(todo, int(g))
	}
	for len(todo) > 0 {
		g := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		data, err := glyph(g)
		if err != nil {
			return nil, err
		}
		kept[g] = true
		parts, err := components(data)
		if err != nil {
			return nil, fmt.Errorf("stamp: font glyph %d: %w", g, err)
		}
		for _, c := range parts {
			if !kept[c] {
				todo = append(todo, c)
			}
		}
	}
	var newGlyf []byte
	newLoca := make([]byte, 4*(n+1))
	for g := range n {
		binary.BigEndian.PutUint32(newLoca[4*g:], uint32(len(newGlyf)))
		if kept[g] {
			data, _ := glyph(g)
			newGlyf = append(newGlyf, data...)
			for len(newGlyf)%4 != 0 {
				newGlyf = append(newGlyf, 0)
			}
		}
	}
	binary.BigEndian.PutUint32(newLoca[4*n:], uint32(len(newGlyf)))
	newHead := slices.Clone(head)
	binary.BigEndian.PutUint16(newHead[50:], 1) // long loca
	binary.BigEndian.PutUint32(newHead[8:], 0)  // checkSumAdjustment, set below
	out := map[string][]byte{"head": newHead, "loca": newLoca, "glyf": newGlyf, "hmtx": emptyMetrics(tables["hmtx"], tables["hhea"], kept)}
	if post := tables["post"]; len(post) >= 32 {
		// Version 3: the header (italic angle, underline) without glyph names.
		out["post"] = slices.Clone(post[:32])
		binary.BigEndian.PutUint32(out["post"], 0x00030000)
	}
	for _, tag := range subsetTables {
		if out[tag] == nil && tables[tag] != nil {
			out[tag] = tables[tag]
		}
	}
	file := writeTables(out)
	adj := 0xB1B0AFBA - checksum(file)
	// head is found by tag in the directory just written.
	for i := range len(out) {
		rec := file[12+16*i:]
		if string(rec[:4]) == "head" {
			binary.BigEndian.PutUint32(file[binary.BigEndian.Uint32(rec[8:])+8:], adj)
		}
	}
	return file, nil
}

// emptyMetrics returns hmtx with the metrics of the glyphs not kept set to
// zero (a PDF takes widths from the font's /W array; the zeros compress to
// nothing).
func emptyMetrics(hmtx, hhea []byte, kept map[int]bool) []byte {
	out := slices.Clone(hmtx)
	if len(hhea) < 36 {
		return out
	}
	long := int(binary.BigEndian.Uint16(hhea[34:]))
	for g := 0; ; g++ {
		at, size := 4*g, 4
		if g >= long {
			at, size = 4*long+2*(g-long), 2
		}
		if at+size > len(out) {
			return out
		}
		if !kept[g] {
			clear(out[at : at+size])
		}
	}
}

// components returns the glyphs a composite glyph is made of (none for a
// simple or empty glyph).
func components(data []byte) ([]int, error) {
	if len(data) < 10 || int16(binary.BigEndian.Uint16(data)) >= 0 {
		return nil, nil
	}
	const (
		argWords  = 0x0001
		scale     = 0x0008
		more      = 0x0020
		xyScale   = 0x0040
		twoByTwo  = 0x0080
		recordLen = 4
	)
	var out []int
	p := 10
	for {
		if p+recordLen > len(data) {
			return nil, fmt.Errorf("composite glyph cut short")
		}
		flags := binary.BigEndian.Uint16(data[p:])
		out = append(out, int(binary.BigEndian.Uint16(data[p+2:])))
		p += recordLen
		if flags&argWords != 0 {
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&scale != 0:
			p += 2
		case flags&xyScale != 0:
			p += 4
		case flags&twoByTwo != 0:
			p += 8
		}
		if flags&more == 0 {
			return out, nil
		}
	}
}

// readTables returns a TrueType file's tables by tag.
func readTables(ttf []byte) (map[string][]byte, error) {
	if len(ttf) < 12 {
		return nil, fmt.Errorf("stamp: font file too short")
	}
	n := int(binary.BigEndian.Uint16(ttf[4:]))
	if len(ttf) < 12+16*n {
		return nil, fmt.Errorf("stamp: font table directory cut short")
	}
	tables := make(map[string][]byte, n)
	for i := range n {
		rec := ttf[12+16*i:]
		off, length := int(binary.BigEndian.Uint32(rec[8:])), int(binary.BigEndian.Uint32(rec[12:]))
		if off < 0 || length < 0 || off+length > len(ttf) {
			return nil, fmt.Errorf("stamp: font table %q out of range", rec[:4])
		}
		tables[string(rec[:4])] = ttf[off : off+length]
	}
	return tables, nil
}

// writeTables lays tables out as a TrueType file, the directory sorted by
// tag and every table's checksum filled in.
func writeTables(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	n := len(tags)
	pow := 1
	log := 0
	for pow*2 <= n {
		pow, log = pow*2, log+1
	}
	file := make([]byte, 12+16*n)
	binary.BigEndian.PutUint32(file, 0x00010000)
	binary.BigEndian.PutUint16(file[4:], uint16(n))
	binary.BigEndian.PutUint16(file[6:], uint16(16*pow))
	binary.BigEndian.PutUint16(file[8:], uint16(log))
	binary.BigEndian.PutUint16(file[10:], uint16(16*n-16*pow))
	for i, tag := range tags {
		data := tables[tag]
		rec := file[12+16*i:]
		copy(rec, tag)
		binary.BigEndian.PutUint32(rec[4:], checksum(data))
		binary.BigEndian.PutUint32(rec[8:], uint32(len(file)))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(data)))
		file = append(file, data...)
		for len(file)%4 != 0 {
			file = append(file, 0)
		}
	}
	return file
}

// checksum is the TrueType checksum of data: the sum of its big-endian
// 32-bit words, zero-padded.
func checksum(data []byte) uint32 {
	var sum uint32
	for i := 0; i < len(data); i += 4 {
		var w [4]byte
		copy(w[:], data[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}

// subsetTag is the six capital letters that name a subset of the font
// (ISO 32000-1 §9.6.4), made from the glyphs it holds.
func subsetTag(gids []sfnt.GlyphIndex) string {
	h := sha256.New()
	for _, g := range gids {
		h.Write([]byte{byte(g >> 8), byte(g)})
	}
	sum := h.Sum(nil)
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + sum[i]%26
	}
	return string(tag)
}
