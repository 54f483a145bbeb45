package model

import (
	"fmt"

	G "gorgonia.org/gorgonia"
)

// layerNormEpsilon is Keras LayerNormalization's default epsilon, added to
// the variance before the square root.
const layerNormEpsilon = 1e-3

// layerNorm normalizes each row of x (N, d) over its d features, as Keras's
// LayerNormalization(axis=-1) does on the last axis:
//
//	y = gamma·(x - mean)/sqrt(var + 1e-3) + beta
//
// with the biased variance (divided by d). It is built from graph ops so
// Gorgonia differentiates it; row means and variances are matrix-vector
// products with a vector of 1/d, and broadcasting back over the row is an
// outer product with ones.
func layerNorm(x, gamma, beta *G.Node) (*G.Node, error) {
	g, dt := x.Graph(), x.Dtype()
	n, d := x.Shape()[0], x.Shape()[1]
	invD := filledVector(g, dt, d, 1/float64(d), "layer_norm_inv_d")
	onesD := filledVector(g, dt, d, 1, "layer_norm_ones_d")
	onesN := filledVector(g, dt, n, 1, "layer_norm_ones_n")

	mean, err := G.Mul(x, invD)
	if err != nil {
		return nil, fmt.Errorf("model: layer norm mean: %w", err)
	}
	meanRows, err := broadcastRows(mean, onesD)
	if err != nil {
		return nil, err
	}
	centered, err := G.Sub(x, meanRows)
	if err != nil {
		return nil, fmt.Errorf("model: layer norm centering: %w", err)
	}

	sq, err := G.Square(centered)
	if err != nil {
		return nil, fmt.Errorf("model: layer norm square: %w", err)
	}
	variance, err := G.Mul(sq, invD)
	if err != nil {
		return nil, fmt.Errorf("model: layer norm variance: %w", err)
	}
	eps, err := scalarLike(x, layerNormEpsilon)
	if err != nil {
		return nil, err
	}
	shifted, err := G.Add(variance, eps)
	if err != nil {
		return nil, fmt.Errorf("model: layer norm epsilon: %w", err)
	}
	// 1/sqrt as two ops: G.InverseSqrt's gradient in v0.9.18 divides the
	// upstream gradient by -2y³ where it should multiply by it.
	std, err := G.Sqrt(shifted)
	if err != nil {
		return nil, fmt.Errorf("model: layer norm sqrt: %w", err)
	}
	invStd, err := G.Inverse(std)
	if err != nil {
		return nil, fmt.Errorf("model: layer norm 1/std: %w", err)
	}
	invStdRows, err := broadcastRows(invStd, onesD)
	if err != nil {
		return nil, err
	}
	normed, err := G.HadamardProd(centered, invStdRows)
	if err != nil {
		return nil, fmt.Errorf("model: layer norm scaling: %w", err)
	}

	gammaRows, err := broadcastRows(onesN, gamma)
	if err != nil {
		return nil, err
	}
	betaRows, err := broadcastRows(onesN, beta)
	if err != nil {
		return nil, err
	}
	scaled, err := G.HadamardProd(normed, gammaRows)
	if err != nil {
		return nil, fmt.Errorf("model: layer norm gamma: %w", err)
	}
	out, err := G.Add(scaled, betaRows)
	if err != nil {
		return nil, fmt.Errorf("model: layer norm beta: %w", err)
	}
	return out, nil
}
