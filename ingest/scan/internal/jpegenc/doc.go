// Package jpegenc is a baseline JPEG encoder for re-encoding scanned pages.
// It writes smaller files than image/jpeg at the same quality setting by
// building Huffman tables for each image instead of using the example
// tables of the JPEG standard, and it is several times faster.
//
// # Format
//
// The output is a baseline sequential DCT JPEG (SOF0, 8-bit samples) made
// of SOI, DQT, SOF0, DHT, SOS, the entropy-coded data and EOI. There is no
// APP0 (JFIF) or other application segment: the caller inserts what it
// needs after SOI. There are no restart markers.
//
//   - Quantisation tables are those of image/jpeg: the luminance and
//     chrominance tables of Annex K.1 of the standard (ITU-T T.81), scaled
//     by quality exactly as image/jpeg and libjpeg scale them, so quality q
//     here means what it means to image/jpeg. Table 0 is for luma, table 1
//     for chroma; a gray image carries only table 0.
//   - Huffman tables are optimal for the image, limited to 16-bit codes as
//     in Annex K.2 (libjpeg's jpeg_gen_optimal_table), with the all-ones
//     codeword kept unused. DC and AC table 0 code luma, table 1 chroma.
//   - Components have IDs 1, 2 and 3 (Y, Cb, Cr); a gray image is a single
//     component with ID 1. Chroma components are sampled 1x1 and luma as
//     the input requires: 1x1 for 4:4:4, 2x1 for 4:2:2, 2x2 for 4:2:0 and
//     1x2 for 4:4:0. A *image.YCbCr is written with its own subsampling,
//     its planes used as they are (but for a sub-image whose Min is odd
//     along a subsampled axis: its chroma samples straddle the JPEG ones,
//     each of which becomes the mean of the chroma of the pixels it
//     covers); a *image.RGBA is converted to YCbCr with
//     the BT.601 full-range formulas of image/color and written 4:2:0, each
//     chroma sample the mean of the 2x2 pixels it covers.
//   - Partial blocks and MCUs at the right and bottom edges are filled by
//     repeating the last column and row of each component, as libjpeg does.
//
// # Method
//
// Encoding makes two passes over the image, on one goroutine. The first
// computes the forward DCT of every block (the floating-point AAN
// algorithm of libjpeg's jfdctflt.c, its scale factors folded into the
// quantisation divisors so quantising is a multiply and a round),
// quantises it, keeps the coefficients as int16 in zigzag order (every DC
// coefficient and the non-zero AC ones, with a 64-bit bitmap per block
// marking which are non-zero, so a page of white paper takes a few bytes
// a block) and counts the Huffman symbols of each table. The second builds
// the tables and writes the entropy-coded data through a 64-bit bit
// buffer, walking the bitmaps so that zero coefficients cost nothing.
//
// Images of other types are refused with ErrUnsupported, so the caller can
// fall back to image/jpeg.
package jpegenc
