package scan

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"

	"github.com/khoso-vn/khoso/ingest/scan/internal/jpegenc"
)

// codec decodes JPEG. The pure-Go one is the default; a build with the
// turbojpeg tag uses libjpeg-turbo through cgo instead. Encoding is the
// same in both builds (encodePixels).
type codec interface {
	decode(data []byte) (image.Image, error)
}

// stdCodec is the standard library's image/jpeg.
type stdCodec struct{}

func (stdCodec) decode(data []byte) (image.Image, error) {
	return jpeg.Decode(bytes.NewReader(data))
}

// encodePixels encodes img with package jpegenc (several times faster than
// image/jpeg, with Huffman tables optimised for each page, about a sixth
// smaller than TurboJPEG 2.1's standard tables on deskewed pages), and
// with image/jpeg what jpegenc does not take.
func encodePixels(img image.Image, quality int) ([]byte, error) {
	out, err := jpegenc.Encode(img, quality)
	if !errors.Is(err, jpegenc.ErrUnsupported) {
		return out, err
	}
	var buf bytes.Buffer
	err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality})
	return buf.Bytes(), err
}
