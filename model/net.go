package model

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Net is the network's graph for a fixed batch size, compiled once and run
// on each batch. A training net also differentiates the loss with respect
// to every parameter and applies dropout; an evaluation net does neither.
//
// A Net is not safe for concurrent use; several Nets may share one Params.
type Net struct {
	params   *Params
	batch    int
	training bool
	size     int // real rows in the current batch

	graph   *G.ExprGraph
	machine G.VM
	in      inputTensors

	lossVal   G.Value
	logitsVal G.Value
	gradVals  []G.Value // each holds the matching grads tensor
	grads     []*tensor.Dense
}

// NewNet builds and compiles the graph of p's network for batchSize rows.
// The graph reads p's tensors themselves, so updates to them show in the
// next Run. With training set, the net applies dropout (when the rate is
// above 0) and computes gradients on every Run.
func NewNet(p *Params, batchSize int, training bool) (*Net, error) {
	if p == nil {
		return nil, fmt.Errorf("model: new net: nil params")
	}
	if batchSize < 1 {
		return nil, fmt.Errorf("model: new net: batch size %d: want at least 1", batchSize)
	}
	cfg := p.cfg
	n := &Net{params: p, batch: batchSize, training: training, graph: G.NewGraph()}

	pn := bindParams(n.graph, p)
	dropout := training && cfg.DropoutRate > 0
	in, err := newInputTensors(cfg, batchSize, dropout)
	if err != nil {
		return nil, err
	}
	n.in = in
	inNodes := in.nodes(n.graph)

	logits, err := forward(cfg, batchSize, pn, inNodes)
	if err != nil {
		return nil, err
	}
	loss, err := bceFromLogits(logits, inNodes.labels, inNodes.rowWeights)
	if err != nil {
		return nil, err
	}

	if training {
		if err := n.addGradients(loss, pn.all); err != nil {
			return nil, err
		}
	}
	G.Read(loss, &n.lossVal)
	G.Read(logits, &n.logitsVal)

	if n.machine, err = newMachine(n.graph); err != nil {
		return nil, err
	}
	return n, nil
}

// addGradients declares d loss / d parameter for every parameter and has
// each copied, when the machine runs, into a tensor the Net owns.
//
// Reading through G.Read rather than node values matters: the tape
// machine reuses registers, so an intermediate node's value may be
// overwritten later in the same run.
func (n *Net) addGradients(loss *G.Node, params G.Nodes) error {
	gradNodes, err := G.Grad(loss, params...)
	if err != nil {
		return fmt.Errorf("model: gradients: %w", err)
	}
	n.grads = make([]*tensor.Dense, len(params))
	n.gradVals = make([]G.Value, len(params))
	for i, p := range n.params.tensors {
		n.grads[i] = tensor.New(tensor.WithShape(p.Shape().Clone()...), tensor.Of(p.Dtype()))
		n.gradVals[i] = n.grads[i]
		G.Read(gradNodes[i], &n.gradVals[i])
	}
	return nil
}

// newMachine compiles g into a tape machine, turning the panic with which
// Gorgonia reports a failed compilation into an error.
func newMachine(g *G.ExprGraph) (vm G.VM, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("model: compile graph: %v", r)
		}
	}()
	return G.NewTapeMachine(g), nil
}

// BatchSize returns the number of rows the net was built for.
func (n *Net) BatchSize() int { return n.batch }

// Training reports whether the net computes gradients and applies dropout.
func (n *Net) Training() bool { return n.training }

// Run runs the forward pass, and the backward pass on a training net, on
// the batch last given to SetBatch. Afterwards Loss, Logits and (training
// nets) Grads hold its results.
func (n *Net) Run() error {
	if n.size == 0 {
		return fmt.Errorf("model: run: no batch set")
	}
	// TODO: Reset drops every register of the tape machine, so each step
	// allocates its intermediates afresh (about 91 MB at the notebook's
	// shapes; zeroing and GC cost roughly a tenth of a step). Keeping them
	// needs a change inside Gorgonia's tapeMachine.
	n.machine.Reset()
	if err := n.machine.RunAll(); err != nil {
		return fmt.Errorf("model: run: %w", err)
	}
	return nil
}

// Loss returns the mean binary cross-entropy over the real rows of the last
// batch run (meaningless when SetBatch got no labels).
func (n *Net) Loss() float64 {
	switch v := n.lossVal.(type) {
	case *G.F32:
		return float64(*v)
	case *G.F64:
		return float64(*v)
	case tensor.Tensor:
		return floatAt(v, 0)
	}
	return 0
}

// Logits returns the logit of each real row of the last batch run; the
// probability of a positive review is Sigmoid(logit).
func (n *Net) Logits() []float64 {
	t, ok := n.logitsVal.(tensor.Tensor)
	if !ok {
		return nil
	}
	out := make([]float64, n.size)
	for i := range out {
		out[i] = floatAt(t, i)
	}
	return out
}

// Grads returns the gradient of the loss with respect to each parameter,
// in the order of Params.Tensors, from the last Run of a training net (nil
// for an evaluation net). The tensors belong to the net and are
// overwritten by the next Run.
func (n *Net) Grads() []*tensor.Dense { return append([]*tensor.Dense(nil), n.grads...) }

// floatAt returns element i of a float32 or float64 tensor in row-major
// order.
func floatAt(t tensor.Tensor, i int) float64 {
	switch data := t.Data().(type) {
	case []float32:
		return float64(data[i])
	case []float64:
		return data[i]
	case float32:
		return float64(data)
	case float64:
		return data
	}
	return 0
}
