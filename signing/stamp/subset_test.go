package stamp

import (
	"testing"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// TestSubsetKeepsUsedGlyphs: the subset of a Vietnamese line parses, keeps
// every glyph ID, draws the line's glyphs (composite ones with their
// parts) exactly as the whole font does, drops the outlines of the rest,
// and is a small fraction of the font.
func TestSubsetKeepsUsedGlyphs(t *testing.T) {
	t.Parallel()
	sh, err := newShaper()
	if err != nil {
		t.Fatal(err)
	}
	const line = "Mã xác thực: ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI — Độc lập - Tự do - Hạnh phúc 0123456789"
	if _, err := sh.shape(line); err != nil {
		t.Fatal(err)
	}
	used := sh.sortedGlyphs()
	sub, err := subsetTTF(serifTTF, used)
	if err != nil {
		t.Fatal(err)
	}
	if len(sub)*10 > len(serifTTF) {
		t.Errorf("subset is %d bytes of the font's %d; want under a tenth", len(sub), len(serifTTF))
	}
	whole, err := loadSerif()
	if err != nil {
		t.Fatal(err)
	}
	part, err := sfnt.Parse(sub)
	if err != nil {
		t.Fatalf("the subset does not parse: %v", err)
	}
	if part.NumGlyphs() != whole.NumGlyphs() {
		t.Fatalf("subset has %d glyphs, the font %d: IDs must not move", part.NumGlyphs(), whole.NumGlyphs())
	}
	var b1, b2 sfnt.Buffer
	ppem := fixed.I(1000)
	for _, g := range used {
		want, err := whole.LoadGlyph(&b1, g, ppem, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := part.LoadGlyph(&b2, g, ppem, nil)
		if err != nil {
			t.Fatalf("glyph %d: %v", g, err)
		}
		if len(got) != len(want) {
			t.Fatalf("glyph %d: %d segments in the subset, %d in the font", g, len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("glyph %d segment %d differs", g, i)
			}
		}
	}
	unused, _ := whole.GlyphIndex(&b1, 'Q')
	if segs, err := part.LoadGlyph(&b2, unused, ppem, nil); err != nil || len(segs) != 0 {
		t.Errorf("an unused glyph (Q) kept %d segments (%v); want none", len(segs), err)
	}
}
