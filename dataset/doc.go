// Package dataset turns the Large Movie Review Dataset (aclImdb v1, Maas et
// al. 2011) into the integer sequences that Keras's imdb.load_data produces,
// and from there into padded batches.
//
// The steps, each in its own file:
//
//   - tokenize.go: Keras's text filter, ASCII lower-casing, split on spaces
//   - wordindex.go: Keras's imdb_word_index.json, word to frequency rank
//   - encode.go: rank+3, start id 1, unknown words dropped, num_words cut to 2
//   - pad.go: Keras pad_sequences with padding and truncating 'pre'
//   - archive.go, folder.go: reviews from the tarball (streamed) or a folder
//   - set.go, shuffle.go, batch.go: sets, seeded orders, validation split, batches
//   - cache.go: the encoded corpus as an .npz, keyed by what built it
//   - resolve.go, fetch.go: where the data lives and how it is downloaded
//   - info.go: counts, vocabulary coverage and length figures
//
// The package knows nothing of the model: it hands out []int32 ids and labels.
package dataset
