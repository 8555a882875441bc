package signing

import (
	"crypto"
	"encoding/asn1"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"time"

	"github.com/digitorus/timestamp"
)

// DevTSAPolicy is the policy the time-stamp server made by [NewTSA] puts in its tokens. It
// sits under 2.999, the arc ITU-T X.660 reserves for examples: a development policy
// nobody will mistake for a real one.
var DevTSAPolicy = asn1.ObjectIdentifier{2, 999, 3161, 1}

// Media types of RFC 3161 over HTTP.
const (
	timestampQueryType = "application/timestamp-query"
	timestampReplyType = "application/timestamp-reply"
	maxTimestampQuery  = 64 << 10
)

// tsa is the http.Handler returned by NewTSA.
type tsa struct {
	id    *Identity
	clock func() time.Time
}

// NewTSA returns an RFC 3161 time-stamp server: POST a DER TimeStampReq with content type
// application/timestamp-query, get a DER TimeStampResp with content type
// application/timestamp-reply. Tokens are signed by id with SHA-256, carry the time from
// clock (nil means time.Now), policy [DevTSAPolicy], the request's nonce, a random
// 160-bit serial number, and id's certificate and chain when the request asks for
// certificates. Requests with SHA-1 imprints, other policies or extensions are answered
// with status rejection. id's certificate should be a TSA certificate (critical
// timeStamping extended key usage), such as [DevIdentity.TSA].
//
// The CMS signing-time attribute inside each token comes from the system clock
// (github.com/digitorus/pkcs7 sets it), not from clock.
func NewTSA(id *Identity, clock func() time.Time) (http.Handler, error) {
	if err := id.validate(); err != nil {
		return nil, fmt.Errorf("signing: new tsa: %w", err)
	}
	if clock == nil {
		clock = time.Now
	}
	return &tsa{id: id, clock: clock}, nil
}

// ServeHTTP answers one time-stamp request.
func (t *tsa) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST a time-stamp query", http.StatusMethodNotAllowed)
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != timestampQueryType {
		http.Error(w, "content type must be "+timestampQueryType, http.StatusUnsupportedMediaType)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxTimestampQuery))
	if err != nil {
		http.Error(w, "reading query: "+err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	resp, err := t.respond(body)
	if err != nil {
		http.Error(w, "time-stamp: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", timestampReplyType)
	_, _ = w.Write(resp)
}

// respond returns the DER TimeStampResp for a DER TimeStampReq: a token, or a rejection
// for a request this TSA does not serve.
func (t *tsa) respond(query []byte) ([]byte, error) {
	req, err := timestamp.ParseRequest(query)
	if err != nil {
		return timestamp.CreateErrorResponse(timestamp.Rejection, timestamp.BadDataFormat)
	}
	if failure, ok := t.refuse(req); ok {
		return timestamp.CreateErrorResponse(timestamp.Rejection, failure)
	}
	ts := &timestamp.Timestamp{
		HashAlgorithm:     req.HashAlgorithm,
		HashedMessage:     req.HashedMessage,
		Time:              t.clock().UTC(),
		Accuracy:          time.Second,
		Policy:            DevTSAPolicy,
		Nonce:             req.Nonce,
		AddTSACertificate: req.Certificates,
		Certificates:      t.id.Chain,
	}
	return ts.CreateResponseWithOpts(t.id.Certificate, t.id.Signer, crypto.SHA256)
}

// refuse reports why req is rejected, if it is.
func (t *tsa) refuse(req *timestamp.Request) (timestamp.FailureInfo, bool) {
	switch {
	case !slices.Contains([]crypto.Hash{crypto.SHA256, crypto.SHA384, crypto.SHA512}, req.HashAlgorithm):
		return timestamp.BadAlgorithm, true
	case len(req.HashedMessage) != req.HashAlgorithm.Size():
		return timestamp.BadDataFormat, true
	case req.TSAPolicyOID != nil && !req.TSAPolicyOID.Equal(DevTSAPolicy):
		return timestamp.UnacceptedPolicy, true
	case len(req.Extensions) > 0:
		return timestamp.UnacceptedExtension, true
	}
	return 0, false
}
