package dataset

import (
	"math/bits"
	"math/rand/v2"
)

// KerasShuffleSeed is the seed keras.datasets.imdb.load_data shuffles the
// training and the test set with (its seed=113 argument). Its use here gives
// the same kind of order, not NumPy's: see Permutation.
const KerasShuffleSeed int64 = 113

// pcgStream is the fixed second word of the PCG state; any constant works,
// this one is the 64-bit golden ratio (as in SplitMix64).
const pcgStream = 0x9e3779b97f4a7c15

// Permutation returns a permutation of 0..n-1 that depends only on n and
// seed: a Fisher-Yates shuffle driven by PCG-DXSM (math/rand/v2.PCG, whose
// output is fixed by its algorithm) with a bounded draw written here, so the
// order does not change with Go's library. It is not NumPy's RandomState
// order. n <= 0 gives an empty permutation.
//
// TODO: NumPy's RandomState(113).shuffle could be reproduced (MT19937), but
// Keras shuffles imdb.npz, whose review order is unknown (see
// ../shared/data/imdb/README.md), so even that would not give Keras's order.
func Permutation(n int, seed int64) []int {
	if n <= 0 {
		return []int{}
	}
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	src := rand.NewPCG(uint64(seed), pcgStream)
	for i := n - 1; i > 0; i-- {
		j := int(boundedDraw(src, uint64(i)+1))
		perm[i], perm[j] = perm[j], perm[i]
	}
	return perm
}

// boundedDraw returns a uniform integer in [0, bound) by Lemire's
// multiply-and-reject method ("Fast Random Integer Generation in an
// Interval", 2019).
func boundedDraw(src *rand.PCG, bound uint64) uint64 {
	hi, lo := bits.Mul64(src.Uint64(), bound)
	if lo < bound {
		threshold := -bound % bound
		for lo < threshold {
			hi, lo = bits.Mul64(src.Uint64(), bound)
		}
	}
	return hi
}

// EpochSeed derives the shuffle seed of epoch (0-based) from a run's seed,
// mixing them with the SplitMix64 finalizer so that neighbouring epochs and
// neighbouring run seeds give unrelated orders.
func EpochSeed(seed int64, epoch int) int64 {
	z := uint64(seed) + uint64(epoch+1)*pcgStream
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return int64(z ^ (z >> 31))
}

// EpochOrder is the order of n training examples in epoch (0-based) of a run
// seeded with seed: Permutation(n, EpochSeed(seed, epoch)).
func EpochOrder(n int, seed int64, epoch int) []int {
	return Permutation(n, EpochSeed(seed, epoch))
}
