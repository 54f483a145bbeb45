package model

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
)

// bceFromLogits returns the weighted binary cross-entropy Σ w·l of logits z
// against labels y, with each row's loss computed from the logit:
//
//	l = -y·log σ(z) - (1-y)·log(1-σ(z)) = softplus(z) - y·z
//
// Keras computes it from the sigmoid's output, clipped to [1e-7, 1-1e-7]
// to avoid log(0); the logit form is the stable equivalent and needs no
// clipping. Gorgonia's Softplus is log1p(exp(z)) with cut-offs where that
// rounds to 0 or z, and its gradient is σ(z), so dl/dz = σ(z) - y.
//
// weights is 1/size on the size real rows of a batch and 0 on padding
// rows, so the sum is the mean loss over the real rows.
func bceFromLogits(logits, labels, weights *G.Node) (*G.Node, error) {
	sp, err := G.Softplus(logits)
	if err != nil {
		return nil, fmt.Errorf("model: loss softplus: %w", err)
	}
	yz, err := G.HadamardProd(labels, logits)
	if err != nil {
		return nil, fmt.Errorf("model: loss y·z: %w", err)
	}
	perRow, err := G.Sub(sp, yz)
	if err != nil {
		return nil, fmt.Errorf("model: loss per row: %w", err)
	}
	weighted, err := G.HadamardProd(perRow, weights)
	if err != nil {
		return nil, fmt.Errorf("model: loss weighting: %w", err)
	}
	total, err := G.Sum(weighted)
	if err != nil {
		return nil, fmt.Errorf("model: loss sum: %w", err)
	}
	return total, nil
}

// Sigmoid returns the probability 1/(1+exp(-z)) of the positive class for
// the logit z, computed without overflow for large |z|.
func Sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}
