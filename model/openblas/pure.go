//go:build !openblas

package openblas

import G "gorgonia.org/gorgonia"

// Enabled reports whether this build routes matrix products to OpenBLAS.
const Enabled = false

// Use does nothing without the openblas build tag.
func Use() {}

// Implementation is nil without the openblas build tag.
func Implementation() G.BLAS { return nil }
