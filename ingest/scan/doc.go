// Package scan normalises scanned pages before they are assembled into a
// PDF: it reads JPEG, PNG, TIFF and image-only PDF files, checks them,
// turns pages upright and straight, brings resolutions above the maximum
// down, and flags what the clerk must look at.
//
// # Entry points
//
// Pages streams one file: it calls yield with each normalised page in
// order, holding one page's pixels at a time. Normalise is the older
// single-image entry point (JPEG and PNG only, orientation applied but no
// deskewing or resampling).
//
// # Inputs
//
//   - JPEG, baseline and progressive, with EXIF orientation applied.
//   - PNG, 8 and 16 bits, gray, RGB, palette, with alpha (laid over white
//     when the pixels must change; otherwise by package ingest/assemble).
//   - TIFF, every page of the IFD chain: uncompressed, LZW, Deflate,
//     PackBits, JPEG (compression 7) and CCITT G3/G4 bilevel, decoded by
//     golang.org/x/image/tiff reading each IFD in turn.
//   - PDF whose every page shows exactly one image: DCTDecode (JPEG) and
//     CCITTFaxDecode images are taken as stored, Flate and raw 8-bit gray,
//     RGB or 1-bit images are decoded; /Rotate is applied.
//
// Anything else is refused with a reason: other formats by their magic
// bytes, old-style JPEG in TIFF, JBIG2 or JPX images, pages with text or
// several images, encrypted PDFs.
//
// # Guards
//
// The number of pages (TIFF IFD chain, PDF page tree) is checked against
// Options.MaxPages, and each page's dimensions against Options.MaxPixels,
// from headers before any pixel is decoded. Every page is decoded in full,
// so truncated or corrupt data is refused while the clerk can still
// rescan. Decompression reads no more than the declared image holds.
//
// # What happens to each page
//
//  1. The page is decoded; a gray copy near 100 dpi is measured: its ink
//     (dark pixels inside the margins; under Options.BlankInk it is
//     flagged Blank, never dropped) and its skew (projection profiles of
//     the ink over a coarse then fine range of angles).
//
//  2. Pixels change only when they must: EXIF orientation or PDF /Rotate,
//     a skew at least Options.DeskewThreshold (default 0.1°), or a
//     resolution above Options.MaxDPI (default 300). Then rotation and
//     resampling happen in one bilinear pass (blocks are averaged first
//     when shrinking by half or more) and the page is encoded once: JPEG
//     at the source JPEG's estimated quality (else Options.JPEGQuality),
//     gray staying one-component gray and colour staying YCbCr; bilevel
//     pages as CCITT G4.
//
//  3. Otherwise the page keeps its bytes: a straight JPEG is embedded byte
//     for byte, a single-strip G4 TIFF page or a PDF's G4 image stays G4
//     (bits reversed for FillOrder 2). Pages that exist only as pixels
//     (uncompressed, LZW, Deflate) are encoded once as above.
//
//  4. From the final pixels, a preview (Options.PreviewSize, default 1000
//     pixels on the long side) and from it a thumbnail (Options.ThumbSize,
//     default 200) are made: blocks averaged as for the measurement copy,
//     then one bilinear pass to the exact size, encoded as JPEG at
//     ViewQuality, gray and bilevel pages as one-component gray, colour as
//     YCbCr. Views makes the same from a page stored before pages had them.
//
// The page's physical size never changes: a resampled page states its
// new resolution, a deskewed one keeps its size with white corners.
//
// Resolution: JPEG JFIF APP0 density, else EXIF IFD0; PNG pHYs; TIFF
// X/YResolution; PDF image pixels over the page's size. Values per
// centimetre or metre are converted to dots per inch and rounded, because
// scanners store 200 dpi as 7874 pixels per metre or 79 dots per
// centimetre. A missing resolution is 0 and flagged NoDPI; one below
// Options.MinDPI (200) is flagged LowDPI: the clerk confirms or the policy
// refuses the document.
//
// # Errors
//
// Every refusal is an *Error whose text is a bilingual message for the
// records clerk, Vietnamese first then English, naming the page of a
// multi-page file, and which wraps one of the sentinels ErrUnsupported,
// ErrTooLarge or ErrCorrupt for errors.Is. All three are permanent:
// retrying the same bytes gives the same answer. A malformed EXIF or JFIF
// segment is ignored (its values read as absent): only the image data
// decides whether a page is corrupt.
//
// # JPEG codec
//
// Pages are encoded by the pure-Go package internal/jpegenc: baseline
// JPEG with Huffman tables optimised for each page, several times faster
// than image/jpeg's encoder and smaller than its output or TurboJPEG's.
// The default build decodes with the standard library's image/jpeg. Built
// with -tags turbojpeg (cgo and Debian's libturbojpeg0-dev), decoding goes
// through libjpeg-turbo straight to YCbCr planes, which takes a fifth
// (colour) to a third (gray) off the CPU of a deskewed page in the ingest
// benchmark; production ingest workers should use that build.
package scan
