// Package model declares the network of the Keras teaching notebook
// "residual connections and layer normalization" (IMDB sentiment) as a
// symbolic Gorgonia v0.9.18 expression graph, holds its parameters, runs
// forward and backward passes, prints a Keras-style summary, and saves and
// loads the weights as .npz files that numpy can read.
//
// The network, for a batch of B padded reviews of T token ids:
//
//	embedding    (B,T,d)  table lookup, init uniform(-0.05, 0.05)
//	attention    (B,T,d)  softmax(e·eᵀ)·e, no scaling (Keras Attention())
//	residual     (B,T,d)  e + attention
//	layer norm   (B,T,d)  over the last axis, epsilon 1e-3
//	pooling      (B,d)    mean over time, pads included
//	dense, relu  (B,64)   Glorot-uniform kernel, zero bias
//	dropout      (B,64)   inverted dropout, training only
//	dense        (B,1)    the logit; the loss is binary cross-entropy
//
// Parameters live in a Params value; every Net built from it reads and
// differentiates those same tensors, so an optimizer that updates them in
// place is seen by all nets at once.
package model
