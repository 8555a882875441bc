package jpegenc

import "encoding/binary"

// quantise rounds the DCT outputs ws (natural order, scaled as fdctQuant
// leaves them) times the divisors div (zigzag order) and stores them in
// zigzag order in out, as 16-bit little-endian integers. It returns the
// bitmap of the non-zero ones (see nonZeroMask). It is unrolled so that
// every index is a constant.
func quantise(ws *[64]float32, div *[64]float32, out *[128]byte) uint64 {
	le := binary.LittleEndian
	le.PutUint16(out[0:], uint16(roundQ(ws[0]*div[0])))
	le.PutUint16(out[2:], uint16(roundQ(ws[1]*div[1])))
	le.PutUint16(out[4:], uint16(roundQ(ws[8]*div[2])))
	le.PutUint16(out[6:], uint16(roundQ(ws[16]*div[3])))
	le.PutUint16(out[8:], uint16(roundQ(ws[9]*div[4])))
	le.PutUint16(out[10:], uint16(roundQ(ws[2]*div[5])))
	le.PutUint16(out[12:], uint16(roundQ(ws[3]*div[6])))
	le.PutUint16(out[14:], uint16(roundQ(ws[10]*div[7])))
	le.PutUint16(out[16:], uint16(roundQ(ws[17]*div[8])))
	le.PutUint16(out[18:], uint16(roundQ(ws[24]*div[9])))
	le.PutUint16(out[20:], uint16(roundQ(ws[32]*div[10])))
	le.PutUint16(out[22:], uint16(roundQ(ws[25]*div[11])))
	le.PutUint16(out[24:], uint16(roundQ(ws[18]*div[12])))
	le.PutUint16(out[26:], uint16(roundQ(ws[11]*div[13])))
	le.PutUint16(out[28:], uint16(roundQ(ws[4]*div[14])))
	le.PutUint16(out[30:], uint16(roundQ(ws[5]*div[15])))
	le.PutUint16(out[32:], uint16(roundQ(ws[12]*div[16])))
	le.PutUint16(out[34:], uint16(roundQ(ws[19]*div[17])))
	le.PutUint16(out[36:], uint16(roundQ(ws[26]*div[18])))
	le.PutUint16(out[38:], uint16(roundQ(ws[33]*div[19])))
	le.PutUint16(out[40:], uint16(roundQ(ws[40]*div[20])))
	le.PutUint16(out[42:], uint16(roundQ(ws[48]*div[21])))
	le.PutUint16(out[44:], uint16(roundQ(ws[41]*div[22])))
	le.PutUint16(out[46:], uint16(roundQ(ws[34]*div[23])))
	le.PutUint16(out[48:], uint16(roundQ(ws[27]*div[24])))
	le.PutUint16(out[50:], uint16(roundQ(ws[20]*div[25])))
	le.PutUint16(out[52:], uint16(roundQ(ws[13]*div[26])))
	le.PutUint16(out[54:], uint16(roundQ(ws[6]*div[27])))
	le.PutUint16(out[56:], uint16(roundQ(ws[7]*div[28])))
	le.PutUint16(out[58:], uint16(roundQ(ws[14]*div[29])))
	le.PutUint16(out[60:], uint16(roundQ(ws[21]*div[30])))
	le.PutUint16(out[62:], uint16(roundQ(ws[28]*div[31])))
	le.PutUint16(out[64:], uint16(roundQ(ws[35]*div[32])))
	le.PutUint16(out[66:], uint16(roundQ(ws[42]*div[33])))
	le.PutUint16(out[68:], uint16(roundQ(ws[49]*div[34])))
	le.PutUint16(out[70:], uint16(roundQ(ws[56]*div[35])))
	le.PutUint16(out[72:], uint16(roundQ(ws[57]*div[36])))
	le.PutUint16(out[74:], uint16(roundQ(ws[50]*div[37])))
	le.PutUint16(out[76:], uint16(roundQ(ws[43]*div[38])))
	le.PutUint16(out[78:], uint16(roundQ(ws[36]*div[39])))
	le.PutUint16(out[80:], uint16(roundQ(ws[29]*div[40])))
	le.PutUint16(out[82:], uint16(roundQ(ws[22]*div[41])))
	le.PutUint16(out[84:], uint16(roundQ(ws[15]*div[42])))
	le.PutUint16(out[86:], uint16(roundQ(ws[23]*div[43])))
	le.PutUint16(out[88:], uint16(roundQ(ws[30]*div[44])))
	le.PutUint16(out[90:], uint16(roundQ(ws[37]*div[45])))
	le.PutUint16(out[92:], uint16(roundQ(ws[44]*div[46])))
	le.PutUint16(out[94:], uint16(roundQ(ws[51]*div[47])))
	le.PutUint16(out[96:], uint16(roundQ(ws[58]*div[48])))
	le.PutUint16(out[98:], uint16(roundQ(ws[59]*div[49])))
	le.PutUint16(out[100:], uint16(roundQ(ws[52]*div[50])))
	le.PutUint16(out[102:], uint16(roundQ(ws[45]*div[51])))
	le.PutUint16(out[104:], uint16(roundQ(ws[38]*div[52])))
	le.PutUint16(out[106:], uint16(roundQ(ws[31]*div[53])))
	le.PutUint16(out[108:], uint16(roundQ(ws[39]*div[54])))
	le.PutUint16(out[110:], uint16(roundQ(ws[46]*div[55])))
	le.PutUint16(out[112:], uint16(roundQ(ws[53]*div[56])))
	le.PutUint16(out[114:], uint16(roundQ(ws[60]*div[57])))
	le.PutUint16(out[116:], uint16(roundQ(ws[61]*div[58])))
	le.PutUint16(out[118:], uint16(roundQ(ws[54]*div[59])))
	le.PutUint16(out[120:], uint16(roundQ(ws[47]*div[60])))
	le.PutUint16(out[122:], uint16(roundQ(ws[55]*div[61])))
	le.PutUint16(out[124:], uint16(roundQ(ws[62]*div[62])))
	le.PutUint16(out[126:], uint16(roundQ(ws[63]*div[63])))
	return nonZeroMask(out)
}

// nonZeroMask returns the bitmap of the non-zero coefficients of out:
// bit k is set when coefficient k is not 0. It tests four coefficients
// in a 64-bit word at once: bit 15 of a 16-bit lane ends up set when the
// lane is not 0, and a multiplication gathers the lanes' bits of two
// words into 8 consecutive bits (their products land on distinct bits,
// so nothing carries).
func nonZeroMask(out *[128]byte) uint64 {
	const (
		low15 = 0x7fff7fff7fff7fff
		high  = 0x8000800080008000
		// Lane j of the first word, at bit 16j, goes to bit 45+j; lane
		// j of the second, at bit 16j+4, to bit 49+j.
		gather = 1<<45 | 1<<30 | 1<<15 | 1
	)
	le := binary.LittleEndian
	var m uint64
	for i := 0; i < 8; i++ {
		a := le.Uint64(out[16*i:])
		b := le.Uint64(out[16*i+8:])
		a = (a&low15 + low15 | a) & high
		b = (b&low15 + low15 | b) & high
		m |= ((a>>15 | b>>11) * gather >> 45 & 0xff) << (8 * i)
	}
	return m
}
