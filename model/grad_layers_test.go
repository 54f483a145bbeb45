package model

import (
	"math"
	"math/rand"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Small shapes for the per-layer checks: batch, time, features, vocabulary,
// hidden units.
const (
	gcBatch = 2
	gcTime  = 4
	gcDim   = 3
	gcVocab = 7
	gcUnits = 5
)

func TestGradEmbedding(t *testing.T) {
	checkGradients(t, func(g *G.ExprGraph) (*G.Node, G.Nodes, error) {
		rng := rand.New(rand.NewSource(1))
		table := randomInput(g, rng, "table", -1, 1, gcVocab, gcDim)
		// Repeated ids (3 and 0) check that their gradients add up.
		idsT := tensor.New(tensor.WithShape(gcBatch*gcTime),
			tensor.WithBacking([]int{0, 0, 3, 5, 3, 6, 1, 3}))
		ids := G.NewVector(g, tensor.Int, G.WithShape(gcBatch*gcTime),
			G.WithName("ids"), G.WithValue(idsT))
		out, err := embed(table, ids, gcBatch, gcTime)
		if err != nil {
			return nil, nil, err
		}
		cost, err := projectToScalar(g, rng, out)
		return cost, G.Nodes{table}, err
	})
}

func TestGradAttention(t *testing.T) {
	tests := []struct {
		name  string
		scale float64
		mask  bool
	}{
		{"plain", 1, false},
		{"scaled", 1 / math.Sqrt(gcDim), false},
		{"masked", 1, true},
		{"scaled masked", 1 / math.Sqrt(gcDim), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkGradients(t, func(g *G.ExprGraph) (*G.Node, G.Nodes, error) {
				rng := rand.New(rand.NewSource(2))
				x := randomInput(g, rng, "x", -1, 1, gcBatch, gcTime, gcDim)
				var mask *G.Node
				if tc.mask {
					mask = keyMaskInput(g, [][]int{{0, 0, 4, 2}, {5, 0, 1, 1}})
				}
				out, err := selfAttention(x, tc.scale, mask)
				if err != nil {
					return nil, nil, err
				}
				cost, err := projectToScalar(g, rng, out)
				return cost, G.Nodes{x}, err
			})
		})
	}
}

// keyMaskInput builds the (B, T, T) additive key mask of rows of ids.
func keyMaskInput(g *G.ExprGraph, rows [][]int) *G.Node {
	b, tt := len(rows), len(rows[0])
	data := make([]float64, b*tt*tt)
	for i := range data {
		if rows[i/(tt*tt)][i%tt] == PadID {
			data[i] = maskedScore
		}
	}
	m := tensor.New(tensor.WithShape(b, tt, tt), tensor.WithBacking(data))
	return G.NewTensor(g, tensor.Float64, 3, G.WithShape(b, tt, tt),
		G.WithName("key_mask"), G.WithValue(m))
}

func TestGradLayerNorm(t *testing.T) {
	checkGradients(t, func(g *G.ExprGraph) (*G.Node, G.Nodes, error) {
		rng := rand.New(rand.NewSource(3))
		x := randomInput(g, rng, "x", -2, 2, gcBatch*gcTime, gcDim)
		gamma := randomInput(g, rng, "gamma", 0.5, 1.5, gcDim)
		beta := randomInput(g, rng, "beta", -0.5, 0.5, gcDim)
		out, err := layerNorm(x, gamma, beta)
		if err != nil {
			return nil, nil, err
		}
		cost, err := projectToScalar(g, rng, out)
		return cost, G.Nodes{x, gamma, beta}, err
	})
}

func TestGradBroadcastRows(t *testing.T) {
	checkGradients(t, func(g *G.ExprGraph) (*G.Node, G.Nodes, error) {
		rng := rand.New(rand.NewSource(4))
		col := randomInput(g, rng, "col", -1, 1, 4)
		row := randomInput(g, rng, "row", -1, 1, 3)
		out, err := broadcastRows(col, row)
		if err != nil {
			return nil, nil, err
		}
		cost, err := projectToScalar(g, rng, out)
		return cost, G.Nodes{col, row}, err
	})
}

func TestGradAveragePool(t *testing.T) {
	checkGradients(t, func(g *G.ExprGraph) (*G.Node, G.Nodes, error) {
		rng := rand.New(rand.NewSource(5))
		x := randomInput(g, rng, "x", -1, 1, gcBatch, gcTime, gcDim)
		// Unequal weights, as with masking, check each position's share.
		weights := randomInput(g, rng, "weights", 0, 0.5, gcBatch, 1, gcTime)
		out, err := averagePool(x, weights)
		if err != nil {
			return nil, nil, err
		}
		cost, err := projectToScalar(g, rng, out)
		return cost, G.Nodes{x}, err
	})
}

func TestGradDenseRelu(t *testing.T) {
	checkGradients(t, func(g *G.ExprGraph) (*G.Node, G.Nodes, error) {
		rng := rand.New(rand.NewSource(6))
		x := randomInput(g, rng, "x", -1, 1, gcBatch, gcDim)
		kernel := randomInput(g, rng, "kernel", -1, 1, gcDim, gcUnits)
		bias := randomInput(g, rng, "bias", -0.5, 0.5, gcUnits)
		pre, err := dense(x, kernel, bias)
		if err != nil {
			return nil, nil, err
		}
		out, err := relu(pre)
		if err != nil {
			return nil, nil, err
		}
		cost, err := projectToScalar(g, rng, out)
		return cost, G.Nodes{x, kernel, bias}, err
	})
}

func TestGradDenseSingleOutput(t *testing.T) {
	// The output layer's (64, 1) kernel and (1) bias are edge shapes.
	checkGradients(t, func(g *G.ExprGraph) (*G.Node, G.Nodes, error) {
		rng := rand.New(rand.NewSource(7))
		x := randomInput(g, rng, "x", -1, 1, gcBatch, gcUnits)
		kernel := randomInput(g, rng, "kernel", -1, 1, gcUnits, 1)
		bias := randomInput(g, rng, "bias", -0.5, 0.5, 1)
		out, err := dense(x, kernel, bias)
		if err != nil {
			return nil, nil, err
		}
		cost, err := projectToScalar(g, rng, out)
		return cost, G.Nodes{x, kernel, bias}, err
	})
}

func TestGradDropout(t *testing.T) {
	for _, rate := range []float64{0, 0.3, 0.5, 0.8} {
		rate := rate
		t.Run("", func(t *testing.T) {
			checkGradients(t, func(g *G.ExprGraph) (*G.Node, G.Nodes, error) {
				rng := rand.New(rand.NewSource(8))
				x := randomInput(g, rng, "x", -1, 1, gcBatch, gcUnits)
				maskT := tensor.New(tensor.WithShape(gcBatch, gcUnits), tensor.Of(tensor.Float64))
				fillDropoutMask(maskT, rate, rng)
				mask := G.NewMatrix(g, tensor.Float64, G.WithShape(gcBatch, gcUnits),
					G.WithName("mask"), G.WithValue(maskT))
				out, err := dropout(x, mask)
				if err != nil {
					return nil, nil, err
				}
				cost, err := projectToScalar(g, rng, out)
				return cost, G.Nodes{x}, err
			})
		})
	}
}

func TestGradLoss(t *testing.T) {
	checkGradients(t, func(g *G.ExprGraph) (*G.Node, G.Nodes, error) {
		logitsT := tensor.New(tensor.WithBacking([]float64{-3, -0.2, 0.7, 5, 9}))
		logits := G.NewVector(g, tensor.Float64, G.WithShape(5), G.WithName("logits"),
			G.WithValue(logitsT))
		labels := G.NewVector(g, tensor.Float64, G.WithShape(5), G.WithName("labels"),
			G.WithValue(tensor.New(tensor.WithBacking([]float64{0, 1, 0, 1, 0}))))
		// The last row is padding: weight 0.
		weights := G.NewVector(g, tensor.Float64, G.WithShape(5), G.WithName("weights"),
			G.WithValue(tensor.New(tensor.WithBacking([]float64{0.25, 0.25, 0.25, 0.25, 0}))))
		cost, err := bceFromLogits(logits, labels, weights)
		return cost, G.Nodes{logits}, err
	})
}
