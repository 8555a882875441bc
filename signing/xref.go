package signing

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// objectAt is an entry of a cross-reference section: an object number and where its
// new version is.
type objectAt struct {
	id       int
	offset   int64 // in the file; for an object in an object stream, the stream's number
	free     bool  // the section frees the object
	inStream bool  // the object lives in an object stream
}

// maxObjects bounds the object numbers a cross-reference section may name.
const maxObjects = 1 << 23

var (
	trailerPrevRE = regexp.MustCompile(`/Prev\s+(\d+)`)
	xrefStmRE     = regexp.MustCompile(`/XRefStm\b`)
	subsectionRE  = regexp.MustCompile(`^(\d+)\s+(\d+)\s*$`)
	entryRE       = regexp.MustCompile(`^(\d{10})\s+(\d{5})\s+([nf])`)
)

// readXrefSection parses "xref" subsections and returns their entries and the trailer
// dictionary's text.
func readXrefSection(b []byte) ([]objectAt, []byte, error) {
	b = b[:min(len(b), 1<<20)]
	if t := bytes.Index(b, []byte("trailer")); t >= 0 {
		b = b[:min(len(b), t+4096)]
	}
	lines := bytes.FieldsFunc(b, func(r rune) bool { return r == '\n' || r == '\r' })
	var out []objectAt
	for i := 1; i < len(lines); i++ {
		line := bytes.TrimSpace(lines[i])
		if bytes.HasPrefix(line, []byte("trailer")) {
			rest := bytes.Join(lines[i:], []byte("\n"))
			return out, rest[:min(len(rest), 4096)], nil
		}
		m := subsectionRE.FindSubmatch(line)
		if m == nil {
			return nil, nil, fmt.Errorf("cross-reference table is malformed")
		}
		first, err1 := strconv.Atoi(string(m[1]))
		count, err2 := strconv.Atoi(string(m[2]))
		if err1 != nil || err2 != nil || first > maxObjects || count > maxObjects {
			return nil, nil, fmt.Errorf("cross-reference subsection is out of range")
		}
		for j := 0; j < count && i+1 < len(lines); j++ {
			i++
			e := entryRE.FindSubmatch(bytes.TrimSpace(lines[i]))
			if e == nil {
				return nil, nil, fmt.Errorf("cross-reference entry is malformed")
			}
			offset, _ := strconv.ParseInt(string(e[1]), 10, 64)
			out = append(out, objectAt{id: first + j, offset: offset, free: string(e[3]) == "f"})
		}
	}
	return nil, nil, fmt.Errorf("cross-reference table has no trailer")
}

var (
	xrefWRE      = regexp.MustCompile(`/W\s*\[\s*(\d)\s+(\d)\s+(\d)\s*\]`)
	xrefIndexRE  = regexp.MustCompile(`/Index\s*\[([\d\s]*)\]`)
	xrefSizeRE   = regexp.MustCompile(`/Size\s+(\d+)`)
	xrefLengthRE = regexp.MustCompile(`/Length\s+(\d+)(\s+\d+\s+R)?`)
)

// readXrefStream parses a cross-reference stream without filter or with FlateDecode
// and no predictor, and returns its entries and the dictionary's text.
func readXrefStream(b []byte) ([]objectAt, []byte, error) {
	i := bytes.Index(b[:min(len(b), 4096)], []byte("stream"))
	if i < 0 {
		return nil, nil, fmt.Errorf("neither a cross-reference table nor a stream")
	}
	dict := b[:i]
	w, length := xrefWRE.FindSubmatch(dict), xrefLengthRE.FindSubmatch(dict)
	if !bytes.Contains(dict, []byte("/XRef")) || w == nil || length == nil || len(length[2]) > 0 || bytes.Contains(dict, []byte("/DecodeParms")) {
		return nil, nil, fmt.Errorf("a cross-reference stream this verifier cannot read")
	}
	start := i + len("stream")
	if bytes.HasPrefix(b[start:], []byte("\r")) {
		start++
	}
	start++ // the end of line after "stream"
	n, err := strconv.Atoi(string(length[1]))
	if err != nil || n < 0 || start > len(b) || n > len(b)-start {
		return nil, nil, fmt.Errorf("cross-reference stream is truncated")
	}
	raw := b[start : start+n]
	if bytes.Contains(dict, []byte("/FlateDecode")) {
		zr, err := zlib.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, nil, err
		}
		if raw, err = io.ReadAll(io.LimitReader(zr, 64<<20)); err != nil {
			return nil, nil, err
		}
	}
	return xrefStreamEntries(raw, dict, w)
}

// xrefStreamEntries decodes the entries of a cross-reference stream.
func xrefStreamEntries(raw, dict []byte, w [][]byte) ([]objectAt, []byte, error) {
	var widths [3]int
	for k := range widths {
		widths[k] = int(w[k+1][0] - '0')
	}
	var index []int
	if m := xrefIndexRE.FindSubmatch(dict); m != nil {
		for _, f := range strings.Fields(string(m[1])) {
			v, err := strconv.Atoi(f)
			if err != nil || v > maxObjects {
				return nil, nil, fmt.Errorf("cross-reference stream index is out of range")
			}
			index = append(index, v)
		}
	} else if m := xrefSizeRE.FindSubmatch(dict); m != nil {
		size, err := strconv.Atoi(string(m[1]))
		if err != nil || size > maxObjects {
			return nil, nil, fmt.Errorf("cross-reference stream size is out of range")
		}
		index = []int{0, size}
	}
	field := func(b []byte) int64 {
		var v int64
		for _, c := range b {
			v = v<<8 | int64(c)
		}
		return v
	}
	row := widths[0] + widths[1] + widths[2]
	var out []objectAt
	for k := 0; k+1 < len(index); k += 2 {
		for j := range index[k+1] {
			if len(raw) < row || row == 0 {
				return nil, nil, fmt.Errorf("cross-reference stream is short")
			}
			typ := int64(1)
			if widths[0] > 0 {
				typ = field(raw[:widths[0]])
			}
			out = append(out, objectAt{id: index[k] + j, offset: field(raw[widths[0] : widths[0]+widths[1]]), free: typ == 0, inStream: typ == 2})
			raw = raw[row:]
		}
	}
	return out, dict, nil
}

// checkXrefBounds walks every cross-reference section of doc, as
// github.com/digitorus/pdf will, and refuses object numbers (and /Size values) beyond
// what a file of its size can hold: that reader allocates a table entry for every
// number up to the largest.
func checkXrefBounds(doc []byte) error {
	limit := len(doc)/16 + 1<<16
	off, err := lastStartXref(doc)
	if err != nil {
		return err
	}
	seen := map[int64]bool{}
	for {
		if seen[off] || len(seen) >= maxRevisions || off < 0 || off >= int64(len(doc)) {
			return fmt.Errorf("%w: the cross-reference chain is broken", ErrNotPDF)
		}
		seen[off] = true
		var objs []objectAt
		var trailer []byte
		if bytes.HasPrefix(doc[off:], []byte("xref")) {
			objs, trailer, err = readXrefSection(doc[off:])
		} else {
			trailer, err = xrefStreamDict(doc[off:], limit)
		}
		if err != nil {
			return fmt.Errorf("%w: cross-reference section at offset %d: %w", ErrNotPDF, off, err)
		}
		for _, o := range objs {
			if o.id >= limit {
				return fmt.Errorf("%w: object number %d is out of range for a file of %d bytes", ErrNotPDF, o.id, len(doc))
			}
		}
		if m := xrefSizeRE.FindSubmatch(trailer); m != nil {
			if n, err := strconv.Atoi(string(m[1])); err != nil || n > limit {
				return fmt.Errorf("%w: /Size %s is out of range for a file of %d bytes", ErrNotPDF, m[1], len(doc))
			}
		}
		m := trailerPrevRE.FindSubmatch(trailer)
		if m == nil {
			return nil
		}
		if off, err = strconv.ParseInt(string(m[1]), 10, 64); err != nil {
			return fmt.Errorf("%w: /Prev is out of range", ErrNotPDF)
		}
	}
}

// xrefStreamDict returns the dictionary of the cross-reference stream at the start of
// b, having checked that its /Index names no object at or past limit.
func xrefStreamDict(b []byte, limit int) ([]byte, error) {
	i := bytes.Index(b[:min(len(b), 4096)], []byte("stream"))
	if i < 0 {
		return nil, fmt.Errorf("neither a cross-reference table nor a stream")
	}
	dict := b[:i]
	if m := xrefIndexRE.FindSubmatch(dict); m != nil {
		f := strings.Fields(string(m[1]))
		for k := 0; k+1 < len(f); k += 2 {
			first, err1 := strconv.Atoi(f[k])
			n, err2 := strconv.Atoi(f[k+1])
			if err1 != nil || err2 != nil || first+n > limit {
				return nil, fmt.Errorf("/Index names objects out of range")
			}
		}
	}
	return dict, nil
}
