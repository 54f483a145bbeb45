package model

import (
	"math"
)

// refNet is the network written as plain loops over float64 slices,
// independently of Gorgonia, to check the graph's forward pass.
type refNet struct {
	cfg    Config
	params map[string][]float64 // row-major, by Keras-like name
}

// newRefNet copies p's values into a refNet.
func newRefNet(p *Params) refNet {
	r := refNet{cfg: p.Config(), params: map[string][]float64{}}
	for i, t := range p.Tensors() {
		vals := make([]float64, t.Shape().TotalSize())
		for j := range vals {
			vals[j] = floatAt(t, j)
		}
		r.params[p.Names()[i]] = vals
	}
	return r
}

// logits returns the logit of each row of ids (rows × SeqLen); dropMask,
// when not nil, multiplies the hidden units (rows × DenseUnits).
func (r refNet) logits(ids []int32, dropMask []float64) []float64 {
	t := r.cfg.SeqLen
	out := make([]float64, len(ids)/t)
	for b := range out {
		var mask []float64
		if dropMask != nil {
			mask = dropMask[b*r.cfg.DenseUnits : (b+1)*r.cfg.DenseUnits]
		}
		out[b] = r.rowLogit(ids[b*t:(b+1)*t], mask)
	}
	return out
}

// rowLogit runs one review through the network.
func (r refNet) rowLogit(ids []int32, dropMask []float64) float64 {
	cfg := r.cfg
	t, d, h := cfg.SeqLen, cfg.EmbedDim, cfg.DenseUnits

	// Embedding lookup.
	table := r.params[nameEmbeddings]
	e := make([][]float64, t)
	for i, id := range ids {
		e[i] = append([]float64(nil), table[int(id)*d:(int(id)+1)*d]...)
	}

	// Self-attention: softmax over keys of e_i·e_j, then the weighted sum.
	x := make([][]float64, t)
	for i := 0; i < t; i++ {
		scores := make([]float64, t)
		for j := 0; j < t; j++ {
			for k := 0; k < d; k++ {
				scores[j] += e[i][k] * e[j][k]
			}
			if cfg.ScaleAttention {
				scores[j] /= math.Sqrt(float64(d))
			}
		}
		weights := softmax(scores, func(j int) bool {
			return cfg.MaskPadding && ids[j] == PadID
		})
		x[i] = make([]float64, d)
		for j := 0; j < t; j++ {
			for k := 0; k < d; k++ {
				x[i][k] += weights[j] * e[j][k]
			}
		}
		if cfg.Residual {
			for k := 0; k < d; k++ {
				x[i][k] += e[i][k]
			}
		}
		if cfg.LayerNorm {
			x[i] = r.layerNorm(x[i])
		}
	}

	// Average pooling over time, over real positions only when masking.
	pooled := make([]float64, d)
	count := 0
	for i := 0; i < t; i++ {
		if cfg.MaskPadding && ids[i] == PadID {
			continue
		}
		count++
		for k := 0; k < d; k++ {
			pooled[k] += x[i][k]
		}
	}
	for k := range pooled {
		if count > 0 {
			pooled[k] /= float64(count)
		}
	}

	// Dense relu, dropout, dense output.
	kernel, bias := r.params[nameHidden], r.params[nameHiddenBias]
	hidden := make([]float64, h)
	for u := 0; u < h; u++ {
		s := bias[u]
		for k := 0; k < d; k++ {
			s += pooled[k] * kernel[k*h+u]
		}
		hidden[u] = math.Max(s, 0)
		if dropMask != nil {
			hidden[u] *= dropMask[u]
		}
	}
	logit := r.params[nameOutputBias][0]
	for u := 0; u < h; u++ {
		logit += hidden[u] * r.params[nameOutput][u]
	}
	return logit
}

// layerNorm normalizes v with the biased variance and Keras's epsilon.
func (r refNet) layerNorm(v []float64) []float64 {
	n := float64(len(v))
	mean, variance := 0.0, 0.0
	for _, x := range v {
		mean += x / n
	}
	for _, x := range v {
		variance += (x - mean) * (x - mean) / n
	}
	gamma, beta := r.params[nameLNGamma], r.params[nameLNBeta]
	out := make([]float64, len(v))
	for k, x := range v {
		out[k] = gamma[k]*(x-mean)/math.Sqrt(variance+1e-3) + beta[k]
	}
	return out
}

// softmax returns exp(s_j - max)/Σ exp(s - max) over the positions that
// skip does not exclude; excluded positions get weight 0. At least one
// position must be kept.
func softmax(s []float64, skip func(j int) bool) []float64 {
	top := math.Inf(-1)
	for j, v := range s {
		if !skip(j) {
			top = math.Max(top, v)
		}
	}
	out := make([]float64, len(s))
	sum := 0.0
	for j, v := range s {
		if !skip(j) {
			out[j] = math.Exp(v - top)
			sum += out[j]
		}
	}
	for j := range out {
		out[j] /= sum
	}
	return out
}

// refLoss is the mean over rows of -y·log σ(z) - (1-y)·log(1-σ(z)).
func refLoss(logits []float64, labels []float32) float64 {
	total := 0.0
	for i, z := range logits {
		p := 1 / (1 + math.Exp(-z))
		y := float64(labels[i])
		total += -y*math.Log(p) - (1-y)*math.Log(1-p)
	}
	return total / float64(len(logits))
}
