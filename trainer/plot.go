package trainer

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Colours of the curves: training solid blue, validation dashed orange.
var (
	trainColour = color.RGBA{R: 31, G: 119, B: 180, A: 255}
	valColour   = color.RGBA{R: 255, G: 127, B: 14, A: 255}
)

// legendBand is the share of the data's range added above it to hold the legend.
const legendBand = 0.3

// WriteCurves draws loss and accuracy per epoch, training against validation, side by side
// into curves.png.
func WriteCurves(dir string, history []EpochMetrics) error {
	if len(history) == 0 {
		return nil
	}
	lossPlot, err := curvePlot("Loss", history,
		func(m EpochMetrics) float64 { return m.Loss },
		func(m EpochMetrics) float64 { return m.ValLoss })
	if err != nil {
		return err
	}
	accPlot, err := curvePlot("Accuracy", history,
		func(m EpochMetrics) float64 { return m.Acc },
		func(m EpochMetrics) float64 { return m.ValAcc })
	if err != nil {
		return err
	}

	img := vgimg.New(vg.Points(800), vg.Points(320))
	tiles := draw.Tiles{Rows: 1, Cols: 2, PadX: vg.Millimeter * 4,
		PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2,
		PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2}
	plots := [][]*plot.Plot{{lossPlot, accPlot}}
	canvases := plot.Align(plots, tiles, draw.New(img))
	lossPlot.Draw(canvases[0][0])
	accPlot.Draw(canvases[0][1])

	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return fmt.Errorf("run folder: draw curves: %w", err)
	}
	return WriteFileAtomic(filepath.Join(dir, CurvesFile), buf.Bytes())
}

func curvePlot(title string, history []EpochMetrics,
	train, val func(EpochMetrics) float64) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "epoch"
	p.Legend.Top = true

	trainXY := make(plotter.XYs, len(history))
	valXY := make(plotter.XYs, len(history))
	for i, m := range history {
		trainXY[i] = plotter.XY{X: float64(m.Epoch), Y: train(m)}
		valXY[i] = plotter.XY{X: float64(m.Epoch), Y: val(m)}
	}
	for _, c := range []struct {
		name   string
		xy     plotter.XYs
		colour color.Color
		dashed bool
	}{{"training", trainXY, trainColour, false}, {"validation", valXY, valColour, true}} {
		line, points, err := plotter.NewLinePoints(c.xy)
		if err != nil {
			return nil, fmt.Errorf("run folder: %s curve: %w", title, err)
		}
		line.Color, points.Color = c.colour, c.colour
		if c.dashed {
			line.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		}
		p.Add(line, points)
		p.Legend.Add(c.name, line, points)
	}

	// Curves can end in any corner, so the legend gets a band of its own above them.
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, xy := range append(trainXY, valXY...) {
		lo, hi = math.Min(lo, xy.Y), math.Max(hi, xy.Y)
	}
	span := math.Max(hi-lo, 1e-3)
	p.Y.Min, p.Y.Max = lo-0.05*span, hi+legendBand*span
	return p, nil
}
