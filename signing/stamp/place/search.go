package place

import "math"

// Find places blocks in order on the page in: each keeps clear of the
// ink and of the blocks placed before it. See the package documentation
// for the order of the places tried.
func Find(in *Ink, blocks []Block) []Placement {
	s := &search{in: in, edge: pt(EdgeMM), gap: pt(GapMM),
		stepX: 2 * in.PageW / float64(in.W), stepY: 2 * in.PageH / float64(in.H)}
	out := make([]Placement, 0, len(blocks))
	for _, b := range blocks {
		s.clear = pt(ClearMM)
		if b.ClearMM > 0 {
			s.clear = pt(b.ClearMM)
		}
		p := s.place(b)
		p.pageH = in.PageH
		s.taken = append(s.taken, p.Rect)
		out = append(out, p)
	}
	return out
}

// search holds one page's ink, the blocks placed so far, and distances in
// points.
type search struct {
	in               *Ink
	taken            []Rect
	edge, clear, gap float64
	stepX, stepY     float64
}

// zone is a region of the page, in points from the top-left.
type zone struct{ x0, y0, x1, y1 float64 }

// zones returns the regions tried for a block of corner c, best first.
func (s *search) zones(c Corner) []zone {
	w, h := s.in.PageW, s.in.PageH
	corner := zone{0, 0, w * 0.55, h / 5}
	if c == TopRight {
		corner = zone{w * 0.45, 0, w, h / 5}
	}
	return []zone{corner, {0, 0, w, h / 5}, {0, 0, w, h}}
}

// scales returns the scales to try, from 1 down to b's minimum.
func scales(b Block) []float64 {
	lo := b.MinScale
	if lo <= 0 || lo > 1 {
		lo = 1
	}
	out := []float64{1}
	for v := 0.95; v > lo+1e-9; v -= 0.05 {
		out = append(out, v)
	}
	if lo < 1 {
		out = append(out, lo)
	}
	return out
}

// place finds the first zone and the largest scale with a blank spot for
// b, and there the spot nearest b's corner.
func (s *search) place(b Block) Placement {
	sc := scales(b)
	for i, z := range s.zones(b.Corner) {
		for _, k := range sc {
			if x, y, ok := s.nearest(b, z, b.W*k, b.H*k, false); ok {
				return s.placement(b, x, y, k, Where(i))
			}
		}
	}
	k := sc[len(sc)-1]
	x, y, _ := s.nearest(b, s.zones(b.Corner)[0], b.W*k, b.H*k, true)
	return s.placement(b, x, y, k, OverInk)
}

func (s *search) placement(b Block, x, top, k float64, w Where) Placement {
	return Placement{Name: b.Name, Rect: Rect{X: x, Y: s.in.PageH - top - b.H*k, W: b.W * k, H: b.H * k}, Scale: k, Where: w}
}

// nearest returns the top-left corner (from the page's top-left) of the
// blank spot of size w×h inside z nearest b's corner. With leastInk it
// takes the spot with the least ink instead, and always answers.
func (s *search) nearest(b Block, z zone, w, h float64, leastInk bool) (x, y float64, ok bool) {
	pw := s.in.PageW
	x0, y0 := max(z.x0, s.edge), max(z.y0, s.edge)
	x1, y1 := min(z.x1, pw-s.edge)-w, min(z.y1, s.in.PageH-s.edge)-h
	best, bestInk := math.Inf(1), math.MaxInt
	for ty := y0; ty <= y1; ty += s.stepY {
		for tx := x0; tx <= x1; tx += s.stepX {
			dx := tx - s.edge
			if b.Corner == TopRight {
				dx = pw - s.edge - (tx + w)
			}
			d := math.Hypot(dx, ty-s.edge)
			if d >= best && !leastInk || s.overlaps(tx, ty, w, h) {
				continue
			}
			n := s.in.inkIn(tx-s.clear, ty-s.clear, w+2*s.clear, h+2*s.clear)
			if leastInk {
				if n < bestInk || n == bestInk && d < best {
					x, y, best, bestInk, ok = tx, ty, d, n, true
				}
				continue
			}
			if n == 0 {
				x, y, best, ok = tx, ty, d, true
			}
		}
	}
	if leastInk && !ok { // the block is larger than the zone
		return x0, y0, true
	}
	return x, y, ok
}

// overlaps reports whether the spot (top-left coordinates) comes within
// the gap of a block placed before.
func (s *search) overlaps(x, y, w, h float64) bool {
	ph := s.in.PageH
	for _, r := range s.taken {
		ry := ph - r.Y - r.H
		if x < r.X+r.W+s.gap && r.X < x+w+s.gap && y < ry+r.H+s.gap && ry < y+h+s.gap {
			return true
		}
	}
	return false
}
