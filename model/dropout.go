package model

import (
	"fmt"
	"math/rand"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// dropout multiplies x element-wise by mask, a graph input of x's shape
// that fillDropoutMask refills each training step. Because the mask is an
// input, the gradient is mask·upstream for any rate, and the draw is as
// reproducible as the generator that fills it.
//
// Gorgonia's own Dropout is not used: in v0.9.18 it seeds itself from the
// clock, has no evaluation switch, scales its gradient correctly only at
// rate 0.5, and its preallocated path passes a method value where it needs
// data.
func dropout(x, mask *G.Node) (*G.Node, error) {
	out, err := G.HadamardProd(x, mask)
	if err != nil {
		return nil, fmt.Errorf("model: dropout: %w", err)
	}
	return out, nil
}

// fillDropoutMask draws an inverted-dropout mask, as Keras's Dropout does in
// training: each entry is 0 with probability rate, else 1/(1-rate), so the
// expected value of every unit is unchanged and evaluation needs no
// rescaling. rate is in [0, 1).
func fillDropoutMask(mask *tensor.Dense, rate float64, rng *rand.Rand) {
	keep := 1 / (1 - rate)
	fillWith(mask, func() float64 {
		if rng.Float64() < rate {
			return 0
		}
		return keep
	})
}
