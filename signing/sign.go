package signing

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"
	"unicode/utf16"
)

// DefaultReason is the /Reason of a signature when [Config.Reason] is empty.
const DefaultReason = "Chuyển đổi từ văn bản giấy sang văn bản điện tử / Converted from paper to electronic form"

// DefaultTSATimeout is the default of [Config.TSATimeout].
const DefaultTSATimeout = 30 * time.Second

// ErrDamagedOutput reports a signed PDF that failed the check Sign makes before returning
// it. It points at a bug (ours or pdfsign's), not at the input.
var ErrDamagedOutput = errors.New("signed output failed verification")

// Config configures a [Signer].
type Config struct {
	// Identity signs. Required.
	Identity *Identity
	// TSAURL is the RFC 3161 time-stamp authority (http or https) that time-stamps every
	// signature. Required.
	TSAURL string
	// TSATimeout bounds each time-stamp exchange. Default 30s ([DefaultTSATimeout]).
	TSATimeout time.Duration
	// HTTPClient sends time-stamp requests; set it for TSA authentication, proxies or
	// client certificates. Default http.DefaultClient. TSATimeout applies on top of it.
	HTTPClient *http.Client
	// Roots are the trust anchors of the check Sign makes on its output: the signing
	// certificate and the TSA certificate must chain to one of them. Default: a pool
	// holding the last certificate of Identity.Chain when it is self-signed; required
	// when there is no such certificate.
	Roots *x509.CertPool
	// Name is the signature dictionary's /Name. Default: the common name of
	// Identity.Certificate.
	Name string
	// Location is the signature dictionary's /Location. Default: absent.
	Location string
	// Reason is the signature dictionary's /Reason. Default [DefaultReason].
	Reason string
	// ContactInfo is the signature dictionary's /ContactInfo. Default: absent.
	ContactInfo string
	// Clock gives the claimed signing time written to /M (the trusted time is the
	// time-stamp's). Default time.Now.
	Clock func() time.Time
}

// withDefaults returns cfg with defaults applied, or an error naming the invalid field.
func (cfg Config) withDefaults() (Config, error) {
	if err := cfg.Identity.validate(); err != nil {
		return cfg, fmt.Errorf("Identity: %w", err)
	}
	u, err := url.Parse(cfg.TSAURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return cfg, fmt.Errorf("TSAURL: %q is not an http(s) URL", cfg.TSAURL)
	}
	if cfg.TSATimeout <= 0 {
		cfg.TSATimeout = DefaultTSATimeout
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	if cfg.Roots == nil {
		root := cfg.Identity.root()
		if root == nil {
			return cfg, errors.New("Roots: required when Identity.Chain does not end with a self-signed root")
		}
		cfg.Roots = x509.NewCertPool()
		cfg.Roots.AddCert(root)
	}
	if cfg.Name == "" {
		cfg.Name = cfg.Identity.Certificate.Subject.CommonName
	}
	if cfg.Reason == "" {
		cfg.Reason = DefaultReason
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	return cfg, nil
}

// Signer signs PDFs with one identity. It is safe for concurrent use.
type Signer struct {
	cfg Config
	ts  timestamper
	res *reservation // the room its signatures reserve, measured
}

// NewSigner returns a Signer for cfg.
func NewSigner(cfg Config) (*Signer, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("signing: new signer: config: %w", err)
	}
	if err := checkAlgorithm(cfg.Identity.Signer.Public()); err != nil {
		return nil, fmt.Errorf("signing: new signer: config: Identity: %w", err)
	}
	return &Signer{cfg: cfg, ts: timestamper{url: cfg.TSAURL, client: cfg.HTTPClient, timeout: cfg.TSATimeout}, res: &reservation{}}, nil
}

// Sign appends an invisible approval signature to pdf: SignWith with zero options.
func (s *Signer) Sign(ctx context.Context, pdf []byte) ([]byte, error) {
	return s.SignWith(ctx, pdf, SignOptions{})
}

// SignWith appends a signature (PAdES B-T: SubFilter ETSI.CAdES.detached,
// signing-certificate-v2, signature time-stamp) to pdf as an incremental update and
// returns the signed file. Earlier signatures stay valid and, unless opts.Lock, later
// ones may be added.
//
// The time-stamp exchange is bounded by ctx and [Config.TSATimeout]; its failures wrap
// [ErrTimestamp]. Before returning, SignWith verifies its output: the new signature must
// be valid, time-stamped, trusted by [Config.Roots] and cover the whole file, and every
// earlier signature must verify as it did before. Otherwise it returns an error wrapping
// [ErrDamagedOutput] and no bytes. Input that is not a PDF gives [ErrNotPDF]; a document
// whose signatures forbid another one gives [ErrLocked].
func (s *Signer) SignWith(ctx context.Context, pdf []byte, opts SignOptions) ([]byte, error) {
	d := Open(pdf)
	if err := s.SignDocument(ctx, d, opts); err != nil {
		return nil, err
	}
	return d.Bytes(), nil
}

// SignDocument is [Signer.SignWith] on a document signed in steps: it
// signs d in place, verifying d only if the step before did not.
func (s *Signer) SignDocument(ctx context.Context, d *Document, opts SignOptions) error {
	if err := s.sign(ctx, d, opts); err != nil {
		return fmt.Errorf("signing: sign: %w", err)
	}
	return nil
}

func (s *Signer) sign(ctx context.Context, d *Document, opts SignOptions) error {
	l, err := s.layout(opts)
	if err != nil {
		return err
	}
	before, err := d.verified(s.cfg.Roots)
	if err != nil {
		return err
	}
	if err := checkMaySign(before, opts.Certify); err != nil {
		return err
	}
	out, err := s.signInto(ctx, d.pdf, l, func(content []byte) ([]byte, error) {
		return buildCMS(ctx, s.cfg.Identity, s.ts, content)
	})
	if err != nil {
		return err
	}
	after, err := checkOutput(out, before, s.cfg.Roots)
	if err != nil {
		return err
	}
	d.set(out, after, s.cfg.Roots)
	return nil
}

// dictionaryEntries returns the signature dictionary entries Sign writes itself.
func (s *Signer) dictionaryEntries(opts SignOptions) string {
	reason := s.cfg.Reason
	if opts.Reason != "" {
		reason = opts.Reason
	}
	var b bytes.Buffer
	for _, e := range []struct{ key, value string }{
		{"Name", s.cfg.Name}, {"Location", s.cfg.Location}, {"Reason", reason}, {"ContactInfo", s.cfg.ContactInfo},
	} {
		if e.value != "" {
			fmt.Fprintf(&b, "/%s %s ", e.key, pdfText(e.value))
		}
	}
	fmt.Fprintf(&b, "/M (D:%sZ)", s.cfg.Clock().UTC().Format("20060102150405"))
	return b.String()
}

// pdfText encodes s as a PDF text string: a literal string when it is printable ASCII,
// otherwise a UTF-16BE hex string with byte order mark.
func pdfText(s string) string {
	ascii := true
	for _, r := range s {
		ascii = ascii && r >= 0x20 && r < 0x7f
	}
	if ascii {
		var b bytes.Buffer
		b.WriteByte('(')
		for _, c := range []byte(s) {
			if c == '(' || c == ')' || c == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(c)
		}
		b.WriteByte(')')
		return b.String()
	}
	var b bytes.Buffer
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteByte('>')
	return b.String()
}

// checkOutput verifies signed output against the signatures of the input
// and returns its report.
func checkOutput(out []byte, before *Report, roots *x509.CertPool) (*Report, error) {
	after, err := verify(out, roots)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDamagedOutput, err)
	}
	if err := checkAfter(after, before); err != nil {
		return nil, err
	}
	return after, nil
}

// checkAfter checks the report of signed output against the input's.
func checkAfter(after, before *Report) error {
	if after.Problem != "" {
		return fmt.Errorf("%w: %s", ErrDamagedOutput, after.Problem)
	}
	if len(after.Signatures) != len(before.Signatures)+1 {
		return fmt.Errorf("%w: %d signatures found, want %d", ErrDamagedOutput, len(after.Signatures), len(before.Signatures)+1)
	}
	for i, b := range before.Signatures {
		if a := after.Signatures[i]; a.Valid != b.Valid {
			return fmt.Errorf("%w: signature %d changed from valid=%t to valid=%t: %s", ErrDamagedOutput, i+1, b.Valid, a.Valid, a.Problem)
		}
		if a := after.Signatures[i]; allowed(b.LaterChanges) && !allowed(a.LaterChanges) {
			return fmt.Errorf("%w: the update changes what signature %d signed: %+v", ErrDamagedOutput, i+1, a.LaterChanges)
		}
	}
	last := after.Signatures[len(after.Signatures)-1]
	switch {
	case !last.Valid:
		return fmt.Errorf("%w: new signature: %s", ErrDamagedOutput, last.Problem)
	case !last.CoversWholeFile:
		return fmt.Errorf("%w: new signature does not cover the whole file", ErrDamagedOutput)
	case !last.Timestamped:
		return fmt.Errorf("%w: new signature has no time-stamp", ErrDamagedOutput)
	}
	return nil
}
