package model

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// The notebook's hyperparameters (Keras example "residual connections and
// layer normalization" on IMDB): DefaultConfig returns them.
const (
	// DefaultVocabSize is imdb.load_data(num_words=10000).
	DefaultVocabSize = 10000
	// DefaultSeqLen is pad_sequences(maxlen=200).
	DefaultSeqLen = 200
	// DefaultEmbedDim is Embedding(10000, 128).
	DefaultEmbedDim = 128
	// DefaultDenseUnits is Dense(64, activation="relu").
	DefaultDenseUnits = 64
	// DefaultDropoutRate is Dropout(0.5).
	DefaultDropoutRate = 0.5
)

// Names of the supported element types, as written in a config.
const (
	DTypeFloat32 = "float32"
	DTypeFloat64 = "float64"
)

// PadID is the id that Keras pad_sequences writes into padding positions
// (value=0 by default); with MaskPadding it marks positions to ignore.
const PadID = 0

// Config describes the network. The zero value is not usable; start from
// DefaultConfig, which reproduces the notebook.
type Config struct {
	// VocabSize is the number of token ids, 0..VocabSize-1. Default 10000.
	VocabSize int `yaml:"vocab_size"`
	// SeqLen is the padded review length T. Default 200.
	SeqLen int `yaml:"seq_len"`
	// EmbedDim is the embedding width d. Default 128.
	EmbedDim int `yaml:"embed_dim"`
	// DenseUnits is the width of the hidden dense layer. Default 64.
	DenseUnits int `yaml:"dense_units"`
	// DropoutRate is the fraction of hidden units dropped in training,
	// in [0, 1). Default 0.5.
	DropoutRate float64 `yaml:"dropout"`
	// Residual adds the embedding to the attention output. Default true.
	Residual bool `yaml:"residual"`
	// LayerNorm normalizes each position over its d features. Default true.
	LayerNorm bool `yaml:"layer_norm"`
	// ScaleAttention multiplies the scores by 1/sqrt(d) before the softmax,
	// as in Vaswani et al. 2017; Keras Attention() does not. Default false.
	ScaleAttention bool `yaml:"scale_attention"`
	// MaskPadding keeps PadID positions out of the attention keys and out
	// of the average pooling; the notebook attends to them. Default false.
	MaskPadding bool `yaml:"mask_padding"`
	// DType is "float32" (default; an empty string means it too) or "float64".
	DType string `yaml:"dtype"`
}

// DefaultConfig returns the notebook's network: 10000 ids, T 200, d 128,
// 64 hidden units, dropout 0.5, residual and layer norm on, no attention
// scaling, no padding mask, float32.
func DefaultConfig() Config {
	return Config{
		VocabSize:   DefaultVocabSize,
		SeqLen:      DefaultSeqLen,
		EmbedDim:    DefaultEmbedDim,
		DenseUnits:  DefaultDenseUnits,
		DropoutRate: DefaultDropoutRate,
		Residual:    true,
		LayerNorm:   true,
		DType:       DTypeFloat32,
	}
}

// Validate reports the first field outside its allowed range.
func (c Config) Validate() error {
	switch {
	case c.VocabSize < 2:
		return fmt.Errorf("model: vocab_size %d: want at least 2 (pad id 0 and one token)",
			c.VocabSize)
	case c.SeqLen < 1:
		return fmt.Errorf("model: seq_len %d: want at least 1", c.SeqLen)
	case c.EmbedDim < 1:
		return fmt.Errorf("model: embed_dim %d: want at least 1", c.EmbedDim)
	case c.DenseUnits < 1:
		return fmt.Errorf("model: dense_units %d: want at least 1", c.DenseUnits)
	case !(c.DropoutRate >= 0 && c.DropoutRate < 1):
		return fmt.Errorf("model: dropout %v: want a rate in [0, 1)", c.DropoutRate)
	}
	if _, err := c.dtype(); err != nil {
		return err
	}
	return nil
}

// dtype maps the DType name to Gorgonia's element type.
func (c Config) dtype() (tensor.Dtype, error) {
	switch c.DType {
	case DTypeFloat32, "":
		return G.Float32, nil
	case DTypeFloat64:
		return G.Float64, nil
	}
	return tensor.Dtype{}, fmt.Errorf("model: dtype %q: want %q or %q",
		c.DType, DTypeFloat32, DTypeFloat64)
}
