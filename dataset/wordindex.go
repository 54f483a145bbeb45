package dataset

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
)

// WordIndexFile is the file name of Keras's word index
// (keras.datasets.imdb.get_word_index, path="imdb_word_index.json").
const WordIndexFile = "imdb_word_index.json"

// KerasWordIndexSize is the number of entries in Keras's imdb_word_index.json
// (ranks 1..88584; see ../shared/data/imdb/README.md).
const KerasWordIndexSize = 88584

// WordIndex maps a token to its frequency rank in the training set, 1 for the
// most frequent ("the"), as Keras's imdb_word_index.json does.
type WordIndex map[string]int

// LoadWordIndex reads a word index from a JSON file holding one object that
// maps each word to a positive integer rank. The error names the file and
// what is wrong with it.
func LoadWordIndex(path string) (WordIndex, error) {
	raw, _, err := readWordIndexFile(path)
	if err != nil {
		return nil, err
	}
	return ParseWordIndex(bytes.NewReader(raw), filepath.Base(path))
}

// readWordIndexFile returns the bytes of a word index file and their SHA-256
// (hex), which keys the encoded cache.
func readWordIndexFile(path string) ([]byte, string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, "", fmt.Errorf("dataset: read word index: %w", err)
	}
	sum := sha256.Sum256(raw)
	return raw, hex.EncodeToString(sum[:]), nil
}

// ParseWordIndex parses a word index from r; name is used in errors. It
// rejects anything but a single non-empty JSON object whose values are
// integers in 1..math.MaxInt32-IndexFrom (ids must fit an int32).
func ParseWordIndex(r io.Reader, name string) (WordIndex, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("dataset: read word index %s: %w", name, err)
	}

	// The common case decodes straight into the map; anything odd is decoded
	// again, loosely, to say which word is wrong and how.
	var index WordIndex
	if err := json.Unmarshal(raw, &index); err != nil || index == nil {
		return nil, explainWordIndex(raw, name, err)
	}
	if len(index) == 0 {
		return nil, badWordIndex(name, "the object is empty")
	}
	for word, rank := range index {
		if rank < 1 || rank > math.MaxInt32-IndexFrom {
			// A JSON null also decodes as 0: look closer before blaming the rank.
			if err := explainWordIndex(raw, name, nil); err != nil {
				return nil, err
			}
			return nil, badWordIndex(name, "%q maps to %d, not a positive int32 rank", word, rank)
		}
	}
	return index, nil
}

// badWordIndex formats an error about word index name.
func badWordIndex(name, format string, args ...any) error {
	return fmt.Errorf("dataset: word index %s is not a JSON object of word to positive int: %s",
		name, fmt.Sprintf(format, args...))
}

// explainWordIndex says what is wrong with a word index that is not an
// object of word to integer, or returns the decoding error decodeErr when it
// finds nothing more precise (nil when that is nil too).
func explainWordIndex(raw []byte, name string, decodeErr error) error {
	if len(bytes.TrimSpace(raw)) == 0 {
		return badWordIndex(name, "the file is empty")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var loose any
	if err := dec.Decode(&loose); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return badWordIndex(name, "the JSON ends early; is the file truncated?")
		}
		return badWordIndex(name, "%v", err)
	}
	object, ok := loose.(map[string]any)
	if !ok {
		return badWordIndex(name, "found %s", jsonKind(loose))
	}
	for word, v := range object {
		num, ok := v.(json.Number)
		if !ok {
			return badWordIndex(name, "%q maps to %s, not an integer", word, jsonKind(v))
		}
		if _, err := strconv.ParseInt(string(num), 10, 64); err != nil {
			return badWordIndex(name, "%q maps to %s, not an integer", word, num)
		}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return badWordIndex(name, "data after the object")
	}
	if decodeErr != nil {
		return badWordIndex(name, "%v", decodeErr)
	}
	return nil
}

// jsonKind names the JSON type of a value decoded into an any.
func jsonKind(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case json.Number:
		return "the number " + string(v)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	default:
		return fmt.Sprintf("%T", v)
	}
}
