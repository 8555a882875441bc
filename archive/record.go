package archive

import "time"

// Status is where a record stands in the pipeline.
type Status string

// Record states, in pipeline order. See the package documentation.
const (
	StatusReceived   Status = "received"
	StatusNormalised Status = "normalised"
	StatusAssembled  Status = "assembled"
	StatusSigned     Status = "signed"
	StatusStored     Status = "stored"
	StatusAvailable  Status = "available"
	StatusFailed     Status = "failed"
	// StatusNeedsMetadata is a record whose pages are stored and
	// normalised but whose metadata is wrong or missing (chờ bổ sung
	// thông tin): it waits for a clerk to complete it, then goes on to
	// assemble. Reason says what is wrong.
	StatusNeedsMetadata Status = "needs_metadata"
)

// Done reports whether s is final for the pipeline: available, failed, or
// needs_metadata (nothing more happens until a person completes it).
func (s Status) Done() bool {
	return s == StatusAvailable || s == StatusFailed || s == StatusNeedsMetadata
}

// Metadata is what Circular 01/2023/TT-VPCP Art. 9.2 asks to keep for a
// digitised result, plus the procedure and dossier codes.
type Metadata struct {
	DocTypeCode   string    `json:"doc_type_code"`            // mã loại giấy tờ
	DocName       string    `json:"doc_name"`                 // tên giấy tờ
	Number        string    `json:"number"`                   // số, ký hiệu
	IssuedOn      time.Time `json:"issued_on"`                // ngày cấp (a date, UTC midnight)
	Issuer        string    `json:"issuer"`                   // cơ quan cấp
	HolderID      string    `json:"holder_id"`                // CCCD, mã số thuế or mã định danh
	HolderName    string    `json:"holder_name"`              // tên chủ hồ sơ
	Summary       string    `json:"summary,omitempty"`        // trích yếu nội dung
	ValidUntil    time.Time `json:"valid_until,omitzero"`     // thời hạn hiệu lực; zero when open-ended
	ValidityScope string    `json:"validity_scope,omitempty"` // phạm vi hiệu lực
	ProcedureCode string    `json:"procedure_code,omitempty"` // mã thủ tục hành chính
	DossierCode   string    `json:"dossier_code,omitempty"`   // mã hồ sơ
	// ResultTypeCode is the result's type in the national procedure
	// catalogue (mã kết quả), such as KQ.G15.000031. With Number and
	// HolderID it identifies a result across systems.
	ResultTypeCode string `json:"result_type_code,omitempty"`
	// ScannedBy is the person who scanned the paper (người quét): the
	// manifest's scanned_by column, else the clerk who uploaded the batch;
	// empty when neither names a person (an administrator's upload).
	ScannedBy string `json:"scanned_by,omitempty"`
	// ScannedAt is when the paper was scanned (thời điểm quét), as the page
	// files say, or the upload time when they say nothing; ScannedAtFrom
	// says which (ScanTimeEXIF, ScanTimeTIFF, ScanTimePDF, ScanTimeUpload).
	ScannedAt     time.Time `json:"scanned_at,omitzero"`
	ScannedAtFrom string    `json:"scanned_at_from,omitempty"`
}

// Where [Metadata.ScannedAt] comes from.
const (
	ScanTimeEXIF   = "exif"   // a JPEG page's EXIF DateTimeOriginal (or IFD0 DateTime)
	ScanTimeTIFF   = "tiff"   // a TIFF page's DateTime tag (306)
	ScanTimePDF    = "pdf"    // a scanner's PDF's /CreationDate
	ScanTimeUpload = "upload" // no page file says: the time the batch was uploaded
)

// Record is one digitised result: a paper document, its scanned pages and,
// once the pipeline is done, its signed PDF.
type Record struct {
	ID      string `json:"id"`
	BatchID string `json:"batch_id"`
	// ResultCode is the record's unique, stable result code (mã kết quả
	// điện tử): <dossier code>-KQ<nn>, or <agency>-<year>-<nnnnnn> when it
	// names no dossier. The catalog assigns it when it creates the record;
	// see [ResultCodeScope].
	ResultCode string `json:"result_code"`
	Agency     string `json:"agency,omitempty"` // the agency that digitised it
	Row        int    `json:"row"`              // manifest row (1 is the header)
	Status     Status `json:"status"`
	Reason     string `json:"reason,omitempty"` // why it failed or waits, for the clerk
	// ReasonField is the metadata field (manifest column) Reason is about,
	// such as "issued_on"; empty when it names none.
	ReasonField string   `json:"reason_field,omitempty"`
	Meta        Metadata `json:"metadata"`
	Pages       []Page   `json:"pages,omitempty"`
	Unsigned    Ref      `json:"-"`                // assembled PDF before signing
	Result      Ref      `json:"result,omitempty"` // the signed PDF
	// ResultVersion is the blob store's version ID of Result, where the
	// store keeps versions (S3 Object Lock); reads go to that version.
	ResultVersion string `json:"result_version,omitempty"`
	Size          int64  `json:"size,omitempty"` // bytes of Result
	// ResultTrustedUntil is until when the newest time-stamp of Result
	// keeps it trustworthy (the end of its TSA certificate or algorithms):
	// the renewal adds a new document time-stamp a margin before. Whoever
	// sets Result sets it too; zero when not known, and then the next
	// renewal reads Result and fills it in.
	ResultTrustedUntil time.Time `json:"-"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
}

// Page is one scanned image of a record, in physical order.
type Page struct {
	N          int     `json:"n"`        // 1-based position
	Name       string  `json:"name"`     // file name the clerk sent
	Original   Ref     `json:"original"` // bytes as received, kept forever
	Normalised Ref     `json:"-"`        // bytes after normalisation
	Format     string  `json:"format,omitempty"`
	Width      int     `json:"width,omitempty"`
	Height     int     `json:"height,omitempty"`
	DPI        float64 `json:"dpi,omitempty"` // horizontal; 0 when the scan declares none
	DPIY       float64 `json:"dpi_y,omitempty"`
	BlackIs1   bool    `json:"-"`               // CCITT G4 pages: 1 bits are black
	Notes      string  `json:"notes,omitempty"` // for the clerk: blank page, deskewed, resampled
	// Thumb and Preview are JPEG copies of the normalised page for
	// screens (about 200 and 1000 pixels on the long side), made once at
	// ingest; empty for pages normalised before they were made. Served by
	// page number, never by address.
	Thumb   Ref `json:"-"`
	Preview Ref `json:"-"`
}

// Batch is a pile of documents a clerk sent together.
type Batch struct {
	ID        string    `json:"id"`
	Agency    string    `json:"agency,omitempty"`
	CreatedBy string    `json:"created_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// BatchSummary counts a batch's records by status.
type BatchSummary struct {
	Batch
	Total  int            `json:"total"`
	Counts map[Status]int `json:"counts"`
}

// BatchQuery selects batches for [CatalogReader.Batches].
type BatchQuery struct {
	// Agencies are the agencies whose batches are listed; none lists every
	// agency's.
	Agencies []string
	// Before, when set, lists only the batches whose ID sorts before it:
	// the next page after a batch. IDs sort by creation time.
	Before string
	// Limit is how many batches at most; 0 means 50.
	Limit int
}

// Done reports whether every record of the batch is final.
func (s BatchSummary) Done() bool {
	return s.Counts[StatusAvailable]+s.Counts[StatusFailed]+s.Counts[StatusNeedsMetadata] == s.Total
}

// MaxCorrectionReason bounds the reason of a correction, in characters.
const MaxCorrectionReason = 500

// Correction is one change of an available record's metadata by a person,
// after it was signed: the signed PDF keeps the values it was signed with,
// the record shows the corrected ones. Corrections of a record are
// numbered from 1 in order.
type Correction struct {
	RecordID        string    `json:"record_id"`
	Seq             int       `json:"seq"`
	CorrectedBy     string    `json:"corrected_by"`      // the user's ID
	CorrectedByName string    `json:"corrected_by_name"` // the user's name then
	CorrectedAt     time.Time `json:"corrected_at"`
	Reason          string    `json:"reason"`
	Before          Metadata  `json:"before"`
	After           Metadata  `json:"after"`
}

// Role is what a token holder may do.
type Role string

// Roles.
const (
	RoleAdmin   Role = "admin"
	RoleClerk   Role = "clerk"
	RoleHandler Role = "handler"
	RoleCitizen Role = "citizen"
	RoleAuditor Role = "auditor"
)

// User is someone holding an API token. The catalog keeps only the token's
// SHA-256, never the token.
type User struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	Agency    string    `json:"agency,omitempty"`
	HolderID  string    `json:"holder_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	// DisabledAt is when an administrator disabled the user; zero while
	// enabled. A disabled user's tokens and sessions are refused.
	DisabledAt time.Time `json:"disabled_at,omitzero"`
}

// Disabled reports whether u may no longer act.
func (u User) Disabled() bool { return !u.DisabledAt.IsZero() }
