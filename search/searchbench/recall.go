package searchbench

import (
	"fmt"
	"io"
	"slices"
	"time"
)

// recalls compares, class by class, khoso's answers with PostgreSQL's.
// khoso's typo hits are left out: PostgreSQL has none to compare with.
func recalls(cases []Case, kh, pg []answer) []Recall {
	var out []Recall
	for _, c := range classes {
		r := Recall{Class: c}
		var sameTotal, sameTop, overlap, smallSame float64
		for i := range cases {
			if cases[i].Class != c {
				continue
			}
			r.Queries++
			k, p := exactOnly(kh[i]), pg[i]
			sameTotal += b2f(k.total == p.total)
			sameTop += b2f(first(k.ids) == first(p.ids))
			overlap += overlapOf(k.ids, p.ids)
			if p.total <= limit {
				r.Small++
				smallSame += b2f(slices.Equal(slices.Sorted(slices.Values(k.ids)), slices.Sorted(slices.Values(p.ids))))
			}
		}
		n := float64(max(r.Queries, 1))
		r.SameTotal, r.SameTop, r.Overlap = sameTotal/n, sameTop/n, overlap/n
		r.SmallSame = smallSame / float64(max(r.Small, 1))
		out = append(out, r)
	}
	return out
}

// exactOnly drops a's typo hits. When its page holds one, every exact hit
// is on it too (typo hits follow them all), so the exact total is known.
func exactOnly(a answer) answer {
	out := answer{total: a.total}
	for i, id := range a.ids {
		if a.typo[i] {
			out.total = uint64(len(out.ids))
			break
		}
		out.ids = append(out.ids, id)
	}
	return out
}

// typoRecall is the share of typo cases where a top hit holds the name the
// query misspelt: the intended holder or a namesake, whom the typed name
// cannot tell apart.
func typoRecall(g Generator, cases []Case, answers []answer) float64 {
	found := 0
	for i, c := range cases {
		want := g.nameOf(c.From)
		if slices.ContainsFunc(answers[i].ids, func(id string) bool { return g.nameOf(id) == want }) {
			found++
		}
	}
	return float64(found) / float64(max(len(cases), 1))
}

func overlapOf(a, b []string) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	n := 0
	for _, id := range a {
		if slices.Contains(b, id) {
			n++
		}
	}
	return float64(n) / float64(max(len(a), len(b)))
}

func first(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// Print writes rep as Markdown tables.
func (rep *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "records: %d, cores: %d, whole run: %s\n\n", rep.N, rep.Cores, rep.RunElapsed.Round(time.Second))
	fmt.Fprintln(w, "| build | time | records/s | size on disk | peak RSS |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|")
	fmt.Fprintf(w, "| khoso (bleve) | %s | %.0f | %s | %s (generating + building) |\n",
		rep.Build.Elapsed.Round(time.Millisecond), float64(rep.N)/rep.Build.Elapsed.Seconds(),
		mib(rep.Build.Bytes), mib(rep.BuildRSS))
	fmt.Fprintf(w, "| PostgreSQL (COPY + GIN + btree + ANALYZE) | %s | %.0f | %s (table + indexes) | (server process) |\n\n",
		rep.PGLoad.Round(time.Millisecond), float64(rep.N)/rep.PGLoad.Seconds(), mib(rep.PGBytes))
	fmt.Fprintln(w, "| search | clients | queries | p50 | p99 | queries/s |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|")
	for _, l := range rep.Latencies {
		fmt.Fprintf(w, "| %s | %d | %d | %s | %s | %.0f |\n", l.System, l.Clients, l.Queries, ms(l.P50), ms(l.P99), l.QPS)
	}
	fmt.Fprintf(w, "\nkhoso peak RSS while searching: %s\n\n", mib(rep.SearchRSS))
	fmt.Fprintln(w, "| class (1 client) | khoso p50 | khoso p99 | PostgreSQL p50 | PostgreSQL p99 |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|")
	for _, c := range rep.Classes {
		pg50, pg99 := ms(c.PGP50), ms(c.PGP99)
		if c.KhosoOnly {
			pg50, pg99 = "n/a", "n/a"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", c.Class, ms(c.KhosoP50), ms(c.KhosoP99), pg50, pg99)
	}
	fmt.Fprintln(w, "\n| recall check | queries | same total | same top hit | top-10 overlap | same hits when ≤10 match |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|")
	for _, r := range rep.Recall {
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s of %d |\n", r.Class, r.Queries, pct(r.SameTotal),
			pct(r.SameTop), pct(r.Overlap), pct(r.SmallSame), r.Small)
	}
	fmt.Fprintf(w, "\nname_typo (khoso only): the misspelt name among the top 10 hits for %s of %d queries\n",
		pct(rep.TypoFound), rep.TypoQuery)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }
func mib(n int64) string        { return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20)) }
func pct(f float64) string      { return fmt.Sprintf("%.1f%%", 100*f) }
