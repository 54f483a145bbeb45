package model

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// embed looks up the rows of table (V, d) named by ids, a flat Int vector
// of batch·seqLen token ids, and returns them as (batch, seqLen, d).
//
// ByIndices wants 1-D Int indices, hence the flat ids and the reshape; its
// gradient scatters into a (V, d) tensor and adds up repeated ids. The
// one-hot product would give the same numbers at far greater cost.
func embed(table, ids *G.Node, batch, seqLen int) (*G.Node, error) {
	rows, err := G.ByIndices(table, ids, 0)
	if err != nil {
		return nil, fmt.Errorf("model: embedding lookup: %w", err)
	}
	d := table.Shape()[1]
	out, err := G.Reshape(rows, tensor.Shape{batch, seqLen, d})
	if err != nil {
		return nil, fmt.Errorf("model: embedding reshape: %w", err)
	}
	return out, nil
}
