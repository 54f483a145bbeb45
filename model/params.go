package model

import (
	"fmt"
	"math/rand"

	"gorgonia.org/tensor"
)

// Keras-like parameter names, in the fixed order of Params.Names.
const (
	nameEmbeddings = "embedding/embeddings"
	nameLNGamma    = "layer_normalization/gamma"
	nameLNBeta     = "layer_normalization/beta"
	nameHidden     = "dense/kernel"
	nameHiddenBias = "dense/bias"
	nameOutput     = "dense_1/kernel"
	nameOutputBias = "dense_1/bias"
)

// paramSpec says what one parameter is called, its shape and how Keras
// initialises it.
type paramSpec struct {
	name  string
	shape tensor.Shape
	init  initializer
}

// paramSpecs lists the parameters of cfg in the fixed order; the layer-norm
// pair is absent when cfg.LayerNorm is off.
func paramSpecs(cfg Config) []paramSpec {
	v, d, h := cfg.VocabSize, cfg.EmbedDim, cfg.DenseUnits
	specs := []paramSpec{
		{nameEmbeddings, tensor.Shape{v, d}, uniformInit{embeddingInitLimit}},
	}
	if cfg.LayerNorm {
		specs = append(specs,
			paramSpec{nameLNGamma, tensor.Shape{d}, constantInit{1}},
			paramSpec{nameLNBeta, tensor.Shape{d}, constantInit{0}},
		)
	}
	return append(specs,
		paramSpec{nameHidden, tensor.Shape{d, h}, glorotUniformInit{}},
		paramSpec{nameHiddenBias, tensor.Shape{h}, constantInit{0}},
		paramSpec{nameOutput, tensor.Shape{h, 1}, glorotUniformInit{}},
		paramSpec{nameOutputBias, tensor.Shape{1}, constantInit{0}},
	)
}

// ParamCount returns the number of trainable scalars of cfg: 1,288,577 for
// DefaultConfig, 2·EmbedDim fewer without layer norm.
func ParamCount(cfg Config) int {
	total := 0
	for _, s := range paramSpecs(cfg) {
		total += s.shape.TotalSize()
	}
	return total
}

// Params holds the values of a network's parameters. The tensors are the
// live values: every Net built from a Params reads them, and an optimizer
// updates them in place.
type Params struct {
	cfg     Config
	names   []string
	tensors []*tensor.Dense
}

// NewParams initialises cfg's parameters as Keras does, drawing from a
// generator seeded with seed, so one seed gives one set of weights.
func NewParams(cfg Config, seed int64) (*Params, error) {
	p, err := newZeroParams(cfg)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewSource(seed))
	for i, s := range paramSpecs(cfg) {
		s.init.fill(p.tensors[i], rng)
	}
	return p, nil
}

// newZeroParams allocates cfg's parameters, all zero.
func newZeroParams(cfg Config) (*Params, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	dt, err := cfg.dtype()
	if err != nil {
		return nil, err
	}
	specs := paramSpecs(cfg)
	p := &Params{cfg: cfg}
	for _, s := range specs {
		p.names = append(p.names, s.name)
		p.tensors = append(p.tensors,
			tensor.New(tensor.WithShape(s.shape.Clone()...), tensor.Of(dt)))
	}
	return p, nil
}

// Config returns the configuration the parameters were made for.
func (p *Params) Config() Config { return p.cfg }

// Names returns the Keras-like parameter names in the fixed order:
// embedding/embeddings, layer_normalization/gamma and /beta (when layer
// norm is on), dense/kernel, dense/bias, dense_1/kernel, dense_1/bias.
func (p *Params) Names() []string { return append([]string(nil), p.names...) }

// Tensors returns the live parameter values in the order of Names.
func (p *Params) Tensors() []*tensor.Dense { return append([]*tensor.Dense(nil), p.tensors...) }

// Count returns the total number of scalars in the parameters.
func (p *Params) Count() int {
	total := 0
	for _, t := range p.tensors {
		total += t.Shape().TotalSize()
	}
	return total
}

// index returns the position of the named parameter, or an error naming it.
func (p *Params) index(name string) (int, error) {
	for i, n := range p.names {
		if n == name {
			return i, nil
		}
	}
	return 0, fmt.Errorf("model: no parameter %q", name)
}
