package scan

import (
	"strings"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Tags that date a scan: TIFF's DateTime (also EXIF IFD0's), EXIF's pointer to its
// own IFD, and there DateTimeOriginal and its zone (EXIF 2.31).
const (
	tagDateTime           = 306
	tagExifIFD            = 0x8769
	tagDateTimeOriginal   = 0x9003
	tagOffsetTimeOriginal = 0x9011
	typeASCII             = 2
)

// scannerZone is the zone of a scan time whose file names none: EXIF and TIFF dates are
// the scanner's local time, and khoso's scanners are in Vietnam (UTC+7, no daylight
// saving).
var scannerZone = time.FixedZone("+07:00", 7*3600)

// ascii returns an ASCII field's text without its NUL; "" when absent or malformed.
func (d *ifd) ascii(tag int) string {
	typ, count, at, ok := d.raw(tag)
	if !ok || typ != typeASCII {
		return ""
	}
	return strings.TrimRight(string(d.t.b[at:at+count]), "\x00 ")
}

// dateTime returns the IFD's DateTime (tag 306), or zero.
func (d *ifd) dateTime() time.Time { return exifTime(d.ascii(tagDateTime), "") }

// exifScanTime returns the DateTimeOriginal of the EXIF IFD that ifd0 points to, else
// ifd0's DateTime, else zero.
func (t tiffReader) exifScanTime(ifd0 int) time.Time {
	d, err := t.readIFD(ifd0)
	if err != nil {
		return time.Time{}
	}
	if off := d.int(tagExifIFD, 0); off >= 8 {
		if e, err := t.readIFD(off); err == nil {
			if at := exifTime(e.ascii(tagDateTimeOriginal), e.ascii(tagOffsetTimeOriginal)); !at.IsZero() {
				return at
			}
		}
	}
	return d.dateTime()
}

// exifTime parses an EXIF or TIFF date "YYYY:MM:DD HH:MM:SS" with an optional zone
// "+07:00"; zero when it is blank, all zeros or malformed.
func exifTime(s, zone string) time.Time {
	loc := scannerZone
	if z, err := time.Parse("-07:00", strings.TrimSpace(zone)); err == nil {
		loc = z.Location()
	}
	t, err := time.ParseInLocation("2006:01:02 15:04:05", strings.TrimSpace(s), loc)
	if err != nil || t.Year() < 1990 {
		return time.Time{}
	}
	return t
}

// pdfCreationDate returns the /CreationDate of the document information dictionary
// of ctx, or zero. A date without a zone is taken as the scanner's local time.
func pdfCreationDate(ctx *model.Context) (at time.Time) {
	defer func() {
		if recover() != nil { // the parser on hostile input
			at = time.Time{}
		}
	}()
	if ctx.Info == nil {
		return time.Time{}
	}
	info, err := ctx.DereferenceDict(*ctx.Info)
	if err != nil || info == nil {
		return time.Time{}
	}
	s, err := ctx.DereferenceStringOrHexLiteral(info["CreationDate"], model.V10, nil)
	if err != nil || s == "" {
		return time.Time{}
	}
	t, ok := types.DateTime(s, true)
	if !ok || t.Year() < 1990 {
		return time.Time{}
	}
	if digits := strings.TrimPrefix(strings.TrimSpace(s), "D:"); len(digits) <= 14 && !strings.ContainsAny(digits, "Z+-") {
		t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, scannerZone)
	}
	return t
}
