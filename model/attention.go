package model

import (
	"fmt"

	G "gorgonia.org/gorgonia"
)

// maskedScore is added to the score of a masked key before the softmax, so
// its weight is exp(-1e9) = 0; Keras's dense attention layers use the same
// -1e9 for the same purpose.
const maskedScore = -1e9

// selfAttention is Keras's Attention()([x, x]) with x as query, value and
// key: scores = x·xᵀ (batch, T, T), weights = softmax over the last axis,
// output = weights·x (batch, T, d).
//
// scale multiplies the scores when it is not 1 (1/sqrt(d) for scaled
// dot-product attention; Keras's default use_scale=False means 1). keyMask,
// when not nil, is a (batch, T, T) input holding maskedScore where the key
// is padding and 0 elsewhere.
func selfAttention(x *G.Node, scale float64, keyMask *G.Node) (*G.Node, error) {
	scores, err := G.BatchedMatMul(x, x, false, true)
	if err != nil {
		return nil, fmt.Errorf("model: attention scores: %w", err)
	}

	if scale != 1 {
		s, err := scalarLike(x, scale)
		if err != nil {
			return nil, err
		}
		if scores, err = G.HadamardProd(scores, s); err != nil {
			return nil, fmt.Errorf("model: attention scaling: %w", err)
		}
	}

	if keyMask != nil {
		if scores, err = G.Add(scores, keyMask); err != nil {
			return nil, fmt.Errorf("model: attention mask: %w", err)
		}
	}

	weights, err := G.SoftMax(scores, 2)
	if err != nil {
		return nil, fmt.Errorf("model: attention softmax: %w", err)
	}
	out, err := G.BatchedMatMul(weights, x)
	if err != nil {
		return nil, fmt.Errorf("model: attention output: %w", err)
	}
	return out, nil
}
