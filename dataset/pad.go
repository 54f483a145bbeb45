package dataset

// PadSequence returns ids as a sequence of exactly maxLen ids the way Keras's
// pad_sequences does by default (padding='pre', truncating='pre', value=0):
// a short sequence gets PadID in front, a long one keeps its last maxLen ids.
// maxLen <= 0 returns a copy of ids unchanged. ids is never modified.
func PadSequence(ids []int32, maxLen int) []int32 {
	if maxLen <= 0 {
		return append([]int32(nil), ids...)
	}
	out := make([]int32, maxLen)
	padRow(out, ids)
	return out
}

// padRow writes ids into row, front-padded with PadID or front-truncated to
// len(row).
func padRow(row, ids []int32) {
	if len(ids) >= len(row) {
		copy(row, ids[len(ids)-len(row):])
		return
	}
	lead := len(row) - len(ids)
	for i := range lead {
		row[i] = PadID
	}
	copy(row[lead:], ids)
}
