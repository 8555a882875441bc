package signing

import "fmt"

// damagedPrefix starts [Report.Problem] for a damaged file.
const damagedPrefix = "the file is damaged: "

// damage marks r damaged for reason; an empty reason changes nothing.
func (r *Report) damage(reason string) {
	if reason == "" || r.Damaged {
		return
	}
	r.Damaged, r.Problem, r.Valid = true, damagedPrefix+reason, false
}

// checkSlots returns what is wrong with the signatures' byte ranges as a whole: one
// that does not fit the file, or two whose ranges overlap (each signature's /Contents
// must lie after the end of the one before it). Empty when nothing is.
func checkSlots(data []byte, slots []slot) string {
	for i, sl := range slots {
		if sl.bad != "" {
			return fmt.Sprintf("signature %d: %s", i+1, sl.bad)
		}
		if i == 0 {
			continue
		}
		prev := slots[i-1]
		if end := prev.br[2] + prev.br[3]; sl.br[1] < end || sl.br[2]+sl.br[3] <= end {
			return fmt.Sprintf("signatures %d and %d overlap", i, i+1)
		}
	}
	return ""
}
