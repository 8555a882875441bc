package web

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/khoso-vn/khoso/archive"
)

// Rate is a token bucket: Per events per minute on average, Burst at once.
type Rate struct {
	PerMinute float64
	Burst     int
}

// rates holds one token bucket per key (a client address, a user).
type rates struct {
	rate Rate
	mu   sync.Mutex
	keys map[string]*rate.Limiter
}

func newRates(r Rate) *rates { return &rates{rate: r, keys: map[string]*rate.Limiter{}} }

// allow takes a token for key at now.
func (l *rates) allow(key string, now time.Time) bool { return l.limiter(key).AllowN(now, 1) }

// clientAddr is the address of the client that sent r: the peer's address,
// or, when the peer is a trusted proxy, the last address in
// X-Forwarded-For that is not a trusted proxy.
func (s *Server) clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !s.trustedProxy(host) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if _, err := netip.ParseAddr(hop); err != nil {
			break // not an address: stop trusting the header here
		}
		host = hop
		if !s.trustedProxy(hop) {
			break
		}
	}
	return host
}

func (s *Server) trustedProxy(host string) bool {
	a, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// limit wraps a public handler with the per-address limit.
func (s *Server) limit(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.public.allow(s.clientAddr(r), s.now()) {
			s.tooMany(w, r)
			return
		}
		h(w, r)
	})
}

// tooMany answers 429 with a minute to wait.
func (s *Server) tooMany(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Retry-After", "60")
	s.writeError(w, r, errRateLimited)
}

var errRateLimited = archive.NewError(errTooMany, "Quá nhiều yêu cầu, hãy thử lại sau một phút",
	"too many requests, try again in a minute")
