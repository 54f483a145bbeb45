//go:build openblas

package openblas

// #cgo LDFLAGS: -lopenblas
import "C"

import (
	"gonum.org/v1/netlib/blas/netlib"
	G "gorgonia.org/gorgonia"
)

// Use makes Gorgonia (and the tensor package under it) use OpenBLAS.
func Use() { G.Use(netlib.Implementation{}) }

// Implementation is the OpenBLAS-backed BLAS, for benchmarks that compare libraries.
func Implementation() G.BLAS { return netlib.Implementation{} }
