package dataset

import (
	"fmt"
	"math"
)

// Set is a list of unpadded sequences with their labels: Seqs[i] holds
// full-vocabulary ids with StartID first (no num_words cut), Labels[i] is 1
// for a positive review and 0 for a negative one.
type Set struct {
	Seqs   [][]int32
	Labels []int32
}

// Len returns the number of examples.
func (s *Set) Len() int { return len(s.Seqs) }

// Subset returns the examples at idx (each in 0..Len()-1), in that order.
// The sequences are shared with s, not copied; treat them as read-only.
func (s *Set) Subset(idx []int) *Set {
	out := &Set{Seqs: make([][]int32, len(idx)), Labels: make([]int32, len(idx))}
	for k, i := range idx {
		out.Seqs[k] = s.Seqs[i]
		out.Labels[k] = s.Labels[i]
	}
	return out
}

// Shuffled returns the examples in the order Permutation(s.Len(), seed).
// keras.datasets.imdb.load_data shuffles with KerasShuffleSeed.
func (s *Set) Shuffled(seed int64) *Set {
	return s.Subset(Permutation(s.Len(), seed))
}

// SplitTail holds out the last frac of the examples as Keras's
// fit(validation_split=frac) does: the split index is
// floor(n * (1 - frac)), head is everything before it and tail the rest.
// Keras takes the tail before any shuffling by fit, so shuffle the set once
// (Shuffled) before splitting, as imdb.load_data does. frac must lie in
// [0, 1); frac 0 gives an empty tail. Both parts share s's sequences.
func (s *Set) SplitTail(frac float64) (head, tail *Set, err error) {
	if math.IsNaN(frac) || frac < 0 || frac >= 1 {
		return nil, nil, fmt.Errorf("dataset: validation split %v is not in [0, 1)", frac)
	}
	n := s.Len()
	at := int(math.Floor(float64(n) * (1 - frac)))
	if at == 0 {
		return nil, nil, fmt.Errorf("dataset: validation split %v of %d examples "+
			"leaves no training examples", frac, n)
	}
	if frac > 0 && at == n {
		return nil, nil, fmt.Errorf("dataset: validation split %v of %d examples "+
			"leaves no validation examples", frac, n)
	}
	head = &Set{Seqs: s.Seqs[:at:at], Labels: s.Labels[:at:at]}
	tail = &Set{Seqs: s.Seqs[at:], Labels: s.Labels[at:]}
	return head, tail, nil
}

// LabelCounts returns how many examples are negative (label 0) and positive
// (any other label).
func (s *Set) LabelCounts() (neg, pos int) {
	for _, y := range s.Labels {
		if y == 0 {
			neg++
		} else {
			pos++
		}
	}
	return neg, pos
}
