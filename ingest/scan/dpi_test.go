package scan

import "testing"

func TestMetricToDPI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		f    func(float64) float64
		in   float64
		want float64
	}{
		{"79 dpcm", perCentimetre, 79, 200},
		{"118 dpcm", perCentimetre, 118, 300},
		{"236 dpcm", perCentimetre, 236, 600},
		{"80 dpcm", perCentimetre, 80, 203},
		{"78.74 dpcm", perCentimetre, 78.74, 200},
		{"7874 ppm", perMetre, 7874, 200},
		{"11811 ppm", perMetre, 11811, 300},
		{"2835 ppm", perMetre, 2835, 72},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.f(tt.in); got != tt.want {
				t.Errorf("got %v dpi, want %v", got, tt.want)
			}
		})
	}
}
