package dataset

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// numberedSet has n examples; example i is the sequence [1, i+4] labelled
// i%2, so an example can be told from its sequence.
func numberedSet(n int) *Set {
	s := &Set{}
	for i := range n {
		s.Seqs = append(s.Seqs, []int32{StartID, int32(i + 4)})
		s.Labels = append(s.Labels, int32(i%2))
	}
	return s
}

// exampleOf recovers the example number of numberedSet's sequence.
func exampleOf(seq []int32) int { return int(seq[1]) - 4 }

func TestSubset(t *testing.T) {
	s := numberedSet(5)
	sub := s.Subset([]int{4, 0, 4})
	if sub.Len() != 3 {
		t.Fatalf("Len = %d, want 3", sub.Len())
	}
	for k, i := range []int{4, 0, 4} {
		if exampleOf(sub.Seqs[k]) != i || sub.Labels[k] != s.Labels[i] {
			t.Errorf("row %d holds example %d label %d, want %d label %d",
				k, exampleOf(sub.Seqs[k]), sub.Labels[k], i, s.Labels[i])
		}
	}
}

func TestShuffledKeepsPairs(t *testing.T) {
	s := numberedSet(50)
	sh := s.Shuffled(KerasShuffleSeed)
	perm := Permutation(50, KerasShuffleSeed)
	seen := make([]bool, 50)
	for k := range sh.Len() {
		i := exampleOf(sh.Seqs[k])
		if i != perm[k] || sh.Labels[k] != s.Labels[i] {
			t.Fatalf("row %d: example %d label %d, want example %d label %d",
				k, i, sh.Labels[k], perm[k], s.Labels[perm[k]])
		}
		seen[i] = true
	}
	if slices.Contains(seen, false) {
		t.Error("Shuffled lost examples")
	}
	if exampleOf(s.Seqs[0]) != 0 {
		t.Error("Shuffled reordered its receiver")
	}
}

func TestSplitTail(t *testing.T) {
	tests := []struct {
		n        int
		frac     float64
		wantHead int
	}{
		{25000, 0.2, 20000},
		{10, 0.2, 8},
		{10, 0.25, 7}, // floor(7.5), as Keras's int(n * (1 - frac))
		{7, 0.5, 3},
		{3, 0.34, 1},
		{5, 0, 5},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d×%v", tt.n, tt.frac), func(t *testing.T) {
			s := numberedSet(tt.n)
			head, tail, err := s.SplitTail(tt.frac)
			if err != nil {
				t.Fatal(err)
			}
			if head.Len() != tt.wantHead || tail.Len() != tt.n-tt.wantHead {
				t.Fatalf("split %d+%d, want %d+%d", head.Len(), tail.Len(), tt.wantHead,
					tt.n-tt.wantHead)
			}
			for k := range tail.Len() {
				if exampleOf(tail.Seqs[k]) != tt.wantHead+k {
					t.Errorf("tail row %d is example %d, want %d", k, exampleOf(tail.Seqs[k]),
						tt.wantHead+k)
				}
			}
			if head.Len() > 0 && exampleOf(head.Seqs[head.Len()-1]) != tt.wantHead-1 {
				t.Error("head does not end just before the tail")
			}
			// Appending to the head must not overwrite the tail.
			head.Seqs = append(head.Seqs, []int32{9})
			if tail.Len() > 0 && exampleOf(tail.Seqs[0]) != tt.wantHead {
				t.Error("appending to head overwrote tail")
			}
		})
	}
}

func TestSplitTailErrors(t *testing.T) {
	tests := []struct {
		n    int
		frac float64
	}{
		{10, -0.1}, {10, 1}, {10, 1.5}, {10, math.NaN()}, {10, 0.95}, {10, 1e-17}, {0, 0.2},
	}
	for _, tt := range tests {
		if _, _, err := numberedSet(tt.n).SplitTail(tt.frac); err == nil {
			t.Errorf("SplitTail(%v) of %d examples: want an error", tt.frac, tt.n)
		}
	}
}

func TestLabelCounts(t *testing.T) {
	neg, pos := numberedSet(7).LabelCounts()
	if neg != 4 || pos != 3 {
		t.Errorf("LabelCounts = %d neg %d pos, want 4 and 3", neg, pos)
	}
}
