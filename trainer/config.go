package trainer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"gopkg.in/yaml.v3"

	"github.com/imdb-attn/imdb-attn/model"
)

// Defaults of the notebook's run, each with its source.
const (
	// DefaultEpochs is the notebook's model.fit(epochs=5).
	DefaultEpochs = 5
	// DefaultBatchSize is the notebook's model.fit(batch_size=32).
	DefaultBatchSize = 32
	// DefaultValidationSplit is the notebook's model.fit(validation_split=0.2).
	DefaultValidationSplit = 0.2
	// DefaultLearningRate is Keras Adam's learning_rate default.
	DefaultLearningRate = 1e-3
	// DefaultBeta1 is Keras Adam's beta_1 default.
	DefaultBeta1 = 0.9
	// DefaultBeta2 is Keras Adam's beta_2 default.
	DefaultBeta2 = 0.999
	// DefaultEpsilon is Keras Adam's epsilon default (added to sqrt(v), the "epsilon hat"
	// of Kingma and Ba, section 2).
	DefaultEpsilon = 1e-7
	// DefaultSeed seeds weights, dropout and the per-epoch shuffles; any fixed value works.
	DefaultSeed = 1337
	// DefaultShuffleSeed is the seed Keras's imdb.load_data shuffles the reviews with.
	DefaultShuffleSeed = 113
)

// Config is a whole run: where the data comes from, the network and the training loop.
// It is what a YAML file under configs/ holds, and what a run folder keeps as config.yaml.
type Config struct {
	// Name names the run; the run folder defaults to runs/<name>.
	Name  string       `yaml:"name"`
	Data  DataConfig   `yaml:"data"`
	Model model.Config `yaml:"model"`
	Train TrainConfig  `yaml:"train"`
}

// DataConfig says which reviews the run reads and how they are split.
type DataConfig struct {
	// Dir is the data folder; empty means the --data flag, $IMDB_ATTN_DATA or the cache.
	Dir string `yaml:"dir"`
	// CacheDir holds the encoded-data cache; empty means the per-user cache folder.
	CacheDir string `yaml:"cache_dir"`
	// ShuffleSeed orders the reviews once before the validation split (default 113, as Keras).
	ShuffleSeed int64 `yaml:"shuffle_seed"`
	// ValidationSplit is the held-out tail fraction of the training set (default 0.2).
	ValidationSplit float64 `yaml:"validation_split"`
	// TrainLimit keeps only the first N shuffled training reviews (0: all), for quick runs.
	TrainLimit int `yaml:"train_limit"`
	// TestLimit keeps only the first N shuffled test reviews (0: all), for quick runs.
	TestLimit int `yaml:"test_limit"`
}

// TrainConfig drives the loop and the optimizer.
type TrainConfig struct {
	Epochs    int   `yaml:"epochs"`     // default 5
	BatchSize int   `yaml:"batch_size"` // default 32
	Seed      int64 `yaml:"seed"`       // weights, dropout masks and epoch shuffles
	// EvalBatchSize is the batch size for validation and evaluation (default 64).
	EvalBatchSize int        `yaml:"eval_batch_size"`
	Adam          AdamConfig `yaml:"adam"`
}

// AdamConfig holds Adam's hyperparameters in Keras's form.
type AdamConfig struct {
	LearningRate float64 `yaml:"learning_rate"` // default 1e-3
	Beta1        float64 `yaml:"beta1"`         // default 0.9
	Beta2        float64 `yaml:"beta2"`         // default 0.999
	Epsilon      float64 `yaml:"epsilon"`       // default 1e-7
}

// DefaultEvalBatchSize is larger than the training batch: evaluation keeps no gradients.
const DefaultEvalBatchSize = 64

// DefaultConfig returns the notebook's run.
func DefaultConfig() Config {
	return Config{
		Name: "base",
		Data: DataConfig{
			ShuffleSeed:     DefaultShuffleSeed,
			ValidationSplit: DefaultValidationSplit,
		},
		Model: model.DefaultConfig(),
		Train: TrainConfig{
			Epochs:        DefaultEpochs,
			BatchSize:     DefaultBatchSize,
			Seed:          DefaultSeed,
			EvalBatchSize: DefaultEvalBatchSize,
			Adam: AdamConfig{
				LearningRate: DefaultLearningRate,
				Beta1:        DefaultBeta1,
				Beta2:        DefaultBeta2,
				Epsilon:      DefaultEpsilon,
			},
		},
	}
}

// ErrConfig marks a configuration that cannot be used.
var ErrConfig = errors.New("invalid config")

// LoadConfig reads a YAML run configuration over the defaults. Unknown keys and values of the
// wrong type are errors that name the key; the result is validated.
func LoadConfig(path string) (Config, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	cfg, err := ParseConfig(raw)
	if err != nil {
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	return cfg, nil
}

// ParseConfig decodes YAML over DefaultConfig and validates the result.
func ParseConfig(raw []byte) (Config, error) {
	cfg := DefaultConfig()
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		return Config{}, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// Validate checks every value and names the first key that is out of range.
func (c Config) Validate() error {
	bad := func(key, format string, args ...any) error {
		return fmt.Errorf("%w: %s %s", ErrConfig, key, fmt.Sprintf(format, args...))
	}
	switch {
	case c.Name == "":
		return bad("name", "must not be empty")
	case c.Data.ValidationSplit < 0 || c.Data.ValidationSplit >= 1:
		return bad("data.validation_split", "must be in [0, 1), got %g", c.Data.ValidationSplit)
	case c.Data.TrainLimit < 0:
		return bad("data.train_limit", "must be >= 0 (0 means all), got %d", c.Data.TrainLimit)
	case c.Data.TestLimit < 0:
		return bad("data.test_limit", "must be >= 0 (0 means all), got %d", c.Data.TestLimit)
	case c.Train.Epochs < 1:
		return bad("train.epochs", "must be >= 1, got %d", c.Train.Epochs)
	case c.Train.BatchSize < 1:
		return bad("train.batch_size", "must be >= 1, got %d", c.Train.BatchSize)
	case c.Train.EvalBatchSize < 1:
		return bad("train.eval_batch_size", "must be >= 1, got %d", c.Train.EvalBatchSize)
	case !(c.Train.Adam.LearningRate > 0):
		return bad("train.adam.learning_rate", "must be > 0, got %g", c.Train.Adam.LearningRate)
	case c.Train.Adam.Beta1 < 0 || c.Train.Adam.Beta1 >= 1:
		return bad("train.adam.beta1", "must be in [0, 1), got %g", c.Train.Adam.Beta1)
	case c.Train.Adam.Beta2 < 0 || c.Train.Adam.Beta2 >= 1:
		return bad("train.adam.beta2", "must be in [0, 1), got %g", c.Train.Adam.Beta2)
	case !(c.Train.Adam.Epsilon > 0):
		return bad("train.adam.epsilon", "must be > 0, got %g", c.Train.Adam.Epsilon)
	}
	if err := c.Model.Validate(); err != nil {
		return fmt.Errorf("%w: model: %v", ErrConfig, err)
	}
	return nil
}

// Marshal renders the config as YAML, the form a run folder keeps.
func (c Config) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(c); err != nil {
		return nil, fmt.Errorf("config: encode: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("config: encode: %w", err)
	}
	return buf.Bytes(), nil
}
