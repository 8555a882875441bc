package archive

import "time"

// Share is a citizen's grant: one agency may see one of their records, for
// one dossier, until a date, unless revoked first.
type Share struct {
	ID          string    `json:"id"`
	RecordID    string    `json:"record_id"`
	HolderID    string    `json:"holder_id"` // who granted it: the record's holder
	Agency      string    `json:"agency"`    // who may see it
	DossierCode string    `json:"dossier_code"`
	Until       time.Time `json:"until"`
	CreatedAt   time.Time `json:"created_at"`
	RevokedAt   time.Time `json:"revoked_at,omitzero"`
}

// Active reports whether the share grants access at now.
func (s Share) Active(now time.Time) bool {
	return s.RevokedAt.IsZero() && now.Before(s.Until)
}

// Validity of a result.
const (
	ValidityValid   = "valid"
	ValidityExpired = "expired"
)

// Validity tells whether r's result is still valid at now: a result whose
// validity has ended is marked expired, never deleted.
func (r *Record) Validity(now time.Time) string {
	if !r.Meta.ValidUntil.IsZero() && now.After(r.Meta.ValidUntil.Add(24*time.Hour)) {
		return ValidityExpired
	}
	return ValidityValid
}

// Scope is what a user may see. Admins and auditors see everything; a
// clerk or handler sees their agency's records and those shared with it; a
// citizen sees the records whose holder is them.
type Scope struct {
	All       bool
	Agency    string   // records ingested by this agency
	HolderID  string   // records held by this person or organisation
	RecordIDs []string // records shared with Agency
}

// Sees reports whether a record of agency and holderID is in scope.
func (s Scope) Sees(id, agency, holderID string) bool {
	switch {
	case s.All:
		return true
	case s.Agency != "" && agency == s.Agency:
		return true
	case s.HolderID != "" && holderID == s.HolderID:
		return true
	}
	for _, r := range s.RecordIDs {
		if r == id {
			return true
		}
	}
	return false
}

// AuditEvent is one entry of the append-only audit log. Entries form a hash
// chain: Hash is the SHA-256 of PrevHash and the entry's fields (see
// AuditHash), so changing or removing any entry breaks every later hash.
type AuditEvent struct {
	Seq      int64     `json:"seq"`
	Time     time.Time `json:"time"`
	Actor    string    `json:"actor"` // user ID, or "" for the public
	Role     Role      `json:"role,omitempty"`
	Action   string    `json:"action"` // ingest, view, download, copy, share, revoke, denied, ...
	Object   string    `json:"object,omitempty"`
	Outcome  string    `json:"outcome"` // ok or denied
	Detail   string    `json:"detail,omitempty"`
	PrevHash string    `json:"prev_hash"`
	Hash     string    `json:"hash"`
}

// AuditCheckpoint is the agency's signature over the chain up to Seq. The
// newest checkpoint is also kept outside the catalog, as an anchor in the
// blob store (see Auditor).
type AuditCheckpoint struct {
	// Format is 2 for a checkpoint whose signature covers Seq, Hash, Prev
	// and Time; 1 (written before anchors existed) covers Seq and Hash.
	Format      int       `json:"format"`
	Seq         int64     `json:"seq"`
	Hash        string    `json:"hash"` // the Hash of entry Seq
	Prev        int64     `json:"prev"` // Seq of the checkpoint before, 0 for the first (format 2)
	Time        time.Time `json:"time"`
	Signature   []byte    `json:"signature"`   // over Digest()
	Certificate []byte    `json:"certificate"` // DER of the signer
	// Timestamp is an RFC 3161 token over Signature from the agency's
	// time-stamp authority; nil when none answered.
	Timestamp []byte `json:"timestamp,omitempty"`
}
