// Package place finds blank paper on page 1 for the blocks khoso adds to a
// scanned document: the clerk's and the agency's signature text, a copy's
// form text and its QR code. Nothing khoso adds may make the document's own
// text unreadable, so a block goes only where the scan shows no ink, near
// the corner the rules name (Circular 01/2023 Art. 8.1: the scanner's
// signature top-left; Decree 30/2020 Art. 25: a copy's signature text
// top-right; the QR code top-left).
//
// The package is pure: it takes an ink map (a low-resolution bitmap of
// where the page is dark, made from the page image by InkOf or given as a
// bitmap by FromBitmap) and the sizes of the blocks, and returns a
// rectangle for each, in PDF points from the page's bottom-left corner.
//
// Find tries, in order: the block's corner (the named half of the top
// fifth of the page), at full size and then smaller down to the block's
// MinScale; the top band across the whole width; anywhere on the page
// (side and bottom margins, blank gaps), nearest to the corner. A block
// keeps ClearMM of blank paper around it and EdgeMM from the page's edges.
// Only when no blank place is large enough anywhere does it take the spot
// near the corner with the least ink, and says so (OverInk).
package place
