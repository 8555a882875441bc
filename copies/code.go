package copies

import (
	"crypto/rand"
	"strings"
)

// codeAlphabet is Crockford's base32: no I, L, O, U to misread.
const codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// newCode returns a verification code of 60 random bits, as XXXX-XXXX-XXXX.
func newCode() string {
	b := make([]byte, 12)
	rand.Read(b)
	var s strings.Builder
	for i, v := range b {
		if i > 0 && i%4 == 0 {
			s.WriteByte('-')
		}
		s.WriteByte(codeAlphabet[v&31])
	}
	return s.String()
}
