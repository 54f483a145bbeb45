package dataset

// Ids reserved by keras.datasets.imdb.load_data and pad_sequences.
const (
	// PadID fills the front of short sequences (Keras pad_sequences value=0).
	PadID int32 = 0
	// StartID begins every sequence (Keras imdb.load_data start_char=1).
	StartID int32 = 1
	// OOVID replaces ids cut by num_words (Keras imdb.load_data oov_char=2).
	OOVID int32 = 2
	// IndexFrom is added to a word's rank to make its id (Keras imdb.load_data
	// index_from=3), so rank 1 ("the") is id 4.
	IndexFrom = 3
)

// Encoding is the encoding of one text.
type Encoding struct {
	// Tokens are all tokens of the text after Tokenize, known or not.
	Tokens []string
	// IDs is StartID followed by rank+IndexFrom for every token found in the
	// word index, with num_words applied (ids >= num_words become OOVID).
	IDs []int32
	// Unknown counts tokens not in the word index; they are dropped, as Keras
	// drops test-set words outside the training vocabulary.
	Unknown int
	// OOV counts tokens found in the index whose id was cut to OOVID.
	OOV int
}

// Encoder turns text into ids by the rule of keras.datasets.imdb.load_data.
// The same Encoder serves training data and predict input. It is safe for
// concurrent use.
type Encoder struct {
	index    WordIndex
	numWords int32 // 0: no cut
}

// NewEncoder returns an encoder over index keeping ids below numWords, as
// Keras's num_words does; numWords <= 0 keeps every id.
func NewEncoder(index WordIndex, numWords int) *Encoder {
	e := &Encoder{index: index}
	if numWords > 0 {
		e.numWords = clampInt32(numWords)
	}
	return e
}

// NumWords returns the vocabulary cut, 0 when ids are not cut.
func (e *Encoder) NumWords() int { return int(e.numWords) }

// Encode tokenizes text and maps its tokens to ids.
func (e *Encoder) Encode(text string) Encoding {
	enc := Encoding{IDs: []int32{StartID}}
	eachToken([]byte(text), func(tok []byte) {
		enc.Tokens = append(enc.Tokens, string(tok))
		id, ok := e.index.id(tok)
		if !ok {
			enc.Unknown++
			return
		}
		if e.numWords > 0 && id >= e.numWords {
			id = OOVID
			enc.OOV++
		}
		enc.IDs = append(enc.IDs, id)
	})
	return enc
}

// id returns the full-vocabulary id of tok and whether tok is in the index.
func (w WordIndex) id(tok []byte) (int32, bool) {
	rank, ok := w[string(tok)] // no allocation: the compiler converts in place
	if !ok {
		return 0, false
	}
	return int32(rank + IndexFrom), true
}

// encodeFull appends to ids the full-vocabulary ids of text (no start id, no
// num_words cut) and returns them with the count of unknown tokens. It is
// the allocation-light path used to encode the corpus.
func (w WordIndex) encodeFull(text []byte, ids []int32) ([]int32, int) {
	unknown := 0
	eachToken(text, func(tok []byte) {
		if id, ok := w.id(tok); ok {
			ids = append(ids, id)
		} else {
			unknown++
		}
	})
	return ids, unknown
}

// CutVocabulary maps every id >= numWords to OOVID, in place, as Keras's
// num_words does; numWords <= 0 leaves ids unchanged. Pad, start and OOV ids
// are below any useful numWords and are kept.
func CutVocabulary(ids []int32, numWords int) {
	if numWords <= 0 {
		return
	}
	limit := clampInt32(numWords)
	for i, id := range ids {
		if id >= limit {
			ids[i] = OOVID
		}
	}
}

// clampInt32 converts n >= 0 to int32, saturating at the largest int32.
func clampInt32(n int) int32 {
	const maxInt32 = 1<<31 - 1
	if n > maxInt32 {
		return maxInt32
	}
	return int32(n)
}
