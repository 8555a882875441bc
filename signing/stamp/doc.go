// Package stamp adds visible marks to page 1 of a PDF khoso wrote: lines of
// text in an embedded font (Liberation Serif, metric-compatible with Times
// New Roman, with every Vietnamese letter) and gray images such as a QR
// code. It appends them as an incremental update, leaving the original
// bytes untouched, so a signature can follow.
//
// It reads the page through github.com/digitorus/pdf and rewrites only the
// page object: its /Contents gains a stream, its /Resources a font and the
// images. It keeps /Type, /Parent, /MediaBox, /CropBox, /Rotate and the
// page's XObject and Font resources, which is all khoso's assembler writes.
package stamp
