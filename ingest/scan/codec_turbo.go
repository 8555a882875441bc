//go:build turbojpeg && cgo

package scan

/*
#cgo LDFLAGS: -lturbojpeg
#include <stdlib.h>
#include <turbojpeg.h>

static int dec_planes(tjhandle h, const unsigned char *src, unsigned long n,
		unsigned char *y, unsigned char *cb, unsigned char *cr,
		int w, int ys, int cs, int hh, int flags) {
	unsigned char *planes[3] = {y, cb, cr};
	int strides[3] = {ys, cs, cs};
	return tjDecompressToYUVPlanes(h, src, n, planes, w, strides, hh, flags);
}

static int enc_planes(tjhandle h, const unsigned char *y, const unsigned char *cb, const unsigned char *cr,
		int w, int ys, int cs, int hh, int subsamp, unsigned char **out, unsigned long *size, int q, int flags) {
	const unsigned char *planes[3] = {y, cb, cr};
	int strides[3] = {ys, cs, cs};
	return tjCompressFromYUVPlanes(h, planes, w, strides, hh, subsamp, out, size, q, flags);
}
*/
import "C"

import (
	"errors"
	"image"
	"unsafe"
)

// jpegCodec is the JPEG codec in use: libjpeg-turbo through cgo, with the
// standard library for what it does not map (CMYK, 4:1:1 sampling).
var jpegCodec codec = turboCodec{}

// CodecName names the JPEG codec compiled in: "go" or "turbojpeg".
const CodecName = "turbojpeg"

// turboCodec decodes to and encodes from YCbCr planes or gray directly, so
// that no colour conversion happens on the way through.
type turboCodec struct{}

// flags make warnings (a truncated file) errors and bound progressive
// scans, like the standard decoder's refusals.
const tjFlags = C.TJFLAG_STOPONWARNING | C.TJFLAG_LIMITSCANS

// subsampling maps TurboJPEG's sampling to the image package's.
var subsampling = map[C.int]image.YCbCrSubsampleRatio{
	C.TJSAMP_444: image.YCbCrSubsampleRatio444, C.TJSAMP_422: image.YCbCrSubsampleRatio422,
	C.TJSAMP_420: image.YCbCrSubsampleRatio420, C.TJSAMP_440: image.YCbCrSubsampleRatio440,
}

func tjError(h C.tjhandle) error { return errors.New("turbojpeg: " + C.GoString(C.tjGetErrorStr2(h))) }

func (turboCodec) decode(data []byte) (image.Image, error) {
	if len(data) == 0 {
		return nil, errors.New("turbojpeg: empty")
	}
	h := C.tjInitDecompress()
	defer C.tjDestroy(h)
	src, n := (*C.uchar)(unsafe.Pointer(&data[0])), C.ulong(len(data))
	var w, hh, samp, cs C.int
	if C.tjDecompressHeader3(h, src, n, &w, &hh, &samp, &cs) != 0 {
		return stdCodec{}.decode(data) // let the standard decoder name the fault
	}
	if samp == C.TJSAMP_GRAY {
		img := image.NewGray(image.Rect(0, 0, int(w), int(hh)))
		if C.tjDecompress2(h, src, n, (*C.uchar)(&img.Pix[0]), w, C.int(img.Stride), hh, C.TJPF_GRAY, tjFlags) != 0 {
			return nil, tjError(h)
		}
		return img, nil
	}
	ratio, ok := subsampling[samp]
	if !ok || cs != C.TJCS_YCbCr {
		return stdCodec{}.decode(data)
	}
	img := image.NewYCbCr(image.Rect(0, 0, int(w), int(hh)), ratio)
	if C.dec_planes(h, src, n, (*C.uchar)(&img.Y[0]), (*C.uchar)(&img.Cb[0]), (*C.uchar)(&img.Cr[0]),
		w, C.int(img.YStride), C.int(img.CStride), hh, tjFlags) != 0 {
		return nil, tjError(h)
	}
	return img, nil
}

func (turboCodec) encode(img image.Image, quality int) ([]byte, error) {
	h := C.tjInitCompress()
	defer C.tjDestroy(h)
	var out *C.uchar
	var size C.ulong
	var rc C.int
	b := img.Bounds()
	w, hh := C.int(b.Dx()), C.int(b.Dy())
	q := C.int(quality)
	switch m := img.(type) {
	case *image.Gray:
		rc = C.tjCompress2(h, (*C.uchar)(&m.Pix[0]), w, C.int(m.Stride), hh, C.TJPF_GRAY, &out, &size, C.TJSAMP_GRAY, q, 0)
	case *image.YCbCr:
		samp := C.int(-1)
		for k, v := range subsampling {
			if v == m.SubsampleRatio {
				samp = k
			}
		}
		if samp < 0 || b.Min != (image.Point{}) {
			return stdCodec{}.encode(img, quality)
		}
		rc = C.enc_planes(h, (*C.uchar)(&m.Y[0]), (*C.uchar)(&m.Cb[0]), (*C.uchar)(&m.Cr[0]),
			w, C.int(m.YStride), C.int(m.CStride), hh, samp, &out, &size, q, 0)
	case *image.RGBA:
		rc = C.tjCompress2(h, (*C.uchar)(&m.Pix[0]), w, C.int(m.Stride), hh, C.TJPF_RGBX, &out, &size, C.TJSAMP_420, q, 0)
	default:
		return stdCodec{}.encode(img, quality)
	}
	if rc != 0 {
		return nil, tjError(h)
	}
	defer C.tjFree(out)
	return C.GoBytes(unsafe.Pointer(out), C.int(size)), nil
}
