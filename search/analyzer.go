package search

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"
)

const (
	// nfcCharFilter is the bleve type name of nfcFilter. It is written into
	// every index's stored mapping: renaming it breaks existing indexes.
	nfcCharFilter = "khoso_nfc"
	// viAnalyzer is the name of the Vietnamese analyzer in the mapping.
	viAnalyzer = "khoso_vi"
)

// nfcFilter is a bleve char filter that puts text in Unicode normalisation
// form C, so that the asciifolding filter after it sees precomposed letters.
type nfcFilter struct{}

// Filter returns input in NFC.
func (nfcFilter) Filter(input []byte) []byte { return norm.NFC.Bytes(input) }

func newNFCFilter(map[string]any, *registry.Cache) (analysis.CharFilter, error) {
	return nfcFilter{}, nil
}

// init registers nfcFilter with bleve. STYLE rule 2 forbids init registries
// of our own; this one is bleve's: an index's stored mapping names its char
// filters by type, and bleve resolves them in a package-level map that it
// reads without a lock whenever a mapping is loaded. Writing that map at init
// time is the only moment that cannot race with an index being opened.
func init() {
	if err := registry.RegisterCharFilter(nfcCharFilter, newNFCFilter); err != nil {
		panic(err)
	}
}

// addVietnameseAnalyzer defines viAnalyzer in m.
func addVietnameseAnalyzer(m *mapping.IndexMappingImpl) error {
	return m.AddCustomAnalyzer(viAnalyzer, map[string]any{
		"type":          custom.Name,
		"char_filters":  []string{nfcCharFilter, asciifolding.Name},
		"tokenizer":     unicode.Name,
		"token_filters": []string{lowercase.Name},
	})
}

// terms runs text through a and returns its distinct terms in order.
func terms(a analysis.Analyzer, text string) []string {
	seen := make(map[string]bool)
	var out []string
	for _, tok := range a.Analyze([]byte(text)) {
		t := string(tok.Term)
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}
