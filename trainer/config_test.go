package trainer

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestShippedConfigsLoad(t *testing.T) {
	for _, name := range []string{"base", "tiny"} {
		cfg, err := LoadConfig(filepath.Join("..", "configs", name+".yaml"))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if cfg.Name != name {
			t.Errorf("%s: name = %q", name, cfg.Name)
		}
	}
}

// The base config must be exactly the notebook's run, which DefaultConfig also encodes.
func TestBaseConfigIsTheNotebook(t *testing.T) {
	cfg, err := LoadConfig(filepath.Join("..", "configs", "base.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg != DefaultConfig() {
		t.Errorf("configs/base.yaml differs from DefaultConfig:\n%+v\n%+v", cfg, DefaultConfig())
	}
	m := cfg.Model
	if m.VocabSize != 10000 || m.SeqLen != 200 || m.EmbedDim != 128 || m.DenseUnits != 64 ||
		m.DropoutRate != 0.5 || !m.Residual || !m.LayerNorm || m.ScaleAttention ||
		m.MaskPadding {
		t.Errorf("model section is not the notebook's: %+v", m)
	}
	if cfg.Train.Epochs != 5 || cfg.Train.BatchSize != 32 || cfg.Data.ValidationSplit != 0.2 {
		t.Errorf("fit arguments are not the notebook's: %+v %+v", cfg.Train, cfg.Data)
	}
}

func TestParseConfigErrorsNameTheKey(t *testing.T) {
	cases := []struct {
		name, yaml, want string
	}{
		{"unknown top key", "nmae: x\n", "nmae"},
		{"unknown nested key", "train:\n  epoch: 3\n", "epoch"},
		{"wrong type", "train:\n  epochs: three\n", "three"},
		{"zero epochs", "train:\n  epochs: 0\n", "train.epochs"},
		{"negative batch", "train:\n  batch_size: -1\n", "train.batch_size"},
		{"split of one", "data:\n  validation_split: 1\n", "data.validation_split"},
		{"beta out of range", "train:\n  adam:\n    beta2: 1.5\n", "train.adam.beta2"},
		{"no learning rate", "train:\n  adam:\n    learning_rate: 0\n",
			"train.adam.learning_rate"},
		{"empty name", "name: ''\n", "name"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tc.yaml))
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

func TestSetOverridesOneKey(t *testing.T) {
	cfg := DefaultConfig()
	for key, value := range map[string]string{
		"train.epochs": "2", "model.residual": "false", "train.adam.learning_rate": "1e-4",
		"name": "ablation", "data.train_limit": "100",
	} {
		if err := cfg.Set(key, value); err != nil {
			t.Fatalf("Set(%s, %s): %v", key, value, err)
		}
	}
	if cfg.Train.Epochs != 2 || cfg.Model.Residual || cfg.Train.Adam.LearningRate != 1e-4 ||
		cfg.Name != "ablation" || cfg.Data.TrainLimit != 100 {
		t.Errorf("overrides not applied: %+v", cfg)
	}
	got, err := cfg.Get("train.adam.learning_rate")
	if err != nil || got != "0.0001" {
		t.Errorf("Get = %q, %v", got, err)
	}
}

func TestSetRejects(t *testing.T) {
	cases := []struct{ key, value, want string }{
		{"train.epoch", "2", "unknown key"},
		{"train", "2", "unknown key"},
		{"train.epochs.x", "2", "unknown key"},
		{"train.epochs", "two", "train.epochs"},
		{"train.epochs", "0", "train.epochs"},
		{"model.residual", "maybe", "model.residual"},
	}
	for _, tc := range cases {
		cfg := DefaultConfig()
		err := cfg.Set(tc.key, tc.value)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Set(%s, %s) = %v, want an error mentioning %q", tc.key, tc.value, err,
				tc.want)
		}
	}
}

func TestKeysCoverEveryLeaf(t *testing.T) {
	keys := map[string]bool{}
	for _, k := range Keys() {
		keys[k.Key] = true
	}
	for _, want := range []string{"name", "data.dir", "data.validation_split",
		"model.vocab_size", "model.mask_padding", "train.epochs", "train.adam.epsilon"} {
		if !keys[want] {
			t.Errorf("Keys() lacks %s", want)
		}
	}
	cfg := DefaultConfig()
	for k := range keys {
		if _, err := cfg.Get(k); err != nil {
			t.Errorf("Get(%s): %v", k, err)
		}
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Name = "round"
	cfg.Model.MaskPadding = true
	raw, err := cfg.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseConfig(raw)
	if err != nil {
		t.Fatal(err)
	}
	if back != cfg {
		t.Errorf("round trip changed the config:\n%+v\n%+v", cfg, back)
	}
}
