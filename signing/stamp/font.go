package stamp

import (
	"bytes"
	"compress/zlib"
	_ "embed"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

//go:embed assets/LiberationSerif-Regular.ttf
var serifTTF []byte

// SerifTTF returns the embedded font file, Liberation Serif, for those who
// draw text as the stamps do, such as test helpers making scans. The
// caller must not change it.
func SerifTTF() []byte { return serifTTF }

// fontName is the PDF name of the embedded font.
const fontName = "LiberationSerif"

var (
	serifOnce sync.Once
	serif     *sfnt.Font
	serifErr  error
)

func loadSerif() (*sfnt.Font, error) {
	serifOnce.Do(func() { serif, serifErr = sfnt.Parse(serifTTF) })
	return serif, serifErr
}

// glyphRun is text turned into glyph IDs, with its width in 1/1000 em.
type glyphRun struct {
	gids  []sfnt.GlyphIndex
	width float64
}

// shaper maps runes to glyphs and remembers which glyphs, widths and runes
// the document uses, for the /W array and the ToUnicode map.
type shaper struct {
	f       *sfnt.Font
	buf     sfnt.Buffer
	upem    float64
	widths  map[sfnt.GlyphIndex]float64
	unicode map[sfnt.GlyphIndex]rune
}

func newShaper() (*shaper, error) {
	f, err := loadSerif()
	if err != nil {
		return nil, fmt.Errorf("stamp: font: %w", err)
	}
	return &shaper{f: f, upem: float64(f.UnitsPerEm()), widths: map[sfnt.GlyphIndex]float64{},
		unicode: map[sfnt.GlyphIndex]rune{}}, nil
}

// shape returns the glyphs of s; a rune the font lacks is an error.
func (sh *shaper) shape(s string) (glyphRun, error) {
	var run glyphRun
	for _, r := range s {
		gid, err := sh.f.GlyphIndex(&sh.buf, r)
		if err != nil || gid == 0 {
			return run, fmt.Errorf("stamp: the font has no glyph for %q", r)
		}
		adv, err := sh.f.GlyphAdvance(&sh.buf, gid, fixed.Int26_6(sh.f.UnitsPerEm())<<6, font.HintingNone)
		if err != nil {
			return run, fmt.Errorf("stamp: advance of %q: %w", r, err)
		}
		w := float64(adv) / 64 * 1000 / sh.upem
		sh.widths[gid], sh.unicode[gid] = w, r
		run.gids = append(run.gids, gid)
		run.width += w
	}
	return run, nil
}

// hex renders glyph IDs as a PDF hex string for Identity-H.
func (run glyphRun) hex() string {
	var b strings.Builder
	b.WriteByte('<')
	for _, g := range run.gids {
		fmt.Fprintf(&b, "%04X", uint16(g))
	}
	b.WriteByte('>')
	return b.String()
}

// objects returns the font's five objects, numbered from first: Type0 font,
// CIDFont, descriptor, font file, ToUnicode map.
// The font file holds only the glyphs the document uses (a subset, its
// name tagged as ISO 32000-1 §9.6.4 asks).
func (sh *shaper) objects(first int) ([]string, error) {
	gids := sh.sortedGlyphs()
	ttf, err := subsetTTF(serifTTF, gids)
	if err != nil {
		return nil, err
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(ttf)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	cmap := sh.toUnicode()
	fontName := subsetTag(gids) + "+" + fontName
	return []string{
		fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>",
			fontName, first+1, first+4),
		fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /W %s /CIDToGIDMap /Identity >>",
			fontName, first+2, sh.widthArray()),
		fmt.Sprintf("<< /Type /FontDescriptor /FontName /%s /Flags 34 /FontBBox [-177 -216 1000 891] /ItalicAngle 0 /Ascent 891 /Descent -216 /CapHeight 662 /StemV 80 /FontFile2 %d 0 R >>",
			fontName, first+3),
		stream(fmt.Sprintf("/Filter /FlateDecode /Length1 %d", len(ttf)), z.Bytes()),
		stream("", []byte(cmap)),
	}, nil
}

func (sh *shaper) sortedGlyphs() []sfnt.GlyphIndex {
	gids := make([]sfnt.GlyphIndex, 0, len(sh.widths))
	for g := range sh.widths {
		gids = append(gids, g)
	}
	sort.Slice(gids, func(i, j int) bool { return gids[i] < gids[j] })
	return gids
}

func (sh *shaper) widthArray() string {
	var b strings.Builder
	b.WriteByte('[')
	for _, g := range sh.sortedGlyphs() {
		fmt.Fprintf(&b, " %d [%s]", g, num(sh.widths[g]))
	}
	b.WriteString(" ]")
	return b.String()
}

func (sh *shaper) toUnicode() string {
	var b strings.Builder
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	gids := sh.sortedGlyphs()
	for len(gids) > 0 {
		n := min(len(gids), 100)
		fmt.Fprintf(&b, "%d beginbfchar\n", n)
		for _, g := range gids[:n] {
			fmt.Fprintf(&b, "<%04X> <%s>\n", uint16(g), utf16Hex(sh.unicode[g]))
		}
		b.WriteString("endbfchar\n")
		gids = gids[n:]
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.String()
}

func utf16Hex(r rune) string {
	if r < 0x10000 {
		return fmt.Sprintf("%04X", r)
	}
	r -= 0x10000
	return fmt.Sprintf("%04X%04X", 0xD800+(r>>10), 0xDC00+(r&0x3FF))
}

// bfchar is one line of a ToUnicode map this package writes: a glyph and
// its UTF-16 text.
var bfchar = regexp.MustCompile(`(?m)^<([0-9A-F]{4})> <([0-9A-F]{4,8})>$`)

// mappedRunes returns the runes a ToUnicode map written by toUnicode maps
// glyphs to.
func mappedRunes(cmap []byte) map[rune]bool {
	out := map[rune]bool{}
	for _, m := range bfchar.FindAllSubmatch(cmap, -1) {
		u := m[2]
		hi, _ := strconv.ParseUint(string(u[:4]), 16, 16)
		r := rune(hi)
		if len(u) == 8 {
			lo, _ := strconv.ParseUint(string(u[4:]), 16, 16)
			r = 0x10000 + (rune(hi)-0xD800)<<10 + (rune(lo) - 0xDC00)
		}
		out[r] = true
	}
	return out
}
