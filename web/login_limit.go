package web

import (
	"context"
	"runtime"
	"time"

	"golang.org/x/time/rate"
)

// signinLimits bound wrong passwords: per login name (whether or not it
// exists, so a refusal tells nothing) and per client address. Only wrong
// passwords spend tokens; a sign-in that succeeds gives its tokens back.
// They also bound how many passwords are hashed at once (slots): each
// argon2id hash takes 19 MiB and a core for tens of milliseconds, so a
// burst of sign-ins waits its turn instead of exhausting memory.
type signinLimits struct {
	accounts *rates
	addrs    *rates
	// failed aggregates the audit of refused sign-ins per address, like
	// wrong tokens: the first of each minute, with the count before.
	failed *failures
	// slots holds one value per password being hashed or verified;
	// GOMAXPROCS of them.
	slots chan struct{}
}

func newSigninLimits(cfg Config) *signinLimits {
	return &signinLimits{accounts: newRates(cfg.LoginRate), addrs: newRates(cfg.LoginAddrRate), failed: newFailures(0),
		slots: make(chan struct{}, runtime.GOMAXPROCS(0))}
}

// hashSlot waits for a free password-hashing slot and returns the func
// that frees it. When ctx is done first it returns ctx's error, having
// hashed nothing.
func (l *signinLimits) hashSlot(ctx context.Context) (release func(), err error) {
	select {
	case l.slots <- struct{}{}:
		return func() { <-l.slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// reserve takes a token for login and one for addr at now. ok is false,
// and nothing is taken, when either bucket is empty; otherwise refund gives
// both tokens back.
func (l *signinLimits) reserve(login, addr string, now time.Time) (refund func(), ok bool) {
	a := l.accounts.limiter(login).ReserveN(now, 1)
	b := l.addrs.limiter(addr).ReserveN(now, 1)
	refund = func() { a.CancelAt(now); b.CancelAt(now) }
	if !a.OK() || !b.OK() || a.DelayFrom(now) > 0 || b.DelayFrom(now) > 0 {
		refund()
		return nil, false
	}
	return refund, true
}

// limiter returns key's token bucket, made on first use.
func (l *rates) limiter(key string) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	lim, ok := l.keys[key]
	if !ok {
		if len(l.keys) >= 100_000 { // forget idle keys rather than grow without bound
			clear(l.keys)
		}
		lim = rate.NewLimiter(rate.Limit(l.rate.PerMinute/60), l.rate.Burst)
		l.keys[key] = lim
	}
	return lim
}
