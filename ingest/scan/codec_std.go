//go:build !turbojpeg

package scan

// jpegCodec is the JPEG codec in use: pure Go (stdCodec).
var jpegCodec codec = stdCodec{}

// CodecName names the JPEG codec compiled in: "go" or "turbojpeg".
const CodecName = "go"
