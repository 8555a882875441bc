package signing

import (
	"context"
	"errors"
	"sync"
)

// probeContent is what a Signer signs, once, to measure the size of its CMS and of its
// TSA's tokens. Nothing it signs is kept.
var probeContent = []byte("khoso: measuring the size of a signature; not a document")

// errNoRoom reports a CMS or token larger than the /Contents reserved for it.
var errNoRoom = errors.New("signature does not fit the space reserved for it")

// reservation is the room a Signer reserves in /Contents, from measurement: the
// largest CMS and time-stamp token it has built (certificates, signature, signed
// attributes and the token with its TSA chain; revocation data goes into the DSS, not
// the CMS), plus [margin]. Before the first signature of each kind it builds one over
// [probeContent] to measure. A signature that still does not fit is built again with
// room for its measured size (signInto).
type reservation struct {
	mu         sync.Mutex
	cms, token int // largest sizes seen; 0 before the first measurement
}

// margin is the room added to a measured size n: a quarter of it, at least 2 KiB, for
// the few bytes an ECDSA signature or a token's serial number and time vary by, and a
// TSA or signing certificate renewed with longer names.
func margin(n int) int { return max(n/4, 2<<10) }

// see records a measured size of a CMS (token false) or a time-stamp token and returns
// the largest seen.
func (r *reservation) see(token bool, n int) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := &r.cms
	if token {
		p = &r.token
	}
	*p = max(*p, n)
	return *p
}

// reserve returns the bytes to reserve for the CMS (token false) or the document
// time-stamp token, measuring with build over probeContent first when nothing was
// measured yet.
func (r *reservation) reserve(token bool, build func([]byte) ([]byte, error)) (int, error) {
	n := r.see(token, 0)
	if n == 0 {
		der, err := build(probeContent)
		if err != nil {
			return 0, err
		}
		n = r.see(token, len(der))
	}
	return n + margin(n), nil
}

// signInto lays out l over in, reserving room from measurement, builds the CMS or token
// over the signed bytes with build and embeds it. When it does not fit, it lays out and
// builds again, once, with room for the size it measured.
func (s *Signer) signInto(ctx context.Context, in []byte, l layout, build func([]byte) ([]byte, error)) ([]byte, error) {
	reserve, err := s.res.reserve(l.timestamp, build)
	if err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		l.reserve = reserve
		out, sl, err := layoutSignature(in, l)
		if err != nil {
			return nil, err
		}
		der, err := build(sl.signedBytes(out))
		if err != nil {
			return nil, err
		}
		n := s.res.see(l.timestamp, len(der))
		err = sl.embed(out, der)
		switch {
		case err == nil:
			return out, nil
		case errors.Is(err, errNoRoom) && attempt == 0:
			reserve = n + margin(n)
		default:
			return nil, err
		}
	}
}
