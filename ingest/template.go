package ingest

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// templateColumns are the columns of the manifest template, in the order
// of Columns: the Vietnamese header, the English column name and what an
// English reader is told about it (a comment on the header), and the
// sample row's value.
var templateColumns = []struct {
	canon, vi, en string
	sample        any
}{
	{"file", "Tệp", "the page files of the document, in page order, separated by |", "gp-125/trang-1.jpg|gp-125/trang-2.jpg"},
	{"doc_type_code", "Mã loại giấy tờ", "the document type code", "GPXD"},
	{"doc_name", "Tên giấy tờ", "the document's name (required)", "Giấy phép xây dựng"},
	{"number", "Số, ký hiệu", "the number and symbol, kept as text (required)", "125/GPXD"},
	{"issued_on", "Ngày cấp", "the issue date, dd/mm/yyyy (required)", time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC)},
	{"issuer", "Cơ quan cấp", "the issuing authority (required)", "UBND huyện Mỹ Đức"},
	{"holder_id", "Số định danh", "the holder's personal ID (CCCD) or tax code, kept as text so its leading zeros stay", "001089012345"},
	{"holder_name", "Tên chủ hồ sơ", "the holder's name (a holder ID or name is required)", "Nguyễn Văn An"},
	{"summary", "Trích yếu", "the summary", "Cấp phép xây dựng nhà ở riêng lẻ"},
	{"valid_until", "Thời hạn hiệu lực", "valid until, dd/mm/yyyy", nil},
	{"validity_scope", "Phạm vi hiệu lực", "where or for what it is valid", nil},
	{"procedure_code", "Mã thủ tục", "the administrative procedure code", nil},
	{"dossier_code", "Mã hồ sơ", "the dossier code", nil},
	{"result_type_code", "Mã kết quả", "the result type code of the national procedure catalogue, such as KQ.G15.000031", nil},
	{"dpi", "Độ phân giải (dpi)", "the resolution the pages were scanned at, for files that declare none", 300},
	{"scanned_by", "Người quét", "who scanned the pages", nil},
}

// templateHeader is the Vietnamese header of canonical column canon.
func templateHeader(canon string) string {
	for _, c := range templateColumns {
		if c.canon == canon {
			return c.vi
		}
	}
	return canon
}

// TemplateDocTypes are the document type codes the template's type column
// offers in its drop-down list; Excel warns about, but accepts, others.
var TemplateDocTypes = []string{"GPXD", "GPMT", "GCN", "QD", "GKS"}

// WriteTemplate writes an XLSX manifest template to w: the sheet "Danh
// mục" with the Vietnamese headers (each with its English column name in a
// comment), one sample row that ParseManifest accepts, date validation on
// the date columns, a list on the type column, and the number and holder
// ID columns formatted as text so Excel keeps their leading zeros.
func WriteTemplate(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = manifestSheet
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("ingest: template: %w", err)
	}
	if err := fillTemplate(f, sheet); err != nil {
		return fmt.Errorf("ingest: template: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("ingest: template: %w", err)
	}
	return nil
}

func fillTemplate(f *excelize.File, sheet string) error {
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": text
	if err != nil {
		return err
	}
	dateFmt := "dd/mm/yyyy"
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	last := MaxManifestRows + 1
	for i, c := range templateColumns {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		if err := templateColumn(f, sheet, col, last, c.canon, styles{head, text, date}); err != nil {
			return err
		}
		if err := f.SetCellStr(sheet, col+"1", c.vi); err != nil {
			return err
		}
		if err := f.AddComment(sheet, excelize.Comment{Cell: col + "1", Author: "khoso",
			Text: c.canon + ": " + c.en}); err != nil {
			return err
		}
		if c.sample != nil {
			if err := f.SetCellValue(sheet, col+"2", c.sample); err != nil {
				return err
			}
		}
	}
	return f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

type styles struct{ head, text, date int }

// templateColumn formats column col of the template for canonical column
// canon, down to row last.
func templateColumn(f *excelize.File, sheet, col string, last int, canon string, st styles) error {
	if err := f.SetColWidth(sheet, col, col, 22); err != nil {
		return err
	}
	cells := fmt.Sprintf("%s2:%s%d", col, col, last)
	switch canon {
	case "number", "holder_id", "doc_type_code", "procedure_code", "dossier_code", "result_type_code":
		if err := f.SetColStyle(sheet, col, st.text); err != nil {
			return err
		}
	case "issued_on", "valid_until":
		if err := f.SetColStyle(sheet, col, st.date); err != nil {
			return err
		}
		dv := excelize.NewDataValidation(true)
		dv.Sqref = cells
		if err := dv.SetRange(1, 2958465, excelize.DataValidationTypeDate, excelize.DataValidationOperatorBetween); err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, "Ngày / Date", "Hãy nhập ngày dd/mm/yyyy / Enter a date, dd/mm/yyyy")
		if err := f.AddDataValidation(sheet, dv); err != nil {
			return err
		}
	}
	if canon == "doc_type_code" {
		dv := excelize.NewDataValidation(true)
		dv.Sqref = cells
		if err := dv.SetDropList(TemplateDocTypes); err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleWarning, "Mã loại / Type code",
			"Mã không có trong danh sách / The code is not in the list")
		if err := f.AddDataValidation(sheet, dv); err != nil {
			return err
		}
	}
	return f.SetCellStyle(sheet, col+"1", col+"1", st.head)
}
