//go:build !openblas

package openblas

import G "gorgonia.org/gorgonia"

// Use does nothing without the openblas build tag.
func Use() {}

// Implementation is nil without the openblas build tag.
func Implementation() G.BLAS { return nil }
