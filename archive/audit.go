package archive

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strconv"
	"time"
)

// AuditHash returns the chain hash of e given the previous entry's hash:
// SHA-256 over the previous hash and each field, length-prefixed so no two
// different entries hash alike.
func AuditHash(prevHash string, e *AuditEvent) string {
	h := sha256.New()
	for _, f := range []string{prevHash, strconv.FormatInt(e.Seq, 10), e.Time.UTC().Format(time.RFC3339Nano),
		e.Actor, string(e.Role), e.Action, e.Object, e.Outcome, e.Detail} {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(f)))
		h.Write(n[:])
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// CheckpointDigest is what a checkpoint's signature signs.
func CheckpointDigest(seq int64, hash string) []byte {
	sum := sha256.Sum256([]byte("khoso audit checkpoint|" + strconv.FormatInt(seq, 10) + "|" + hash))
	return sum[:]
}
