package archive

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// AuditVerifyConfig says what VerifyAudit trusts and where it looks. Trust
// comes only from here, never from a certificate found in the catalog.
type AuditVerifyConfig struct {
	// Roots must anchor the certificate of every checkpoint and anchor.
	// Required unless Agency is set, in which case only Agency itself is
	// trusted.
	Roots *x509.CertPool
	// Intermediates, optional, help chain a signer to Roots.
	Intermediates *x509.CertPool
	// Agency, when set, is the agency's certificate: a checkpoint must be
	// signed by it, or by a renewal of it (a certificate with its subject
	// that chains to Roots). Default: any certificate under Roots.
	Agency *x509.Certificate
	// Every is the Auditor's Every: a checkpoint is due at each multiple;
	// default 100.
	Every int64
	// Anchors, when set, is read for the newest anchor, which the log must
	// reach.
	Anchors Anchorer
	// VerifyTimestampFunc, when set, checks an RFC 3161 token over data (a
	// checkpoint's signature) and returns the token's time.
	VerifyTimestampFunc func(token, data []byte) (time.Time, error)
	// Location is where times in messages are shown; default UTC+07:00.
	Location *time.Location
}

func (cfg *AuditVerifyConfig) every() int64 {
	if cfg.Every <= 0 {
		return 100
	}
	return cfg.Every
}

// when formats t for messages, as dd/mm/yyyy hh:mm ±hh:mm.
func (cfg *AuditVerifyConfig) when(t time.Time) string {
	loc := cfg.Location
	if loc == nil {
		loc = time.FixedZone("+07", 7*3600)
	}
	return t.In(loc).Format("02/01/2006 15:04 -07:00")
}

// AuditReport is the outcome of VerifyAudit.
type AuditReport struct {
	// Entries is how many entries the log holds; Last is the Seq of the
	// last one.
	Entries, Last int64
	Checkpoints   int
	// Anchor is the newest anchor read from the blob store, nil when none
	// was found or it was unreadable.
	Anchor *AuditCheckpoint
	// FirstBroken is the Seq of the first entry whose stored hash or link
	// does not match the recomputed chain; 0 when the chain holds.
	FirstBroken int64
	// Problems lists what is wrong, in order, for people.
	Problems []string
	// Notes lists what could not be checked, which is not a failure.
	Notes []string
}

// OK reports whether the chain, every checkpoint and the anchor hold.
func (r *AuditReport) OK() bool { return len(r.Problems) == 0 }

func (r *AuditReport) problem(format string, args ...any) {
	r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
}

// VerifyAudit recomputes the hash chain from the first entry; checks that
// every checkpoint matches it and is signed by the agency as cfg says, that
// none due (one every cfg.Every entries) or named by a later one is
// missing; and that the log reaches the newest anchor of cfg.Anchors, so
// that a log emptied, cut or rewritten in the catalog is reported.
func VerifyAudit(ctx context.Context, c CatalogReader, cfg AuditVerifyConfig) (*AuditReport, error) {
	if cfg.Roots == nil && cfg.Agency == nil {
		return nil, fmt.Errorf("archive: verify audit: no trust anchors or agency certificate: %w", ErrInvalid)
	}
	rep := &AuditReport{}
	cps, err := c.AuditCheckpoints(ctx)
	if err != nil {
		return nil, err
	}
	rep.Checkpoints = len(cps)
	anchor, err := newestAnchor(ctx, &cfg, rep)
	if err != nil {
		return nil, err
	}
	want := map[int64]string{} // seq → recomputed hash, for the seqs checked
	for _, cp := range cps {
		want[cp.Seq] = ""
	}
	if anchor != nil {
		want[anchor.Seq] = ""
	}
	if err := walkChain(ctx, c, rep, want); err != nil {
		return nil, err
	}
	bySeq := map[int64]bool{}
	for _, cp := range cps {
		bySeq[cp.Seq] = true
	}
	for _, cp := range cps {
		checkCheckpoint(rep, &cfg, &cp, want[cp.Seq], bySeq)
	}
	checkContinuity(rep, &cfg, bySeq)
	if anchor != nil {
		checkAnchor(rep, &cfg, anchor, want[anchor.Seq], bySeq)
	}
	return rep, nil
}

// walkChain recomputes the chain, reporting the first broken entry, and
// fills in want's recomputed hashes.
func walkChain(ctx context.Context, c CatalogReader, rep *AuditReport, want map[int64]string) error {
	prev := ""
	return c.AuditEvents(ctx, 0, func(e *AuditEvent) error {
		rep.Entries++
		rep.Last = e.Seq
		h := AuditHash(prev, e)
		if rep.FirstBroken == 0 && (e.Seq != rep.Entries || e.PrevHash != prev || e.Hash != h) {
			rep.FirstBroken = rep.Entries
			rep.problem("mục %d bị sửa hoặc mất / entry %d was changed or removed (seq %d, action %q, object %q)",
				rep.Entries, rep.Entries, e.Seq, e.Action, e.Object)
		}
		if _, ok := want[e.Seq]; ok {
			want[e.Seq] = h
		}
		prev = h
		return nil
	})
}

func checkCheckpoint(rep *AuditReport, cfg *AuditVerifyConfig, cp *AuditCheckpoint, computed string, bySeq map[int64]bool) {
	if computed == "" || cp.Hash != computed {
		rep.problem("điểm kiểm tra %d không khớp chuỗi / checkpoint %d does not match the chain", cp.Seq, cp.Seq)
		return
	}
	if p := checkSigned(cfg, cp); p != "" {
		rep.problem("điểm kiểm tra %d: %s / checkpoint %d: %s", cp.Seq, p, cp.Seq, p)
		return
	}
	if cp.Format >= 2 && cp.Prev > 0 && !bySeq[cp.Prev] && cp.Prev%cfg.every() != 0 { // multiples: checkContinuity
		rep.problem("thiếu điểm kiểm tra %d, trước điểm %d / checkpoint %d, which checkpoint %d follows, is missing",
			cp.Prev, cp.Seq, cp.Prev, cp.Seq)
	}
}

// checkSigned checks that cp (a checkpoint or an anchor) was signed by the
// agency as cfg says, and its time-stamp; it returns what is wrong, in
// English (the Vietnamese words are the callers').
func checkSigned(cfg *AuditVerifyConfig, cp *AuditCheckpoint) string {
	cert, err := x509.ParseCertificate(cp.Certificate)
	if err != nil {
		return fmt.Sprintf("unreadable signer certificate: %v", err)
	}
	if cfg.Agency != nil && !bytes.Equal(cert.Raw, cfg.Agency.Raw) &&
		(cfg.Roots == nil || !bytes.Equal(cert.RawSubject, cfg.Agency.RawSubject)) {
		return fmt.Sprintf("not signed by the agency's certificate (signer %q)", cert.Subject.String())
	}
	if cfg.Roots != nil {
		opts := x509.VerifyOptions{Roots: cfg.Roots, Intermediates: cfg.Intermediates, CurrentTime: cp.Time,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}
		if _, err := cert.Verify(opts); err != nil {
			return fmt.Sprintf("signer %q is not trusted: %v", cert.Subject.String(), err)
		}
	}
	if !verifyDigest(cert.PublicKey, cp.Digest(), cp.Signature) {
		return "the signature is invalid"
	}
	if cfg.VerifyTimestampFunc != nil && cp.Timestamp != nil {
		if _, err := cfg.VerifyTimestampFunc(cp.Timestamp, cp.Signature); err != nil {
			return fmt.Sprintf("time-stamp is not valid: %v", err)
		}
	}
	return ""
}

// checkContinuity reports the multiples of Every, up to the last entry,
// that have no checkpoint, a run of them in one message.
func checkContinuity(rep *AuditReport, cfg *AuditVerifyConfig, bySeq map[int64]bool) {
	every := cfg.every()
	var from, to int64
	flush := func() {
		switch {
		case from == 0:
		case from == to:
			rep.problem("thiếu điểm kiểm tra tại mục %d / the checkpoint at entry %d is missing", from, from)
		default:
			n := (to-from)/every + 1
			rep.problem("thiếu %d điểm kiểm tra tại các mục %d–%d / the %d checkpoints at entries %d–%d are missing",
				n, from, to, n, from, to)
		}
		from = 0
	}
	for k := every; k <= rep.Last; k += every {
		if bySeq[k] {
			flush()
			continue
		}
		if from == 0 {
			from = k
		}
		to = k
	}
	flush()
}

// newestAnchor reads and decodes the newest anchor of cfg.Anchors; nil
// when there is none to check (noted or reported in rep).
func newestAnchor(ctx context.Context, cfg *AuditVerifyConfig, rep *AuditReport) (*AuditCheckpoint, error) {
	if cfg.Anchors == nil {
		rep.Notes = append(rep.Notes, "không kiểm tra mốc neo / no anchors checked: the blob store keeps none")
		return nil, nil
	}
	got, err := cfg.Anchors.NewestAnchors(ctx, 1)
	if errors.Is(err, errors.ErrUnsupported) {
		rep.Notes = append(rep.Notes, "không kiểm tra mốc neo / no anchors checked: the blob store keeps none")
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("archive: verify audit: %w", err)
	}
	if len(got) == 0 {
		if rep.Checkpoints > 0 {
			rep.problem("không có mốc neo nào trong kho lưu trữ dù có %d điểm kiểm tra / no anchor in the blob store "+
				"although the catalog has %d checkpoints: the anchors were removed or never written", rep.Checkpoints, rep.Checkpoints)
		} else {
			rep.Notes = append(rep.Notes, "chưa có mốc neo / nothing anchored yet")
		}
		return nil, nil
	}
	var cp AuditCheckpoint
	if err := json.Unmarshal(got[0].Data, &cp); err != nil || AnchorName(cp.Seq) != got[0].Name {
		rep.problem("mốc neo %s không đọc được / anchor %s is unreadable or holds another checkpoint", got[0].Name, got[0].Name)
		return nil, nil
	}
	if p := checkSigned(cfg, &cp); p != "" {
		rep.problem("mốc neo %s không hợp lệ: %s / anchor %s is not valid: %s", got[0].Name, p, got[0].Name, p)
		return nil, nil
	}
	rep.Anchor = &cp
	return &cp, nil
}

// checkAnchor reports a log that does not reach the anchor a: emptied,
// cut, rewritten, or missing a's checkpoint.
func checkAnchor(rep *AuditReport, cfg *AuditVerifyConfig, a *AuditCheckpoint, computed string, bySeq map[int64]bool) {
	when := cfg.when(a.Time)
	switch {
	case rep.Entries == 0:
		rep.problem("nhật ký trống nhưng mốc neo lúc %s ghi %d mục / the log is empty but the anchor of %s says %d entries",
			when, a.Seq, when, a.Seq)
		return
	case rep.Last < a.Seq:
		rep.problem("nhật ký dừng ở mục %d nhưng mốc neo lúc %s ghi %d mục / the log ends at entry %d but the anchor of %s says %d entries: entries %d–%d are missing",
			rep.Last, when, a.Seq, rep.Last, when, a.Seq, rep.Last+1, a.Seq)
	case computed != a.Hash:
		rep.problem("mục %d không khớp mốc neo lúc %s / entry %d does not match the anchor of %s: the log up to it was rewritten",
			a.Seq, when, a.Seq, when)
	}
	if !bySeq[a.Seq] {
		rep.problem("thiếu điểm kiểm tra %d mà mốc neo lúc %s ghi / checkpoint %d, which the anchor of %s holds, is missing from the catalog",
			a.Seq, when, a.Seq, when)
	}
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
