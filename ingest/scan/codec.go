package scan

import (
	"bytes"
	"image"
	"image/jpeg"
)

// codec decodes and encodes JPEG. The pure-Go one is the default; a build
// with the turbojpeg tag uses libjpeg-turbo through cgo instead.
type codec interface {
	decode(data []byte) (image.Image, error)
	encode(img image.Image, quality int) ([]byte, error)
}

// stdCodec is the standard library's image/jpeg.
type stdCodec struct{}

func (stdCodec) decode(data []byte) (image.Image, error) {
	return jpeg.Decode(bytes.NewReader(data))
}

func (stdCodec) encode(img image.Image, quality int) ([]byte, error) {
	var buf bytes.Buffer
	err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality})
	return buf.Bytes(), err
}
