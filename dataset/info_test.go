package dataset

import (
	"math"
	"testing"
)

func TestPercentile(t *testing.T) {
	// Expected values follow numpy.percentile's linear rule by hand:
	// rank = p/100*(n-1), interpolated between neighbours.
	tests := []struct {
		sorted []int
		p      float64
		want   float64
	}{
		{[]int{1, 2, 3, 4}, 50, 2.5},
		{[]int{1, 2, 3, 4}, 90, 3.7},
		{[]int{1, 2, 3, 4}, 0, 1},
		{[]int{1, 2, 3, 4}, 100, 4},
		{[]int{10, 20, 30}, 25, 15},
		{[]int{5}, 99, 5},
		{[]int{1, 2}, 150, 2},
		{[]int{1, 2}, -10, 1},
	}
	for _, tt := range tests {
		// Exact up to float64 rounding of p/100*(n-1): 1e-12 is ample.
		if got := Percentile(tt.sorted, tt.p); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("Percentile(%v, %v) = %v, want %v", tt.sorted, tt.p, got, tt.want)
		}
	}
	if got := Percentile(nil, 50); !math.IsNaN(got) {
		t.Errorf("Percentile of nothing = %v, want NaN", got)
	}
}

func TestCorpusInfo(t *testing.T) {
	c := &Corpus{
		Train: &Set{
			Seqs:   [][]int32{{1, 4, 5, 4}, {1, 40}, {1, 4, 9, 12, 50, 7}},
			Labels: []int32{0, 1, 1},
		},
		Test:      &Set{Seqs: [][]int32{{1}, {1, 60, 4}}, Labels: []int32{0, 0}},
		TrainMeta: []ReviewMeta{{Unknown: 0}, {Unknown: 2}, {Unknown: 1}},
		TestMeta:  []ReviewMeta{{Unknown: 3}, {Unknown: 1}},
		Index:     WordIndex{"a": 1, "b": 2},
		Dir:       "/data",
	}
	info := c.Info(10, 4)
	if info.WordIndexSize != 2 || info.NumWords != 10 || info.MaxLen != 4 ||
		len(info.Splits) != 2 {
		t.Fatalf("Info = %+v", info)
	}
	train, test := info.Splits[0], info.Splits[1]

	// Train: known tokens 3+1+5 = 9; unknown 3; ids < 10 among known: 4,5,4,4,9,7 = 6;
	// distinct ids 4,5,40,9,12,50,7 = 7; lengths 4,2,6.
	checks := []struct {
		name      string
		got, want float64
	}{
		{"train reviews", float64(train.Reviews), 3},
		{"train pos", float64(train.Pos), 2},
		{"train neg", float64(train.Neg), 1},
		{"train known", float64(train.Known), 9},
		{"train unknown", float64(train.Unknown), 3},
		{"train tokens", float64(train.Tokens), 12},
		{"train in vocab", float64(train.InVocab), 6},
		{"train coverage", train.Coverage, 9.0 / 12},
		{"train vocab coverage", train.VocabCoverage, 6.0 / 12},
		{"train distinct", float64(train.DistinctWords), 7},
		{"train truncated", float64(train.Truncated), 1},
		{"train padded", float64(train.Padded), 1},
		{"train min", float64(train.Length.Min), 2},
		{"train max", float64(train.Length.Max), 6},
		{"train mean", train.Length.Mean, 4},
		{"train p50", train.Length.Percentiles["p50"], 4},
		{"train p90", train.Length.Percentiles["p90"], 5.6},
		{"test known", float64(test.Known), 2},
		{"test unknown", float64(test.Unknown), 4},
		{"test in vocab", float64(test.InVocab), 1},
		{"test neg", float64(test.Neg), 2},
		{"test truncated", float64(test.Truncated), 0},
		{"test padded", float64(test.Padded), 2},
	}
	for _, ck := range checks {
		// Ratios of small integers: 1e-12 covers float rounding.
		if math.Abs(ck.got-ck.want) > 1e-12 {
			t.Errorf("%s = %v, want %v", ck.name, ck.got, ck.want)
		}
	}

	if all := c.Info(0, 4).Splits[0]; all.InVocab != all.Known {
		t.Errorf("no cut: InVocab %d, want Known %d", all.InVocab, all.Known)
	}
}
