package scan

import (
	"errors"
	"fmt"
)

// Sentinel errors callers branch on with errors.Is. Each refusal from
// Pages and Normalise is an *Error wrapping exactly one of them.
var (
	// ErrUnsupported reports a file that is not a JPEG, PNG, TIFF or PDF,
	// or a variant the decoders cannot read (12-bit or arithmetic-coded
	// JPEG, old-style JPEG in TIFF, a PDF page that is not one image).
	ErrUnsupported = errors.New("scan: unsupported image format")
	// ErrTooLarge reports an image whose header declares more pixels than
	// Options.MaxPixels, or a file with more pages than Options.MaxPages.
	ErrTooLarge = errors.New("scan: image too large")
	// ErrCorrupt reports an empty, truncated or otherwise undecodable image.
	ErrCorrupt = errors.New("scan: image corrupt")
)

// Error is a refusal of one page. Its Error text starts with the message
// for the records clerk (Vietnamese, then English) and ends with the
// technical cause in parentheses.
type Error struct {
	Kind error  // ErrUnsupported, ErrTooLarge or ErrCorrupt
	Vi   string // message for the clerk, in Vietnamese
	En   string // the same message in English
	Err  error  // technical cause; may be nil
}

// Message returns the bilingual message for the clerk, without the
// technical cause.
func (e *Error) Message() string { return e.Vi + " / " + e.En }

// Error returns the bilingual message followed by the technical cause.
func (e *Error) Error() string {
	if e.Err == nil {
		return e.Message()
	}
	return e.Message() + " (" + e.Err.Error() + ")"
}

// Unwrap returns the sentinel and the technical cause, so that errors.Is
// and errors.As see both.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

func errUnsupportedFormat(name string) error {
	if name == "" {
		return &Error{
			Kind: ErrUnsupported,
			Vi:   "tệp không phải là ảnh JPEG, PNG, TIFF hoặc PDF ảnh quét, hãy quét lại dưới dạng JPEG, PNG, TIFF hoặc PDF",
			En:   "file is not a JPEG, PNG, TIFF or scanned-image PDF, rescan it as JPEG, PNG, TIFF or PDF",
		}
	}
	return &Error{
		Kind: ErrUnsupported,
		Vi:   fmt.Sprintf("định dạng tệp %s không được hỗ trợ, hãy quét lại dưới dạng JPEG, PNG, TIFF hoặc PDF", name),
		En:   fmt.Sprintf("file format %s is not supported, rescan it as JPEG, PNG, TIFF or PDF", name),
	}
}

func errUnsupportedVariant(f Format, cause error) error {
	return &Error{
		Kind: ErrUnsupported,
		Vi:   fmt.Sprintf("kiểu mã hoá %s này không được hỗ trợ, hãy quét lại trang này với cài đặt %s thông thường (8 bit)", f.label(), f.label()),
		En:   fmt.Sprintf("this %s encoding is not supported, rescan this page with ordinary %s settings (8-bit)", f.label(), f.label()),
		Err:  cause,
	}
}

func errTooLarge(w, h int, limit int64) error {
	return &Error{
		Kind: ErrTooLarge,
		Vi: fmt.Sprintf("ảnh quá lớn (%d×%d điểm ảnh, tối đa %d điểm ảnh), hãy quét lại trang này ở độ phân giải 200–300 dpi",
			w, h, limit),
		En: fmt.Sprintf("image is too large (%d×%d pixels, limit %d pixels), rescan this page at 200–300 dpi",
			w, h, limit),
	}
}

func errCorrupt(f Format, cause error) error {
	return &Error{
		Kind: ErrCorrupt,
		Vi:   fmt.Sprintf("ảnh %s bị hỏng hoặc bị cắt cụt, hãy quét lại trang này", f.label()),
		En:   fmt.Sprintf("%s image is corrupt or truncated, rescan this page", f.label()),
		Err:  cause,
	}
}

func errEmpty() error {
	return &Error{
		Kind: ErrCorrupt,
		Vi:   "tệp trống, không có ảnh nào, hãy quét lại trang này",
		En:   "file is empty, there is no image, rescan this page",
	}
}

func errTooManyPages(n, limit int) error {
	return &Error{
		Kind: ErrTooLarge,
		Vi:   fmt.Sprintf("tệp có ít nhất %d trang (tối đa %d trang một tài liệu), hãy tách tài liệu thành nhiều tệp", n, limit),
		En:   fmt.Sprintf("file has at least %d pages (limit %d pages a document), split the document into several files", n, limit),
	}
}

// errNotImage refuses a variant with a reason the clerk can act on; what
// says what was found, in both languages.
func errNotImage(f Format, vi, en string, cause error) error {
	return &Error{
		Kind: ErrUnsupported,
		Vi:   fmt.Sprintf("tệp %s: %s, hãy quét lại tài liệu dưới dạng ảnh JPEG, PNG hoặc TIFF", f.label(), vi),
		En:   fmt.Sprintf("%s file: %s, rescan the document as JPEG, PNG or TIFF images", f.label(), en),
		Err:  cause,
	}
}

// atPage adds the page number to a refusal from a multi-page file.
func atPage(err error, n int) error {
	e, ok := err.(*Error)
	if !ok || n <= 0 {
		return err
	}
	c := *e
	c.Vi = fmt.Sprintf("trang %d: %s", n, e.Vi)
	c.En = fmt.Sprintf("page %d: %s", n, e.En)
	return &c
}
