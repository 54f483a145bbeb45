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
//   - review.go, archive.go, folder.go, source.go: the labelled reviews, from
//     the tarball (streamed, never extracted) or an extracted folder
//   - corpus.go: Load, the encoded train and test splits
//   - set.go, shuffle.go, batch.go: sets, seeded orders, validation split, batches
//   - cache.go, cachekey.go, npywrite.go: the encoded corpus as an .npz keyed by
//     its inputs
//   - resolve.go, fetch.go, download.go: where the data lives and how it is
//     downloaded
//   - info.go: counts, vocabulary coverage and length figures
//
// A typical use, as Keras's notebook does it:
//
//	corpus, err := dataset.Load(dir, dataset.LoadOptions{})
//	train := corpus.Train.Shuffled(dataset.KerasShuffleSeed)
//	fit, val, err := train.SplitTail(0.2)
//	batches := fit.Batches(dataset.EpochOrder(fit.Len(), seed, epoch), 32, 200, 10000)
//
// The package knows nothing of the model: it hands out []int32 ids and labels.
package dataset
