package main

import (
	"context"
	"crypto/x509"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/signing"
)

// newAuditor is the audit log as the server keeps it: checkpoints signed
// with the agency key, time-stamped by the configured TSA, and anchored in
// the blob store when it keeps anchors.
func newAuditor(st *storage, sg *signer) *archive.Auditor {
	a := &archive.Auditor{Catalog: st.catalog, Sign: sg.signDigest, TimestampFunc: sg.Timestamp}
	if an, ok := st.blobs.(archive.Anchorer); ok {
		a.Anchors = an
	}
	return a
}

// runAuditor checkpoints the log every minute while ctx lasts; the
// returned func waits for it to stop.
func runAuditor(ctx context.Context, a *archive.Auditor, log *slog.Logger) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.Run(ctx, func(err error) { log.Error("audit checkpoint", "err", err) })
	}()
	return func() { <-done }
}

// auditTrust is what `audit verify` trusts: the agency certificate and the
// trust anchors the server signs with (see openSigner), never a
// certificate found in the catalog.
func auditTrust(s *settings) (archive.AuditVerifyConfig, []string, error) {
	if s.SigningKey == "" {
		dir := filepath.Join(s.Data, "signing")
		ca, err := readCerts(filepath.Join(dir, "ca.pem"))
		if err != nil {
			return archive.AuditVerifyConfig{}, nil, fmt.Errorf("development identity: %w", err)
		}
		agency, err := readCerts(filepath.Join(dir, "agency.pem"))
		if err != nil {
			return archive.AuditVerifyConfig{}, nil, fmt.Errorf("development identity: %w", err)
		}
		return trustConfig(ca, nil, agency[0]), nil, nil
	}
	var chain, anchors []*x509.Certificate
	var err error
	if s.SigningChain != "" {
		if chain, err = readCerts(s.SigningChain); err != nil {
			return archive.AuditVerifyConfig{}, nil, fmt.Errorf("KHOSO_SIGNING_CHAIN: %w", err)
		}
	}
	anchors = chain
	if s.TrustAnchors != "" {
		if anchors, err = readCerts(s.TrustAnchors); err != nil {
			return archive.AuditVerifyConfig{}, nil, fmt.Errorf("KHOSO_TRUST_ANCHORS: %w", err)
		}
	}
	var agency *x509.Certificate
	var notes []string
	if id, err := loadAgencyKey(s); err == nil {
		agency = id.Certificate
		if len(anchors) == 0 {
			anchors = id.Chain
		}
	} else {
		notes = append(notes, fmt.Sprintf("không đọc được chứng thư cơ quan / the agency certificate could not be read "+
			"(KHOSO_SIGNING_KEY: %v): any signer under the trust anchors is accepted", err))
	}
	if len(anchors) == 0 {
		return archive.AuditVerifyConfig{}, nil, fmt.Errorf("cần đặt KHOSO_TRUST_ANCHORS hoặc KHOSO_SIGNING_CHAIN để kiểm tra các điểm kiểm tra nhật ký / set KHOSO_TRUST_ANCHORS or KHOSO_SIGNING_CHAIN: nothing to check the audit checkpoints against")
	}
	return trustConfig(anchors, chain, agency), notes, nil
}

func trustConfig(anchors, chain []*x509.Certificate, agency *x509.Certificate) archive.AuditVerifyConfig {
	roots, inter := x509.NewCertPool(), x509.NewCertPool()
	for _, c := range anchors {
		roots.AddCert(c)
	}
	for _, c := range chain {
		inter.AddCert(c)
	}
	return archive.AuditVerifyConfig{Roots: roots, Intermediates: inter, Agency: agency,
		VerifyTimestampFunc: func(token, data []byte) (time.Time, error) {
			return signing.VerifyTimestamp(token, data, roots)
		}}
}

// auditVerifier is what the audit screen verifies the log with: the same
// trust as `khoso audit verify`, and the anchors of st's blob store. Nil,
// with the reason logged, when there is nothing to verify against.
func auditVerifier(s *settings, st *storage, log *slog.Logger) func(ctx context.Context) (*archive.AuditReport, error) {
	cfg, notes, err := auditTrust(s)
	if err != nil {
		log.Warn("the audit screen cannot verify the log", "err", err)
		return nil
	}
	if an, ok := st.blobs.(archive.Anchorer); ok {
		cfg.Anchors = an
	}
	return func(ctx context.Context) (*archive.AuditReport, error) {
		rep, err := archive.VerifyAudit(ctx, st.catalog, cfg)
		if rep != nil {
			rep.Notes = append(notes[:len(notes):len(notes)], rep.Notes...)
		}
		return rep, err
	}
}

// verifyAudit runs `khoso audit verify` on the storage s names.
func verifyAudit(ctx context.Context, s *settings, env Env) error {
	st, err := existingStorage(ctx, s)
	if err != nil {
		return err
	}
	defer st.Close()
	cfg, notes, err := auditTrust(s)
	if err != nil {
		return err
	}
	if an, ok := st.blobs.(archive.Anchorer); ok {
		cfg.Anchors = an
	}
	rep, err := archive.VerifyAudit(ctx, st.catalog, cfg)
	if err != nil {
		return err
	}
	for _, n := range append(notes, rep.Notes...) {
		fmt.Fprintln(env.Stderr, "audit:", n)
	}
	for _, p := range rep.Problems {
		fmt.Fprintln(env.Stdout, p)
	}
	if a := rep.Anchor; a != nil {
		fmt.Fprintf(env.Stderr, "audit: mốc neo mới nhất / newest anchor: %d mục/entries, %s\n", a.Seq,
			a.Time.In(time.FixedZone("+07", 7*3600)).Format("02/01/2006 15:04 -07:00"))
	}
	fmt.Fprintf(env.Stderr, "audit: %d mục/entries, %d điểm kiểm tra/checkpoints", rep.Entries, rep.Checkpoints)
	switch {
	case rep.OK():
		fmt.Fprintln(env.Stderr, ": toàn vẹn / intact")
		return nil
	case rep.FirstBroken > 0:
		fmt.Fprintf(env.Stderr, ": mục hỏng đầu tiên / first broken entry: %d\n", rep.FirstBroken)
	default:
		fmt.Fprintf(env.Stderr, ": %d lỗi / %d problems\n", len(rep.Problems), len(rep.Problems))
	}
	return exitError{1}
}
