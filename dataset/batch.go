package dataset

import "fmt"

// Batch is a batch ready for the model: IDs holds Size rows of MaxLen ids,
// row-major, each row padded and truncated at the front (PadSequence) with
// ids >= num_words mapped to OOVID; Labels holds the Size labels as 0 or 1.
type Batch struct {
	IDs    []int32
	Labels []float32
	Size   int
	MaxLen int
}

// Row returns the ids of example i of the batch (a view into IDs).
func (b *Batch) Row(i int) []int32 { return b.IDs[i*b.MaxLen : (i+1)*b.MaxLen] }

// Batches cuts the examples of s, taken in order, into batches of batchSize
// (the last one shorter when batchSize does not divide the count, as Keras
// keeps it). order nil means 0..n-1; an order may repeat or omit examples.
// Each row is padded to maxLen and ids >= numWords become OOVID (numWords
// <= 0: no cut). batchSize or maxLen below 1 gives no batches. An index in
// order outside 0..n-1 is a programming error and panics with a message.
func (s *Set) Batches(order []int, batchSize, maxLen, numWords int) []Batch {
	if batchSize < 1 || maxLen < 1 {
		return nil
	}
	n := len(order)
	if order == nil {
		n = s.Len()
	}
	batches := make([]Batch, 0, (n+batchSize-1)/batchSize)
	for start := 0; start < n; start += batchSize {
		size := min(batchSize, n-start)
		b := Batch{
			IDs:    make([]int32, size*maxLen),
			Labels: make([]float32, size),
			Size:   size,
			MaxLen: maxLen,
		}
		for r := range size {
			i := start + r
			if order != nil {
				i = order[i]
			}
			if i < 0 || i >= s.Len() {
				panic(fmt.Sprintf("dataset: batch order index %d outside 0..%d", i, s.Len()-1))
			}
			row := b.Row(r)
			padRow(row, s.Seqs[i])
			CutVocabulary(row, numWords)
			if s.Labels[i] != 0 {
				b.Labels[r] = 1
			}
		}
		batches = append(batches, b)
	}
	return batches
}
