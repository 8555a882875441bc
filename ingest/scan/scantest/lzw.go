package scantest

// lzwTIFF compresses b as TIFF LZW: MSB first, codes widening one code
// early as libtiff writes them, a clear code first and after code 4093.
func lzwTIFF(b []byte) []byte {
	const clearCode, eoi, first = 256, 257, 258
	w := &bitWriter{}
	dict := map[int]int{}
	next, width := first, 9
	w.put(clearCode, width)
	prefix := -1
	for _, c := range b {
		if prefix < 0 {
			prefix = int(c)
			continue
		}
		key := prefix<<8 | int(c)
		if code, ok := dict[key]; ok {
			prefix = code
			continue
		}
		w.put(prefix, width)
		dict[key] = next
		next++
		if next > 1<<width-1 && width < 12 {
			width++
		}
		if next == 4094 {
			w.put(clearCode, width)
			clear(dict)
			next, width = first, 9
		}
		prefix = int(c)
	}
	if prefix >= 0 {
		w.put(prefix, width)
	}
	w.put(eoi, width)
	return w.bytes()
}

// bitWriter packs codes MSB first.
type bitWriter struct {
	out   []byte
	acc   uint32
	nbits int
}

func (w *bitWriter) put(code, width int) {
	w.acc = w.acc<<width | uint32(code)
	w.nbits += width
	for w.nbits >= 8 {
		w.nbits -= 8
		w.out = append(w.out, byte(w.acc>>w.nbits))
	}
}

func (w *bitWriter) bytes() []byte {
	if w.nbits > 0 {
		w.out = append(w.out, byte(w.acc<<(8-w.nbits)))
	}
	return w.out
}
