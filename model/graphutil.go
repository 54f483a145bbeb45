package model

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// scalarLike returns a constant scalar node holding v in like's dtype.
func scalarLike(like *G.Node, v float64) (*G.Node, error) {
	switch like.Dtype() {
	case G.Float32:
		return G.NewConstant(float32(v)), nil
	case G.Float64:
		return G.NewConstant(v), nil
	}
	return nil, fmt.Errorf("model: dtype %v: want float32 or float64", like.Dtype())
}

// filledVector returns a constant vector node of n copies of v in dtype dt.
//
// The vectors feed outer products that stand in for Gorgonia's Broadcast*
// ops: those copy their operand through Repeat, while a product with a
// vector of ones is one small GEMM forward and two backward.
func filledVector(g *G.ExprGraph, dt tensor.Dtype, n int, v float64, name string) *G.Node {
	t := tensor.New(tensor.WithShape(n), tensor.Of(dt))
	fillWith(t, func() float64 { return v })
	return G.NewVector(g, dt, G.WithShape(n), G.WithName(name), G.WithValue(t))
}

// broadcastRows returns the (len(col), len(row)) matrix whose entry (i, j)
// is col[i]·row[j]: with col all ones it repeats row down the rows, with
// row all ones it repeats col across the columns.
//
// It is a (n,1)·(1,m) matrix product rather than G.OuterProd, whose
// symbolic gradient in v0.9.18 is wrong: it multiplies each operand by the
// upstream gradient instead of the other operand, which fails shape
// inference unless n = m and gives the wrong numbers when n = m.
func broadcastRows(col, row *G.Node) (*G.Node, error) {
	n, m := col.Shape().TotalSize(), row.Shape().TotalSize()
	colM, err := G.Reshape(col, tensor.Shape{n, 1})
	if err != nil {
		return nil, fmt.Errorf("model: broadcast column: %w", err)
	}
	rowM, err := G.Reshape(row, tensor.Shape{1, m})
	if err != nil {
		return nil, fmt.Errorf("model: broadcast row: %w", err)
	}
	out, err := G.Mul(colM, rowM)
	if err != nil {
		return nil, fmt.Errorf("model: broadcast product: %w", err)
	}
	return out, nil
}
