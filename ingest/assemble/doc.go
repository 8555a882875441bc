// Package assemble writes scanned page images into one PDF, one page per
// image, in order, at 100% scale: a page measures what the paper measured.
//
// Writer produces the PDF itself, streaming each image to the underlying
// writer as its page is added (Write is the same for a slice of pages):
//
//	%PDF-1.7 and a binary comment line
//	1 0 obj  Catalog  << /Type /Catalog /Pages 2 0 R >>
//	3 0 obj  Info     document information dictionary
//	for page i (from 0), k = 4 + 4i, each written as soon as it is added:
//	k   0 obj  Page: /MediaBox [0 0 w h], /XObject << /Im0 k+2 0 R >>, /Contents k+1 0 R
//	k+1 0 obj  content stream "q w 0 0 h 0 0 cm /Im0 Do Q"
//	k+2 0 obj  image XObject, /Length k+3 0 R
//	k+3 0 obj  the image stream's length, known once it is written
//	2 0 obj  Pages    << /Type /Pages /Kids [4 0 R 8 0 R …] /Count n >>, once all pages are in
//	xref table, trailer << /Size /Root /Info /ID >>, startxref, %%EOF
//
// Page size in points is pixels / dpi × 72 on each axis. A page that
// declares no resolution is laid out at DefaultDPI; flagging that is the
// caller's concern.
//
// A JPEG page is embedded byte for byte as a DCTDecode stream; its colour
// space follows the component count in its SOF header (1 DeviceGray,
// 3 DeviceRGB, 4 DeviceCMYK, the last with /Decode [1 0 1 0 1 0 1 0] when
// an Adobe APP14 segment marks it as inverted, as Photoshop and most CMYK
// writers do). Only 8-bit baseline, extended and progressive Huffman JPEGs
// are accepted, the ones every PDF reader decodes.
//
// A PNG page is decoded and written as 8-bit samples, FlateDecode with PNG
// "Up" predictors: gray (with or without alpha, or a palette of grays)
// stays DeviceGray, anything else becomes DeviceRGB. Alpha is flattened on
// white and 16-bit samples are reduced to their high byte.
//
// A G4 page (1-bit CCITT Group 4 data from package scan) is embedded byte
// for byte as /CCITTFaxDecode with /K -1, 1 bit a pixel, DeviceGray, and
// /BlackIs1 true when the page says its 1 bits are black. Its size cannot
// be read from the data: Width and Height are required.
//
// The Info dictionary's text is a literal string when it is printable
// ASCII and UTF-16BE with a byte order mark otherwise (Vietnamese). The
// trailer /ID is two identical strings: the first 16 bytes of the SHA-256
// of everything written before the trailer.
package assemble
