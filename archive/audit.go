package archive

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/binary"
	"encoding/hex"
	"fmt"
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

// Auditor appends to the audit log and signs a checkpoint every Every
// entries.
type Auditor struct {
	Catalog Catalog
	// Sign signs a checkpoint digest with the agency key and returns the
	// signature and the signer's certificate (DER).
	Sign func(digest []byte) (sig, certDER []byte, err error)
	// Every is how many entries a checkpoint covers; default 100.
	Every int64
	// Now returns the time; default time.Now.
	Now func() time.Time
}

// Log appends e and, every Every entries, a signed checkpoint.
func (a *Auditor) Log(ctx context.Context, e AuditEvent) error {
	if a.Now != nil {
		e.Time = a.Now()
	}
	err := a.Catalog.Update(ctx, func(tx CatalogTx) error { return tx.AppendAudit(ctx, &e) })
	if err != nil {
		return fmt.Errorf("archive: audit %s: %w", e.Action, err)
	}
	if every := a.every(); e.Seq%every == 0 {
		return a.checkpoint(ctx, e.Seq, e.Hash)
	}
	return nil
}

func (a *Auditor) every() int64 {
	if a.Every <= 0 {
		return 100
	}
	return a.Every
}

// Checkpoint signs the chain up to its last entry, unless that entry is
// already checkpointed (as on shutdown).
func (a *Auditor) Checkpoint(ctx context.Context) error {
	var last *AuditEvent
	cps, err := a.Catalog.AuditCheckpoints(ctx)
	if err != nil {
		return err
	}
	after := int64(0)
	if len(cps) > 0 {
		after = cps[len(cps)-1].Seq
	}
	err = a.Catalog.AuditEvents(ctx, after, func(e *AuditEvent) error { last = e; return nil })
	if err != nil || last == nil {
		return err
	}
	return a.checkpoint(ctx, last.Seq, last.Hash)
}

func (a *Auditor) checkpoint(ctx context.Context, seq int64, hash string) error {
	sig, cert, err := a.Sign(CheckpointDigest(seq, hash))
	if err != nil {
		return fmt.Errorf("archive: sign audit checkpoint %d: %w", seq, err)
	}
	now := time.Now
	if a.Now != nil {
		now = a.Now
	}
	c := &AuditCheckpoint{Seq: seq, Hash: hash, Time: now().UTC(), Signature: sig, Certificate: cert}
	return a.Catalog.Update(ctx, func(tx CatalogTx) error { return tx.AddCheckpoint(ctx, c) })
}

// AuditReport is the outcome of VerifyAudit.
type AuditReport struct {
	Entries     int64
	Checkpoints int
	// FirstBroken is the Seq of the first entry whose stored hash or link
	// does not match the recomputed chain; 0 when the chain holds.
	FirstBroken int64
	// Problems lists what is wrong, in order, for people.
	Problems []string
}

// OK reports whether the chain and every checkpoint hold.
func (r *AuditReport) OK() bool { return len(r.Problems) == 0 }

// VerifyAudit recomputes the hash chain from the first entry and checks
// every checkpoint's hash and signature; roots, when not nil, must anchor
// each checkpoint's certificate.
func VerifyAudit(ctx context.Context, c CatalogReader, roots *x509.CertPool) (*AuditReport, error) {
	rep := &AuditReport{}
	computed := map[int64]string{}
	prev := ""
	err := c.AuditEvents(ctx, 0, func(e *AuditEvent) error {
		rep.Entries++
		want := AuditHash(prev, e)
		if rep.FirstBroken == 0 && (e.Seq != rep.Entries || e.PrevHash != prev || e.Hash != want) {
			rep.FirstBroken = rep.Entries
			rep.Problems = append(rep.Problems, fmt.Sprintf(
				"mục %d bị sửa hoặc mất / entry %d was changed or removed (seq %d, action %q, object %q)",
				rep.Entries, rep.Entries, e.Seq, e.Action, e.Object))
		}
		computed[e.Seq] = want
		prev = want
		return nil
	})
	if err != nil {
		return nil, err
	}
	cps, err := c.AuditCheckpoints(ctx)
	if err != nil {
		return nil, err
	}
	for _, cp := range cps {
		rep.Checkpoints++
		if p := checkCheckpoint(cp, computed[cp.Seq], roots); p != "" {
			rep.Problems = append(rep.Problems, p)
		}
	}
	return rep, nil
}

func checkCheckpoint(cp AuditCheckpoint, computed string, roots *x509.CertPool) string {
	if computed == "" || cp.Hash != computed {
		return fmt.Sprintf("điểm kiểm tra %d không khớp chuỗi / checkpoint %d does not match the chain", cp.Seq, cp.Seq)
	}
	cert, err := x509.ParseCertificate(cp.Certificate)
	if err != nil {
		return fmt.Sprintf("checkpoint %d: certificate: %v", cp.Seq, err)
	}
	if !verifyDigest(cert.PublicKey, CheckpointDigest(cp.Seq, cp.Hash), cp.Signature) {
		return fmt.Sprintf("chữ ký điểm kiểm tra %d sai / checkpoint %d signature is invalid", cp.Seq, cp.Seq)
	}
	if roots != nil {
		opts := x509.VerifyOptions{Roots: roots, CurrentTime: cp.Time, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}
		if _, err := cert.Verify(opts); err != nil {
			return fmt.Sprintf("checkpoint %d: signer not trusted: %v", cp.Seq, err)
		}
	}
	return ""
}

// verifyDigest checks an ECDSA (ASN.1) or RSA-PSS signature over a SHA-256
// digest.
func verifyDigest(pub any, digest, sig []byte) bool {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		return ecdsa.VerifyASN1(k, digest, sig)
	case *rsa.PublicKey:
		return rsa.VerifyPSS(k, crypto.SHA256, digest, sig, nil) == nil
	}
	return false
}
