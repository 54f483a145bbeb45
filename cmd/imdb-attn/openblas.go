//go:build openblas

package main

import (
	"gonum.org/v1/netlib/blas/netlib"
	G "gorgonia.org/gorgonia"
)

// With the openblas build tag, Gorgonia's and the tensor package's matrix products go to
// OpenBLAS through gonum's cgo bindings instead of gonum's pure-Go BLAS. The matrix products
// (attention's BatchedMatMul above all) are about two thirds of a training step; see the
// README's benchmarks for the measured effect. Needs OpenBLAS's headers and library
// (Debian: libopenblas-dev) and cgo.
func init() {
	G.Use(netlib.Implementation{})
}
