// Package scan normalises one scanned page image before it is assembled
// into a PDF.
//
// Normalise accepts JPEG and PNG files only, detected by their magic bytes.
// It reads the image header first and refuses an image larger than
// Limits.MaxPixels before any pixel is decoded, then decodes every pixel
// so that a truncated or corrupt file is refused while the clerk can still
// rescan the page.
//
// What it returns:
//
//   - Width and Height in pixels after orientation, and the resolution the
//     file declares (JPEG: JFIF APP0 density, else EXIF XResolution and
//     YResolution in IFD0; PNG: the pHYs chunk). Resolutions stated per
//     centimetre or per metre are converted to dots per inch and rounded to
//     the nearest integer, because scanners store 200 dpi as 7874 pixels per
//     metre or 79 dots per centimetre. A missing resolution is reported as 0;
//     deciding what to do about it is the caller's concern.
//   - For a JPEG with EXIF orientation 2 to 8, the rotated or flipped pixels
//     re-encoded at quality 90 (gray stays one-component gray, colour becomes
//     YCbCr), with a JFIF density segment carrying the resolution and no EXIF,
//     and the resolution axes swapped for the 90° cases (5 to 8).
//   - Otherwise the original bytes, untouched. A PNG is always kept as it is,
//     lossless: alpha is not flattened here but by the assembler
//     (package ingest/assemble flattens it on white). An eXIf orientation in
//     a PNG is not applied.
//
// A malformed EXIF or JFIF segment is ignored (its values read as absent):
// only the image data itself decides whether a page is corrupt.
//
// Every refusal is an *Error whose text is a bilingual message for the
// records clerk, Vietnamese first then English, and which wraps one of the
// sentinels ErrUnsupported, ErrTooLarge or ErrCorrupt for errors.Is. All
// three are permanent: retrying the same bytes gives the same answer.
package scan
