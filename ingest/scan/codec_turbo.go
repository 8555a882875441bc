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
*/
import "C"

import (
	"errors"
	"image"
	"unsafe"
)

// jpegCodec is the JPEG decoder in use: libjpeg-turbo through cgo, with
// the standard library for what it does not map (CMYK, 4:1:1 sampling).
var jpegCodec codec = turboCodec{}

// CodecName names the JPEG codec compiled in: "go" or "turbojpeg".
const CodecName = "turbojpeg"

// turboCodec decodes to YCbCr planes or gray directly, so that no colour
// conversion happens on the way through.
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
