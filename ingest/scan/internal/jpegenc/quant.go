package jpegenc

// unscaledQuant are the base quantisation tables of image/jpeg (Annex K.1
// of the standard) in zigzag order: luminance, then chrominance.
var unscaledQuant = [2][64]byte{
	{
		16, 11, 12, 14, 12, 10, 16, 14,
		13, 14, 18, 17, 16, 19, 24, 40,
		26, 24, 22, 22, 24, 49, 35, 37,
		29, 40, 58, 51, 61, 60, 57, 51,
		56, 55, 64, 72, 92, 78, 64, 68,
		87, 69, 55, 56, 80, 109, 81, 87,
		95, 98, 103, 104, 103, 62, 77, 113,
		121, 112, 100, 120, 92, 101, 103, 99,
	},
	{
		17, 18, 18, 24, 21, 24, 47, 26,
		26, 47, 99, 66, 56, 66, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99,
	},
}

// unzig maps a zigzag index to the natural (row-major) index in a block.
var unzig = [64]uint8{
	0, 1, 8, 16, 9, 2, 3, 10,
	17, 24, 32, 25, 18, 11, 4, 5,
	12, 19, 26, 33, 40, 48, 41, 34,
	27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36,
	29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46,
	53, 60, 61, 54, 47, 55, 62, 63,
}

// aanScale are the scale factors of the AAN DCT outputs (jfdctflt.c):
// aanScale[0] = 1 and aanScale[k] = cos(k*pi/16) * sqrt(2).
var aanScale = [8]float64{
	1.0, 1.387039845, 1.306562965, 1.175875602,
	1.0, 0.785694958, 0.541196100, 0.275899379,
}

// clampQuality brings quality into 1..100 as image/jpeg does.
func clampQuality(quality int) int {
	return min(max(quality, 1), 100)
}

// scaleQuant returns the quantisation tables, in zigzag order, for quality
// (1..100), scaled exactly as image/jpeg scales them.
func scaleQuant(quality int) [2][64]byte {
	var scale int
	if quality < 50 {
		scale = 5000 / quality
	} else {
		scale = 200 - quality*2
	}
	var q [2][64]byte
	for i := range q {
		for j := range q[i] {
			x := (int(unscaledQuant[i][j])*scale + 50) / 100
			q[i][j] = uint8(min(max(x, 1), 255))
		}
	}
	return q
}

// divisors returns the reciprocal quantisation table, in zigzag order,
// that turns an output of fdctQuant's transform into a quantised
// coefficient by one multiplication: it folds in the AAN scale factors
// and the DCT's factor of 8, as libjpeg's jcdctmgr.c does for the float
// DCT.
func divisors(q *[64]byte) [64]float32 {
	var d [64]float32
	for z, n := range unzig {
		row, col := n/8, n%8
		d[z] = float32(1 / (float64(q[z]) * aanScale[row] * aanScale[col] * 8))
	}
	return d
}
