package model

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// summaryLayer is one row of the summary table.
type summaryLayer struct {
	name, kind string
	shape      []int // without the batch axis
}

// summaryLayers lists cfg's layers as Keras's functional model names them.
func summaryLayers(cfg Config) []summaryLayer {
	t, d, h := cfg.SeqLen, cfg.EmbedDim, cfg.DenseUnits
	layers := []summaryLayer{
		{"input_layer", "InputLayer", []int{t}},
		{"embedding", "Embedding", []int{t, d}},
		{"attention", "Attention", []int{t, d}},
	}
	if cfg.Residual {
		layers = append(layers, summaryLayer{"add", "Add", []int{t, d}})
	}
	if cfg.LayerNorm {
		layers = append(layers, summaryLayer{"layer_normalization", "LayerNormalization", []int{t, d}})
	}
	return append(layers,
		summaryLayer{"global_average_pooling1d", "GlobalAveragePooling1D", []int{d}},
		summaryLayer{"dense", "Dense", []int{h}},
		summaryLayer{"dropout", "Dropout", []int{h}},
		summaryLayer{"dense_1", "Dense", []int{1}},
	)
}

// layerParams counts the scalars of the parameters named "<layer>/...".
func layerParams(cfg Config, layer string) int {
	total := 0
	for _, s := range paramSpecs(cfg) {
		if strings.HasPrefix(s.name, layer+"/") {
			total += s.shape.TotalSize()
		}
	}
	return total
}

// Summary writes a Keras-style model.summary() of cfg's network to w: one
// row per layer with its output shape (None for the batch axis) and its
// parameter count, then the totals (all parameters are trainable) and the
// switches that differ between configs.
func Summary(w io.Writer, cfg Config) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	header := [3]string{"Layer (type)", "Output Shape", "Param #"}
	var rows [][3]string
	for _, l := range summaryLayers(cfg) {
		rows = append(rows, [3]string{
			fmt.Sprintf("%s (%s)", l.name, l.kind),
			batchShape(l.shape),
			groupThousands(layerParams(cfg, l.name)),
		})
	}
	widths := [3]int{}
	for _, r := range append(rows, header) {
		for i, cell := range r {
			widths[i] = max(widths[i], len(cell)+2)
		}
	}
	line := func(c string) string { return strings.Repeat(c, widths[0]+widths[1]+widths[2]) }
	row := func(r [3]string) string {
		return fmt.Sprintf("%-*s%-*s%s", widths[0], r[0], widths[1], r[1], r[2])
	}

	total := ParamCount(cfg)
	size := formatBytes(total * bytesPerScalar(cfg))
	var b strings.Builder
	fmt.Fprintf(&b, "Model: %q\n%s\n%s\n%s\n", "imdb_attn", line("_"), row(header), line("="))
	for i, r := range rows {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(row(r) + "\n")
	}
	fmt.Fprintf(&b, "%s\n", line("="))
	fmt.Fprintf(&b, "Total params: %s (%s)\n", groupThousands(total), size)
	fmt.Fprintf(&b, "Trainable params: %s (%s)\n", groupThousands(total), size)
	fmt.Fprintf(&b, "Non-trainable params: 0 (0.00 B)\n")
	fmt.Fprintf(&b, "%s\n", line("_"))
	fmt.Fprintf(&b, "residual %s, layer norm %s, attention scaling %s, pad masking %s, "+
		"dropout %g, %s\n", onOff(cfg.Residual), onOff(cfg.LayerNorm),
		onOff(cfg.ScaleAttention), onOff(cfg.MaskPadding), cfg.DropoutRate, dtypeName(cfg))
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("model: write summary: %w", err)
	}
	return nil
}

// batchShape formats a shape with Keras's None for the batch axis.
func batchShape(shape []int) string {
	parts := []string{"None"}
	for _, s := range shape {
		parts = append(parts, strconv.Itoa(s))
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// groupThousands writes n with commas between groups of three digits.
func groupThousands(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// formatBytes writes a size in the largest binary unit (KB = 1024 B) that
// keeps it at least 1, with two decimals, as Keras's summary does.
func formatBytes(n int) string {
	units := []string{"B", "KB", "MB", "GB"}
	v, u := float64(n), 0
	for v >= 1024 && u < len(units)-1 {
		v /= 1024
		u++
	}
	return fmt.Sprintf("%.2f %s", v, units[u])
}

// bytesPerScalar is the size of one parameter in cfg's dtype.
func bytesPerScalar(cfg Config) int {
	if cfg.DType == DTypeFloat64 {
		return 8
	}
	return 4
}

// dtypeName is cfg's dtype with the empty default spelled out.
func dtypeName(cfg Config) string {
	if cfg.DType == "" {
		return DTypeFloat32
	}
	return cfg.DType
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
