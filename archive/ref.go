package archive

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"strings"
)

// refPrefix names the digest algorithm of every Ref.
const refPrefix = "sha256-"

// Ref is the content address of a blob: "sha256-" followed by the lowercase
// hex SHA-256 of its bytes.
type Ref string

// RefOf returns the Ref of b.
func RefOf(b []byte) Ref {
	sum := sha256.Sum256(b)
	return Ref(refPrefix + hex.EncodeToString(sum[:]))
}

// ParseRef checks that s is a well-formed Ref.
func ParseRef(s string) (Ref, error) {
	hexPart, ok := strings.CutPrefix(s, refPrefix)
	if !ok || len(hexPart) != sha256.Size*2 {
		return "", fmt.Errorf("archive: parse ref %q: %w", s, ErrInvalid)
	}
	if _, err := hex.DecodeString(hexPart); err != nil || strings.ToLower(hexPart) != hexPart {
		return "", fmt.Errorf("archive: parse ref %q: %w", s, ErrInvalid)
	}
	return Ref(s), nil
}

// Hex returns the hexadecimal digest without the algorithm prefix.
func (r Ref) Hex() string { return strings.TrimPrefix(string(r), refPrefix) }

// String returns the Ref as text.
func (r Ref) String() string { return string(r) }

// NewHash returns a hash whose Sum, passed to RefFromSum, gives a Ref.
func NewHash() hash.Hash { return sha256.New() }

// RefFromSum turns a digest from NewHash into a Ref.
func RefFromSum(sum []byte) Ref { return Ref(refPrefix + hex.EncodeToString(sum)) }
