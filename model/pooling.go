package model

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// averagePool is GlobalAveragePooling1D: a weighted sum over time of x
// (batch, T, d), giving (batch, d). weights (batch, 1, T) holds 1/T at
// every position for the notebook's plain mean (pads included), or, with
// padding masked, 1/count at the count real positions and 0 at pads.
//
// As one batched product it needs no broadcast, and the same graph serves
// both weightings.
func averagePool(x, weights *G.Node) (*G.Node, error) {
	sums, err := G.BatchedMatMul(weights, x)
	if err != nil {
		return nil, fmt.Errorf("model: average pooling: %w", err)
	}
	batch, d := x.Shape()[0], x.Shape()[2]
	out, err := G.Reshape(sums, tensor.Shape{batch, d})
	if err != nil {
		return nil, fmt.Errorf("model: average pooling reshape: %w", err)
	}
	return out, nil
}
