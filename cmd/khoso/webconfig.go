package main

import (
	"fmt"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/web"
)

// webSettings are the HTTP face's settings, from KHOSO_* variables:
// KHOSO_TRUSTED_PROXIES (addresses or CIDR prefixes of reverse proxies
// whose X-Forwarded-For is believed; default none), KHOSO_MAX_VERIFY_MB
// (largest PDF the public verification takes, default 64) and
// KHOSO_METRICS_ADDR (a separate address serving /metrics without a token,
// for a scraper on a private network; default none: admins only),
// KHOSO_SESSION_IDLE and KHOSO_SESSION_MAX (how long a browser session
// lasts unused, and at most after sign-in; default 30m and 12h).
type webSettings struct {
	TrustedProxies []netip.Prefix
	MaxVerifyBytes int64
	MetricsAddr    string
	SessionIdle    time.Duration
	SessionMax     time.Duration
}

func webFromEnv(env Env) (webSettings, error) {
	var ws webSettings
	for _, f := range strings.FieldsFunc(env.Getenv("KHOSO_TRUSTED_PROXIES"), func(r rune) bool { return r == ',' || r == ' ' }) {
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, aerr := netip.ParseAddr(f)
			if aerr != nil {
				return ws, fmt.Errorf("KHOSO_TRUSTED_PROXIES: %q không phải địa chỉ hay dải địa chỉ / is not an address or prefix such as 10.0.0.0/8", f)
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		ws.TrustedProxies = append(ws.TrustedProxies, p)
	}
	if v := env.Getenv("KHOSO_MAX_VERIFY_MB"); v != "" {
		mb, err := strconv.Atoi(v)
		if err != nil || mb < 1 || mb > 4096 {
			return ws, fmt.Errorf("KHOSO_MAX_VERIFY_MB %q: cần số nguyên MiB từ 1 đến 4096 / want a whole number of MiB from 1 to 4096", v)
		}
		ws.MaxVerifyBytes = int64(mb) << 20
	}
	ws.MetricsAddr = env.Getenv("KHOSO_METRICS_ADDR")
	for _, d := range []struct {
		name string
		to   *time.Duration
	}{{"KHOSO_SESSION_IDLE", &ws.SessionIdle}, {"KHOSO_SESSION_MAX", &ws.SessionMax}} {
		v := env.Getenv(d.name)
		if v == "" {
			continue
		}
		dur, err := time.ParseDuration(v)
		if err != nil || dur < time.Minute || dur > 30*24*time.Hour {
			return ws, fmt.Errorf("%s %q: cần thời lượng từ 1m đến 720h, ví dụ 30m / want a duration from 1m to 720h, such as 30m", d.name, v)
		}
		*d.to = dur
	}
	if ws.SessionIdle > 0 && ws.SessionMax > 0 && ws.SessionIdle > ws.SessionMax {
		return ws, fmt.Errorf("KHOSO_SESSION_IDLE %s dài hơn KHOSO_SESSION_MAX %s / is longer than KHOSO_SESSION_MAX", ws.SessionIdle, ws.SessionMax)
	}
	return ws, nil
}

// apply puts the settings into the server's configuration.
func (ws webSettings) apply(cfg *web.Config) {
	cfg.TrustedProxies, cfg.MaxVerifyBytes = ws.TrustedProxies, ws.MaxVerifyBytes
	cfg.SessionIdle, cfg.SessionMax = ws.SessionIdle, ws.SessionMax
}

// watchDamage counts objects found damaged, in the served copy and, for a
// mirror, in its primary copy.
func watchDamage(bs archive.BlobStore, met *metrics, cfg *web.Config) {
	cfg.Damaged = func(archive.Ref) { met.damaged.WithLabelValues("served").Inc() }
	if m, ok := bs.(*archive.Mirror); ok {
		m.Damaged = func(ref archive.Ref, copy string, err error) {
			met.damaged.WithLabelValues(copy).Inc()
			cfg.Logger.Error("stored object damaged, serving the replica", "ref", ref, "copy", copy, "err", err)
		}
	}
}

// metricsServer serves /metrics alone on its own address.
func metricsServer(h http.Handler) *http.Server {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", h)
	return &http.Server{Handler: mux}
}
