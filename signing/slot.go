package signing

import (
	"bytes"
	"encoding/asn1"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

const (
	byteRangeKey   = "/ByteRange"
	pdfsignFilter  = "/SubFilter /adbe.pkcs7.detached"
	padesSubFilter = "/SubFilter /ETSI.CAdES.detached" // same length as pdfsignFilter
)

// slot is one signature as the bytes of the file show it: the offset of its /ByteRange
// key and the four ByteRange numbers. The unsigned gap br[1]..br[2] holds /Contents.
type slot struct {
	at  int
	br  [4]int64
	bad string // why the ByteRange or gap is unusable; empty when fine
}

// findSlots returns every signature of data in file order. Signature dictionaries
// cannot sit in compressed object streams (their ByteRange counts file bytes), so a
// scan of the bytes finds them all, even in a file too damaged to parse.
func findSlots(data []byte) []slot {
	var slots []slot
	for off := 0; ; {
		i := bytes.Index(data[off:], []byte(byteRangeKey))
		if i < 0 {
			return slots
		}
		at := off + i
		off = at + len(byteRangeKey)
		sl := slot{at: at}
		br, ok := parseByteRange(data[off:])
		if ok {
			sl.br = br
			sl.bad = checkGap(data, br)
		} else {
			sl.bad = "malformed ByteRange"
		}
		slots = append(slots, sl)
	}
}

// parseByteRange parses "[a b c d]" after optional white space.
func parseByteRange(b []byte) ([4]int64, bool) {
	var br [4]int64
	end := bytes.IndexByte(b, ']')
	if end < 0 || end > 100 {
		return br, false
	}
	s := strings.TrimSpace(string(b[:end]))
	if !strings.HasPrefix(s, "[") {
		return br, false
	}
	f := strings.Fields(s[1:])
	if len(f) != 4 {
		return br, false
	}
	for i, v := range f {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return br, false
		}
		br[i] = n
	}
	return br, true
}

// checkGap reports what is wrong with br for data: it must start at 0, stay inside the
// file, and leave unsigned exactly one hex string, /Contents.
func checkGap(data []byte, br [4]int64) string {
	if br[0] != 0 || br[1] < 1 || br[2] < br[1]+2 || br[2]+br[3] > int64(len(data)) {
		return fmt.Sprintf("ByteRange %v does not fit a file of %d bytes", br, len(data))
	}
	if data[br[1]] != '<' || data[br[2]-1] != '>' {
		return "ByteRange gap is not the /Contents hex string"
	}
	for _, c := range data[br[1]+1 : br[2]-1] {
		if !isHex(c) && !isSpace(c) {
			return "ByteRange gap holds bytes other than the signature"
		}
	}
	return ""
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }
func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

// signedBytes returns the bytes br covers.
func (sl slot) signedBytes(data []byte) []byte {
	out := make([]byte, 0, sl.br[1]+sl.br[3])
	out = append(out, data[:sl.br[1]]...)
	return append(out, data[sl.br[2]:sl.br[2]+sl.br[3]]...)
}

// contents returns the DER signature in the gap, without its zero padding.
func (sl slot) contents(data []byte) ([]byte, error) {
	h := bytes.Map(func(r rune) rune {
		if r < 0x80 && isSpace(byte(r)) {
			return -1
		}
		return r
	}, data[sl.br[1]+1:sl.br[2]-1])
	if len(h)%2 == 1 {
		h = append(h, '0')
	}
	der := make([]byte, hex.DecodedLen(len(h)))
	if _, err := hex.Decode(der, h); err != nil {
		return nil, err
	}
	var rv asn1.RawValue
	if _, err := asn1.Unmarshal(der, &rv); err == nil {
		return rv.FullBytes, nil
	}
	return der, nil // BER, perhaps: let the CMS parser judge
}

// newSlot returns the signature pdfsign appended to an input of inLen bytes.
func newSlot(out []byte, inLen int) (slot, error) {
	slots := findSlots(out)
	if len(slots) == 0 {
		return slot{}, fmt.Errorf("%w: pdfsign wrote no signature", ErrDamagedOutput)
	}
	sl := slots[len(slots)-1]
	switch {
	case sl.bad != "":
		return slot{}, fmt.Errorf("%w: pdfsign's signature: %s", ErrDamagedOutput, sl.bad)
	case sl.at < inLen || sl.br[1] < int64(inLen):
		// pdfsign looks for its zero-filled placeholder from the start of the file and
		// may find the padding of an earlier signature instead.
		return slot{}, fmt.Errorf("%w: pdfsign put the signature inside the original file", ErrDamagedOutput)
	case sl.br[2]+sl.br[3] != int64(len(out)):
		return slot{}, fmt.Errorf("%w: pdfsign's signature does not cover the whole file", ErrDamagedOutput)
	}
	return sl, nil
}

// namePlaceholder is the /Name Sign passes to pdfsign: plain ASCII of a length that
// leaves room for the entries Sign writes in its place.
func namePlaceholder(entries int) string {
	return strings.Repeat("x", max(entries-len("/Name ()"), 16))
}

// rewriteDictionary turns pdfsign's signature dictionary into a PAdES one without moving
// a byte: SubFilter adbe.pkcs7.detached becomes ETSI.CAdES.detached, and the /Name
// placeholder becomes entries padded with spaces. pdfsign writes /SubFilter before
// /Contents and /Name after it.
func (sl slot) rewriteDictionary(out []byte, entries string) error {
	head := out[sl.at-min(sl.at, 512) : sl.br[1]]
	i := bytes.LastIndex(head, []byte(pdfsignFilter))
	if i < 0 {
		return fmt.Errorf("%w: pdfsign's dictionary has no %s", ErrDamagedOutput, pdfsignFilter)
	}
	copy(head[i:], padesSubFilter)
	name := "/Name (" + namePlaceholder(len(entries)) + ")"
	tail := out[sl.br[2]:]
	j := bytes.Index(tail, []byte(name))
	if j < 0 || j > 4096 {
		return fmt.Errorf("%w: pdfsign's dictionary has no /Name placeholder", ErrDamagedOutput)
	}
	copy(tail[j:], entries+strings.Repeat(" ", len(name)-len(entries)))
	return nil
}

// embed writes cms as hex into the slot's /Contents, zero padded.
func (sl slot) embed(out []byte, cms []byte) error {
	dst := out[sl.br[1]+1 : sl.br[2]-1]
	if hex.EncodedLen(len(cms)) > len(dst) {
		return fmt.Errorf("%w: %d bytes for %d reserved", errNoRoom, len(cms), len(dst)/2)
	}
	n := hex.Encode(dst, cms)
	for i := n; i < len(dst); i++ {
		dst[i] = '0'
	}
	return nil
}
