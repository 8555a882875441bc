package ingest

import (
	"time"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/ingest/scan"
)

// scanTimeFrom names, for the format whose metadata dated a page, where
// [archive.Metadata.ScannedAt] came from.
var scanTimeFrom = map[scan.Format]string{scan.JPEG: archive.ScanTimeEXIF, scan.TIFF: archive.ScanTimeTIFF, scan.PDF: archive.ScanTimePDF}

// noScanTimeNote goes on page 1 in the batch report when no page file says
// when it was scanned.
const noScanTimeNote = "tệp quét không ghi thời điểm quét: dùng thời điểm tải lên / the scans give no scan time: the upload time is used"

// scanTime is the earliest time the page files of a record say they were
// scanned.
type scanTime struct {
	at   time.Time
	from string
}

// see takes the time page p's file gives, if it is the earliest yet.
func (s *scanTime) see(p *scan.Page) {
	if !p.ScannedAt.IsZero() && (s.at.IsZero() || p.ScannedAt.Before(s.at)) {
		s.at, s.from = p.ScannedAt, scanTimeFrom[p.ScannedFrom]
	}
}

// apply sets r's scan time to what the files said or, when they said
// nothing, to the upload time, noted on page 1 for the batch report.
func (s scanTime) apply(r *archive.Record) {
	if !s.at.IsZero() {
		r.Meta.ScannedAt, r.Meta.ScannedAtFrom = s.at.UTC(), s.from
		return
	}
	r.Meta.ScannedAt, r.Meta.ScannedAtFrom = r.CreatedAt.UTC(), archive.ScanTimeUpload
	if len(r.Pages) > 0 {
		p := &r.Pages[0]
		if p.Notes != "" {
			p.Notes += "; "
		}
		p.Notes += noScanTimeNote
	}
}

// scannerLines are the clerk's visible signature lines: who scanned and
// when (Circular 01/2023 Art. 8.1), saying so when the manifest named
// nobody and the uploader was an administrator, and when the files gave no
// scan time. A record received before the scan facts were kept names the
// uploader and the upload time, as khoso did then.
func scannerLines(m archive.Metadata, b *archive.BatchSummary) []string {
	if m.ScannedAtFrom == "" {
		return []string{"Người quét / Scanned by: " + b.CreatedBy, "Thời điểm quét / Scanned at: " + vnTime(b.CreatedAt)}
	}
	var lines []string
	if m.ScannedBy != "" {
		lines = append(lines, "Người quét / Scanned by: "+m.ScannedBy)
	} else {
		lines = append(lines, "Người quét / Scanned by: không ghi / not named",
			"Tải lên bởi quản trị viên / Uploaded by administrator: "+b.CreatedBy)
	}
	if m.ScannedAtFrom == archive.ScanTimeUpload {
		return append(lines, "Thời điểm quét / Scanned at: không rõ / unknown", "Tải lên lúc / Uploaded at: "+vnTime(m.ScannedAt))
	}
	return append(lines, "Thời điểm quét / Scanned at: "+vnTime(m.ScannedAt))
}

// signingClerk is whose personal key signs the scanned copy: the person
// who scanned, else (no one named) the uploader.
func signingClerk(m archive.Metadata, b *archive.BatchSummary) string {
	if m.ScannedBy != "" {
		return m.ScannedBy
	}
	return b.CreatedBy
}
