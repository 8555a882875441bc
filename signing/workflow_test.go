package signing_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/signing"
	"github.com/khoso-vn/khoso/signing/stamp"
)

// ltvBundle is a development PKI publishing a CRL, a clerk certificate naming it, and
// signers for the clerk and the agency.
type ltvBundle struct {
	dev           *signing.DevIdentity
	roots         *x509.CertPool
	crl           *signing.CRLHandler
	clerk, agency *signing.Signer
	clerkID       *signing.Identity
}

func setupLTV(tb testing.TB) *ltvBundle {
	tb.Helper()
	b := setup(tb)
	crl, err := signing.NewCRLHandler(b.dev, nil)
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(crl)
	tb.Cleanup(srv.Close)
	b.dev.CRLURL = srv.URL + "/ca.crl"
	clerkID, err := signing.IssueDevelopmentPerson(b.dev, "Nguyễn Thị Hương", time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	clerk, err := signing.NewSigner(signing.Config{Identity: clerkID, TSAURL: b.tsaURL, Reason: "Người quét ký số / Scanning clerk's signature"})
	if err != nil {
		tb.Fatal(err)
	}
	return &ltvBundle{dev: b.dev, roots: b.roots, crl: crl, clerk: clerk, agency: b.signer, clerkID: clerkID}
}

// signBoth signs in as the pipeline does: the clerk certifies (DocMDP 2) with a
// visible box top left, its font holding the agency's text too, then the agency
// signs visibly with that font and locks.
func (b *ltvBundle) signBoth(tb testing.TB, in []byte) []byte {
	tb.Helper()
	ctx := context.Background()
	agencyLines := []string{"Chuyển đổi từ văn bản giấy", "Thời điểm chuyển đổi: 2026-03-04 09:20", "Sở Xây dựng Hà Nội"}
	once, err := b.clerk.SignWith(ctx, in, signing.SignOptions{Certify: true, Visible: &signing.VisibleText{
		Lines: []string{"Người quét: Nguyễn Thị Hương", "Thời điểm quét: 2026-03-04 09:15"}, FontAlso: agencyLines,
	}})
	if err != nil {
		tb.Fatal(err)
	}
	twice, err := b.agency.SignWith(ctx, once, signing.SignOptions{Lock: true, Visible: &signing.VisibleText{
		Lines: agencyLines, Position: signing.TopRight,
	}})
	if err != nil {
		tb.Fatal(err)
	}
	return twice
}

func TestClerkCertifiesAgencyLocksThenArchive(t *testing.T) {
	t.Parallel()
	for name, input := range map[string]func(testing.TB) []byte{"hand-written xref table": minimalPDF, "pdfcpu scanned page": pdfcpuPDF} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b := setupLTV(t)
			db := nssDB(t, b.dev.CAFile)
			signed := b.signBoth(t, input(t))
			if n := bytes.Count(signed, []byte("/FontFile2")); n != 1 {
				t.Errorf("%d embedded fonts; the agency's box should draw with the clerk's", n)
			}
			requirePDFSigValid(t, db, signed, 2)
			requireQPDFCheck(t, signed)
			r := verifyOK(t, signed, b.roots)
			c, a := r.Signatures[0], r.Signatures[1]
			if c.DocMDP != signing.DocMDPFillAndSign || c.Level != signing.LevelBT || len(c.LaterChanges) != 1 || c.LaterChanges[0].Kind != signing.ChangeSignature {
				t.Errorf("clerk signature %+v", c)
			}
			if !a.Locked || a.Level != signing.LevelBT || !strings.HasPrefix(a.Algorithm, "ECDSA P-256") {
				t.Errorf("agency signature %+v", a)
			}
			if _, err := b.agency.Sign(context.Background(), signed); !errors.Is(err, signing.ErrLocked) {
				t.Errorf("signing a locked document: %v", err)
			}

			archived, err := b.agency.Archive(context.Background(), signed)
			if err != nil {
				t.Fatal(err)
			}
			requireQPDFCheck(t, archived)
			requirePDFSigValid(t, db, archived, 2)
			r = verifyOK(t, archived, b.roots)
			for i, s := range r.Signatures[:2] {
				// the CA's CRL, fetched for the clerk, covers every certificate it issued
				if s.Level != signing.LevelBLTA || s.Revocation != signing.RevocationComplete {
					t.Errorf("signature %d level %q revocation %q, want B-LTA complete: %s", i+1, s.Level, s.Revocation, r.Text())
				}
			}
			if dts := r.Signatures[2]; !dts.DocumentTimestamp || !dts.Valid || !dts.CoversWholeFile {
				t.Errorf("document time-stamp %+v", dts)
			}
			if txt := r.Text(); !strings.Contains(txt, "Mức PAdES / PAdES level: B-LTA") || !strings.Contains(txt, "thêm dữ liệu kiểm tra (DSS)") {
				t.Errorf("report text:\n%s", txt)
			}
		})
	}
}

func TestValidationDataWithoutTimestampIsBLT(t *testing.T) {
	t.Parallel()
	b := setupLTV(t)
	lt, err := b.agency.AddValidationData(context.Background(), b.signBoth(t, minimalPDF(t)))
	if err != nil {
		t.Fatal(err)
	}
	r := verifyOK(t, lt, b.roots)
	if r.Signatures[0].Level != signing.LevelBLT || r.Signatures[1].Level != signing.LevelBLT {
		t.Fatalf("levels %q %q, want B-LT:\n%s", r.Signatures[0].Level, r.Signatures[1].Level, r.Text())
	}
	requirePDFSigValid(t, nssDB(t, b.dev.CAFile), lt, 2)
}

func TestRevokedClerkIsInvalidAfterValidationData(t *testing.T) {
	t.Parallel()
	b := setupLTV(t)
	signed := b.signBoth(t, minimalPDF(t))
	b.crl.Revoke(b.clerkID.Certificate.SerialNumber, time.Now().Add(-time.Hour))
	_, err := b.agency.AddValidationData(context.Background(), signed)
	if !errors.Is(err, signing.ErrDamagedOutput) {
		t.Fatalf("adding a CRL that revokes the clerk: %v, want the check to refuse it", err)
	}
}

func TestTamperedPageContent(t *testing.T) {
	t.Parallel()
	b := setupLTV(t)
	signed := b.signBoth(t, minimalPDF(t))
	i := strings.Index(string(signed), "Giay phep")
	signed[i] = 'X'
	r, err := signing.Verify(signed, b.roots)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range r.Signatures {
		if s.Valid || !strings.Contains(s.Problem, "changed after signing") {
			t.Errorf("signature %+v", s)
		}
	}
	if out := pdfsig(t, nssDB(t, b.dev.CAFile), signed); strings.Contains(out, "Signature is Valid.") || strings.Count(out, "Digest Mismatch") != 2 {
		t.Errorf("pdfsig on a changed content stream:\n%s", out)
	}
}

func TestIncrementalUpdateReplacingPage(t *testing.T) {
	t.Parallel()
	b := setupLTV(t)
	signed := b.signBoth(t, minimalPDF(t))
	forged, err := stamp.Apply(signed, stamp.Stamp{Texts: []stamp.Text{{Lines: []string{"ĐÃ HỦY"}, X: 100, Y: 400, Size: 48}}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := signing.Verify(forged, b.roots)
	if err != nil {
		t.Fatal(err)
	}
	if r.Valid {
		t.Fatalf("a replaced page passes:\n%s", r.Text())
	}
	for _, s := range r.Signatures {
		if !s.Valid || !hasChange(s.LaterChanges, signing.ChangePage, false) {
			t.Errorf("signature %s: want valid bytes and a disallowed page change, got %+v", s.Signer, s)
		}
	}
	if !strings.Contains(r.Text(), "ĐỔI NỘI DUNG TRANG") {
		t.Errorf("report text:\n%s", r.Text())
	}
	out := pdfsig(t, nssDB(t, b.dev.CAFile), forged)
	if strings.Count(out, "Signature is Valid.") != 2 || strings.Count(out, "Not total document signed") != 2 {
		t.Errorf("pdfsig on a replaced page: want both valid but neither covering the document:\n%s", out)
	}
}

func hasChange(changes []signing.Change, kind string, allowed bool) bool {
	for _, c := range changes {
		if c.Kind == kind && c.Allowed == allowed {
			return true
		}
	}
	return false
}

func TestStrippedTimestampDropsToBB(t *testing.T) {
	t.Parallel()
	b := setupLTV(t)
	stripped, err := signing.StripTimestamp(b.signBoth(t, minimalPDF(t)))
	if err != nil {
		t.Fatal(err)
	}
	r := verifyOK(t, stripped, b.roots)
	if c, a := r.Signatures[0], r.Signatures[1]; c.Level != signing.LevelBT || a.Timestamped || a.Level != signing.LevelBB {
		t.Errorf("clerk level %q, agency timestamped=%t level %q; want B-T then B-B", c.Level, a.Timestamped, a.Level)
	}
	// pdfsig checks the signature, which a time-stamp does not change, and does not
	// report time-stamps: it still sees two valid signatures.
	requirePDFSigValid(t, nssDB(t, b.dev.CAFile), stripped, 2)
}

func TestRenewalWithFakeClock(t *testing.T) {
	t.Parallel()
	b := setupLTV(t)
	archived, err := b.agency.Archive(context.Background(), b.signBoth(t, minimalPDF(t)))
	if err != nil {
		t.Fatal(err)
	}
	margin := 90 * 24 * time.Hour
	if need, reason, err := signing.NeedsRenewal(archived, time.Now(), margin); err != nil || need {
		t.Fatalf("fresh archive: need=%t %q %v", need, reason, err)
	}
	later := time.Now().AddDate(3, 0, -30) // the development TSA certificate lasts 3 years
	need, reason, err := signing.NeedsRenewal(archived, later, margin)
	if err != nil || !need || !strings.Contains(reason, "TSA certificate") {
		t.Fatalf("near TSA expiry: need=%t %q %v", need, reason, err)
	}

	tsaID, err := signing.IssueDevelopmentTSA(b.dev, later.AddDate(3, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return later }
	tsa, err := signing.NewTSA(tsaID, clock)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(tsa)
	t.Cleanup(srv.Close)
	renewer, err := signing.NewSigner(signing.Config{Identity: b.dev.Agency, TSAURL: srv.URL, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	renewed, err := renewer.Archive(context.Background(), archived)
	if err != nil {
		t.Fatal(err)
	}
	if need, reason, err := signing.NeedsRenewal(renewed, later, margin); err != nil || need {
		t.Fatalf("after renewal: need=%t %q %v", need, reason, err)
	}
	// TrustedUntil gives the date NeedsRenewal decides by: the newest
	// time-stamp's TSA certificate's end (the keys are ECDSA P-256 with
	// SHA-256, whose lifetimes have no end foreseen).
	for _, c := range []struct {
		pdf  []byte
		want time.Time
	}{{archived, b.dev.TSA.Certificate.NotAfter}, {renewed, tsaID.Certificate.NotAfter}} {
		until, reason, err := signing.TrustedUntil(c.pdf)
		if err != nil || !until.Equal(c.want) || !strings.Contains(reason, "TSA certificate") {
			t.Errorf("TrustedUntil = %v %q %v, want %v", until, reason, err, c.want)
		}
		if signing.RenewalDue(until, until.Add(-margin-time.Second), margin) || !signing.RenewalDue(until, until.Add(-margin), margin) {
			t.Errorf("RenewalDue does not turn at until - margin (%v)", until)
		}
	}
	r := verifyOK(t, renewed, b.roots)
	if n := len(r.Signatures); n != 4 || !r.Signatures[3].DocumentTimestamp || !r.Signatures[3].TimestampTime.Equal(later.UTC().Truncate(time.Second)) {
		t.Fatalf("renewed document:\n%s", r.Text())
	}
	requireQPDFCheck(t, renewed)
}

func TestAlgorithmPolicy(t *testing.T) {
	t.Parallel()
	if need, _, err := signing.NeedsRenewal(minimalPDF(t), time.Now(), 0); err != nil || !need {
		t.Errorf("unsigned document: need=%t err=%v", need, err)
	}
	if until, _, err := signing.TrustedUntil(minimalPDF(t)); err != nil || !until.IsZero() {
		t.Errorf("unsigned document trusted until %v, %v; want the zero time", until, err)
	}
	if _, _, err := signing.TrustedUntil([]byte("not a PDF")); err == nil {
		t.Error("TrustedUntil of a file that is not a PDF: no error")
	}
	if got := signing.AlgorithmLifetimes["SHA-256"]; !got.IsZero() {
		t.Errorf("SHA-256 lifetime %v", got)
	}
}
