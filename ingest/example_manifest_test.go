package ingest_test

import (
	"fmt"
	"strings"

	"github.com/khoso-vn/khoso/ingest"
)

// A manifest's rows are checked one by one: a wrong row names its line and
// the column by the header the clerk wrote, and the other rows go on.
func ExampleParseManifest() {
	manifest := "Tệp,Tên giấy tờ,\"Số, ký hiệu\",Ngày cấp,Cơ quan cấp,Số định danh\n" +
		"gp-1,Giấy phép xây dựng,125/GPXD,15/03/2024,UBND huyện,001089012345\n" +
		"gp-2,Giấy phép xây dựng,,16/03/2024,UBND huyện,001089012346\n"
	rows, err := ingest.ParseManifest(strings.NewReader(manifest))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rows {
		if r.Err != nil {
			fmt.Println(r.Err)
			continue
		}
		fmt.Println(r.Line, r.Meta.Number, r.Meta.IssuedOn.Format("02/01/2006"), r.Files)
	}
	// Output:
	// 2 125/GPXD 15/03/2024 [gp-1]
	// dòng 3, cột “Số, ký hiệu”: thiếu giá trị bắt buộc / row 3, column “Số, ký hiệu”: required value is missing
}
