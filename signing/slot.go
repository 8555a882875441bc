package signing

import (
	"bytes"
	"crypto"
	"encoding/asn1"
	"encoding/hex"
	"fmt"
	"hash"
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

// covered is what a slot's ByteRange covers, in place: the bytes before
// and after /Contents, with the digests of the bytes every signature of
// the file covers first.
type covered struct {
	data []byte
	sl   slot
	pre  *prefixDigests
}

// covered returns the bytes sl covers, without copying them.
func (sl slot) covered(data []byte, pre *prefixDigests) covered {
	return covered{data: data, sl: sl, pre: pre}
}

// digest returns the alg hash of the covered bytes.
func (c covered) digest(alg crypto.Hash) []byte {
	h, from := c.pre.start(alg, c.sl.br[1])
	h.Write(c.data[from:c.sl.br[1]])
	h.Write(c.data[c.sl.br[2] : c.sl.br[2]+c.sl.br[3]])
	return h.Sum(nil)
}

// prefixDigests hashes, once per algorithm, the bytes every signature of a
// file covers first: each ByteRange starts at 0, and the part before the
// first signature's /Contents (the original document, nearly all of the
// file) is common to all of them.
type prefixDigests struct {
	data  []byte
	upto  int64 // the first /Contents of the file's usable slots
	state map[crypto.Hash]hash.Hash
}

// newPrefixDigests prepares the common prefix of slots' ranges in data.
func newPrefixDigests(data []byte, slots []slot) *prefixDigests {
	p := &prefixDigests{data: data, state: map[crypto.Hash]hash.Hash{}}
	for _, sl := range slots {
		if sl.bad == "" && (p.upto == 0 || sl.br[1] < p.upto) {
			p.upto = sl.br[1]
		}
	}
	return p
}

// start returns a hash that has read data up to from, at most end.
func (p *prefixDigests) start(alg crypto.Hash, end int64) (hash.Hash, int64) {
	if p == nil || p.upto == 0 || end < p.upto {
		return alg.New(), 0
	}
	base, ok := p.state[alg]
	if !ok {
		base = alg.New()
		base.Write(p.data[:p.upto])
		p.state[alg] = base
	}
	if c, ok := base.(hash.Cloner); ok {
		if h, err := c.Clone(); err == nil {
			return h, p.upto
		}
	}
	return alg.New(), 0
}

// signedBytes returns a copy of the bytes br covers.
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
