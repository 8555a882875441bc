//go:build !turbojpeg

package scan

// jpegCodec is the JPEG decoder in use: the standard library's.
var jpegCodec codec = stdCodec{}

// CodecName names the JPEG codec compiled in: "go" or "turbojpeg".
const CodecName = "go"
