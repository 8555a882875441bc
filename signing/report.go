package signing

import (
	"fmt"
	"strings"
	"time"
)

// Text renders the report for people, Vietnamese first then English on each line:
// every signature with its signer, level, time-stamp, chain and what each update after
// it changed. Problems are detailed in English.
func (r *Report) Text() string {
	var b strings.Builder
	switch {
	case r.Damaged:
		b.WriteString("Tài liệu KHÔNG hợp lệ: tệp bị hỏng / The document is NOT valid: the file is damaged\n")
		fmt.Fprintf(&b, "Lý do / Reason: %s\n", strings.TrimPrefix(r.Problem, damagedPrefix))
	case r.Valid:
		b.WriteString("Tài liệu hợp lệ / The document is valid\n")
	default:
		b.WriteString("Tài liệu KHÔNG hợp lệ / The document is NOT valid\n")
	}
	if r.Problem != "" && !r.Damaged {
		fmt.Fprintf(&b, "Lỗi / Problem: %s\n", r.Problem)
	}
	for i, s := range r.Signatures {
		kind := "Chữ ký / Signature"
		if s.DocumentTimestamp {
			kind = "Dấu thời gian tài liệu / Document time-stamp"
		}
		fmt.Fprintf(&b, "\n%s %d: %s", kind, i+1, s.Signer)
		if s.Organisation != "" {
			fmt.Fprintf(&b, " (%s)", s.Organisation)
		}
		b.WriteByte('\n')
		if s.Valid {
			b.WriteString("  Hợp lệ / Valid\n")
		} else {
			fmt.Fprintf(&b, "  Không hợp lệ / Not valid: %s\n", s.Problem)
		}
		writeLevel(&b, s)
		writePlace(&b, s)
		if s.DocMDP > 0 {
			fmt.Fprintf(&b, "  Chữ ký chứng thực, quyền %d / Certification signature, permission %d\n", s.DocMDP, s.DocMDP)
		}
		if s.Locked {
			b.WriteString("  Đã khóa tài liệu / Locked the document\n")
		}
		if s.Timestamped {
			fmt.Fprintf(&b, "  Thời điểm dấu thời gian / Time-stamp time: %s\n", s.TimestampTime.UTC().Format(time.RFC3339))
		}
		if len(s.Chain) > 0 {
			fmt.Fprintf(&b, "  Chuỗi chứng thư tới gốc tin cậy / Chain to the trust anchor: %s\n", strings.Join(s.Chain, " → "))
		}
		writeChanges(&b, s)
	}
	return b.String()
}

// changeVI names the kinds of change in Vietnamese.
var changeVI = map[string]string{
	ChangeSignature:         "thêm chữ ký",
	ChangeDocumentTimestamp: "thêm dấu thời gian tài liệu",
	ChangeValidationData:    "thêm dữ liệu kiểm tra (DSS)",
	ChangeSignatureField:    "điền trường chữ ký",
	ChangeFormField:         "điền biểu mẫu",
	ChangeMetadata:          "đổi siêu dữ liệu",
	ChangePage:              "ĐỔI NỘI DUNG TRANG",
	ChangeAnnotation:        "THÊM/ĐỔI CHÚ THÍCH",
	ChangeCatalog:           "ĐỔI CẤU TRÚC TÀI LIỆU",
	ChangeObject:            "THAY ĐỐI TƯỢNG",
	ChangeUnreadable:        "BYTE KHÔNG ĐỌC ĐƯỢC",
}

func writeChanges(b *strings.Builder, s SignatureInfo) {
	if s.CoversWholeFile {
		b.WriteString("  Không có thay đổi sau khi ký / Nothing was added after it\n")
		return
	}
	for _, c := range s.LaterChanges {
		verdict := "được phép / allowed"
		if !c.Allowed {
			verdict = "KHÔNG được phép / NOT allowed"
		}
		fmt.Fprintf(b, "  Lần cập nhật %d sau khi ký / Update %d after it: %s / %s — %s\n", c.Update, c.Update, changeVI[c.Kind], c.Detail, verdict)
	}
}

// writeLevel writes the PAdES level and, when it falls short of full revocation data,
// why.
func writeLevel(b *strings.Builder, s SignatureInfo) {
	if s.Level == "" {
		return
	}
	level := strings.TrimSuffix(s.Level, noRevocation)
	switch {
	case level != s.Level:
		fmt.Fprintf(b, "  Mức PAdES / PAdES level: %s — không có dữ liệu thu hồi: có chứng thư không ghi nơi kiểm tra thu hồi (CRL/OCSP) nên không thể kiểm tra / "+
			"without revocation data: a certificate names no CRL or OCSP responder, so whether it was revoked cannot be checked\n", level)
	case s.Revocation == RevocationMissing:
		fmt.Fprintf(b, "  Mức PAdES / PAdES level: %s — DSS thiếu dữ liệu thu hồi mà chứng thư chỉ ra / the DSS lacks revocation data a certificate names\n", level)
	default:
		fmt.Fprintf(b, "  Mức PAdES / PAdES level: %s\n", level)
	}
}
