package web

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// limiter allows each client address a burst of requests, refilled at a
// steady rate, so verification codes cannot be enumerated.
type limiter struct {
	mu      sync.Mutex
	rate    float64 // tokens per second
	burst   float64
	clients map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(perMinute, burst int) *limiter {
	return &limiter{rate: float64(perMinute) / 60, burst: float64(burst), clients: map[string]*bucket{}}
}

// allow takes a token for addr.
func (l *limiter) allow(addr string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.clients[addr]
	if !ok {
		if len(l.clients) > 100_000 { // forget idle clients rather than grow without bound
			l.clients = map[string]*bucket{}
		}
		b = &bucket{tokens: l.burst, last: now}
		l.clients[addr] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// limit wraps a public handler with the per-address limiter.
func (s *Server) limit(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			host = r.RemoteAddr
		}
		if !s.limiter.allow(host, s.now()) {
			w.Header().Set("Retry-After", "60")
			http.Error(w, "Quá nhiều yêu cầu, hãy thử lại sau một phút / too many requests, try again in a minute",
				http.StatusTooManyRequests)
			return
		}
		h(w, r)
	})
}
