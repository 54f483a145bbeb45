package model

import (
	"math"
	"math/rand"

	"gorgonia.org/tensor"
)

// embeddingInitLimit bounds Keras's Embedding default initializer,
// RandomUniform(minval=-0.05, maxval=0.05) (embeddings_initializer="uniform").
const embeddingInitLimit = 0.05

// glorotUniformScale is the 6 in Glorot & Bengio (2010)'s uniform limit
// sqrt(6/(fan_in+fan_out)), Keras's default Dense kernel initializer.
const glorotUniformScale = 6.0

// initializer fills a parameter tensor with its starting values.
type initializer interface {
	fill(t *tensor.Dense, rng *rand.Rand)
}

// uniformInit draws each value uniformly from [-limit, limit).
type uniformInit struct{ limit float64 }

func (u uniformInit) fill(t *tensor.Dense, rng *rand.Rand) {
	fillWith(t, func() float64 { return u.limit * (2*rng.Float64() - 1) })
}

// glorotUniformInit draws a (fan_in, fan_out) kernel uniformly from
// [-l, l) with l = sqrt(6/(fan_in+fan_out)).
type glorotUniformInit struct{}

func (glorotUniformInit) fill(t *tensor.Dense, rng *rand.Rand) {
	shape := t.Shape()
	fanIn, fanOut := shape[0], shape[1]
	limit := math.Sqrt(glorotUniformScale / float64(fanIn+fanOut))
	uniformInit{limit}.fill(t, rng)
}

// constantInit sets every value to v (Keras "ones" and "zeros").
type constantInit struct{ v float64 }

func (c constantInit) fill(t *tensor.Dense, _ *rand.Rand) {
	fillWith(t, func() float64 { return c.v })
}

// fillWith sets the values of a float32 or float64 tensor, in row-major
// order, to successive results of next.
func fillWith(t *tensor.Dense, next func() float64) {
	fillIndexed(t, func(int) float64 { return next() })
}

// fillIndexed sets element i (row-major) of a float32 or float64 tensor to
// value(i).
func fillIndexed(t *tensor.Dense, value func(i int) float64) {
	switch data := t.Data().(type) {
	case []float32:
		for i := range data {
			data[i] = float32(value(i))
		}
	case []float64:
		for i := range data {
			data[i] = value(i)
		}
	default:
		panic("model: parameter and input tensors are float32 or float64")
	}
}
