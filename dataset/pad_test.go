package dataset

import (
	"slices"
	"testing"
)

func TestPadSequence(t *testing.T) {
	tests := []struct {
		name   string
		ids    []int32
		maxLen int
		want   []int32
	}{
		{"short: pad in front", []int32{1, 5, 6}, 5, []int32{0, 0, 1, 5, 6}},
		{"exact: unchanged", []int32{1, 5, 6}, 3, []int32{1, 5, 6}},
		{"long: keep the last maxLen", []int32{1, 5, 6, 7, 8}, 3, []int32{6, 7, 8}},
		{"empty: all pads", nil, 3, []int32{0, 0, 0}},
		{"maxLen 0: a copy", []int32{1, 5}, 0, []int32{1, 5}},
		{"maxLen negative: a copy", []int32{1, 5}, -1, []int32{1, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := slices.Clone(tt.ids)
			got := PadSequence(in, tt.maxLen)
			if !slices.Equal(got, tt.want) {
				t.Errorf("PadSequence(%v, %d) = %v, want %v", tt.ids, tt.maxLen, got, tt.want)
			}
			if !slices.Equal(in, tt.ids) {
				t.Errorf("PadSequence modified its input: %v, was %v", in, tt.ids)
			}
			if len(got) > 0 && len(in) > 0 && &got[0] == &in[0] {
				t.Error("PadSequence returned its input, not a new slice")
			}
		})
	}
}
