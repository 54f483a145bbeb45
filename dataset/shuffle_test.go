package dataset

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestPermutationIsAPermutation(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 1000} {
		perm := Permutation(n, KerasShuffleSeed)
		if len(perm) != n {
			t.Fatalf("Permutation(%d) has %d elements", n, len(perm))
		}
		sorted := slices.Sorted(slices.Values(perm))
		for i, v := range sorted {
			if v != i {
				t.Fatalf("Permutation(%d) is not a permutation: sorted %v", n, sorted)
			}
		}
	}
	if got := Permutation(-3, 1); len(got) != 0 {
		t.Errorf("Permutation(-3) = %v, want empty", got)
	}
}

func TestPermutationDeterministic(t *testing.T) {
	a, b := Permutation(500, 42), Permutation(500, 42)
	if !slices.Equal(a, b) {
		t.Error("the same seed gave two orders")
	}
	if c := Permutation(500, 43); slices.Equal(a, c) {
		t.Error("seeds 42 and 43 gave the same order")
	}
	if slices.Equal(a, Permutation(500, -42)) {
		t.Error("seeds 42 and -42 gave the same order")
	}
}

// Where element 0 lands should be uniform over the n positions. With 6,000
// seeds over 6 positions a chi-square statistic above 20.5 (5 degrees of
// freedom, p = 0.001) would flag a biased shuffle; the seeds are fixed, so
// the test is deterministic.
func TestPermutationUniform(t *testing.T) {
	const n, seeds = 6, 6000
	var counts [n]float64
	for seed := range int64(seeds) {
		perm := Permutation(n, seed)
		counts[slices.Index(perm, 0)]++
	}
	expected := float64(seeds) / n
	chi2 := 0.0
	for _, c := range counts {
		chi2 += (c - expected) * (c - expected) / expected
	}
	if chi2 > 20.5 {
		t.Errorf("position of element 0 is not uniform: counts %v, chi-square %.1f", counts, chi2)
	}
}

func TestBoundedDraw(t *testing.T) {
	src := rand.NewPCG(1, 2)
	for _, bound := range []uint64{1, 2, 3, 10, 1 << 40, math.MaxUint64} {
		for range 1000 {
			if v := boundedDraw(src, bound); v >= bound {
				t.Fatalf("boundedDraw(%d) = %d", bound, v)
			}
		}
	}
}

func TestEpochOrder(t *testing.T) {
	first, second := EpochOrder(100, 7, 0), EpochOrder(100, 7, 1)
	if slices.Equal(first, second) {
		t.Error("epochs 0 and 1 share an order")
	}
	if !slices.Equal(first, EpochOrder(100, 7, 0)) {
		t.Error("EpochOrder is not deterministic")
	}
	if slices.Equal(first, EpochOrder(100, 8, 0)) {
		t.Error("run seeds 7 and 8 share epoch 0's order")
	}
	if EpochSeed(7, 1) == EpochSeed(8, 0) {
		t.Error("EpochSeed(7, 1) equals EpochSeed(8, 0)")
	}
}
