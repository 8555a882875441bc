package searchbench

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/search"
)

// weighted is a value drawn with a relative weight.
type weighted struct {
	v string
	w int
}

// Family names with their approximate share of the population, in percent
// tenths.
var families = []weighted{
	{"Nguyễn", 380}, {"Trần", 110}, {"Lê", 95}, {"Phạm", 70}, {"Hoàng", 51}, {"Huỳnh", 50},
	{"Phan", 45}, {"Vũ", 39}, {"Võ", 35}, {"Đặng", 21}, {"Bùi", 20}, {"Đỗ", 14}, {"Hồ", 13},
	{"Ngô", 13}, {"Dương", 10}, {"Lý", 5}, {"Đinh", 5}, {"Trương", 5}, {"Lâm", 4}, {"Mai", 4},
	{"Đoàn", 4}, {"Trịnh", 3}, {"Cao", 3}, {"Lương", 3}, {"Tạ", 2}, {"Kiều", 1}, {"Quách", 1},
}

var (
	middleMale   = []string{"Văn", "Văn", "Văn", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Công", "Xuân", "Hoàng", "Đình"}
	middleFemale = []string{"Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Hồng", "Kim", "Bích", "Phương"}
	givenMale    = []string{"An", "Anh", "Bảo", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Đức", "Hải", "Hiếu",
		"Hoàng", "Hùng", "Huy", "Khải", "Khánh", "Khoa", "Kiên", "Lâm", "Long", "Lộc", "Minh", "Nam", "Nghĩa",
		"Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài", "Tâm", "Thắng", "Thành", "Thịnh", "Toàn", "Trung",
		"Tuấn", "Tùng", "Việt", "Vinh", "Vũ"}
	givenFemale = []string{"An", "Anh", "Ánh", "Châu", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng",
		"Hiền", "Hoa", "Hồng", "Huệ", "Hương", "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân",
		"Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Quỳnh", "Tâm", "Thảo", "Thu", "Thủy", "Trang", "Trinh",
		"Tuyết", "Uyên", "Vân", "Yến"}
	companyKinds = []string{"Công ty TNHH", "Công ty Cổ phần", "Doanh nghiệp tư nhân", "Hợp tác xã"}
	companyTrade = []string{"Xây dựng", "Thương mại", "Khai thác khoáng sản", "Thủy sản", "Vận tải",
		"Môi trường", "Đầu tư", "Nông nghiệp", "Dược phẩm", "Cơ khí"}
	companyName = []string{"Minh Phát", "Hoàng Long", "Thành Công", "Đại Việt", "Phú Thịnh", "An Khang",
		"Sao Mai", "Trường Sơn", "Hưng Thịnh", "Bình Minh", "Đông Á", "Tân Cảng", "Hòa Bình", "Phương Nam"}
)

// issuer is an issuing agency: its name and the code in document numbers,
// which is also its agency code.
type issuer struct{ name, code string }

var issuers = []issuer{
	{"Bộ Tài nguyên và Môi trường", "BTNMT"}, {"Bộ Xây dựng", "BXD"}, {"Bộ Công Thương", "BCT"},
	{"Bộ Y tế", "BYT"}, {"Bộ Giao thông vận tải", "BGTVT"}, {"Bộ Nông nghiệp và Phát triển nông thôn", "BNNPTNT"},
	{"UBND tỉnh Lâm Đồng", "UBND"}, {"UBND thành phố Hà Nội", "UBNDHN"}, {"UBND tỉnh Quảng Ninh", "UBNDQN"},
	{"Sở Tài nguyên và Môi trường Đồng Nai", "STNMT"}, {"Sở Xây dựng Thành phố Hồ Chí Minh", "SXD"},
	{"Sở Kế hoạch và Đầu tư Đà Nẵng", "SKHĐT"}, {"Cục Quản lý tài nguyên nước", "CQLTNN"},
	{"Tổng cục Địa chất và Khoáng sản", "TCĐCKS"}, {"Cục Kiểm soát ô nhiễm môi trường", "CKSONMT"},
}

// docType is a kind of result: its code, its name, the abbreviation in its
// numbers and a phrase for summaries.
type docType struct{ code, name, abbr, act string }

var docTypes = []docType{
	{"GP_KTNN", "Giấy phép khai thác nước dưới đất", "GP", "khai thác nước dưới đất"},
	{"GP_XT", "Giấy phép xả thải vào nguồn nước", "GP", "xả nước thải vào nguồn nước"},
	{"GP_MT", "Giấy phép môi trường", "GPMT", "vận hành công trình xử lý chất thải"},
	{"GP_XD", "Giấy phép xây dựng", "GPXD", "xây dựng công trình nhà ở"},
	{"GP_KTKS", "Giấy phép khai thác khoáng sản", "GP", "khai thác khoáng sản làm vật liệu xây dựng"},
	{"QD_PDDTM", "Quyết định phê duyệt báo cáo đánh giá tác động môi trường", "QĐ", "thực hiện dự án"},
	{"GCN_DKDN", "Giấy chứng nhận đăng ký doanh nghiệp", "GCN", "kinh doanh ngành nghề đã đăng ký"},
	{"GP_KDD", "Giấy phép kinh doanh dược", "GPKD", "kinh doanh thuốc"},
	{"GP_VT", "Giấy phép kinh doanh vận tải", "GPVT", "kinh doanh vận tải hành khách"},
	{"GCN_ATTP", "Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "GCN", "sản xuất thực phẩm"},
	{"GP_TNN", "Giấy phép thăm dò nước dưới đất", "GP", "thăm dò nước dưới đất"},
	{"GP_NK", "Giấy phép nhập khẩu", "GPNK", "nhập khẩu hàng hóa"},
}

var places = []string{"xã Tân Phú, huyện Đức Trọng", "phường Bến Nghé, Quận 1", "xã Hòa Phong, huyện Hòa Vang",
	"thị trấn Đông Anh", "phường Hạ Long, thành phố Hạ Long", "xã Phước Thiền, huyện Nhơn Trạch",
	"phường 7, thành phố Đà Lạt", "xã Long Thành, huyện Long Thành", "phường Cửa Đông, quận Hoàn Kiếm",
	"xã Quảng Điền, huyện Krông Ana"}

// procedures are procedure codes of the national procedure database.
var procedures = func() []string {
	out := make([]string, 40)
	for i := range out {
		out[i] = fmt.Sprintf("1.%06d", 4000+i*37)
	}
	return out
}()

var (
	firstIssued = time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	issuedDays  = 11 * 365
)

// Generator makes the records of one data set. The same seed and N make
// the same records in any order of calls.
type Generator struct {
	// Seed picks the data set.
	Seed uint64
	// N is the number of records; holders number N/2, so many hold several.
	N int
}

// Doc returns record i of the data set, 0 ≤ i < g.N, with its agency.
func (g Generator) Doc(i int) search.Doc {
	rng := rand.New(rand.NewPCG(g.Seed, uint64(i)))
	holder := rng.IntN(max(1, g.N/2))
	hid, hname := g.holder(holder)
	t := docTypes[rng.IntN(len(docTypes))]
	is := issuers[rng.IntN(len(issuers))]
	issued := firstIssued.AddDate(0, 0, rng.IntN(issuedDays))
	m := archive.Metadata{
		DocTypeCode: t.code, DocName: t.name, Issuer: is.name, IssuedOn: issued,
		Number:   fmt.Sprintf("%d/%d/%s-%s", 1+rng.IntN(9999), issued.Year(), t.abbr, is.code),
		HolderID: hid, HolderName: hname,
		Summary:       fmt.Sprintf("Cho phép %s %s tại %s", hname, t.act, places[rng.IntN(len(places))]),
		ProcedureCode: procedures[rng.IntN(len(procedures))],
		DossierCode:   fmt.Sprintf("H%02d.%d-%06d", 1+rng.IntN(63), issued.Year(), rng.IntN(1_000_000)),
	}
	if rng.IntN(10) < 7 {
		m.ValidUntil = issued.AddDate(1+rng.IntN(10), 0, 0)
		m.ValidityScope = "Trên phạm vi toàn quốc"
	}
	r := &archive.Record{ID: RecordID(i), BatchID: fmt.Sprintf("batch-%05d", i/500), Meta: m,
		Status: archive.StatusAvailable}
	return search.Doc{Record: r, Agency: is.code, Cancelled: rng.IntN(100) < 3}
}

// RecordID is the ID of record i: fixed width, so IDs sort as numbers.
func RecordID(i int) string { return fmt.Sprintf("rec-%08d", i) }

// nameOf returns the holder name of the record with ID id, folded.
func (g Generator) nameOf(id string) string {
	var i int
	if _, err := fmt.Sscanf(id, "rec-%d", &i); err != nil {
		return ""
	}
	return Fold(g.Doc(i).Record.Meta.HolderName)
}

// holder returns holder h's ID and name: a person with a CCCD, or one time
// in five a company with a tax code.
func (g Generator) holder(h int) (id, name string) {
	rng := rand.New(rand.NewPCG(g.Seed^0x9e3779b97f4a7c15, uint64(h)))
	if rng.IntN(5) == 0 {
		name = strings.Join([]string{pick(rng, companyKinds), pick(rng, companyTrade), pick(rng, companyName)}, " ")
		return fmt.Sprintf("%010d", 100_000_000+h), name
	}
	female := rng.IntN(2) == 0
	middle, given := middleMale, givenMale
	if female {
		middle, given = middleFemale, givenFemale
	}
	name = strings.Join([]string{pickWeighted(rng, families), pick(rng, middle), pick(rng, given)}, " ")
	// CCCD: province (3 digits), century-and-sex digit, birth year (2), then
	// a serial; the holder number makes it unique.
	sex := 0
	if female {
		sex = 1
	}
	return fmt.Sprintf("%03d%d%02d%06d", 1+rng.IntN(96), sex, 50+rng.IntN(50), h%1_000_000), name
}

func pick(rng *rand.Rand, vs []string) string { return vs[rng.IntN(len(vs))] }

func pickWeighted(rng *rand.Rand, vs []weighted) string {
	total := 0
	for _, v := range vs {
		total += v.w
	}
	n := rng.IntN(total)
	for _, v := range vs {
		if n < v.w {
			return v.v
		}
		n -= v.w
	}
	return vs[len(vs)-1].v
}
