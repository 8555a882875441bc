package signing

import (
	"bytes"
	"encoding/asn1"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

const byteRangeKey = "/ByteRange"

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
