package model

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// paramNodes are a graph's nodes for the learnable parameters; gamma and
// beta are nil without layer norm.
type paramNodes struct {
	embeddings, gamma, beta *G.Node
	hidden, hiddenBias      *G.Node
	output, outputBias      *G.Node
	all                     G.Nodes // in the order of Params.Names
}

// inputNodes are a graph's per-batch inputs; keyMask and dropMask are nil
// when masking or dropout is off.
type inputNodes struct {
	ids         *G.Node // (B·T) Int
	poolWeights *G.Node // (B, 1, T)
	keyMask     *G.Node // (B, T, T)
	dropMask    *G.Node // (B, DenseUnits)
	labels      *G.Node // (B)
	rowWeights  *G.Node // (B)
}

// bindParams adds one node per parameter to g, each bound to the live
// tensor in p, so the graph always reads the current values.
func bindParams(g *G.ExprGraph, p *Params) paramNodes {
	var pn paramNodes
	for i, t := range p.tensors {
		node := G.NewTensor(g, t.Dtype(), t.Dims(),
			G.WithShape(t.Shape().Clone()...), G.WithName(p.names[i]), G.WithValue(t))
		pn.all = append(pn.all, node)
		switch p.names[i] {
		case nameEmbeddings:
			pn.embeddings = node
		case nameLNGamma:
			pn.gamma = node
		case nameLNBeta:
			pn.beta = node
		case nameHidden:
			pn.hidden = node
		case nameHiddenBias:
			pn.hiddenBias = node
		case nameOutput:
			pn.output = node
		case nameOutputBias:
			pn.outputBias = node
		}
	}
	return pn
}

// forward declares the network on a batch of batch rows and returns the
// logits (batch).
func forward(cfg Config, batch int, pn paramNodes, in inputNodes) (*G.Node, error) {
	t, d := cfg.SeqLen, cfg.EmbedDim

	emb, err := embed(pn.embeddings, in.ids, batch, t)
	if err != nil {
		return nil, err
	}

	scale := 1.0
	if cfg.ScaleAttention {
		scale = 1 / math.Sqrt(float64(d))
	}
	h, err := selfAttention(emb, scale, in.keyMask)
	if err != nil {
		return nil, err
	}

	if cfg.Residual {
		if h, err = G.Add(emb, h); err != nil {
			return nil, fmt.Errorf("model: residual add: %w", err)
		}
	}

	if cfg.LayerNorm {
		flat, err := G.Reshape(h, tensor.Shape{batch * t, d})
		if err != nil {
			return nil, fmt.Errorf("model: layer norm reshape: %w", err)
		}
		normed, err := layerNorm(flat, pn.gamma, pn.beta)
		if err != nil {
			return nil, err
		}
		if h, err = G.Reshape(normed, tensor.Shape{batch, t, d}); err != nil {
			return nil, fmt.Errorf("model: layer norm reshape: %w", err)
		}
	}

	pooled, err := averagePool(h, in.poolWeights)
	if err != nil {
		return nil, err
	}

	hidden, err := dense(pooled, pn.hidden, pn.hiddenBias)
	if err != nil {
		return nil, err
	}
	if hidden, err = relu(hidden); err != nil {
		return nil, err
	}
	if in.dropMask != nil {
		if hidden, err = dropout(hidden, in.dropMask); err != nil {
			return nil, err
		}
	}

	out, err := dense(hidden, pn.output, pn.outputBias)
	if err != nil {
		return nil, err
	}
	logits, err := G.Reshape(out, tensor.Shape{batch})
	if err != nil {
		return nil, fmt.Errorf("model: logits reshape: %w", err)
	}
	return logits, nil
}
