package stamp

import (
	"strings"
	"testing"
)

// TestModulesAreRuns: a row's dark modules become one rectangle per run,
// filled together on a white square.
func TestModulesAreRuns(t *testing.T) {
	var b strings.Builder
	Modules{Dark: [][]bool{{true, true, false}, {false, false, false}, {true, false, true}}, X: 10, Y: 20, Module: 2}.content(&b)
	want := "q 1 g 10 20 6 6 re f 0 g\n10 24 4 2 re\n10 20 2 2 re\n14 20 2 2 re\nf Q\n"
	if b.String() != want {
		t.Errorf("content\n%s\nwant\n%s", b.String(), want)
	}
}
