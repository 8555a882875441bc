package signing

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"

	"github.com/digitorus/pdf"
)

// revision is one incremental update after the first signed revision: the bytes from
// start (the end of the revision before it) to end, the cross-reference entries it
// writes, and the document as of end.
type revision struct {
	start, end int64
	objs       []objectAt
	r          *pdf.Reader
}

// maxRevisions bounds the updates the verifier follows.
const maxRevisions = 1000

// readRevisions returns the updates of data after the revision that ends at from (the
// end of the earliest signature), oldest first, and the document as of from. It fails
// for anything that is not a chain of complete incremental updates continuing that
// revision: bytes after the last %%EOF, a /Prev that does not lead back to it, a
// cross-reference section that cannot be read or points outside its update, hybrid
// sections (/XRefStm, which this verifier does not follow and other readers do).
func readRevisions(data []byte, from int64) (*pdf.Reader, []revision, error) {
	base, err := openReader(data[:from])
	if err != nil {
		return nil, nil, fmt.Errorf("the signed revision cannot be read: %w", err)
	}
	if from == int64(len(data)) {
		return base, nil, nil
	}
	baseXref, err := lastStartXref(data[:from])
	if err != nil {
		return nil, nil, fmt.Errorf("the signed revision does not end with startxref and %%%%EOF")
	}
	offsets, sections, err := xrefChain(data, from, baseXref)
	if err != nil {
		return nil, nil, err
	}
	revs := make([]revision, len(offsets))
	start := from
	for i := len(offsets) - 1; i >= 0; i-- {
		k := len(offsets) - 1 - i
		end, err := revisionEnd(data, offsets[i])
		if err != nil {
			return nil, nil, err
		}
		if offsets[i] < start || end <= start {
			return nil, nil, fmt.Errorf("the update at offset %d overlaps the revision before it", offsets[i])
		}
		for _, o := range sections[i] {
			if !o.free && !o.inStream && (o.offset < start || o.offset >= end) {
				return nil, nil, fmt.Errorf("the update at offset %d points object %d outside itself", offsets[i], o.id)
			}
		}
		r, err := openReader(data[:end])
		if err != nil {
			return nil, nil, fmt.Errorf("the update at offset %d: %w", offsets[i], err)
		}
		revs[k] = revision{start: start, end: end, objs: sections[i], r: r}
		start = end
	}
	if !blank(data[start:]) {
		return nil, nil, fmt.Errorf("bytes follow the last update")
	}
	return base, revs, nil
}

// xrefChain walks the /Prev chain from the end of data back to the section at baseXref,
// returning the offsets and entries of the sections after from, newest first.
func xrefChain(data []byte, from, baseXref int64) ([]int64, [][]objectAt, error) {
	off, err := lastStartXref(data)
	if err != nil {
		return nil, nil, fmt.Errorf("bytes were appended that are not an incremental update")
	}
	var offsets []int64
	var sections [][]objectAt
	for off >= from {
		if len(offsets) >= maxRevisions || off >= int64(len(data)) {
			return nil, nil, fmt.Errorf("the cross-reference chain is broken")
		}
		var objs []objectAt
		var trailer []byte
		if bytes.HasPrefix(data[off:], []byte("xref")) {
			objs, trailer, err = readXrefSection(data[off:])
		} else {
			objs, trailer, err = readXrefStream(data[off:])
		}
		if err != nil {
			return nil, nil, fmt.Errorf("the update at offset %d: %w", off, err)
		}
		if xrefStmRE.Match(trailer) {
			return nil, nil, fmt.Errorf("the update at offset %d has a hybrid cross-reference (/XRefStm)", off)
		}
		m := trailerPrevRE.FindSubmatch(trailer)
		if m == nil {
			return nil, nil, fmt.Errorf("the update at offset %d has no /Prev", off)
		}
		prev, err := strconv.ParseInt(string(m[1]), 10, 64)
		if err != nil || prev >= off {
			return nil, nil, fmt.Errorf("the update at offset %d has a /Prev that does not lead back", off)
		}
		offsets, sections = append(offsets, off), append(sections, objs)
		off = prev
	}
	if off != baseXref {
		return nil, nil, fmt.Errorf("the updates do not continue the signed revision (/Prev %d, want %d)", off, baseXref)
	}
	return offsets, sections, nil
}

// revisionEnd returns the end of the revision whose cross-reference section is at off:
// just after the "startxref off %%EOF" that names it and its end of line.
func revisionEnd(data []byte, off int64) (int64, error) {
	re := regexp.MustCompile(`startxref\s+` + strconv.FormatInt(off, 10) + `\s+%%EOF(\r\n|\r|\n)?`)
	loc := re.FindIndex(data[off:])
	if loc == nil {
		return 0, fmt.Errorf("the update at offset %d has no startxref naming it", off)
	}
	return off + int64(loc[1]), nil
}

// blank reports whether b is only white space.
func blank(b []byte) bool { return len(bytes.TrimLeft(b, "\r\n\t\f\x00 ")) == 0 }

// inUse reports whether object id is defined in the document r.
func inUse(r *pdf.Reader, id int) bool {
	x := r.Xref()
	if id <= 0 || id >= len(x) {
		return false
	}
	p := x[id].Ptr()
	return int(p.GetID()) == id
}

// objectByID returns object id of r as the document cur has it, null when cur has none
// of the same generation.
func objectByID(r, cur *pdf.Reader, id int) pdf.Value {
	p := r.Xref()[id].Ptr()
	return cur.Resolve(p, p)
}
