package dataset

// KerasFilters is the set of characters that Keras's text_to_word_sequence
// replaces by a space before splitting (its default `filters` argument,
// keras.preprocessing.text). The apostrophe is not among them.
const KerasFilters = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n"

// tokenSep is the separator Keras splits on (text_to_word_sequence split=" ").
const tokenSep = ' '

// byteClass maps each byte to what the tokenizer does with it.
type byteClass uint8

const (
	keepByte  byteClass = iota // part of a token as is
	lowerByte                  // ASCII A-Z: part of a token, lower-cased
	breakByte                  // filtered character or space: ends a token
)

// classes is the per-byte table built once from KerasFilters. Every filter is
// ASCII, and ASCII bytes never occur inside a multi-byte UTF-8 sequence, so a
// byte loop treats any UTF-8 text exactly as Keras's character loop does.
var classes = func() [256]byteClass {
	var t [256]byteClass
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = lowerByte
	}
	for i := 0; i < len(KerasFilters); i++ {
		t[KerasFilters[i]] = breakByte
	}
	t[tokenSep] = breakByte
	return t
}()

// Tokenize splits text into the tokens that Keras's imdb data was built from:
// ASCII letters A-Z are lower-cased (other letters keep their case), every
// character of KerasFilters becomes a space, the text is split on the space
// character only and empty tokens are dropped. "<br />" thus yields "br".
func Tokenize(text string) []string {
	var tokens []string
	eachToken([]byte(text), func(tok []byte) {
		tokens = append(tokens, string(tok))
	})
	return tokens
}

// eachToken calls fn with every token of text in order. The slice passed to
// fn is reused between calls; fn must copy it to keep it.
func eachToken(text []byte, fn func(tok []byte)) {
	buf := make([]byte, 0, 64)
	for _, c := range text {
		switch classes[c] {
		case keepByte:
			buf = append(buf, c)
		case lowerByte:
			buf = append(buf, c+('a'-'A'))
		case breakByte:
			if len(buf) > 0 {
				fn(buf)
				buf = buf[:0]
			}
		}
	}
	if len(buf) > 0 {
		fn(buf)
	}
}
