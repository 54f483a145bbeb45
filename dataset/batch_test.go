package dataset

import (
	"slices"
	"strings"
	"testing"
)

func TestBatches(t *testing.T) {
	s := &Set{
		Seqs: [][]int32{
			{1, 4, 5},
			{1, 4, 5, 6, 7, 8},
			{1, 9},
			{1, 30, 4, 29},
			{1},
		},
		Labels: []int32{1, 0, 1, 0, 1},
	}
	const maxLen, numWords = 4, 30
	batches := s.Batches(nil, 2, maxLen, numWords)
	if len(batches) != 3 {
		t.Fatalf("%d batches, want 3 (2+2+1: the short one kept)", len(batches))
	}
	wantRows := [][]int32{
		{0, 1, 4, 5},
		{5, 6, 7, 8},
		{0, 0, 1, 9},
		{1, 2, 4, 29}, // 30 >= num_words: OOV
		{0, 0, 0, 1},
	}
	wantLabels := []float32{1, 0, 1, 0, 1}
	for i, want := range wantRows {
		b := batches[i/2]
		if b.MaxLen != maxLen || len(b.IDs) != b.Size*maxLen || len(b.Labels) != b.Size {
			t.Fatalf("batch %d: Size %d MaxLen %d, %d ids, %d labels", i/2, b.Size, b.MaxLen,
				len(b.IDs), len(b.Labels))
		}
		if got := b.Row(i % 2); !slices.Equal(got, want) {
			t.Errorf("example %d: row %v, want %v", i, got, want)
		}
		if b.Labels[i%2] != wantLabels[i] {
			t.Errorf("example %d: label %v, want %v", i, b.Labels[i%2], wantLabels[i])
		}
	}
	if batches[2].Size != 1 {
		t.Errorf("last batch size %d, want 1", batches[2].Size)
	}
	if !slices.Equal(s.Seqs[3], []int32{1, 30, 4, 29}) {
		t.Error("Batches modified the set's sequences")
	}
}

func TestBatchesOrder(t *testing.T) {
	s := numberedSet(6)
	order := []int{5, 3, 3, 0}
	batches := s.Batches(order, 3, 2, 0)
	if len(batches) != 2 || batches[0].Size != 3 || batches[1].Size != 1 {
		t.Fatalf("got %d batches", len(batches))
	}
	for k, i := range order {
		b := batches[k/3]
		if got := b.Row(k % 3); got[1] != int32(i+4) || b.Labels[k%3] != float32(i%2) {
			t.Errorf("position %d: row %v label %v, want example %d", k, got, b.Labels[k%3], i)
		}
	}
	if got := s.Batches([]int{}, 3, 2, 0); len(got) != 0 {
		t.Errorf("empty order gave %d batches", len(got))
	}
}

func TestBatchesBadSizes(t *testing.T) {
	s := numberedSet(3)
	for _, sizes := range [][2]int{{0, 5}, {-1, 5}, {2, 0}, {2, -3}} {
		if got := s.Batches(nil, sizes[0], sizes[1], 0); got != nil {
			t.Errorf("batchSize %d maxLen %d: got %d batches, want nil", sizes[0], sizes[1],
				len(got))
		}
	}
}

func TestBatchesBadOrderPanics(t *testing.T) {
	defer func() {
		r := recover()
		msg, _ := r.(string)
		if !strings.Contains(msg, "index 7") {
			t.Errorf("panic %v should name the bad index", r)
		}
	}()
	numberedSet(3).Batches([]int{0, 7}, 2, 2, 0)
}

func BenchmarkBatches(b *testing.B) {
	s := &Set{}
	for i := range 2000 {
		seq := make([]int32, 50+i%400)
		for j := range seq {
			seq[j] = int32(j*7919%20000 + 1)
		}
		s.Seqs = append(s.Seqs, seq)
		s.Labels = append(s.Labels, int32(i%2))
	}
	order := Permutation(s.Len(), 1)
	for b.Loop() {
		s.Batches(order, 32, 200, 10000)
	}
}
