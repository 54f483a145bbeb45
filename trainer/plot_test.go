package trainer

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteCurvesDrawsAPNG(t *testing.T) {
	dir := t.TempDir()
	history := []EpochMetrics{
		{Epoch: 1, Loss: 0.39, Acc: 0.82, ValLoss: 0.32, ValAcc: 0.87},
		{Epoch: 2, Loss: 0.23, Acc: 0.91, ValLoss: 0.29, ValAcc: 0.88},
		{Epoch: 3, Loss: 0.16, Acc: 0.94, ValLoss: 0.32, ValAcc: 0.88},
	}
	if err := WriteCurves(dir, history); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, CurvesFile))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("curves.png is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 400 || b.Dy() < 200 {
		t.Errorf("curves.png is %dx%d, want a readable size", b.Dx(), b.Dy())
	}
	// One epoch (a flat line) must draw too.
	if err := WriteCurves(dir, history[:1]); err != nil {
		t.Errorf("one epoch: %v", err)
	}
}
