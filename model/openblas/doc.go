// Package openblas routes Gorgonia's matrix products to OpenBLAS when the program is built
// with the openblas tag (go build -tags openblas); without the tag it does nothing and
// Gorgonia keeps gonum's pure-Go BLAS.
//
// The matrix products, above all the attention's BatchedMatMul, are about two thirds of a
// training step; model.BenchmarkTrainStepBLAS measures both libraries side by side. The tag
// needs cgo and OpenBLAS's library and headers (Debian: apt-get install libopenblas-dev).
package openblas
