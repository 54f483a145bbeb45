package model

import (
	"fmt"
	"math/rand"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// inputTensors hold the per-batch inputs of a Net; each is bound to an
// input node and refilled in place.
type inputTensors struct {
	cfg   Config
	batch int

	ids         []int         // backing of idsT, reused batch after batch
	idsT        *tensor.Dense // (B·T) Int
	poolWeights *tensor.Dense // (B, 1, T)
	keyMask     *tensor.Dense // (B, T, T); nil unless cfg.MaskPadding
	dropMask    *tensor.Dense // (B, DenseUnits); nil unless dropout is on
	labels      *tensor.Dense // (B)
	rowWeights  *tensor.Dense // (B)
}

// newInputTensors allocates the inputs of a batch-row net; the dropout
// mask starts as all ones (no unit dropped) until SetDropout draws one.
func newInputTensors(cfg Config, batch int, dropout bool) (inputTensors, error) {
	dt, err := cfg.dtype()
	if err != nil {
		return inputTensors{}, err
	}
	t := cfg.SeqLen
	alloc := func(shape ...int) *tensor.Dense {
		return tensor.New(tensor.WithShape(shape...), tensor.Of(dt))
	}
	in := inputTensors{
		cfg:         cfg,
		batch:       batch,
		ids:         make([]int, batch*t),
		poolWeights: alloc(batch, 1, t),
		labels:      alloc(batch),
		rowWeights:  alloc(batch),
	}
	in.idsT = tensor.New(tensor.WithShape(batch*t), tensor.WithBacking(in.ids))
	if cfg.MaskPadding {
		in.keyMask = alloc(batch, t, t)
	}
	if dropout {
		in.dropMask = alloc(batch, cfg.DenseUnits)
		fillWith(in.dropMask, func() float64 { return 1 })
	}
	return in, nil
}

// nodes adds an input node to g for each tensor, bound to it.
func (in inputTensors) nodes(g *G.ExprGraph) inputNodes {
	bind := func(t *tensor.Dense, name string) *G.Node {
		if t == nil {
			return nil
		}
		return G.NewTensor(g, t.Dtype(), t.Dims(),
			G.WithShape(t.Shape().Clone()...), G.WithName(name), G.WithValue(t))
	}
	return inputNodes{
		ids:         bind(in.idsT, "ids"),
		poolWeights: bind(in.poolWeights, "pool_weights"),
		keyMask:     bind(in.keyMask, "key_mask"),
		dropMask:    bind(in.dropMask, "dropout_mask"),
		labels:      bind(in.labels, "labels"),
		rowWeights:  bind(in.rowWeights, "row_weights"),
	}
}

// SetBatch copies a batch into the net's inputs: size rows of SeqLen
// padded token ids (row-major, len(ids) = size·SeqLen) and, unless labels
// is nil (prediction), size labels in {0, 1}. Rows size..BatchSize-1 are
// filled with PadID and weight 0, so they do not count in the loss.
func (n *Net) SetBatch(ids []int32, labels []float32, size int) error {
	if err := n.in.set(ids, labels, size); err != nil {
		return err
	}
	n.size = size
	return nil
}

// SetDropout draws a fresh dropout mask from rng; call it before each
// training step. It does nothing on an evaluation net or at rate 0.
func (n *Net) SetDropout(rng *rand.Rand) {
	if n.in.dropMask == nil || rng == nil {
		return
	}
	fillDropoutMask(n.in.dropMask, n.in.cfg.DropoutRate, rng)
}

// set checks and copies a batch; see Net.SetBatch.
func (in inputTensors) set(ids []int32, labels []float32, size int) error {
	t, v := in.cfg.SeqLen, in.cfg.VocabSize
	switch {
	case size < 1 || size > in.batch:
		return fmt.Errorf("model: batch of %d rows: want 1..%d", size, in.batch)
	case len(ids) != size*t:
		return fmt.Errorf("model: batch of %d rows: got %d ids, want %d (rows × seq_len %d)",
			size, len(ids), size*t, t)
	case labels != nil && len(labels) != size:
		return fmt.Errorf("model: batch of %d rows: got %d labels", size, len(labels))
	}

	// Check every id before copying any, so a bad batch leaves the last
	// good one intact.
	for i, id := range ids {
		if id < 0 || int(id) >= v {
			return fmt.Errorf("model: row %d position %d: id %d outside 0..%d",
				i/t, i%t, id, v-1)
		}
	}
	for i, id := range ids {
		in.ids[i] = int(id)
	}
	for i := len(ids); i < len(in.ids); i++ {
		in.ids[i] = PadID
	}

	fillIndexed(in.labels, func(row int) float64 {
		if labels == nil || row >= size {
			return 0
		}
		return float64(labels[row])
	})
	fillIndexed(in.rowWeights, func(row int) float64 {
		if row >= size {
			return 0
		}
		return 1 / float64(size)
	})

	in.fillPoolWeights()
	if in.keyMask != nil {
		in.fillKeyMask()
	}
	return nil
}

// fillPoolWeights sets the averaging weights of every row: 1/T everywhere
// (the notebook's mean, pads included) or, with MaskPadding, 1/count on
// the count non-pad positions and 0 on pads (all 0 for an all-pad row).
func (in inputTensors) fillPoolWeights() {
	t := in.cfg.SeqLen
	if !in.cfg.MaskPadding {
		fillWith(in.poolWeights, func() float64 { return 1 / float64(t) })
		return
	}
	counts := make([]int, in.batch)
	for i, id := range in.ids {
		if id != PadID {
			counts[i/t]++
		}
	}
	fillIndexed(in.poolWeights, func(i int) float64 {
		if in.ids[i] == PadID {
			return 0
		}
		return 1 / float64(counts[i/t])
	})
}

// fillKeyMask sets, for every row and query, maskedScore at pad keys and 0
// at real ones.
func (in inputTensors) fillKeyMask() {
	t := in.cfg.SeqLen
	fillIndexed(in.keyMask, func(i int) float64 {
		row, key := i/(t*t), i%t
		if in.ids[row*t+key] == PadID {
			return maskedScore
		}
		return 0
	})
}
