package archive

import "time"

// Vietnam is the time zone documents print (ISO 8601, +07:00).
var Vietnam = time.FixedZone("ICT", 7*3600)

// VNTime prints t as Vietnamese documents do: dd/mm/yyyy hh:mm:ss +07:00.
func VNTime(t time.Time) string { return t.In(Vietnam).Format("02/01/2006 15:04:05 -07:00") }

// VNDate prints the day of t as dd/mm/yyyy.
func VNDate(t time.Time) string { return t.Format("02/01/2006") }
