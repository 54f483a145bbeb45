package model

import (
	"fmt"

	G "gorgonia.org/gorgonia"
)

// dense is Keras's Dense layer without activation: x·kernel + bias, with x
// (batch, in), kernel (in, out) and bias (out); it returns (batch, out).
func dense(x, kernel, bias *G.Node) (*G.Node, error) {
	prod, err := G.Mul(x, kernel)
	if err != nil {
		return nil, fmt.Errorf("model: dense product: %w", err)
	}
	batch := x.Shape()[0]
	ones := filledVector(x.Graph(), x.Dtype(), batch, 1, "dense_ones_"+bias.Name())
	biasRows, err := broadcastRows(ones, bias)
	if err != nil {
		return nil, err
	}
	out, err := G.Add(prod, biasRows)
	if err != nil {
		return nil, fmt.Errorf("model: dense bias: %w", err)
	}
	return out, nil
}

// relu is the rectified linear unit max(x, 0).
func relu(x *G.Node) (*G.Node, error) {
	out, err := G.Rectify(x)
	if err != nil {
		return nil, fmt.Errorf("model: relu: %w", err)
	}
	return out, nil
}
