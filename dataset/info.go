package dataset

import (
	"math"
	"slices"
	"strconv"
)

// infoPercentiles are the percentiles of sequence length that Info reports.
var infoPercentiles = []float64{50, 90, 95, 99}

// Info summarizes a corpus for people and scripts.
type Info struct {
	Dir           string      `json:"dir"`
	Source        string      `json:"source"`
	CachePath     string      `json:"cache_path,omitempty"`
	FromCache     bool        `json:"from_cache"`
	WordIndexSize int         `json:"word_index_size"`
	NumWords      int         `json:"num_words"` // vocabulary cut; 0 = none
	MaxLen        int         `json:"maxlen"`
	Splits        []SplitInfo `json:"splits"`
}

// SplitInfo describes one split. Lengths count ids as Keras's sequences do:
// the start id plus one id per token found in the word index.
type SplitInfo struct {
	Name    string `json:"name"`
	Reviews int    `json:"reviews"`
	Pos     int    `json:"pos"`
	Neg     int    `json:"neg"`

	// Tokens counts all tokens; Known those in the word index; Unknown those
	// dropped; InVocab the known ones with id < NumWords (all known ones
	// when there is no cut).
	Tokens  int64 `json:"tokens"`
	Known   int64 `json:"known"`
	Unknown int64 `json:"unknown"`
	InVocab int64 `json:"in_vocab"`
	// Coverage is Known/Tokens; VocabCoverage is InVocab/Tokens.
	Coverage      float64 `json:"coverage"`
	VocabCoverage float64 `json:"vocab_coverage"`
	// DistinctWords counts the index words that occur in the split.
	DistinctWords int `json:"distinct_words"`

	Length LengthInfo `json:"length"`
	// Truncated counts sequences longer than MaxLen, which lose their start;
	// Padded those shorter, which get PadID in front.
	Truncated int `json:"truncated"`
	Padded    int `json:"padded"`
}

// LengthInfo describes the distribution of sequence lengths.
type LengthInfo struct {
	Min  int     `json:"min"`
	Max  int     `json:"max"`
	Mean float64 `json:"mean"`
	// Percentiles holds p50, p90, p95 and p99, interpolated linearly between
	// order statistics as numpy.percentile does by default.
	Percentiles map[string]float64 `json:"percentiles"`
}

// Info computes the figures of c for a vocabulary cut numWords (<= 0: none)
// and sequences of maxLen.
func (c *Corpus) Info(numWords, maxLen int) Info {
	info := Info{
		Dir:           c.Dir,
		Source:        c.Source,
		CachePath:     c.CachePath,
		FromCache:     c.FromCache,
		WordIndexSize: len(c.Index),
		NumWords:      max(numWords, 0),
		MaxLen:        maxLen,
	}
	info.Splits = append(info.Splits,
		splitInfo(SplitTrain, c.Train, c.TrainMeta, numWords, maxLen),
		splitInfo(SplitTest, c.Test, c.TestMeta, numWords, maxLen))
	return info
}

// splitInfo computes the figures of one split.
func splitInfo(name string, s *Set, meta []ReviewMeta, numWords, maxLen int) SplitInfo {
	si := SplitInfo{Name: name, Reviews: s.Len()}
	si.Neg, si.Pos = s.LabelCounts()

	var seen []bool // seen[id]: the word of that id occurs
	lengths := make([]int, s.Len())
	for i, seq := range s.Seqs {
		lengths[i] = len(seq)
		if maxLen > 0 && len(seq) > maxLen {
			si.Truncated++
		}
		if maxLen > 0 && len(seq) < maxLen {
			si.Padded++
		}
		for _, id := range seq[1:] { // seq[0] is the start id
			si.Known++
			if numWords <= 0 || int(id) < numWords {
				si.InVocab++
			}
			if int(id) >= len(seen) {
				seen = append(seen, make([]bool, int(id)+1-len(seen))...)
			}
			if !seen[id] {
				seen[id] = true
				si.DistinctWords++
			}
		}
	}
	for _, m := range meta {
		si.Unknown += int64(m.Unknown)
	}
	si.Tokens = si.Known + si.Unknown
	if si.Tokens > 0 {
		si.Coverage = float64(si.Known) / float64(si.Tokens)
		si.VocabCoverage = float64(si.InVocab) / float64(si.Tokens)
	}
	si.Length = lengthInfo(lengths)
	return si
}

// lengthInfo summarizes lengths.
func lengthInfo(lengths []int) LengthInfo {
	li := LengthInfo{Percentiles: map[string]float64{}}
	if len(lengths) == 0 {
		return li
	}
	sorted := slices.Clone(lengths)
	slices.Sort(sorted)
	li.Min, li.Max = sorted[0], sorted[len(sorted)-1]
	sum := 0
	for _, n := range sorted {
		sum += n
	}
	li.Mean = float64(sum) / float64(len(sorted))
	for _, p := range infoPercentiles {
		li.Percentiles[percentileName(p)] = Percentile(sorted, p)
	}
	return li
}

// percentileName is "p50" and the like.
func percentileName(p float64) string {
	return "p" + formatPercent(p)
}

// formatPercent prints p in the fewest digits ("50", "99.9").
func formatPercent(p float64) string {
	return strconv.FormatFloat(p, 'f', -1, 64)
}

// Percentile returns the p-th percentile (0..100) of sorted values,
// interpolated linearly between the two nearest order statistics as
// numpy.percentile's default method ("linear") does. It returns NaN for no
// values and clamps p to 0..100.
func Percentile(sorted []int, p float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	p = min(max(p, 0), 100)
	rank := p / 100 * float64(len(sorted)-1)
	lo := int(math.Floor(rank))
	hi := min(lo+1, len(sorted)-1)
	frac := rank - float64(lo)
	return float64(sorted[lo]) + frac*float64(sorted[hi]-sorted[lo])
}
