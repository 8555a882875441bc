package web

import (
	"strconv"
	"sync"
	"time"
)

// failures counts refused requests (wrong tokens, forbidden routes) per
// client address in one-minute windows: the first refusal of a window is
// audited with the count of the window before, and an address over Max in
// a window is refused at once until the window ends.
type failures struct {
	max int
	mu  sync.Mutex
	win map[string]*window
}

type window struct {
	start time.Time
	n     int
}

func newFailures(max int) *failures { return &failures{max: max, win: map[string]*window{}} }

// add counts a refusal from addr at now. first reports that it opens a new
// window; prev is then how many refusals the window before held beyond its
// first.
func (f *failures) add(addr string, now time.Time) (prev int, first bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	w, ok := f.win[addr]
	if ok && now.Sub(w.start) < time.Minute {
		w.n++
		return 0, false
	}
	if ok {
		prev = w.n - 1
	}
	if len(f.win) >= 100_000 {
		clear(f.win)
	}
	f.win[addr] = &window{start: now, n: 1}
	return prev, true
}

// blocked reports whether addr has been refused more than max times in its
// current window.
func (f *failures) blocked(addr string, now time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	w, ok := f.win[addr]
	return ok && now.Sub(w.start) < time.Minute && w.n > f.max
}

func itoa(n int) string { return strconv.Itoa(n) }
