package scan

import "math"

// Skew search steps in degrees, and the most ink points scored per angle.
const (
	coarseStep = 0.2
	midStep    = 0.1
	fineStep   = 0.02
	maxPoints  = 60_000 // for the fine search; the coarse one scores a quarter of them
)

// measureSkew returns the page's skew in degrees, counter-clockwise
// positive, from the ink points of its thumbnail: the angle whose
// projection of the ink onto the vertical axis is the most peaked (lines
// of text fall into few bins), found by a coarse then a fine search and a
// parabola through the best three fine scores.
func measureSkew(pts []int32, w int, maxSkew float64) float64 {
	xs, ys := splitPoints(pts, w)
	if len(xs) < 100 {
		return 0
	}
	coarse := newProjector(xs, ys, 4)
	best := coarse.search(-maxSkew, maxSkew, coarseStep)
	lo, hi := max(best-2*coarseStep, -maxSkew), min(best+2*coarseStep, maxSkew)
	// On every point: a fivefold finer step around the coarse best, then
	// the fine step around that.
	p := newProjector(xs, ys, 1)
	mid := p.search(lo, hi, midStep)
	fine := p.search(max(mid-midStep, lo), min(mid+midStep, hi), fineStep)
	s0, s1, s2 := p.score(fine-fineStep), p.score(fine), p.score(fine+fineStep)
	if den := s0 - 2*s1 + s2; den < 0 {
		fine += fineStep * (s0 - s2) / (2 * den)
	}
	return math.Round(fine*1000) / 1000
}

// splitPoints converts x, y pairs to floats centred on the page, keeping
// at most maxPoints of them, evenly spread.
func splitPoints(pts []int32, w int) ([]float64, []float64) {
	n := len(pts) / 2
	step := max(1, (n+maxPoints-1)/maxPoints)
	xs := make([]float64, 0, n/step+1)
	ys := make([]float64, 0, n/step+1)
	cx := float64(w) / 2
	for i := 0; i < n; i += step {
		xs = append(xs, float64(pts[2*i])-cx)
		ys = append(ys, float64(pts[2*i+1]))
	}
	return xs, ys
}

// projector scores angles over one set of points, reusing its bins.
type projector struct {
	xs, ys       []float64
	bins         []float64
	minX, maxX   float64
	minYv, maxYv float64
}

// newProjector keeps every step-th point and their extent.
func newProjector(xs, ys []float64, step int) *projector {
	p := &projector{minX: math.Inf(1), maxX: math.Inf(-1), minYv: math.Inf(1), maxYv: math.Inf(-1)}
	for i := 0; i < len(xs); i += step {
		p.xs, p.ys = append(p.xs, xs[i]), append(p.ys, ys[i])
		p.minX, p.maxX = math.Min(p.minX, xs[i]), math.Max(p.maxX, xs[i])
		p.minYv, p.maxYv = math.Min(p.minYv, ys[i]), math.Max(p.maxYv, ys[i])
	}
	return p
}

// search returns the angle in [lo, hi], at the given step, with the best
// score.
func (p *projector) search(lo, hi, step float64) float64 {
	best, bestScore := 0.0, -1.0
	for a := lo; a <= hi+step/2; a += step {
		if s := p.score(a); s > bestScore {
			best, bestScore = a, s
		}
	}
	return best
}

// score projects the points along angle a (degrees) into one-pixel bins,
// each point shared between its two nearest bins, and returns the sum of
// the squared bin counts.
func (p *projector) score(a float64) float64 {
	t := math.Tan(a * math.Pi / 180)
	minY := p.minYv + math.Min(p.minX*t, p.maxX*t) - 1
	maxY := p.maxYv + math.Max(p.minX*t, p.maxX*t) + 1
	n := int(maxY-minY) + 3
	if cap(p.bins) < n {
		p.bins = make([]float64, n)
	}
	bins := p.bins[:n]
	clear(bins)
	for i, y := range p.ys {
		v := y + p.xs[i]*t - minY
		j := int(v)
		f := v - float64(j)
		bins[j] += 1 - f
		bins[j+1] += f
	}
	s := 0.0
	for _, c := range bins {
		s += c * c
	}
	return s
}
