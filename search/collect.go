package search

import (
	"container/heap"
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// Collecting by score. bleve's collector loads the record ID of every match
// to break ties by ID, a cost per match on top of scoring it (with the doc
// values of sorting, a fifth of the CPU in a profile at 200k records).
// collect walks the matches itself and keeps the best
// from+size in a heap ordered by score, then ID: a match scoring below the
// worst one kept is dropped without its ID, so IDs are loaded only for
// matches that may enter the page. The order is the one bleve's
// score-then-ID sort gives.

// checkEvery is how many matches collect handles between two checks of its
// context.
const checkEvery = 1024

// collected is one run of collect.
type collected struct {
	// hits is the page, in order.
	hits []Hit
	// total counts every match.
	total uint64
	// firstIDs are the IDs of the first typoBelow matches in index order:
	// every match when total < typoBelow.
	firstIDs []string
}

// reader opens a reader of the index as it is now; the caller closes it.
func (ix *Index) reader() (index.IndexReader, error) {
	adv, err := ix.idx.Advanced()
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("reader: %w", err)
	}
	return r, nil
}

// collect runs bq and returns its matches from+1 to from+size by score,
// highest first, then by ID, with the total. Unless scored, every match
// scores 0 and the ID alone orders them.
func (ix *Index) collect(ctx context.Context, bq query.Query, scored bool, from, size int) (*collected, error) {
	r, err := ix.reader()
	if err != nil {
		return nil, err
	}
	defer func() { _ = r.Close() }()
	opts := search.SearcherOptions{}
	if !scored {
		opts.Score = "none"
	}
	s, err := bq.Searcher(ctx, r, ix.idx.Mapping(), opts)
	if err != nil {
		return nil, fmt.Errorf("searcher: %w", err)
	}
	defer func() { _ = s.Close() }()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0), IndexReader: r}
	out := &collected{}
	top := &topHits{k: from + size}
	for {
		if out.total%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		d, err := s.Next(sctx)
		if err != nil {
			return nil, fmt.Errorf("next: %w", err)
		}
		if d == nil {
			break
		}
		out.total++
		if err := top.offer(r, d, out); err != nil {
			return nil, err
		}
		sctx.DocumentMatchPool.Put(d)
	}
	out.hits = top.page(from)
	return out, nil
}

// topHits keeps the k best hits seen: a heap whose root is the worst.
type topHits struct {
	k    int
	hits []Hit
}

// worse reports whether a ranks after b: lower score, or equal score and a
// greater ID.
func worse(a, b Hit) bool {
	if a.Score != b.Score {
		return a.Score < b.Score
	}
	return a.ID > b.ID
}

func (t *topHits) Len() int           { return len(t.hits) }
func (t *topHits) Less(i, j int) bool { return worse(t.hits[i], t.hits[j]) }
func (t *topHits) Swap(i, j int)      { t.hits[i], t.hits[j] = t.hits[j], t.hits[i] }
func (t *topHits) Push(x any)         { t.hits = append(t.hits, x.(Hit)) }
func (t *topHits) Pop() any {
	h := t.hits[len(t.hits)-1]
	t.hits = t.hits[:len(t.hits)-1]
	return h
}

// offer considers d, loading its ID only when it may be kept or when out
// still gathers firstIDs.
func (t *topHits) offer(r index.IndexReader, d *search.DocumentMatch, out *collected) error {
	first := len(out.firstIDs) < typoBelow
	full := len(t.hits) >= t.k
	if full && !first && (t.k == 0 || d.Score < t.hits[0].Score) {
		return nil
	}
	id, err := r.ExternalID(d.IndexInternalID)
	if err != nil {
		return fmt.Errorf("external ID: %w", err)
	}
	if first {
		out.firstIDs = append(out.firstIDs, id)
	}
	h := Hit{ID: id, Score: d.Score}
	switch {
	case t.k == 0:
	case !full:
		heap.Push(t, h)
	case worse(t.hits[0], h):
		t.hits[0] = h
		heap.Fix(t, 0)
	}
	return nil
}

// page returns the hits kept, best first, without the first from.
func (t *topHits) page(from int) []Hit {
	out := make([]Hit, len(t.hits))
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(t).(Hit)
	}
	if from >= len(out) {
		return []Hit{}
	}
	return out[from:]
}
