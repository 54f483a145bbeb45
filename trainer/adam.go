package trainer

import (
	"fmt"
	"math"

	"gorgonia.org/tensor"
)

// Adam is the Adam optimizer in the form Keras implements it (Kingma and Ba 2015,
// Algorithm 1 with the efficiency note of section 2): the bias corrections are folded into
// the step size, lr_t = lr * sqrt(1-beta2^t) / (1-beta1^t), and epsilon is added to sqrt(v):
//
//	m = beta1*m + (1-beta1)*g
//	v = beta2*v + (1-beta2)*g*g
//	p = p - lr_t * m / (sqrt(v) + epsilon)
//
// It updates the parameter tensors in place and keeps one m and one v buffer per parameter;
// nothing is allocated per step. Gorgonia's own AdamSolver adds epsilon inside the paper's
// bias-corrected form and clones buffers every step, so it is not used.
type Adam struct {
	cfg  AdamConfig
	step int
	m, v [][]float64
}

// NewAdam returns an optimizer for parameters of the given sizes.
func NewAdam(cfg AdamConfig, params []*tensor.Dense) *Adam {
	a := &Adam{cfg: cfg}
	for _, p := range params {
		a.m = append(a.m, make([]float64, p.Len()))
		a.v = append(a.v, make([]float64, p.Len()))
	}
	return a
}

// Steps returns how many updates have been applied.
func (a *Adam) Steps() int { return a.step }

// Step applies one update of params from grads (same order and shapes as at NewAdam).
func (a *Adam) Step(params, grads []*tensor.Dense) error {
	if len(params) != len(a.m) || len(grads) != len(a.m) {
		return fmt.Errorf("adam: got %d params and %d grads, want %d",
			len(params), len(grads), len(a.m))
	}
	a.step++
	t := float64(a.step)
	lrT := a.cfg.LearningRate * math.Sqrt(1-math.Pow(a.cfg.Beta2, t)) /
		(1 - math.Pow(a.cfg.Beta1, t))
	for i, p := range params {
		var err error
		switch data := p.Data().(type) {
		case []float32:
			g, ok := grads[i].Data().([]float32)
			if !ok || len(g) != len(data) {
				return fmt.Errorf("adam: gradient %d does not match its float32 parameter", i)
			}
			update(data, g, a.m[i], a.v[i], lrT, a.cfg)
		case []float64:
			g, ok := grads[i].Data().([]float64)
			if !ok || len(g) != len(data) {
				return fmt.Errorf("adam: gradient %d does not match its float64 parameter", i)
			}
			update(data, g, a.m[i], a.v[i], lrT, a.cfg)
		default:
			err = fmt.Errorf("adam: parameter %d has unsupported type %T", i, data)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// update keeps the moments in float64 whatever the parameter type, so float32 training
// does not lose the small (1-beta2)*g*g increments.
func update[F float32 | float64](p, g []F, m, v []float64, lrT float64, cfg AdamConfig) {
	b1, b2, eps := cfg.Beta1, cfg.Beta2, cfg.Epsilon
	for j := range p {
		gj := float64(g[j])
		m[j] = b1*m[j] + (1-b1)*gj
		v[j] = b2*v[j] + (1-b2)*gj*gj
		p[j] -= F(lrT * m[j] / (math.Sqrt(v[j]) + eps))
	}
}
