package scan

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"

	"github.com/khoso-vn/khoso/ingest/scan/internal/jpegenc"
)

// codec decodes and encodes JPEG. The pure-Go one is the default; a build
// with the turbojpeg tag uses libjpeg-turbo through cgo instead.
type codec interface {
	decode(data []byte) (image.Image, error)
	encode(img image.Image, quality int) ([]byte, error)
}

// stdCodec is pure Go: the standard library's image/jpeg decodes, and
// package jpegenc encodes (several times faster than image/jpeg, with
// Huffman tables optimised for each page), image/jpeg encoding only what
// jpegenc does not take.
type stdCodec struct{}

func (stdCodec) decode(data []byte) (image.Image, error) {
	return jpeg.Decode(bytes.NewReader(data))
}

func (stdCodec) encode(img image.Image, quality int) ([]byte, error) {
	out, err := jpegenc.Encode(img, quality)
	if !errors.Is(err, jpegenc.ErrUnsupported) {
		return out, err
	}
	var buf bytes.Buffer
	err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality})
	return buf.Bytes(), err
}
