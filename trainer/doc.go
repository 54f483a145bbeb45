// Package trainer fits the model to encoded reviews and keeps a run folder.
//
// It holds the run configuration (YAML, validated, every key overridable), Adam in the form
// Keras implements it, the epoch loop with per-epoch shuffling, seeded dropout and
// validation, and the run folder that evaluate and predict read: config.yaml,
// word_index.json, weights.npz, best.npz, history.csv, metrics.json and curves.png.
package trainer
