package trainer

// EpochMetrics are one epoch's figures, the row history.csv keeps and --json prints.
type EpochMetrics struct {
	Epoch   int     `json:"epoch"`
	Loss    float64 `json:"loss"`
	Acc     float64 `json:"accuracy"`
	ValLoss float64 `json:"val_loss"`
	ValAcc  float64 `json:"val_accuracy"`
	Seconds float64 `json:"seconds"`
}

// runningMean accumulates row-weighted means of loss and accuracy over an epoch's batches,
// as Keras's fit reports them (its loss tracker weights each batch by its size; with every
// batch full this is the plain mean over batches).
type runningMean struct {
	lossSum, correct float64
	rows             int
}

func (r *runningMean) add(meanLoss float64, correct, rows int) {
	r.lossSum += meanLoss * float64(rows)
	r.correct += float64(correct)
	r.rows += rows
}

func (r *runningMean) loss() float64 {
	if r.rows == 0 {
		return 0
	}
	return r.lossSum / float64(r.rows)
}

func (r *runningMean) acc() float64 {
	if r.rows == 0 {
		return 0
	}
	return r.correct / float64(r.rows)
}

// countCorrect counts rows whose predicted class matches the label. A logit above 0 is a
// probability above 0.5, Keras's binary_accuracy threshold.
func countCorrect(logits []float64, labels []float32) int {
	n := 0
	for i, z := range logits {
		if (z > 0) == (labels[i] > 0.5) {
			n++
		}
	}
	return n
}
